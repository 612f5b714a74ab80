"""The mapping assistant and the profiles of ``/import`` through their callbacks (issue #14): a
never-seen file opens the assistant, its preview follows the choices, saving makes the partner's
profile and checks the file again, the same header (in another case) is then recognised; profiles
are listed, duplicated, edited and deleted within the person's partner only.

Profiles written into the session's database are deleted at the end of each test."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from import_requests import CHECK_OUTPUTS
from plotly.utils import PlotlyJSONEncoder

from dashboard.testing import UPDATE, CallbackClient, callback_key, component_id_text
from indicators.ingest import delete_profile, list_profiles, save_profile

pytestmark = pytest.mark.integration

PRODUCER = (
    "annee;code_dep;libelle;nb_structures;population\n"
    "2019;1;Ain;12;656955,0\n"
    "2019;2A;Corse-du-Sud;4;158507,0\n"
    "2019;971;Guadeloupe;7;384239,0\n"
)
OPEN = {
    "form": ("assistant-zone", "children"),
    "hidden": ("assistant-zone", "hidden"),
    "columns": ("assistant-colonnes", "data"),
}
PREVIEW = {
    "apercu": ("assistant-apercu", "children"),
    "niveau": ("assistant-niveau-deduit", "children"),
}
SAVE = {
    "message": ("assistant-message", "children"),
    "check": ("import-verifier", "n_clicks"),
    "profile": ("import-profil", "value"),
    "version": ("assistant-profils-version", "data"),
}
ACT = {
    "message": ("profils-message", "children"),
    "version": ("assistant-profils-version", "data"),
    "confirm": ("profil-confirmation", "displayed"),
    "question": ("profil-confirmation", "message"),
    "pending": ("profil-a-supprimer", "data"),
}
Entry = tuple[Any, str, Any]


def words(component: Any) -> str:
    return json.dumps(component, cls=PlotlyJSONEncoder, ensure_ascii=False)


def post(
    page: CallbackClient,
    outputs: dict[str, tuple[str, str]],
    inputs: list[Any],
    states: list[Any],
    changed: tuple[Any, str],
) -> dict[str, Any]:
    """A callback request as the browser sends it, ``changed`` being what triggered it; an input
    or state given as a list stands for a pattern-matching (ALL) one: its components."""

    def described(entry: Entry | list[Entry]) -> Any:
        if isinstance(entry, list):
            return [{"id": cid, "property": prop, "value": v} for cid, prop, v in entry]
        cid, prop, value = entry
        return {"id": cid, "property": prop, "value": value}

    payload = {
        "output": callback_key(page.dash_app, list(outputs.values())),
        "outputs": [{"id": cid, "property": prop} for cid, prop in outputs.values()],
        "inputs": [described(entry) for entry in inputs],
        "state": [described(entry) for entry in states],
        "changedPropIds": [f"{component_id_text(changed[0])}.{changed[1]}"],
    }
    response = page.client.post(UPDATE, json=payload)
    assert response.status_code in (200, 204), response.get_data(as_text=True)[:2000]
    if response.status_code == 204:
        return {}
    answer = response.get_json()["response"]
    return {key: answer.get(cid, {}).get(prop) for key, (cid, prop) in outputs.items()}


def send(page: CallbackClient, text: str, name: str) -> dict[str, Any]:
    """Drop a file on the page (Windows-1252, as a spreadsheet saves it); the page's token."""
    data = f"data:text/csv;base64,{base64.b64encode(text.encode('cp1252')).decode()}"
    result = page.call(
        [("import-contenu", "data"), ("import-fichier", "children")],
        [("import-upload", "contents", data)],
        [("import-upload", "filename", name)],
    )
    return dict(result["import-contenu"]["data"])


def open_on(
    page: CallbackClient, stored: Any, *, asked: int = 0, edit: list[Entry] | None = None
) -> dict[str, Any]:
    """The assistant opened by a new file, by « Décrire ce fichier » or by « Modifier »."""
    inputs: list[Any] = [
        ("import-contenu", "data", stored),
        ("assistant-ouvrir", "n_clicks", asked),
        edit or [],
    ]
    changed: tuple[Any, str] = ("import-contenu", "data")
    if asked:
        changed = ("assistant-ouvrir", "n_clicks")
    if edit:
        changed = (edit[0][0], "n_clicks")
    return post(page, OPEN, inputs, [("import-partenaire", "value", "ANCT")], changed)


