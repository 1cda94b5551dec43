"""Compare two runs of ./scripts/demo.sh: the same files with the same content, apart from what
changes on every run (timestamps, drill and campaign ids, moto-generated keys, ports, hashes of
files that embed those, the git commit).

    OUT=/tmp/before ./scripts/demo.sh   # on the old commit
    OUT=/tmp/after ./scripts/demo.sh    # on the new one
    python3 scripts/compare_demo.py /tmp/before /tmp/after [--same OLD=NEW ...]

``--same OLD=NEW`` declares an expected rename (a moved file, another checkout folder): OLD in the
before-run's files reads as NEW. Exit 0 when every file matches after normalising, 1 with the
differences listed otherwise.
Uses only the standard library, so it runs with any python3.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

# What varies between two honest runs of the same code, replaced by a stable placeholder.
VOLATILE = [
    (re.compile(r"\b(dr|ar|cmp|campaign)-[0-9]{8,14}-[0-9a-f]{4,}\b"), r"\1-<id>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?"), "<time>"),
    (re.compile(r"\b\d{8}T\d{6}Z\b"), "<stamp>"),
    (re.compile(r"\b\d{14}\b"), "<stamp>"),
    (re.compile(r'"bytes": \d+'), '"bytes": <n>'),
    (re.compile(r"\b[0-9a-f]{64}\b"), "<sha256>"),
    (re.compile(r"\b[0-9a-f]{40}\b"), "<sha1>"),
    (re.compile(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b"), "<access-key>"),
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:<port>"),
    (re.compile(r'"gitDirty": (true|false)'), '"gitDirty": <dirty>'),
    (re.compile(r"\b\d+(\.\d+)? ?(ms|s|min|h)\b"), "<duration>"),
    (re.compile(r'("path": "[\w.]*(?:achieved|Seconds)\w*", "observed": )[0-9.e-]+'), r"\1<n>"),
    (re.compile(r"(evaluationSeconds(?:</dt><dd>|\W+))[0-9.e-]+"), r"\1<n>"),
    (
        re.compile(
            r'"(durationSeconds|elapsedSeconds|seconds|rtoSeconds|rpoSeconds|achieved\w*)": [0-9.e-]+'
        ),
        r'"\1": <n>',
    ),
    (re.compile(r"/tmp/[^\s\"'<]+"), "<tmp>"),
]
ID_DIR = re.compile(r"^(dr|ar)-\d{14}-[0-9a-f]+$")


def normalise(text: str) -> str:
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def files_of(root: Path) -> dict[str, Path]:
    """Relative path -> file; run-id folder names are replaced by their rank, so runs pair up."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        parts = list(path.relative_to(root).parts)
        for index, part in enumerate(parts[:-1]):
            if ID_DIR.match(part):
                siblings = sorted(
                    p.name for p in root.joinpath(*parts[:index]).iterdir() if ID_DIR.match(p.name)
                )
                parts[index] = f"{part.split('-')[0]}-#{siblings.index(part)}"
        found["/".join(parts)] = path
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Compare two demo runs.", epilog=__doc__)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--same", action="append", default=[], metavar="OLD=NEW")
    args = parser.parse_args(argv)
    renames = [rename.split("=", 1) for rename in args.same if "=" in rename]
    before, after = files_of(args.before), files_of(args.after)
    differences = 0
    for name in sorted(before.keys() | after.keys()):
        if name not in after or name not in before:
            print(f"{'only in before' if name in before else 'only in after'}: {name}")
            differences += 1
            continue
        old_text = before[name].read_text(encoding="utf-8", errors="replace")
        for old_name, new_name in renames:
            old_text = old_text.replace(old_name, new_name)
        old = normalise(old_text)
        new = normalise(after[name].read_text(encoding="utf-8", errors="replace"))
        if old != new:
            differences += 1
            diff = list(
                difflib.unified_diff(old.splitlines(), new.splitlines(), name, name, n=0, lineterm="")
            )
            print(f"differs: {name} ({len(diff)} diff lines)")
            removed = [line[1:] for line in diff[2:] if line.startswith("-")]
            added = [line[1:] for line in diff[2:] if line.startswith("+")]
            for old_line, new_line in list(zip(removed, added, strict=False))[:6]:
                at = next((i for i, (a, b) in enumerate(zip(old_line, new_line, strict=False)) if a != b), 0)
                print(f"    - …{old_line[max(0, at - 60) : at + 100]}")
                print(f"    + …{new_line[max(0, at - 60) : at + 100]}")
    print(f"{len(before.keys() & after.keys())} files compared, {differences} differ")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
