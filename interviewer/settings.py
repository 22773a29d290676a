"""Settings: config file < INTERVIEWER_* env vars < CLI flags, validated in one pydantic model.

Settings never hold an API key, only the name of the environment variable that does.
"""

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from interviewer import paths
from interviewer.bank.problems import format_path
from interviewer.errors import ConfigError
from interviewer.locale_lang import locale_language

ENV_PREFIX = "INTERVIEWER_"
# Env vars with this prefix that are not settings fields.
_ENV_NOT_SETTINGS = {paths.HOME_ENV, paths.CONFIG_ENV}
_SECRET_KEYS = {"api_key", "apikey", "key", "token", "secret", "password"}
_SECRET_QUERY = re.compile(r"key|token|secret|password|sig", re.IGNORECASE)
REDACTED = "***"


class ModelProfile(BaseModel):
    """A `[models.NAME]` table: how to reach one model."""

    model_config = ConfigDict(extra="forbid")

    model: str
    api_base: str | None = None
    api_key_env: Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")] | None = None
    structured: Literal["json_schema", "json_object", "prompt", "auto"] = "auto"
    timeout: Annotated[float, Field(gt=0)] = 60.0
    max_retries: Annotated[int, Field(ge=0, le=10)] = 2
    temperature: Annotated[float, Field(ge=0, le=2)] = 0.0
    max_tokens: Annotated[int, Field(gt=0)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_keys(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            for key in data:
                if str(key).lower() in _SECRET_KEYS:
                    raise ValueError(
                        f"{key!r}: settings never hold an API key; set api_key_env to the name "
                        "of the environment variable that holds it"
                    )
        return data


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Literal["zh", "en"] | None = None  # None: from the locale
    banks: list[str] = ["builtin"]  # bank directories; "builtin" is the bundled bank
    grader: str = "offline"  # offline | a profile name | provider/model
    follow_up_depth: Annotated[int, Field(ge=0, le=3)] = 2
    time_limit: Annotated[int, Field(gt=0)] | None = None  # seconds per question; marks overtime
    models: dict[str, ModelProfile] = {}

    @field_validator("banks", mode="before")
    @classmethod
    def _split_banks(cls, value: Any) -> Any:
        # from an env var: a path list separated like PATH
        return [p for p in value.split(os.pathsep) if p] if isinstance(value, str) else value

    @property
    def lang(self) -> Literal["zh", "en"]:
        return self.language or locale_language()

    def redacted(self) -> dict[str, Any]:
        """The effective settings for display: credentials in URLs masked, key env vars named."""
        data = self.model_dump(mode="json")
        data["language"] = self.lang
        for name, profile in data["models"].items():
            if profile.get("api_base"):
                profile["api_base"] = redact_url(profile["api_base"])
            env = self.models[name].api_key_env
            profile["api_key"] = (
                f"from ${env} ({'set' if os.environ.get(env) else 'not set'})" if env else None
            )
        return data


def redact_url(url: str) -> str:
    """Mask a password / token in the userinfo or the query of a URL."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return REDACTED
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rsplit('@', 1)[1]}"
    query = urlencode(
        [(k, REDACTED if _SECRET_QUERY.search(k) else v) for k, v in parse_qsl(parts.query)],
        safe="*",
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _env_layer(environ: Mapping[str, str]) -> tuple[dict[str, Any], dict[tuple[str, ...], str]]:
    """INTERVIEWER_FOLLOW_UP_DEPTH=1, INTERVIEWER_MODELS__LOCAL__API_BASE=... as nested data."""
    data: dict[str, Any] = {}
    origin: dict[tuple[str, ...], str] = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or name in _ENV_NOT_SETTINGS:
            continue
        keys = tuple(k.lower() for k in name[len(ENV_PREFIX) :].split("__"))
        node = data
        for key in keys[:-1]:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                break
        else:
            node[keys[-1]] = value
            origin[keys] = name
    return data, origin


def _merge(base: dict[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_file(path: Path, required: bool) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        if required:  # named explicitly: a typo must not silently mean "defaults"
            raise ConfigError(f"{path}: no such config file") from None
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def load_settings(
    cli: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> Settings:
    """Settings from the config file, then env vars, then CLI flags (highest)."""
    environ = os.environ if environ is None else environ
    explicit = config_path or paths.explicit_config_file()
    path = explicit or paths.config_file()
    file_data = _read_file(path, required=explicit is not None)
    env_data, env_origin = _env_layer(environ)
    cli = {k: v for k, v in (cli or {}).items() if v is not None}
    try:
        return Settings.model_validate(_merge(_merge(file_data, env_data), cli))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(str(p) for p in err["loc"])
        field = format_path(err["loc"])
        if loc[:1] and loc[0] in cli:
            source = f"--{loc[0].replace('_', '-')}"
        elif any(loc[: len(k)] == k for k in env_origin):
            source = next(env_origin[k] for k in env_origin if loc[: len(k)] == k)
        else:
            source = f"{path}: {field}"
        message = {"extra_forbidden": "unknown setting"}.get(
            err["type"], err["msg"].removeprefix("Value error, ")
        )
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        # never echo the input value: it could be a secret pasted in the wrong place
        raise ConfigError(f"{source}: {message}{more}") from None
