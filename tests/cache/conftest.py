"""The cache tests plan small projects in this process; their `helpers` module must not leak from one
test's project into the next (the planner runs programs in-process, as Pulumi's language host does in
its own process)."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_program_modules() -> Iterator[None]:
    sys.modules.pop("helpers", None)
    yield
    sys.modules.pop("helpers", None)


@pytest.fixture
def parsed_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose import statements are parsed from now on (not answered by the import index)."""
    import supportops.cache.imports as imports

    parsed: list[str] = []
    real = imports.import_refs

    def recording(source: bytes, name: str) -> list[tuple[int, str]]:
        parsed.append(name)
        return real(source, name)

    monkeypatch.setattr(imports, "import_refs", recording)
    return parsed
