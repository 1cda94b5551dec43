"""The runner's buildspec: no image to build. CodeBuild's managed image installs the runner bundle
(the supportops wheel built from this repository, its pinned dependencies and the project's stack
files; see ``supportops ops package``) and runs ``supportops ops run`` for one account.

Exit 1 (findings, a missed target) is a completed run: its evidence, metrics and notification are
out, so the build succeeds. Anything else fails the build, and the state machine announces it."""

from __future__ import annotations

from typing import Any

import yaml

from supportops.stacks.components.operations.state_machine import (
    ENV_ACCOUNT,
    ENV_JOB,
    ENV_RUN_ID,
    ENV_RUNBOOK,
)

ENV_STACK = "SUPPORTOPS_STACK"
ENV_BUCKET = "SUPPORTOPS_EVIDENCE_BUCKET"
ENV_TOPIC = "SUPPORTOPS_TOPIC_ARN"
ENV_NAMESPACE = "SUPPORTOPS_METRIC_NAMESPACE"
PYTHON_VERSION = "3.11"
VENV = "/opt/supportops"
RUNNER_BUNDLE_KEY = "runner/supportops-runner.zip"

RUN_COMMAND = (
    f'{VENV}/bin/supportops ops run "${ENV_JOB}" --account "${ENV_ACCOUNT}" --run-id "${ENV_RUN_ID}" '
    f'--runbook "${ENV_RUNBOOK}" --stack "${ENV_STACK}" --project "$CODEBUILD_SRC_DIR" '
    f'--bucket "${ENV_BUCKET}" --topic-arn "${ENV_TOPIC}" --metric-namespace "${ENV_NAMESPACE}" '
    "|| [ $? -eq 1 ]"
)


def buildspec() -> dict[str, Any]:
    return {
        "version": 0.2,
        "env": {"shell": "bash"},
        "phases": {
            "install": {
                "runtime-versions": {"python": PYTHON_VERSION},
                "commands": [
                    f"python{PYTHON_VERSION} -m venv {VENV}",
                    # Only the pinned versions the bundle was tested with; the wheel itself by hash.
                    f'{VENV}/bin/pip install --no-cache-dir --constraint constraints.txt "$(cat wheel.txt)"',
                    f"{VENV}/bin/supportops --version",
                ],
            },
            "build": {"commands": [RUN_COMMAND]},
        },
    }


def buildspec_yaml() -> str:
    return yaml.safe_dump(buildspec(), sort_keys=False, width=10_000)
