"""Read the five YAML files (user dir first, shipped defaults for any missing) and validate.

Errors are collected across all files and raised together as ConfigError, each
line `FILE:LINE: key.path: message`. Key paths look like `tiers[2].min_spend`;
`(top)` is the file itself and `(yaml)` a syntax problem. Lines come from the
YAML node marks: the file is composed into a node tree (safe loader only), and
each pydantic error location is walked through that tree.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from custui.config.messages import Messages
from custui.config.schema import allowed_keys
from custui.config.settings import Settings
from custui.domain.models.base import Loc, StrictModel
from custui.domain.models.care import Care
from custui.domain.models.loyalty import Loyalty
from custui.domain.models.segments import Segments
from custui.domain.models.surveys import Surveys
from custui.errors import ConfigError
from custui.paths import CONFIG_FILES, shipped_config_dir

M = TypeVar("M", bound=StrictModel)

MODELS: dict[str, type[StrictModel]] = {
    "settings.yaml": Settings,
    "loyalty.yaml": Loyalty,
    "surveys.yaml": Surveys,
    "segments.yaml": Segments,
    "care.yaml": Care,
    "messages.yaml": Messages,
}


@dataclass(frozen=True)
class AppConfig:
    settings: Settings
    loyalty: Loyalty
    surveys: Surveys
    segments: Segments
    care: Care
    # file name -> the path it was read from
    sources: dict[str, Path] = field(default_factory=dict)
    messages: Messages = field(default_factory=Messages)

    @property
    def currency(self) -> str:
        return self.settings.currency


@dataclass(frozen=True, order=True)
class Problem:
    """One config problem; str() gives `FILE:LINE: key.path: message`."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path}: {self.message}"


def format_loc(loc: Loc) -> str:
    """("tiers", 2, "min_spend") -> "tiers[2].min_spend"; () -> "(top)"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top)"


def source_path(name: str, config_dir: Path | None) -> Path:
    if config_dir is not None and (config_dir / name).is_file():
        return config_dir / name
    return shipped_config_dir() / name


# --- YAML: parse to a node tree, with marks -----------------------------------


@dataclass
class _Parsed:
    path: Path
    node: Node | None = None
    data: Any = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int, loc: Loc | str, message: str) -> None:
        where = loc if isinstance(loc, str) else format_loc(loc)
        self.problems.append(Problem(str(self.path), line, where, message))


def _line(node: Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def _parse(path: Path) -> _Parsed:
    parsed = _Parsed(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        parsed.problem(1, "(file)", f"cannot read the file: {exc}")
        return parsed
    loader = yaml.SafeLoader(text)
    try:
        parsed.node = loader.get_single_node()
        if parsed.node is not None:
            if not _aliases_ok(parsed, parsed.node):
                parsed.node = None
                return parsed
            _check_nodes(parsed, parsed.node, ())
            parsed.data = loader.construct_document(parsed.node)
    except RecursionError:
        parsed.problem(loader.get_mark().line + 1, "(yaml)",
                       "values are nested too deeply to read (hundreds of levels)")
        parsed.node = parsed.data = None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = exc.problem or "invalid YAML"
        if exc.context:
            detail += f" ({exc.context}"
            if exc.context_mark is not None and exc.context_mark is not mark:
                detail += f" at line {exc.context_mark.line + 1}"
            detail += ")"
        parsed.problem(mark.line + 1 if mark else 1, "(yaml)", f"YAML syntax error: {detail}")
        parsed.node = parsed.data = None
    except yaml.YAMLError as exc:
        parsed.problem(1, "(yaml)", f"YAML error: {exc}")
        parsed.node = parsed.data = None
    finally:
        loader.dispose()
    return parsed


# A config file holds a few hundred values; aliases (*name) may repeat some, but a file that
# expands past this many (a "billion laughs": aliases of aliases) is refused before anything
# walks the expanded tree, so checking it costs one visit per distinct node.
MAX_EXPANDED_NODES = 50_000


def _children(node: Node) -> list[tuple[str | int, Node]]:
    if isinstance(node, MappingNode):
        return [(part, n) for key, value in node.value
                for part, n in (("(key)", key), (_key_text(key), value))]
    if isinstance(node, SequenceNode):
        return list(enumerate(node.value))
    return []


def expanded_sizes(root: Node, limit: int = MAX_EXPANDED_NODES) -> dict[int, int] | None:
    """id(node) -> how many nodes it holds with aliases expanded (capped just above `limit`),
    visiting each distinct node once; None when an alias refers to a node containing it."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            total = 1 + sum(sizes[id(child)] for _part, child in _children(node))
            sizes[key] = min(total, limit + 1)
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            return None
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for _part, child in reversed(_children(node))
                     if id(child) not in sizes)
    return sizes


