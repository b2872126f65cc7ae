"""What a clerk enters at intake, and its cleaning into what is stored.

``DossierInput`` is the raw form (from the desktop, a command-line option or a line of a JSON
Lines file); ``clean_intake`` checks every field (``counter.validation``) and refuses with a
message naming the first bad one. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from counter import limits, validation
from counter.errors import InvalidInput, Refused
from counter.views import DocumentLine, filled_at_once
from protocol.timejson import printable


@dataclass(frozen=True)
class DossierInput:
    """What a clerk enters at intake. Everything is checked by ``receive``."""

    procedure_code: str
    applicant_name: str
    applicant_type: str = "citizen"
    id_number: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    channel: str | None = "direct"
    received_at: datetime | str | None = None
    sets: int | str | None = 1
    note: str | None = None
    submitter_name: str | None = None
    submitter_id_number: str | None = None
    submitter_phone: str | None = None
    result_delivery: str | None = "counter"
    documents: Sequence[DocumentLine] | None = None  # None: the procedure's required documents
    is_demo: bool = False
    id_type: str | None = None  # cccd | cmnd | passport | other; None: read from the number

    FIELDS = [
        "procedure_code",
        "applicant_name",
        "applicant_type",
        "id_number",
        "id_type",
        "phone",
        "email",
        "address",
        "channel",
        "received_at",
        "sets",
        "note",
        "submitter_name",
        "submitter_id_number",
        "submitter_phone",
        "result_delivery",
    ]

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> DossierInput:
        """From a JSON object keyed like the command's long options (``-`` as ``_``)."""
        unknown = sorted(set(data) - set(cls.FIELDS) - {"documents"})
        if unknown:
            shown = ", ".join(printable(key, 40) for key in unknown[:5])
            raise InvalidInput(f"Khóa không được hỗ trợ: {shown}", f"Unsupported keys: {shown}")
        values: dict[str, Any] = {}
        for key in cls.FIELDS:
            if key in data and data[key] is not None:
                value = data[key]
                if key == "sets":
                    if isinstance(value, bool) or not isinstance(value, int | str):
                        raise InvalidInput(
                            "Số bộ hồ sơ phải là số nguyên", "sets must be a number", field="sets"
                        )
                elif not isinstance(value, str):
                    raise InvalidInput(
                        f"Giá trị của '{key}' phải là chuỗi", f"'{key}' must be a string", field=key
                    )
                values[key] = value
        if "procedure_code" not in values:
            raise InvalidInput(
                "Thiếu mã thủ tục (procedure_code)",
                "procedure_code is missing",
                field="procedure_code",
            )
        if "applicant_name" not in values:
            raise InvalidInput(
                "Thiếu họ tên người nộp (applicant_name)",
                "applicant_name is missing",
                field="applicant_name",
            )
        if "documents" in data:
            values["documents"] = _document_lines(data["documents"])
        return cls(**values)


def _document_lines(docs: Any) -> list[DocumentLine]:
    """``[{"code": "TK", "name"?: "...", "originals"?: 1, "copies"?: 0}, ...]``, typed as
    such: a code is a string, a count a whole number (their bounds are ``clean_intake``'s)."""
    if not isinstance(docs, list) or not all(isinstance(d, dict) for d in docs):
        raise InvalidInput(
            "'documents' phải là danh sách các đối tượng",
            "'documents' must be a list of objects",
            field="documents",
        )
    if len(docs) > limits.DOCUMENTS:
        raise InvalidInput(
            f"Quá nhiều giấy tờ (tối đa {limits.DOCUMENTS})",
            f"Too many documents ({limits.DOCUMENTS} at most)",
            field="documents",
        )
    lines = []
    for n, d in enumerate(docs, start=1):
        code, name = d.get("code"), d.get("name")
        name = "" if name is None else name
        originals, copies = d.get("originals", 0), d.get("copies", 0)
        texts_ok = isinstance(code, str) and isinstance(name, str)
        counts_ok = all(type(x) is int for x in (originals, copies))
        if not (texts_ok and counts_ok):
            raise InvalidInput(
                f"Giấy tờ thứ {n}: mã và tên là chuỗi, số bản là số nguyên",
                f"Document {n}: code and name are strings, counts whole numbers",
                field="documents",
            )
        lines.append(DocumentLine(code, name, originals, copies))
    return lines


@filled_at_once
@dataclass(frozen=True)
class CleanIntake:
    procedure_code: str
    applicant_type: str
    applicant_name: str
    id_number: str
    id_type: str
    phone: str
    email: str
    address: str
    channel: str
    received_at: datetime
    sets: int
    note: str
    submitter_name: str
    submitter_id_number: str
    submitter_phone: str
    result_delivery: str
    documents: tuple[DocumentLine, ...] | None
    is_demo: bool


def clean_intake(data: DossierInput, at: datetime | None = None) -> CleanIntake:
    """The dossier's input checked and put in its stored form. ``at``: the moment the checks
    count from (a receipt time in the future, a citizen ID's birth year), the clock's if
    None; a batch reads the clock once for all of its lines."""
    year = None if at is None else at.year
    applicant_type = validation.choice(
        data.applicant_type,
        validation.APPLICANT_TYPES,
        "applicant_type",
        "Loại người nộp",
        "citizen",
    )
    name = (
        validation.organization_name(data.applicant_name)
        if applicant_type == "organization"
        else validation.person_name(data.applicant_name)
    )
    code = validation.code_text(
        data.procedure_code,
        "procedure_code",
        "Mã thủ tục",
        "The procedure code",
        limits.PROCEDURE_CODE,
    )
    if not code:
        raise InvalidInput("Chưa chọn thủ tục", "No procedure given", field="procedure_code")
    docs = validation.documents(data.documents)
    kind = validation.id_kind(data.id_type)
    number = validation.id_number(data.id_number, applicant_type, id_type=kind, today_year=year)
    return CleanIntake(
        procedure_code=code,
        applicant_type=applicant_type,
        applicant_name=name,
        id_number=number,
        id_type=validation.id_type(kind, number, applicant_type),
        phone=validation.phone(data.phone),
        email=validation.email(data.email),
        address=validation.address(data.address),
        channel=validation.choice(
            data.channel, validation.CHANNELS, "channel", "Kênh nộp", "direct"
        ),
        received_at=validation.received_at(data.received_at, at=at),
        sets=validation.sets(data.sets),
        note=validation.note(data.note),
        submitter_name=validation.person_name(
            data.submitter_name, "submitter_name", required=False
        ),
        submitter_id_number=validation.id_number(
            data.submitter_id_number, "citizen", "submitter_id_number", today_year=year
        ),
        submitter_phone=validation.phone(data.submitter_phone, "submitter_phone"),
        result_delivery=validation.choice(
            data.result_delivery,
            ("counter", "post"),
            "result_delivery",
            "Nơi trả kết quả",
            "counter",
        ),
        documents=docs,
        is_demo=data.is_demo,
    )


def at_line(exc: Refused, line: int) -> Refused:
    """The same refusal, saying which line of a file it came from."""
    return type(exc)(
        f"dòng {line}: {exc.message_vi}", f"line {line}: {exc.message_en}", field=exc.field
    )
