"""The printer setting: the system's print queues in an editable list, the default one
marked, and a name that is no queue refused where it is typed."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from ui import i18n
from ui.print_service import PrintQueues


class PrinterChoice(QComboBox):
    """An editable list of the print queues; the first entry is the system's default printer
    (an empty setting). The queues are read on the print worker and handed to
    :meth:`set_queues`; until then the stored name is shown as it is."""

    #: the queues were listed (or the print system could not be asked)
    listed = Signal()

    def __init__(self, value: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.queues: PrintQueues | None = None
        self._fill(PrintQueues(), value)

    def _system_default(self) -> str:
        return self.tr("(máy in mặc định của hệ thống)")

    def _fill(self, queues: PrintQueues, value: str) -> None:
        blocker = QSignalBlocker(self)
        self.clear()
        self.addItem(self._system_default(), "")
        for name in queues.names:
            if name == queues.default:
                label = self.tr("{name} – máy in mặc định của hệ thống").format(name=name)
            else:
                label = name
            self.addItem(label, name)
        index = self.findData(value) if value else 0
        if index >= 0:
            self.setCurrentIndex(index)
        else:  # a name that is no queue (or not listed yet): shown as stored
            self.setEditText(value)
        del blocker

    def set_queues(self, queues: PrintQueues) -> None:
        """The queues the print system listed: offered, the value typed so far kept."""
        typed = self.value()
        self.queues = queues
        self._fill(queues, typed)
        if queues.problem is not None:
            self.setToolTip(queues.problem.message(i18n.lang()))
        self.listed.emit()

    def value(self) -> str:
        """The setting's value: a queue's name, or "" for the system's default."""
        text = self.currentText().strip()
        index = self.findText(text)
        if index >= 0:
            return str(self.itemData(index))
        return text

    def problem(self, name: str) -> str:
        """Why ``name`` cannot be set as the printer ("" when it can)."""
        queues = self.queues
        if queues is None or queues.knows(name):
            return ""
        if not queues.names:
            return self.tr(
                "Máy này chưa có máy in nào tên “{name}” (chưa có máy in nào được cài). "
                "Để trống để dùng máy in mặc định, hoặc cài máy in trước."
            ).format(name=name)
        return self.tr(
            "Máy này không có máy in tên “{name}”. Chọn một máy in trong danh sách "
            "(Alt+Mũi tên xuống): {names}."
        ).format(name=name, names=", ".join(queues.names))
