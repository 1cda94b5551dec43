"""CRM/ticketing integration: contact events to tickets, webhook callbacks, customer context/profiles."""

from supportops.stacks.components.crm.integration import CrmIntegration, CrmIntegrationArgs, CrmKeys

__all__ = ["CrmIntegration", "CrmIntegrationArgs", "CrmKeys"]
