"""One exception type per kind of failure.

Each carries its exit code, so the CLI edge can turn any of them into a
one-line message without knowing where it was raised.
"""

from __future__ import annotations

from collections.abc import Sequence


class MedinfoError(Exception):
    """Base class; never raised itself."""

    exit_code = 2


class DrugNotFound(MedinfoError):
    exit_code = 1

    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.suggestions = list(suggestions)
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"No drug named {query!r} in this dataset.{hint}")


class AmbiguousName(MedinfoError):
    """The query is close to several drugs; guessing could show the wrong one."""

    exit_code = 1

    def __init__(self, query: str, candidates: Sequence[str]) -> None:
        self.query = query
        self.suggestions = list(candidates)
        super().__init__(
            f"{query!r} could be several drugs; nothing was guessed. "
            f"Did you mean: {', '.join(self.suggestions)}?"
        )


class NoResults(MedinfoError):
    exit_code = 1


class UsageError(MedinfoError):
    exit_code = 2


class UnknownSection(UsageError):
    def __init__(self, name: str, nearest: Sequence[str]) -> None:
        self.name = name
        self.nearest = list(nearest)
        super().__init__(
            f"Unknown section {name!r}. Nearest: {', '.join(self.nearest)} "
            "(see 'medinfo sections')."
        )


class DataError(MedinfoError):
    """The data on disk is unusable as a whole (for example, duplicate ids)."""

    exit_code = 2


class InvalidMonograph(DataError):
    """One data file breaks the schema; `problems` holds every finding."""

    def __init__(self, problems: Sequence[object]) -> None:
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else "invalid monograph"
        more = f" (+{len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(first + more)


class CacheError(MedinfoError):
    """The search index cannot be built or read even after a rebuild."""

    exit_code = 2
