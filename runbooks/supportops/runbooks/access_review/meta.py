"""campaign-meta.json: what a campaign was generated from (runbook, scope with each account's role,
allow-list, break-glass, the list of principals), written by ``run`` next to the campaign files and
read by ``sign``/``apply``. The signature covers this file's bytes: apply acts on the roles it names."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, model_validator

from supportops.atomic import write_text_atomic
from supportops.errors import BadInput
from supportops.loading import display_path, load_model
from supportops.models import InputModel
from supportops.runbooks.access_review.schema import ACCOUNT_RE, BUNDLED, ROLE_ARN_RE, Runbook, bundled_name

META_NAME = "campaign-meta.json"


class MetaAccount(InputModel):
    id: str = Field(pattern=ACCOUNT_RE.pattern)
    role_arn: str | None = None

    @model_validator(mode="after")
    def _role_in_account(self) -> MetaAccount:
        # the role used for an account must be a role of exactly that account
        if self.role_arn is not None:
            match = ROLE_ARN_RE.match(self.role_arn)
            if not match or match.group(1) != self.id:
                raise ValueError(f"role_arn is not an IAM role in account {self.id}")
        return self


class MetaConnect(InputModel):
    instance_id: str
    account: str
    region: str
    revoke_security_profile_id: str | None = None


class CampaignMeta(InputModel):
    schema_version: int = 1
    campaign_id: str
    generated_at: str
    runbook_path: str  # as given to run, made absolute
    runbook_relative: str = ""  # from the campaign directory (found again when both move together)
    runbook_bundled: str = ""  # bundled runbook name (quarterly, demo), found wherever the tool is installed
    runbook_sha256: str
    runbook_name: str
    region: str
    accounts: list[MetaAccount]
    connect_instances: list[MetaConnect]
    allow_list: list[str]
    break_glass: list[str]
    principal_count: int
    principals_sha256: str

    @classmethod
    def from_runbook(
        cls,
        runbook: Runbook,
        *,
        campaign_id: str,
        generated_at: str,
        runbook_path: Path,
        runbook_sha256: str,
        out_dir: Path,
        principal_count: int,
        principals_sha256: str,
    ) -> CampaignMeta:
        absolute = runbook_path.resolve()
        try:
            relative = os.path.relpath(absolute, out_dir.resolve())
        except ValueError:  # another drive
            relative = ""
        return cls(
            schema_version=2,
            campaign_id=campaign_id,
            generated_at=generated_at,
            runbook_path=str(absolute),
            runbook_relative=relative,
            runbook_bundled=bundled_name(absolute),
            runbook_sha256=runbook_sha256,
            runbook_name=runbook.name,
            region=runbook.scope.region,
            accounts=[MetaAccount(id=a.id, role_arn=a.role_arn) for a in runbook.scope.accounts],
            connect_instances=[MetaConnect(**c.model_dump()) for c in runbook.scope.connect_instances],
            allow_list=list(runbook.allow_list),
            break_glass=[b.principal for b in runbook.break_glass],
            principal_count=principal_count,
            principals_sha256=principals_sha256,
        )

    def write(self, out_dir: Path) -> Path:
        path = out_dir / META_NAME
        write_text_atomic(path, self.model_dump_json(indent=2) + "\n")
        return path

    def account(self, account_id: str) -> MetaAccount | None:
        return next((a for a in self.accounts if a.id == account_id), None)

    def role_for(self, account_id: str) -> str | None:
        account = self.account(account_id)
        return account.role_arn if account else None

    def connect_instance(self, instance_id: str) -> MetaConnect | None:
        return next((c for c in self.connect_instances if c.instance_id == instance_id), None)

    def runbook_candidates(self, campaign_dir: Path) -> list[Path]:
        """Where the review's runbook may be: by bundled name, beside the campaign as it was, as recorded."""
        candidates = []
        if self.runbook_bundled in BUNDLED:
            candidates.append(BUNDLED[self.runbook_bundled])
        if self.runbook_relative:
            candidates.append(campaign_dir / self.runbook_relative)
        recorded = Path(self.runbook_path)
        candidates.append(recorded if recorded.is_absolute() else campaign_dir / recorded)
        return candidates


def meta_path(campaign: Path) -> Path:
    return campaign.parent / META_NAME


def read_meta(campaign: Path) -> CampaignMeta:
    path = meta_path(campaign)
    if not path.is_file():
        raise BadInput.at(
            campaign,
            "",
            f"{META_NAME} not found next to the campaign (keep the campaign in the "
            "directory access-review run wrote)",
        )
    return load_model(path, CampaignMeta, source=display_path(path), fmt="json")