CHOICES = {
    "territory_column": "code_dep",
    "territory_level": "",
    "period_column": "annee",
    "period_format": "year",
    "indicator_mode": "fixe",
    "indicator": "CON_DEMARCHES_PARTICIPATIVES",
    "indicator_column": None,
    "missing": "NA",
    "secret": "s",
    "not_applicable": "so",
    "scale": "1",
    "combine": "error",
}
CONTROLS = {
    "territory_column": "assistant-territoire",
    "territory_level": "assistant-niveau",
    "period_column": "assistant-periode",
    "period_format": "assistant-periode-format",
    "indicator_mode": "assistant-indicateur-mode",
    "indicator": "assistant-indicateur",
    "indicator_column": "assistant-indicateur-colonne",
}
TEXTS = {
    "missing": "assistant-manquant",
    "secret": "assistant-secret",
    "not_applicable": "assistant-sans-objet",
    "scale": "assistant-echelle",
    "combine": "assistant-combiner",
}
COLUMNS = ["annee", "code_dep", "libelle", "nb_structures", "population"]
READS = {"nb_structures": ""}  # the file's indicator; the other columns are not read


def choice_entries(choices: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """The controls' entries (in the callbacks' order) and the pattern ids' states."""
    columns_ids = [{"type": "assistant-colonne-indicateur", "colonne": c} for c in COLUMNS]
    types_ids = [{"type": "assistant-colonne-type", "colonne": c} for c in COLUMNS]
    controls: list[Any] = [(cid, "value", choices[key]) for key, cid in CONTROLS.items()]
    controls += [
        [],  # no indicator column: no mapping pickers
        [(cid, "value", READS.get(cid["colonne"], "__ignorer__")) for cid in columns_ids],
        [(cid, "value", "valeur") for cid in types_ids],
        *[(cid, "value", choices[key]) for key, cid in TEXTS.items()],
    ]
    return controls, [[], [(cid, "id", cid) for cid in columns_ids]]


def preview(page: CallbackClient, stored: Any, choices: dict[str, Any]) -> dict[str, Any]:
    controls, ids = choice_entries(choices)
    states = [*ids, ("import-contenu", "data", stored)]
    return post(page, PREVIEW, controls, states, ("assistant-periode", "value"))


def save(
    page: CallbackClient, stored: Any, name: str, choices: dict[str, Any] = CHOICES
) -> dict[str, Any]:
    controls, ids = choice_entries(choices)
    states = [
        *controls,  # the save reads the same controls, as states
        *ids,
        ("assistant-nom", "value", name),
        ("assistant-colonnes", "data", {"columns": COLUMNS, "header": COLUMNS, "file": True}),
        ("import-contenu", "data", stored),
        ("import-partenaire", "value", "ANCT"),
        ("import-verifier", "n_clicks", 0),
        ("assistant-profils-version", "data", 0),
    ]
    inputs = [("assistant-enregistrer", "n_clicks", 1)]
    return post(page, SAVE, inputs, states, ("assistant-enregistrer", "n_clicks"))


def act(
    page: CallbackClient, kind: str, profile_ids: list[int], target: int, pending: int | None = None
) -> dict[str, Any]:
    """« Dupliquer » or « Supprimer » clicked on profile ``target`` (``kind`` ``confirmer``:
    the confirmation dialog's OK)."""
    buttons = {
        name: [
            ({"type": name, "profil": i}, "n_clicks", int(i == target and name == kind))
            for i in profile_ids
        ]
        for name in ("profil-dupliquer", "profil-supprimer")
    }
    inputs = [
        buttons["profil-dupliquer"],
        buttons["profil-supprimer"],
        ("profil-confirmation", "submit_n_clicks", 1 if kind == "confirmer" else None),
    ]
    changed: tuple[Any, str] = ("profil-confirmation", "submit_n_clicks")
    if kind != "confirmer":
        changed = ({"type": kind, "profil": target}, "n_clicks")
    states = [("profil-a-supprimer", "data", pending), ("assistant-profils-version", "data", 3)]
    return post(page, ACT, inputs, states, changed)


def listing(page: CallbackClient) -> str:
    answer = post(
        page,
        {"liste": ("profils-liste", "children")},
        [("assistant-profils-version", "data", 0), ("import-partenaire", "value", None)],
        [],
        ("assistant-profils-version", "data"),
    )
    return words(answer["liste"])


@pytest.fixture
def cleanup(dash_app) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Delete every profile the test saved (the session's database is shared)."""
    from dashboard.context import db_session

    with dash_app.server.app_context(), db_session() as session:
        before = {p.id for p in list_profiles(session)}
    yield
    with dash_app.server.app_context(), db_session() as session, session.begin():
        for profile in list_profiles(session):
            if profile.id not in before:
                delete_profile(session, profile.id)


def profile_names(dash_app) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    from dashboard.context import db_session

    with dash_app.server.app_context(), db_session() as session:
        return {p.name: p.partner_code for p in list_profiles(session)}


@pytest.fixture
def anct(dash_app, as_user, cleanup) -> CallbackClient:  # type: ignore[no-untyped-def]
    """ANCT's déposant on /import (its own browser session)."""
    return CallbackClient(as_user("deposant-anct"), dash_app)


@pytest.fixture
def insee(dash_app, as_user) -> CallbackClient:  # type: ignore[no-untyped-def]
    """INSEE's déposant, signed in at the same time in another session."""
    return CallbackClient(as_user("deposant"), dash_app)


def test_a_never_seen_file_is_described_saved_then_recognised(anct, dash_app) -> None:  # type: ignore[no-untyped-def]
    stored = send(anct, PRODUCER, "structures-2019.csv")
    opened = open_on(anct, stored)
    assert opened["hidden"] is False and opened["columns"]["header"] == COLUMNS
    form = words(opened["form"])
    assert "Colonnes non reconnues" in form and "Corse-du-Sud" in form  # its first lines
    # « 1 » is région 01 too; « 2A » and « 971 » can only be départements
    assert "Les 3 codes peuvent être des départements, dont 2 ne peuvent être que cela" in form
    assert '"value": "code_dep"' in form and '"value": "year"' in form  # guesses filled in
    # only ANCT's indicators are offered
    assert "CON_DEMARCHES_PARTICIPATIVES" in form and "MOB_ACTIFS" not in form

    shown = preview(anct, stored, CHOICES)
    text = words(shown["apercu"])
    assert "DEP:01" in text and "DEP:971" in text and "Valeurs valides" in text
    assert "départements" in shown["niveau"]
    wrong = preview(anct, stored, {**CHOICES, "indicator": None})
    assert "Choisissez l'indicateur du fichier." in words(wrong["apercu"])

    # no name, or invalid choices: French reasons, nothing written
    before = profile_names(dash_app)
    unnamed = save(anct, stored, "  ")
    assert "Donnez un nom au profil." in words(unnamed["message"])
    invalid = save(anct, stored, "structures", {**CHOICES, "territory_column": None})
    assert "Choisissez la colonne des territoires." in words(invalid["message"])
    assert invalid["check"] is None and profile_names(dash_app) == before

    saved = save(anct, stored, "structures par département")
    assert "enregistré pour ANCT" in words(saved["message"])
    assert saved["check"] == 1 and saved["profile"] == "" and saved["version"] == 1
    assert profile_names(dash_app)["structures par département"] == "ANCT"

    # the file checked again: read through the profile found by its header
    checked = anct.call(
        CHECK_OUTPUTS,
        [("import-verifier", "n_clicks", 1)],
        [
            ("import-contenu", "data", stored),
            ("import-partenaire", "value", "ANCT"),
            ("import-profil", "value", ""),
            ("import-options", "value", []),
        ],
    )
    report = words(checked["import-resultat"]["children"])
    assert "reconnu par l'en-tête du fichier" in report and "Colonnes non reconnues" not in report

    # the same header in another case, another year: no question asked
    again = send(
        anct,
        PRODUCER.replace("annee;code_dep", "ANNEE;Code_Dep").replace("2019", "2020"),
        "structures-2020.csv",
    )
    assert open_on(anct, again)["hidden"] is True
    # another order of the columns is another header: the assistant opens
    moved = send(anct, "code_dep;annee;libelle;nb_structures;population\n1;2020;Ain;3;1\n", "m.csv")
    assert open_on(anct, moved)["hidden"] is False
    # on request, even for a recognised file
    asked = open_on(anct, again, asked=1)
    assert asked["hidden"] is False and "Colonnes non reconnues" not in words(asked["form"])


def test_an_empty_file_opens_an_assistant_that_says_so(anct) -> None:  # type: ignore[no-untyped-def]
    stored = send(anct, "annee;code_dep;nb_structures\n", "vide.csv")
    opened = open_on(anct, stored)
    assert "aucune ligne de données" in words(opened["form"])
    shown = preview(anct, stored, CHOICES)
    assert "Le fichier n'a aucune ligne de données." in words(shown["apercu"])
    nothing = open_on(anct, None, asked=1)
    assert "Déposez d'abord un fichier à décrire." in words(nothing["form"])


def test_profiles_stay_within_the_partner(anct, insee, dash_app) -> None:  # type: ignore[no-untyped-def]
    from dashboard.context import db_session

    stored = send(anct, PRODUCER, "structures.csv")
    assert "enregistré" in words(save(anct, stored, "profil anct")["message"])
    with dash_app.server.app_context(), db_session() as session, session.begin():
        save_profile(
            session,
            {
                "territory": {"column": "t"},
                "period": {"column": "p"},
                "indicator": {"value": "MOB_ACTIFS"},
                "values": [{"column": "v"}],
            },
            name="profil insee",
            partner_code="INSEE",
        )
    ids = _ids(dash_app)
    # both signed in at once: INSEE cannot open ANCT's file with ANCT's token
    stolen = open_on(insee, stored, asked=1)
    assert "Fichier introuvable" in words(stolen["form"]) and "Ain" not in words(stolen["form"])
    assert "Corse-du-Sud" not in words(preview(insee, stored, CHOICES)["apercu"])
    anct_id, insee_id = ids["profil anct"], ids["profil insee"]

    # each sees its own partner's profiles; the staff see both
    assert "profil anct" in listing(anct) and "profil insee" not in listing(anct)
    assert "profil insee" in listing(insee) and "profil anct" not in listing(insee)
    # INSEE forges requests on ANCT's profile: edit, duplicate, delete — all refused
    edit = open_on(
        insee, None, edit=[({"type": "profil-modifier", "profil": anct_id}, "n_clicks", 1)]
    )
    assert "introuvable" in words(edit["form"]) and "nb_structures" not in words(edit["form"])
    copy = act(insee, "profil-dupliquer", [anct_id], anct_id)
    assert "introuvable" in words(copy["message"])
    ask = act(insee, "profil-supprimer", [anct_id], anct_id)
    assert "introuvable" in words(ask["message"]) and not ask["confirm"]
    gone = act(insee, "confirmer", [], 0, pending=anct_id)
    assert "introuvable" in words(gone["message"])
    assert "profil anct" in profile_names(dash_app)

    # ANCT edits (the assistant opens on it), duplicates, deletes after confirming
    edit = open_on(
        anct, None, edit=[({"type": "profil-modifier", "profil": anct_id}, "n_clicks", 1)]
    )
    form = words(edit["form"])
    assert edit["columns"] == {"columns": COLUMNS, "header": COLUMNS, "file": False}
    assert (
        "Modification du profil « profil anct »" in form and "CON_DEMARCHES_PARTICIPATIVES" in form
    )
    copy = act(anct, "profil-dupliquer", [anct_id], anct_id)
    assert "profil anct (copie)" in words(copy["message"]) and copy["version"] == 4
    assert profile_names(dash_app)["profil anct (copie)"] == "ANCT"
    ask = act(anct, "profil-supprimer", [anct_id], anct_id)
    assert ask["confirm"] is True and "profil anct" in ask["question"]
    assert "profil anct" in profile_names(dash_app)  # nothing deleted before the confirmation
    done = act(anct, "confirmer", [], 0, pending=anct_id)
    assert "Profil « profil anct » supprimé." in words(done["message"])
    assert "profil anct" not in profile_names(dash_app)
    # a déposant cannot delete INSEE's profile either (nor see it)
    assert "introuvable" in words(act(anct, "confirmer", [], 0, pending=insee_id)["message"])
    assert "profil insee" in profile_names(dash_app)


def test_administrators_see_every_partners_profiles(anct, dash_app, as_user) -> None:  # type: ignore[no-untyped-def]
    stored = send(anct, PRODUCER, "structures.csv")
    save(anct, stored, "profil vu par l'administrateur")
    admin = CallbackClient(as_user("administrateur"), dash_app)
    shown = listing(admin)
    assert "profil vu par l'administrateur" in shown and "ANCT" in shown


def _ids(dash_app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from dashboard.context import db_session

    with dash_app.server.app_context(), db_session() as session:
        return {p.name: p.id for p in list_profiles(session)}


def test_an_indicator_column_maps_each_value_through_a_picker(anct, dash_app) -> None:  # type: ignore[no-untyped-def]
    text = (
        "indicateur;code;annee;nombre\n"
        "con_demarches_participatives;2A;2019;3\n"
        "structures;2A;2019;8\n"
        "autre chose;2B;2019;1\n"
    )
    stored = send(anct, text, "mesures.csv")
    opened = open_on(anct, stored)
    form = words(opened["form"])
    assert opened["hidden"] is False
    # the column named « indicateur » names the indicator; a value that is a code is mapped
    assert '"value": "colonne"' in form and "autre chose" in form
    pickers = post(
        anct,
        {"pickers": ("assistant-correspondances", "children")},
        [("assistant-indicateur-colonne", "value", "indicateur")],
        [("import-contenu", "data", stored)],
        ("assistant-indicateur-colonne", "value"),
    )["pickers"]
    shown = words(pickers)
    assert "structures" in shown and "autre chose" in shown
    assert '"value": "CON_DEMARCHES_PARTICIPATIVES"' in shown  # guessed from the code
    assert "MOB_ACTIFS" not in shown  # INSEE's: not offered to ANCT
    hidden = switch_mode(anct, "colonne", {"nombre": ""})
    assert {key: hidden[key] for key in ("fixed", "column", "pickers")} == {
        "fixed": True,
        "column": False,
        "pickers": False,
    }
    assert hidden["codes"] == [""]  # the indicator of each line: still a valid choice


def switch_mode(page: CallbackClient, mode: str, reads: dict[str, str]) -> dict[str, Any]:
    """The indicator mode changed, with value columns read as ``reads``: what the controls show
    and the value columns' choices (``codes``) and their options."""
    wildcard = {"colonne": ["ALL"], "type": "assistant-colonne-indicateur"}
    ids = [{"type": "assistant-colonne-indicateur", "colonne": c} for c in reads]
    single = [
        ("assistant-champ-indicateur", "hidden"),
        ("assistant-champ-colonne", "hidden"),
        ("assistant-correspondances", "hidden"),
    ]
    outputs = [(wildcard, "value"), (wildcard, "options"), *single]
    payload = {
        "output": callback_key(page.dash_app, outputs),
        "outputs": [
            *[{"id": cid, "property": prop} for cid, prop in single],
            [{"id": cid, "property": "value"} for cid in ids],
            [{"id": cid, "property": "options"} for cid in ids],
        ],
        "inputs": [{"id": "assistant-indicateur-mode", "property": "value", "value": mode}],
        "state": [
            [
                {"id": cid, "property": "value", "value": code}
                for cid, code in zip(ids, reads.values(), strict=True)
            ]
        ],
        "changedPropIds": ["assistant-indicateur-mode.value"],
    }
    response = page.client.post(UPDATE, json=payload)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    answer = response.get_json()["response"]
    shown = {
        key: answer[cid][prop]
        for key, (cid, prop) in zip(("fixed", "column", "pickers"), single, strict=True)
    }
    shown["codes"] = [answer[component_id_text(cid)]["value"] for cid in ids]
    shown["options"] = [answer[component_id_text(cid)]["options"] for cid in ids]
    return shown


def test_one_indicator_per_column_resets_columns_read_as_the_file_indicator(anct) -> None:  # type: ignore[no-untyped-def]
    shown = switch_mode(
        anct, "colonnes", {"nb_structures": "", "population": "CON_DEMARCHES_PARTICIPATIVES"}
    )
    assert shown["codes"] == ["__ignorer__", "CON_DEMARCHES_PARTICIPATIVES"]
    labels = words(shown["options"])
    assert "L'indicateur du fichier" not in labels and "Ne pas lire" in labels
    assert "MOB_ACTIFS" not in labels  # INSEE's indicators stay out of ANCT's choices


def describe_button(page: CallbackClient, stored: Any, result: Any, changed: str) -> Any:
    """Whether « Décrire ce fichier » is hidden, after a new file or a new result."""
    answer = post(
        page,
        {"hidden": ("assistant-ouvrir", "hidden")},
        [("import-contenu", "data", stored), ("import-resultat", "children", result)],
        [],
        (changed, "children" if changed == "import-resultat" else "data"),
    )
    return answer["hidden"]


def test_describing_again_keeps_the_reason_and_the_button_follows_the_file(anct) -> None:  # type: ignore[no-untyped-def]
    stored = send(anct, PRODUCER, "structures-2019.csv")
    asked = words(open_on(anct, stored, asked=1)["form"])
    assert "Colonnes non reconnues" in asked  # not replaced by the plain introduction
    assert describe_button(anct, None, None, "import-contenu") is True  # no file
    assert describe_button(anct, stored, None, "import-contenu") is False
    report = [{"type": "H2", "namespace": "dash_html_components", "props": {"children": "R"}}]
    assert describe_button(anct, stored, report, "import-resultat") is False  # checked only
    loaded = {
        "type": "Div",
        "namespace": "dash_html_components",
        "props": {"className": "import-loaded"},
    }
    assert describe_button(anct, stored, loaded, "import-resultat") is True  # loaded: done
