"""The citizen's rating at hand-back: a window of its own, keys 1-3 (the keypad's too), the
reasons after "Chưa hài lòng", nothing stored when it closes unanswered, the daily page's
share satisfied."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from counter.statuses import Status
from tests.ui.uikit import receive
from ui.dossier_detail import DossierDetailDialog, read_details
from ui.rating_screen import RatingScreen, screen_of
from ui.reports_pages import DailySummaryPage

pytestmark = pytest.mark.gui


def test_the_citizen_rates_on_a_window_of_their_own(qtbot, ctx, clerk, boss, counter_app):
    code = receive(counter_app, clerk, applicant_name="Phạm Thị Hoa").code
    counter_app.dossiers.set_status(boss, code, Status.PROCESSING)
    counter_app.dossiers.set_status(boss, code, Status.DONE)
    ctx.actor = clerk
    detail = DossierDetailDialog(ctx, read_details(ctx.app, code))
    qtbot.addWidget(detail)
    detail.show()
    # the clerk's window has no way to rate for the citizen
    texts = [b.text() for b in detail.findChildren(QPushButton)]
    assert not [t for t in texts if "hài lòng" in t.lower()]

    screen: RatingScreen = screen_of(ctx)
    with qtbot.waitSignal(ctx.changed, timeout=10_000):
        detail.change_status(Status.RETURNED)
    qtbot.waitUntil(screen.isVisible, timeout=10_000)
    assert screen.isWindow() and screen.window() is not detail.window()
    assert code in screen.subtitle.text()

    # "Chưa hài lòng" from the numeric keypad, then the first reason
    QTest.keyClick(screen, Qt.Key.Key_3, Qt.KeyboardModifier.KeypadModifier)
    assert screen.pages.currentIndex() == 1
    with qtbot.waitSignal(screen.rated, timeout=10_000):
        QTest.keyClick(screen, Qt.Key.Key_1)
    rating = counter_app.dossiers.get(code).rating
    assert (rating.level, rating.reason) == ("unsatisfied", "Thời gian chờ lâu")

    # rated again with the key 2: the later rating replaces the first
    screen.ask(code, 60)
    with qtbot.waitSignal(screen.rated, timeout=10_000) as rated:
        QTest.keyClick(screen, Qt.Key.Key_2)
    assert (rated.args[0].level, rated.args[0].source) == ("satisfied", "screen")
    rating = counter_app.dossiers.get(code).rating
    assert rating.level == "satisfied"
    assert screen.pages.currentIndex() == 2  # the thanks

    # closed without a choice: nothing stored
    screen.ask(code, 60)
    with qtbot.waitSignal(screen.dismissed, timeout=5000):
        screen.close()
    assert counter_app.dossiers.get(code).rating == rating

    ctx.actor = boss
    daily = DailySummaryPage(ctx)
    qtbot.addWidget(daily)
    with qtbot.waitSignal(daily.loaded, timeout=30_000) as loaded:
        daily.load()
    assert (loaded.args[0].rated, loaded.args[0].satisfied) == (1, 1)
    assert daily.figures["satisfied"].text() == "100%"
    assert "1/1" in daily.figures["satisfied"].toolTip()
    screen.close()
