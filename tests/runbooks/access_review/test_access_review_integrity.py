"""Campaign integrity: every attack of issue 11 on a signed campaign is refused (one located line, exit 2
through the CLI) and nothing changes in the accounts (moto over HTTP, both accounts compared before and
after). The attacker may even recompute every hash of the signature: the checks that matter re-derive
the target from the ARN, re-read the protections, and validate the signed meta."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from access_review_helpers import (
    RUNBOOK,
    decide,
    forge_signature,
    iam_state,
    local_factory,
    read_rows,
    reset_moto,
    review,
    run_cli,
    seed_extra,
    write_rows,
)

from supportops.errors import BadInput
from supportops.runbooks.access_review.apply import apply_campaign
from supportops.runbooks.access_review.demo import ACCOUNT_A, ACCOUNT_B, REVIEW_ROLE_B, seed_demo
from supportops.runbooks.access_review.meta import META_NAME
from supportops.runbooks.access_review.progress import NoProgress
from supportops.runbooks.access_review.review import run_review
from supportops.runbooks.access_review.schema import load_runbook
from supportops.runbooks.access_review.signing import sign_campaign, signature_path
from supportops.runbooks.local_aws import local_aws_endpoint

pytestmark = pytest.mark.slow

DECISIONS = {
    "bob": ("modify", "delete-login-profile", "uses SSO"),
    "svc-reporting": ("revoke", "", "replaced"),
    "contractor-1": ("revoke", "", "contract ended"),
    "break-glass-admin": ("keep", "", "sealed, ticket INC-42"),
}


def _signed(url: str, runbook_file: Path, tmp_path: Path) -> Path:
    campaign: Path = review(url, runbook_file, tmp_path / "review")
    decide(campaign, DECISIONS)
    sign_campaign(campaign, "Dana Auditor")
    return campaign


@dataclass(frozen=True)
class SignedReview:
    url: str
    folder: Path  # review.yaml + review/ (campaign, meta, signature)
    state: dict[str, Any]  # both accounts as seeded


@pytest.fixture(scope="module")
def signed_review(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignedReview]:
    """One seeded moto server and one signed review for the module: every attack is refused and the other
    tests only review or dry-run, so none changes the accounts (checked at the end); each test tampers
    with its own copy."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    folder = tmp_path_factory.mktemp("signed")
    runbook = folder / "review.yaml"
    runbook.write_text(yaml.safe_dump(RUNBOOK, sort_keys=False), encoding="utf-8")
    with local_aws_endpoint() as url:
        reset_moto(url)
        seed_demo(url)
        seed_extra(url)
        _signed(url, runbook, folder)
        # untouched, it applies (dry run): each refusal below is its attack's doing
        campaign = folder / "review" / "campaign.csv"
        dry = apply_campaign(
            campaign, local_factory(url), execute=False, out_dir=tmp_path_factory.mktemp("dry")
        )
        assert dry.counts["would-change"] == 4
        # the recorded path disappears: each test's copy finds its runbook beside its review
        runbook.rename(folder / "review.yaml.orig")
        before = iam_state(url)
        yield SignedReview(url, folder, before)
        # every attack on this worker was refused: both accounts are exactly as seeded
        assert iam_state(url) == before


def _copy(signed: SignedReview, tmp_path: Path) -> tuple[Path, Path]:
    """This test's copy of the signed review: (campaign, runbook), found beside each other."""
    shutil.copytree(signed.folder, tmp_path / "copy")
    (tmp_path / "copy" / "review.yaml.orig").rename(tmp_path / "copy" / "review.yaml")
    return tmp_path / "copy" / "review" / "campaign.csv", tmp_path / "copy" / "review.yaml"


def _edit_row(campaign: Path, who: str, **columns: str) -> None:
    rows = read_rows(campaign)
    next(r for r in rows if r["name"] == who).update(columns)
    write_rows(campaign, rows)


