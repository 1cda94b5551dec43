"""The bot pilot's vocabulary, shared by the self-service flow (which records it on the contact) and
the analytics KPIs (which read it back from the contact trace records).

The seeds ask for a closed-loop rollout: pilot the bot with 5-10 % of traffic for 8 weeks, A/B
against agents, monitor precision/recall of its answers, and keep a human in the loop. The flow
draws each caller into an arm at random and stores the arm and the self-service outcome as contact
attributes; Connect copies contact attributes into the contact trace record."""

from __future__ import annotations

from enum import StrEnum

ARM_ATTRIBUTE = "pilotArm"
OUTCOME_ATTRIBUTE = "selfServiceOutcome"


class Arm(StrEnum):
    BOT = "bot"  # the caller talks to the bot first
    AGENT = "agent"  # the control arm: straight to an agent queue


class Outcome(StrEnum):
    RESOLVED = "resolved"  # the bot answered with enough confidence; no agent
    HANDED_BACK = "handed_back"  # the bot's answer was below the confidence floor: an agent takes over
    ESCALATED = "escalated"  # the caller asked for a person, nothing matched, or the bot failed
