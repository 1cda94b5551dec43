"""The bot's tier-1 intents as data: what customers say, what the bot answers, which intent hands
the contact to an agent. The IVR flow branches on these names."""

from __future__ import annotations

import re
from dataclasses import dataclass

ESCALATION_INTENT = "SpeakToAgent"
FALLBACK_INTENT = "FallbackIntent"  # Lex's built-in intent when nothing matches
MIN_UTTERANCES = 3


@dataclass(frozen=True)
class IntentDefinition:
    name: str
    description: str
    utterances: tuple[str, ...]
    reply: str  # the closing response; the escalation intent's is said before the transfer
    escalates: bool = False

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,99}", self.name):
            raise ValueError(f"intent name {self.name!r} is not a valid Lex intent name")
        if len(set(self.utterances)) < MIN_UTTERANCES:
            raise ValueError(f"intent {self.name} needs at least {MIN_UTTERANCES} distinct utterances")


TIER_ONE_INTENTS: tuple[IntentDefinition, ...] = (
    IntentDefinition(
        name="ResetPassword",
        description="The customer cannot sign in",
        utterances=("I forgot my password", "reset my password", "I can't log in", "my account is locked"),
        reply="I have sent a password reset link to the email address on your account.",
    ),
    IntentDefinition(
        name="TicketStatus",
        description="The customer asks about an open ticket",
        utterances=("what is the status of my ticket", "any update on my case", "is my issue fixed yet"),
        reply="I have sent the latest update on your open tickets to the email address on your account.",
    ),
    IntentDefinition(
        name="OpeningHours",
        description="The customer asks when agents are available",
        utterances=("when are you open", "what are your opening hours", "are agents available now"),
        reply=(
            "Critical and high priority issues are handled around the clock; other requests on business days."
        ),
    ),
    IntentDefinition(
        name=ESCALATION_INTENT,
        description="The customer asks for a person",
        utterances=("talk to an agent", "speak to a human", "representative please", "I need a person"),
        reply="Let me connect you to an agent.",
        escalates=True,
    ),
)


def escalation_intents(intents: tuple[IntentDefinition, ...]) -> list[str]:
    """Intent names after which the flow transfers to an agent (incl. Lex's fallback)."""
    return [i.name for i in intents if i.escalates] + [FALLBACK_INTENT]
