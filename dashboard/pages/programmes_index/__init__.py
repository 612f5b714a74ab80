"""The list of programmes, ``/programmes``: ``page.py``, ``callbacks.py``, ``datasets.py``."""
