"""What the audit trail vouches for: the digests of dossiers and accounts, and the chain's
anchors (``check`` replays the trail against the rows with them: ``counter.replay``).

A hash chain alone proves the trail was not edited in the middle. It does not prove the
rows it describes are as it says, nor that its end was not cut off or the whole chain
recomputed. So:

- Every audit row about a dossier or an account carries ``state`` (in its details as its
  hash covers them; stored apart as its 32 bytes, ``audit.split_state``): a digest of that
  row as the change left it (a dossier's digest covers its outbox entries' keys, kinds and
  payloads' SHA-256 too: what the portal will be told; an entry sent long ago keeps those
  alone, ``SentEntry``, and digests the same). ``check`` recomputes the digest of every
  dossier (many at a time: ``counter.digests``) and account and compares it with the latest
  one the trail recorded: a row edited behind the application's back, a clerk raised to
  admin with sqlite3, an outbox payload rewritten, a dossier inserted or deleted without its
  trail, are all reported.
- Anchors: the chain's head (last row id and hash) is printed on each daily summary and
  sent to the portal with each sync, and kept in ``audit_anchors``. ``check`` finds every
  anchor in the chain: rows cut off its end, or a recomputed chain, no longer match.
- The append-only triggers of both tables must be in place.

Columns the sync keeps for its own bookkeeping (``sync_state``, ``portal_code``,
``portal_confirmed_at``, ``updated_at``) and the search key are outside the digest: they
change without a user's action. Demo dossiers (``seed-demo``) are made in bulk with one
audit row and are not vouched for one by one.
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from counter.bulksql import among, read_many
from counter.clock import iso
from counter.models import AuditAnchor, AuditRow, Dossier, OutboxEntry, SentEntry, User

#: Dossier columns the digest covers: everything a user's action sets.
DOSSIER_FIELDS = (
    "code",
    "agency_code",
    "counter_no",
    "receipt_day",
    "seq_no",
    "book_year",
    "book_number",
    "procedure_code",
    "procedure_name",
    "field_name",
    "time_value",
    "time_unit",
    "time_cutoff",
    "result_agency",
    "result_delivery",
    "applicant_type",
    "applicant_name",
    "id_number",
    "id_type",
    "phone",
    "email",
    "address",
    "submitter_name",
    "submitter_id_number",
    "submitter_phone",
    "channel",
    "sets",
    "received_at",
    "due_at",
    "status",
    "status_changed_at",
    "lookup_key",
    "note",
    "documents",
    "fees",
    "fees_total",
    "received_by",
    "is_demo",
    "returned_at",
    "closed_at",
    "previous_due_at",
    "reschedule_reason",
    "restarted_at",
)
_dossier_values = operator.itemgetter(*DOSSIER_FIELDS)
USER_FIELDS = ("username", "full_name", "role", "active", "password_hash")
TRIGGERS = (
    "audit_rows_no_update",
    "audit_rows_no_delete",
    "audit_anchors_no_update",
    "audit_anchors_no_delete",
)


#: Types a digest takes as they are (``_plain`` leaves them): most of a row's values.
_AS_IS = frozenset({str, int, bool, float, type(None), list, dict})
#: The canonical JSON of what a digest covers (one encoder, made once: ``json.dumps``'s own).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _digest(values: dict[str, Any]) -> str:
    return hashlib.sha256(_CANONICAL.encode(values).encode("utf-8")).hexdigest()


def dossier_state(s: Session, d: Dossier) -> str:
    """The digest of a dossier as it is now, with its outbox entries (flushed first): those
    sent long ago as kept (``SentEntry``: their payloads' SHA-256 alone), then the others."""
    sent = sent_entries(s, [d.id]).get(d.id, ())
    outbox = s.execute(
        select(OutboxEntry.idempotency_key, OutboxEntry.kind, OutboxEntry.payload)
        .where(OutboxEntry.dossier_id == d.id)
        .order_by(OutboxEntry.id)
    ).all()
    return dossier_digest(d, [(k, kind, p) for k, kind, p in outbox], sent)


#: The reduced sent entries as a table (``sent_entries`` reads them over the driver).
_SENT = cast(Table, SentEntry.__table__).c


def sent_entries(s: Session, dossier_ids: Sequence[int]) -> dict[int, list[tuple[str, str, str]]]:
    """The kept sent entries (key, kind, the payload's SHA-256 in hex; oldest first) of these
    dossiers, for ``dossier_digest``'s ``sent``: one read for them all, however many (a pull's
    lot, or one dossier), each dossier's in its place along the table's key (a dossier with
    none is not in the answer)."""
    out: dict[int, list[tuple[str, str, str]]] = {}
    if not dossier_ids:
        return out
    _, kept = read_many(
        s.connection(),
        select(_SENT.dossier_id, _SENT.key, _SENT.kind, _SENT.payload_sha256)
        .where(among(_SENT.dossier_id, dossier_ids))
        .order_by(_SENT.dossier_id, _SENT.seq),
    )
    for dossier_id, key, kind, sha in kept:
        out.setdefault(dossier_id, []).append((key, kind, sha.hex()))
    return out


def dossier_digest(
    d: Dossier | SimpleNamespace,
    outbox: Sequence[tuple[str, str, str]],
    sent: Sequence[tuple[str, str, str]] = (),
) -> str:
    """``dossier_state`` of a dossier whose outbox entries (key, kind, payload; oldest
    first) the caller already holds: a dossier being received has just the one it queues.
    ``sent``: the entries before those, whose payloads are gone (key, kind, the payload's
    SHA-256 in hex, as ``sent_entries`` reads them): the digest is the same as when they
    were whole."""
    if type(d) is SimpleNamespace:  # a dossier being received: its row's values
        values: dict[str, Any] = dict(zip(DOSSIER_FIELDS, _dossier_values(vars(d)), strict=True))
    else:
        values = {f: getattr(d, f) for f in DOSSIER_FIELDS}
    for f, value in values.items():
        if type(value) not in _AS_IS:
            values[f] = _plain(value)
    if getattr(d, "rating_level", None) is not None:
        # a citizen's rating (``counter.ratings``); a dossier never rated digests as before
        values["rating"] = [d.rating_level, d.rating_reason, _plain(d.rated_at), d.rating_source]
    values["outbox"] = [[k, kind, h] for k, kind, h in sent] + [
        [k, kind, hashlib.sha256(p.encode()).hexdigest()] for k, kind, p in outbox
    ]
    return _digest(values)


#: A string's JSON text as ``_CANONICAL`` writes it (``ensure_ascii=False``: the same function).
json_str = json.encoder.encode_basestring


def value_json(value: Any) -> str:
    """The JSON text of one value a digest covers, byte for byte as ``_digest`` writes it
    inside its document (a document's value is written the same wherever it stands): the
    common types written directly, any other by ``_CANONICAL`` itself."""
    kind = type(value)
    if kind is str:
        return json_str(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is datetime:
        return json_str(_iso(value))
    return _CANONICAL.encode(_plain(value))


def _iso(moment: datetime) -> str:
    text = iso(moment)
    assert text is not None
    return text


def outbox_json(
    outbox: Sequence[tuple[str, str, str]], sent: Sequence[tuple[str, str, str]] = ()
) -> str:
    """The JSON text of ``dossier_digest``'s outbox value (the same arguments)."""
    items = [f"[{json_str(k)},{json_str(kind)},{json_str(h)}]" for k, kind, h in sent]
    items += [
        f'[{json_str(k)},{json_str(kind)},"{hashlib.sha256(p.encode()).hexdigest()}"]'
        for k, kind, p in outbox
    ]
    return f"[{','.join(items)}]"


class DossierDigester:
    """``dossier_digest`` of many dossiers without a document per dossier: the same digest,
    byte for byte, from the JSON text of each field (``value_json``; a text many dossiers
    share, such as their procedure's document list, is written once by the caller) put in
    place by a template of the document's keys in their sorted order, made once.

    ``fields``: the order in which ``digest`` is given the texts of ``DOSSIER_FIELDS``."""

    def __init__(self, fields: Sequence[str]) -> None:
        if sorted(fields) != sorted(DOSSIER_FIELDS):
            raise ValueError("the digest covers DOSSIER_FIELDS, each once")
        given = [*fields, "outbox", "rating"]
        self._plain = self._template(given, given[:-1])
        self._rated = self._template(given, given)

    @staticmethod
    def _template(given: list[str], keys: list[str]) -> tuple[str, Any]:
        ordered = sorted(keys)
        text = "{" + ",".join(f"{json_str(key)}:%s" for key in ordered) + "}"
        return text, operator.itemgetter(*[given.index(key) for key in ordered])

    def digest(self, texts: Sequence[str], outbox: str, rating: str | None = None) -> str:
        """The digest of a dossier whose fields' JSON texts are ``texts`` (in ``fields``'
        order), ``outbox`` the text of ``outbox_json`` and ``rating`` that of the rating's
        list (``rating_value``), None if never rated."""
        if rating is None:
            template, pick = self._plain
            values = pick((*texts, outbox))
        else:
            template, pick = self._rated
            values = pick((*texts, outbox, rating))
        return hashlib.sha256((template % values).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PartialDigest:
    """``partial_digest``: the document of a dossier never rated, some of its
    fields' texts written in; ``keys``: the others', in the order ``digest`` takes them
    (the keys' sorted order, ``outbox`` among them)."""

    template: str
    keys: tuple[str, ...]

    def digest(self, texts: tuple[str, ...]) -> str:
        """The digest of the dossier whose other fields' JSON texts are ``texts`` (in
        ``keys``' order; the outbox's written by ``outbox_json``)."""
        return hashlib.sha256((self.template % texts).encode("utf-8")).hexdigest()


def partial_digest(known: Mapping[str, str]) -> PartialDigest:
    """The document of a dossier never rated with the JSON texts of some of its fields
    written in (``known``, as ``value_json`` writes them: those of its procedure, shared by
    many dossiers), for ``PartialDigest.digest`` to take the others'."""
    ordered = sorted([*DOSSIER_FIELDS, "outbox"])
    if not known.keys() <= set(ordered):
        raise ValueError(f"not in the digest: {sorted(known.keys() - set(ordered))}")
    text = ",".join(
        f"{json_str(key)}:" + (known[key].replace("%", "%%") if key in known else "%s")
        for key in ordered
    )
    return PartialDigest("{" + text + "}", tuple(key for key in ordered if key not in known))


def rating_value(level: Any, reason: Any, rated_at: Any, source: Any) -> list[Any]:
    """The value of a rated dossier's ``rating`` in its digest."""
    return [level, reason, _plain(rated_at), source]


def user_state(u: User) -> str:
    return _digest({f: _plain(getattr(u, f)) for f in USER_FIELDS})


def subject_of(s: Session, entity: str, key: str, subject: Any = None) -> Dossier | User | None:
    """The dossier or account an audit row about ``entity``/``key`` is about: ``subject``
    when the caller holds it (saves a query), else read by its code or name; None for other
    entities, or when there is none. Pending changes are flushed first (a dossier just added
    has its id)."""
    s.flush()
    if entity == "dossier":
        if isinstance(subject, Dossier):
            return subject
        return s.scalar(select(Dossier).where(Dossier.code == key))
    if entity == "user":
        if isinstance(subject, User):
            return subject
        return s.scalar(select(User).where(User.username == key))
    return None


def state_of(s: Session, subject: Dossier | User | None) -> str | None:
    """The digest an audit row about ``subject`` (``subject_of``) records, or None."""
    if isinstance(subject, Dossier):
        return dossier_state(s, subject)
    if isinstance(subject, User):
        return user_state(subject)
    return None


# -- anchors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Head:
    """The end of the chain: how many rows (its last id) and the last hash."""

    row_id: int
    hash: str

    @property
    def short(self) -> str:
        """As printed on paper: the row and the hash's first 16 characters."""
        return f"{self.row_id}:{self.hash[:16]}"


#: The link of the first row of the chain: the head of an empty chain.
GENESIS = "0" * 64


def head(s: Session) -> Head:
    """The chain's last row and its hash, read over the unit of work's connection with a
    plain statement (at every receipt: no statement built, no pending object flushed)."""
    row = (
        s.connection()
        .exec_driver_sql("SELECT id, hash FROM audit_rows ORDER BY id DESC LIMIT 1")
        .first()
    )
    return Head(row[0], hex_of(row[1])) if row else Head(0, GENESIS)


def hex_of(digest: Any) -> str:
    """A stored hash as hex: its bytes' (anything else, put there by hand, as text: it then
    matches no hash)."""
    return digest.hex() if isinstance(digest, bytes) else str(digest)


def anchor(s: Session, witness: str, at: Any) -> Head:
    """Keep the chain's head as ``witness`` saw it (in the caller's transaction)."""
    h = head(s)
    if h.row_id:
        s.add(AuditAnchor(at=at, row_id=h.row_id, hash=h.hash, witness=witness))
    return h


def is_anchored(s: Session, row_id: int, digest: str, witness: str) -> bool:
    return (
        s.scalar(
            select(AuditAnchor.id)
            .where(
                AuditAnchor.row_id == row_id,
                AuditAnchor.hash == digest,
                AuditAnchor.witness == witness,
            )
            .limit(1)
        )
        is not None
    )


def keep_anchor(s: Session, row_id: int, prefix: str, witness: str, at: Any) -> None:
    """Keep a head someone saw (row ``row_id``, its hash starting with ``prefix``) as an
    anchor, if it is in the chain now; a head the chain no longer has is for ``check`` to
    report, not to keep."""
    got = hash_at(s, row_id)
    if got is not None and got.startswith(prefix):
        s.add(AuditAnchor(at=at, row_id=row_id, hash=got, witness=witness))


def hash_at(s: Session, row_id: int) -> str | None:
    """The hash (hex) of the chain's row ``row_id``; None if there is no such row."""
    got = s.scalar(select(AuditRow.hash).where(AuditRow.id == row_id))
    return None if got is None else hex_of(got)


def parse_short(short: str) -> tuple[int, str] | None:
    """``Head.short`` ("row:hash prefix", as printed) read back; None if it is not one."""
    row_id, _, prefix = short.partition(":")
    return (int(row_id), prefix) if row_id.isdigit() else None
