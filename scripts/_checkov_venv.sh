# Sourced by scripts/_venv.sh (or run directly): create or reuse .venv-checkov, a virtual environment
# of its own for checkov, whose pins (packaging<24, an exact boto3) clash with pulumi's. Idempotent:
# does nothing when the pinned version is already installed. Set SUPPORTOPS_SKIP_CHECKOV=1 to skip.
CHECKOV_VERSION="3.3.30"
_checkov_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_checkov_venv="$_checkov_root/.venv-checkov"
_checkov_stamp="$_checkov_venv/.supportops-checkov-$CHECKOV_VERSION"
if [ "${SUPPORTOPS_SKIP_CHECKOV:-0}" != "1" ] && [ ! -f "$_checkov_stamp" ]; then
  echo "==> installing checkov==$CHECKOV_VERSION into .venv-checkov (its own environment)" >&2
  [ -x "$_checkov_venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$_checkov_venv"
  if "$_checkov_venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      "checkov==$CHECKOV_VERSION" >&2; then
    rm -f "$_checkov_venv"/.supportops-checkov-*
    echo "$CHECKOV_VERSION" > "$_checkov_stamp"
  else
    # supportops still works without it: `comply --checkov` then reports checkov as an ERROR source.
    echo "warning: could not install checkov into .venv-checkov; checkov scans will report ERROR" >&2
  fi
fi
unset _checkov_root _checkov_venv _checkov_stamp
