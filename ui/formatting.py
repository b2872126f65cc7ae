"""How moments, money and the domain's codes read on screen, in the interface's language."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication

from counter.clock import to_vn
from counter.statuses import Status
from counter.views import ProcessingTime
from ui import i18n

translate = QCoreApplication.translate


def moment(dt: datetime | None) -> str:
    """``26/11/2026 09:15`` (Vietnam time)."""
    if dt is None:
        return ""
    return f"{to_vn(dt):%d/%m/%Y %H:%M}"


def day(d: date | datetime | None) -> str:
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = to_vn(d).date()
    return f"{d:%d/%m/%Y}"


def weekday(d: date) -> str:
    return [
        translate("Format", "Thứ Hai"),
        translate("Format", "Thứ Ba"),
        translate("Format", "Thứ Tư"),
        translate("Format", "Thứ Năm"),
        translate("Format", "Thứ Sáu"),
        translate("Format", "Thứ Bảy"),
        translate("Format", "Chủ Nhật"),
    ][d.weekday()]


def weekday_moment(dt: datetime) -> str:
    """``Thứ Năm, 26/11/2026 lúc 17:00``: the due date as a clerk says it aloud."""
    local = to_vn(dt)
    return translate("Format", "{weekday}, {date} lúc {time}").format(
        weekday=weekday(local.date()), date=f"{local:%d/%m/%Y}", time=f"{local:%H:%M}"
    )


def money(amount: int) -> str:
    if i18n.lang() == "en":
        return f"{amount:,} VND"
    return f"{amount:,}".replace(",", ".") + " đ"


def status(value: Status) -> str:
    return value.label(i18n.lang())


def processing_time(pt: ProcessingTime) -> str:
    return pt.describe(i18n.lang())


def channel(value: str) -> str:
    return {
        "direct": translate("Format", "Trực tiếp tại quầy"),
        "online": translate("Format", "Trực tuyến"),
        "postal": translate("Format", "Qua bưu chính công ích"),
    }.get(value, value)


def applicant_type(value: str) -> str:
    return {
        "citizen": translate("Format", "Công dân"),
        "organization": translate("Format", "Tổ chức"),
    }.get(value, value)


def result_delivery(value: str, office: str) -> str:
    """Where the result is handed back; ``office`` is the office's name in a sentence."""
    return {
        "counter": translate("Format", "Tại {office}").format(office=office),
        "post": translate("Format", "Qua bưu chính"),
    }.get(value, value)


def id_type(value: str) -> str:
    """A citizen's identity document (``protocol.constants.ID_TYPES``)."""
    return {
        "cccd": translate("Format", "Thẻ căn cước / CCCD (12 số)"),
        "cmnd": translate("Format", "CMND (9 số, đã hết hạn)"),
        "passport": translate("Format", "Hộ chiếu"),
        "other": translate("Format", "Giấy tờ khác"),
    }.get(value, value)


def requirement(value: str) -> str:
    """Whether a paper must be in the dossier (``protocol.REQUIREMENTS``)."""
    return {
        "required": translate("Format", "bắt buộc"),
        "conditional": translate("Format", "tùy trường hợp"),
        "optional": translate("Format", "nếu có"),
    }.get(value, value)


def role(value: str) -> str:
    return {
        "clerk": translate("Format", "Cán bộ tiếp nhận"),
        "supervisor": translate("Format", "Lãnh đạo bộ phận"),
        "admin": translate("Format", "Quản trị"),
    }.get(value, value)


def sync_state(value: str) -> str:
    return {
        "local": translate("Format", "Dữ liệu mẫu, không gửi lên cổng"),
        "pending": translate("Format", "Chờ gửi lên cổng"),
        "synced": translate("Format", "Đã đồng bộ với cổng"),
        "needs_attention": translate("Format", "Cần người xử lý"),
    }.get(value, value)


def outbox_kind(value: str) -> str:
    return {
        "dossier": translate("Format", "Hồ sơ mới"),
        "status": translate("Format", "Đổi trạng thái"),
        "due_change": translate("Format", "Hẹn lại ngày trả"),
    }.get(value, value)


def history_source(value: str) -> str:
    return {
        "counter": translate("Format", "tại quầy"),
        "portal": translate("Format", "từ cổng dịch vụ công"),
    }.get(value, value)


def level(value: str) -> str:
    """The kind of office (``counter.naming.LEVELS``, and ``district`` of old data)."""
    return {
        "commune": translate("Format", "Trung tâm Phục vụ hành chính công xã, phường, đặc khu"),
        "province": translate("Format", "Trung tâm Phục vụ hành chính công tỉnh, thành phố"),
        "ministry": translate("Format", "Bộ phận Tiếp nhận và Trả kết quả của bộ, ngành"),
        "district": translate("Format", "Cấp huyện (dữ liệu trước 01/7/2025)"),
    }.get(value, value)


def overdue_days(due: datetime, now: datetime) -> str:
    days = (to_vn(now).date() - to_vn(due).date()).days
    if days <= 0:
        return translate("Format", "Quá hạn")
    return translate("Format", "Quá hạn {n} ngày").format(n=days)
