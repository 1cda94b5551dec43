"""Parity: the demo foundation phase, materialised into moto and read back by the live collectors,
gets the same verdict from every rule on every materialised resource as its offline plan, except for
the few named below (each a limit of moto, not of the collectors)."""

from __future__ import annotations

import pytest
from conftest import LiveFoundation
from live_parity import differences

from supportops.findings import Status
from supportops.inventory.model import Inventory

# (rule, planned resource name) -> why the live verdict cannot equal the planned one against moto.
EXCEPTIONS = {
    ("apigateway_default_endpoint_disabled", "demo-crm-webhook"): (
        "the API's custom domain needs an issued ACM certificate, which moto cannot issue"
    ),
    ("endpoint_https_only", "demo-crm-webhook-jwt"): "moto does not implement GetAuthorizers",
    ("resource_region_allowed", "demo-crm-webhook-jwt"): "moto does not implement GetAuthorizers",
    ("secretsmanager_secret_rotation", "demo-crm-crm-credential"): (
        "moto rotates a secret only by invoking its Lambda, which needs Docker: not materialised"
    ),
    ("sqs_queue_dead_letter_queue", "demo-crm-profiles-dlq"): (
        "the queue is the dead-letter queue of a Customer Profiles domain, which moto cannot hold"
    ),
}


def test_live_verdicts_equal_planned_verdicts(
    live_foundation: LiveFoundation, foundation_plan: Inventory
) -> None:
    found = differences(
        foundation_plan, live_foundation.collection.inventory, live_foundation.materialised.physical_ids
    )
    named = {(d.rule, d.planned_urn.rsplit("::", 1)[-1]) for d in found}
    assert named == set(EXCEPTIONS), [
        (d.rule, d.planned_urn.rsplit("::", 1)[-1], d.planned.value, d.live and d.live.value, d.live_message)
        for d in found
        if (d.rule, d.planned_urn.rsplit("::", 1)[-1]) not in EXCEPTIONS
    ]


@pytest.mark.parametrize("phase", ["automation", "analytics"])
def test_later_phases_have_the_same_verdicts_live(live_foundation: LiveFoundation, phase: str) -> None:
    planned, materialised = live_foundation.later[phase]
    assert len(materialised.physical_ids) > 30
    found = differences(planned, live_foundation.collection.inventory, materialised.physical_ids)
    assert [(d.rule, d.planned_urn.rsplit("::", 1)[-1], d.live_message) for d in found] == []


def test_two_phases_planning_one_bucket_share_it(live_foundation: LiveFoundation) -> None:
    # automation plans the foundation's us-west-2 access-log bucket again (same physical name): the
    # materialiser reuses it, as a second `pulumi up` could not create it.
    assert live_foundation.later["automation"][1].shared == ["demo-access-logs-us-west-2-beff179"]


def test_parity_covers_most_of_the_phase(live_foundation: LiveFoundation, foundation_plan: Inventory) -> None:
    # The comparison is meaningful: most AWS resources of the plan were materialised and judged.
    aws = [r for r in foundation_plan if r.type.startswith("aws:")]
    assert len(live_foundation.materialised.physical_ids) >= 0.6 * len(aws)
    assert live_foundation.collection.inventory.source.kind.value == "live"


def test_only_fault_is_the_api_moto_lacks(live_foundation: LiveFoundation) -> None:
    faults = {(f.service, f.api_call) for f in live_foundation.collection.faults}
    assert faults == {("apigatewayv2", "GetAuthorizers")}
    fault = live_foundation.collection.faults[0]
    assert fault.principal and fault.principal.startswith("arn:aws:sts::")


def test_no_fault_becomes_a_verdict(live_foundation: LiveFoundation, foundation_plan: Inventory) -> None:
    from live_parity import verdicts

    _planned, live = verdicts(foundation_plan, live_foundation.collection.inventory)
    # the authorizers moto cannot list are absent, never judged PASS or FAIL
    assert not any(
        "authorizer" in subject and status in (Status.PASS, Status.FAIL)
        for (_rule, subject), (status, _m) in live.items()
    )
