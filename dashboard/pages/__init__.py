"""One folder per page (issue #13): ``dashboard/pages/<page>/`` holds

- ``page.py``: the page's registration with Dash Pages and its ``layout()`` (ids, no database work);
- ``callbacks.py``: thin callbacks that read inputs, call ``views`` and return named outputs;
- ``views.py``: what each callback shows, as pure functions tests call without HTTP;
- ``datasets.py``: the page's tables (also served as CSV/XLSX exports);
- ``texts.py``: the page's French sentences;
- ``figures.py``: figures only this page draws.

Shared pieces live in ``dashboard/readers.py``, ``dashboard/formatting.py``,
``dashboard/url_state.py``, ``dashboard/figures/`` and ``dashboard/components/``. Pages never
import each other (an import-linter contract checks it).

Dash imports every module of this folder that registers a page, once per app, and skips
``__init__.py`` files: that is why the registration lives in ``page.py``. The page Dash shows for an
unknown address must be a module named ``not_found_404``: it stays a single file.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def run_callbacks(page_module: str, page_file: str, module: str = "callbacks") -> ModuleType:
    """Run the page's ``callbacks.py`` (or another callbacks ``module`` of its folder) afresh,
    as Dash runs ``page.py`` once per app.

    ``dash.callback`` registers into the next app that starts, not into every app: a module
    imported once would give its callbacks to the first app of the process only.
    """
    name = f"{page_module.rpartition('.')[0]}.{module}"
    spec = importlib.util.spec_from_file_location(name, Path(page_file).with_name(f"{module}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
