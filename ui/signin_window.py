"""The sign-in form and window, on Qt and the standard library alone.

The window is the first the clerk sees at a usual start, so it is shown before the database
layer is imported (``ui.startup``): built from the sign-in card, it takes the clerk's name
and password at once, and a sign-in sent before the data folder is open waits for it
(:meth:`SignInForm.attach`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import i18n
from ui.startup import SignInCard, card_of
from ui.style import ERROR_STYLE, heading

if TYPE_CHECKING:
    from counter.accounts import Actor
    from counter.app import CounterApp
    from ui.tasks import TaskManager


class SignInForm(QWidget):
    """Username and password; the domain's message on failure: one message for a wrong
    password, an unknown name or a disabled account, and the lockout's with when it ends.

    Without an application yet (``app`` None) a sign-in is kept until :meth:`attach`."""

    signed_in = Signal(object)  # Actor
    failed = Signal(str)

    def __init__(
        self,
        app: CounterApp | None,
        tasks: TaskManager | None,
        username: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.app = app
        self.tasks = tasks
        self.username = QLineEdit(username or "")
        self.username.setAccessibleName(self.tr("Tên đăng nhập"))
        self.username.setReadOnly(username is not None)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Mật khẩu"))
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Thông báo đăng nhập"))
        self.button = QPushButton(self.tr("Đăng &nhập"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        self.password.returnPressed.connect(self.submit)
        self.username.returnPressed.connect(self.password.setFocus)
        form = QFormLayout(self)
        form.addRow(self.tr("&Tên đăng nhập:"), self.username)
        form.addRow(self.tr("&Mật khẩu:"), self.password)
        form.addRow(self.message)
        form.addRow(self.button)
        self._busy = False
        self._waiting: tuple[str, str] | None = None

    def focus(self) -> None:
        if self.username.isReadOnly() or self.username.text():
            self.password.setFocus()
        else:
            self.username.setFocus()

    def attach(self, app: CounterApp, tasks: TaskManager) -> None:
        """The data folder is open: a sign-in sent before is checked now."""
        self.app, self.tasks = app, tasks
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._check(*waiting)

    def submit(self) -> None:
        if self._busy:
            return
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.message.setText(self.tr("Hãy nhập tên đăng nhập và mật khẩu"))
            return
        self._busy = True
        self.button.setEnabled(False)
        self.message.setText(self.tr("Đang kiểm tra…"))
        if self.app is None:
            self._waiting = (username, password)  # checked once the folder is open
            return
        self._check(username, password)

    def _check(self, username: str, password: str) -> None:
        from ui.operations import Op

        assert self.app is not None and self.tasks is not None
        accounts = self.app.accounts
        op = Op.write(lambda: accounts.authenticate(username, password))
        self.tasks.run(op, self._ok, self._refused, self)

    def _ok(self, actor: Actor) -> None:
        self._busy = False
        self.button.setEnabled(True)
        self.password.clear()
        self.message.clear()
        self.signed_in.emit(actor)

    def _refused(self, exc: BaseException) -> None:
        from protocol.errors import KnownError

        self._busy = False
        self.button.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        if not isinstance(exc, KnownError):
            self.message.setText("")
            raise exc
        text = exc.message(i18n.lang())
        self.message.setText(text)
        self.failed.emit(text)


class SignInDialog(QDialog):
    """The office, its counter, and the sign-in form.

    Given a ``card`` and no ``app``, the window is built before the data folder is open;
    :meth:`attach` hands it the application when it is."""

    def __init__(
        self,
        app: CounterApp | None,
        tasks: TaskManager | None,
        parent: QWidget | None = None,
        *,
        card: SignInCard | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Đăng nhập"))
        self.setAccessibleName(self.tr("Đăng nhập"))
        self.actor: Actor | None = None
        if card is None:
            assert app is not None, "the sign-in needs the application or its card"
            card = card_of(app)
        self.card = card
        self.title = heading(card.unit_name, 3)
        self.subtitle = QLabel()
        self._show_card(card)
        self.form = SignInForm(app, tasks, parent=self)
        self.form.signed_in.connect(self._done)
        quit_button = QPushButton(self.tr("Thoát"))
        quit_button.setAutoDefault(False)
        quit_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.form)
        layout.addLayout(row)
        self.resize(440, self.sizeHint().height())
        self.form.focus()

    def _show_card(self, card: SignInCard) -> None:
        self.title.setText(card.unit_name)
        self.subtitle.setText(
            self.tr("{authority} – quầy số {n}").format(authority=card.authority, n=card.counter_no)
        )

    def attach(self, app: CounterApp, tasks: TaskManager, card: SignInCard) -> None:
        """The data folder is open: the office as it now stands, and the form can check."""
        if card != self.card:
            self.card = card
            self._show_card(card)
        self.form.attach(app, tasks)

    def _done(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()
