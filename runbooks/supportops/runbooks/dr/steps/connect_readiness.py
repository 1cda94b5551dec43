"""Amazon Connect Global Resiliency readiness, and failover only when explicitly allowed.

Readiness: the instance is ACTIVE, its replica in the replica region reports
INSTANCE_REPLICATION_COMPLETE, and the traffic distribution group is ACTIVE.

Failover (``failover: true`` in the runbook AND ``dr drill --allow-failover``): records the current
telephony distribution, registers its restoration, shifts 100 % to the replica region and polls until
the distribution reads back that way (bounded). RTO = update request -> distribution confirmed. The
original distribution is restored in cleanup, whatever happens.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from supportops.findings import Evidence, Status
from supportops.polling import WaitTimedOut, poll_until
from supportops.runbooks.dr.leftovers import ResourceKind, SweepScope
from supportops.runbooks.dr.naming import TAG_CREATED, TAG_DRILL, TAG_TELEPHONY, drill_tags
from supportops.runbooks.dr.schema import PollSeconds, Region, Seconds, StepSpec
from supportops.runbooks.dr.steps.base import RTO, Check, StepContext, StepFailed, StepResult, StepType

MAX_PAGES = 20
READINESS = Check("readiness", "Failover capacity ready")
FAILOVER = Check("failover", "Failover performed and reverted")


class ConnectReadinessStep(StepSpec):
    type: Literal["connect-readiness"]
    instance_id: Annotated[str, Field(min_length=1, max_length=250)]
    traffic_distribution_group: Annotated[str, Field(min_length=1, max_length=250)]
    # Default: the stack's resilience.replicaRegion.
    replica_region: Region | None = None
    # Shift telephony to the replica region and back; runs only with `dr drill --allow-failover`.
    failover: bool = False
    timeout_seconds: Seconds = 900.0
    poll_seconds: PollSeconds = 10.0


class FailedOverGroups(ResourceKind):
    """A traffic distribution group a killed failover drill left on the replica: the original
    distribution, recorded in a tag before the failover, is put back (and the marker tags removed)."""

    api_calls = ("connect:UntagResource", "connect:UpdateTrafficDistribution")
    sweep_first = True
    needs_drill_name = False

    def claims(self, arn: str, tags: dict[str, str]) -> bool:
        return ":connect:" in arn and "traffic-distribution-group/" in arn and TAG_TELEPHONY in tags

    def label(self, name: str, arn: str | None, tags: dict[str, str]) -> str:
        return f"telephony distribution of {arn} back to {tags[TAG_TELEPHONY]}"

    def remove(self, scope: SweepScope, name: str, arn: str | None, tags: dict[str, str]) -> None:
        connect = scope.clients("connect", scope.region)
        connect.update_traffic_distribution(
            Id=arn, TelephonyConfig={"Distributions": decode(tags[TAG_TELEPHONY])}
        )
        connect.untag_resource(resourceArn=arn, tagKeys=[TAG_DRILL, TAG_CREATED, TAG_TELEPHONY])


FAILED_OVER_GROUPS = FailedOverGroups()


class ConnectReadiness(StepType[ConnectReadinessStep]):
    """moto serves no Connect Global Resiliency: tested with botocore's Stubber."""

    schema = ConnectReadinessStep
    services = ("connect",)
    api_calls = (
        "connect:DescribeInstance",
        "connect:DescribeTrafficDistributionGroup",
        "connect:GetTrafficDistribution",
        "connect:ListTrafficDistributionGroups",
        "connect:TagResource",
        "connect:UntagResource",
        "connect:UpdateTrafficDistribution",
    )
    checks = (READINESS, RTO, FAILOVER)
    creates = (FAILED_OVER_GROUPS,)

    def expected_checks(self, step: ConnectReadinessStep, allow_failover: bool) -> tuple[str, ...]:
        return ("readiness", "rto", "failover") if step.failover and allow_failover else ("readiness",)

    def source_writes(self, step: ConnectReadinessStep) -> str:
        if step.failover:
            return "telephony distribution (only with --allow-failover; restored afterwards)"
        return "none"

    def plan_note(self, step: ConnectReadinessStep, allow_failover: bool) -> str | None:
        if step.failover and not allow_failover:
            return "failover requested by the runbook; not performed without --allow-failover"
        return None

    def run(self, step: ConnectReadinessStep, ctx: StepContext, result: StepResult) -> None:
        _run(step, ctx, result)


