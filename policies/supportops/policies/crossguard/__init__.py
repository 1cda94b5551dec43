"""The CrossGuard policy pack: the catalog rules as Pulumi policies (``pack.py`` builds them;
``__main__.py`` serves them to the Pulumi engine)."""
