"""Runbooks: access reviews and DR drills, as YAML validated by pydantic and the code that runs them."""
