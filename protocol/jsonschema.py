"""The JSON Schema (OpenAPI 3.1 dialect) of the specs of ``protocol.schema``, published in
the OpenAPI document."""

from __future__ import annotations

from typing import Any

from protocol.schema import (
    AnyJSON,
    ArrayOf,
    Boolean,
    Choice,
    DateText,
    DateTimeText,
    Integer,
    Number,
    Obj,
    OneOf,
    Ref,
    Spec,
    Text,
)


def json_schema(spec: Spec) -> dict[str, Any]:
    """The JSON Schema (OpenAPI 3.1 dialect) of a spec; named schemas become ``$ref``."""
    if isinstance(spec, Ref):
        ref = {"$ref": f"#/components/schemas/{spec.name}"}
        return {"anyOf": [ref, {"type": "null"}]} if spec.nullable else ref
    out: dict[str, Any]
    if isinstance(spec, Text):
        out = {
            "type": ["string", "null"] if spec.nullable else "string",
            "maxLength": spec.max_length,
        }
        if spec.min_length:
            out["minLength"] = spec.min_length
            if spec.pattern is None:
                out["pattern"] = r"\S"
        if spec.pattern is not None:
            out["pattern"] = f"^(?:{spec.pattern})$"
        if spec.example is not None:
            out["examples"] = [spec.example]
    elif isinstance(spec, Integer):
        out = {
            "type": ["integer", "null"] if spec.nullable else "integer",
            "minimum": spec.minimum,
            "maximum": spec.maximum,
        }
    elif isinstance(spec, Number):
        out = {"type": "number", "maximum": spec.maximum}
        out["exclusiveMinimum" if spec.exclusive_minimum else "minimum"] = spec.minimum
    elif isinstance(spec, Boolean):
        out = {"type": "boolean"}
    elif isinstance(spec, Choice):
        out = {"type": "string", "enum": list(spec.values)}
    elif isinstance(spec, DateTimeText):
        out = {
            "type": ["string", "null"] if spec.nullable else "string",
            "format": "date-time",
            "examples": ["2026-11-26T08:30:00+07:00"],
        }
    elif isinstance(spec, DateText):
        out = {"type": "string", "format": "date", "examples": ["2026-12-31"]}
    elif isinstance(spec, ArrayOf):
        out = {"type": "array", "items": json_schema(spec.item), "maxItems": spec.max_items}
        if spec.min_items:
            out["minItems"] = spec.min_items
    elif isinstance(spec, Obj):
        out = {
            "type": ["object", "null"] if spec.nullable else "object",
            "properties": {name: json_schema(p.spec) for name, p in spec.props.items()},
            "additionalProperties": spec.extra != "forbid",
        }
        required = [name for name, p in spec.props.items() if p.required]
        if required:
            out["required"] = required
        if spec.title:
            out["title"] = spec.title
    elif isinstance(spec, OneOf):
        out = {"oneOf": [json_schema(option) for option in spec.options]}
    elif isinstance(spec, AnyJSON):
        out = {}
    else:  # pragma: no cover - a bug in this module
        raise TypeError(f"unknown spec {spec!r}")
    description = getattr(spec, "description", "")
    if description:
        out["description"] = description
    return out
