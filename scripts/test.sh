#!/usr/bin/env bash
# Lint, type-check and run the whole test suite. Installs what it needs on first run.
source "$(dirname "$0")/_venv.sh"
# The HTML report is tested in headless Chromium: install Debian's when missing and we can
# (root with apt-get); otherwise those tests are skipped with the reason (and fail under CI=true).
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "==> installing chromium (system package) for the HTML report tests" >&2
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      chromium fonts-dejavu-core; } >&2 || echo "warning: could not install chromium" >&2
fi
echo "==> ruff" >&2
ruff check .
echo "==> mypy" >&2
mypy
echo "==> pytest" >&2
# loadgroup: tests marked with one xdist_group (the two wheel builds) never run at the same time.
pytest -n "${PYTEST_WORKERS:-auto}" --dist loadgroup "$@"
