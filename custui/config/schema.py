"""Find the model class behind an error location, to list the keys allowed there."""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from custui.domain.models.base import Loc


def _strip(annotation: Any) -> Any:
    """Remove Annotated[...] and `X | None` wrappers."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class whose mapping sits at `loc` under `model`, if any."""
    current: Any = model
    for part in loc:
        current = _strip(current)
        origin = get_origin(current)
        if isinstance(part, int) and origin is list:
            current = get_args(current)[0]
        elif origin is dict:
            current = get_args(current)[1]
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                continue  # a pydantic tag, not a key
            current = field.annotation
        else:
            return None
    current = _strip(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """Keys the mapping at `loc` accepts (empty when unknown)."""
    found = model_at(model, loc)
    return list(found.model_fields) if found is not None else []
