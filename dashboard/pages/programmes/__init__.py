"""One programme, ``/programmes/<code>``: ``page.py`` (layout), ``callbacks.py``, ``views.py``,
``members.py`` and ``datasets.py`` (its tables), ``texts.py``, ``figures.py``; what it shares with
the list of programmes is in ``dashboard/programmes.py``."""
