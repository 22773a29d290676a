"""Bilingual text."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

Lang = Literal["zh", "en"]


class Frozen(BaseModel):
    """Base for rubric objects: immutable, no unknown fields (typos in YAML are errors)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Localized(Frozen):
    """A text in Chinese and English; at least one is required, `--strict` wants both."""

    zh: str = ""
    en: str = ""

    @model_validator(mode="after")
    def _one_language(self) -> "Localized":
        if not self.zh.strip() and not self.en.strip():
            raise ValueError("needs text in at least one language (zh or en)")
        return self

    def get(self, lang: Lang) -> str:
        """The text in `lang`, falling back to the other language."""
        primary, other = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return primary.strip() or other.strip()

    def complete(self) -> bool:
        return bool(self.zh.strip() and self.en.strip())
