"""Policy-as-code: rules over the inventory, frameworks as data, waivers, the CrossGuard pack."""
