"""The audit log, ``/journal``.

``page.py`` (layout), ``callbacks.py``, ``views.py``.
"""
