"""The text of a document file: HWP and HWPX (hwp-hwpx-parser), PDF (pdfplumber), plain text (UTF-8 or CP949).
The readers are imported when a document arrives, not with the engine: pdfplumber alone takes 0.3 s to import,
and every `tfbot ask` would pay it.

A file that cannot be read — protected (a password, a 배포용 HWP, DRM), corrupt, too large, of another kind —
raises Unreadable with the Korean sentence to answer with; nothing is stored for it.
"""

import io
import re
import struct
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 10 * 1024 * 1024          # a file sent or named
MAX_UNPACKED = 60 * 1024 * 1024       # an HWPX's XML once unzipped: more is a zip bomb, not a press release
MAX_PDF_PAGES = 300
MAX_CHARS = 400_000                   # text kept of one document
KINDS = {".hwp": "hwp", ".hwpx": "hwpx", ".pdf": "pdf", ".txt": "txt"}
KIND_NAME = {"hwp": "한글(HWP)", "hwpx": "한글(HWPX)", "pdf": "PDF", "txt": "텍스트", "paste": "붙여넣은 글"}
NOTHING = "아무것도 저장하지 않았습니다."
_HWP_SIGNATURE = b"HWP Document File"
_HWP_PASSWORD, _HWP_DISTRIBUTION, _HWP_DRM = 0x02, 0x04, 0x10   # FileHeader properties (HWP 5.0 format, 3.2.1)
_BLANK_RUNS = re.compile(r"\n{3,}")


class Unreadable(Exception):
    """A document whose text cannot be read; its message is the Korean reply."""


@dataclass(frozen=True)
class Extracted:
    """A document's text and what kind of file it came from."""

    kind: str
    text: str


def kind_of(file_name: str) -> str | None:
    """The kind of document a file name says (hwp, hwpx, pdf, txt), or None."""
    return KINDS.get(Path(file_name).suffix.lower())


def extract(file_name: str, data: bytes) -> Extracted:
    """The text of a document file, or Unreadable saying why not."""
    kind = kind_of(file_name)
    shown = file_name[:80]
    if kind is None:
        raise Unreadable(f"'{shown}'은(는) 읽을 수 없는 형식입니다. HWP, HWPX, PDF, TXT 파일을 보내 주세요. {NOTHING}")
    if len(data) > MAX_BYTES:
        raise Unreadable(f"'{shown}'은(는) 너무 큽니다({len(data) / 1024 / 1024:.1f}MB). "
                         f"{MAX_BYTES // 1024 // 1024}MB 이하의 파일만 받습니다. {NOTHING}")
    reader = {"hwp": _hwp, "hwpx": _hwpx, "pdf": _pdf, "txt": _txt}[kind]
    text = tidy(reader(shown, data))
    if not text.strip():
        why = " (스캔한 그림으로만 된 PDF일 수 있습니다)" if kind == "pdf" else ""
        raise Unreadable(f"'{shown}'에서 글자를 찾지 못했습니다{why}. {NOTHING}")
    return Extracted(kind, text)


