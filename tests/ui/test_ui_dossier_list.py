"""The dossier list over 100,000 seeded dossiers: first rows, search, filters, sort, paging."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, Qt

from counter.clock import now
from counter.reports import DossierFilter
from counter.statuses import Status
from counter.text import fold
from ui.dossier_list import DossierListPage
from ui.models import KEY_ROLE, OBJECT_ROLE, DossierTableModel
from ui.tasks import run_inline
from ui.widgets import qdate

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, seeded):
    widget = DossierListPage(seeded)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    with qtbot.waitSignal(widget.model.loaded, timeout=10_000):
        widget.show()
    qtbot.waitUntil(lambda: widget.model.total is not None, timeout=10_000)
    return widget


def codes(model: DossierTableModel) -> list[str]:
    return [model.index(r, 0).data(KEY_ROLE) for r in range(model.rowCount())]


def reload(qtbot, page: DossierListPage, action) -> None:
    with qtbot.waitSignal(page.model.loaded, timeout=15_000):
        action()


def test_first_rows_are_the_newest_and_more_come_on_scrolling(qtbot, page, seeded):
    model = page.model
    assert model.rowCount() == DossierTableModel.PAGE
    assert model.total == 100_000
    assert "100.000" in page.total_label.text()
    expected = [d.code for d in seeded.app.reports.page(DossierFilter(), 0, 200)]
    assert codes(model) == expected
    received = [model.index(r, 0).data(OBJECT_ROLE).received_at for r in range(200)]
    assert received == sorted(received, reverse=True)

    # scrolling to the end asks for the next page, and only that
    assert model.canFetchMore()
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 2 * DossierTableModel.PAGE, timeout=10_000)
    assert len(set(codes(model))) == model.rowCount()


def test_search_like_the_command_line(qtbot, page, seeded):
    reload(qtbot, page, lambda: (page.search.setText("nguyen van"), page.apply_filter()))
    model = page.model
    assert model.rowCount() > 0
    expected = seeded.app.reports.page(DossierFilter(text="nguyen van"), 0, 200)
    assert codes(model) == [d.code for d in expected]  # the search of `counter-admin find`

    # a code finds exactly that dossier
    code = expected[0].code
    reload(qtbot, page, lambda: (page.search.setText(code.lower()), page.apply_filter()))
    assert codes(model) == [code]


def test_typing_searches_after_a_pause(qtbot, page):
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        page.search.setText("tran thi")
    names = [fold(page.model.index(r, 1).data()) for r in range(page.model.rowCount())]
    assert names and sum("tran" in n for n in names) > len(names) // 2


def test_filters_status_procedure_dates_overdue(qtbot, page, seeded):
    model = page.model
    returned = page.status.findData(Status.RETURNED.value)
    reload(qtbot, page, lambda: page.status.setCurrentIndex(returned))
    assert model.rowCount() > 0
    assert {model.index(r, 0).data(OBJECT_ROLE).status for r in range(model.rowCount())} == {
        Status.RETURNED
    }

    reload(qtbot, page, lambda: page.status.setCurrentIndex(0))
    proc = page.procedure.findData("1.001193")
    reload(qtbot, page, lambda: page.procedure.setCurrentIndex(proc))
    assert {
        model.index(r, 0).data(OBJECT_ROLE).procedure_code for r in range(model.rowCount())
    } == {"1.001193"}
    reload(qtbot, page, lambda: page.procedure.setCurrentIndex(0))

    today = now().date()
    page.date_from.setDate(qdate(today - timedelta(days=3)))
    page.date_to.setDate(qdate(today - timedelta(days=2)))
    reload(qtbot, page, lambda: page.use_dates.setChecked(True))
    days = {model.index(r, 0).data(OBJECT_ROLE).received_at.date() for r in range(model.rowCount())}
    assert days and days <= {today - timedelta(days=3), today - timedelta(days=2)}
    reload(qtbot, page, lambda: page.use_dates.setChecked(False))

    reload(qtbot, page, lambda: page.overdue.setChecked(True))
    assert model.rowCount() > 0
    for r in range(model.rowCount()):
        d = model.index(r, 0).data(OBJECT_ROLE)
        assert d.status.is_open and d.due_at < now()
        due = model.index(r, 5)
        # marked by text and icon as well as colour
        assert "Quá hạn" in due.data()
        assert due.data(Qt.ItemDataRole.DecorationRole) is not None
        assert model.index(r, 1).data(Qt.ItemDataRole.BackgroundRole) is not None
    qtbot.waitUntil(lambda: model.total is not None)
    assert model.total == seeded.app.reports.count(DossierFilter(overdue_only=True))


def test_clicking_a_header_sorts_in_the_database(qtbot, page, seeded):
    model = page.model
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(1) + 10
    reload(
        qtbot,
        page,
        lambda: qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5)),
    )
    key, descending = model.sort_key
    assert key == "applicant_name"
    names = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert names == sorted(names, reverse=descending)
    expected = seeded.app.reports.page(DossierFilter(), 0, 200, "applicant_name", descending)
    assert codes(model) == [d.code for d in expected]

    reload(qtbot, page, lambda: model.sort(5, Qt.SortOrder.AscendingOrder))
    dues = [model.index(r, 0).data(OBJECT_ROLE).due_at for r in range(model.rowCount())]
    assert dues == sorted(dues)


def test_enter_opens_the_current_dossier(qtbot, page):
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(3, 2))
    with qtbot.waitSignal(page.open_dossier) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args[0] == page.model.index(3, 0).data(KEY_ROLE)


def test_an_older_answer_never_overwrites_a_newer_question(qtbot, page, seeded):
    model = page.model
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_filter(DossierFilter(text="le"))
        model.set_filter(DossierFilter(procedure_code="1.001193"))
    qtbot.waitUntil(lambda: model.total is not None, timeout=10_000)
    rows = [model.index(r, 0).data(OBJECT_ROLE) for r in range(model.rowCount())]
    assert {d.procedure_code for d in rows} == {"1.001193"}


def test_the_model_is_a_proper_qt_model(qtmodeltester, seeded):
    model = DossierTableModel(seeded.app.reports, run_inline, page_size=50)
    model.set_filter(DossierFilter(procedure_code="1.001193"))
    qtmodeltester.check(model, force_py=True)
    model.set_filter(DossierFilter(overdue_only=True))
    qtmodeltester.check(model)
    assert model.rowCount() >= 50
