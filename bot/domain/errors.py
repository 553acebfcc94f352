"""Typed errors. A UserError is the user's to fix and is shown in their language; anything else is ours."""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Something the user wrote or did that we refuse, with a catalog key that says how to do it right.

    `field` names the input (modal block id / command key) the error is about, so a modal can show it there.
    """

    def __init__(self, key: str, /, *, field: str | None = None, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        self.params = params

    def __repr__(self) -> str:
        return f"UserError({self.key!r}, field={self.field!r}, params={self.params!r})"


class NotAllowed(UserError):
    """The user may not do this (docs/product.md §7)."""


class NotFound(UserError):
    """The thing the user named does not exist in their workspace."""


class FieldErrors(UserError):
    """Several fields of a form are wrong: each error is shown on its own field."""

    def __init__(self, errors: list[UserError]) -> None:
        super().__init__(errors[0].key, field=errors[0].field, **errors[0].params)
        self.errors = errors
