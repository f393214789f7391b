"""YAML reading that refuses what PyYAML would silently accept (duplicate keys)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from brobygger.errors import BrobyggerError, Problem


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader whose mappings reject duplicate keys (PyYAML keeps the last one)."""


class _Refused(yaml.constructor.ConstructorError):
    """What the strict loader refuses, with the problem's kind and figures (so it can be
    said in the user's language)."""

    def __init__(self, message: str, mark: Any, kind: str, figures: tuple) -> None:
        super().__init__(None, None, message, mark)
        self.kind = kind
        self.figures = figures


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            line = key_node.start_mark.line + 1
            raise _Refused(f"duplicate key {key!r} (line {line})", key_node.start_mark,
                           "duplicate_yaml_key", (("key", repr(key)), ("line", str(line))))
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


def _construct_timestamp(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    """A date or time as PyYAML reads it; an impossible one (2018-02-30) is an error at its
    line instead of a ValueError from deep inside the loader."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError as exc:
        raise _Refused(f"{node.value!r} is not a valid date", node.start_mark,
                       "impossible_yaml_date", (("date", repr(node.value)),)) from exc


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_yaml(path: Path | str, error: type[BrobyggerError] = BrobyggerError) -> Any:
    """Read one YAML file strictly; a syntax error or duplicate key names the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error(Problem(str(path), "", "no such file", "no_such_file")) from exc
    except OSError as exc:
        raise error(Problem(str(path), "", f"cannot read: {exc.strerror}", "cannot_read",
                            (("reason", str(exc.strerror)),))) from exc
    except UnicodeDecodeError as exc:
        raise error(Problem(str(path), f"byte {exc.start}", "not UTF-8 text: save the file as "
                            "UTF-8", "not_utf8")) from exc
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(exc, "problem", None) or str(exc)
        kind, context = (exc.kind, exc.figures) if isinstance(exc, _Refused) else \
            ("malformed_yaml", (("reason", str(what)),))
        raise error(Problem(str(path), where, f"malformed YAML: {what}", kind, context)) from exc
