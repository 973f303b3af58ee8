"""The TF store: schema, built-in dataset and queries over SQLite (sqlite-utils)."""

from store.errors import (
    CannotOpen,
    DatasetError,
    InvalidValue,
    NewerDatabase,
    NotADatabase,
    NotFound,
    NotTfbotDatabase,
    PermissionDenied,
    ReadOnly,
    StaleValue,
    StoreError,
)
from store.store import Row, Store

__all__ = ["CannotOpen", "DatasetError", "InvalidValue", "NewerDatabase", "NotADatabase", "NotFound",
           "NotTfbotDatabase", "PermissionDenied", "ReadOnly", "Row", "StaleValue", "Store",
           "StoreError"]
