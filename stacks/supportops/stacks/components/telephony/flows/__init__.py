"""Contact flows generated from typed Python: inbound routing, escalation transfer, card payment."""

from supportops.stacks.components.telephony.flows.inbound import InboundFlowInputs, inbound_flow
from supportops.stacks.components.telephony.flows.language import Action, Flow, FlowError
from supportops.stacks.components.telephony.flows.payment import PaymentModuleInputs, payment_module
from supportops.stacks.components.telephony.flows.queue_transfer import queue_transfer_flow

__all__ = [
    "Action",
    "Flow",
    "FlowError",
    "InboundFlowInputs",
    "PaymentModuleInputs",
    "inbound_flow",
    "payment_module",
    "queue_transfer_flow",
]
