"""Footer key labels in the interface language (bindings are declared in English)."""

from dataclasses import replace
from typing import Any

from interviewer.tui.i18n import key_label


class LocalizedKeys:
    """Mixed into each screen: the footer reads `active_bindings`, so translate them there."""

    @property
    def active_bindings(self) -> dict[str, Any]:
        active = super().active_bindings  # type: ignore[misc]
        lang = getattr(self, "lang", None) or self.app.lang  # type: ignore[attr-defined]
        if lang != "zh":
            return active
        return {
            key: item._replace(
                binding=replace(item.binding, description=key_label(item.binding.description, lang))
            )
            for key, item in active.items()
        }
