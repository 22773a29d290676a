"""What every command needs from its arguments: settings, the bank, output helpers."""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from interviewer.bank.loader import Bank, load_bank, require_valid
from interviewer.settings import Settings, load_settings


def settings_from(args: argparse.Namespace) -> Settings:
    cli = {"language": getattr(args, "lang", None), "banks": getattr(args, "bank", None)}
    config = getattr(args, "config", None)
    return load_settings(cli=cli, config_path=Path(config) if config else None)


def bank_from(settings: Settings) -> Bank:
    return require_valid(load_bank(list(settings.banks)))


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
