"""Reading scenarios: ``extends`` a base, applies named ``changes``, validates strictly.

A scenario file may say ``extends: default`` (a shipped scenario) or ``extends: base.yaml``
(relative to the file), then override keys: mappings merge key by key, lists of items with
an ``id`` or ``code`` merge item by item, other values replace; an assumption the file
restates replaces the base's in every language. ``changes`` is a list of named changes, each
setting many dotted paths at once (a reform, in openfisca's words)::

    changes:
      - name: higher job price
        set:
          contract.outcomes.job_sustained_6m.price: 40000
          pathways.programme.periods.0.rows.jobseeking: {job_accelerator: 0.1, jobseeking: 0.9}
"""

from __future__ import annotations

import copy
import dataclasses
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from brobygger.errors import Problem, ScenarioError, schema_problems
from brobygger.scenario.schema import Scenario
from brobygger.yamlio import load_yaml

DEFAULT_SCENARIO = "default"
_META_KEYS = ("extends", "changes")


def shipped_scenarios_dir() -> Path:
    return Path(str(resources.files("brobygger") / "data" / "scenarios"))


def shipped_scenario_names() -> list[str]:
    return sorted(p.stem for p in shipped_scenarios_dir().glob("*.yaml"))


def resolve_path(name_or_path: str | Path | None, relative_to: Path | None = None) -> Path:
    """A file path, or the name of a shipped scenario ('default' when nothing is given)."""
    if name_or_path is None:
        name_or_path = DEFAULT_SCENARIO
    candidate = Path(name_or_path)
    if relative_to is not None and not candidate.is_absolute():
        local = relative_to.parent / candidate
        if local.exists():
            return local
    if candidate.exists():
        return candidate
    shipped = shipped_scenarios_dir() / f"{name_or_path}.yaml"
    if shipped.exists():
        return shipped
    names = ", ".join(shipped_scenario_names())
    raise ScenarioError(
        Problem(str(name_or_path), "", f"no such scenario file or shipped scenario "
                f"(shipped: {names})", "no_scenario", (("shipped", names),))
    )


