"""SupportKnowledgeBase: articles in a KMS-encrypted SecureBucket, synced by an AppIntegrations data
integration into an Amazon Q in Connect (Wisdom) knowledge base, with an assistant, every piece
encrypted with the same customer-managed key and associated with the Connect instance so agents
get article suggestions (the FCR lever of the seed guide)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws_native as aws_native

from supportops.stacks.components.security.secure_bucket import SecureBucket, SecureBucketArgs
from supportops.stacks.config import DataClassName
from supportops.stacks.policy_documents import Statement, service_principal
from supportops.stacks.tags import backup_protected

ARTICLES_PREFIX = "articles/"
SYNC_SCHEDULE = "rate(1 hour)"


@dataclass(frozen=True)
class SupportKnowledgeBaseArgs:
    connect_instance_arn: pulumi.Input[str]
    kms_key_arn: pulumi.Input[str]
    data_class: DataClassName  # the class of kms_key_arn; tags the content bucket
    # Articles expire after this; republish (or raise it, within the class bounds) to keep them.
    retention_days: int
    access_log_bucket: pulumi.Input[str]
    account_id: pulumi.Input[str]


class SupportKnowledgeBase(pulumi.ComponentResource):
    content: SecureBucket
    data_integration: aws_native.appintegrations.DataIntegration
    knowledge_base: aws_native.wisdom.KnowledgeBase
    assistant: aws_native.wisdom.Assistant

    def __init__(
        self, name: str, args: SupportKnowledgeBaseArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("supportops:self_service:SupportKnowledgeBase", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        def app_integrations_read(bucket_arn: pulumi.Output[str]) -> list[Statement]:
            return [
                {
                    "Sid": "AppIntegrationsReadsArticles",
                    "Effect": "Allow",
                    "Principal": service_principal("app-integrations"),
                    "Action": ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"],
                    "Resource": [bucket_arn, pulumi.Output.concat(bucket_arn, "/*")],
                    "Condition": {"StringEquals": {"aws:SourceAccount": args.account_id}},
                }
            ]

        self.content = SecureBucket(
            f"{name}-content",
            SecureBucketArgs(
                data_class=args.data_class,
                retention_days=args.retention_days,
                kms_key_arn=args.kms_key_arn,
                access_log_bucket=args.access_log_bucket,
                policy_statements=app_integrations_read,
                tags=backup_protected(),
            ),
            opts=child,
        )
        self.data_integration = aws_native.appintegrations.DataIntegration(
            f"{name}-articles",
            description="Knowledge articles from the content bucket",
            kms_key=args.kms_key_arn,
            source_uri=pulumi.Output.concat("s3://", self.content.name),
            file_configuration=aws_native.appintegrations.DataIntegrationFileConfigurationArgs(
                folders=[ARTICLES_PREFIX]
            ),
            schedule_config=aws_native.appintegrations.DataIntegrationScheduleConfigArgs(
                schedule_expression=SYNC_SCHEDULE
            ),
            opts=child,
        )
        self.knowledge_base = aws_native.wisdom.KnowledgeBase(
            f"{name}-kb",
            knowledge_base_type=aws_native.wisdom.KnowledgeBaseType.EXTERNAL,
            description="Support articles suggested to agents and self-service",
            server_side_encryption_configuration=aws_native.wisdom.KnowledgeBaseServerSideEncryptionConfigurationArgs(
                kms_key_id=args.kms_key_arn
            ),
            source_configuration=aws_native.wisdom.KnowledgeBaseSourceConfiguration0PropertiesArgs(
                app_integrations=aws_native.wisdom.KnowledgeBaseAppIntegrationsConfigurationArgs(
                    app_integration_arn=self.data_integration.data_integration_arn
                )
            ),
            opts=child,
        )
        self.assistant = aws_native.wisdom.Assistant(
            f"{name}-assistant",
            type=aws_native.wisdom.AssistantType.AGENT,
            description="Suggests knowledge articles to agents during contacts",
            server_side_encryption_configuration=aws_native.wisdom.AssistantServerSideEncryptionConfigurationArgs(
                kms_key_id=args.kms_key_arn
            ),
            opts=child,
        )
        aws_native.wisdom.AssistantAssociation(
            f"{name}-assistant-kb",
            assistant_id=self.assistant.assistant_id,
            association_type=aws_native.wisdom.AssistantAssociationAssociationType.KNOWLEDGE_BASE,
            association=aws_native.wisdom.AssistantAssociationAssociationData0PropertiesArgs(
                knowledge_base_id=self.knowledge_base.knowledge_base_id
            ),
            opts=child,
        )
        aws_native.connect.IntegrationAssociation(
            f"{name}-connect-assistant",
            instance_id=args.connect_instance_arn,
            integration_type=aws_native.connect.IntegrationAssociationIntegrationType.WISDOM_ASSISTANT,
            integration_arn=self.assistant.assistant_arn,
            opts=child,
        )
        aws_native.connect.IntegrationAssociation(
            f"{name}-connect-kb",
            instance_id=args.connect_instance_arn,
            integration_type=aws_native.connect.IntegrationAssociationIntegrationType.WISDOM_KNOWLEDGE_BASE,
            integration_arn=self.knowledge_base.knowledge_base_arn,
            opts=child,
        )
        self.register_outputs(
            {"contentBucket": self.content.name, "knowledgeBaseArn": self.knowledge_base.knowledge_base_arn}
        )
