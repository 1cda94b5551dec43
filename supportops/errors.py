"""Errors every part of supportops raises for problems the user can fix.

The CLI turns these into one readable line and an exit code; tracebacks are shown only with --debug.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_FINDINGS = 1  # something failed a rule, a target was missed, a verification failed
EXIT_BAD_INPUT = 2  # bad input or usage
EXIT_ENVIRONMENT = 3  # stopped by the environment: an AWS call failed after retries, an endpoint is down
MAX_PROBLEM_CHARS = 400


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[: limit - 30]}… ({len(text):,} characters)"


class SupportopsError(Exception):
    """A known failure with a message meant for the user."""

    exit_code = EXIT_BAD_INPUT


@dataclass(frozen=True)
class InputProblem:
    """One problem in one input: the file, where in it, and what is wrong."""

    source: str
    location: str
    problem: str

    def __str__(self) -> str:
        # Every part can hold text from the input (a key, a value in a custom message): bounded here,
        # once, so no error line can carry an unbounded value, whoever built it.
        where = _bounded(self.source, 300)
        if self.location:
            where = f"{where}: {_bounded(self.location, 300)}"
        return f"{where}: {_bounded(self.problem, MAX_PROBLEM_CHARS)}"


class EnvironmentFailure(SupportopsError):
    """The run was stopped by something outside the inputs: an AWS call that failed after retries,
    missing permissions, an unreachable endpoint (exit code 3, distinct from findings)."""

    exit_code = EXIT_ENVIRONMENT


class BadInput(SupportopsError):
    """One or more problems in an input file or argument (exit code 2)."""

    def __init__(self, problems: InputProblem | Iterable[InputProblem]) -> None:
        self.problems = [problems] if isinstance(problems, InputProblem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, source: str | Path, location: str, problem: str) -> BadInput:
        return cls(InputProblem(str(source), location, problem))


def dotted_path(parts: Sequence[int | str], prefix: str = "") -> str:
    """Where in a document: ``("steps", 2, "type")`` -> ``steps[2].type`` (after ``prefix``, if any)."""
    text = prefix
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