def _edit_json(path: Path, edit: Callable[[dict[str, object]], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _edit_runbook(runbook: Path, edit: Callable[[dict[str, list[object]]], None]) -> None:
    data = yaml.safe_load(runbook.read_text(encoding="utf-8"))
    edit(data)
    runbook.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


BOB = f"arn:aws:iam::{ACCOUNT_A}:user/bob"
SVC = f"arn:aws:iam::{ACCOUNT_A}:user/svc-reporting"


def _set_role_a(role_arn: str) -> Callable[[dict[str, object]], None]:
    def edit(data: dict[str, object]) -> None:
        accounts = data["accounts"]
        assert isinstance(accounts, list)
        accounts[0]["role_arn"] = role_arn

    return edit


Attack = Callable[[Path, Path], None]  # (campaign, runbook) -> None: what the attacker does


def _row_edit(who: str, *, reseal: bool = True, **columns: str) -> Attack:
    """Edit a signed row's cells, then (``reseal``) recompute the signature as a forger would."""

    def attack(campaign: Path, _runbook: Path) -> None:
        _edit_row(campaign, who, **columns)
        if reseal:
            forge_signature(campaign)

    return attack


def _meta_role(role_arn: str) -> Attack:
    def attack(campaign: Path, _runbook: Path) -> None:
        _edit_json(campaign.parent / META_NAME, _set_role_a(role_arn))

    return attack


def _protect_later(key: str, entry: object) -> Attack:
    def attack(_campaign: Path, runbook: Path) -> None:
        _edit_runbook(runbook, lambda data: data[key].append(entry))

    return attack


def _forged(**fields: object) -> Attack:
    def attack(campaign: Path, _runbook: Path) -> None:
        forge_signature(campaign, **fields)

    return attack


def _runbook_gone(_campaign: Path, runbook: Path) -> None:
    runbook.unlink()


def _runbook_broken(_campaign: Path, runbook: Path) -> None:
    runbook.write_text("version: [", encoding="utf-8")


def _signature_field_edited(campaign: Path, _runbook: Path) -> None:
    _edit_json(signature_path(campaign), lambda data: data.update(reviewer="Someone Else"))


# attack name -> (what the attacker does to the signed review, a fragment of the refusal)
ATTACKS: dict[str, tuple[Attack, str]] = {
    "name-to-break-glass": (
        _row_edit("svc-reporting", name="break-glass-admin"),
        "column name does not match the row's arn",
    ),
    "name-to-allow-listed": (
        _row_edit("svc-reporting", name="ci-deployer"),
        "column name does not match the row's arn",
    ),
    "name-edit-unsigned": (
        _row_edit("svc-reporting", reseal=False, name="break-glass-admin"),
        "edited after signing",
    ),
    "account-edit": (
        _row_edit("svc-reporting", account=ACCOUNT_B),
        "column account does not match the row's arn",
    ),
    "kind-edit": (_row_edit("svc-reporting", kind="iam-role"), "column kind does not match the row's arn"),
    "arn-to-break-glass": (
        _row_edit("svc-reporting", arn=f"arn:aws:iam::{ACCOUNT_A}:user/break-glass-admin"),
        "rows were added, removed or re-keyed",
    ),
    "meta-role-of-another-account": (
        _meta_role(REVIEW_ROLE_B),
        f"accounts[0]: role_arn is not an IAM role in account {ACCOUNT_A}",
    ),
    "meta-role-edited-after-sign": (
        _meta_role(f"arn:aws:iam::{ACCOUNT_A}:role/legacy-admin"),
        "campaign-meta.json: edited after signing",
    ),
    "break-glass-added-after-review": (
        _protect_later("break_glass", {"principal": BOB, "owner": "x", "justification": "y"}),
        f"{BOB} is break-glass: only 'keep' is allowed",
    ),
    "allow-list-added-after-review": (
        _protect_later("allow_list", SVC),
        f"{SVC} is allow-listed: only 'keep' is allowed",
    ),
    "runbook-gone": (_runbook_gone, "the review's runbook is not found"),
    "runbook-broken": (_runbook_broken, "not valid YAML"),
    "empty-reviewer": (_forged(reviewer=" "), "reviewer: the reviewer's name is required"),
    "signed-in-the-future": (
        _forged(signedAt="2100-01-01T00:00:00+00:00"),
        "signedAt: not a time with a zone, or in the future",
    ),
    "signature-field-edited": (_signature_field_edited, "sealSha256: the signature was edited after signing"),
    "decision-counts-edited": (_forged(decisions={"keep": 16}), "decisions: the decision counts differ"),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attacks_on_a_signed_campaign_are_refused_and_change_nothing(
    attack: str, signed_review: SignedReview, tmp_path: Path
) -> None:
    campaign, runbook = _copy(signed_review, tmp_path)
    tamper, refusal = ATTACKS[attack]
    tamper(campaign, runbook)
    calls: list[str] = []
    factory = local_factory(signed_review.url, lambda prefix, op: calls.append(f"{prefix}:{op}"))
    with pytest.raises(BadInput) as refused:
        apply_campaign(campaign, factory, execute=True, out_dir=tmp_path / "exec")
    assert refusal in str(refused.value)
    assert all("\n" not in str(problem) for problem in refused.value.problems)  # one line per problem
    # refused before any AWS call (the fixture also compares both accounts with the seed at the end)
    assert calls == []
    assert not (tmp_path / "exec").exists()


def test_signed_campaign_under_another_file_name_is_refused(
    signed_review: SignedReview, tmp_path: Path
) -> None:
    campaign, _ = _copy(signed_review, tmp_path)
    other = campaign.with_name("other.csv")
    shutil.copyfile(campaign, other)
    shutil.copyfile(signature_path(campaign), signature_path(other))
    with pytest.raises(BadInput, match=r"campaignFile: the signature is for campaign\.csv, not other\.csv"):
        apply_campaign(other, local_factory(signed_review.url), execute=True, out_dir=tmp_path / "exec")


def test_sign_refuses_blank_reviewers_and_rows_that_disagree_with_their_arn(
    signed_review: SignedReview, runbook_file: Path, tmp_path: Path
) -> None:
    campaign = review(signed_review.url, runbook_file, tmp_path / "review")
    decide(campaign, DECISIONS)
    for blank in ("", "   ", "Dana\nAuditor"):
        with pytest.raises(BadInput, match="--reviewer"):
            sign_campaign(campaign, blank)
    assert not signature_path(campaign).exists()
    line = [r["name"] for r in read_rows(campaign)].index("svc-reporting") + 2
    _edit_row(campaign, "svc-reporting", name="break-glass-admin")
    with pytest.raises(BadInput) as refused:
        sign_campaign(campaign, "Dana Auditor")
    assert [str(p) for p in refused.value.problems] == [
        f"{campaign}: line {line}: column name does not match the row's arn (the arn decides what is changed)"
    ]


def test_run_never_overwrites_a_decided_or_signed_campaign(
    signed_review: SignedReview, runbook_file: Path, tmp_path: Path
) -> None:
    url, out = signed_review.url, tmp_path / "review"
    book = load_runbook(runbook_file)
    campaign = review(url, runbook_file, out)
    run_review(book, runbook_file, local_factory(url), out)  # undecided: a re-run may replace it
    decide(campaign, DECISIONS)
    decided = campaign.read_bytes()
    with pytest.raises(BadInput, match=r"--out: .*holds a campaign that has decisions \(campaign.csv\)"):
        run_review(book, runbook_file, local_factory(url), out)
    sign_campaign(campaign, "Dana Auditor")
    with pytest.raises(BadInput, match=r"is signed .*give a new --out directory"):
        run_review(book, runbook_file, local_factory(url), out)
    assert campaign.read_bytes() == decided


def test_runbook_is_found_beside_the_moved_review(
    signed_review: SignedReview, runbook_file: Path, tmp_path: Path
) -> None:
    url = signed_review.url
    (tmp_path / "a").mkdir()
    runbook = tmp_path / "a" / "review.yaml"
    shutil.copyfile(runbook_file, runbook)
    campaign = _signed(url, runbook, tmp_path / "a")
    (tmp_path / "a").rename(tmp_path / "b")  # review and runbook move together; the recorded path is gone
    moved = tmp_path / "b" / "review" / campaign.name
    result = apply_campaign(moved, local_factory(url), execute=False, out_dir=tmp_path / "dry")
    assert result.counts == {
        "applied": 0,
        "already-applied": 5,
        "already-gone": 0,
        "would-change": 4,
        "refused": 0,
        "failed": 0,
        "not-applied": 0,
    }


def test_through_the_cli_a_refusal_is_one_line_and_exit_2(
    signed_review: SignedReview, tmp_path: Path
) -> None:
    campaign, _ = _copy(signed_review, tmp_path)
    line = [r["name"] for r in read_rows(campaign)].index("svc-reporting") + 2
    _edit_row(campaign, "svc-reporting", name="break-glass-admin")
    forge_signature(campaign)
    result = run_cli(
        "access-review", "apply", str(campaign), "--endpoint-url", signed_review.url, "--execute"
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: {campaign}: line {line}: column name does not match the row's arn "
        "(the arn decides what is changed)"
    ]


def test_run_takes_a_bundled_runbook_by_name(signed_review: SignedReview, tmp_path: Path) -> None:
    out = tmp_path / "review"
    result = run_cli(
        "access-review", "run", "--runbook", "demo", "--endpoint-url", signed_review.url, "--out", str(out)
    )
    assert result.returncode == 1, result.stderr  # the seeded accounts fail checks
    meta = json.loads((out / META_NAME).read_text(encoding="utf-8"))
    assert meta["runbook_bundled"] == "demo" and meta["runbook_name"] == "demo-access-review"


class _Interrupted(NoProgress):
    """Stops the review after its first account (as Ctrl-C would)."""

    def start(self, description: str, total: int | None = None) -> None:
        if "210987654321" in description:
            raise KeyboardInterrupt


def test_an_interrupted_review_leaves_the_previous_campaign_whole(
    signed_review: SignedReview, runbook_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "review"
    campaign = review(signed_review.url, runbook_file, out)
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    with pytest.raises(KeyboardInterrupt):
        run_review(
            load_runbook(runbook_file),
            runbook_file,
            local_factory(signed_review.url),
            out,
            progress=_Interrupted(),
        )
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before  # no temporary file left
    assert read_rows(campaign)
