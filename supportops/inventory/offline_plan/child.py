"""Entry point of the planner inside a project's own virtualenv (see :mod:`.isolated`):
``python -m supportops.inventory.offline_plan.child OUT.json`` with the spec on stdin."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from supportops.errors import EXIT_BAD_INPUT, SupportopsError
from supportops.inventory.offline_plan.session import ProgramSpec, run_program
from supportops.inventory.offline_plan.watchdog import exit_process


def main() -> int:
    out = Path(sys.argv[1])
    spec = ProgramSpec.from_json(json.loads(sys.stdin.read()))
    try:
        inventory = run_program(spec, hard_exit=exit_process)
    except SupportopsError as exc:
        sys.stderr.write(f"error: {str(exc).splitlines()[0]}\n")
        return EXIT_BAD_INPUT
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=".inventory-")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(inventory.to_json(), stream)
    Path(temporary).replace(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
