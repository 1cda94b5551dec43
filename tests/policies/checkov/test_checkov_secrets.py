"""checkov's secrets scan: a plaintext secret in a stack config file or the code fails the run;
virtual environments, build output and the deliberately bad fixture are not scanned."""

from __future__ import annotations

import base64
import hashlib

import pytest

from supportops.findings import Severity, Status
from supportops.policies.checkov.runner import REPO_ROOT
from supportops.policies.checkov.scan import CheckovOutcome
from supportops.policies.checkov.secrets import scan_secrets

# Derived at run time so that this file holds no secret for the repository scan to find.
_DIGEST = hashlib.sha256(b"supportops checkov secrets test").digest()
ACCESS_KEY = "AKIA" + base64.b32encode(_DIGEST).decode()[:16]
SECRET_KEY = base64.b64encode(_DIGEST + _DIGEST).decode()[:40]


@pytest.fixture(scope="module")
def planted(checkov_installed: None, tmp_path_factory: pytest.TempPathFactory) -> CheckovOutcome:
    project = tmp_path_factory.mktemp("project")
    (project / "Pulumi.prod.yaml").write_text(
        f"config:\n  aws:region: us-east-1\n  aws:secretKey: {SECRET_KEY}\n", encoding="utf-8"
    )
    (project / "app").mkdir()
    (project / "app" / "settings.py").write_text(f'AWS_ACCESS_KEY_ID = "{ACCESS_KEY}"\n', encoding="utf-8")
    (project / "clean.py").write_text('REGION = "us-east-1"\n', encoding="utf-8")
    for ignored in (".venv-tools/lib", "out/demo", "tests/fixtures/noncompliant"):
        (project / ignored).mkdir(parents=True)
        (project / ignored / "leak.py").write_text(f'KEY = "{ACCESS_KEY}"\n', encoding="utf-8")
    return scan_secrets(project, waivers=[])


def test_plaintext_secrets_fail_with_file_and_line(planted: CheckovOutcome) -> None:
    failing = {(f.check_id, f.subject) for f in planted.findings if f.status is Status.FAIL}
    assert failing == {("CKV_SECRET_2", "Pulumi.prod.yaml:3"), ("CKV_SECRET_2", "app/settings.py:1")}
    assert all(
        f.failing and f.severity is Severity.CRITICAL and f.source == "checkov" for f in planted.findings
    )
    assert all("pci-dss-4.0:8.6.3" in f.requirements for f in planted.findings)
    assert ACCESS_KEY not in repr(planted) and SECRET_KEY not in repr(planted)


def test_the_repository_holds_no_unwaived_plaintext_secret(checkov_installed: None) -> None:
    outcome = scan_secrets(REPO_ROOT)
    assert outcome.problems == []
    assert [f"{f.check_id} {f.subject}" for f in outcome.findings if f.failing] == []
    assert not [f for f in outcome.findings if f.status is Status.ERROR]
