"""Starting a session: first-run setup, signing in, and locking when the counter is left idle."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter import naming, validation
from counter import settings as settings_schema
from counter.accounts import Actor, check_password
from counter.app import CounterApp
from counter.codes import normalise_agency_code
from counter.errors import InvalidInput
from counter.views import Office
from protocol.errors import KnownError
from ui import formatting, i18n
from ui.operations import Changes, Op
from ui.signin_window import SignInDialog as SignInDialog
from ui.signin_window import SignInForm
from ui.tasks import TaskManager
from ui.widgets import CheckedField, error_label, heading


class FirstRunDialog(QDialog):
    """Sets up this counter (once) and its first administrator account."""

    done = Signal(object)  # the admin Actor

    def __init__(self, app: CounterApp, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.app = app
        self.tasks = tasks
        self.office_done = app.office.is_initialised()
        self.setWindowTitle(self.tr("Thiết lập quầy tiếp nhận lần đầu"))
        self.setAccessibleName(self.tr("Thiết lập quầy tiếp nhận lần đầu"))

        intro = QLabel(
            self.tr(
                "Chào mừng! Trước khi tiếp nhận hồ sơ, hãy khai báo cơ quan của quầy này và tạo "
                "tài khoản quản trị đầu tiên. Mã định danh và số quầy dùng để tạo mã hồ sơ, "
                "không đổi được về sau."
            )
        )
        intro.setWordWrap(True)

        self.agency_code = CheckedField(
            normalise_agency_code, self.tr("Mã định danh cơ quan"), "000.00.36.H62"
        )
        self.agency_name = CheckedField(self._check_agency_name, self.tr("Tên đơn vị"))
        self.agency_name.edit.setPlaceholderText(
            self.tr("Ví dụ: Xã Hòa Bình, Phường Ba Đình, Tỉnh Lào Cai, Bộ Tư pháp")
        )
        self.counter_no = QSpinBox()
        self.counter_no.setRange(1, 9)
        self.counter_no.setAccessibleName(self.tr("Số quầy"))
        self.parent_name = CheckedField(
            lambda v: settings_schema.parse_value("office.parent_name", v),
            self.tr("Cơ quan cấp trên"),
            self.tr("Ví dụ: UBND tỉnh Lào Cai"),
        )
        self.level = QComboBox()
        self.level.setAccessibleName(self.tr("Loại đơn vị"))
        for value in naming.LEVELS:  # no district level since 1 July 2025
            self.level.addItem(formatting.level(value), value)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setAccessibleName(self.tr("Tên in trên biểu mẫu"))
        self.agency_name.edit.textChanged.connect(self._show_preview)
        self.parent_name.edit.textChanged.connect(self._show_preview)
        self.level.currentIndexChanged.connect(self._show_preview)
        self.lookup_url = CheckedField(
            lambda v: settings_schema.parse_value("office.lookup_base_url", v),
            self.tr("Địa chỉ trang tra cứu"),
            "https://dichvucong.example.gov.vn/tra-cuu",
        )

        office_box = QGroupBox(self.tr("Cơ quan"))
        office = QFormLayout(office_box)
        office.addRow(self.tr("&Mã định danh:"), self.agency_code)
        office.addRow(self.tr("&Loại đơn vị:"), self.level)
        office.addRow(self.tr("&Tên đơn vị:"), self.agency_name)
        office.addRow(self.tr("&Số quầy:"), self.counter_no)
        office.addRow(self.tr("Cơ quan &cấp trên:"), self.parent_name)
        office.addRow(self.tr("Trang &tra cứu:"), self.lookup_url)
        office.addRow(self.preview)
        office_box.setVisible(not self.office_done)

        self.username = CheckedField(validation.username, self.tr("Tên đăng nhập"), "quantri")
        self.full_name = CheckedField(
            lambda v: validation.person_name(v, "full_name"), self.tr("Họ tên")
        )
        self.password = CheckedField(
            lambda v: check_password(v, self.username.edit.text()), self.tr("Mật khẩu")
        )
        self.password.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = CheckedField(self._check_confirm, self.tr("Nhập lại mật khẩu"))
        self.confirm.edit.setEchoMode(QLineEdit.EchoMode.Password)
        admin_box = QGroupBox(self.tr("Tài khoản quản trị"))
        admin = QFormLayout(admin_box)
        admin.addRow(self.tr("Tên đăng &nhập:"), self.username)
        admin.addRow(self.tr("&Họ tên:"), self.full_name)
        admin.addRow(self.tr("Mật &khẩu:"), self.password)
        admin.addRow(self.tr("Nhập &lại mật khẩu:"), self.confirm)

        self.error = error_label()
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(
            self.tr("Bắt đầu sử dụng"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(self.tr("Thoát"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Quầy tiếp nhận và trả kết quả"), 4))
        layout.addWidget(intro)
        layout.addWidget(office_box)
        layout.addWidget(admin_box)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._show_preview()
        self.resize(620, self.sizeHint().height())

    def office_preview(self) -> Office:
        """The office as typed so far (nothing is stored until the form is sent)."""
        return Office(
            agency_code="",
            agency_name=" ".join(self.agency_name.edit.text().split()),
            counter_no=self.counter_no.value(),
            parent_name=" ".join(self.parent_name.edit.text().split()),
            level=str(self.level.currentData()),
        )

    def _show_preview(self) -> None:
        office = self.office_preview()
        if not office.agency_name:
            self.preview.setText("")
            return
        self.preview.setText(
            self.tr("Biểu mẫu sẽ ghi: {letterhead}. Trong câu: {name}.").format(
                letterhead=" / ".join(office.letterhead), name=office.unit_name
            )
        )

    def _check_agency_name(self, value: str) -> str:
        name = settings_schema.parse_value("office.agency_name", value)
        if not name:
            raise InvalidInput("Tên cơ quan không được để trống", "The agency name is required")
        return str(name)

    def _check_confirm(self, value: str) -> str:
        if value != self.password.text():
            raise InvalidInput("Mật khẩu nhập lại không khớp", "The passwords differ")
        return value

    def _fields(self) -> list[CheckedField]:
        admin = [self.username, self.full_name, self.password, self.confirm]
        if self.office_done:
            return admin
        return [self.agency_code, self.agency_name, self.parent_name, self.lookup_url, *admin]

    def submit(self) -> None:
        bad = [f for f in self._fields() if not f.check()]
        if bad:
            bad[0].edit.setFocus()
            return
        app = self.app
        office_done = self.office_done
        values = {
            "agency_code": self.agency_code.text(),
            "agency_name": self.agency_name.text(),
            "counter_no": self.counter_no.value(),
            "parent_name": self.parent_name.text(),
            "level": str(self.level.currentData()),
            "lookup_base_url": self.lookup_url.text(),
        }
        username, full_name, password = (
            self.username.text(),
            self.full_name.text(),
            self.password.text(),
        )

        def work() -> Actor:
            if not office_done:
                app.office.init(**values)  # type: ignore[arg-type]
            user = app.accounts.add_user(None, username, full_name, "admin", password)
            return Actor(user.username, user.full_name, user.role)

        def failed(exc: BaseException) -> None:
            self.ok.setEnabled(True)
            self.office_done = app.office.is_initialised()
            if isinstance(exc, KnownError):
                self.error.setText(exc.message(i18n.lang()))
                self.error.setVisible(True)
            else:
                raise exc

        self.ok.setEnabled(False)
        op = Op.write(work, Changes(settings=not office_done, accounts=True))
        self.tasks.run(op, self._finished, failed, self)

    def _finished(self, actor: Actor) -> None:
        self.done.emit(actor)
        self.accept()


class LockPage(QWidget):
    """Shown over the main window when the counter was left idle: the same user signs back in."""

    unlocked = Signal(object)
    switch_user = Signal()

    def __init__(
        self, app: CounterApp, tasks: TaskManager, actor: Actor, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setAccessibleName(self.tr("Màn hình đã khóa"))
        self.form = SignInForm(app, tasks, actor.username, self)
        self.form.signed_in.connect(self.unlocked)
        other = QPushButton(self.tr("Đăng nhập tài khoản &khác"))
        other.setAccessibleName(self.tr("Đăng nhập tài khoản khác"))
        other.setAutoDefault(False)
        other.clicked.connect(self.switch_user)
        self.actor = actor
        box = QGroupBox()
        box.setMaximumWidth(480)
        inner = QVBoxLayout(box)
        inner.addWidget(heading(self.tr("Màn hình đã khóa"), 5))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName(self.tr("Lý do khóa"))
        self.set_reason(idle=True)
        inner.addWidget(self.note)
        inner.addWidget(self.form)
        inner.addWidget(other)
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(box)
        column.addStretch(2)
        layout.addLayout(column)
        layout.addStretch(1)
        self.setFocusProxy(self.form.password)

    def set_reason(self, idle: bool) -> None:
        """Say why the screen is locked: left idle, or locked by the clerk (Ctrl+L)."""
        why = (
            self.tr("Quầy đã tự khóa vì không có thao tác.")
            if idle
            else self.tr("Quầy đã được khóa.")
        )
        self.note.setText(
            why
            + " "
            + self.tr(
                "{name}, hãy nhập mật khẩu để tiếp tục; hồ sơ đang nhập dở vẫn được giữ. "
                "Đăng nhập tài khoản khác sẽ hỏi trước khi bỏ hồ sơ đang nhập dở."
            ).format(name=self.actor.full_name)
        )


class IdleWatcher(QObject):
    """Watches the keyboard and mouse of the whole application; says when it has been idle.

    Installed as an event filter on the QApplication: every input event restarts the timer.
    ``timeout_ms`` 0 turns locking off.
    """

    idle = Signal()

    INPUT_EVENTS = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
            QEvent.Type.TouchBegin,
        }
    )

    def __init__(self, timeout_ms: int, parent: QObject | None = None):
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self.set_timeout(timeout_ms)

    def set_timeout(self, timeout_ms: int) -> None:
        self.timer.stop()
        self.timer.setInterval(max(0, timeout_ms))
        if timeout_ms > 0:
            self.timer.start()

    @property
    def enabled(self) -> bool:
        return self.timer.interval() > 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.enabled and event.type() in self.INPUT_EVENTS:
            self.timer.start()
        return False

    def pause(self) -> None:
        self.timer.stop()

    def resume(self) -> None:
        if self.enabled:
            self.timer.start()


def minutes_to_ms(minutes: int) -> int:
    return int(minutes) * 60_000
