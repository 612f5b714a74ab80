"""One territory, ``/territoire/<code>``: its facts, its sets, an indicator's trend and its
children on a map.

``page.py`` (layout), ``callbacks.py``, ``views.py``.
"""
