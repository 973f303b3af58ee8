"""Exceptions the store raises; one class per expected failure."""


class StoreError(Exception):
    """Base class for every failure the store reports on purpose."""


class DatasetError(StoreError):
    """The built-in dataset files are malformed or inconsistent."""


class NotFound(StoreError):
    """A row that was asked for by key does not exist."""


class PermissionDenied(StoreError):
    """The acting user's role does not allow this write."""


class InvalidValue(StoreError):
    """A value offered for a write is out of range or malformed."""


class StaleValue(StoreError):
    """A value changed between the offer of a write and its confirmation; nothing was written."""


class CannotOpen(StoreError):
    """The database file cannot be opened or created (a missing folder, a directory, no access)."""


class NotADatabase(StoreError):
    """The file is not an SQLite database (random bytes, another kind of file)."""


class NotTfbotDatabase(StoreError):
    """The SQLite file belongs to another application: it has tables but no tfbot schema marker."""


class NewerDatabase(StoreError):
    """The database was migrated by a newer tfbot: it records a migration this version does not know."""


class ReadOnly(StoreError):
    """The database cannot be written (a read-only file or file system); reading still works."""
