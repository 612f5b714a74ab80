"""The loads, ``/chargements``: who loaded what, its issues, and undoing a load.

``page.py`` (layout), ``callbacks.py``, ``views.py``.
"""
