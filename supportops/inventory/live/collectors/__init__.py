"""One collector module per AWS service (see :mod:`supportops.inventory.live.collector`)."""
