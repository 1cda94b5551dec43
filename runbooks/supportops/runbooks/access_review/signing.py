"""Sign-off: check every decision, then seal what ``apply`` will act on in ``<campaign>.signature.json``:
the campaign file's bytes, campaign-meta.json's bytes (accounts, role ARNs, runbook path and hash), the
review bundle's manifest hash, the decisions, the reviewer and the time, plus a hash over all of those.
Apply verifies every field and refuses any mismatch.

Without ``--sign-key`` it is a tamper-evident seal and the reviewer is an *unverified name*: keep the
signed bundle where only reviewers can write. With ``--sign-key`` (AWS KMS or Ed25519, as for evidence
manifests: :mod:`supportops.reports.signing`) the statement's exact bytes are signed and the reviewer's
identity is the STS caller (KMS) or the key's fingerprint (Ed25519); apply checks the signature too.
Statements of schema v2 (sealed only) are still read."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from supportops.atomic import write_text_atomic
from supportops.errors import BadInput, InputProblem
from supportops.loading import display_path, load_model
from supportops.models import CamelInputModel, StrictFlag
from supportops.reports.evidence import MANIFEST_NAME, sha256_file
from supportops.reports.signing import Envelope, Pinning, Signer, sign_payload, verify_envelope
from supportops.runbooks.access_review.campaign import (
    CampaignRow,
    decisions_hash,
    principals_hash,
    read_campaign,
)
from supportops.runbooks.access_review.changes import parse_changes, revoke_changes
from supportops.runbooks.access_review.meta import CampaignMeta, meta_path, read_meta
from supportops.runbooks.access_review.protections import Protections, current_protections
from supportops.runbooks.access_review.targets import row_target

SIGNATURE_SCHEMA = "supportops.access-review-signature/v3"
STATEMENT = "access-review sign-off statement"
UNVERIFIED = "unverified name"
MAX_REVIEWER = 200
CLOCK_SKEW = timedelta(minutes=5)


class ReviewerIdentity(CamelInputModel):
    """Who signed: proven by a key (the STS caller of a KMS key, or an Ed25519 key's fingerprint), or
    only the name typed with --reviewer."""

    name: str
    verified: StrictFlag
    identity: str | None = None
    source: Literal["sts:GetCallerIdentity", "key", "unverified name"]


class Signature(CamelInputModel):
    schema_: Literal["supportops.access-review-signature/v2", "supportops.access-review-signature/v3"] = \
        Field(alias="schema")
    campaign_id: str
    campaign_file: str
    campaign_sha256: str
    meta_sha256: str
    decisions_sha256: str
    reviewer: str
    signed_at: str
    decisions: dict[str, int]
    bundle_manifest_sha256: str | None = None  # v3: the review bundle's manifest.json
    reviewer_identity: ReviewerIdentity | None = None  # v3
    signature: Envelope | None = None  # v3 with --sign-key: over statement_bytes(sealed())
    seal_sha256: str

    def sealed(self) -> dict[str, Any]:
        """Every field but the seal and the signature, as written (the bytes both cover)."""
        return self.model_dump(by_alias=True, exclude={"seal_sha256", "signature"}, exclude_none=True)

    @property
    def reviewer_label(self) -> str:
        """The reviewer as shown to people: the proven identity, or the name marked unverified."""
        who = self.reviewer_identity
        if who is not None and who.verified and who.identity:
            return f"{self.reviewer} ({who.identity}, from {who.source})"
        return f"{self.reviewer} ({UNVERIFIED})"


def statement_bytes(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, ensure_ascii=True).encode()


def seal(fields: dict[str, Any]) -> str:
    return hashlib.sha256(statement_bytes(fields)).hexdigest()


def signature_path(campaign: Path) -> Path:
    return campaign.with_name(campaign.name + ".signature.json")


def _where(campaign: Path, index: int) -> str:
    # CSV: header is line 1; YAML: principals[index]
    return f"line {index + 2}" if campaign.suffix.lower() == ".csv" else f"principals[{index}]"


def _reviewer_problem(reviewer: str) -> str | None:
    if not reviewer.strip():
        return "the reviewer's name is required"
    if len(reviewer) > MAX_REVIEWER or any(ord(c) < 32 or ord(c) == 127 for c in reviewer):
        return f"the reviewer's name must be one line of at most {MAX_REVIEWER} characters"
    return None


def check_decisions(
    campaign: Path, rows: list[CampaignRow], meta: CampaignMeta, protections: Protections
) -> None:
    """Every row decided, its columns matching its ARN (in an account and instance of the signed scope),
    consistent with its protection (the review's and the runbook's today) and with a valid change list."""
    problems: list[InputProblem] = []
    if principals_hash(rows) != meta.principals_sha256 or len(rows) != meta.principal_count:
        problems.append(
            InputProblem(
                str(campaign),
                "",
                "rows were added, removed or re-keyed since the review "
                f"ran ({len(rows)} rows, review had {meta.principal_count})",
            )
        )
    for index, row in enumerate(rows):
        where = _where(campaign, index)

        def bad(problem: str, where: str = where) -> None:
            problems.append(InputProblem(str(campaign), where, problem))

        if row.campaign_id != meta.campaign_id:
            bad(f"campaign_id is not this campaign ({meta.campaign_id})")
        try:
            target = row_target(row)
        except ValueError as exc:
            bad(str(exc))
            continue
        if meta.account(target.account) is None:
            bad(f"account {target.account} of the row's arn is not in the review's scope")
            continue
        instance = meta.connect_instance(target.instance_id) if target.instance_id else None
        if target.instance_id and (
            instance is None or (instance.account, instance.region) != (target.account, target.region)
        ):
            bad(f"Connect instance {target.instance_id} of the row's arn is not in the review's scope")
            continue
        if not row.decision:
            bad(f"no decision for {row.arn} (keep, revoke or modify)")
            continue
        protected = protections.reason(row)
        if protected and row.decision != "keep":
            bad(f"{row.arn} is {protected}: only 'keep' is allowed")
        if protected == "break-glass" and not row.comment:
            bad(f"{row.arn} is a break-glass principal: a justification comment is required")
        if row.decision == "modify":
            try:
                if not parse_changes(row.changes, row.kind):
                    bad("decision 'modify' needs changes (e.g. detach-policy=ARN; delete-login-profile)")
            except ValueError as exc:
                bad(f"changes: {exc}")
        elif row.changes:
            bad(f"changes are only applied with decision 'modify' (decision is {row.decision!r})")
        if row.decision == "revoke" and not protected:
            try:
                revoke_changes(row.kind, instance.revoke_security_profile_id if instance else None)
            except ValueError as exc:
                bad(str(exc))
    if problems:
        raise BadInput(problems)


def sign_campaign(campaign: Path, reviewer: str, signer: Signer | None = None) -> Path:
    problem = _reviewer_problem(reviewer)
    if problem:
        raise BadInput.at("--reviewer", "", problem)
    rows = read_campaign(campaign)
    meta = read_meta(campaign)
    check_decisions(campaign, rows, meta, current_protections(campaign, meta))
    fields: dict[str, object] = {
        "schema": SIGNATURE_SCHEMA,
        "campaignId": meta.campaign_id,
        "campaignFile": campaign.name,
        "campaignSha256": sha256_file(campaign),
        "metaSha256": sha256_file(meta_path(campaign)),
        "decisionsSha256": decisions_hash(meta.campaign_id, rows),
        "reviewer": reviewer.strip(),
        "signedAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "decisions": _counts(rows),
        "reviewerIdentity": _identity(reviewer.strip(), signer),
    }
    manifest = campaign.parent / MANIFEST_NAME
    if manifest.is_file():
        fields["bundleManifestSha256"] = sha256_file(manifest)
    # Normalised as read back (no nulls), so the seal and the signature cover what apply re-derives.
    fields = Signature.model_validate({**fields, "sealSha256": "-"}).sealed()
    document: dict[str, Any] = {**fields, "sealSha256": seal(fields)}
    if signer is not None:
        document["signature"] = sign_payload(signer, statement_bytes(fields), STATEMENT).to_json()
    path = signature_path(campaign)
    write_text_atomic(path, json.dumps(document, indent=2) + "\n")
    return path


def _identity(name: str, signer: Signer | None) -> dict[str, Any]:
    if signer is None:
        return {"name": name, "verified": False, "source": UNVERIFIED}
    record = signer.record
    return {"name": name, "verified": True, "identity": record.signer, "source": record.identity_source}


def _check_key_signature(signature: Signature, refuse: Any, pinning: Pinning) -> None:
    """A v3 statement signed with a key: the signature must verify and name the recorded identity
    (and the expected signer, when the caller pins one: an Ed25519 key proves nothing otherwise)."""
    identity, envelope = signature.reviewer_identity, signature.signature
    if envelope is None:
        if pinning.expect_signer is not None:
            raise refuse("signature", "not signed with a key, but a signer is expected")
        if identity is not None and identity.verified:
            raise refuse("signature", "the reviewer is marked verified but the statement is not signed")
        return
    if identity is None or not identity.verified or identity.identity != envelope.record.signer:
        raise refuse("reviewerIdentity", "the reviewer identity differs from the signer of the statement")
    check = verify_envelope(envelope, statement_bytes(signature.sealed()), pinning)
    if not check.valid:
        raise refuse("signature", check.reason)


def _counts(rows: list[CampaignRow]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.decision] = counts.get(row.decision, 0) + 1
    return dict(sorted(counts.items()))


@dataclass(frozen=True)
class VerifiedCampaign:
    rows: list[CampaignRow]
    meta: CampaignMeta
    signature: Signature
    protections: Protections


def verify_signed(
    campaign: Path, *, now: datetime | None = None, endpoint_url: str | None = None,
    expect_signer: str | None = None,
) -> VerifiedCampaign:
    """The campaign and its meta, byte for byte as signed, every signed field checked (the key's
    signature too, when signed with one), and every decision still allowed by today's protections;
    :class:`BadInput` (one line) otherwise."""
    rows = read_campaign(campaign)
    meta = read_meta(campaign)
    sig_path = signature_path(campaign)
    if not sig_path.is_file():
        raise BadInput.at(campaign, "", f"not signed ({sig_path.name} missing): run access-review sign first")
    source = display_path(sig_path)
    signature = load_model(sig_path, Signature, source=source, fmt="json")

    def refuse(field: str, problem: str) -> BadInput:
        return BadInput.at(source, field, f"{problem}: sign again (access-review sign)")

    if signature.seal_sha256 != seal(signature.sealed()):
        raise refuse("sealSha256", "the signature was edited after signing")
    _check_key_signature(signature, refuse, Pinning(expect_signer=expect_signer, endpoint_url=endpoint_url))
    if signature.bundle_manifest_sha256 is not None:
        manifest = campaign.parent / MANIFEST_NAME
        if not manifest.is_file() or sha256_file(manifest) != signature.bundle_manifest_sha256:
            raise refuse("bundleManifestSha256", "the review bundle's manifest changed since signing")
    reviewer_problem = _reviewer_problem(signature.reviewer)
    if reviewer_problem:
        raise refuse("reviewer", reviewer_problem)
    try:
        signed_at = datetime.fromisoformat(signature.signed_at)
        generated = datetime.fromisoformat(meta.generated_at)
    except ValueError:
        raise refuse("signedAt", "not an ISO 8601 time") from None
    if signed_at.tzinfo is None or signed_at > (now or datetime.now(UTC)) + CLOCK_SKEW:
        raise refuse("signedAt", "not a time with a zone, or in the future")
    if generated.tzinfo is not None and signed_at < generated:
        raise refuse("signedAt", "before the review ran")
    if signature.campaign_id != meta.campaign_id:
        raise refuse("campaignId", "the signature belongs to another campaign")
    if signature.campaign_file != campaign.name:
        raise refuse(
            "campaignFile", f"the signature is for {signature.campaign_file[:60]}, not {campaign.name}"
        )
    if signature.campaign_sha256 != sha256_file(campaign):
        raise BadInput.at(
            campaign, "", "edited after signing (file hash differs from the signature): sign again"
        )
    if signature.meta_sha256 != sha256_file(meta_path(campaign)):
        raise BadInput.at(
            display_path(meta_path(campaign)), "", "edited after signing (hash differs from the signature)"
        )
    if signature.decisions_sha256 != decisions_hash(meta.campaign_id, rows):
        raise refuse("decisionsSha256", "the decisions differ from the signed ones")
    if signature.decisions != _counts(rows):
        raise refuse("decisions", "the decision counts differ from the campaign's")
    protections = current_protections(campaign, meta)
    check_decisions(campaign, rows, meta, protections)
    return VerifiedCampaign(rows, meta, signature, protections)
