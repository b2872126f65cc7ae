"""Supervisor and admin screens: calendar overrides, accounts, settings."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter import settings as settings_schema
from counter import validation
from counter.accounts import ROLES
from counter.clock import now
from counter.errors import InvalidInput, Refused
from counter.views import UserView
from ui import formatting, i18n
from ui.context import UiContext
from ui.models import OBJECT_ROLE, RowsModel
from ui.widgets import CheckedField, error_label

translate = QCoreApplication.translate


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def _table(model: Any, name: str) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


# -- calendar ------------------------------------------------------------------------------

Override = tuple[date, str, bool, str]


class CalendarPage(QWidget):
    """The office's days off and make-up working days, over the built-in holidays."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(self.tr("Lịch làm việc"))
        self.model: RowsModel[Override] = RowsModel(
            [
                (self.tr("Ngày"), lambda o: formatting.day(o[0])),
                (self.tr("Thứ"), lambda o: formatting.weekday(o[0])),
                (
                    self.tr("Điều chỉnh"),
                    lambda o: self.tr("Ngày làm việc (làm bù)") if o[2] else self.tr("Ngày nghỉ"),
                ),
                (
                    self.tr("Nguồn"),
                    lambda o: (
                        self.tr("Cổng dịch vụ công")
                        if o[1] == "portal"
                        else self.tr("Bộ phận một cửa")
                    ),
                ),
                (self.tr("Ghi chú"), lambda o: o[3]),
            ],
            key=lambda o: (o[0], o[1]),
            parent=self,
        )
        self.table = _table(self.model, self.tr("Các ngày điều chỉnh"))
        self.table.selectionModel().currentRowChanged.connect(self._on_row)

        self.day = QDateEdit(_qdate(now().date()))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setAccessibleName(self.tr("Ngày"))
        self.day.dateChanged.connect(self._describe_day)
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Loại điều chỉnh"))
        self.kind.addItem(self.tr("Ngày nghỉ"), False)
        self.kind.addItem(self.tr("Ngày làm việc (làm bù)"), True)
        self.note = QLineEdit()
        self.note.setAccessibleName(self.tr("Ghi chú"))
        self.note.setPlaceholderText(self.tr("Ví dụ: Nghỉ bù Quốc khánh"))
        self.day_info = QLabel()
        self.day_info.setWordWrap(True)
        self.error = error_label()
        self.save_button = QPushButton(self.tr("&Lưu điều chỉnh"))
        self.save_button.clicked.connect(self.save)
        self.clear_button = QPushButton(self.tr("&Bỏ điều chỉnh của ngày này"))
        self.clear_button.clicked.connect(self.clear_day)

        form_box = QGroupBox(self.tr("Thêm hoặc sửa một ngày"))
        form = QFormLayout(form_box)
        form.addRow(self.tr("&Ngày:"), self.day)
        form.addRow(self.tr("&Là:"), self.kind)
        form.addRow(self.tr("&Ghi chú:"), self.note)
        form.addRow(self.day_info)
        form.addRow(self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.clear_button)
        form.addRow(buttons)

        self.holidays = QLabel()
        self.holidays.setWordWrap(True)
        self.holidays.setAccessibleName(self.tr("Ngày lễ sắp tới"))
        holidays_box = QGroupBox(self.tr("Ngày lễ sắp tới (có sẵn trong lịch)"))
        QVBoxLayout(holidays_box).addWidget(self.holidays)

        explanation = QLabel(
            self.tr(
                "Ngày lễ, Tết theo Bộ luật Lao động đã có sẵn. Ở đây ghi các ngày nghỉ riêng và "
                "các ngày làm việc bù (ví dụ thứ Bảy làm bù). Điều chỉnh của bộ phận được ưu "
                "tiên hơn lịch của cổng. Ngày hẹn trả của hồ sơ mới tính theo lịch này."
            )
        )
        explanation.setWordWrap(True)
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(explanation)
        left.addWidget(self.table, 1)
        layout.addLayout(left, 3)
        right = QVBoxLayout()
        right.addWidget(form_box)
        right.addWidget(holidays_box)
        right.addStretch(1)
        layout.addLayout(right, 2)
        ctx.calendar_changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(self.ctx.app.calendar_overrides())
        self._describe_day()
        self._list_holidays()

    def _list_holidays(self, days: int = 200) -> None:
        calendar = self.ctx.app.work_calendar()
        today = now().date()
        lines = []
        for i in range(days):
            day = today + timedelta(days=i)
            name = calendar.holiday_name(day)
            if name:
                lines.append(f"{formatting.weekday(day)} {formatting.day(day)}: {name}")
        self.holidays.setText(
            "\n".join(lines) or self.tr("Không có ngày lễ nào trong thời gian tới")
        )

    def _on_row(self, current: Any, _previous: Any) -> None:
        if current.isValid():
            o = self.model.row_object(current.row())
            self.day.setDate(_qdate(o[0]))
            self.kind.setCurrentIndex(1 if o[2] else 0)
            self.note.setText(o[3])

    def _describe_day(self) -> None:
        day = _pydate(self.day.date())
        calendar = self.ctx.app.work_calendar()
        holiday = calendar.holiday_name(day)
        working = calendar.is_working_day(day)
        text = self.tr("Theo lịch hiện tại, ngày {day} là {kind}.").format(
            day=formatting.day(day),
            kind=self.tr("ngày làm việc") if working else self.tr("ngày nghỉ"),
        )
        if holiday:
            text += " " + self.tr("Ngày lễ: {name}.").format(name=holiday)
        self.day_info.setText(text)

    def save(self) -> None:
        day = _pydate(self.day.date())
        working = bool(self.kind.currentData())
        note = self.note.text()
        actor = self.ctx.signed_in
        app = self.ctx.app
        self.error.setVisible(False)
        self.ctx.tasks.write(
            lambda: app.set_calendar_day(actor, day, working, note),
            lambda _r: self._changed(
                self.tr("Đã lưu điều chỉnh lịch ngày {day}").format(day=formatting.day(day))
            ),
            self._refused,
            self,
        )

    def clear_day(self) -> None:
        day = _pydate(self.day.date())
        actor = self.ctx.signed_in
        app = self.ctx.app
        self.ctx.tasks.write(
            lambda: app.clear_calendar_day(actor, day),
            lambda _r: self._changed(
                self.tr("Đã bỏ điều chỉnh lịch ngày {day}").format(day=formatting.day(day))
            ),
            self._refused,
            self,
        )

    def _changed(self, message: str) -> None:
        self.ctx.calendar_changed.emit()
        self.ctx.notifier.say(message)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, Refused):
            self.error.setText(exc.message(i18n.lang()))
            self.error.setVisible(True)
        self.ctx.notifier.report(exc)


