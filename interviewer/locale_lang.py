"""The interface language from the environment, without importing anything heavy (the TUI
needs it for its first frame)."""

import locale
import os
from typing import Literal


def locale_language() -> Literal["zh", "en"]:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    code = locale.getlocale()[0] or ""
    return "zh" if code.lower().startswith("zh") else "en"
