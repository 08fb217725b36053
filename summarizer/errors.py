"""The exceptions the package raises; every message says what went wrong and how to fix it.

    SummarizerError
    ├── InputError            the articles given cannot be used
    │   ├── PathNotFoundError     a path on the command line does not exist
    │   └── NoArticlesError       nothing readable was found in the paths given
    ├── ConfigError           options or environment are inconsistent (engine, budget, ...)
    ├── EngineError           an engine failed to produce a brief
    └── OutputError           the brief could not be written

Exceptions of dependencies (OSError, pydantic.ValidationError, openai.APIError) are translated into
this tree at the boundary where they happen (`raise ... from exc`), so callers catch one family.
"""

from __future__ import annotations


class SummarizerError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(SummarizerError):
    """The articles given cannot be used."""


class PathNotFoundError(InputError):
    """A path given does not exist."""


class NoArticlesError(InputError):
    """No readable article was found in the paths given."""


class ConfigError(SummarizerError):
    """Options or environment are inconsistent."""


class EngineError(SummarizerError):
    """An engine failed to produce a brief."""


class OutputError(SummarizerError):
    """The brief could not be written."""


class SummarizerWarning(UserWarning):
    """Something was skipped or a fallback taken; the brief was still produced (see Brief.warnings)."""
