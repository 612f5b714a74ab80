"""Domain core of Suivi des territoires: no web framework is imported below this package."""

__version__ = "0.1.0"
