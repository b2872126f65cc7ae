"""HTTP to the provincial portal (docs/portal-protocol.md): one ``requests.Session``.

Every call has a connect and a read timeout, TLS certificates are verified unless a person
turned it off, redirects are not followed, and the token travels only in the
``Authorization`` header (never in a URL, a log line or a ``repr``). The portal's address is
shown to people and logs without what it may carry besides the place (``shown_url``: no user
name, password, query or fragment). Answers are checked before anyone acts on them: a body
that is cut short, is not JSON or does not match the request (a change feed's cursors out of
order included) is treated like a dropped connection (retry the same request), never as data.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import requests
from requests.auth import AuthBase

import protocol
from counter import __version__
from counter.handovers import RemoteHandover
from sync.errors import (
    CursorAhead,
    NotConfigured,
    PayloadTooLarge,
    PortalRefused,
    PortalUnreachable,
    TokenRefused,
    TransientError,
)

log = logging.getLogger("counter.sync")

#: The reachability check must cost an offline counter next to nothing.
HEALTH_CONNECT_TIMEOUT = 3.0
HEALTH_READ_TIMEOUT = 5.0
#: Declare once's question is asked while a clerk types: an answer later than this is no use.
APPLICANT_CONNECT_TIMEOUT = 1.5
APPLICANT_TIMEOUT = 2.0
MASTER_KINDS = ("catalog", "calendar", "office")


def shown_url(url: str) -> str:
    """The address for a person or a log line: scheme, host, port and path only.

    ``http://user:password@host:8080/x?key=...`` is shown as ``http://host:8080/x``: a user
    name, a password, a query or a fragment may be secrets and are never printed or logged.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "(?)"
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port is not None else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@dataclass(frozen=True)
class PortalConfig:
    """Where the portal is and how to talk to it (``portal.*`` settings)."""

    url: str = field(repr=False)
    token: str = field(repr=False)
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    verify_tls: bool = True

    @classmethod
    def from_settings(cls, settings: Any) -> PortalConfig:
        """From the counter's settings service; refuses when the address or token is missing."""
        url = str(settings.get("portal.url") or "").strip().rstrip("/")
        token = str(settings.get("portal.token") or "").strip()
        if not url or not token:
            raise NotConfigured(
                "Chưa cấu hình cổng dịch vụ công: đặt địa chỉ và mã truy cập bằng "
                "'counter-admin config set portal.url URL' và "
                "'counter-admin config set portal.token TOKEN'",
                "The portal is not configured: set its address and token with "
                "'counter-admin config set portal.url URL' and "
                "'counter-admin config set portal.token TOKEN'",
            )
        return cls(
            url=url,
            token=token,
            connect_timeout=float(settings.get("portal.connect_timeout")),
            read_timeout=float(settings.get("portal.read_timeout")),
            verify_tls=bool(settings.get("portal.verify_tls")),
        )

    @property
    def api(self) -> str:
        return self.url + protocol.API_PREFIX

    @property
    def shown_url(self) -> str:
        """The address without its secrets (see ``shown_url``)."""
        return shown_url(self.url)

    def __repr__(self) -> str:
        return f"PortalConfig({self.shown_url!r})"


@dataclass(frozen=True)
class Limits:
    """What the portal accepts per request (``GET /health``)."""

    max_batch_entries: int = protocol.MAX_BATCH_ENTRIES
    max_body_bytes: int = protocol.MAX_BODY_BYTES
    max_changes_limit: int = protocol.MAX_CHANGES_LIMIT
    max_file_bytes: int = protocol.MAX_FILE_BYTES
    max_chunk_bytes: int = protocol.MAX_FILE_CHUNK_BYTES


@dataclass(frozen=True)
class Upload:
    """What the portal holds of a file: ``offset`` bytes, ``complete`` when stored whole."""

    offset: int
    complete: bool


@dataclass(frozen=True)
class FileAnswer:
    """The portal's word on a file's upload or link, when it is not a plain yes.

    ``later``: try again later (the dossier or the file is not there yet, the portal keeps
    no files); otherwise a person must look. ``reason``: Vietnamese / English.
    """

    later: bool
    reason: str
    code: str = ""


