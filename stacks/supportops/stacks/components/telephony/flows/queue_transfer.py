"""The transfer-to-queue flow quick connects use to escalate a contact between support levels."""

from __future__ import annotations

from supportops.stacks.components.telephony.flows.language import (
    Flow,
    disconnect,
    message,
    recording_with_redacted_analytics,
    transfer_to_queue,
)


def queue_transfer_flow(language: str = "en-US") -> Flow:
    return Flow(
        start_action="keep-redacted-recording",
        actions=(
            # Re-stated so an escalated contact keeps redacted-only analytics whatever came before.
            recording_with_redacted_analytics("keep-redacted-recording", "announce", language),
            message("announce", "Transferring you to a specialist.", "transfer"),
            transfer_to_queue("transfer", at_capacity="busy", on_error="busy"),
            message("busy", "Specialists are busy; please stay on the line or call back later.", "end"),
            disconnect("end"),
        ),
        description="Escalation between support levels (quick connects L1 -> L2 -> L3)",
    )