def tidy(text: str) -> str:
    """Text as stored: NFC, Unix line ends, no control characters but tab and newline, at most one blank line
    in a row, trailing spaces dropped, capped at MAX_CHARS."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(ch for ch in text if ch in "\n\t" or (ch.isprintable() and unicodedata.category(ch) != "Co"))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")[:MAX_CHARS]


def _corrupt(shown: str, kind: str) -> Unreadable:
    return Unreadable(f"'{shown}'을(를) 읽을 수 없습니다: 손상되었거나 {KIND_NAME[kind]} 파일이 아닙니다. {NOTHING}")


def _hwp(shown: str, data: bytes) -> str:
    """HWP 5.0: the FileHeader is checked here (hwp-hwpx-parser notices a password, not a 배포용 or DRM
    document), then the parser reads the body from a private temporary copy (it reads paths only)."""
    import olefile

    if not olefile.isOleFile(data=data):
        raise _corrupt(shown, "hwp")
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            header = ole.openstream("FileHeader").read(40) if ole.exists("FileHeader") else b""
            has_body = ole.exists("BodyText/Section0")
            has_view = ole.exists("ViewText/Section0")
    except OSError as exc:
        raise _corrupt(shown, "hwp") from exc
    if len(header) < 40 or not header.startswith(_HWP_SIGNATURE):
        raise _corrupt(shown, "hwp")
    properties = struct.unpack_from("<I", header, 36)[0]
    if properties & _HWP_DISTRIBUTION or (has_view and not has_body):
        raise Unreadable(f"'{shown}'은(는) 배포용 한글 문서라 본문이 암호화되어 있어 읽을 수 없습니다. "
                         f"배포용이 아닌 HWP·HWPX로 저장하거나 PDF로 바꿔 다시 보내 주세요. {NOTHING}")
    if properties & _HWP_PASSWORD:
        raise Unreadable(f"'{shown}'은(는) 암호가 걸린 한글 문서라 읽을 수 없습니다. "
                         f"암호를 푼 파일이나 PDF로 다시 보내 주세요. {NOTHING}")
    if properties & _HWP_DRM:
        raise Unreadable(f"'{shown}'은(는) DRM 보안이 걸린 한글 문서라 읽을 수 없습니다. "
                         f"보안을 해제한 파일이나 PDF로 다시 보내 주세요. {NOTHING}")
    return _parse_hwp_family(shown, data, ".hwp")


def _hwpx(shown: str, data: bytes) -> str:
    """HWPX: a zip of XML; checked for a zip bomb and a password before the parser reads it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise Unreadable(f"'{shown}'은(는) 압축을 풀면 {MAX_UNPACKED // 1024 // 1024}MB가 넘습니다. "
                                 f"보도자료로 보기에는 너무 커서 읽지 않았습니다. {NOTHING}")
            names = {i.filename for i in infos}
            manifest = zf.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _corrupt(shown, "hwpx") from exc
    if not any(n.startswith("Contents/section") for n in names):
        raise _corrupt(shown, "hwpx")
    if b"encryption-data" in manifest.lower():
        raise Unreadable(f"'{shown}'은(는) 암호가 걸린 한글 문서라 읽을 수 없습니다. "
                         f"암호를 푼 파일이나 PDF로 다시 보내 주세요. {NOTHING}")
    return _parse_hwp_family(shown, data, ".hwpx")


def _parse_hwp_family(shown: str, data: bytes, suffix: str) -> str:
    """Text of an HWP or HWPX by hwp-hwpx-parser, tables as tab-separated lines."""
    from hwp_hwpx_parser import ExtractOptions, Reader, TableStyle

    options = ExtractOptions(table_style=TableStyle.CSV, table_delimiter="\t", include_empty_paragraphs=False)
    with tempfile.TemporaryDirectory(prefix="tfbot-doc-") as folder:
        path = Path(folder) / f"document{suffix}"
        path.write_bytes(data)
        try:
            with Reader(path) as reader:
                if reader.is_encrypted:
                    raise Unreadable(f"'{shown}'은(는) 암호가 걸린 한글 문서라 읽을 수 없습니다. {NOTHING}")
                return str(reader.extract_text(options))
        except Unreadable:
            raise
        except Exception as exc:   # the parser raises whatever its format errors become (struct, zlib, XML …)
            raise _corrupt(shown, suffix.lstrip(".")) from exc


def _pdf(shown: str, data: bytes) -> str:
    """PDF by pdfplumber; a PDF that needs a password to open is refused (one with only an owner password,
    which any reader opens, is read)."""
    import pdfplumber

    if not data.startswith(b"%PDF"):
        raise _corrupt(shown, "pdf")
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise Unreadable(f"'{shown}'은(는) {len(pdf.pages):,}쪽이라 너무 깁니다. "
                                 f"{MAX_PDF_PAGES}쪽 이하의 문서만 받습니다. {NOTHING}")
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    except Unreadable:
        raise
    except Exception as exc:   # pdfminer wraps its errors (PdfminerException) and raises others bare
        if _needs_password(exc):
            raise Unreadable(f"'{shown}'은(는) 암호가 걸린 PDF라 읽을 수 없습니다. "
                             f"암호를 푼 PDF로 다시 보내 주세요. {NOTHING}") from exc
        raise _corrupt(shown, "pdf") from exc


def _needs_password(exc: BaseException) -> bool:
    """Whether a pdfplumber failure (or what it wraps) is pdfminer's 'password incorrect' or 'encryption'."""
    seen: BaseException | None = exc
    while seen is not None:
        inner = [seen, *(a for a in seen.args if isinstance(a, BaseException))]
        if any(type(e).__name__ in ("PDFPasswordIncorrect", "PDFEncryptionError") for e in inner):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _txt(shown: str, data: bytes) -> str:
    """Plain text in UTF-8 (with or without a BOM) or CP949, as Korean Windows saves it."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Unreadable(f"'{shown}'의 글자 인코딩을 알 수 없습니다. UTF-8이나 CP949(한글 윈도우)로 저장해 다시 "
                     f"보내 주세요. {NOTHING}")
