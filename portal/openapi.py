"""The OpenAPI document: how each route's answers are described, and the shared schemas.

The schemas come from ``protocol`` (``json_schemas``), the same specs that check payloads, so
the document and the checks cannot drift. docs/portal-api.json is a copy, kept current by a
test.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from protocol import JSON_MEDIA_TYPE, json_schemas

DESCRIPTION = """\
The provincial portal side of the one-stop counter's sync protocol, version 1.

Counters authenticate with `Authorization: Bearer <token>` (issued by
`python -m portal admin add-counter`). Every datetime carries an offset (ISO 8601; the portal
writes Vietnam time, +07:00). Statuses are sent both as `status` (identifier) and
`status_code` (the national TrangThaiHoSo number). Refusals are
`{"error": {"code", "message", "message_en"}}`. docs/portal-protocol.md explains the protocol.
"""


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def answer(description: str, schema: str | None = "Error", **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description, **extra}
    if schema is not None:
        out["content"] = {JSON_MEDIA_TYPE: {"schema": ref(schema)}}
    return out


Responses = dict[int | str, dict[str, Any]]
AUTH: Responses = {401: answer("Missing or invalid token.")}
BUSY: Responses = {503: answer("Database busy or unreachable; retry after Retry-After seconds.")}
BAD_PARAMS: Responses = {422: answer("A query parameter is invalid.")}
_ETAG = {"ETag": {"description": "The version, quoted.", "schema": {"type": "string"}}}


def master_answers(schema: str, what: str) -> Responses:
    return {
        200: answer(f"The {what} and its version.", schema, headers=_ETAG),
        304: answer("Not modified: the client already has this version.", None, headers=_ETAG),
        **AUTH,
        **BAD_PARAMS,
        **BUSY,
    }


def document(app: FastAPI) -> dict[str, Any]:
    """The app's document, built once, with every named schema of the protocol."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        schema.setdefault("components", {}).setdefault("schemas", {}).update(json_schemas())
        app.openapi_schema = schema
    return app.openapi_schema
