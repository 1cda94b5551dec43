"""Inventories from Pulumi's own files: ``pulumi stack export`` (deployment v3) and
``pulumi preview --json``. :func:`load.load_inventory` is the one entry point."""
