"""The audit digests of many dossiers at once, as they are now in the transaction: what the
pull records in its audit lines and what ``check`` compares the trail with
(``counter.replay``), each byte for byte ``integrity.dossier_state``, made a lot of dossiers
at a time from their columns rather than from a mapped object each."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Table, inspect, select
from sqlalchemy.orm import Session

from counter import integrity
from counter.bulksql import among, read_many, read_objects, read_raw
from counter.models import Dossier, OutboxEntry, ProcedureVersion
from counter.repository import chunks

#: The tables read with plain statements (the column types apply all the same).
DOSSIERS = cast(Table, Dossier.__table__)
OUTBOX = cast(Table, OutboxEntry.__table__)
VERSIONS = cast(Table, ProcedureVersion.__table__)
#: Dossiers named in one statement at most (their ids or codes one parameter: ``among``).
LOT = 20_000


#: Columns besides ``integrity.DOSSIER_FIELDS`` a dossier's digest is made with, in the order
#: they are read after those.
_DIGEST_EXTRA = (
    "id",
    "procedure_version",
    "papers",
    "rating_level",
    "rating_reason",
    "rated_at",
    "rating_source",
)


def _column_texts(values: Sequence[Any], convert: Callable[[Any], Any] | None) -> list[str]:
    """The JSON texts (``integrity.value_json``) of one column's values in a lot of rows, as
    the driver gave them: a column of texts or of whole numbers written at once; through the
    column type's conversion ``convert``, each distinct value converted and written once (a
    lot's dossiers share their statuses, moments and days)."""
    if convert is None:
        for write in (integrity.json_str, int.__repr__):
            try:  # a value of another type (NULL, a value put there behind the program's back)
                return list(map(write, values))
            except TypeError:
                pass
        return list(map(integrity.value_json, values))
    distinct = set(values)
    if not all(type(value) in _DISTINCT for value in distinct):  # 1 and 1.0 are one key
        return [integrity.value_json(convert(value)) for value in values]
    written = {value: integrity.value_json(convert(value)) for value in distinct}
    return list(map(written.__getitem__, values))


#: The types of stored values no value of another type equals (as a key of a dict).
_DISTINCT = frozenset({int, str, type(None)})


def dossier_digests(s: Session, dossier_ids: Sequence[int]) -> dict[str, str]:
    """``integrity.dossier_state`` of many dossiers as they are now in the transaction, by
    code, a chunk at a time: the columns it covers (the class's column properties among
    them, read by their own SQL) read as the driver gives them, their JSON texts written a
    column at a time (``_column_texts``); what the mapped class takes from its procedure's
    version (its properties among the digest's fields) written once per version and papers;
    the outbox entries read with plain statements; each digest put together by
    ``integrity.DossierDigester``."""
    table = DOSSIERS
    attrs = {attr.key: attr.columns[0] for attr in inspect(Dossier).column_attrs}
    derived = {
        name: prop.fget
        for name in integrity.DOSSIER_FIELDS
        if isinstance(prop := getattr(Dossier, name, None), property) and prop.fget
    }
    stored = [name for name in integrity.DOSSIER_FIELDS if name not in derived]
    columns = [
        attrs[name] if name in table.c else attrs[name].label(name)
        for name in (*stored, *_DIGEST_EXTRA)
    ]
    # the texts of a dossier never rated in the order its procedure's document takes them
    # (``integrity.partial_digest``), the outbox's among them: every key but the derived
    slots = sorted([*stored, "outbox"])
    at_outbox = slots.index("outbox")
    in_slots = [stored.index(name) for name in slots if name != "outbox"]
    rated_fields = [name for name in slots if name != "outbox"]
    digester = integrity.DossierDigester([*rated_fields, *derived])
    n = len(stored)
    at_code = stored.index("code")
    versions: dict[int | None, SimpleNamespace | None] = {None: None}
    shared: dict[tuple[int | None, str | None], tuple[tuple[str, ...], integrity.PartialDigest]]
    shared = {}
    conn = s.connection()
    out: dict[str, str] = {}
    entries = OUTBOX.c
    for part in chunks(sorted(set(dossier_ids)), LOT):
        outbox: dict[int, list[tuple[str, str, str]]] = {}
        _, queued = read_many(
            conn,
            select(entries.dossier_id, entries.idempotency_key, entries.kind, entries.payload)
            .where(among(entries.dossier_id, part))
            # each dossier's oldest first, as its index gives them (not sorted again by id)
            .order_by(entries.dossier_id, entries.id),
        )
        for dossier_id, key, kind, payload in queued:
            outbox.setdefault(dossier_id, []).append((key, kind, payload))
        # the entries sent long ago: their payloads' SHA-256 kept, not the payloads
        sent = integrity.sent_entries(s, part)
        _, rows, conversions = read_raw(conn, select(*columns).where(among(table.c.id, part)))
        if not rows:
            continue
        by_column = list(zip(*rows, strict=True))
        texts_by_column = [_column_texts(by_column[i], conversions[i]) for i in in_slots]
        texts_by_column.insert(
            at_outbox,
            [
                integrity.outbox_json(outbox.get(i, ()), sent.get(i, ()))
                for i in by_column[n + _DIGEST_EXTRA.index("id")]
            ],
        )
        rated_at = conversions[n + _DIGEST_EXTRA.index("rated_at")] or (lambda value: value)
        wanted = set(by_column[n + 1]) - versions.keys()
        if wanted:
            v_table = VERSIONS
            query = select(v_table).where(v_table.c.id.in_(wanted))
            for v in read_objects(conn, query):
                versions[v.id] = v
        for texts, row in zip(zip(*texts_by_column, strict=True), rows, strict=True):
            _, version, papers, level, reason, rated, source = row[n:]
            found = shared.get((version, papers))
            if found is None:
                d = SimpleNamespace(version=versions.get(version), papers=papers)
                written = tuple(integrity.value_json(fget(d)) for fget in derived.values())
                partial = integrity.partial_digest(dict(zip(derived, written, strict=True)))
                if partial.keys != tuple(slots):
                    raise ValueError(f"a digest's keys in another order: {partial.keys}")
                found = shared[(version, papers)] = (written, partial)
            if level is None:
                out[row[at_code]] = found[1].digest(texts)
            else:  # a citizen's rating: its place among the keys too
                rating = integrity.rating_value(level, reason, rated_at(rated), source)
                own = texts[:at_outbox] + texts[at_outbox + 1 :]
                out[row[at_code]] = digester.digest(
                    (*own, *found[0]), texts[at_outbox], integrity.value_json(rating)
                )
    return out
