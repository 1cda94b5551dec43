"""The ``supportops`` command: a thin typer layer over the library, one module per command group."""
