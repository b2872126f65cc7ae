"""A token bucket per client address, for the public lookup page, kept in the database.

Every worker process of the portal takes from the same buckets, and a restart forgets none:
one statement (an upsert that returns the bucket) refills a client's bucket for the time gone
by and takes a token if there is one, atomically, on SQLite and PostgreSQL alike; on
PostgreSQL it is the whole unit of work, one round trip (``Database.one_statement``). A bucket
full again is the same as no bucket: such rows are deleted now and then, so an address is
kept no longer than its bucket takes to refill.
"""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Float, String, Table, bindparam, case, delete, literal
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Database
from portal.models import Base

#: Every this many takes, a process deletes the buckets that are full again.
FORGET_EVERY = 500


class LookupBucket(Base):
    """One client address's bucket of lookups."""

    __tablename__ = "lookup_buckets"

    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)  # after the last take
    at: Mapped[float] = mapped_column(Float, index=True)  # the last take, seconds since epoch
    allowed: Mapped[bool]  # whether the last take got a token


class TokenBucketLimiter:
    """Each client may spend ``burst`` requests at once; its bucket refills at ``rate_per_s``."""

    def __init__(
        self,
        db: Database | None,
        rate_per_s: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.time,  # wall time: the same for every process
    ) -> None:
        self.db = db
        self.rate = rate_per_s
        self.burst = float(burst)
        self._clock = clock
        self._takes = itertools.count(1)
        self._statement = self._upsert() if self.enabled else None

    @property
    def enabled(self) -> bool:
        return self.rate > 0 and self.db is not None

    def take(self, client: str) -> float:
        """Spend one request: 0.0 if allowed, else the seconds until one is allowed."""
        if not self.enabled:
            return 0.0
        assert self.db is not None and self._statement is not None
        # A bucket is worth no wait for the disk: a crash may forget the last few takes, never
        # more (on PostgreSQL without synchronous commit; SQLite's WAL with synchronous=NORMAL
        # does the same).
        [bucket] = self.db.one_statement(self._statement, self.parameters(client), write=True)
        return self.wait_after(*bucket)

    def parameters(self, client: str) -> dict[str, Any]:
        """The parameters of a take (of ``statement``) for ``client``, now."""
        return {"client": client[:64], "now": self._clock()}

    @property
    def statement(self) -> Any:
        """The take: an upsert that returns the bucket's ``tokens`` and ``allowed``."""
        assert self._statement is not None, "a limiter that is off takes nothing"
        return self._statement

    def wait_after(self, tokens: float, allowed: bool) -> float:
        """What ``take`` answers for the bucket a take returned."""
        if self.forget_due():
            self.forget_idle()
        return self.wait_for(tokens, allowed)

    def wait_for(self, tokens: float, allowed: bool) -> float:
        """The seconds to wait for the bucket a take returned (0.0 when it was allowed)."""
        if allowed:
            return 0.0
        return (1.0 - float(tokens)) / self.rate

    def forget_due(self) -> bool:
        """Counts a take; whether the buckets full again are to be deleted now."""
        return next(self._takes) % FORGET_EVERY == 0

    def _upsert(self) -> Any:
        """The take, made once: parameters ``client`` and ``now``."""
        table = cast(Table, LookupBucket.__table__)
        insert = pg_insert if self.db is not None and not self.db.is_sqlite else sqlite_insert
        now_ = bindparam("now", type_=Float)
        burst = literal(self.burst, Float)
        elapsed = case((now_ > table.c.at, now_ - table.c.at), else_=literal(0.0, Float))
        grown = table.c.tokens + elapsed * literal(self.rate, Float)
        refilled = case((grown > burst, burst), else_=grown)
        statement = insert(table).values(
            client=bindparam("client", type_=String), tokens=self.burst - 1.0, at=now_, allowed=True
        )
        return statement.on_conflict_do_update(
            index_elements=[table.c.client],
            set_={
                "tokens": case((refilled >= 1.0, refilled - 1.0), else_=refilled),
                "allowed": refilled >= 1.0,
                "at": now_,
            },
        ).returning(table.c.tokens, table.c.allowed)

    def forget_idle(self) -> int:
        """Delete the buckets that have refilled completely; how many."""
        if not self.enabled:
            return 0
        assert self.db is not None
        with self.db.engine.execution_options(portal_write=True).begin() as conn:
            result = conn.execute(self.forget_statement, self.forget_parameters())
        return int(result.rowcount or 0)

    @functools.cached_property
    def forget_statement(self) -> Any:
        """The deletion of the buckets full again: parameter ``before``."""
        table = cast(Table, LookupBucket.__table__)
        return delete(table).where(table.c.at < bindparam("before", type_=Float))

    def forget_parameters(self) -> dict[str, Any]:
        """``forget_statement``'s parameters, now."""
        return {"before": self._clock() - self.burst / self.rate}
