"""Import discipline, checked in fresh interpreters: startup stays light, layers stay apart."""

import json
import pkgutil
import subprocess
import sys

import pytest

import interviewer

HEAVY = {"textual", "openai", "litellm"}
# What `interviewer --help` must not pay for: only argument parsing is needed.
NOT_FOR_HELP = HEAVY | {
    "pydantic",
    "yaml",
    "platformdirs",
    "interviewer.domain",
    "interviewer.bank",
}


def modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def loaded(modules: set[str], names: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in names or m in names}


def test_help_imports_only_what_parsing_needs() -> None:
    mods = modules_after(
        "from interviewer.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert "argparse" in mods
    assert loaded(mods, NOT_FOR_HELP) == set()


def test_commands_do_not_import_model_clients_or_textual() -> None:
    mods = modules_after("from interviewer.cli import main\nmain(['questions', '--json'])")
    assert "interviewer.bank.loader" in mods  # the command really ran
    assert loaded(mods, HEAVY) == set()


NON_TUI = sorted(
    m.name
    for m in pkgutil.walk_packages(interviewer.__path__, "interviewer.")
    if not m.name.startswith("interviewer.tui") and m.name != "interviewer.__main__"
)


def test_module_list_is_complete() -> None:
    assert {"interviewer.cli", "interviewer.bank.loader", "interviewer.engine.scoring"} <= set(
        NON_TUI
    )


@pytest.mark.parametrize("module", NON_TUI)
def test_non_tui_module_imports_no_textual_or_model_client(module: str) -> None:
    assert loaded(modules_after(f"import {module}"), HEAVY) == set()
