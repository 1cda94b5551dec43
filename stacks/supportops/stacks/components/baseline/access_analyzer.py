"""ExternalAccessAnalysis: an IAM Access Analyzer in every region in scope (analyzers are regional:
each sees the resource policies of its region), for the account or, in the organization's delegated
administrator account, for the whole organization."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class ExternalAccessAnalysisArgs:
    regions: Sequence[str]
    analyzer_type: str  # ACCOUNT or ORGANIZATION


class ExternalAccessAnalysis(pulumi.ComponentResource):
    analyzers: dict[str, aws.accessanalyzer.Analyzer]

    def __init__(
        self, name: str, args: ExternalAccessAnalysisArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("supportops:baseline:ExternalAccessAnalysis", name, None, opts)
        self.analyzers = {
            region: aws.accessanalyzer.Analyzer(
                f"{name}-{region}",
                analyzer_name=f"{name}-{region}",
                type=args.analyzer_type,
                region=region,
                opts=pulumi.ResourceOptions(parent=self),
            )
            for region in args.regions
        }
        self.register_outputs({"regions": list(self.analyzers)})
