"""The evaluation of measures, ``/evaluation``: ``page.py`` (layout), ``callbacks.py``,
``views.py``, ``datasets.py`` (the memoized evaluation and its tables), ``plans.py`` (designs:
pins, exclusions, versions), ``texts.py``, ``figures.py``."""
