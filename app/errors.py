"""Exceptions the core raises; each message is Chinese and fit to show a clerk."""


class LedgerError(Exception):
    """Base class: the message is shown to the user as it is."""


class UserInputError(LedgerError):
    """Bad input or usage; nothing was written (CLI exit code 2)."""


class LedgerLocked(LedgerError):
    """Another running instance holds the ledger (CLI exit code 3)."""


class LedgerDamaged(LedgerError):
    """The file failed `quick_check` or is not a ledger; `backup` names the newest good backup."""

    def __init__(self, message: str, backup: str | None = None) -> None:
        super().__init__(message)
        self.backup = backup


class LedgerTooNew(LedgerError):
    """The file was written by a newer version of the program."""


class NetworkPathRefused(LedgerError):
    """The ledger lies on a network drive, where SQLite locking is unreliable."""


class PermissionDenied(LedgerError):
    """The signed-in user's role does not allow the action."""
