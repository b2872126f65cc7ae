"""Looking at a window as a keyboard-only clerk does: its mnemonics, its shortcuts, and where
Tab goes. Used by the audit of every window (tests/ui/test_ui_keyboard.py) and by the
keyboard-only end-to-end test."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from ui.settings_page import mnemonic_of as mnemonic  # the letter after a single "&"

ACTIONABLE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
)


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.window() is window


@dataclass
class Mnemonics:
    """Every mnemonic a window offers, by letter: what carries it."""

    by_letter: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, text: str, owner: str) -> None:
        letter = mnemonic(text)
        if letter is not None:
            self.by_letter[letter].append(f"{owner} {text!r}")

    def clashes(self) -> dict[str, list[str]]:
        return {k: v for k, v in self.by_letter.items() if len(v) > 1}

    def untypeable(self) -> list[str]:
        """Mnemonics on letters a plain keyboard has no key for (Alt+Đ, Alt+Ơ...)."""
        return [owner for k, v in self.by_letter.items() if not k.isascii() for owner in v]


def mnemonics(window: QWidget) -> Mnemonics:
    """The mnemonics of the visible controls of ``window``, its menu bar included."""
    found = Mnemonics()
    for bar in window.findChildren(QMenuBar):
        if _shown(bar, window) and bar.isEnabled():  # a locked window's bar is off
            for action in bar.actions():
                if action.isVisible():
                    found.add(action.text(), "menu")
    for widget in window.findChildren(QWidget):
        if not _shown(widget, window):
            continue
        if isinstance(widget, QAbstractButton):
            found.add(widget.text(), type(widget).__name__)
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            found.add(widget.text(), "label")
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            found.add(widget.title(), "group")
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                found.add(widget.tabText(i), "tab")
    return found


def menu_clashes(window: QWidget) -> dict[str, list[str]]:
    """Mnemonic clashes inside each menu of the menu bar (each menu is its own scope)."""
    clashes: dict[str, list[str]] = {}
    for bar in window.findChildren(QMenuBar):
        for top in bar.actions():
            menu = top.menu()
            if menu is None:
                continue
            scope = Mnemonics()
            for action in menu.actions():
                if action.isVisible() and not action.isSeparator():
                    scope.add(action.text(), top.text())
            clashes.update({f"{top.text()}/{k}": v for k, v in scope.clashes().items()})
    return clashes


def shortcut_clashes(window: QWidget) -> dict[str, list[str]]:
    """Key sequences given to more than one enabled action of the window."""
    seen: dict[str, list[str]] = defaultdict(list)
    for widget in [window, *window.findChildren(QWidget)]:
        if widget is not window and not _shown(widget, window):
            continue
        for action in widget.actions():
            if not action.isEnabled():
                continue
            for seq in action.shortcuts():
                key = seq.toString(QKeySequence.SequenceFormat.PortableText)
                if key:
                    seen[key].append(action.text() or type(widget).__name__)
    return {k: v for k, v in seen.items() if len(set(v)) > 1}


def tab_chain(window: QWidget, start: QWidget | None = None, limit: int = 400) -> list[QWidget]:
    """The widgets Tab visits from ``start`` (or the focused widget), pressing Tab for real."""
    from PySide6.QtTest import QTest

    current = start or QApplication.focusWidget()
    assert current is not None, "nothing has the focus"
    current.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    first = QApplication.focusWidget()
    assert first is not None, "the focus went nowhere"
    visited = [first]
    for _ in range(limit):
        focused = QApplication.focusWidget()
        assert focused is not None, f"Tab from {visited[-1]!r} put the focus nowhere"
        QTest.keyClick(focused, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        assert now is not None, f"Tab from {focused!r} put the focus nowhere"
        if now is first:
            break
        visited.append(now)
    return visited


def _part_of_compound(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractSpinBox | QComboBox | QAbstractItemView | QMenuBar):
            return True
        parent = parent.parentWidget()
    return False


def unreachable(window: QWidget, chain: list[QWidget]) -> list[str]:
    """Visible, enabled controls neither on the Tab chain nor carrying a mnemonic/shortcut."""
    on_chain = set(map(id, chain))
    missing = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, ACTIONABLE) or not _shown(widget, window):
            continue
        if not widget.isEnabled() or _part_of_compound(widget):
            continue
        if type(widget).__name__ in {"QHeaderView", "QScrollBar", "QLineEditIconButton"}:
            continue
        if id(widget) in on_chain or widget.property("keyboardAlternative"):
            continue  # on the chain, or reached another way (the F keys, a menu entry)
        if isinstance(widget, QLineEdit) and widget.isReadOnly():
            continue
        if isinstance(widget, QAbstractButton) and (
            mnemonic(widget.text()) or not widget.shortcut().isEmpty()
        ):
            continue  # Alt+letter or its own key presses it
        name = widget.accessibleName() or (
            widget.text() if isinstance(widget, QAbstractButton) else ""
        )
        missing.append(f"{type(widget).__name__} {name!r}")
    return missing


def audit(window: QWidget, start: QWidget | None = None) -> list[str]:
    """Every keyboard problem of a window, as readable lines (empty when all is well)."""
    problems = []
    found = mnemonics(window)
    for letter, owners in found.clashes().items():
        problems.append(f"Alt+{letter.upper()} shared by: {', '.join(owners)}")
    for owner in found.untypeable():
        problems.append(f"mnemonic on a letter without a key: {owner}")
    for where, owners in menu_clashes(window).items():
        problems.append(f"menu {where} shared by: {', '.join(owners)}")
    for key, owners in shortcut_clashes(window).items():
        problems.append(f"{key} given to: {', '.join(owners)}")
    chain = tab_chain(window, start)
    problems.extend(f"not reachable by keyboard: {w}" for w in unreachable(window, chain))
    return problems
