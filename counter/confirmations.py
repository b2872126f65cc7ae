"""When the portal last confirmed a dossier: the one place that writes it.

The moment is kept in ``dossier_confirmations``, a row a confirmed dossier keyed by its id,
and read as ``Dossier.portal_confirmed_at``. In the dossier's own row it made the row grow
when the portal confirmed it, after the receipt had written the row into a full page: the
page split, and the table kept about a sixth of its pages empty. A confirmation row is
written once, at the end of its table as dossiers are confirmed in the order received, and
a later confirmation rewrites its moment in place (the same four bytes).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import cast

from sqlalchemy import String, Table, bindparam, func, select, true
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from counter.models import DossierConfirmation

_TABLE = cast(Table, DossierConfirmation.__table__)


def confirm(s: Session, dossier_ids: Iterable[int], moment: datetime) -> None:
    """The portal confirmed these dossiers at ``moment``: one statement, the ids one JSON
    array parameter (as ``counter.bulksql.among`` hands them over)."""
    ids = sorted(set(dossier_ids))
    if not ids:
        return
    listed = func.json_each(bindparam(None, json.dumps(ids), type_=String())).table_valued("value")
    at = bindparam("at", moment, type_=_TABLE.c.at.type)
    # (an upsert's SELECT has a WHERE clause: SQLite's grammar needs it there)
    statement = insert(_TABLE).from_select(
        ["dossier_id", "at"], select(listed.c.value, at).where(true())
    )
    s.execute(
        statement.on_conflict_do_update(
            index_elements=[_TABLE.c.dossier_id], set_={"at": statement.excluded.at}
        )
    )
