"""SQS queues send poison messages to a dead-letter queue."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource, is_known
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="sqs_queue_dead_letter_queue",
    title="SQS queues have a dead-letter queue",
    severity=Severity.MEDIUM,
    category=Category.RESILIENCE,
    rationale=(
        "A ticket event the CRM rejects would be retried until it expires and is lost; a redrive "
        "policy moves it to a dead-letter queue where it can be inspected and replayed. Queues "
        "that are themselves dead-letter queues are exempt."
    ),
    remediation=(
        "aws.sqs.Queue('events', kms_master_key_id=key.arn, redrive_policy=dlq.arn.apply(\n"
        "    lambda arn: json.dumps({'deadLetterTargetArn': arn, 'maxReceiveCount': 5})))"
    ),
    resource_types=("aws:sqs/queue:Queue",),
    needs_stack=True,
)


def _target(queue: Resource) -> object:
    policy = rel.parse_json(queue.prop("redrivePolicy", None))
    return policy.get("deadLetterTargetArn") if isinstance(policy, Mapping) else policy


# Where other resources name a queue as their dead-letter destination (JSON documents are parsed).
DEAD_LETTER_REFERENCES = (
    ("aws:sqs/queue:Queue", "redrivePolicy"),
    ("aws:sns/topicSubscription:TopicSubscription", "redrivePolicy"),
    ("aws:customerprofiles/domain:Domain", "deadLetterQueueUrl"),
    ("aws:lambda/function:Function", "deadLetterConfig.targetArn"),
    ("aws:cloudwatch/eventTarget:EventTarget", "deadLetterConfig.arn"),
    ("aws:lambda/eventSourceMapping:EventSourceMapping", "destinationConfig.onFailure.destinationArn"),
    ("aws:pipes/pipe:Pipe", "sourceParameters.sqsQueueParameters.deadLetterConfig.arn"),
)


def dead_letter_targets(context: EvaluationContext) -> set[str]:
    """ARNs/URLs of queues other resources use as dead-letter queues; with a reference unknown
    until apply (preview), the URNs of the queues the referencing resource depends on."""
    targets: set[str] = set()
    for type_token, path in DEAD_LETTER_REFERENCES:
        for resource in context.inventory.of_type(type_token):
            value = resource.prop(path, None)
            if rel.is_unknown(value):
                targets.update(resource.dependencies)
                continue
            if path == "redrivePolicy":  # a JSON document naming the target
                try:
                    value = rel.parse_json(value)
                except ValueError:
                    continue
                value = value.get("deadLetterTargetArn") if isinstance(value, Mapping) else None
            if isinstance(value, str) and is_known(value):
                targets.add(value)
    return targets


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    dead_letter_queues = dead_letter_targets(context)

    def check(queue: Resource) -> rel.Verdict:
        refs = {queue.prop("arn", None), queue.prop("url", None), queue.id, queue.urn}
        if refs & dead_letter_queues:
            return rel.not_applicable("this queue is a dead-letter queue")
        target = _target(queue)
        if rel.is_unknown(target):
            return rel.unknown("redrivePolicy")
        evidence = rel.ev("redrivePolicy.deadLetterTargetArn", target, "a dead-letter queue ARN")
        if isinstance(target, str) and target:
            return rel.passed(f"failed messages go to {target}", evidence)
        return rel.failed("no dead-letter queue", evidence)

    return rel.each(context, META, check)
