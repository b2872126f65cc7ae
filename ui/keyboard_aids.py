"""Help for a clerk on the keyboard: a ring that shows where the keyboard is, on every kind of
control, and Alt+letter mnemonics given to labels that are built from data (the settings).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF, Qt, Slot
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFocusFrame,
    QScrollArea,
    QWidget,
)

RING_COLOUR = "#1a56b0"
RING_WIDTH = 2


class FocusRing(QFocusFrame):
    """A blue ring around the control that has the keyboard inside ``area``, whatever its kind
    (a text field, a list, a number, a tick box, a button, a tab bar): the style's own focus
    mark is faint or missing on some of them."""

    def __init__(self, area: QWidget) -> None:
        super().__init__(area)
        self.area = area
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._follow)

    @Slot(QWidget, QWidget)
    def _follow(self, _old: QWidget | None, new: QWidget | None) -> None:
        # a slot of the ring itself: Qt drops the connection when the ring is destroyed
        target = _control_of(new)
        if target is None or not self.area.isAncestorOf(target):
            self.setWidget(None)
            return
        if isinstance(target, QScrollArea):  # the scroll area itself: no control
            self.setWidget(None)
            return
        self.setWidget(target)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(RING_COLOUR))
        pen.setWidth(RING_WIDTH)
        painter.setPen(pen)
        half = RING_WIDTH / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 3, 3)


def _control_of(widget: QWidget | None) -> QWidget | None:
    """The control a focused part belongs to (the line edit inside a spin box or a list)."""
    if widget is None:
        return None
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractSpinBox | QComboBox):
            return parent
        parent = parent.parentWidget()
    return widget


def with_mnemonics(texts: Iterable[str], taken: Iterable[str]) -> list[str]:
    """Each text with an ``&`` before a letter no other text (nor ``taken``) has, so that
    Alt+letter reaches each one.

    Only letters a plain keyboard types are used (not "đ", "ơ", "ư", nor a letter with a tone
    mark), and case does not count (Alt+A is Alt+a). A text with no free letter takes a free
    digit it holds; one with neither is left without. Letters are chosen so that as many texts
    as possible get one: each text first tries its own letters in order, and a text that finds
    none free may move an earlier one to another of its letters (a matching)."""
    items = list(texts)
    used = {c.lower() for c in taken}
    choices = [_candidates(text, used) for text in items]
    owner: dict[str, int] = {}

    def place(i: int, seen: set[str]) -> bool:
        for key, _ in choices[i]:
            if key in seen:
                continue
            seen.add(key)
            if key not in owner or place(owner[key], seen):
                owner[key] = i
                return True
        return False

    for i in range(len(items)):
        place(i, set())
    position = {i: dict(choices[i])[key] for key, i in owner.items()}
    out = []
    for i, text in enumerate(items):
        escaped = text.replace("&", "&&")
        if i not in position:
            out.append(escaped)
            continue
        at = position[i]
        shift = text[:at].count("&")  # each & before it became two
        at += shift
        out.append(escaped[:at] + "&" + escaped[at:])
    return out


def _candidates(text: str, used: set[str]) -> list[tuple[str, int]]:
    """(key, position) of the letters of ``text`` that may carry its mnemonic, then digits."""
    letters: list[tuple[str, int]] = []
    digits: list[tuple[str, int]] = []
    seen: set[str] = set()
    for at, ch in enumerate(text):
        key = ch.lower()
        if not ch.isascii() or key in used or key in seen:
            continue
        if ch.isalpha():
            letters.append((key, at))
            seen.add(key)
        elif ch.isdigit():
            digits.append((key, at))
            seen.add(key)
    return letters + digits
