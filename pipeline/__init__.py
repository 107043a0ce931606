"""pressx: structured data from press releases."""

__version__ = "0.1.0"
