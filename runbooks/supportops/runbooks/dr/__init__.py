"""DR drills: YAML runbooks (one per protected data store), one module per step type, the executor
that measures achieved RTO/RPO against the stack's targets, and cleanup (in-run and after a crash)."""
