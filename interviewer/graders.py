"""Which grader a command uses: `--grader offline | PROFILE | provider/model`."""

from interviewer.engine.offline import OfflineGrader
from interviewer.errors import ConfigError
from interviewer.settings import Settings

OFFLINE = "offline"


def resolve_grader(
    name: str | None,
    settings: Settings,
    api_base: str | None = None,
    api_key_env: str | None = None,
) -> OfflineGrader:
    """The grader named on the command line or in the settings.

    A profile or provider/model is resolved (so a typo or a missing key is reported now), and
    then refused with a clear message until model grading lands."""
    name = (name or settings.grader).strip()
    if name == OFFLINE and not api_base:
        return OfflineGrader()
    from interviewer.llm.secrets import read_key
    from interviewer.llm.spec import resolve_model

    spec = resolve_model(name, settings, api_base, api_key_env)
    read_key(spec.api_key_env, spec.key_required, spec.model)
    raise ConfigError(
        f"--grader {spec.label}: model graders are not available in this version yet; "
        "use --grader offline (`interviewer models check` tests the connection)"
    )