def _aliases_ok(parsed: _Parsed, root: Node) -> bool:
    """Refuse aliases that refer to themselves or expand past MAX_EXPANDED_NODES."""
    sizes = expanded_sizes(root)
    if sizes is None:
        parsed.problem(1, "(yaml)", "an alias (*name) refers to the value that contains it")
        return False
    if sizes[id(root)] <= MAX_EXPANDED_NODES:
        return True
    node = root
    loc: Loc = ()
    while True:  # down to the smallest value that is still too big: where the aliases pile up
        big = [(part, child) for part, child in _children(node) if sizes[id(child)] > MAX_EXPANDED_NODES]
        if not big:
            break
        part, node = big[0]
        loc = (*loc, part)
    parsed.problem(
        _line(node), loc,
        f"aliases (*name) expand this value to more than {MAX_EXPANDED_NODES:,} values; "
        "write the values out or repeat fewer of them",
    )
    return False


def _key_text(node: Node) -> str:
    return str(node.value) if isinstance(node, ScalarNode) else "?"


def _check_nodes(parsed: _Parsed, node: Node, loc: Loc) -> None:
    """Duplicate mapping keys and duplicate `id`s in lists, anywhere in the tree."""
    if isinstance(node, MappingNode):
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = _key_text(key_node)
            if key == "<<":
                continue
            if key in first_line:
                parsed.problem(
                    _line(key_node), (*loc, key),
                    f"duplicate key {key!r} (first at line {first_line[key]})",
                )
            else:
                first_line[key] = _line(key_node)
            _check_nodes(parsed, value_node, (*loc, key))
    elif isinstance(node, SequenceNode):
        first: dict[str, tuple[int, int]] = {}
        for index, item in enumerate(node.value):
            _check_nodes(parsed, item, (*loc, index))
            id_node = _find_key(item, "id")
            if id_node is None or not isinstance(id_node[1], ScalarNode):
                continue
            ident = str(id_node[1].value)
            if ident in first:
                other, other_line = first[ident]
                parsed.problem(
                    _line(id_node[1]), (*loc, index, "id"),
                    f"duplicate id {ident!r} (also {format_loc((*loc, other))} at line {other_line})",
                )
            else:
                first[ident] = (index, _line(id_node[1]))


def _find_key(node: Node, key: str) -> tuple[Node, Node] | None:
    """The (key node, value node) for `key` in a mapping node, following `<<` merges."""
    if not isinstance(node, MappingNode):
        return None
    found = None
    merges: list[Node] = []
    for key_node, value_node in node.value:
        if _key_text(key_node) == key:
            found = (key_node, value_node)  # the last one wins, as in the loaded data
        elif _key_text(key_node) == "<<":
            merges.extend(value_node.value if isinstance(value_node, SequenceNode) else [value_node])
    if found is None:
        for merged in merges:
            found = found or _find_key(merged, key)
    return found


def _walk(root: Node | None, loc: Loc) -> tuple[Node | None, Node | None]:
    """Follow a pydantic error location; returns (value node, key node of the last step).

    Parts that name nothing in the tree (pydantic's union tags) are skipped.
    """
    node, key_node = root, None
    for part in loc:
        if isinstance(node, MappingNode):
            pair = _find_key(node, str(part))
            if pair is not None:
                key_node, node = pair
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            key_node, node = None, node.value[part]
    return node, key_node


def line_of(root: Node | None, loc: Loc) -> int:
    """The 1-based line of the value at `loc` (the closest existing ancestor if absent)."""
    return _line(_walk(root, loc)[0])


# --- validation -----------------------------------------------------------------


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _error_problem(parsed: _Parsed, model: type[BaseModel], error: Any) -> None:
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "missing":
        node, _ = _walk(parsed.node, loc[:-1])
        parsed.problem(_line(node), loc, "required key is missing")
        return
    if kind == "extra_forbidden":
        node, key_node = _walk(parsed.node, loc)
        allowed = allowed_keys(model, loc[:-1])
        message = "unknown key"
        if allowed:
            close = _close_match(str(loc[-1]), allowed)
            message += f"; did you mean {close!r}?" if close else ""
            message += f" (allowed: {', '.join(allowed)})"
        parsed.problem(_line(key_node or node), loc, message)
        return
    node, _ = _walk(parsed.node, loc)
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    scalar = isinstance(value, str | int | float | bool) or value is None
    if scalar and not (isinstance(value, str) and repr(value) in message):
        message += f" (got {_describe(value)})"
    parsed.problem(_line(node), loc, message)


