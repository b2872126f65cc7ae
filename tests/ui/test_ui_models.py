"""Every model of the interface passes Qt's model checks; the small ones behave."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter.views import DocumentLine, UserView
from ui.models import KEY_ROLE, DocumentChecklistModel, RowsModel
from ui.procedure_picker import FOLDED_ROLE, ProcedureFilter, ProcedureListModel

pytestmark = pytest.mark.gui


@pytest.fixture
def procedures(counter_app):
    return counter_app.catalog.procedures()


def test_procedure_list_and_its_filter(qtmodeltester, procedures):
    model = ProcedureListModel(procedures)
    qtmodeltester.check(model)
    assert model.rowCount() == len(procedures)
    assert model.index(0, 0).data(FOLDED_ROLE) == model.index(0, 0).data(FOLDED_ROLE).lower()

    proxy = ProcedureFilter()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_query("KHAI   SINH")
    assert 0 < proxy.rowCount() < model.rowCount()
    assert proxy.index(0, 0).data(KEY_ROLE) == "1.001193"  # the name that starts with it
    qtmodeltester.check(proxy)
    proxy.set_query("đăng ký kết hôn")
    assert proxy.rowCount() >= 1
    proxy.set_query("1.001193")
    assert proxy.index(0, 0).data(KEY_ROLE) == "1.001193"
    proxy.set_query("")
    assert proxy.rowCount() == model.rowCount()


def test_document_checklist(qtmodeltester):
    model = DocumentChecklistModel()
    model.set_documents([DocumentLine("TK", "Tờ khai", 1, 0), DocumentLine("CC", "Căn cước", 0, 1)])
    qtmodeltester.check(model)
    assert model.received() == [
        DocumentLine("TK", "Tờ khai", 1, 0),
        DocumentLine("CC", "Căn cước", 0, 1),
    ]
    assert model.setData(model.index(0, 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert model.missing() == [DocumentLine("TK", "Tờ khai", 1, 0)]
    assert model.setData(model.index(1, 2), 3)
    assert model.received() == [DocumentLine("CC", "Căn cước", 0, 3)]
    assert not model.setData(model.index(1, 1), 1000)  # bounded
    assert not model.setData(model.index(1, 1), "nhiều")
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable


def test_rows_model(qtmodeltester):
    model: RowsModel[UserView] = RowsModel(
        [("Tên", lambda u: u.username), ("Vai trò", lambda u: u.role)], key=lambda u: u.username
    )
    qtmodeltester.check(model)
    model.set_rows([UserView("an", "Nguyễn An", "clerk"), UserView("binh", "Lê Bình", "admin")])
    qtmodeltester.check(model)
    assert model.index(1, 1).data() == "admin"
    assert model.index(1, 0).data(KEY_ROLE) == "binh"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Tên"
