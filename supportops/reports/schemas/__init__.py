"""Published JSON schemas of supportops documents (package data)."""
