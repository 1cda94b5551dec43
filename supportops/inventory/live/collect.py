"""The entry point: read every target's regions with every collector."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

from botocore.exceptions import BotoCoreError, ClientError

from supportops.inventory.live import registry
from supportops.inventory.live.collector import GLOBAL_REGION, CollectorModule, Out
from supportops.inventory.live.model import LIVE_PROJECT, CollectionFault, LiveCollection, LiveTarget
from supportops.inventory.live.not_collectable import NOT_COLLECTABLE
from supportops.inventory.live.reader import CallFailed, Reader, Scope, fault_from, retry_config
from supportops.inventory.model import STACK_TYPE, Inventory, Resource, Source, SourceKind

# Injected clients (tests: a Stubber-backed client) by (service, region).
ClientOverrides = Mapping[tuple[str, str], Any]


def collect_live(
    targets: Sequence[LiveTarget],
    *,
    services: Sequence[str] | None = None,
    on_progress: Callable[[str], None] | None = None,
    overrides: ClientOverrides | None = None,
    scopes: list[Scope] | None = None,
    page_size: int | None = None,
    max_attempts: int | None = None,
    account_stack: bool = False,
    workers: int = 8,
) -> LiveCollection:
    """Read every target with the collectors of ``services`` (boto3 service names; default all).

    ``scopes`` (optional) receives each account/region scope read, with its per-call counts;
    ``overrides`` hands in clients by (service, region) and ``page_size`` sets the paginators' page size
    and ``max_attempts`` botocore's attempts per call (all for tests); ``workers`` collectors run at
    once.

    ``account_stack`` adds a stand-in ``pulumi:pulumi:Stack`` resource, the subject of the
    account-level rules (security baseline in every region, region allow-list). Ask for it only when
    the collection read every service and region those rules look at: they judge what is absent, so
    a service or region not read would be a FAIL built on nothing."""
    retry_config(max_attempts)  # a bad AWS_MAX_ATTEMPTS / AWS_RETRY_MODE: one line before any call
    modules = registry.select(services)
    progress = on_progress or (lambda _message: None)
    resources: list[Resource] = []
    faults: list[CollectionFault] = []
    uncollected: dict[str, str] = {}
    accounts: list[str] = []
    jobs: list[tuple[Scope, CollectorModule]] = []
    for target in targets:
        base = _identity(target, faults)
        if base is None:
            for module in modules:
                for type_token in module.TYPES:
                    uncollected.setdefault(type_token, "the account's identity could not be read")
            continue
        accounts.append(base.account_id)
        for index, region in enumerate(target.regions):
            scope = Scope(
                target.account_session,
                base.account_id,
                region,
                base.principal,
                target.endpoint_url,
                base.partition,
                regions=target.regions,
                page_size=page_size,
                max_attempts=max_attempts,
            )
            if scopes is not None:
                scopes.append(scope)
            for module in modules:
                if module.GLOBAL and index > 0:
                    continue
                for (service, client_region), client in (overrides or {}).items():
                    if service == module.SERVICE and (service, client_region) not in scope.clients:
                        Reader(scope, service, _operations(module), region=client_region).guard(client)
                        scope.clients[(service, client_region)] = client
                jobs.append((scope, module))
    # Services and regions are read side by side (the calls wait on the network, not the CPU); results
    # are taken in job order, so the inventory's order does not depend on timing.
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for (scope, module), (out, failed) in zip(jobs, pool.map(_run, jobs), strict=True):
            where = GLOBAL_REGION if module.GLOBAL else scope.region
            progress(f"{scope.account_id} {where}: {module.SERVICE}")
            if failed is not None:
                faults.append(failed.fault)
                for type_token in module.TYPES:
                    uncollected.setdefault(
                        type_token,
                        f"{failed.fault.service}:{failed.fault.api_call} failed in "
                        f"{failed.fault.region} ({failed.fault.error_code})",
                    )
            resources.extend(out.resources)
            faults.extend(out.faults)
    for type_token, why in NOT_COLLECTABLE.items():
        uncollected.setdefault(type_token, why)
    stack = ",".join(accounts) or "live"
    if account_stack and accounts:
        resources.append(stack_resource(stack))
    else:
        uncollected.setdefault(STACK_TYPE, NO_STACK)
    inventory = Inventory(
        project=LIVE_PROJECT,
        stack=stack,
        source=Source(SourceKind.LIVE, ",".join(accounts)),
        resources=resources,
    )
    return LiveCollection(inventory=inventory, faults=tuple(faults), uncollected_types=uncollected)


# Types a collection can hold without reading them from AWS, and why.
SYNTHETIC_TYPES: Final = {
    STACK_TYPE: (
        "with account_stack=True, one per collection standing for the accounts read: the subject of the "
        "account-level rules (security baseline in every region, region allow-list), as the stack is for "
        "a plan"
    ),
}
NO_STACK: Final = (
    "no stand-in stack resource was asked for: the account-level rules (security baseline in every "
    "region, region allow-list) were not judged"
)


def stack_resource(accounts: str) -> Resource:
    """The collection's stand-in for Pulumi's stack resource (not an AWS resource: custom=False)."""
    return Resource(
        urn=f"urn:pulumi:{accounts}::{LIVE_PROJECT}::{STACK_TYPE}::{LIVE_PROJECT}",
        type=STACK_TYPE,
        name=LIVE_PROJECT,
        custom=False,
    )


def _run(job: tuple[Scope, CollectorModule]) -> tuple[Out, CallFailed | None]:
    """One collector over one account and region (in a worker thread)."""
    scope, module = job
    out = Out(scope)
    try:
        module.collect(Reader(scope, module.SERVICE, _operations(module)), out)
    except CallFailed as failed:
        return out, failed
    return out, None


def _operations(module: CollectorModule) -> frozenset[str]:
    return frozenset(op for service, op in module.CALLS if service == module.SERVICE)


class _Identity:
    def __init__(self, account_id: str, principal: str | None, partition: str) -> None:
        self.account_id = account_id
        self.principal = principal
        self.partition = partition


IDENTITY_CALLS = (("sts", "GetCallerIdentity"),)


def _identity(target: LiveTarget, faults: list[CollectionFault]) -> _Identity | None:
    """Who is reading (the principal every fault names) and in which account."""
    region = target.regions[0] if target.regions else "us-east-1"
    sts = target.account_session.client(
        "sts", region_name=region, endpoint_url=target.endpoint_url, config=retry_config()
    )
    try:
        caller = sts.get_caller_identity()
    except (ClientError, BotoCoreError) as exc:
        scope = Scope(target.account_session, target.account_id or "", region, None)
        faults.append(fault_from(exc, "sts", "GetCallerIdentity", scope))
        if target.account_id is None:
            return None
        return _Identity(target.account_id, None, "aws")
    arn = str(caller.get("Arn", ""))
    partition = arn.split(":")[1] if arn.count(":") >= 2 else "aws"
    account = str(caller.get("Account", ""))
    if target.account_id is not None and account != target.account_id:
        faults.append(
            CollectionFault(
                "sts",
                "GetCallerIdentity",
                region,
                arn,
                "WrongAccount",
                f"the credentials are for account {account}, not {target.account_id}",
            )
        )
        return None
    return _Identity(account, arn or None, partition)
