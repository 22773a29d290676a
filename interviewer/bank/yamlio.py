"""YAML parsing that keeps line numbers (for error messages) and rejects duplicate keys."""

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C loader is several times faster; fall back to pure Python where libyaml is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from interviewer.bank.problems import Path_


@dataclass
class Parsed:
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)  # data path -> 1-based line
    errors: list[tuple[int | None, Path_, str]] = field(default_factory=list)

    def line_of(self, path: Path_) -> int | None:
        """Line of the deepest part of `path` that exists in the document."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None


def parse_yaml(text: str) -> Parsed:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return Parsed(None, errors=[(line, (), f"invalid YAML: {exc.problem or exc}")])
    except yaml.YAMLError as exc:
        return Parsed(None, errors=[(None, (), f"invalid YAML: {exc}")])
    except RecursionError:
        return Parsed(None, errors=[(None, (), "invalid YAML: an alias refers to itself")])
    finally:
        loader.dispose()
    parsed = Parsed(data)
    if node is not None:
        parsed.lines[()] = node.start_mark.line + 1
        try:
            _index(node, (), parsed)
        except RecursionError:  # a self-referencing alias the constructor happened to accept
            return Parsed(None, errors=[(None, (), "invalid YAML: an alias refers to itself")])
    return parsed


def _index(node: yaml.Node, path: Path_, parsed: Parsed) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                parsed.errors.append((line, (*path, key), "duplicate key"))
            seen.add(key)
            parsed.lines[(*path, key)] = line
            _index(value_node, (*path, key), parsed)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            parsed.lines[(*path, i)] = item.start_mark.line + 1
            _index(item, (*path, i), parsed)
