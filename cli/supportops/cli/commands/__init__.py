"""Command groups; each module defines one ``typer.Typer`` (or one command) composed in app.py."""
