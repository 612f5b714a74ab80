"""What the web tests send to /import and /chargements: the outputs of the check, the load and the
loads list, and the raw request of the « Vérifier » button, as the browser sends it (it starts a
background job: tests of job handles and job limits)."""

CHECK = {
    "output": "..import-resultat.children...import-valider.disabled..."
    "import-verifie.data...import-confirmation.children..",
    "outputs": [
        {"id": "import-resultat", "property": "children"},
        {"id": "import-valider", "property": "disabled"},
        {"id": "import-verifie", "property": "data"},
        {"id": "import-confirmation", "property": "children"},
    ],
    "inputs": [{"id": "import-verifier", "property": "n_clicks", "value": 1}],
    "state": [
        {"id": "import-contenu", "property": "data", "value": None},
        {"id": "import-partenaire", "property": "value", "value": None},
        {"id": "import-profil", "property": "value", "value": ""},
        {"id": "import-options", "property": "value", "value": []},
    ],
    "changedPropIds": ["import-verifier.n_clicks"],
}

OPTIONS_STATES = [("import-partenaire", "value", "ANCT"), ("import-profil", "value", "")]
CHECK_OUTPUTS = [
    ("import-resultat", "children"),
    ("import-valider", "disabled"),
    ("import-verifie", "data"),
    ("import-confirmation", "children"),
]
LOAD_OUTPUTS = [
    ("import-resultat", "children"),
    ("import-fichier", "children"),
    ("import-confirmation", "children"),
    ("import-valider", "disabled"),
]
LIST_OUTPUTS = [
    ("chargements-liste", "children"),
    ("chargements-detail", "children"),
    ("chargements-annuler", "hidden"),
]
