"""The change feed as the counter applies it: reduced to the portal's word on each dossier
(docs/sync.md, "Pull statuses")."""

from __future__ import annotations

from collections.abc import Sequence

import protocol
from counter.remote import RemoteDue, RemoteStatus
from counter.statuses import Status
from sync.client import Change


def remote_statuses(changes: Sequence[Change], counter_no: int) -> list[RemoteStatus]:
    """The feed reduced to one item per dossier: its state after the last change.

    Every change carries the dossier's status and due moment after it, so the last one
    is the portal's word; the states before it would only clutter the history (and
    would briefly undo the counter's own later words). Who moved the status and why come
    from the last status change that led to it; the due moment counts as moved only if a
    due change is among the changes. In feed order of the last changes. ``own``: the last
    change is this counter's (``counter_no``) own push coming back.
    """
    final: dict[str, Change] = {}
    status_change: dict[str, Change] = {}
    due_change: dict[str, Change] = {}
    for change in changes:
        final.pop(change.code, None)
        final[change.code] = change
        (due_change if change.kind == protocol.KIND_DUE else status_change)[change.code] = change
    items = []
    for code, last in final.items():
        cause = status_change.get(code)
        if cause is None or cause.status != last.status:
            cause = None
        moved = due_change.get(code)
        items.append(
            RemoteStatus(
                code=code,
                status=Status(last.status),
                at=cause.at if cause else last.at,
                note=cause.note if cause else "",
                by=(cause.by if cause else last.by) or "portal",
                own=last.source == protocol.SOURCE_COUNTER and last.counter_no == counter_no,
                due=RemoteDue(last.due_at, moved.at, moved.by or "portal", moved.note)
                if moved
                else None,
            )
        )
    return items
