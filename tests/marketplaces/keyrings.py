"""Keyring backends for the tests: none of them is the machine's real keyring.

:class:`MemoryKeyring` is a complete keyring backend (keyring's ``KeyringBackend`` interface)
that keeps passwords in a dict; :class:`RefusingKeyring` claims to be usable but refuses to
store, as a locked Secret Service does. keyring's own ``fail`` backend stands for "no keyring".
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError, PasswordSetError


class MemoryKeyring(KeyringBackend):
    """Passwords in memory, by (service, username)."""

    priority = 0.1  # type: ignore[assignment] # usable, below any real backend

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class RefusingKeyring(MemoryKeyring):
    """A keyring that is there but refuses to store anything (locked, no D-Bus session)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        if len(self.passwords) >= self.allowed:
            raise PasswordSetError("the collection is locked")
        super().set_password(service, username, password)

    allowed = 0
