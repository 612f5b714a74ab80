"""The home page, ``/``: the measures' headline figures, the programmes, the data's freshness.

``page.py`` (layout), ``callbacks.py``, ``views.py``.
"""
