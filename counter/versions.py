"""Procedure versions: the catalogue's procedure as each dossier was received under it.

A dossier does not copy its procedure's name, time limit, agency, fees and document list:
it refers to a row of ``procedure_versions``, one per distinct content (named by the
SHA-256 of that content), written the first time a dossier is received under it and never
changed or removed after (triggers refuse it). A procedure changed in the catalogue later
gets a new version; the dossiers received before keep theirs, so their forms print as they
were received, years on.

What a dossier keeps of its own is what differs from its version: the papers handed in
(``pack``): nothing when they are the procedure's required papers with the catalogue's
names and counts (what intake takes when the clerk ticks nothing), else each line as the
catalogue's code alone when it is the catalogue's line, or whole when the clerk changed it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

#: What a version holds, in the order of its columns (after ``id`` and ``digest``).
FIELDS = (
    "code",
    "name",
    "field_name",
    "time_value",
    "time_unit",
    "time_cutoff",
    "result_agency",
    "fees",
    "fees_total",
    "documents",
)

INSERT_SQL = (
    f"INSERT INTO procedure_versions (digest, {', '.join(FIELDS)}) "
    f"VALUES ({', '.join('?' * (len(FIELDS) + 1))})"
)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def digest(values: Mapping[str, Any]) -> str:
    """The name of a version: the SHA-256 of its content as canonical JSON."""
    body = json.dumps(
        {f: values[f] for f in FIELDS}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def version_id(conn: sqlite3.Connection, values: Mapping[str, Any], name: str = "") -> int:
    """The id of the version with this content (``name``: its ``digest``, when the caller has
    it), written first if there is none yet (in the caller's transaction)."""
    name = name or digest(values)
    row = conn.execute("SELECT id FROM procedure_versions WHERE digest = ?", (name,)).fetchone()
    if row is not None:
        return int(row[0])
    params = [values[f] for f in FIELDS]
    params[FIELDS.index("fees")] = _json(values["fees"])
    params[FIELDS.index("documents")] = _json(values["documents"])
    cur = conn.execute(INSERT_SQL, (name, *params))
    assert cur.lastrowid is not None
    return cur.lastrowid


def _line(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A catalogue document as a dossier's line (``serialize.document_json``'s keys)."""
    return {
        "code": doc["code"],
        "name": doc["name"],
        "originals": doc.get("originals", 0),
        "copies": doc.get("copies", 0),
    }


def default_lines(catalogue: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The papers of a dossier received with none ticked: the required ones, as listed."""
    return [_line(d) for d in catalogue if d.get("requirement", "required") == "required"]


def pack(lines: Sequence[Mapping[str, Any]], catalogue: Sequence[Mapping[str, Any]]) -> str | None:
    """What a dossier stores of its papers: None for the default, else a JSON list of codes
    (a catalogue line as it is) and whole lines (anything else)."""
    lines = [dict(x) for x in lines]
    if lines == default_lines(catalogue):
        return None
    listed = {d["code"]: _line(d) for d in catalogue}
    return _json([x["code"] if listed.get(x.get("code")) == x else x for x in lines])


def unpack(stored: str | None, catalogue: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A dossier's papers as received (the inverse of ``pack``)."""
    if stored is None:
        return default_lines(catalogue)
    listed = {d["code"]: d for d in catalogue}
    return [_line(listed[x]) if isinstance(x, str) else x for x in json.loads(stored)]


#: SQL: a dossier's procedure name (its version's), in a query over ``dossiers``.
NAME_SQL = (
    "(SELECT name FROM procedure_versions WHERE procedure_versions.id = dossiers.procedure_version)"
)

#: SQL: the codes of a dossier's papers (``pack``'s list, or its version's required ones),
#: for ``json_each`` in a query over ``dossiers``.
PAPER_CODES_SQL = (
    "SELECT CASE line.type WHEN 'object' THEN json_extract(line.value, '$.code') "
    "ELSE line.value END AS code FROM json_each(coalesce(dossiers.papers, ("
    "SELECT json_group_array(json_extract(doc.value, '$.code')) "
    "FROM procedure_versions AS v, json_each(v.documents) AS doc "
    "WHERE v.id = dossiers.procedure_version "
    "AND coalesce(json_extract(doc.value, '$.requirement'), 'required') = 'required'"
    "))) AS line"
)