def merge(base: Any, override: Any) -> Any:
    """Deep merge: mappings key by key, keyed lists item by item, everything else replaces."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    if isinstance(base, list) and isinstance(override, list):
        key = _list_key(base) or _list_key(override)
        if key and all(isinstance(i, dict) and key in i for i in base + override):
            out_list = [copy.deepcopy(i) for i in base]
            index = {item[key]: n for n, item in enumerate(out_list)}
            for item in override:
                if item[key] in index:
                    out_list[index[item[key]]] = merge(out_list[index[item[key]]], item)
                else:
                    out_list.append(copy.deepcopy(item))
            return out_list
    return copy.deepcopy(override)


def listed_twice(node: Any, source: str, where: str = "") -> list[Problem]:
    """Every item of a list keyed by id or code that the same list names twice."""
    problems: list[Problem] = []
    if isinstance(node, dict):
        for key, value in node.items():
            problems += listed_twice(value, source, f"{where}.{key}".lstrip("."))
    elif isinstance(node, list):
        key = _list_key(node)
        seen: set[str] = set()
        for item in node:
            if key is not None:
                name = str(item[key])
                if name in seen:
                    problems.append(Problem(source, f"{where}.{name}", f"{where} lists {name} "
                                            "twice", "listed_twice",
                                            (("list", where), ("item", name))))
                seen.add(name)
            problems += listed_twice(item, source, f"{where}.{item[key]}" if key else where)
    return problems


def _list_key(items: list[Any]) -> str | None:
    for key in ("id", "code"):
        if items and all(isinstance(i, dict) and key in i for i in items):
            return key
    return None


def named_location(location: str, data: Any) -> str:
    """``location`` with each position in a list whose items have an id or a code written
    as that id or code, as the file and a named change know them (``municipalities.0`` is
    ``municipalities.101``, ``contract.outcomes.1`` is ``contract.outcomes.job_start``);
    positions in other lists stay numbers, counted from 0."""
    parts = location.split(".")
    node = data
    for i, part in enumerate(parts):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            key = _list_key(node)
            node = node[int(part)]
            if key:
                parts[i] = str(node[key])
        elif isinstance(node, dict):
            found = next((k for k in node if str(k) == part), None)
            if found is None:
                break
            node = node[found]
        else:
            break
    return ".".join(parts)


def named_locations(problems: list[Problem], data: Any) -> list[Problem]:
    """:func:`named_location` for each problem."""
    return [dataclasses.replace(p, location=named_location(p.location, data))
            for p in problems]


def _select(node: Any, part: str, where: str) -> Any:
    if isinstance(node, dict):
        for key in node:
            if str(key) == part:
                return node[key]
        raise KeyError(where)
    if isinstance(node, list):
        key = _list_key(node)
        if key:
            for item in node:
                if str(item[key]) == part:
                    return item
        if part.isdigit() and int(part) < len(node):
            return node[int(part)]
    raise KeyError(where)


def apply_change(data: dict[str, Any], path: str, value: Any) -> None:
    """Set one dotted path; every part but the last must exist."""
    parts = path.split(".")
    node: Any = data
    for n, part in enumerate(parts[:-1]):
        node = _select(node, part, ".".join(parts[: n + 1]))
    last = parts[-1]
    if isinstance(node, dict):
        existing = next((k for k in node if str(k) == last), last)
        node[existing] = copy.deepcopy(value)
        return
    target = _select(node, last, path)
    if isinstance(target, dict) and isinstance(value, dict):
        target.clear()
        target.update(copy.deepcopy(value))
        return
    raise KeyError(path)


def read_raw(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The scenario's data with ``extends`` and ``changes`` resolved (not yet validated)."""
    path = path.resolve()
    if path in _seen:
        chain = " → ".join(str(p) for p in (*_seen, path))
        raise ScenarioError(Problem(str(path), "extends", f"scenarios extend in a circle: {chain}",
                                    "extends_circle", (("chain", chain),)))
    raw = load_yaml(path, ScenarioError)
    if not isinstance(raw, dict):
        raise ScenarioError(Problem(str(path), "", "a scenario file holds a mapping",
                                    "not_a_mapping"))
    data: dict[str, Any] = {k: v for k, v in raw.items() if k not in _META_KEYS}
    base_name = raw.get("extends")
    if base_name is not None:
        # an item listed twice in the file would be merged into the base's twice, the
        # second silently replacing the first: said instead
        twice = listed_twice(data, str(path))
        if twice:
            raise ScenarioError(twice)
        try:
            base_path = resolve_path(str(base_name), relative_to=path)
        except ScenarioError:  # said where: this file's ``extends``
            names = ", ".join(shipped_scenario_names())
            raise ScenarioError(Problem(
                str(path), "extends", f"{base_name}: no such scenario file or shipped "
                f"scenario (shipped: {names})", "no_base_scenario",
                (("name", str(base_name)), ("shipped", names)))) from None
        base = read_raw(base_path, (*_seen, path))
        data = merge(base, data)
        own = raw.get("assumptions")
        if isinstance(own, dict) and isinstance(data.get("assumptions"), dict):
            # an assumption the scenario restates replaces the base's in every language: a
            # new English text must not keep the base's Danish one (or the other way round)
            data["assumptions"].update(copy.deepcopy(own))
    changes = raw.get("changes") or []
    if not isinstance(changes, list):
        raise ScenarioError(Problem(str(path), "changes", "a list of changes (each with 'name' "
                                    "and 'set')", "changes_not_a_list"))
    problems = apply_changes(data, changes, str(path))
    if problems:
        raise ScenarioError(problems)
    return data


def apply_changes(data: dict[str, Any], changes: list[Any], source: str) -> list[Problem]:
    """Apply named changes to resolved scenario data in place; the problems, if any."""
    problems: list[Problem] = []
    for n, change in enumerate(changes):
        where = f"changes.{n}"
        if not isinstance(change, dict) or set(change) - {"name", "description", "set"} \
                or "name" not in change or not isinstance(change.get("set"), dict):
            problems.append(Problem(source, where, "a change has 'name', 'set' and "
                                    "optionally 'description'", "change_shape"))
            continue
        for dotted, value in change["set"].items():
            try:
                apply_change(data, str(dotted), value)
            except KeyError as exc:
                problems.append(Problem(source, f"{where} ({change['name']}).set.{dotted}",
                                        f"no such key: {exc.args[0]}", "no_such_key",
                                        (("key", str(exc.args[0])),)))
    return problems


def load_scenario(name_or_path: str | Path | None = None, *, check: bool = True) -> Scenario:
    """Load, validate and check a scenario; every problem is reported at once."""
    path = resolve_path(name_or_path)
    data = read_raw(path)
    scenario = parse_scenario(data, source=str(path))
    if check:
        from brobygger.scenario.check import check_scenario

        problems = check_scenario(scenario, source=str(path))
        if problems:
            raise ScenarioError(problems)
    return scenario


def parse_scenario(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(named_locations(schema_problems(exc, source, got=True), data)
                            ) from exc
