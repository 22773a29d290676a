"""Reading a text file the user pointed at: any failure is one line naming it."""

from pathlib import Path

from interviewer.errors import UsageError


def read_text_file(path: Path, where: str | None = None, kind: str = "file") -> str:
    """UTF-8 text (a BOM is dropped); `where` names the file in errors (e.g. the flag)."""
    name = where or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{name}: is a directory, not a {kind}") from None
    except OSError as exc:
        raise UsageError(f"{name}: cannot read: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
