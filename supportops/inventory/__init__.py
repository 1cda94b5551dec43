"""The inventory: one model of resources shared by the offline plan, state and preview files and the
live account. Rules evaluate inventories and never call AWS."""
