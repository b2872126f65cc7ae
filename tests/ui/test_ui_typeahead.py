"""Intake's procedure type-ahead, typed as a clerk types: the procedure itself before its
variants, and this counter's most used procedures first among equal matches, never above a
better match."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter.typeahead import PREFIX, WORD_RUN, Query, group
from tests.ui.uikit import receive, type_text
from ui.intake import IntakePage
from ui.models import KEY_ROLE
from ui.operations import Changes, Op

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, as_clerk):
    widget = IntakePage(as_clerk)
    qtbot.addWidget(widget)
    widget.resize(1300, 760)
    with (
        qtbot.waitSignal(widget.loaded, timeout=5000),
        qtbot.waitSignal(widget.picker.usage_read, timeout=5000),
    ):
        widget.show()
        qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: widget.procedure_edit.hasFocus())
    return widget


def offered(qtbot, page, text: str) -> list[str]:
    """Type ``text`` in the procedure field: the codes the list offers, top first."""
    page.clear_form()
    page.activateWindow()  # the offscreen platform leaves no window active after a popup
    qtbot.waitUntil(lambda: page.procedure_edit.hasFocus())
    type_text(QApplication.focusWidget(), text)
    popup = page.picker.completer.popup()
    assert popup.isVisible()
    model = popup.model()
    assert popup.currentIndex().row() == 0  # Enter takes the first
    return [model.index(r, 0).data(KEY_ROLE) for r in range(model.rowCount())]


def received_here(ctx, clerk, code: str, times: int) -> None:
    """Dossiers of ``code`` received as intake receives them (every screen hears of them)."""
    app = ctx.app
    for _ in range(times):
        op = Op.write(
            lambda: receive(app, clerk, procedure_code=code), lambda d: Changes.of_dossier(d.code)
        )
        ctx.tasks.run(op)


def test_khai_tu_offers_the_registration_of_a_death_first(qtbot, page):
    codes = offered(qtbot, page, "khai tu")
    assert codes[:2] == ["1.000656", "1.005461"]  # đăng ký khai tử, then đăng ký lại khai tử
    assert page.picker.completer.popup().model().index(0, 0).data() == (
        "1.000656 – Thủ tục đăng ký khai tử"
    )
    assert offered(qtbot, page, "khai sinh")[0] == "1.001193"
    assert offered(qtbot, page, "1.005461") == ["1.005461"]  # the code typed


def test_the_most_used_first_within_a_group_never_above_it(qtbot, page, ctx, clerk):
    # "cap": names that start with it, then names holding it as a word
    query = Query.of("cap")
    before = offered(qtbot, page, "cap")
    model = page.picker.model
    entries = {model.entry(r).code: model.entry(r) for r in range(model.rowCount())}
    starting = [c for c in before if group(query, entries[c]) == PREFIX]
    holding = [c for c in before if group(query, entries[c]) == WORD_RUN]
    assert before[: len(starting)] == starting and starting and holding
    busy_holding, busy_starting = holding[-1], starting[-1]

    page.clear_form()
    received_here(ctx, clerk, busy_holding, 4)
    received_here(ctx, clerk, busy_starting, 2)
    received_here(ctx, clerk, "1.005461", 1)  # đăng ký lại khai tử
    expected = {busy_holding: 4, busy_starting: 2, "1.005461": 1}
    qtbot.waitUntil(lambda: page.picker.filter.usage == expected, timeout=20_000)
    after = offered(qtbot, page, "cap")
    assert after[0] == busy_starting  # first of the names that start with "cap"
    assert set(after[: len(starting)]) == set(starting)  # the more used one stays below
    assert after[len(starting)] == busy_holding  # first of its own group
    # usage never lifts "đăng ký lại khai tử" above "khai tử" itself (the whole name)
    assert offered(qtbot, page, "khai tu")[:2] == ["1.000656", "1.005461"]


def test_enter_in_the_empty_field_offers_the_most_used_and_a_second_enter_takes_it(
    qtbot, page, ctx, clerk
):
    received_here(ctx, clerk, "1.000656", 2)  # đăng ký khai tử, the usual one here
    qtbot.waitUntil(lambda: page.picker.filter.usage == {"1.000656": 2}, timeout=20_000)
    page.clear_form()
    page.activateWindow()
    qtbot.waitUntil(lambda: page.procedure_edit.hasFocus())
    qtbot.keyClick(page.procedure_edit, Qt.Key.Key_Return)
    popup = page.picker.completer.popup()
    assert popup.isVisible() and page.procedure is None  # a stray Enter picks nothing
    assert popup.currentIndex().data(KEY_ROLE) == "1.000656"
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert page.procedure is not None and page.procedure.code == "1.000656"
