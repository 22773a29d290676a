"""Which grader a command uses: `--grader offline | PROFILE | provider/model`."""

from interviewer.engine.offline import OfflineGrader
from interviewer.errors import ConfigError, UsageError
from interviewer.settings import Settings

OFFLINE = "offline"


def resolve_grader(name: str | None, settings: Settings) -> OfflineGrader:
    """The grader named on the command line or in the settings.

    Only the offline grader exists so far; a profile or provider/model is recognised and
    refused with a clear message until the model clients land.
    """
    name = (name or settings.grader).strip()
    if name == OFFLINE:
        return OfflineGrader()
    if name in settings.models or "/" in name:
        raise ConfigError(
            f"--grader {name}: model graders are not available in this version yet; "
            "use --grader offline"
        )
    profiles = ", ".join(sorted(settings.models)) or "none configured"
    raise UsageError(
        f"--grader {name}: not 'offline', a profile ({profiles}) or a provider/model name"
    )