@dataclass(frozen=True)
class Change:
    """One change of the feed, as much of it as the counter uses."""

    cursor: int
    kind: str
    code: str
    status: str
    due_at: datetime
    at: datetime
    by: str
    note: str
    source: str
    counter_no: int | None
    #: kind ``handover``: the hand-over between agencies it reports
    handover: RemoteHandover | None = None


@dataclass(frozen=True)
class ChangesPage:
    changes: list[Change]
    next_cursor: int
    has_more: bool


class BearerToken(AuthBase):
    """Adds the counter's token to each request; its ``repr`` never shows it."""

    def __init__(self, token: str):
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "BearerToken(***)"


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: a number of seconds or an HTTP date; None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:
            return None
        reference = now or datetime.now(moment.tzinfo)
        seconds = (moment - reference).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def _error_body(response: requests.Response) -> dict[str, Any]:
    """The portal's ``{"error": {...}}``, or an empty dict."""
    try:
        doc = protocol.loads(response.content)
    except (ValueError, RecursionError):
        return {}
    error = doc.get("error") if isinstance(doc, dict) else None
    return error if isinstance(error, dict) else {}


def unreachable(url: str, exc: TransientError) -> PortalUnreachable:
    """The clerk's message for a portal that cannot be reached or does not answer properly."""
    url = shown_url(url)
    return PortalUnreachable(
        f"Không kết nối được cổng dịch vụ công {url} ({exc.reason_vi}); quầy vẫn làm việc "
        "bình thường và sẽ đồng bộ khi có kết nối",
        f"Cannot reach the portal {url} ({exc.reason}); the counter keeps working and syncs "
        "when the connection is back",
    )


def _invalid_answer(what: str) -> TransientError:
    return TransientError(f"invalid answer ({what})", f"cổng trả lời không hợp lệ ({what})")


