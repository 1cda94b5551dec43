"""Templates and static assets of the HTML report (package data)."""
