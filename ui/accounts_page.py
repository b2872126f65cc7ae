"""Accounts: create, disable or enable, reset a password, change a role (admin)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter import validation
from counter.accounts import ROLES, check_password
from counter.clock import now
from counter.errors import InvalidInput
from counter.views import UserView
from ui import formatting
from ui.context import UiContext
from ui.models import OBJECT_ROLE, RowsModel
from ui.operations import Changes, Op
from ui.widgets import CheckedField, error_label, rows_table


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
        self.password = CheckedField(
            lambda v: check_password(v, username or self.username.edit.text()),
            self.tr("Mật khẩu"),
        )
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

    #: the accounts were read (again) and are on screen
    loaded = Signal()

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
        self.table = rows_table(self.model, self.tr("Danh sách tài khoản"))
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
        self.role_button = QPushButton(self.tr("Đổi vai t&rò"))
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
        self._update_buttons()
        ctx.changed.connect(self._on_changes)
        self.reload()

    def _on_changes(self, changes: Changes) -> None:
        if changes.accounts:
            self.reload()

    def reload(self) -> None:
        accounts = self.ctx.app.accounts
        self.ctx.tasks.run(Op.read(accounts.list_users), self._loaded, owner=self)

    def _loaded(self, users: list[UserView]) -> None:
        selected = self.selected()
        self.model.set_rows(users)
        row = 0
        if selected is not None:
            for i, u in enumerate(self.model.rows):
                if u.username == selected.username:
                    row = i
        if self.model.rowCount():
            self.table.selectRow(row)
        self._update_buttons()
        self.loaded.emit()

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

    def _write(self, work: Callable[[], Any], message: str) -> None:
        op = Op.write(work, Changes(accounts=True))
        self.ctx.tasks.run(op, lambda _r: self.ctx.notifier.say(message), owner=self)

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