# -- accounts ------------------------------------------------------------------------------


class UserDialog(QDialog):
    """A new account, or a new password for one."""

    def __init__(self, parent: QWidget | None = None, username: str | None = None):
        super().__init__(parent)
        creating = username is None
        title = self.tr("Thêm tài khoản") if creating else self.tr("Đặt lại mật khẩu")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        form = QFormLayout(self)
        self.username = CheckedField(validation.username, self.tr("Tên đăng nhập"))
        self.full_name = CheckedField(
            lambda v: validation.person_name(v, "full_name"), self.tr("Họ tên")
        )
        self.role = QComboBox()
        self.role.setAccessibleName(self.tr("Vai trò"))
        for role in ROLES:
            self.role.addItem(formatting.role(role), role)
        self.password = CheckedField(validation.password, self.tr("Mật khẩu"))
        self.password.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = CheckedField(self._check_confirm, self.tr("Nhập lại mật khẩu"))
        self.confirm.edit.setEchoMode(QLineEdit.EchoMode.Password)
        if creating:
            form.addRow(self.tr("&Tên đăng nhập:"), self.username)
            form.addRow(self.tr("&Họ tên:"), self.full_name)
            form.addRow(self.tr("&Vai trò:"), self.role)
        else:
            form.addRow(QLabel(self.tr("Tài khoản: {name}").format(name=username)))
        form.addRow(self.tr("&Mật khẩu:"), self.password)
        form.addRow(self.tr("Nhập &lại:"), self.confirm)
        self.error = error_label()
        form.addRow(self.error)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("Lưu"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.creating = creating
        self.resize(460, self.sizeHint().height())

    def _check_confirm(self, value: str) -> str:
        if value != self.password.text():
            raise InvalidInput("Mật khẩu nhập lại không khớp", "The passwords differ")
        return value

    def _accept(self) -> None:
        fields = [self.password, self.confirm]
        if self.creating:
            fields = [self.username, self.full_name, *fields]
        if all([f.check() for f in fields]):
            self.accept()


class AccountsPage(QWidget):
    """Accounts: create, disable or enable, reset a password, change a role (admin)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(self.tr("Tài khoản"))
        self.model: RowsModel[UserView] = RowsModel(
            [
                (self.tr("Tên đăng nhập"), lambda u: u.username),
                (self.tr("Họ tên"), lambda u: u.full_name),
                (self.tr("Vai trò"), lambda u: formatting.role(u.role)),
                (
                    self.tr("Tình trạng"),
                    lambda u: self.tr("Đang dùng") if u.active else self.tr("Đã vô hiệu hóa"),
                ),
                (
                    self.tr("Khóa đến"),
                    lambda u: (
                        formatting.moment(u.locked_until)
                        if u.locked_until and u.locked_until > now()
                        else ""
                    ),
                ),
            ],
            key=lambda u: u.username,
            parent=self,
        )
        self.model.highlight = lambda u: not u.active
        self.table = _table(self.model, self.tr("Danh sách tài khoản"))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.add_button = QPushButton(self.tr("&Thêm tài khoản…"))
        self.add_button.clicked.connect(self.ask_add)
        self.toggle_button = QPushButton(self.tr("&Vô hiệu hóa"))
        self.toggle_button.clicked.connect(self.toggle_active)
        self.password_button = QPushButton(self.tr("Đặt lại &mật khẩu…"))
        self.password_button.clicked.connect(self.ask_password)
        self.role_box = QComboBox()
        self.role_box.setAccessibleName(self.tr("Vai trò mới"))
        for role in ROLES:
            self.role_box.addItem(formatting.role(role), role)
        self.role_button = QPushButton(self.tr("Đổi &vai trò"))
        self.role_button.clicked.connect(lambda: self.set_role(str(self.role_box.currentData())))
        buttons = QHBoxLayout()
        for w in (
            self.add_button,
            self.toggle_button,
            self.password_button,
            self.role_box,
            self.role_button,
        ):
            buttons.addWidget(w)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        selected = self.selected()
        self.model.set_rows(self.ctx.app.accounts.list_users())
        row = 0
        if selected is not None:
            for i, u in enumerate(self.model.rows):
                if u.username == selected.username:
                    row = i
        if self.model.rowCount():
            self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> UserView | None:
        index = self.table.currentIndex()
        return index.data(OBJECT_ROLE) if index.isValid() else None

    def _update_buttons(self) -> None:
        user = self.selected()
        for b in (self.toggle_button, self.password_button, self.role_button):
            b.setEnabled(user is not None)
        if user is not None:
            self.toggle_button.setText(
                self.tr("&Vô hiệu hóa") if user.active else self.tr("&Kích hoạt lại")
            )
            self.role_box.setCurrentIndex(max(0, self.role_box.findData(user.role)))

    def _write(self, op: Callable[[], Any], message: str) -> None:
        def done(_r: Any) -> None:
            self.reload()
            self.ctx.notifier.say(message)

        self.ctx.tasks.write(op, done, owner=self)

    def ask_add(self) -> None:
        dialog = UserDialog(self)
        dialog.accepted.connect(
            lambda: self.add(
                dialog.username.text(),
                dialog.full_name.text(),
                str(dialog.role.currentData()),
                dialog.password.text(),
            )
        )
        dialog.open()

    def add(self, username: str, full_name: str, role: str, password: str) -> None:
        actor, accounts = self.ctx.signed_in, self.ctx.app.accounts
        self._write(
            lambda: accounts.add_user(actor, username, full_name, role, password),
            self.tr("Đã tạo tài khoản {name}").format(name=username),
        )

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        actor, accounts = self.ctx.signed_in, self.ctx.app.accounts
        self._write(
            lambda: accounts.set_active(actor, user.username, not user.active),
            self.tr("Đã cập nhật tài khoản {name}").format(name=user.username),
        )

    def ask_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = UserDialog(self, user.username)
        dialog.accepted.connect(lambda: self.reset_password(user.username, dialog.password.text()))
        dialog.open()

    def reset_password(self, username: str, password: str) -> None:
        actor, accounts = self.ctx.signed_in, self.ctx.app.accounts
        self._write(
            lambda: accounts.reset_password(actor, username, password),
            self.tr("Đã đặt lại mật khẩu cho {name}").format(name=username),
        )

    def set_role(self, role: str) -> None:
        user = self.selected()
        if user is None:
            return
        actor, accounts = self.ctx.signed_in, self.ctx.app.accounts
        self._write(
            lambda: accounts.set_role(actor, user.username, role),
            self.tr("Đã đổi vai trò của {name}").format(name=user.username),
        )


# -- settings ------------------------------------------------------------------------------


def setting_labels() -> dict[str, str]:
    """Each setting's label on screen (the schema's help text is Vietnamese only)."""
    return {
        "office.agency_code": translate("Settings", "Mã định danh cơ quan"),
        "office.agency_name": translate("Settings", "Tên cơ quan, đơn vị"),
        "office.counter_no": translate("Settings", "Số quầy (1-9)"),
        "office.parent_name": translate("Settings", "Cơ quan cấp trên"),
        "office.level": translate("Settings", "Cấp"),
        "office.lookup_base_url": translate("Settings", "Địa chỉ trang tra cứu"),
        "office.place": translate("Settings", "Địa danh trên biểu mẫu"),
        "office.address": translate("Settings", "Địa chỉ trụ sở"),
        "office.phone": translate("Settings", "Điện thoại liên hệ"),
        "portal.url": translate("Settings", "Địa chỉ cổng dịch vụ công"),
        "portal.token": translate("Settings", "Mã truy cập của quầy"),
        "portal.connect_timeout": translate("Settings", "Chờ kết nối (giây)"),
        "portal.read_timeout": translate("Settings", "Chờ phản hồi (giây)"),
        "portal.verify_tls": translate("Settings", "Kiểm tra chứng chỉ TLS"),
        "sync.batch_size": translate("Settings", "Số mục gửi mỗi lần"),
        "sync.interval_seconds": translate("Settings", "Chu kỳ đồng bộ (giây)"),
        "calendar.hours": translate("Settings", "Giờ làm việc"),
        "calendar.weekdays": translate("Settings", "Ngày làm việc trong tuần (1 = thứ Hai)"),
        "codes.block_size": translate("Settings", "Số mã mỗi quầy mỗi ngày"),
        "printing.printer": translate("Settings", "Máy in (để trống: máy in mặc định)"),
        "printing.paper": translate("Settings", "Khổ giấy biên nhận"),
        "book.volume": translate("Settings", "Quyển sổ theo dõi (để trống: theo năm)"),
        "ui.language": translate("Settings", "Ngôn ngữ giao diện"),
        "ui.idle_lock_minutes": translate("Settings", "Tự khóa sau (phút, 0 = không khóa)"),
        "ui.lookup_clear_seconds": translate("Settings", "Màn hình tra cứu tự xóa sau (giây)"),
    }


def setting_groups() -> list[tuple[str, str]]:
    return [
        ("office.", translate("Settings", "Cơ quan và quầy")),
        ("portal.", translate("Settings", "Cổng dịch vụ công")),
        ("sync.", translate("Settings", "Đồng bộ")),
        ("printing.", translate("Settings", "Máy in")),
        ("calendar.", translate("Settings", "Giờ làm việc")),
        ("ui.", translate("Settings", "Giao diện")),
        ("book.", translate("Settings", "Sổ theo dõi")),
        ("codes.", translate("Settings", "Mã hồ sơ")),
    ]


def choice_labels() -> dict[str, str]:
    return {
        "province": formatting.level("province"),
        "district": formatting.level("district"),
        "commune": formatting.level("commune"),
        "a5": translate("Settings", "A5 (hai liên, hai trang)"),
        "a4": translate("Settings", "A4 (hai liên trên một trang)"),
        "thermal80": translate("Settings", "Giấy in nhiệt 80 mm"),
        "vi": "Tiếng Việt",
        "en": "English",
    }


def _closure(spec: settings_schema.Spec) -> dict[str, Any]:
    """The parameters a schema parser was built with (options of a choice, int bounds)."""
    try:
        return dict(inspect.getclosurevars(spec.parse).nonlocals)
    except TypeError:
        return {}


class SettingRow(QWidget):
    """One setting: the right editor for its type, and its validation message."""

    def __init__(self, spec: settings_schema.Spec, value: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self.initial = value
        bounds = _closure(spec)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.editor: QWidget
        if isinstance(spec.default, bool):
            box = QCheckBox()
            box.setChecked(bool(value))
            self.editor = box
        elif "options" in bounds:
            combo = QComboBox()
            labels = choice_labels()
            for option in bounds["options"]:
                combo.addItem(labels.get(option, option), option)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            self.editor = combo
        elif isinstance(spec.default, int) and "lo" in bounds and "hi" in bounds:
            spin = QSpinBox()
            spin.setRange(int(bounds["lo"]), int(bounds["hi"]))
            spin.setValue(int(value))
            self.editor = spin
        else:
            edit = QLineEdit()
            if spec.secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
                edit.setPlaceholderText(
                    self.tr("(đã đặt – để trống nếu không đổi)") if value else ""
                )
            else:
                edit.setText("" if value is None else str(value))
            edit.textChanged.connect(self.check)
            self.editor = edit
        self.error = error_label()
        layout.addWidget(self.editor)
        layout.addWidget(self.error)
        self.setFocusProxy(self.editor)

    def raw(self) -> str | None:
        """The value as the schema parses it, or None when unchanged."""
        e = self.editor
        if isinstance(e, QCheckBox):
            raw = "true" if e.isChecked() else "false"
            return None if e.isChecked() == bool(self.initial) else raw
        if isinstance(e, QComboBox):
            data = str(e.currentData())
            return None if data == self.initial else data
        if isinstance(e, QSpinBox):
            return None if e.value() == self.initial else str(e.value())
        assert isinstance(e, QLineEdit)
        text = e.text()
        if self.spec.secret:
            return text or None
        return None if text == ("" if self.initial is None else str(self.initial)) else text

    def check(self) -> bool:
        raw = self.raw()
        if raw is None:
            self.error.setVisible(False)
            return True
        try:
            settings_schema.parse_value(self.spec.key, raw)
        except Refused as exc:
            self.error.setText(exc.message(i18n.lang()))
            self.error.setVisible(True)
            return False
        self.error.setVisible(False)
        return True


class SettingsPage(QWidget):
    """Every setting of ``counter.settings.SPECS``, grouped; admin-only ones locked for others."""

    saved = Signal(list)  # the keys changed

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(self.tr("Thiết lập"))
        self.rows: dict[str, SettingRow] = {}
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        self.save_button = QPushButton(self.tr("&Lưu thiết lập"))
        self.save_button.clicked.connect(self.save)
        self.reset_button = QPushButton(self.tr("&Hoàn tác"))
        self.reset_button.clicked.connect(self.reload)
        self.note = QLabel()
        self.note.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            if item and item.widget():
                item.widget().deleteLater()
        self.rows = {}
        labels = setting_labels()
        app = self.ctx.app
        admin = self.ctx.signed_in.at_least("admin")
        for prefix, title in setting_groups():
            keys = [k for k in settings_schema.SPECS if k.startswith(prefix)]
            if not keys:
                continue
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            for key in keys:
                spec = settings_schema.SPECS[key]
                value = app.settings.get(key)
                row = SettingRow(spec, value)
                name = labels.get(key, spec.help_vi)
                row.editor.setAccessibleName(name)
                row.editor.setToolTip(key)
                row.setEnabled(admin or not spec.admin_only)
                if key in ("office.agency_code", "office.counter_no"):
                    row.setEnabled(False)  # they make the dossier codes: never changed here
                label = QLabel(name + ":")
                label.setBuddy(row.editor)
                label.setWordWrap(True)
                form.addRow(label, row)
                self.rows[key] = row
            self.body_layout.addWidget(box)
        self.body_layout.addStretch(1)
        if admin:
            self.note.setText("")
        else:
            self.note.setText(self.tr("Chỉ người quản trị sửa được các mục bị làm mờ."))
        printer = self.rows.get("printing.printer")
        if printer is not None and isinstance(printer.editor, QLineEdit):
            self._offer_printers(printer.editor)

    def _offer_printers(self, edit: QLineEdit) -> None:
        from PySide6.QtWidgets import QCompleter

        def show(names: list[str]) -> None:
            edit.setCompleter(QCompleter(names, edit))
            edit.setPlaceholderText(", ".join(names[:4]))

        self.ctx.tasks.network(self.ctx.printing.printers, show, lambda _e: None, edit)

    def changes(self) -> dict[str, str]:
        return {k: raw for k, row in self.rows.items() if (raw := row.raw()) is not None}

    def save(self) -> None:
        if not all([row.check() for row in self.rows.values()]):
            self.ctx.notifier.say(self.tr("Có thiết lập chưa hợp lệ: xem các dòng đánh dấu đỏ"))
            return
        changes = self.changes()
        if not changes:
            self.ctx.notifier.say(self.tr("Không có thay đổi"))
            return
        actor, store = self.ctx.signed_in, self.ctx.app.settings

        def write() -> list[str]:
            for key, raw in changes.items():
                store.set(actor, key, raw)
            return list(changes)

        def done(keys: list[str]) -> None:
            self.ctx.settings_changed.emit()
            if any(k.startswith("calendar.") for k in keys):
                self.ctx.calendar_changed.emit()
            self.reload()
            self.saved.emit(keys)
            self.ctx.notifier.say(self.tr("Đã lưu {n} thiết lập").format(n=len(keys)))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Refused) and exc.field in self.rows:
                row = self.rows[exc.field]
                row.error.setText(exc.message(i18n.lang()))
                row.error.setVisible(True)
            self.ctx.notifier.report(exc)

        self.ctx.tasks.write(write, done, failed, self)
