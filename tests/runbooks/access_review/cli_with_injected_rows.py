"""Run the supportops CLI with credential-report rows and role last-used dates injected at the parsing
boundary (moto cannot backdate them). Usage: python cli_with_injected_rows.py SPEC.json ARGS...

SPEC: {"users": {NAME: {column: value}}, "extra_rows": [{column: value}],
       "roles": {NAME: {"RoleLastUsed": ISO date or null, "CreateDate": ISO date}}}.
Everything else (collection, evaluation, output) is the real code.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from supportops.cli.main import main
from supportops.runbooks.access_review import credential_report, iam_details

spec: dict[str, Any] = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
real_parse = credential_report.parse_credential_report
real_page = iam_details.parse_authorization_page


def injected_parse(data: bytes):  # type: ignore[no-untyped-def]
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
    fields = list(reader.fieldnames or [])
    rows = [dict(row) for row in reader]
    for row in rows:
        row.update(spec.get("users", {}).get(row["user"], {}))
    accounts = {row["arn"].split(":")[4] for row in rows}
    for extra in spec.get("extra_rows", []):  # a root row goes into its own account's report only
        if extra["arn"].split(":")[4] in accounts:
            rows.insert(0, {name: extra.get(name, "N/A") for name in fields})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return real_parse(out.getvalue().encode("utf-8"))


def injected_page(page: dict[str, Any], into: Any) -> None:
    for role in page.get("RoleDetailList", []):
        override = spec.get("roles", {}).get(role["RoleName"])
        if override:
            last = override.get("RoleLastUsed")
            role["RoleLastUsed"] = {"LastUsedDate": datetime.fromisoformat(last)} if last else {}
            if override.get("CreateDate"):
                role["CreateDate"] = datetime.fromisoformat(override["CreateDate"])
    real_page(page, into)


credential_report.parse_credential_report = injected_parse
iam_details.parse_authorization_page = injected_page
sys.argv = ["supportops", *sys.argv[2:]]
main()
