"""The sync API's routes for digitised files (docs/sync.md, "Files"): the upload of a file in
chunks, and its link to a dossier. Only the calling counter's agency's files and dossiers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from portal import metrics
from portal.agencies import touch_counter
from portal.api import _read_body, json_body
from portal.errors import PortalError
from portal.files import FileStore, Progress, check_sha256, files_not_kept, link, parse_range
from portal.openapi import AUTH, BUSY, answer
from portal.web import CallingCounter, get_db, get_settings, json_response
from protocol import API_PREFIX, JSON_MEDIA_TYPE, now_vn

files_router = APIRouter(prefix=API_PREFIX)

_OCTETS = "application/octet-stream"
_PROGRESS_HEADERS = {
    "Upload-Offset": {
        "description": "Bytes of the file the portal holds (the next chunk starts there).",
        "schema": {"type": "integer"},
    },
    "Upload-Complete": {
        "description": "`?1` when the file is stored whole, `?0` while it is not.",
        "schema": {"type": "string"},
    },
}
_SHA_PARAM = {
    "name": "sha256",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
}


def _store(request: Request) -> FileStore:
    root = get_settings(request).files_root
    if not root:
        raise files_not_kept()
    return FileStore(Path(root))


def _progress(progress: Progress, status: int = 200) -> Response:
    return json_response(progress.as_json(), status, progress.headers)


@files_router.head(
    "/files/{sha256}",
    tags=["files"],
    summary="How much of a file the portal holds",
    description=(
        "`Upload-Offset`: the bytes held so far (0 if none); `Upload-Complete: ?1` when the "
        "file is stored whole for the caller's agency. Files are kept per agency."
    ),
    responses={
        200: answer("What is held.", None, headers=_PROGRESS_HEADERS),
        **AUTH,
        422: answer("The hash is not 64 lowercase hexadecimal digits.", None),
        501: answer("This portal keeps no files.", None),
        **BUSY,
    },
)
def file_progress(request: Request, who: CallingCounter, sha256: str) -> Response:
    check_sha256(sha256)
    progress = _store(request).progress(who.agency_code, sha256)
    return Response(status_code=200, headers=progress.headers)


@files_router.put(
    "/files/{sha256}",
    tags=["files"],
    summary="Append one chunk of a file (resumable upload)",
    description=(
        "The body is the bytes `START` to `END` (inclusive) of a file of `TOTAL` bytes, as "
        "`Content-Range: bytes START-END/TOTAL` says. `START` must be what the portal holds "
        "(`Upload-Offset`); else 409 `wrong_offset` with the right offset. A body shorter or "
        "longer than the range is refused (400 `chunk_incomplete`) and nothing of it kept. "
        "With the last byte the portal checks the SHA-256 and that it is a PDF and stores the "
        "file (201); a wrong hash throws the upload away (422 `hash_mismatch`). A file the "
        "agency holds already is complete at once (200). Limits: `max_file_bytes` per file, "
        "`max_chunk_bytes` per chunk (`GET /health`)."
    ),
    openapi_extra={
        "parameters": [
            {
                "name": "Content-Range",
                "in": "header",
                "required": True,
                "schema": {"type": "string", "pattern": r"^bytes \d+-\d+/\d+$"},
            }
        ],
        "requestBody": {
            "required": True,
            "content": {_OCTETS: {"schema": {"type": "string", "format": "binary"}}},
        },
    },
    responses={
        200: answer(
            "The chunk is kept (or the file was held already).", None, headers=_PROGRESS_HEADERS
        ),
        201: answer("The last chunk: the file is stored.", None, headers=_PROGRESS_HEADERS),
        400: answer("No or a wrong Content-Range, or a body that does not fill it."),
        **AUTH,
        409: answer("The chunk does not start where the portal's copy ends."),
        413: answer("The file or the chunk is over the limit."),
        422: answer("A wrong hash or not a PDF: nothing stored."),
        501: answer("This portal keeps no files."),
        **BUSY,
    },
)
async def put_chunk(request: Request, who: CallingCounter, sha256: str) -> Response:
    check_sha256(sha256)
    settings = get_settings(request)
    store = _store(request)
    start, end, total = parse_range(request.headers.get("content-range"))
    if total > settings.max_file_bytes:
        raise PortalError(
            "file_too_large",
            f"Tệp quá lớn: tối đa {settings.max_file_bytes} byte.",
            f"File too large: at most {settings.max_file_bytes} bytes.",
            http_status=413,
        )
    if end - start > settings.max_chunk_bytes:
        raise PortalError(
            "payload_too_large",
            f"Mỗi phần tối đa {settings.max_chunk_bytes} byte.",
            f"At most {settings.max_chunk_bytes} bytes per chunk.",
            http_status=413,
        )
    try:
        body = await _read_body(request, settings.max_chunk_bytes)
    except ClientDisconnect:  # the link broke mid-chunk: nothing of it is kept
        body = b""
    if len(body) != end - start:

        def held() -> Progress:
            return store.progress(who.agency_code, sha256)

        progress = await run_in_threadpool(held)
        raise PortalError(
            "chunk_incomplete",
            f"Phần gửi lên có {len(body)} byte, Content-Range nói {end - start}: không giữ.",
            f"The chunk has {len(body)} bytes, its Content-Range says {end - start}: not kept.",
            http_status=400,
            details=[progress.as_json()],
            headers=progress.headers,
        )

    def append() -> Progress:
        return store.append(who.agency_code, sha256, start, total, body)

    progress = await run_in_threadpool(append)
    metrics.FILE_BYTES.inc(len(body))
    stored_now = progress.complete and end == total
    return _progress(progress, 201 if stored_now else 200)


@files_router.post(
    "/dossiers/{code}/files",
    tags=["files"],
    summary="Link a stored file to a dossier (a version of one of its papers)",
    description=(
        "The body: `doc` (the paper's document code, or `result`), `version`, `sha256`, "
        "`pages`, `bytes`, `source` (scan, file, folder), `by` (the clerk), `at` (when the "
        "counter stored it). 201 `accepted`; 200 `duplicate` (the same link was made before). "
        "403 another agency's (`wrong_agency`) or another counter's (`wrong_counter`) "
        "dossier; 404 no such dossier (yet: push it first); 409 `file_missing` (upload the "
        "file first) or `version_conflict` (that version is linked to other content)."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                JSON_MEDIA_TYPE: {
                    "schema": {
                        "type": "object",
                        "required": [
                            "doc",
                            "version",
                            "sha256",
                            "pages",
                            "bytes",
                            "source",
                            "by",
                            "at",
                        ],
                        "properties": {
                            "doc": {"type": "string"},
                            "version": {"type": "integer"},
                            "sha256": {"type": "string"},
                            "pages": {"type": "integer"},
                            "bytes": {"type": "integer"},
                            "source": {"type": "string"},
                            "by": {"type": "string"},
                            "at": {"type": "string", "format": "date-time"},
                        },
                    }
                }
            },
        }
    },
    responses={
        200: answer("The same link was made before.", None),
        201: answer("Linked.", None),
        400: answer("The body is not JSON."),
        **AUTH,
        403: answer("Another agency's or another counter's dossier."),
        404: answer("No such dossier of the caller's agency."),
        409: answer("The file is not held, or the version is linked to other content."),
        413: answer("The body is over the limit."),
        422: answer("A field is missing or invalid."),
        501: answer("This portal keeps no files."),
        **BUSY,
    },
)
async def link_file(request: Request, who: CallingCounter, code: str) -> Response:
    store = _store(request)
    raw = await _read_body(request, 64 * 1024)
    body = json_body(raw)

    def work() -> tuple[int, dict[str, Any]]:
        now = now_vn()
        with get_db(request).write() as session:
            answer = link(session, store, who, code, body, now)
            touch_counter(session, who.counter_id, now)
            return answer

    status, doc = await run_in_threadpool(work)
    return json_response(doc, status)
