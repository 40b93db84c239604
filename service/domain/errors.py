"""What a domain operation refuses, in words a user can act on; each front end shows them its own way."""

from __future__ import annotations


class DomainError(Exception):
    """An operation refused; `detail` names the field or object first ("url: …", "source 3 …")."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class Invalid(DomainError):
    """A value is not acceptable (a URL that is malformed or not public, an unknown webhook id)."""


class NotFound(DomainError):
    """The object named does not exist."""


class Conflict(DomainError):
    """The operation clashes with what exists (a source with this URL, a delivery being sent)."""
