"""The catalogue of indicators, ``/indicateurs``: ``page.py`` (layout), ``callbacks.py``,
``views.py``, ``datasets.py``, ``texts.py``."""
