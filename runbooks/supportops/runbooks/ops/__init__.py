"""Unattended operations: `supportops ops run JOB` (the scheduled runner's entrypoint, usable by hand)
and `supportops history` (trends over the kept runs)."""
