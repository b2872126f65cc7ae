"""Rows read and written over the driver in bulk hold what SQLAlchemy would read and write."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest
from sqlalchemy import Table, bindparam, insert, select, update

from counter.bulksql import among, read_many, write_many
from counter.clock import now
from counter.dossiers import DossierInput
from counter.models import Dossier, DossierHistory

DOSSIERS = cast(Table, Dossier.__table__)
HISTORY = cast(Table, DossierHistory.__table__)


def test_bulk_rows_are_those_sqlalchemy_reads_and_writes(app: Any, clerk: Any) -> None:
    codes = [
        app.dossiers.receive(clerk, DossierInput("1.001193", name)).code
        for name in ("Lê Văn Một", "Lê Văn Hai", "Lê Văn Ba")
    ]
    moment = now().replace(microsecond=0)
    later = moment + timedelta(days=2, hours=3)
    with app.db.unit_of_work() as s:
        ids = dict(s.execute(select(DOSSIERS.c.code, DOSSIERS.c.id)).all())
        # moments shared by some rows and not others, a status, a value left empty
        moved = [
            {"dossier_id": ids[codes[0]], "status": "processing", "due_at": later},
            {"dossier_id": ids[codes[1]], "status": "done", "due_at": later},
            {"dossier_id": ids[codes[2]], "status": "processing", "due_at": moment},
        ]
        by_id = DOSSIERS.c.id == bindparam("dossier_id")
        statement = update(DOSSIERS).where(by_id)
        write_many(
            s.connection(),
            statement.values(status=bindparam("status"), due_at=bindparam("due_at")),
            moved,
        )
        lines = [
            {"dossier_id": row["dossier_id"], "at": at, "status": row["status"]}
            | {"by_user": "Phòng Tư pháp", "note": "", "source": "portal"}
            for row, at in zip(moved, (moment, moment, later), strict=True)
        ]
        write_many(s.connection(), insert(HISTORY), lines)
        s.add(DossierHistory(**lines[0]))  # the same line, as the mapped class writes it
        s.flush()
        raw = s.connection().exec_driver_sql(
            "SELECT dossier_id, at, status, by_user, note, source FROM dossier_history"
            " ORDER BY id DESC LIMIT 4"
        )
        by_orm, *by_bulk = raw.all()
        assert tuple(by_orm) == tuple(by_bulk[-1])  # stored alike, whatever the storage
    with app.db.reading() as s:
        query = select(DOSSIERS.c.code, DOSSIERS.c.status, DOSSIERS.c.due_at).order_by("id")
        assert [tuple(r) for r in s.execute(query).all()] == [
            (codes[0], "processing", later),
            (codes[1], "done", later),
            (codes[2], "processing", moment),
        ]
        columns = [HISTORY.c[name] for name in ("dossier_id", "at", "status", "source")]
        query = select(*columns).where(HISTORY.c.dossier_id.in_(list(ids.values())))
        expected = [tuple(r) for r in s.execute(query.order_by(HISTORY.c.id)).all()]
        named = select(*columns).where(among(HISTORY.c.dossier_id, list(ids.values())))
        names, rows = read_many(s.connection(), named.order_by(HISTORY.c.id))
        assert names == ["dossier_id", "at", "status", "source"]
        assert rows == expected
        assert [r[1:] for r in rows[-4:-1]] == [
            (moment, "processing", "portal"),
            (moment, "done", "portal"),
            (later, "processing", "portal"),
        ]
        # a parameter is bound by its column's type, as SQLAlchemy binds it
        query = select(DOSSIERS.c.code).where(DOSSIERS.c.due_at > moment).order_by("id")
        assert read_many(s.connection(), query) == (["code"], [(codes[0],), (codes[1],)])
        with pytest.raises(ValueError, match="status"):
            among(DOSSIERS.c.status, ["done"])