def _close_match(word: str, options: list[str]) -> str | None:
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return matches[0] if matches else None


def _validate(parsed: _Parsed, model: type[StrictModel], currency: str) -> StrictModel | None:
    """Validate one parsed file; problems go to `parsed`. None when it does not validate."""
    if parsed.node is None and parsed.problems:
        return None  # unreadable or a syntax error: already reported
    data = {} if parsed.data is None else parsed.data
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({_describe(data)})"
        parsed.problem(
            _line(parsed.node), "(top)",
            f"the file must be a mapping of keys (like `currency: VND`), not {kind}",
        )
        return None
    try:
        result = model.model_validate(data, context={"currency": currency})
    except ValidationError as exc:
        for error in exc.errors():
            _error_problem(parsed, model, error)
        return None
    for loc, message in result.problems():
        parsed.problem(line_of(parsed.node, loc), loc, message)
    return result


def _settings_currency(parsed: _Parsed, settings: StrictModel | None) -> str:
    """The currency amounts are read in: from valid settings, else a plausible raw value, else VND."""
    if isinstance(settings, Settings):
        return settings.currency
    raw = parsed.data.get("currency") if isinstance(parsed.data, dict) else None
    if isinstance(raw, str):
        try:
            return Settings.model_validate({"currency": raw}).currency
        except ValidationError:
            pass
    return "VND"


def _shipped_hint(parsed: _Parsed) -> str:
    """For a problem in a shipped file caused by the user's other files: how to change it."""
    if parsed.path.parent != shipped_config_dir():
        return ""
    return f"; this is the shipped {parsed.path.name}: add your own copy (custui config init) to change it"


def _cross_file(parsed: dict[str, _Parsed], models: dict[str, StrictModel | None]) -> None:
    """References from one file to ids defined in another."""
    loyalty, segments = models["loyalty.yaml"], models["segments.yaml"]
    if isinstance(loyalty, Loyalty) and isinstance(segments, Segments):
        known = segments.segment_ids()
        for index, rule in enumerate(loyalty.vouchers):
            if rule.when.segment is not None and rule.when.segment not in known:
                loc: Loc = ("vouchers", index, "when", "segment")
                parsed["loyalty.yaml"].problem(
                    line_of(parsed["loyalty.yaml"].node, loc), loc,
                    f"unknown segment {rule.when.segment!r} (see segments.yaml)"
                    + _shipped_hint(parsed["loyalty.yaml"]),
                )
    care, surveys = models["care.yaml"], models["surveys.yaml"]
    if isinstance(care, Care) and isinstance(surveys, Surveys):
        survey_ids = [survey.id for survey in surveys.surveys]
        for key in ("feedback_survey", "complaint_survey"):
            wanted = getattr(care.follow_ups, key)
            if wanted is not None and wanted not in survey_ids:
                loc = ("follow_ups", key)
                message = f"unknown survey {wanted!r} (surveys.yaml has: {', '.join(survey_ids) or 'none'})"
                parsed["care.yaml"].problem(
                    line_of(parsed["care.yaml"].node, loc), loc, message + _shipped_hint(parsed["care.yaml"])
                )


def load_config(config_dir: Path | None = None) -> AppConfig:
    """Load and validate all six files; raises ConfigError listing every problem found."""
    sources = {name: source_path(name, config_dir) for name in CONFIG_FILES}
    parsed = {name: _parse(path) for name, path in sources.items()}
    models: dict[str, StrictModel | None] = {}
    models["settings.yaml"] = _validate(parsed["settings.yaml"], Settings, "VND")
    currency = _settings_currency(parsed["settings.yaml"], models["settings.yaml"])
    for name in (name for name in CONFIG_FILES if name != "settings.yaml"):
        models[name] = _validate(parsed[name], MODELS[name], currency)
    _cross_file(parsed, models)
    problems = [problem for name in CONFIG_FILES for problem in sorted(parsed[name].problems)]
    if problems:
        raise ConfigError([str(problem) for problem in problems])
    return AppConfig(
        settings=_valid(models, "settings.yaml", Settings),
        loyalty=_valid(models, "loyalty.yaml", Loyalty),
        surveys=_valid(models, "surveys.yaml", Surveys),
        segments=_valid(models, "segments.yaml", Segments),
        care=_valid(models, "care.yaml", Care),
        sources=sources,
        messages=models["messages.yaml"],  # type: ignore[arg-type]
    )


def _valid(models: dict[str, StrictModel | None], name: str, kind: type[M]) -> M:
    """The validated model of one file; only called once no file had a problem."""
    model = models[name]
    if not isinstance(model, kind):
        raise AssertionError(f"{name} did not validate but reported no problem")
    return model
