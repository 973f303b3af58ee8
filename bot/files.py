"""Files that come with an answer, handed over where there is no chat to send them to (the console, the CLI)."""

from pathlib import Path

from intents.message import Attachment


def saved(attachment: Attachment, folder: Path | None = None) -> str:
    """Write an attachment into the working folder (a new name beside an existing file, never over it) and
    return its path; the console has no other way to hand a file over."""
    folder = folder or Path.cwd()
    path = folder / attachment.filename
    stem, suffix, n = path.stem, path.suffix, 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}{suffix}"
    try:
        path.write_bytes(attachment.data)
    except OSError as exc:
        return f"{attachment.filename} (저장하지 못했습니다: {exc.strerror or exc})"
    return str(path)
