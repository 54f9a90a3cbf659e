"""newsmeta: validate, list, search, edit and reformat news-article front matter."""

__version__ = "0.1.0"
