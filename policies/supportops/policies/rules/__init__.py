"""One module per rule; the catalog (policies/catalog.py) lists them explicitly."""
