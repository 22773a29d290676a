"""Where config and data live. INTERVIEWER_HOME relocates both (tests always set it)."""

import os
from pathlib import Path

APP = "interviewer"
HOME_ENV = "INTERVIEWER_HOME"
CONFIG_ENV = "INTERVIEWER_CONFIG"


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    home = _home()
    if home:
        return home
    import platformdirs

    return platformdirs.user_config_path(APP)


def data_dir() -> Path:
    home = _home()
    if home:
        return home / "data"
    import platformdirs

    return platformdirs.user_data_path(APP)


def explicit_config_file() -> Path | None:
    value = os.environ.get(CONFIG_ENV, "").strip()
    return Path(value).expanduser() if value else None


def cache_dir() -> Path:
    """Derived data that can be thrown away (the parsed bank)."""
    home = _home()
    if home:
        return home / "cache"
    import platformdirs

    return platformdirs.user_cache_path(APP)


def config_file() -> Path:
    """The TOML settings file: INTERVIEWER_CONFIG, else config.toml in the config dir."""
    return explicit_config_file() or config_dir() / "config.toml"