class PortalClient:
    """The portal's ``/api/v1`` for one counter. Not thread-safe: one per worker."""

    def __init__(self, config: PortalConfig, session: requests.Session | None = None):
        self.config = config
        self.http = session or requests.Session()
        self.http.auth = BearerToken(config.token)
        self.http.verify = config.verify_tls
        self.http.headers["User-Agent"] = (
            f"one-stop-counter/{__version__} sync/{protocol.API_VERSION}"
        )
        self.http.headers["Accept"] = protocol.JSON_MEDIA_TYPE
        if not config.verify_tls:
            log.warning("TLS certificate verification of the portal is turned off")

    def __repr__(self) -> str:
        return f"PortalClient({self.config.shown_url!r})"

    def close(self) -> None:
        self.http.close()

    # -- transport ----------------------------------------------------------------------------

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.config.connect_timeout, self.config.read_timeout)

    def _send(
        self,
        method: str,
        path: str,
        *,
        timeout: tuple[float, float] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        url = self.config.api + path
        try:
            response = self.http.request(
                method, url, timeout=timeout or self.timeout, allow_redirects=False, **kwargs
            )
        except requests.exceptions.SSLError as exc:
            shown = self.config.shown_url
            raise PortalUnreachable(
                f"Không thiết lập được kết nối an toàn (TLS) với cổng {shown}: "
                "chứng chỉ không hợp lệ hoặc không tin cậy",
                f"No secure (TLS) connection to the portal {shown}: its certificate "
                "is invalid or not trusted",
            ) from exc
        except requests.exceptions.Timeout as exc:
            raise TransientError("timed out", "quá thời gian chờ") from exc
        except requests.exceptions.RequestException as exc:
            # Refused or dropped connections, bodies cut short, bad chunking.
            raise TransientError(
                f"connection failed ({type(exc).__name__})", "không kết nối được hoặc bị ngắt"
            ) from exc
        log.debug("%s %s -> %d", method, path, response.status_code)
        return response

    def _check(self, response: requests.Response) -> None:
        """Turn a refusal of the whole request into the exception the engine acts on."""
        status = response.status_code
        if status < 300 or status == 304:
            return
        shown = self.config.shown_url
        if status == 401:
            raise TokenRefused(
                f"Cổng {shown} từ chối mã truy cập của quầy (sai, đã bị thu hồi hoặc "
                "quầy đã bị khóa). Hãy xin mã mới và đặt bằng "
                "'counter-admin config set portal.token TOKEN'",
                f"The portal {shown} refused this counter's token (wrong, revoked or "
                "the counter is disabled). Get a new one and set it with "
                "'counter-admin config set portal.token TOKEN'",
            )
        if status == 413:
            raise PayloadTooLarge()
        if status in (429, 503) or status >= 500:
            busy = "cổng đang bận" if status in (429, 503) else "cổng gặp lỗi"
            raise TransientError(
                f"HTTP {status}",
                f"{busy}, HTTP {status}",
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
                status=status,
            )
        error = _error_body(response)
        if status == 409 and error.get("code") == "cursor_ahead":
            raise CursorAhead()
        if 300 <= status < 400:
            where = shown_url(response.headers.get("Location", ""))
            raise PortalRefused(
                f"Địa chỉ cổng {shown} chuyển hướng sang nơi khác ({where}): hãy đặt "
                "đúng địa chỉ bằng 'counter-admin config set portal.url URL'",
                f"The portal address {shown} redirects elsewhere ({where}): set the "
                "right one with 'counter-admin config set portal.url URL'",
            )
        message = str(error.get("message") or "")
        message_en = str(error.get("message_en") or message)
        code = str(error.get("code") or "")
        raise PortalRefused(
            f"Cổng từ chối yêu cầu (HTTP {status} {code}): {message}".rstrip(": "),
            f"The portal refused the request (HTTP {status} {code}): {message_en}".rstrip(": "),
        )

    def _json(self, response: requests.Response) -> Any:
        try:
            return protocol.loads(response.content)
        except (ValueError, RecursionError):
            raise _invalid_answer("not JSON") from None

    # -- endpoints ----------------------------------------------------------------------------

    def health(self) -> Limits:
        """``GET /health`` with a short timeout: is the portal there, and its limits."""
        try:
            response = self._send(
                "GET", "/health", timeout=(HEALTH_CONNECT_TIMEOUT, HEALTH_READ_TIMEOUT)
            )
            if 300 <= response.status_code < 500 and response.status_code != 429:
                raise PortalRefused(
                    f"Địa chỉ {self.config.shown_url} không trả lời như cổng dịch vụ công "
                    f"(HTTP {response.status_code}): hãy kiểm tra 'portal.url'",
                    f"{self.config.shown_url} does not answer like the portal "
                    f"(HTTP {response.status_code}): check 'portal.url'",
                )
            self._check(response)
            doc = self._json(response)
            if not isinstance(doc, dict) or doc.get("status") != "ok":
                raise _invalid_answer("health")
        except TransientError as exc:
            raise unreachable(self.config.shown_url, exc) from exc
        raw_limits = doc.get("limits")
        limits: dict[str, Any] = raw_limits if isinstance(raw_limits, dict) else {}

        def limit(name: str, default: int) -> int:
            value = limits.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                return min(value, default)
            return default

        return Limits(
            max_batch_entries=limit("max_batch_entries", protocol.MAX_BATCH_ENTRIES),
            max_body_bytes=limit("max_body_bytes", protocol.MAX_BODY_BYTES),
            max_changes_limit=limit("max_changes_limit", protocol.MAX_CHANGES_LIMIT),
            max_file_bytes=limit("max_file_bytes", protocol.MAX_FILE_BYTES),
            max_chunk_bytes=limit("max_chunk_bytes", protocol.MAX_FILE_CHUNK_BYTES),
        )

    def applicant(self, id_number: str) -> dict[str, Any] | None:
        """``GET /applicants/{id_number}`` with a short timeout (a clerk is typing): the
        agency's latest ``{"applicant", "received_at"}``, or None when it has none (404, or a
        portal older than the question)."""
        path = f"/applicants/{quote(id_number, safe='')}"
        response = self._send("GET", path, timeout=(APPLICANT_CONNECT_TIMEOUT, APPLICANT_TIMEOUT))
        if response.status_code in (404, 405):
            return None
        self._check(response)
        doc = self._json(response)
        if not isinstance(doc, dict) or not isinstance(doc.get("applicant"), dict):
            raise _invalid_answer("applicant")
        return doc

    def push(
        self, entries: list[protocol.EntryDict], encoded: list[bytes] | None = None
    ) -> list[protocol.EntryResultDict]:
        """``POST /entries``: one result per entry, in the order sent (checked).

        ``encoded``: the entries as ``protocol.dumps`` encodes them, when the caller has
        them already; the body is then put together from them."""
        if encoded is None:
            body = protocol.dumps(protocol.push_body(entries))
        else:
            assert len(encoded) == len(entries)
            protocol.push_body(entries)  # the same limits
            body = b'{"entries":[' + b",".join(encoded) + b"]}"
        response = self._send(
            "POST", "/entries", data=body, headers={"Content-Type": protocol.JSON_MEDIA_TYPE}
        )
        self._check(response)
        doc = self._json(response)
        results = doc.get("results") if isinstance(doc, dict) else None
        if not isinstance(results, list) or len(results) != len(entries):
            raise _invalid_answer("push results do not match the batch")
        for i, (entry, result) in enumerate(zip(entries, results, strict=True)):
            if (
                not isinstance(result, dict)
                or result.get("index") != i
                or result.get("key") not in (entry["key"], None)
                or result.get("outcome") not in protocol.OUTCOMES
            ):
                raise _invalid_answer(f"push result {i}")
        return results

    def put_audit_head(self, row_id: int, digest: str) -> tuple[int, str] | None:
        """``PUT /audit-head``: the portal keeps the head of this counter's audit trail.

        None from a portal that does not keep heads (404/405: an older one): nothing to do.
        """
        body = protocol.dumps({"row_id": row_id, "hash": digest})
        response = self._send(
            "PUT", "/audit-head", data=body, headers={"Content-Type": protocol.JSON_MEDIA_TYPE}
        )
        if response.status_code in (404, 405):
            return None
        self._check(response)
        return _head_answer(self._json(response))

    def changes(self, since: int, limit: int) -> ChangesPage:
        """``GET /changes``: one page of the agency's feed after ``since``, less what this
        counter knows already (``omit_known``; a portal older than that sends everything)."""
        params = {"since": since, "limit": limit, "omit_known": "true"}
        response = self._send("GET", "/changes", params=params)
        self._check(response)
        doc = self._json(response)
        if not isinstance(doc, dict):
            raise _invalid_answer("changes")
        raw_changes = doc.get("changes")
        next_cursor = doc.get("next_cursor")
        has_more = doc.get("has_more")
        if (
            not isinstance(raw_changes, list)
            or len(raw_changes) > limit
            or not isinstance(next_cursor, int)
            or isinstance(next_cursor, bool)
            or not isinstance(has_more, bool)
            or not since <= next_cursor <= protocol.MAX_CURSOR
        ):
            raise _invalid_answer("changes")
        changes = []
        for raw in raw_changes:
            change = _change(raw)
            if change is not None:
                if not since < change.cursor <= next_cursor:
                    raise _invalid_answer("change cursor")
                changes.append(change)
        return ChangesPage(changes, next_cursor, has_more)

    def master(self, kind: str, version: str) -> dict[str, Any] | None:
        """``GET /master/{kind}`` with the version held: None when it is current (304)."""
        if kind not in MASTER_KINDS:
            raise ValueError(kind)
        params = {"version": version} if version else None
        response = self._send("GET", f"/master/{kind}", params=params)
        self._check(response)
        if response.status_code == 304:
            return None
        doc = self._json(response)
        if not isinstance(doc, dict) or not isinstance(doc.get("version"), str):
            raise _invalid_answer(f"master/{kind}")
        return doc

    # -- files (docs/sync.md, "Files") ------------------------------------------------------

    def file_upload(self, sha256: str) -> Upload | FileAnswer:
        """``HEAD /files/{sha256}``: how much of the file the portal holds."""
        response = self._send("HEAD", f"/files/{sha256}")
        if response.status_code == 501:
            return _file_answer(response, later=True)
        self._check(response)
        return _upload(response, None)

    def put_chunk(self, sha256: str, start: int, data: bytes, total: int) -> Upload | FileAnswer:
        """``PUT /files/{sha256}``: bytes ``start`` .. ``start + len(data)`` of ``total``.

        The portal's offset comes back also when it refuses the chunk for where it starts or
        for its length (a chunk cut short on the way): the caller goes on from there.
        """
        end = start + len(data) - 1
        response = self._send(
            "PUT",
            f"/files/{sha256}",
            data=data,
            headers={
                "Content-Type": "application/octet-stream",
                "Content-Range": f"bytes {start}-{end}/{total}",
            },
        )
        status = response.status_code
        if status in (400, 409) and _error_body(response).get("code") in (
            "wrong_offset",
            "chunk_incomplete",
        ):
            return _upload(response, None)
        if status in (413, 422, 501):
            return _file_answer(response, later=status == 501)
        self._check(response)
        return _upload(response, self._json(response))

    def link_file(self, code: str, link: dict[str, Any]) -> bool | FileAnswer:
        """``POST /dossiers/{code}/files``: True once the portal holds the link (made now or
        before); a ``FileAnswer`` when it does not."""
        response = self._send(
            "POST",
            f"/dossiers/{quote(code, safe='')}/files",
            data=protocol.dumps(link),
            headers={"Content-Type": protocol.JSON_MEDIA_TYPE},
        )
        status = response.status_code
        code_ = _error_body(response).get("code")
        if status in (404, 501) or (status == 409 and code_ == "file_missing"):
            return _file_answer(response, later=True)
        if status in (403, 409, 413, 422):
            return _file_answer(response, later=False)
        self._check(response)
        doc = self._json(response)
        if not isinstance(doc, dict) or doc.get("outcome") not in ("accepted", "duplicate"):
            raise _invalid_answer("file link")
        return True


def _upload(response: requests.Response, doc: Any) -> Upload:
    """The portal's offset and completeness, from its headers (or its JSON answer)."""
    offset = response.headers.get("Upload-Offset")
    complete = response.headers.get("Upload-Complete")
    if isinstance(doc, dict) and offset is None:
        offset, complete = doc.get("offset"), "?1" if doc.get("complete") else "?0"
    if offset is None or not str(offset).isdigit() or complete not in ("?0", "?1"):
        raise _invalid_answer("file offset")
    return Upload(int(offset), complete == "?1")


def _file_answer(response: requests.Response, *, later: bool) -> FileAnswer:
    error = _error_body(response)
    code = str(error.get("code") or f"HTTP {response.status_code}")
    message = str(error.get("message") or "")
    message_en = str(error.get("message_en") or message)
    return FileAnswer(later, f"{code}: {message} / {message_en}".strip(" :/"), code)


def _head_answer(doc: Any) -> tuple[int, str]:
    if not isinstance(doc, dict) or not isinstance(doc.get("row_id"), int):
        raise _invalid_answer("audit-head")
    return int(doc["row_id"]), str(doc.get("hash") or "")


def _change(raw: Any) -> Change | None:
    """One change of the feed; None for a kind this client does not know (ignored)."""
    if not isinstance(raw, dict):
        raise _invalid_answer("change")
    if raw.get("kind") not in protocol.CHANGE_KINDS:
        return None
    try:
        cursor = raw["cursor"]
        code = raw["code"]
        status = raw["status"]
        counter_no = raw.get("counter_no")
        if (
            not isinstance(cursor, int)
            or not isinstance(code, str)
            or status not in protocol.STATUS_CODES
            or not (counter_no is None or isinstance(counter_no, int))
        ):
            raise ValueError("change")
        return Change(
            cursor=cursor,
            kind=raw["kind"],
            code=code,
            status=status,
            due_at=protocol.parse_datetime(raw["due_at"]),
            at=protocol.parse_datetime(raw["at"]),
            by=str(raw.get("by") or ""),
            note=str(raw.get("note") or ""),
            source=str(raw.get("source") or ""),
            counter_no=counter_no,
            handover=_handover(raw) if raw["kind"] == protocol.KIND_HANDOVER else None,
        )
    except (KeyError, TypeError, ValueError, protocol.WireError):
        raise _invalid_answer("change") from None


def _handover(raw: dict[str, Any]) -> RemoteHandover:
    """The hand-over a change of kind ``handover`` reports (``protocol.HANDOVER``)."""
    h = protocol.check(protocol.HANDOVER, raw.get("handover"), "handover")
    return RemoteHandover.from_wire(raw["code"], h)
