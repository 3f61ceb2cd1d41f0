"""Write a manager's PIN hash into settings.yaml `operators:`, keeping the rest of the file
(comments, order) as it is: only the operator's `pin_hash` line (or flow mapping) changes."""

from __future__ import annotations

import json

import yaml


class PinWriteError(ValueError):
    """The operator is not in the file, or the file cannot be read as YAML."""


def _operator_node(root: yaml.Node | None, operator_id: str) -> yaml.MappingNode:
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "operators" and isinstance(value, yaml.SequenceNode):
                for item in value.value:
                    if isinstance(item, yaml.MappingNode) and any(
                            k.value == "id" and v.value == operator_id for k, v in item.value):
                        return item
    raise PinWriteError(f"operator {operator_id!r} is not in operators:")


def with_pin_hash(text: str, operator_id: str, pin_hash: str) -> str:
    """`text` (settings.yaml) with the operator's pin_hash set to `pin_hash`."""
    try:
        node = _operator_node(yaml.compose(text), operator_id)
    except yaml.YAMLError as exc:
        raise PinWriteError(str(exc)) from None
    lines = text.splitlines(keepends=True)
    quoted = json.dumps(pin_hash)
    if node.flow_style:
        start, end = node.start_mark, node.end_mark
        if start.line != end.line:
            raise PinWriteError("write this operator as one line or as a block to set its PIN")
        pairs = [(k.value, v.value) for k, v in node.value if k.value != "pin_hash"]
        body = ", ".join(f"{k}: {v}" for k, v in pairs)
        line = lines[start.line]
        lines[start.line] = f"{line[:start.column]}{{{body}, pin_hash: {quoted}}}{line[end.column:]}"
        return "".join(lines)
    for key, _value in node.value:
        if key.value == "pin_hash":
            line = lines[key.start_mark.line]
            ending = "\n" if line.endswith("\n") else ""
            lines[key.start_mark.line] = f"{line[:key.start_mark.column]}pin_hash: {quoted}{ending}"
            return "".join(lines)
    first = node.value[0][0]
    last_line = max(v.end_mark.line - (1 if v.end_mark.column == 0 else 0) for _, v in node.value)
    indent = " " * first.start_mark.column
    if not lines[last_line].endswith("\n"):
        lines[last_line] += "\n"
    lines.insert(last_line + 1, f"{indent}pin_hash: {quoted}\n")
    return "".join(lines)

