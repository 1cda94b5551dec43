"""The import closure a plan records: with the per-project index of each file's import statements it
is the same as parsing every file, an edited file is read again, a damaged index is ignored with a
warning, and computing it runs none of the code it follows."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from supportops.cache.imports import import_closure
from supportops.cache.store import Cache, NoCache

REPO = Path(__file__).resolve().parents[2]
DEMO_MAIN = REPO / "stacks" / "__main__.py"


def write_program(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    main = "import helpers\nfrom supportops.errors import BadInput\n"
    (root / "__main__.py").write_text(main, encoding="utf-8")
    (root / "helpers.py").write_text("KEY_ROTATION = True\n", encoding="utf-8")
    (root / "extra.py").write_text("WINDOW = 7\n", encoding="utf-8")
    return root


def names(closure: dict[Path, str | None], root: Path) -> set[str]:
    return {path.name for path in closure if path.is_relative_to(root)}


def test_on_the_demo_program_the_index_gives_the_closure_of_a_cold_computation(tmp_path: Path) -> None:
    dirs = [DEMO_MAIN.parent]
    cold = import_closure([DEMO_MAIN], dirs)
    store = Cache(tmp_path / "cache")
    first = import_closure([DEMO_MAIN], dirs, store)  # writes the index
    again = import_closure([DEMO_MAIN], dirs, store)  # answered from it
    assert first == again == cold
    assert REPO / "stacks/supportops/stacks/program.py" in cold
    # job_policies reads it with importlib.import_module("supportops.inventory.live"): followed too
    assert REPO / "supportops/inventory/live/permissions.py" in cold
    assert cold[DEMO_MAIN] == hashlib.sha256(DEMO_MAIN.read_bytes()).hexdigest()


def test_the_closure_runs_none_of_the_code_it_follows(tmp_path: Path) -> None:
    before = {name for name in sys.modules if name.startswith("supportops.")}
    closure = import_closure([DEMO_MAIN], [DEMO_MAIN.parent], Cache(tmp_path / "cache"))
    assert REPO / "stacks/supportops/stacks/phases/analytics.py" in closure
    assert {name for name in sys.modules if name.startswith("supportops.")} == before


def test_an_edited_file_is_parsed_again_and_its_new_imports_followed(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    program = write_program(tmp_path / "program")
    store = Cache(tmp_path / "cache")
    first = import_closure([program / "__main__.py"], [program], store)
    assert names(first, program) == {"__main__.py", "helpers.py"}
    assert REPO / "supportops" / "errors.py" in first

    parsed = request.getfixturevalue("parsed_files")  # from here on
    edit = "from extra import WINDOW\nKEY_ROTATION = WINDOW > 3\n"
    (program / "helpers.py").write_text(edit, encoding="utf-8")
    edited = import_closure([program / "__main__.py"], [program], store)
    # The unchanged files (ours included) come from the index; extra.py is new to the closure.
    assert sorted(parsed) == [str(program / "extra.py"), str(program / "helpers.py")]
    assert names(edited, program) == {"__main__.py", "helpers.py", "extra.py"}
    assert edited[program / "helpers.py"] == hashlib.sha256((program / "helpers.py").read_bytes()).hexdigest()
    assert edited == import_closure([program / "__main__.py"], [program], NoCache())


@pytest.mark.parametrize("damage", ["truncated", "foreign"])
def test_a_damaged_index_is_ignored_with_a_warning(tmp_path: Path, damage: str) -> None:
    program = write_program(tmp_path / "program")
    warnings: list[str] = []
    store = Cache(tmp_path / "cache", warn=warnings.append)
    expected = import_closure([program / "__main__.py"], [program], store)
    (entry,) = (p for p in (tmp_path / "cache").rglob("*") if p.is_file())
    if damage == "truncated":
        entry.write_bytes(entry.read_bytes()[:-5])
    else:  # a well-formed entry whose content is not an index (another format, a stray write)
        store.put("imports", entry.name, b'{"__main__.py": ["not a digest", [["helpers", 0]]]}')
    assert import_closure([program / "__main__.py"], [program], store) == expected
    assert len(warnings) == 1 and "ignored" in warnings[0]
    warnings.clear()
    assert import_closure([program / "__main__.py"], [program], store) == expected  # rewritten
    assert warnings == []


def test_a_module_imported_by_a_literal_name_is_followed(tmp_path: Path) -> None:
    program = write_program(tmp_path / "program")
    lazy = "import importlib\n\ndef window() -> int:\n    return importlib.import_module('extra').WINDOW\n"
    (program / "helpers.py").write_text(lazy, encoding="utf-8")
    closure = import_closure([program / "__main__.py"], [program])
    assert names(closure, program) == {"__main__.py", "helpers.py", "extra.py"}


def test_without_a_cache_every_file_is_parsed(tmp_path: Path) -> None:
    program = write_program(tmp_path / "program")
    (program / "helpers.py").write_text("import extra\n", encoding="utf-8")
    closure = import_closure([program / "__main__.py"], [program], NoCache())
    assert names(closure, program) == {"__main__.py", "helpers.py", "extra.py"}
    assert not (tmp_path / "cache").exists()
