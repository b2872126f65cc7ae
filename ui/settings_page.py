"""Every setting of ``counter.settings.SPECS``, grouped, each with the editor its type asks
for; the ones only an admin may change are locked for the others."""

from __future__ import annotations

import inspect
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter import naming
from counter import settings as settings_schema
from counter.accounts import SUPERVISOR
from counter.app import CounterApp
from protocol.errors import KnownError
from ui import formatting, i18n
from ui.catalog_import import CatalogImportBox
from ui.context import UiContext
from ui.keyboard_aids import FocusRing, with_mnemonics
from ui.operations import Changes, Op
from ui.printer_choice import PrinterChoice
from ui.widgets import error_label

translate = QCoreApplication.translate

Values = dict[str, Any]

PRINTER_KEY = "printing.printer"
#: the watched scan folder: a line to type in, and a button for the folder dialog
FOLDER_KEY = "scan.folder"


def setting_labels() -> dict[str, str]:
    """Each setting's label on screen (the schema's help text is Vietnamese only)."""
    return {
        "office.agency_code": translate("Settings", "Mã định danh cơ quan"),
        "office.agency_name": translate("Settings", "Tên đơn vị"),
        "office.counter_no": translate("Settings", "Số quầy (1-9)"),
        "office.parent_name": translate("Settings", "Cơ quan cấp trên"),
        "office.level": translate("Settings", "Loại đơn vị"),
        "office.authority_name": translate(
            "Settings", "Cơ quan chủ quản (để trống: Ủy ban nhân dân của địa phương)"
        ),
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
        "calendar.hours": translate("Settings", "Giờ làm việc (tính thời hạn)"),
        "calendar.weekdays": translate(
            "Settings", "Ngày làm việc trong tuần, tính thời hạn (1 = thứ Hai)"
        ),
        "calendar.extra_open_days": translate(
            "Settings", "Ngày mở cửa thêm, không tính thời hạn (6 = thứ Bảy)"
        ),
        "calendar.extra_open_hours": translate("Settings", "Giờ mở cửa những ngày đó"),
        "codes.block_size": translate("Settings", "Số mã mỗi quầy mỗi ngày"),
        "printing.printer": translate("Settings", "Máy in"),
        "printing.paper": translate("Settings", "Khổ giấy biên nhận"),
        "scan.device": translate("Settings", "Máy quét (tên SANE; để trống: máy đầu tiên)"),
        "scan.source": translate("Settings", "Khay giấy (để trống: mặc định)"),
        "scan.folder": translate("Settings", "Thư mục quét (máy photocopy lưu tệp vào đây)"),
        "scan.max_file_mb": translate("Settings", "Dung lượng tối đa một tệp (MB)"),
        "book.volume": translate("Settings", "Quyển sổ theo dõi (để trống: theo năm)"),
        "ui.language": translate("Settings", "Ngôn ngữ giao diện"),
        "ui.idle_lock_minutes": translate("Settings", "Tự khóa sau (phút, 0 = không khóa)"),
        "ui.lookup_clear_seconds": translate("Settings", "Màn hình tra cứu tự xóa sau (giây)"),
        "ui.rating_screen": translate("Settings", "Màn hình đánh giá (khi trả kết quả)"),
        "ui.rating_idle_seconds": translate("Settings", "Màn hình đánh giá tự đóng sau (giây)"),
    }


def setting_groups() -> list[tuple[str, str]]:
    return [
        ("office.", translate("Settings", "Cơ quan và quầy")),
        ("portal.", translate("Settings", "Cổng dịch vụ công")),
        ("sync.", translate("Settings", "Đồng bộ")),
        ("printing.", translate("Settings", "Máy in")),
        ("scan.", translate("Settings", "Số hóa, máy quét")),
        ("calendar.", translate("Settings", "Giờ làm việc và giờ mở cửa")),
        ("ui.", translate("Settings", "Giao diện")),
        ("book.", translate("Settings", "Sổ theo dõi")),
        ("codes.", translate("Settings", "Mã hồ sơ")),
    ]


