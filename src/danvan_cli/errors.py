"""The few error classes the core raises; only cli.py turns them into exit codes."""

from __future__ import annotations


class DanvanError(Exception):
    """A problem the user can fix; ``str(err)`` is a complete Vietnamese message."""

    exit_code = 1


class UnreadableFileError(DanvanError):
    """The file is not a workbook we can open (missing, corrupt, encrypted, too large)."""


class InvalidWorkbookError(DanvanError):
    """The workbook was read but holds errors; the report lists them."""

    def __init__(self, message: str, report: object | None = None) -> None:
        super().__init__(message)
        self.report = report


class UsageError(DanvanError):
    """Wrong command-line use (bad period code, bad date option…): exit 2."""

    exit_code = 2


class OutputExistsError(DanvanError):
    """The output file exists and ``--force`` was not given."""


class TemplateError(DanvanError):
    """A report template has a syntax error, an unknown variable or an unsafe construct."""


class ConfigError(DanvanError):
    """``danvan.toml`` cannot be read or holds a wrong setting; the message names the file, the
    setting and its line."""
