"""The indicator page, ``/indicateur/<code>``: ``page.py`` (layout), ``callbacks.py``,
``views.py`` (what each callback shows), ``datasets.py``, ``texts.py``, ``figures.py``."""
