"""The applicant at intake: a citizen or an organisation, and whoever files for them.

Each field says what is wrong with it when the clerk leaves it (``counter.validation``'s
checks); the name and the ID number are checked by the applicant's kind.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QLabel, QWidget

from counter import validation
from protocol.constants import ID_TYPES
from ui import formatting, i18n
from ui.applicant_offer import ApplicantOffer
from ui.widgets import HINT_STYLE, CheckedField


class ApplicantForm(QGroupBox):
    """Who the dossier is for, their contacts, and who files it for them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Chủ hồ sơ"))
        self.kind_box = QComboBox()
        self.kind_box.setAccessibleName(self.tr("Loại người nộp"))
        self.kind_box.addItem(formatting.applicant_type("citizen"), "citizen")
        self.kind_box.addItem(formatting.applicant_type("organization"), "organization")
        self.kind_box.currentIndexChanged.connect(self._on_kind_changed)

        self.name_field = CheckedField(self._check_name, self.tr("Họ tên chủ hồ sơ"))
        # the identity document is said, not guessed: a 9-digit number is a CMND only if so
        self.id_type_box = QComboBox()
        self.id_type_box.setAccessibleName(self.tr("Loại giấy tờ tùy thân"))
        for value in ID_TYPES:
            self.id_type_box.addItem(formatting.id_type(value), value)
        self.id_type_box.currentIndexChanged.connect(self._on_id_type_changed)
        self.id_note = QLabel()
        self.id_note.setWordWrap(True)
        self.id_note.setStyleSheet(HINT_STYLE)
        self.id_note.setVisible(False)
        self.id_field = CheckedField(
            self._check_id, self.tr("Số giấy tờ"), self.tr("CCCD 12 số, CMND 9 số, hộ chiếu")
        )
        self.phone_field = CheckedField(
            validation.phone, self.tr("Điện thoại"), self.tr("0912345678")
        )
        self.email_field = CheckedField(validation.email, self.tr("Thư điện tử"))
        self.address_field = CheckedField(validation.address, self.tr("Địa chỉ"))

        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.hint_label.setStyleSheet(HINT_STYLE)
        self.hint_label.setVisible(False)
        self.hint_label.setAccessibleName(self.tr("Lưu ý về hồ sơ trước đây"))

        self.submitter_box = QCheckBox(self.tr("Người &nộp thay (khác chủ hồ sơ)"))
        self.submitter_box.setAccessibleName(self.tr("Có người nộp thay"))
        self.submitter_box.toggled.connect(self._on_submitter_toggled)
        self.submitter_name = CheckedField(
            self._check_submitter_name, self.tr("Họ tên người nộp thay")
        )
        self.submitter_id = CheckedField(
            lambda v: validation.id_number(v, "citizen", "submitter_id_number"),
            self.tr("Số giấy tờ người nộp thay"),
        )
        self.submitter_phone = CheckedField(
            lambda v: validation.phone(v, "submitter_phone"),
            self.tr("Điện thoại người nộp thay"),
        )

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._row(form, self.tr("Là:"), self.kind_box)
        self.name_label = self._row(form, self.tr("&Họ tên:"), self.name_field)
        self.id_type_label = self._row(form, self.tr("Loại giấ&y tờ:"), self.id_type_box)
        self._row(form, self.tr("&Số giấy tờ:"), self.id_field)
        self.offer = ApplicantOffer()  # declare once: the details known of this number
        form.addRow(self.offer)
        form.addRow(self.id_note)
        form.addRow(self.hint_label)
        self._row(form, self.tr("Điện th&oại:"), self.phone_field)
        self._row(form, self.tr("&Email:"), self.email_field)
        self._row(form, self.tr("Đị&a chỉ:"), self.address_field)
        form.addRow(self.submitter_box)
        self.submitter_widget = QWidget()
        sub = QFormLayout(self.submitter_widget)
        sub.setContentsMargins(16, 0, 0, 0)
        self._row(sub, self.tr("Họ tên người nộp:"), self.submitter_name)
        self._row(sub, self.tr("Số giấy tờ:"), self.submitter_id)
        self._row(sub, self.tr("Điện thoại:"), self.submitter_phone)
        form.addRow(self.submitter_widget)

    def _row(self, form: QFormLayout, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget.focusProxy() or widget)
        form.addRow(label, widget)
        return label

    # -- the applicant ----------------------------------------------------------------------

    def kind(self) -> str:
        """``citizen`` or ``organization``."""
        return str(self.kind_box.currentData())

    def _check_name(self, value: str) -> str:
        if self.kind() == "organization":
            return validation.organization_name(value)
        return validation.person_name(value)

    def id_type(self) -> str | None:
        """The citizen's identity document type; None for an organisation (a tax code)."""
        return None if self.kind() == "organization" else str(self.id_type_box.currentData())

    def _check_id(self, value: str) -> str:
        number = validation.id_number(value, self.kind(), id_type=self.id_type() or "")
        self._show_id_note(number)
        return number

    def _show_id_note(self, number: str = "") -> None:
        """What deserves a second look: an expired CMND, a CCCD prefix that is no province."""
        warning = validation.id_warning(self.id_type() or "", number)
        self.id_note.setText(warning[1 if i18n.lang() == "en" else 0] if warning else "")
        self.id_note.setVisible(warning is not None)

    def _on_id_type_changed(self) -> None:
        self._show_id_note()
        if self.id_field.text():
            self.id_field.check()

    def _check_submitter_name(self, value: str) -> str:
        return validation.person_name(
            value, "submitter_name", required=self.submitter_box.isChecked()
        )

    def _on_kind_changed(self) -> None:
        organization = self.kind() == "organization"
        self.id_type_box.setVisible(not organization)
        self.id_type_label.setVisible(not organization)
        self._on_id_type_changed()
        self.name_label.setText(self.tr("Tên tổ &chức:") if organization else self.tr("&Họ tên:"))
        self.id_field.edit.setPlaceholderText(
            self.tr("Mã số thuế") if organization else self.tr("CCCD 12 số, CMND 9 số, hộ chiếu")
        )
        for field in (self.name_field, self.id_field):
            if field.text():
                field.check()

    def _on_submitter_toggled(self, on: bool) -> None:
        self.submitter_widget.setVisible(on)
        if not on:
            for field in (self.submitter_name, self.submitter_id, self.submitter_phone):
                field.clear()

    def set_hint(self, text: str) -> None:
        """A word about an earlier dossier of the same applicant, or nothing."""
        self.hint_label.setText(text)
        self.hint_label.setVisible(bool(text))

    # -- the values -------------------------------------------------------------------------

    def fields(self) -> dict[str, CheckedField]:
        """The checked fields, by the name ``DossierInput`` (and a refusal's ``field``) gives."""
        return {
            "applicant_name": self.name_field,
            "id_number": self.id_field,
            "phone": self.phone_field,
            "email": self.email_field,
            "address": self.address_field,
            "submitter_name": self.submitter_name,
            "submitter_id_number": self.submitter_id,
            "submitter_phone": self.submitter_phone,
        }

    def values(self) -> dict[str, Any]:
        """The applicant's part of a ``DossierInput``, as typed (the service cleans it)."""
        submitter = self.submitter_box.isChecked()
        return {
            "applicant_name": self.name_field.text(),
            "applicant_type": self.kind(),
            "id_number": self.id_field.text(),
            "id_type": self.id_type(),
            "phone": self.phone_field.text(),
            "email": self.email_field.text(),
            "address": self.address_field.text(),
            "submitter_name": self.submitter_name.text() if submitter else None,
            "submitter_id_number": self.submitter_id.text() if submitter else None,
            "submitter_phone": self.submitter_phone.text() if submitter else None,
        }

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill the form in (from a guidance record): the keys of ``values()``."""
        self.clear()
        self.kind_box.setCurrentIndex(max(self.kind_box.findData(values.get("applicant_type")), 0))
        if values.get("id_type"):
            self.id_type_box.setCurrentIndex(max(self.id_type_box.findData(values["id_type"]), 0))
        for key, field in self.fields().items():
            if values.get(key):
                field.edit.setText(str(values[key]))
        if values.get("submitter_name"):
            self.submitter_box.setChecked(True)

    def clear(self) -> None:
        self.kind_box.setCurrentIndex(0)
        self.id_type_box.setCurrentIndex(0)
        for field in self.fields().values():
            field.clear()
        self.submitter_box.setChecked(False)
        self.submitter_widget.setVisible(False)
        self.set_hint("")
        self.offer.withdraw()
