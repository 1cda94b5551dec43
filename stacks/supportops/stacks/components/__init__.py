"""Component resources, one folder per concern (security, telephony, crm, ...)."""
