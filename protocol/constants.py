"""The protocol's constants: version, size limits, enumerations, reason codes, identifier shapes.

Standard library only, like the whole ``protocol`` package: the counter, its sync client and
the reference portal all read the wire from here. docs/portal-protocol.md says it in prose.
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone

API_VERSION = "v1"
API_PREFIX = "/api/v1"
JSON_MEDIA_TYPE = "application/json"

#: Most entries one push may carry; a larger batch is refused whole with 413.
MAX_BATCH_ENTRIES = 1000
#: What a client should send per push: big enough to be fast, small enough to retry cheaply.
RECOMMENDED_BATCH_ENTRIES = 500
#: Largest request body the portal reads; a larger one is refused with 413.
MAX_BODY_BYTES = 8 * 1024 * 1024
#: Digitised files (docs/sync.md, "Files"): the most one file may take on the portal (a
#: larger upload is refused with 413; the counter's own limit, ``scan.max_file_mb``, is lower),
#: the largest chunk one ``PUT /files/{sha256}`` may carry, and the chunk a client sends
#: (a portal may ask for smaller ones: ``max_chunk_bytes`` in ``GET /health``).
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_FILE_CHUNK_BYTES = 8 * 1024 * 1024
FILE_CHUNK_BYTES = 1024 * 1024
#: Every stored file is a PDF; its first bytes.
PDF_MAGIC = b"%PDF-"
#: Where a file's pages came from: a scanner, a file picked, a watched scan folder.
FILE_SOURCES: tuple[str, ...] = ("scan", "file", "folder")
#: Bounds of ``limit`` on ``GET /changes``.
MAX_CHANGES_LIMIT = 1000
DEFAULT_CHANGES_LIMIT = 500
#: Largest cursor value (the largest integer JSON numbers carry exactly).
MAX_CURSOR = 2**53 - 1

#: Vietnam time. Every datetime on the wire carries an offset; the portal writes +07:00.
VN_TZ = timezone(timedelta(hours=7))

CHANNELS: tuple[str, ...] = ("direct", "online", "postal")
APPLICANT_TYPES: tuple[str, ...] = ("citizen", "organization")
#: How a procedure states its time limit. ``same_day``: "trả kết quả trong ngày; nếu tiếp nhận
#: sau 15 giờ thì trả trong ngày làm việc tiếp theo", with the cut-off as ``"cutoff": "HH:MM"``.
PROCESSING_UNITS: tuple[str, ...] = ("working_days", "working_hours", "calendar_days", "same_day")
#: The cut-off of a same-day procedure when the catalogue names none.
DEFAULT_CUTOFF = "15:00"
#: A time of day on the wire, ``HH:MM``.
HHMM_PATTERN = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]"
CALENDAR_KINDS: tuple[str, ...] = ("day_off", "workday")
#: The identity document a person's number comes from: citizen ID card (căn cước, 12 digits),
#: the old ID card (chứng minh nhân dân, 9 digits, expired on 31/12/2024), a passport, or
#: another document. An organisation's number is its tax code and has no type.
ID_TYPES: tuple[str, ...] = ("cccd", "cmnd", "passport", "other")
#: The kinds of office a new counter or agency may be since 1 July 2025, the first the
#: default: a commune's or a province's public administration service centre, a ministry's
#: receiving unit.
OFFICE_LEVELS: tuple[str, ...] = ("commune", "province", "ministry")
#: Read in data made before 1 July 2025 (there is no district level any more), never
#: offered for a new office.
LEGACY_OFFICE_LEVELS: tuple[str, ...] = ("district",)
#: Whether a procedure's document must be handed in: always, in some cases (e.g. "trường hợp
#: ủy quyền"), or never. Only a dossier with every required one is complete (Mẫu 01).
REQUIREMENTS: tuple[str, ...] = ("required", "conditional", "optional")

KIND_DOSSIER = "dossier"
KIND_STATUS = "status"
KIND_DUE = "due"
#: The citizen's rating of the service, given when the result is handed back.
KIND_RATING = "rating"
ENTRY_KINDS: tuple[str, ...] = (KIND_DOSSIER, KIND_STATUS, KIND_DUE, KIND_RATING)
#: The three levels a citizen rates the service at hand-back; the first two count as
#: satisfied. A reason is required with ``unsatisfied`` and given with it alone.
RATING_LEVELS: tuple[str, ...] = ("very_satisfied", "satisfied", "unsatisfied")
SATISFIED_LEVELS: tuple[str, ...] = ("very_satisfied", "satisfied")
UNSATISFIED = "unsatisfied"

ACCEPTED = "accepted"
DUPLICATE = "duplicate"
CONFLICT = "conflict"
REJECTED = "rejected"
OUTCOMES: tuple[str, ...] = (ACCEPTED, DUPLICATE, CONFLICT, REJECTED)

SOURCE_PORTAL = "portal"
SOURCE_COUNTER = "counter"
CHANGE_SOURCES: tuple[str, ...] = (SOURCE_PORTAL, SOURCE_COUNTER)
#: A hand-over of the dossier from one agency to another (docs/sync.md, "Hand-overs"): its
#: change carries the dossier's status and due moment as they are, and the hand-over itself.
KIND_HANDOVER = "handover"
CHANGE_KINDS: tuple[str, ...] = (KIND_STATUS, KIND_DUE, KIND_HANDOVER)

# Reason codes of refused entries (``reason.code`` in a push result).
R_MISSING_FIELD = "missing_field"
R_UNKNOWN_FIELD = "unknown_field"
R_WRONG_TYPE = "wrong_type"
R_INVALID_VALUE = "invalid_value"
R_WRONG_AGENCY = "wrong_agency"
R_KEY_REUSED = "key_reused"
R_DOSSIER_EXISTS = "dossier_exists"
R_UNKNOWN_DOSSIER = "unknown_dossier"
R_STATUS_CONFLICT = "status_conflict"
R_DOSSIER_CLOSED = "dossier_closed"
#: The code is of the counter's agency but not of its own block of numbers, or the dossier is
#: another counter's.
R_WRONG_COUNTER = "wrong_counter"

#: Dossier numbers each counter of an agency has a day (the agency's master data, published
#: with the office details): counter N numbers N*size+1 ... (N+1)*size-1; block 0 is the
#: portal's own (docs/dossier-codes.md).
DEFAULT_BLOCK_SIZE = 1000
MIN_BLOCK_SIZE = 100
MAX_BLOCK_SIZE = 5000

# Shapes of identifiers (full match).
AGENCY_CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._]{0,39}"
DOSSIER_CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{2,79}"
LOOKUP_KEY_PATTERN = r"[A-Za-z0-9]{4,32}"
ENTRY_KEY_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

_AGENCY_CODE_RE = re.compile(AGENCY_CODE_PATTERN)
_DOSSIER_CODE_RE = re.compile(DOSSIER_CODE_PATTERN)


def is_agency_code(text: str) -> bool:
    return _AGENCY_CODE_RE.fullmatch(text) is not None


def is_dossier_code(text: str) -> bool:
    return _DOSSIER_CODE_RE.fullmatch(text) is not None


def code_belongs_to(code: str, agency_code: str) -> bool:
    """Whether a dossier code was issued by the agency: ``<agency code>-...``."""
    return code.startswith(agency_code + "-") and len(code) > len(agency_code) + 1