def choice_labels() -> dict[str, str]:
    return {
        **{value: formatting.level(value) for value in (*naming.LEVELS, *naming.LEGACY_LEVELS)},
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
        if spec.key == PRINTER_KEY:
            choice = PrinterChoice("" if value is None else str(value))
            choice.editTextChanged.connect(self.check)
            choice.listed.connect(self.check)
            self.editor = choice
        elif isinstance(spec.default, bool):
            box = QCheckBox()
            box.setChecked(bool(value))
            self.editor = box
        elif "options" in bounds:
            combo = QComboBox()
            labels = choice_labels()
            for option in bounds["options"]:
                combo.addItem(labels.get(option, option), option)
            if value and combo.findData(value) < 0:
                # a value no longer offered (an office's "district" level, from before
                # 1 July 2025) is shown as it is stored, and kept unless changed
                combo.addItem(labels.get(value, value), value)
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
        self.folder_button: QPushButton | None = None
        if spec.key == FOLDER_KEY:  # typed, or picked in the system's folder dialog
            self.folder_button = QPushButton(self.tr("Chọn thư mục…"))
            self.folder_button.setAccessibleName(self.tr("Chọn thư mục quét"))
            self.folder_button.clicked.connect(self.choose_folder)
            line = QHBoxLayout()
            line.addWidget(self.editor, 1)
            line.addWidget(self.folder_button)
            layout.addLayout(line)
        else:
            layout.addWidget(self.editor)
        layout.addWidget(self.error)
        self.setFocusProxy(self.editor)

    def choose_folder(self) -> None:
        edit = self.editor
        assert isinstance(edit, QLineEdit)
        dialog = QFileDialog(self, self.tr("Chọn thư mục quét"), edit.text())
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(edit.setText)
        dialog.open()

    def raw(self) -> str | None:
        """The value as the schema parses it, or None when unchanged."""
        e = self.editor
        if isinstance(e, PrinterChoice):
            chosen = e.value()
            return None if chosen == ("" if self.initial is None else str(self.initial)) else chosen
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
        except KnownError as exc:
            self.error.setText(exc.message(i18n.lang()))
            self.error.setVisible(True)
            return False
        problem = self.editor.problem(raw) if isinstance(self.editor, PrinterChoice) else ""
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        return not problem


#: the letters of the main window's menu bar, when the page is shown without one
MENU_LETTERS = "txng"


def setting_tabs() -> list[tuple[str, str]]:
    """The page's tabs: (key, title)."""
    return [
        ("office", translate("Settings", "Cơ quan và quầy")),
        ("portal", translate("Settings", "Cổng và đồng bộ")),
        ("calendar", translate("Settings", "Giờ làm việc")),
        ("printing", translate("Settings", "In, số hóa, sổ, danh mục")),
        ("ui", translate("Settings", "Giao diện")),
    ]


def tab_of(key: str) -> str:
    """The tab a setting (or a group's prefix) is on."""
    group = key.split(".", 1)[0]
    tabs = {"sync": "portal", "book": "printing", "codes": "printing", "scan": "printing"}
    return tabs.get(group, group)


def mnemonic_of(text: str) -> str | None:
    """The letter after the ``&`` of a label or a button, lower case."""
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].lower() if 0 <= at < len(plain) - 1 else None


def menu_letters(widget: QWidget) -> set[str]:
    """The mnemonics of the menu bar of ``widget``'s window (none outside a main window)."""
    window = widget.window()
    bar = window.menuBar() if isinstance(window, QMainWindow) else None
    actions = bar.actions() if bar is not None else []
    return {m for action in actions if (m := mnemonic_of(action.text()))}


def read_all(app: CounterApp) -> Values:
    """Every setting's value (on the read worker: secrets come from a file)."""
    return {key: app.settings.get(key) for key in settings_schema.SPECS}


