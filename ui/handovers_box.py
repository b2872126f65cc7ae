"""The hand-overs of a dossier between agencies, as the portal reported them (the control
sheet's rows, Mẫu 06): shown in the dossier's detail, hidden while there are none."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from counter.views import DossierView
from ui import formatting


class HandoversBox(QGroupBox):
    """One line per hand-over: when, from which agency to which, who handed it over, and
    whether it was before, on or after the dossier's due moment (docs/printing.md)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Luân chuyển hồ sơ giữa các cơ quan"), parent)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Luân chuyển hồ sơ"))
        self.list.setWordWrap(True)
        QVBoxLayout(self).addWidget(self.list)
        self.setVisible(False)

    def fill(self, view: DossierView) -> None:
        # the forms' rule, imported when first needed: printing brings reportlab, which the
        # main window would otherwise import while the clerk signs in
        from printing.forms import step_timing

        self.list.clear()
        self.setVisible(bool(view.handovers))
        timing = {
            "early": self.tr("trước hạn"),
            "on_time": self.tr("đúng hạn"),
            "late": self.tr("quá hạn"),
        }
        for h in view.handovers:
            text = f"● {formatting.moment(h.at)}  {h.from_name} → {h.to_name}\n    "
            text += self.tr("người giao: {who}, {timing}").format(
                who=h.by, timing=timing[step_timing(h.at, view.due_at)]
            )
            if h.note:
                text += f"\n    {h.note}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text.replace("●", "").strip())
            self.list.addItem(item)
