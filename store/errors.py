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
