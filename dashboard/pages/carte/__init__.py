"""The map, ``/carte``: one indicator for one period at a chosen level.

``page.py`` (layout), ``callbacks.py``, ``views.py``.
"""
