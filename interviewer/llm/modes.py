"""Structured-output modes: which one a model gets, and remembering what worked for `auto`."""

import json
import os
from pathlib import Path
from typing import Any

from interviewer import paths
from interviewer.llm.types import StructuredMode

AUTO_ORDER: tuple[StructuredMode, ...] = ("json_schema", "json_object", "prompt")


def response_format(
    mode: StructuredMode, name: str, schema: dict[str, Any]
) -> dict[str, Any] | None:
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}
    if mode == "json_object":
        return {"type": "json_object"}
    return None  # "prompt": the schema travels in the prompt


class ModeMemory:
    """`auto` tries the modes in order once per model and remembers the one that worked."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.data_dir() / "model_modes.json"

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def get(self, key: str) -> StructuredMode | None:
        mode = self._load().get(key)
        return mode if mode in AUTO_ORDER else None  # type: ignore[return-value]

    def remember(self, key: str, mode: StructuredMode) -> None:
        data = self._load()
        if data.get(key) == mode:
            return
        data[key] = mode
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass  # forgetting only costs a retry next time
