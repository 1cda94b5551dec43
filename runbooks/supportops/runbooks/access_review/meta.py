"""campaign-meta.json: what a campaign was generated from (runbook, scope, allow-list, break-glass,
the list of principals), written by ``run`` next to the campaign files and read by ``sign``/``apply``."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from supportops.errors import BadInput
from supportops.runbooks.access_review.schema import Runbook, validation_problems

META_NAME = "campaign-meta.json"


class MetaAccount(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    role_arn: str | None = None


class MetaConnect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    instance_id: str
    account: str
    region: str
    revoke_security_profile_id: str | None = None


class CampaignMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: int = 1
    campaign_id: str
    generated_at: str
    runbook_path: str
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
        cls, runbook: Runbook, *, campaign_id: str, generated_at: str, runbook_path: str, runbook_sha256: str
    ) -> CampaignMeta:
        return cls(
            campaign_id=campaign_id,
            generated_at=generated_at,
            runbook_path=runbook_path,
            runbook_sha256=runbook_sha256,
            runbook_name=runbook.name,
            region=runbook.scope.region,
            accounts=[MetaAccount(id=a.id, role_arn=a.role_arn) for a in runbook.scope.accounts],
            connect_instances=[MetaConnect(**c.model_dump()) for c in runbook.scope.connect_instances],
            allow_list=list(runbook.allow_list),
            break_glass=[b.principal for b in runbook.break_glass],
            principal_count=0,
            principals_sha256="",
        )

    def write(self, out_dir: Path) -> Path:
        path = out_dir / META_NAME
        path.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")
        return path

    def role_for(self, account_id: str) -> str | None:
        return next((a.role_arn for a in self.accounts if a.id == account_id), None)

    def connect_instance(self, instance_id: str) -> MetaConnect | None:
        return next((c for c in self.connect_instances if c.instance_id == instance_id), None)


def read_meta(campaign: Path) -> CampaignMeta:
    path = campaign.parent / META_NAME
    if not path.is_file():
        raise BadInput.at(
            campaign,
            "",
            f"{META_NAME} not found next to the campaign (keep the campaign in the "
            "directory access-review run wrote)",
        )
    try:
        return CampaignMeta.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except json.JSONDecodeError as exc:
        raise BadInput.at(path, f"line {exc.lineno}", "invalid JSON") from None
    except ValidationError as exc:
        raise BadInput(validation_problems(path, exc)) from None
