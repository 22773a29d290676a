"""Settings: file < env < flags; INTERVIEWER_HOME; no secrets held or shown."""

from pathlib import Path

import pytest

from interviewer import paths
from interviewer.errors import ConfigError
from interviewer.settings import load_settings, redact_url


def write_config(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_home_relocates_config_and_data(isolated_home: Path) -> None:
    assert paths.config_file() == isolated_home / "config.toml"
    assert paths.data_dir() == isolated_home / "data"


def test_defaults_without_a_file() -> None:
    s = load_settings(environ={})
    assert (s.grader, s.follow_up_depth, s.banks, s.models) == ("offline", 2, ["builtin"], {})


def test_precedence_file_then_env_then_cli(isolated_home: Path) -> None:
    write_config(
        isolated_home,
        'language = "zh"\nfollow_up_depth = 1\ngrader = "local"\n'
        '[models.local]\nmodel = "openai/qwen"\napi_base = "http://localhost:8080/v1"\n',
    )
    env = {"INTERVIEWER_FOLLOW_UP_DEPTH": "3", "INTERVIEWER_MODELS__LOCAL__TIMEOUT": "5"}
    s = load_settings(environ=env)
    assert (s.language, s.follow_up_depth, s.grader) == ("zh", 3, "local")
    assert s.models["local"].timeout == 5.0
    assert s.models["local"].api_base == "http://localhost:8080/v1"  # nested merge keeps it
    s = load_settings(cli={"language": "en", "follow_up_depth": None}, environ=env)
    assert (s.language, s.follow_up_depth) == ("en", 3)


def test_banks_from_env_split_like_path() -> None:
    s = load_settings(environ={"INTERVIEWER_BANKS": "/a:/b"})
    assert s.banks == ["/a", "/b"]


def test_language_from_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert load_settings(environ={}).lang == "zh"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert load_settings(environ={}).lang == "en"


@pytest.mark.parametrize(
    ("toml", "env", "expected"),
    [
        (
            "follow_up_depth = 7\n",
            {},
            "config.toml: follow_up_depth: Input should be less than or equal to 3",
        ),
        ("colour = 1\n", {}, "config.toml: colour: unknown setting"),
        ("language = \n", {}, "config.toml: invalid TOML"),
        (
            "",
            {"INTERVIEWER_FOLLOW_UP_DEPTH": "lots"},
            "INTERVIEWER_FOLLOW_UP_DEPTH: Input should be a valid integer",
        ),
        ("", {"INTERVIEWER_COLOUR": "blue"}, "INTERVIEWER_COLOUR: unknown setting"),
        (
            "[models.x]\nmodel = 'm'\ntimeout = -1\n",
            {},
            "models.x.timeout: Input should be greater than 0",
        ),
    ],
)
def test_errors_name_the_file_or_variable(
    isolated_home: Path, toml: str, env: dict, expected: str
) -> None:
    write_config(isolated_home, toml)
    with pytest.raises(ConfigError) as info:
        load_settings(environ=env)
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


def test_settings_refuse_api_keys_and_never_echo_them(isolated_home: Path) -> None:
    write_config(
        isolated_home, '[models.cloud]\nmodel = "openai/gpt-4o"\napi_key = "sk-live-123456"\n'
    )
    with pytest.raises(ConfigError) as info:
        load_settings(environ={})
    assert "api_key_env" in str(info.value)
    assert "sk-live-123456" not in str(info.value)
    # a key pasted where the variable *name* belongs is rejected without being shown
    write_config(
        isolated_home, '[models.cloud]\nmodel = "openai/gpt-4o"\napi_key_env = "sk-live-123456"\n'
    )
    with pytest.raises(ConfigError) as info:
        load_settings(environ={})
    assert "models.cloud.api_key_env" in str(info.value)
    assert "sk-live-123456" not in str(info.value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://user:sk-secret@host:8000/v1", "https://***@host:8000/v1"),
        ("https://host/v1?api_key=sk-secret&x=1", "https://host/v1?api_key=***&x=1"),
        ("http://localhost:11434/v1", "http://localhost:11434/v1"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected


def test_redacted_shows_key_variable_state_not_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_KEY", "sk-very-secret")
    env = {
        "INTERVIEWER_MODELS__C__MODEL": "openai/gpt-4o",
        "INTERVIEWER_MODELS__C__API_KEY_ENV": "MY_KEY",
    }
    shown = load_settings(environ=env).redacted()
    assert shown["models"]["c"]["api_key"] == "from $MY_KEY (set)"
    assert "sk-very-secret" not in repr(shown)
