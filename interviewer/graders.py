"""Which grader a command uses: `--grader offline | PROFILE | provider/model`."""

from typing import Any

from interviewer.engine.offline import OfflineGrader
from interviewer.settings import Settings

OFFLINE = "offline"


def resolve_grader(
    name: str | None,
    settings: Settings,
    api_base: str | None = None,
    api_key_env: str | None = None,
    *,
    samples: int = 1,
    lang: str | None = None,
) -> Any:
    """The offline grader, or a model grader for a profile or provider/model. A model spec is
    resolved and its key read now, so a typo or a missing key is reported before any work."""
    name = (name or settings.grader).strip()
    if name == OFFLINE and not api_base:
        return OfflineGrader(lang=lang)
    from interviewer.llm.grader import LLMGrader
    from interviewer.llm.spec import resolve_model

    return LLMGrader(
        resolve_model(name, settings, api_base, api_key_env), samples=samples, lang=lang
    )
