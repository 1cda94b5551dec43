"""ticket-sync: contact events -> tickets in Zendesk, Salesforce or ServiceNow (stdlib + boto3 only).

Shipped to Lambda as this folder (package ``ticket_sync``); importable in tests as
``supportops.stacks.functions.ticket_sync``. Modules use relative imports so both work.
"""
