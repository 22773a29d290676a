"""`interviewer config show|path`."""

import argparse
import json

from interviewer import paths
from interviewer.commands._context import print_json, settings_from


def _toml_value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON scalars and arrays are valid TOML


def run(args: argparse.Namespace) -> int:
    config_file = args.config if getattr(args, "config", None) else str(paths.config_file())
    if args.config_command == "path":
        if args.json:
            print_json({"config_file": config_file, "data_dir": str(paths.data_dir())})
        else:
            print(f"config: {config_file}")
            print(f"data:   {paths.data_dir()}")
        return 0
    data = settings_from(args).redacted()
    if args.json:
        print_json(
            {"config_file": config_file, "data_dir": str(paths.data_dir()), "settings": data}
        )
        return 0
    print(f"# effective settings (file: {config_file}; secrets redacted)")
    models = data.pop("models")
    for key, value in data.items():
        if value is not None:
            print(f"{key} = {_toml_value(value)}")
    for name, profile in models.items():
        print(f"\n[models.{name}]")
        for key, value in profile.items():
            if value is not None:
                print(f"{key} = {_toml_value(value)}")
    return 0
