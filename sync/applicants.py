"""Declare once, asked of the portal: the latest details of an ID number among the dossiers of
this counter's agency (docs/sync.md, "Declare once").

Only the desktop's intake asks, on a worker of its own, while the clerk types: the question has
a short timeout, every failure is "nothing known", and after one the portal is not asked again
for a minute, so a dead portal costs one wait a minute and never a clerk's. The counter's own
dossier wins unless the portal's is newer (``newest``).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from counter.views import KnownApplicant
from protocol.constants import APPLICANT_TYPES
from protocol.errors import KnownError
from protocol.timejson import parse_datetime

log = logging.getLogger("counter.sync")

#: After a failed question, the portal is left alone this long (seconds).
QUIET_AFTER_FAILURE = 60.0


def newest(own: KnownApplicant | None, portal: KnownApplicant | None) -> KnownApplicant | None:
    """The details to offer: the counter's own, unless the portal's come from a newer dossier."""
    if own is None or (portal is not None and portal.seen_at > own.seen_at):
        return portal
    return own


def applicant_of(doc: dict[str, Any]) -> KnownApplicant | None:
    """The portal's answer as the counter's view; None when it is not one."""
    given = doc.get("applicant")
    if not isinstance(given, dict):
        return None
    texts = {k: given.get(k) or "" for k in ("name", "id_number", "id_type", "phone", "email")}
    texts["address"] = given.get("address") or ""
    kind = given.get("type")
    if kind not in APPLICANT_TYPES or not all(isinstance(v, str) for v in texts.values()):
        return None
    if not texts["name"]:
        return None
    try:
        seen_at = parse_datetime(str(doc.get("received_at")))
    except ValueError:
        return None
    return KnownApplicant(
        applicant_type=kind,
        name=texts["name"],
        id_number=texts["id_number"],
        id_type=texts["id_type"],
        phone=texts["phone"],
        email=texts["email"],
        address=texts["address"],
        seen_at=seen_at,
        source="portal",
    )


class PortalApplicants:
    """The portal's side of declare once for one counter (``app``: a ``CounterApp``). Not
    thread-safe: used from one worker."""

    def __init__(self, app: Any, clock: Any = time.monotonic):
        self.app = app
        self._clock = clock
        self._quiet_until = 0.0
        self._client: Any = None

    def find(self, id_number: str) -> KnownApplicant | None:
        """The portal's latest details of the number in this agency; None when it has none,
        is not configured, cannot be reached or answers wrongly."""
        if not id_number or self._clock() < self._quiet_until:
            return None
        from sync.client import PortalClient, PortalConfig  # brings requests: not at start-up
        from sync.errors import TransientError

        try:
            config = PortalConfig.from_settings(self.app.settings)
        except KnownError:  # not configured: nothing to ask
            return None
        if self._client is None or self._client.config != config:
            if self._client is not None:
                self._client.close()
            self._client = PortalClient(config)
        try:
            doc = self._client.applicant(id_number)
        except (KnownError, OSError, TransientError) as exc:
            log.info("declare once: the portal was not asked for a minute (%s)", exc)
            self._quiet_until = self._clock() + QUIET_AFTER_FAILURE
            return None
        return None if doc is None else applicant_of(doc)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
