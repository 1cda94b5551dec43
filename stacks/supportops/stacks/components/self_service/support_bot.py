"""SupportBot: a Lex V2 bot for tier-1 requests, published as a version behind a bot alias with
conversation logs: text logs to a KMS-encrypted log group, audio to a KMS-encrypted SecureBucket.

The bot is pulumi-aws-native's ``lex.Bot`` (CloudFormation's AWS::Lex::Bot) with its locale and
intents inline and ``autoBuildBotLocales`` on: the deployment builds the locale itself, so the
version and alias can be created in the same `pulumi up` with no manual BuildBotLocale step.
(pulumi-aws's ``lex.V2models*`` resources cannot build a locale, and pulumi-aws has no Lex V2 alias.)

Not child-directed (COPPA flag false: the bot serves adult customers; set it for services aimed
at children)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_aws_native as aws_native

from supportops.stacks.components.replication.sizing import ReplicationArgs
from supportops.stacks.components.security.log_group import SecureLogGroup, SecureLogGroupArgs
from supportops.stacks.components.security.secure_bucket import SecureBucket, SecureBucketArgs
from supportops.stacks.components.self_service.intents import FALLBACK_INTENT, IntentDefinition
from supportops.stacks.config import DataClassName
from supportops.stacks.policy_documents import assume_role_policy, document

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
    bot: aws_native.lex.Bot
    version: aws_native.lex.BotVersion
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
        self.bot = aws_native.lex.Bot(
            name,
            name=name,
            description="Tier-1 customer support: answers common requests, escalates to an agent",
            role_arn=role.arn,
            idle_session_ttl_in_seconds=args.idle_session_ttl_seconds,
            data_privacy=aws_native.lex.DataPrivacyPropertiesArgs(child_directed=args.child_directed),
            # The deployment builds the locale: no BuildBotLocale step between `pulumi up`s.
            auto_build_bot_locales=True,
            bot_locales=[
                aws_native.lex.BotLocaleArgs(
                    locale_id=locale,
                    nlu_confidence_threshold=args.nlu_confidence_threshold,
                    voice_settings=aws_native.lex.BotVoiceSettingsArgs(
                        voice_id=args.voice_id, engine=aws_native.lex.BotVoiceSettingsEngine.NEURAL
                    ),
                    intents=[*(_intent(intent) for intent in args.intents), _FALLBACK],
                )
            ],
            opts=child,
        )
        self.version = aws_native.lex.BotVersion(
            f"{name}-version",
            bot_id=self.bot.id,
            bot_version_locale_specification=[
                aws_native.lex.BotVersionLocaleSpecificationArgs(
                    locale_id=locale,
                    bot_version_locale_details=aws_native.lex.BotVersionLocaleDetailsArgs(
                        source_bot_version="DRAFT"
                    ),
                )
            ],
            opts=child,
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


# Lex answers with its built-in fallback when nothing matches; CloudFormation wants it declared.
_FALLBACK = aws_native.lex.BotIntentArgs(
    name=FALLBACK_INTENT, parent_intent_signature="AMAZON.FallbackIntent"
)


def _intent(intent: IntentDefinition) -> aws_native.lex.BotIntentArgs:
    closing = aws_native.lex.BotResponseSpecificationArgs(
        allow_interrupt=True,
        message_groups_list=[
            aws_native.lex.BotMessageGroupArgs(
                message=aws_native.lex.BotMessageArgs(
                    plain_text_message=aws_native.lex.BotPlainTextMessageArgs(value=intent.reply)
                )
            )
        ],
    )
    return aws_native.lex.BotIntentArgs(
        name=intent.name,
        description=intent.description,
        sample_utterances=[aws_native.lex.BotSampleUtteranceArgs(utterance=u) for u in intent.utterances],
        intent_closing_setting=aws_native.lex.BotIntentClosingSettingArgs(
            is_active=True, closing_response=closing
        ),
    )
