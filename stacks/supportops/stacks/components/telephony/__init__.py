"""Amazon Connect telephony: the instance, storage, routing, RBAC security profiles and contact flows."""

from supportops.stacks.components.telephony.contact_center import ContactCenter, ContactCenterArgs
from supportops.stacks.components.telephony.storage import StorageKeys

__all__ = ["ContactCenter", "ContactCenterArgs", "StorageKeys"]
