"""One data-subject request: search every store, then (with ``execute``) erase in a journalled,
resumable way and search again to verify. Stores found through contact ids are erased before the
stores that hold the contact ids, so a run killed halfway still finds every contact on the next run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from supportops.errors import BadInput
from supportops.runbooks.privacy.actions import batches, erase
from supportops.runbooks.privacy.clients import AwsFailure, Clients
from supportops.runbooks.privacy.journal import Journal
from supportops.runbooks.privacy.schema import EraseMode, Hold, Holds, IdKind, Service
from supportops.runbooks.privacy.search import Hit, SearchContext, search
from supportops.runbooks.privacy.subject import Hasher, Identifier, parse_identifier
from supportops.runbooks.privacy.targets import Target


class State:
    NOTHING_HELD = "nothing held"
    FOUND = "found"
    ERASED = "erased"
    LEFT = "left after erasure"
    HELD = "legal hold"
    KEPT = "kept for a hold"
    NOT_DEPLOYED = "not deployed"
    EXPIRES = "expires"
    ERROR = "error"


@dataclass
class StoreOutcome:
    target: Target
    state: str
    found: int = 0
    erased: int = 0
    left: int = 0
    calls: int = 0
    message: str = ""
    hits: list[Hit] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.target.store.name


@dataclass
class RequestResult:
    request_id: str
    subject_hashes: list[str]
    executed: bool
    stores: list[StoreOutcome]
    held_subject: Hold | None = None
    resumed_runs: int = 0
    journal: Path | None = None
    erased_on: dt.date = field(default_factory=lambda: dt.datetime.now(dt.UTC).date())

    @property
    def nothing_held(self) -> bool:
        return all(
            s.state in (State.NOTHING_HELD, State.NOT_DEPLOYED, State.EXPIRES) for s in self.stores
        ) and not any(s.erased for s in self.stores)

    @property
    def failed(self) -> bool:
        return any(s.state in (State.ERROR, State.LEFT) for s in self.stores)


def request_id_for(identifiers: Sequence[Identifier], hasher: Hasher) -> str:
    return "dsr-" + hasher("|".join(i.spelled() for i in sorted(set(identifiers))))[:16]


def check_holds(
    holds: Holds, identifiers: Sequence[Identifier], targets: Sequence[Target], today: dt.date
) -> tuple[Hold | None, dict[str, Hold]]:
    """The hold on the subject (if any) and the holds on stores, by store name; expired holds lapse."""
    names = {t.store.name for t in targets}
    subject_hold: Hold | None = None
    store_holds: dict[str, Hold] = {}
    for index, hold in enumerate(holds.holds):
        if hold.until is not None and hold.until < today:
            continue
        if hold.store is not None:
            if hold.store not in names:
                raise BadInput.at("holds", f"holds[{index}].store", "names no store of the data map")
            store_holds[hold.store] = hold
        elif (
            hold.subject is not None
            and parse_identifier(hold.subject, f"holds[{index}].subject") in identifiers
        ):
            subject_hold = hold
    return subject_hold, store_holds


@dataclass
class ContactBook:
    """The subject's contacts as the stores reveal them, with each contact's days where known."""

    days: dict[str, set[dt.date]] = field(default_factory=dict)

    def learn(self, hits: Sequence[Hit]) -> None:
        for hit in hits:
            for contact in hit.contact_ids:
                self.days.setdefault(contact, set())
            for contact, day in hit.contact_days:
                self.days.setdefault(contact, set()).add(day)

    def identifiers(self) -> list[Identifier]:
        return [Identifier(IdKind.CONTACT, c) for c in sorted(self.days)]

    def context(self, rewritten_objects: Sequence[str] = ()) -> SearchContext:
        return SearchContext(
            {c: frozenset(days) for c, days in self.days.items()}, tuple(sorted(set(rewritten_objects)))
        )


def _search_rank(target: Target) -> int:
    """Stores that reveal the subject's other identifiers first; then the other stores found by the
    subject's identifiers; then stores found by contact id that reveal more contacts (the lake,
    queried by phone and contact id at once); then the other contact stores."""
    if not any(w.by is IdKind.CONTACT for w in target.store.locate):
        return 0 if target.store.identifier_attributes else 1
    return 2 if target.store.yields_contacts else 3


def _search_all(
    targets: Sequence[Target],
    known: set[Identifier],
    clients: Clients,
    contacts: ContactBook,
    rewritten_objects: Sequence[str] = (),
) -> dict[str, StoreOutcome]:
    """Search every store once, in an order where each learns from the ones before: ``known`` grows
    with the subject's other identifiers found on its own records (the context item found by email
    holds the phone number), ``contacts`` with its contacts."""
    outcomes: dict[str, StoreOutcome] = {}
    for target in sorted(targets, key=_search_rank):
        wanted = [*sorted(known), *contacts.identifiers()]
        outcome = _search_one(target, wanted, clients, contacts.context(rewritten_objects))
        outcomes[target.store.name] = outcome
        contacts.learn(outcome.hits)
        known.update(identity for hit in outcome.hits for identity in hit.identities)
    return {target.store.name: outcomes[target.store.name] for target in targets}


def _search_one(
    target: Target, wanted: Sequence[Identifier], clients: Clients, context: SearchContext
) -> StoreOutcome:
    if target.resource is None:
        return StoreOutcome(
            target, State.NOT_DEPLOYED, message=f"stack output {target.store.output} not given"
        )
    if target.store.erase is EraseMode.EXPIRE:
        return StoreOutcome(target, State.EXPIRES)
    try:
        found = search(target, wanted, clients, context)
    except AwsFailure as exc:
        return StoreOutcome(target, State.ERROR, message=f"search failed: {exc}")
    message = ""
    if found.undated_contacts:
        message = (
            f"{len(found.undated_contacts)} of the subject's contacts have no known day (the lake or "
            "Customer Profiles history gives it): every day of the store was listed for them"
        )
    state = State.FOUND if found.hits else State.NOTHING_HELD
    return StoreOutcome(
        target, state, found=len(found.hits), calls=found.calls, hits=found.hits, message=message
    )


def run_request(
    targets: Sequence[Target],
    identifiers: Sequence[Identifier],
    holds: Holds,
    clients: Clients,
    hasher: Hasher,
    request_dir: Path | None,
    request_id: str,
) -> RequestResult:
    """Search, and erase when ``request_dir`` (where the journal lives) is given."""
    today = dt.datetime.now(dt.UTC).date()
    check_holds(holds, identifiers, targets, today)  # a bad holds file stops before any AWS call
    journal = Journal.open(request_dir / "journal.jsonl") if request_dir is not None else None
    rewritten = journal.rewritten_objects() if journal is not None else []
    contacts = ContactBook()
    known = set(identifiers)
    outcomes = _search_all(targets, known, clients, contacts, rewritten)
    # A hold on the subject names any of its identifiers: the ones the stores revealed count too.
    subject_hold, store_holds = check_holds(holds, sorted(known), targets, today)
    result = RequestResult(
        request_id,
        sorted(hasher.of(i) for i in identifiers),  # the operator's: the request is about them
        request_dir is not None,
        list(outcomes.values()),
        subject_hold,
    )
    for outcome in result.stores:
        hold = subject_hold or store_holds.get(outcome.name)
        if hold is not None and outcome.state in (State.FOUND, State.NOTHING_HELD, State.EXPIRES):
            outcome.state = State.HELD
            outcome.message = (
                f"{'subject' if subject_hold else 'store'} under legal hold: {hold.reason} "
                f"(owner {hold.owner}{f', until {hold.until}' if hold.until else ''})"
            )
    if journal is None:
        return result
    result.resumed_runs = journal.runs()
    result.journal = journal.path
    journal.write(
        "run-started", requestId=request_id, subjects=result.subject_hashes, resumedAfter=result.resumed_runs
    )
    done = journal.done_refs()
    # The reverse of the search order: the stores that lead to others (contact ids, the subject's
    # other identifiers) are erased last, so a run killed halfway still finds everything next time.
    order = sorted(result.stores, key=lambda s: -_search_rank(s.target))
    for outcome in order:
        if outcome.state != State.FOUND:
            continue
        if any(hit.contact_ids for hit in outcome.hits) and _keep_contact_ids(outcome, result.stores):
            continue
        _erase_store(outcome, clients, hasher, journal, done)
    _verify(result, sorted(known), contacts, clients, journal.rewritten_objects())
    journal.write(
        "run-finished",
        requestId=request_id,
        stores={s.name: {"state": s.state, "erased": s.erased, "left": s.left} for s in result.stores},
    )
    return result


def _keep_contact_ids(outcome: StoreOutcome, stores: Sequence[StoreOutcome]) -> bool:
    """A store that holds contact ids is kept while data found through them is not erased (a failed
    or held store): erasing it would lose the only way to find that data again."""
    pending = [
        s
        for s in stores
        if any(w.by is IdKind.CONTACT for w in s.target.store.locate)
        and (s.state == State.ERROR or (s.state == State.HELD and s.found))
    ]
    if not pending:
        return False
    names = ", ".join(s.name for s in pending)
    if any(s.state == State.ERROR for s in pending):
        outcome.state = State.ERROR
        outcome.message = f"not erased: its contact ids are needed to finish {names}; re-run"
    else:
        outcome.state = State.KEPT
        outcome.message = f"kept: its contact ids lead to data under legal hold in {names}"
    return True


def _erase_store(
    outcome: StoreOutcome, clients: Clients, hasher: Hasher, journal: Journal, done: set[str]
) -> None:
    target = outcome.target
    after = "redacted" if target.store.erase is EraseMode.REDACT else "absent"
    for batch in batches(target, outcome.hits):
        refs = [hasher(hit.ref) for hit in batch]
        lake_objects = (
            {"objects": [h.bucket_object[1] for h in batch if h.bucket_object]}
            if target.store.service is Service.LAKE
            else {}
        )
        journal.write(
            "intent",
            store=outcome.name,
            action=target.store.erase.value,
            items=[
                {"ref": r, "before": hasher(h.checksum), "alreadyDone": r in done}
                for r, h in zip(refs, batch, strict=True)
            ],
            **lake_objects,
        )
        try:
            outcome.calls += erase(target, batch, clients)
        except AwsFailure as exc:
            outcome.state, outcome.message = State.ERROR, f"erasure failed: {exc}"
            journal.write("failed", store=outcome.name, refs=refs, error=str(exc))
            return
        journal.write("done", store=outcome.name, refs=refs, after=after)
        outcome.erased += len(batch)
    outcome.state = State.ERASED


def _verify(
    result: RequestResult,
    identifiers: Sequence[Identifier],
    contacts: ContactBook,
    clients: Clients,
    rewritten_objects: Sequence[str],
) -> None:
    """Search again every store that was searched; anything erasable still there is a failure. Lake
    objects this request rewrote are also read back directly (not only through the query engine)."""
    wanted = [*identifiers, *contacts.identifiers()]
    context = contacts.context(rewritten_objects)
    for outcome in result.stores:
        if outcome.state not in (State.ERASED, State.NOTHING_HELD):
            continue
        again = _search_one(outcome.target, wanted, clients, context)
        outcome.calls += again.calls
        if again.state == State.ERROR:
            outcome.state, outcome.message = State.ERROR, f"verification {again.message}"
        elif again.hits:
            outcome.state, outcome.left = State.LEFT, len(again.hits)
            outcome.message = f"verification found {len(again.hits)} erasable items left"
        else:
            outcome.message = "verified absent"