def _run(step: ConnectReadinessStep, ctx: StepContext, result: StepResult) -> None:
    connect = ctx.client("connect")
    replica_region = step.replica_region or ctx.targets.replica_region
    if replica_region is None:
        raise StepFailed(
            "no replica region: set replicaRegion on the step or resilience.replicaRegion in the stack"
        )

    described = connect.describe_instance(InstanceId=step.instance_id)
    instance = described["Instance"]
    replication = described.get("ReplicationConfiguration", {})
    replica_status = next(
        (s for s in replication.get("ReplicationStatusSummaryList", []) if s.get("Region") == replica_region),
        None,
    )
    group_id = _group_id(connect, step)
    group = connect.describe_traffic_distribution_group(TrafficDistributionGroupId=group_id)[
        "TrafficDistributionGroup"
    ]
    ctx.event(
        "readiness read",
        instanceStatus=instance.get("InstanceStatus"),
        replicaStatus=(replica_status or {}).get("ReplicationStatus"),
        groupStatus=group.get("Status"),
    )

    problems = []
    if instance.get("InstanceStatus") != "ACTIVE":
        problems.append(f"instance is {instance.get('InstanceStatus')}")
    if replica_status is None:
        problems.append(f"no replica in {replica_region}")
    elif replica_status.get("ReplicationStatus") != "INSTANCE_REPLICATION_COMPLETE":
        reason = replica_status.get("ReplicationStatusReason")
        problems.append(
            f"replica in {replica_region} is {replica_status.get('ReplicationStatus')}"
            + (f" ({reason})" if reason else "")
        )
    if group.get("Status") != "ACTIVE":
        problems.append(f"traffic distribution group {group.get('Name')} is {group.get('Status')}")
    evidence = [
        Evidence("instance.status", instance.get("InstanceStatus"), "ACTIVE"),
        Evidence(
            f"replica.{replica_region}.status",
            (replica_status or {}).get("ReplicationStatus"),
            "INSTANCE_REPLICATION_COMPLETE",
        ),
        Evidence("trafficDistributionGroup.status", group.get("Status"), "ACTIVE"),
        Evidence("trafficDistributionGroup.arn", group.get("Arn")),
    ]
    if problems:
        result.add("readiness", Status.FAIL, "; ".join(problems), evidence)
    else:
        result.add(
            "readiness",
            Status.PASS,
            f"instance, replica in {replica_region} and traffic distribution group are active",
            evidence,
        )

    if not step.failover:
        return
    if not ctx.allow_failover:
        ctx.event("failover skipped: needs --allow-failover")
        result.add(
            "failover",
            Status.NOT_APPLICABLE,
            "failover not performed: the runbook asks for it, run with --allow-failover to do it",
        )
        return
    if problems:
        raise StepFailed("failover not attempted: the replica is not ready", Status.FAIL)
    _failover(step, ctx, result, connect, group_id, str(group["Arn"]), ctx.targets.region, replica_region)


def _failover(
    step: ConnectReadinessStep,
    ctx: StepContext,
    result: StepResult,
    connect: Any,
    group_id: str,
    group_arn: str,
    primary: str,
    replica: str,
) -> None:
    original = connect.get_traffic_distribution(Id=group_id).get("TelephonyConfig", {})
    distributions = original.get("Distributions", [])
    ctx.event("telephony distribution recorded", distributions=distributions)

    def restore(_deadline: Any) -> None:
        connect.update_traffic_distribution(Id=group_id, TelephonyConfig={"Distributions": distributions})
        connect.untag_resource(resourceArn=group_arn, tagKeys=[TAG_DRILL, TAG_CREATED, TAG_TELEPHONY])

    # The original distribution goes on the group as a tag first: if the drill is killed, `dr cleanup`
    # finds the group by its drill tag and puts the distribution back.
    ctx.on_cleanup(group_id, "restore the original telephony distribution of", restore)
    tags = drill_tags(ctx.drill_id, step.name, group_arn)
    connect.tag_resource(
        resourceArn=group_arn,
        tags={TAG_DRILL: ctx.drill_id, TAG_CREATED: tags[TAG_CREATED], TAG_TELEPHONY: encode(distributions)},
    )
    shifted = [{"Region": replica, "Percentage": 100}, {"Region": primary, "Percentage": 0}]
    requested = ctx.event("failover requested", distributions=shifted)
    connect.update_traffic_distribution(Id=group_id, TelephonyConfig={"Distributions": shifted})

    def replica_share() -> int:
        config = connect.get_traffic_distribution(Id=group_id).get("TelephonyConfig", {})
        return next(
            (int(d["Percentage"]) for d in config.get("Distributions", []) if d["Region"] == replica), 0
        )

    try:
        poll_until(
            "telephony distribution on the replica",
            replica_share,
            lambda share: share == 100,
            ctx.deadline,
            step.poll_seconds,
        )
    except WaitTimedOut:
        result.timed_out(
            "rto",
            requested.seconds_until(ctx.event("failover not confirmed")),
            ctx.targets.rto_seconds,
            "failover",
        )
        result.add("failover", Status.FAIL, "telephony distribution did not move to the replica region")
        return
    confirmed = ctx.event("failover confirmed")
    result.measured(
        "rto",
        requested.seconds_until(confirmed),
        ctx.targets.rto_seconds,
        "traffic distribution update -> read back on the replica (monotonic clock)",
    )
    result.add(
        "failover",
        Status.PASS,
        f"telephony moved to {replica}; the original distribution is restored in cleanup",
        [Evidence("telephony.original", distributions)],
    )


def encode(distributions: list[dict[str, Any]]) -> str:
    """``us-east-1=100,us-west-2=0``: a telephony distribution as a tag value (<= 256 characters)."""
    return ",".join(f"{d['Region']}={int(d['Percentage'])}" for d in distributions)


def decode(text: str) -> list[dict[str, Any]]:
    pairs = [part.split("=", 1) for part in text.split(",") if part]
    return [{"Region": region, "Percentage": int(percent)} for region, percent in pairs]


def _group_id(connect: Any, step: ConnectReadinessStep) -> str:
    wanted = step.traffic_distribution_group
    if wanted.startswith("arn:") or _looks_like_id(wanted):
        return wanted
    kwargs: dict[str, Any] = {"InstanceId": step.instance_id}
    for _ in range(MAX_PAGES):
        page = connect.list_traffic_distribution_groups(**kwargs)
        for summary in page.get("TrafficDistributionGroupSummaryList", []):
            if summary.get("Name") == wanted:
                return str(summary["Id"])
        if not page.get("NextToken"):
            break
        kwargs["NextToken"] = page["NextToken"]
    raise StepFailed(
        f"no traffic distribution group named {wanted} for instance {step.instance_id}", Status.FAIL
    )


def _looks_like_id(value: str) -> bool:
    parts = value.split("-")
    return len(parts) == 5 and all(all(c in "0123456789abcdef" for c in p) for p in parts)
