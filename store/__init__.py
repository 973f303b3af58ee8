"""The TF store: schema, built-in dataset and queries over SQLite (sqlite-utils)."""

from store.errors import DatasetError, InvalidValue, NotFound, PermissionDenied, StoreError
from store.store import Row, Store

__all__ = ["DatasetError", "InvalidValue", "NotFound", "PermissionDenied", "Row", "Store", "StoreError"]
