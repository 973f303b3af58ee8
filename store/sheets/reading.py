"""A spreadsheet file's sheets as rows of cells: xlsx, xls and ods through python-calamine, CSV in UTF-8 (with or
without BOM) or CP949. A file too large, packed to inflate far beyond its size, locked with a password or
damaged is refused with a sentence saying which, before anything reads its contents."""

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from store.errors import StoreError
from store.sheets.cells import Raw

MAX_FILE_BYTES = 10 * 1024 * 1024          # what the bot accepts from chat, and the CLI from disk
MAX_UNPACKED_BYTES = 200 * 1024 * 1024     # a zip's declared contents, all entries together
MAX_RATIO = 100                            # declared size / packed size of one entry (only past 1 MB)
MAX_ENTRIES = 10_000
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = (*SPREADSHEETS, ".csv")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # a compound file: .xls, or an encrypted .xlsx
_ZIP = b"PK\x03\x04"


class UnreadableFile(StoreError):
    """A file that cannot be read as a spreadsheet; the message says why, in one sentence."""


@dataclass(frozen=True)
class RawSheet:
    """A sheet as read: its name and its rows of cells (the first is the header row; row i is sheet row i+1)."""

    name: str
    rows: list[list[Raw]]


def megabytes(size: int) -> str:
    """A size as `10.5MB`."""
    return f"{size / 1024 / 1024:.1f}MB"


def too_large(name: str, size: int) -> str:
    """The sentence refusing a file over MAX_FILE_BYTES."""
    return (f"'{name}' 파일이 너무 큽니다({megabytes(size)}). {megabytes(MAX_FILE_BYTES)} 이하만 받습니다: "
            "시트를 나누어 보내 주세요.")


def read_path(path: Path) -> list[RawSheet]:
    """The sheets of a file on disk (its size checked before it is read)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableFile(too_large(path.name, size))
        data = path.read_bytes()
    except IsADirectoryError:
        raise UnreadableFile(f"파일이 아니라 폴더입니다: {path}") from None
    except FileNotFoundError:
        raise UnreadableFile(f"파일이 없습니다: {path}") from None
    except PermissionError:
        raise UnreadableFile(f"파일을 읽을 권한이 없습니다: {path}") from None
    return read_file(path.name, data)


def read_file(name: str, data: bytes) -> list[RawSheet]:
    """The sheets of a spreadsheet file given as bytes, by its suffix: UnreadableFile says why it cannot be."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableFile(f"'{name}'은(는) 가져올 수 있는 형식이 아닙니다 (받는 형식: {', '.join(SUFFIXES)}).")
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(too_large(name, len(data)))
    if not data:
        raise UnreadableFile(f"'{name}' 파일이 비어 있습니다.")
    if suffix == ".csv":
        return [RawSheet(Path(name).stem, _csv_rows(name, data))]
    if data.startswith(_OLE) and suffix != ".xls":
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise UnreadableFile(f"'{name}'은(는) 암호로 보호된 파일이라 읽을 수 없습니다. 암호를 해제해 저장한 뒤 "
                                 "다시 보내 주세요.")
        raise UnreadableFile(f"'{name}'은(는) {suffix} 파일이 아닙니다 (예전 .xls 형식이면 확장자를 .xls로).")
    if suffix != ".xls":
        _check_zip(name, data)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return [RawSheet(sheet, [list[Raw](row) for row in book.get_sheet_by_name(sheet).to_python(
            skip_empty_area=False)]) for sheet in book.sheet_names]
    except PasswordError:
        raise UnreadableFile(f"'{name}'은(는) 암호로 보호된 파일이라 읽을 수 없습니다. 암호를 해제해 저장한 뒤 "
                             "다시 보내 주세요.") from None
    except (CalamineError, ValueError, OSError) as exc:
        raise UnreadableFile(f"'{name}' 파일을 읽을 수 없습니다: 손상되었거나 {suffix} 형식이 아닙니다 "
                             f"({type(exc).__name__}).") from None


def _check_zip(name: str, data: bytes) -> None:
    """Refuse a zip (xlsx, ods) that is damaged or whose declared contents would inflate past the limits."""
    if not data.startswith(_ZIP):
        raise UnreadableFile(f"'{name}' 파일을 읽을 수 없습니다: 손상되었거나 {Path(name).suffix} 형식이 아닙니다.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as packed:
            entries = packed.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise UnreadableFile(f"'{name}' 파일이 손상되어 읽을 수 없습니다 (압축 구조가 깨졌습니다).") from None
    total = sum(e.file_size for e in entries)
    swollen = [e for e in entries if e.file_size > 1024 * 1024 and e.file_size > MAX_RATIO * max(e.compress_size, 1)]
    if len(entries) > MAX_ENTRIES or total > MAX_UNPACKED_BYTES or swollen:
        raise UnreadableFile(f"'{name}'은(는) 압축을 풀면 {megabytes(total)}로 부풀어 열지 않습니다 "
                             f"(압축 폭탄으로 보입니다; 허용: {megabytes(MAX_UNPACKED_BYTES)}, "
                             f"항목당 {MAX_RATIO}배).")


def _csv_rows(name: str, data: bytes) -> list[list[Raw]]:
    """CSV rows: UTF-8 (a BOM dropped) or, as Korean Excel saves it, CP949."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(f"'{name}'의 글자 인코딩을 알 수 없습니다 (UTF-8 또는 CP949로 저장해 주세요).")
    if "\x00" in text:
        raise UnreadableFile(f"'{name}'은(는) CSV 텍스트 파일이 아닙니다.")
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise UnreadableFile(f"'{name}' CSV를 읽을 수 없습니다: {exc}") from None
