"""Step Functions state machines log their executions to CloudWatch Logs."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="sfn_state_machine_logging",
    title="Step Functions state machines log executions",
    severity=Severity.MEDIUM,
    category=Category.AUDIT_LOGGING,
    rationale=(
        "Without execution logs a failed or tampered workflow leaves no record of its inputs, states "
        "and errors beyond the 90-day execution history (PCI DSS 10.2)."
    ),
    remediation=(
        "aws.sfn.StateMachine('flow', ..., logging_configuration={'level': 'ERROR',\n"
        "    'include_execution_data': False, 'log_destination': log_group.arn.apply(lambda a: f'{a}:*')})"
    ),
    resource_types=("aws:sfn/stateMachine:StateMachine",),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(machine: Resource) -> rel.Verdict:
        level = machine.prop("loggingConfiguration.level", None)
        destination = machine.prop("loggingConfiguration.logDestination", None)
        for path, value in (("level", level), ("logDestination", destination)):
            if rel.is_unknown(value):
                return rel.unknown(f"loggingConfiguration.{path}")
        evidence = rel.ev("loggingConfiguration.level", level, "ALL, ERROR or FATAL")
        if level in (None, "", "OFF"):
            return rel.failed("execution logging is off", evidence)
        if not destination:
            return rel.failed(f"logging level {level} has no log destination", evidence)
        return rel.passed(f"executions are logged at level {level}", evidence)

    return rel.each(context, META, check)
