"""The TF store: schema, built-in dataset and queries over SQLite (sqlite-utils)."""

import sys

# sqlite-utils imports numpy when it is installed (matplotlib brings it, for charts) only to map numpy types to
# columns, which tfbot never inserts: 0.1-0.2 s of every `tfbot ask`. It is kept from that one import; a chart
# imports numpy as usual afterwards.
if "numpy" not in sys.modules and "sqlite_utils" not in sys.modules:
    sys.modules["numpy"] = None  # type: ignore[assignment]   # `import numpy` raises ImportError meanwhile
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]

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
