"""``/administration/catalogue``: administrators create and edit partners, measures and indicators
(issue #14). See ``page.py``."""
