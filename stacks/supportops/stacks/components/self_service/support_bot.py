"""SupportBot: a Lex V2 bot for tier-1 requests (pulumi-aws ``lex.V2models*``), published as a
version behind a bot alias with conversation logs (pulumi-aws-native, since pulumi-aws has no Lex V2
alias): text logs to a KMS-encrypted log group, audio to a KMS-encrypted SecureBucket.

Not child-directed (COPPA flag false: the bot serves adult customers; set it for services aimed
at children). Creating the version needs the locale built: Lex builds it on first version
creation through the console or ``BuildBotLocale``; CI should run that before `pulumi up`."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_aws_native as aws_native

from supportops.stacks.components.resilience.replication import ReplicationArgs
from supportops.stacks.components.security.log_group import SecureLogGroup, SecureLogGroupArgs
from supportops.stacks.components.security.policy_documents import assume_role_policy, document
from supportops.stacks.components.security.secure_bucket import SecureBucket, SecureBucketArgs
from supportops.stacks.components.self_service.intents import IntentDefinition
from supportops.stacks.config import DataClassName

MIN_IDLE_SESSION_SECONDS = 60
MAX_IDLE_SESSION_SECONDS = 86_400


def lex_locale(language: str) -> str:
    """Connect's ``en-US`` is Lex's ``en_US``."""
    return language.replace("-", "_")


@dataclass(frozen=True)
class SupportBotArgs:
    intents: tuple[IntentDefinition, ...]
    language: str  # BCP-47, e.g. en-US
    text_log_key_arn: pulumi.Input[str]  # application logs class
    text_log_retention_days: int
    audio_log_key_arn: pulumi.Input[str]  # call recordings class
    audio_log_retention_days: int
    access_log_bucket: pulumi.Input[str]
    # Audio is call-recording data: replicated cross-region like the foundation's recordings.
    audio_replication: ReplicationArgs | None = None
    idle_session_ttl_seconds: int = 300
    child_directed: bool = False
    nlu_confidence_threshold: float = 0.4
    voice_id: str = "Joanna"

    def __post_init__(self) -> None:
        if not MIN_IDLE_SESSION_SECONDS <= self.idle_session_ttl_seconds <= MAX_IDLE_SESSION_SECONDS:
            raise ValueError("idle_session_ttl_seconds must be between 60 and 86400")
        names = [i.name for i in self.intents]
        if len(set(names)) != len(names):
            raise ValueError("intent names must be unique")


class SupportBot(pulumi.ComponentResource):
    bot: aws.lex.V2modelsBot
    version: aws.lex.V2modelsBotVersion
    alias: aws_native.lex.BotAlias
    text_logs: SecureLogGroup
    audio_logs: SecureBucket

    def __init__(self, name: str, args: SupportBotArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("supportops:self_service:SupportBot", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        locale = lex_locale(args.language)
        self.text_logs = SecureLogGroup(
            f"{name}-conversations",
            SecureLogGroupArgs(
                data_class=DataClassName.APPLICATION_LOGS,
                retention_days=args.text_log_retention_days,
                kms_key_arn=args.text_log_key_arn,
            ),
            opts=child,
        )
        self.audio_logs = SecureBucket(
            f"{name}-audio",
            SecureBucketArgs(
                data_class=DataClassName.CALL_RECORDINGS,
                retention_days=args.audio_log_retention_days,
                kms_key_arn=args.audio_log_key_arn,
                access_log_bucket=args.access_log_bucket,
                replication=args.audio_replication,
            ),
            opts=child,
        )
        role = aws.iam.Role(
            f"{name}-role",
            assume_role_policy=assume_role_policy("lexv2"),
            opts=child,
        )
        aws.iam.RolePolicy(
            f"{name}-policy",
            role=role.id,
            policy=document(
                [
                    # As in AWS's AmazonLexV2BotPolicy: a request without lexicons names no resource.
                    {"Sid": "Speak", "Effect": "Allow", "Action": "polly:SynthesizeSpeech", "Resource": "*"},
                    {
                        "Sid": "TextLogs",
                        "Effect": "Allow",
                        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                        "Resource": pulumi.Output.concat(self.text_logs.arn, ":*"),
                    },
                    {
                        "Sid": "AudioLogs",
                        "Effect": "Allow",
                        "Action": "s3:PutObject",
                        "Resource": pulumi.Output.concat(self.audio_logs.arn, "/*"),
                    },
                    {
                        "Sid": "EncryptLogs",
                        "Effect": "Allow",
                        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                        "Resource": [args.audio_log_key_arn, args.text_log_key_arn],
                    },
                ]
            ),
            opts=child,
        )
        self.bot = aws.lex.V2modelsBot(
            name,
            name=name,
            description="Tier-1 customer support: answers common requests, escalates to an agent",
            role_arn=role.arn,
            idle_session_ttl_in_seconds=args.idle_session_ttl_seconds,
            data_privacies=[aws.lex.V2modelsBotDataPrivacyArgs(child_directed=args.child_directed)],
            opts=child,
        )
        bot_locale = aws.lex.V2modelsBotLocale(
            f"{name}-{locale.lower().replace('_', '-')}",
            bot_id=self.bot.id,
            bot_version="DRAFT",
            locale_id=locale,
            n_lu_intent_confidence_threshold=args.nlu_confidence_threshold,
            voice_settings=aws.lex.V2modelsBotLocaleVoiceSettingsArgs(
                voice_id=args.voice_id, engine="neural"
            ),
            opts=child,
        )
        intents = [self._intent(name, intent, locale, bot_locale) for intent in args.intents]
        self.version = aws.lex.V2modelsBotVersion(
            f"{name}-version",
            bot_id=self.bot.id,
            locale_specification={
                locale: aws.lex.V2modelsBotVersionLocaleSpecificationArgs(source_bot_version="DRAFT")
            },
            opts=pulumi.ResourceOptions(parent=self, depends_on=intents),
        )
        self.alias = aws_native.lex.BotAlias(
            f"{name}-live",
            bot_alias_name="live",
            bot_id=self.bot.id,
            bot_version=self.version.bot_version,
            description="The version Connect flows talk to",
            bot_alias_locale_settings=[
                aws_native.lex.BotAliasLocaleSettingsItemArgs(
                    locale_id=locale,
                    bot_alias_locale_setting=aws_native.lex.BotAliasLocaleSettingsArgs(enabled=True),
                )
            ],
            conversation_log_settings=aws_native.lex.BotAliasConversationLogSettingsArgs(
                text_log_settings=[
                    aws_native.lex.BotAliasTextLogSettingArgs(
                        enabled=True,
                        destination=aws_native.lex.BotAliasTextLogDestinationArgs(
                            cloud_watch=aws_native.lex.BotAliasCloudWatchLogGroupLogDestinationArgs(
                                cloud_watch_log_group_arn=self.text_logs.arn, log_prefix="live/"
                            )
                        ),
                    )
                ],
                audio_log_settings=[
                    aws_native.lex.BotAliasAudioLogSettingArgs(
                        enabled=True,
                        destination=aws_native.lex.BotAliasAudioLogDestinationArgs(
                            s3_bucket=aws_native.lex.BotAliasS3BucketLogDestinationArgs(
                                s3_bucket_arn=self.audio_logs.arn,
                                kms_key_arn=args.audio_log_key_arn,
                                log_prefix="live/",
                            )
                        ),
                    )
                ],
            ),
            opts=child,
        )
        self.register_outputs({"botId": self.bot.id, "aliasArn": self.alias.arn})

    def _intent(
        self, name: str, intent: IntentDefinition, locale: str, bot_locale: aws.lex.V2modelsBotLocale
    ) -> aws.lex.V2modelsIntent:
        closing = aws.lex.V2modelsIntentClosingSettingClosingResponseArgs(
            allow_interrupt=True,
            message_groups=[
                aws.lex.V2modelsIntentClosingSettingClosingResponseMessageGroupArgs(
                    message=aws.lex.V2modelsIntentClosingSettingClosingResponseMessageGroupMessageArgs(
                        plain_text_message=(
                            aws.lex.V2modelsIntentClosingSettingClosingResponseMessageGroupMessagePlainTextMessageArgs(
                                value=intent.reply
                            )
                        )
                    )
                )
            ],
        )
        return aws.lex.V2modelsIntent(
            f"{name}-intent-{intent.name.lower()}",
            name=intent.name,
            description=intent.description,
            bot_id=self.bot.id,
            bot_version="DRAFT",
            locale_id=locale,
            sample_utterances=[
                aws.lex.V2modelsIntentSampleUtteranceArgs(utterance=u) for u in intent.utterances
            ],
            closing_setting=aws.lex.V2modelsIntentClosingSettingArgs(active=True, closing_response=closing),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[bot_locale]),
        )
