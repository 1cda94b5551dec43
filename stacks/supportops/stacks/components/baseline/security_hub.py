"""SecurityPosture: Security Hub in every region in scope with AWS Foundational Security Best Practices
and PCI DSS v4.0.1 subscribed (consolidated control findings), and, in the home region, a finding
aggregator linking the other regions so one place (and one EventBridge rule set) sees everything."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

# Standard -> ARN path (regional standards: arn:<partition>:securityhub:<region>::standards/...).
STANDARDS: dict[str, str] = {
    "aws-foundational-security-best-practices": "standards/aws-foundational-security-best-practices/v/1.0.0",
    "pci-dss": "standards/pci-dss/v/4.0.1",
}


def standards_arn(partition: str, region: str, path: str) -> str:
    return f"arn:{partition}:securityhub:{region}::{path}"


def standards_arns(partition: str, region: str) -> list[str]:
    return [standards_arn(partition, region, path) for path in STANDARDS.values()]


@dataclass(frozen=True)
class SecurityPostureArgs:
    regions: Sequence[str]  # home region first
    partition: str = "aws"
    wait_for: tuple[pulumi.Resource, ...] = ()  # e.g. the Config recorders the controls read


class SecurityPosture(pulumi.ComponentResource):
    accounts: dict[str, aws.securityhub.Account]
    aggregator: aws.securityhub.FindingAggregator | None

    def __init__(
        self, name: str, args: SecurityPostureArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("supportops:baseline:SecurityPosture", name, None, opts)
        self.accounts = {}
        for region in args.regions:
            account = aws.securityhub.Account(
                f"{name}-{region}",
                # Standards are chosen below: the defaults include CIS 1.2.0, which we do not assess.
                enable_default_standards=False,
                auto_enable_controls=True,
                control_finding_generator="SECURITY_CONTROL",
                region=region,
                opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.wait_for)),
            )
            self.accounts[region] = account
            for standard, path in STANDARDS.items():
                aws.securityhub.StandardsSubscription(
                    f"{name}-{region}-{standard}",
                    standards_arn=standards_arn(args.partition, region, path),
                    region=region,
                    opts=pulumi.ResourceOptions(parent=self, depends_on=[account]),
                )
        home, *others = args.regions
        self.aggregator = None
        if others:
            self.aggregator = aws.securityhub.FindingAggregator(
                f"{name}-aggregator",
                linking_mode="SPECIFIED_REGIONS",
                specified_regions=list(others),
                region=home,
                opts=pulumi.ResourceOptions(parent=self, depends_on=list(self.accounts.values())),
            )
        self.register_outputs({"regions": list(self.accounts)})
