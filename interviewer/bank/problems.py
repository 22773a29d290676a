"""A problem found in a bank file, reported as `file:line: field.path: message`."""

from dataclasses import dataclass
from typing import Literal

Path_ = tuple[str | int, ...]


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    path: Path_ = ()
    line: int | None = None
    kind: Literal["structure", "policy", "warning"] = "structure"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {format_path(self.path)}:" if self.path else ""
        return f"{where}:{field} {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "path": format_path(self.path),
            "message": self.message,
            "kind": self.kind,
        }
