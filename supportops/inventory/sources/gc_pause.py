"""Pause the cyclic garbage collector while building or evaluating a large inventory.

Loading a 10,000-resource file creates millions of small acyclic objects; every automatic collection
would rescan all of them. Nothing here creates reference cycles worth collecting mid-way, so the
collector is paused for the duration and restored (to its previous state) afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
