#!/usr/bin/env bash
# Lint, type-check and run the whole test suite. Installs what it needs on first run.
source "$(dirname "$0")/_venv.sh"
echo "==> ruff" >&2
ruff check .
echo "==> mypy" >&2
mypy
echo "==> pytest" >&2
pytest -n "${PYTEST_WORKERS:-auto}" "$@"
