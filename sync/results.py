"""What a sync round did: ``SyncResult`` for the front ends, and the running tally of a round."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import protocol


@dataclass(frozen=True)
class SyncResult:
    """What one round (or several, added up) did.

    ``pushed``: entries the portal now holds; ``pulled``: local dossiers changed by the
    portal's feed; ``conflicts``: entries the portal answered with a conflict this time;
    ``failed``: other entries it did not take (refused for good, or to be sent again later);
    ``pending``: entries still waiting after the round; ``needs_attention``: entries waiting
    for a person; ``master``: master data documents updated.
    """

    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    failed: int = 0
    pending: int = 0
    needs_attention: int = 0
    master: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, int]:
        """The command line's ``--json`` document."""
        return {
            "pushed": self.pushed,
            "pulled": self.pulled,
            "conflicts": self.conflicts,
            "failed": self.failed,
            "pending": self.pending,
        }

    def __add__(self, later: SyncResult) -> SyncResult:
        """Totals of two rounds; what is left is what the later round left."""
        return SyncResult(
            pushed=self.pushed + later.pushed,
            pulled=self.pulled + later.pulled,
            conflicts=self.conflicts + later.conflicts,
            failed=self.failed + later.failed,
            pending=later.pending,
            needs_attention=later.needs_attention,
            master=tuple(dict.fromkeys(self.master + later.master)),
        )


@dataclass
class Tally:
    """What a round has done so far."""

    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    failed: int = 0
    master: list[str] = field(default_factory=list)


def describe(result: protocol.EntryResultDict) -> str:
    """The portal's reason for an entry, for the person who looks at it (Vietnamese, English)."""
    reason: dict[str, Any] = dict(result.get("reason") or {})
    code = reason.get("code") or result["outcome"]
    message = reason.get("message") or ""
    message_en = reason.get("message_en") or message
    return f"{result['outcome']} ({code}): {message} / {message_en}".strip()
