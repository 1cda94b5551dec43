"""The card-payment flow module: pause recording, capture the card number into Connect's stored
customer input encrypted with the payment processor's public key, resume recording.

The captured value is never copied into contact attributes, so neither agents (CCP) nor recordings,
transcripts or contact records see the raw card number; only the private-key holder can decrypt it.
"""

from __future__ import annotations

from dataclasses import dataclass

from supportops.stacks.components.telephony.flows.language import (
    Action,
    ErrorBranch,
    Flow,
    end_module,
    pause_recording,
    recording_with_redacted_analytics,
)

MAX_CARD_NUMBER_DIGITS = 19


@dataclass(frozen=True)
class PaymentModuleInputs:
    encryption_key_id: str
    certificate_pem: str
    language: str = "en-US"


def capture_card_number(identifier: str, inputs: PaymentModuleInputs, next_action: str) -> Action:
    return Action(
        identifier,
        "GetParticipantInput",
        {
            "Text": "Please enter your card number using your keypad, followed by the pound key.",
            "StoreInput": "True",
            "InputTimeLimitSeconds": "10",
            "InputValidation": {"CustomValidation": {"MaximumLength": str(MAX_CARD_NUMBER_DIGITS)}},
            "DTMFConfiguration": {"InputTerminationSequence": "#", "DisableCancelKey": "False"},
            "InputEncryption": {
                "EncryptionKeyId": inputs.encryption_key_id,
                "Key": inputs.certificate_pem,
            },
        },
        next_action,
        errors=(
            ErrorBranch("InputTimeLimitExceeded", "resume-recording"),
            ErrorBranch("NoMatchingError", "resume-recording"),
        ),
    )


def payment_module(inputs: PaymentModuleInputs) -> Flow:
    return Flow(
        start_action="pause-recording",
        actions=(
            pause_recording("pause-recording", "capture-card"),
            capture_card_number("capture-card", inputs, "resume-recording"),
            recording_with_redacted_analytics("resume-recording", "done", inputs.language),
            end_module("done"),
        ),
        description="Card payment: recording paused, input stored encrypted (PCI DSS 3.3/3.5)",
    )
