"""Bank YAML written the way the bundled bank is: bilingual texts and signal groups inline,
long texts as literal blocks, fields in the documented order, a comment header."""

from typing import Any

import yaml

_ORDER = (
    "id number title question tags difficulty draft review source_points source_answer "
    "reference_answer key_points misconceptions probes levels"
).split()
_INLINE_MAX = 100  # a {zh, en} pair longer than this goes on separate lines


class _Flow(dict):  # type: ignore[type-arg]
    """A mapping written inline: {zh: ..., en: ...}."""


class _FlowList(list):  # type: ignore[type-arg]
    """A list written inline: [[L1, lasso], [稀疏, sparse]]."""


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _flow_map(dumper: yaml.SafeDumper, value: _Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


def _flow_list(dumper: yaml.SafeDumper, value: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Flow, _flow_map)
_Dumper.add_representer(_FlowList, _flow_list)


def _localized(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    texts = [v for v in value.values() if isinstance(v, str)]
    if all("\n" not in t for t in texts) and sum(map(len, texts)) <= _INLINE_MAX:
        return _Flow(value)
    return value


_LOCALIZED = {"title", "question", "text", "hint", "correction", "description", "label"}


def _shape(value: Any, key: str = "") -> Any:
    """Mark what is written inline."""
    if isinstance(value, dict):
        if key in _LOCALIZED or key == "reference_answer":
            return _localized(value) if key != "reference_answer" else value
        if key == "signal":
            return _Flow({k: _shape(v, k) for k, v in value.items()})
        return {k: _shape(v, k) for k, v in value.items()}
    if isinstance(value, list):
        if key in ("all", "none"):
            return _FlowList(_FlowList(g) for g in value)
        if key in ("tags", "targets", "challenges", "review") and all(
            isinstance(v, str) for v in value
        ):
            return _FlowList(value)
        item_key = "signal" if key == "signals" else ""
        return [_shape(v, item_key) for v in value]
    return value


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    known = {k: data[k] for k in _ORDER if k in data}
    return known | {k: v for k, v in data.items() if k not in known}


def dump_question(data: dict[str, Any], header: str = "") -> str:
    """YAML text for one question file (header lines become comments)."""
    body = yaml.dump(
        _shape(_ordered(data)),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    comments = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    return comments + body