class SettingsPage(QWidget):
    """Every setting of ``counter.settings.SPECS``, grouped; admin-only ones locked for others."""

    #: the settings changed by a save, with their values as stored
    saved = Signal(dict)
    #: the settings were read (again) and their rows built
    loaded = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.admin = ctx.signed_in.at_least("admin")  # the window is built for one user
        self.setAccessibleName(self.tr("Thiết lập"))
        self.rows: dict[str, SettingRow] = {}
        self.labels: dict[str, QLabel] = {}
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Nhóm thiết lập"))
        self.tab_keys: list[str] = []
        self._bodies: dict[str, QVBoxLayout] = {}
        self._groups: list[QWidget] = []
        for n, (key, title) in enumerate(setting_tabs(), start=1):
            body = QWidget()
            body_layout = QVBoxLayout(body)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(body)
            # Alt+1 ... Alt+5: the tabs (letters are left to the fields)
            self.tabs.addTab(scroll, f"&{n} {title}")
            self.tab_keys.append(key)
            self._bodies[key] = body_layout
        self.catalog_box: CatalogImportBox | None = None
        if ctx.signed_in.at_least(SUPERVISOR):  # as the catalogue service allows
            self.catalog_box = CatalogImportBox(ctx)
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
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.focus_ring = FocusRing(self)
        self.setFocusProxy(self.tabs)
        self.reload()

    def reload(self) -> None:
        """Read the settings again and show them (what was typed and not saved goes)."""
        app = self.ctx.app
        self.ctx.tasks.run(Op.read(lambda: read_all(app)), self._show, owner=self)

    def show_tab(self, key: str) -> None:
        self.tabs.setCurrentIndex(self.tab_keys.index(key))

    def _show(self, values: Values) -> None:
        for group in self._groups:
            group.hide()  # gone at once: its mnemonics too
            group.deleteLater()
        self._groups = []
        for body in self._bodies.values():
            while body.count():
                body.takeAt(0)
        self.rows = {}
        self.labels = {}
        labels = setting_labels()
        admin = self.admin
        for prefix, title in setting_groups():
            keys = [k for k in settings_schema.SPECS if k.startswith(prefix)]
            if not keys:
                continue
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            for key in keys:
                spec = settings_schema.SPECS[key]
                row = SettingRow(spec, values[key])
                name = labels.get(key, spec.help_vi)
                row.editor.setAccessibleName(name)
                row.editor.setToolTip(key)
                row.setEnabled(admin or not spec.admin_only)
                if key in ("office.agency_code", "office.counter_no") or spec.from_agency:
                    row.setEnabled(False)  # they make the dossier codes: never changed here
                label = QLabel(name + ":")
                label.setBuddy(row.editor)
                # One line each: a form does not give a wrapped label the height its lines
                # need at the width it gets, so a wrapped one was cut to half its lines.
                form.addRow(label, row)
                self.rows[key] = row
                self.labels[key] = label
            self._bodies[tab_of(prefix)].addWidget(box)
            self._groups.append(box)
        if self.catalog_box is not None:
            self._bodies["printing"].addWidget(self.catalog_box)
        for body in self._bodies.values():
            body.addStretch(1)
        self._give_mnemonics()
        if admin:
            self.note.setText("")
        else:
            self.note.setText(self.tr("Chỉ người quản trị sửa được các mục bị làm mờ."))
        printer = self.rows.get(PRINTER_KEY)
        if printer is not None and isinstance(printer.editor, PrinterChoice):
            choice = printer.editor
            self.ctx.tasks.run(
                Op.print_job(self.ctx.printing.queues), choice.set_queues, owner=choice
            )
        self.loaded.emit()

    def _give_mnemonics(self) -> None:
        """Alt+letter for each field of a tab, unique with the tabs, the buttons below and the
        window's menu bar. Fields no one may change here come last, so that the others have
        the letters first."""
        taken = {str(n) for n in range(1, len(self.tab_keys) + 1)}
        taken |= {m for b in (self.save_button, self.reset_button) if (m := mnemonic_of(b.text()))}
        taken |= menu_letters(self) or set(MENU_LETTERS)
        for tab in self.tab_keys:
            keys = [k for k in self.rows if tab_of(k) == tab]
            keys.sort(key=lambda k: not self.rows[k].isEnabled())
            texts = [self.labels[k].text() for k in keys]
            widgets: list[QLabel | QPushButton] = [self.labels[k] for k in keys]
            if tab == "printing" and self.catalog_box is not None:
                widgets.append(self.catalog_box.button)
                texts.append(self.catalog_box.button.text().replace("&", ""))
            for widget, text in zip(widgets, with_mnemonics(texts, taken), strict=True):
                widget.setText(text)

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
        actor, app = self.ctx.signed_in, self.ctx.app

        def write() -> tuple[Values, Values]:
            for key, raw in changes.items():
                app.settings.set(actor, key, raw)
            # read back here, on the worker: the screens that look next find them cached
            values = read_all(app)
            return {key: values[key] for key in changes}, values

        what = Changes(settings=True, calendar=any(k.startswith("calendar.") for k in changes))

        def done(result: tuple[Values, Values]) -> None:
            saved, values = result
            self._show(values)
            self.saved.emit(saved)
            self.ctx.notifier.say(self.tr("Đã lưu {n} thiết lập").format(n=len(saved)))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, KnownError) and exc.field in self.rows:
                row = self.rows[exc.field]
                row.error.setText(exc.message(i18n.lang()))
                row.error.setVisible(True)
            self.ctx.notifier.report(exc)

        self.ctx.tasks.run(Op.write(write, what), done, failed, self)
