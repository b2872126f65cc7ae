"""Every word printed on the forms, in one place (Vietnamese).

The forms are those of Circular 03/2025/TT-VPCP, Annex I (guiding Decree
118/2025/NĐ-CP): Mẫu số 01 to Mẫu số 07. Where each number, name and field comes
from, and which wording is not confirmed by the annex's own text, is written in
docs/legal-basis.md. The drawing code never spells a sentence itself: it picks
strings from these dictionaries, so a change of the forms is made here.
Placeholders are ``str.format`` fields; values are escaped before they are put
in, so a name with ``&`` or ``<`` prints as is.
"""

from __future__ import annotations

from typing import Final

COMMON: Final[dict[str, str]] = {
    "nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto": "Độc lập - Tự do - Hạnh phúc",
    "place_date": "{place}, ngày {day} tháng {month} năm {year}",
    "date": "Ngày {day} tháng {month} năm {year}",
    "date_inline": "ngày {day} tháng {month} năm {year}",
    "official_datetime": "{hour} giờ {minute} phút, ngày {day} tháng {month} năm {year}",
    "form_no": "Mẫu số {no}",
    "doc_no": "Số: {no}",
    "money": "{amount} đồng",
    "free": "Miễn phí",
    "sign_hint": "(Ký và ghi rõ họ tên)",
    "sign_seal_hint": "(Ký, ghi rõ họ tên và đóng dấu)",
    "page": "Trang {page}/{pages}",
    "continued": "Mã hồ sơ: {code} - {copy} (tiếp theo)",
    "continued_form": "Mã hồ sơ: {code} (tiếp theo)",
    "demo_watermark": "HỒ SƠ MẪU - KHÔNG CÓ GIÁ TRỊ",
    "printed_by": "Người in: {name}",
    # the office's own names (its unit, its authority) are never spelt here: they come
    # from what the office is configured as (counter.naming)
    "none": "Không có",
    # how a form addressed to the applicant names them: a person, or an organisation
    "you_citizen": "ông/bà",
    "you_organization": "tổ chức",
    "addressee_citizen": "Kính gửi: Ông/Bà {name}",
    "addressee_organization": "Kính gửi: {name}",
    "doc_no_blank": "........",
}

RECEIPT: Final[dict[str, str]] = {
    "form_no": "01",
    "title": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "copy_1": "(Liên 1: Lưu)",
    "copy_2": "(Liên 2: Giao người nộp)",
    "copy_1_short": "Liên 1",
    "copy_2_short": "Liên 2",
    "code": "Mã hồ sơ: {code}",
    "applicant": "Tiếp nhận hồ sơ của: {name}",
    "applicant_organization": "Tiếp nhận hồ sơ của tổ chức: {name}",
    "submitter": "Người nộp thay: {name}",
    "id_citizen": "Số giấy tờ tùy thân: {id}",
    "id_organization": "Mã số doanh nghiệp/mã số thuế: {id}",
    "address": "Địa chỉ: {address}",
    "phone": "Số điện thoại: {phone}",
    "email": "Thư điện tử: {email}",
    "request": "Nội dung yêu cầu giải quyết: {procedure} (mã thủ tục: {procedure_code})",
    "agency": "Cơ quan giải quyết: {agency}",
    "item_documents": "1. Thành phần hồ sơ nộp gồm:",
    "doc_col_no": "TT",
    "doc_col_name": "Tên giấy tờ",
    "doc_col_originals": "Bản chính",
    "doc_col_copies": "Bản sao",
    "no_documents": "(Không có giấy tờ kèm theo)",
    "item_sets": "2. Số lượng hồ sơ: {sets} bộ.",
    "item_time": "3. Thời gian giải quyết hồ sơ theo quy định là: {time}.",
    "item_received": "4. Thời gian nhận hồ sơ: {at}.",
    "item_received_again": (
        "4. Thời gian nhận hồ sơ: {at} (tiếp nhận lại hồ sơ đã bổ sung; thời hạn giải quyết "
        "tính từ thời điểm này; tiếp nhận lần đầu: {first})."
    ),
    "item_due": "5. Thời gian trả kết quả giải quyết hồ sơ: {at}.",
    "item_delivery": "6. Đăng ký nhận kết quả: {where}.",
    "delivery_counter": "Tại {office}",
    "delivery_post": "Qua dịch vụ bưu chính công ích, gửi về địa chỉ của người nộp",
    "fees": "Phí, lệ phí:",
    "fees_free": "Phí, lệ phí: Miễn phí.",
    "fee_line": "- {name}: {amount}",
    "fee_inline": "{name}: {amount}",
    "fees_total": "Tổng cộng: {amount}",
    "book": "Vào Sổ theo dõi hồ sơ, Quyển số: {volume}, Số thứ tự: {number}.",
    "sign_applicant": "NGƯỜI NỘP HỒ SƠ",
    "sign_clerk": "NGƯỜI TIẾP NHẬN HỒ SƠ",
    "lookup_hint": "Tra cứu: quét mã QR hoặc nhập mã hồ sơ tại quầy",
    # the 80 mm slip
    # not Mẫu 01: a slip reminding the citizen of the appointment; the receipt is the A5/A4 one
    "slip_title": "PHIẾU HẸN TRẢ KẾT QUẢ",
    "slip_not_receipt": "(Phiếu hẹn; không thay Giấy tiếp nhận hồ sơ, Mẫu 01)",
    "slip_counter": "Quầy số {n}",
    "slip_applicant": "Người nộp: {name}",
    "slip_applicant_organization": "Tổ chức: {name}",
    "slip_procedure": "Thủ tục: {procedure}",
    "slip_received": "Ngày nhận: {at}",
    "slip_due": "Hẹn trả kết quả:",
    "slip_keep": "Vui lòng giữ phiếu này và mang theo khi nhận kết quả.",
    "slip_contact": "Điện thoại: {phone}",
}

SUPPLEMENT: Final[dict[str, str]] = {
    "form_no": "02",
    "title": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "applicant": "Hồ sơ của: {name}",
    "applicant_organization": "Hồ sơ của tổ chức: {name}",
    "code": "Mã hồ sơ: {code}",
    "request": "Nội dung yêu cầu giải quyết: {procedure}",
    "received": "Ngày tiếp nhận: {at}",
    # an incomplete dossier at the counter: guidance, not a receipt
    "guidance_code": "Số phiếu hướng dẫn: {code} (mang theo khi nộp lại hồ sơ)",
    "guided": "Ngày hướng dẫn: {at}",
    "guidance_only": "{code} là phiếu hướng dẫn: chỉ in được Phiếu yêu cầu bổ sung (Mẫu 02)",
    "guidance_only_en": "{code} is a guidance record: only the supplement request (Mẫu 02) prints",
    "ask": "Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
    "col_no": "TT",
    "col_name": "Tên giấy tờ",
    "col_originals": "Bản chính",
    "col_certified": "Bản sao chứng thực",
    "col_photocopies": "Bản photo",
    "no_documents": "(Không có giấy tờ phải bổ sung)",
    "reason": "Lý do: {reason}",
    "contact": (
        "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, {you} liên hệ với "
        "{name}, số điện thoại {phone} để được hướng dẫn."
    ),
    "contact_no_phone": (
        "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, {you} liên hệ với "
        "{name} tại {office} để được hướng dẫn."
    ),
    "sign": "NGƯỜI HƯỚNG DẪN",
}

REFUSAL: Final[dict[str, str]] = {
    "form_no": "03",
    "title": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "intro": "{office} tiếp nhận hồ sơ của: {name}",
    "intro_organization": "{office} tiếp nhận hồ sơ của tổ chức: {name}",
    "code": "Mã hồ sơ: {code}",
    "request": "Nội dung yêu cầu giải quyết: {procedure}",
    "body": (
        "Sau khi xem xét hồ sơ, đối chiếu với các quy định hiện hành, {office} thông báo "
        "từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:"
    ),
    "reason_line": "{no}. {reason}",
    "no_reason": "(Chưa ghi lý do)",
    "closing": "Xin thông báo để {you} được biết và thực hiện./.",
    "sign": "NGƯỜI TIẾP NHẬN HỒ SƠ",
}

APOLOGY: Final[dict[str, str]] = {
    "form_no": "04",
    "title": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    "addressee": "Kính gửi: {name}",
    "received": "{date}, {agency} tiếp nhận giải quyết hồ sơ đề nghị {procedure} của {you}.",
    "receipt": "Mã hồ sơ: {code}; số Giấy tiếp nhận hồ sơ và hẹn trả kết quả: {receipt}.",
    "receipt_is_code": "Mã hồ sơ (số Giấy tiếp nhận hồ sơ và hẹn trả kết quả): {code}.",
    "old_due": "Thời gian hẹn trả kết quả giải quyết hồ sơ: {at}.",
    "delay": (
        "Tuy nhiên, đến nay {agency} chưa trả kết quả giải quyết hồ sơ của {you} đúng hẹn "
        "như đã ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, lý do: {reason}"
    ),
    "no_reason": "(chưa ghi lý do)",
    "apology": (
        "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của {you}. {agency} "
        "xin lỗi {you} và đề nghị gia hạn thời gian giải quyết hồ sơ, hẹn trả kết quả "
        "cho {you} vào {at}."
    ),
    "new_due_blank": "....giờ....phút, ngày..../..../........",
    "closing": "Rất mong nhận được sự thông cảm của {you} vì sự chậm trễ này./.",
    "sign": "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
}

STOP_NOTICE: Final[dict[str, str]] = {
    "form_no": "05",
    "title": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
    "received": "{date}, {office} tiếp nhận hồ sơ đề nghị {procedure} của {you}.",
    "code": "Mã hồ sơ: {code}.",
    "body": "{agency} thông báo dừng giải quyết hồ sơ nêu trên, lý do: {reason}",
    "no_reason": "(chưa ghi lý do)",
    "closing": "Xin thông báo để {you} được biết./.",
    "sign": "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
    "not_stopped": (
        "Hồ sơ {code} không ở trạng thái dừng xử lý (hiện là: {status}); "
        "Thông báo dừng giải quyết hồ sơ (Mẫu số 05) chỉ in cho hồ sơ đã dừng xử lý."
    ),
    "not_stopped_en": (
        "Dossier {code} is not stopped (its status: {status}); the stop notice "
        "(form 05) is printed only for a dossier whose processing was stopped."
    ),
}

CONTROL_SHEET: Final[dict[str, str]] = {
    "form_no": "06",
    "title": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    "applicant": "Kèm theo hồ sơ của: {name}",
    "code": "Mã hồ sơ: {code}",
    "request": "Nội dung yêu cầu giải quyết: {procedure}",
    "received": "Ngày nhận hồ sơ: {at}",
    "due": "Ngày hẹn trả kết quả: {at}",
    "agency": "Cơ quan (bộ phận) giải quyết hồ sơ: {agency}",
    "partners": "Cơ quan phối hợp giải quyết hồ sơ: {agencies}",
    "col_agency": "TÊN CƠ QUAN",
    "col_time": "THỜI GIAN GIAO, NHẬN HỒ SƠ",
    "col_result": "KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
    "col_result_hint": "(Trước hạn/ đúng hạn/ quá hạn)",
    "col_note": "GHI CHÚ",
    "give": "1. Giao: {who}",
    "take": "2. Nhận: {who}",
    "time_blank": "....giờ....phút, ngày..../..../......",
    "time": "{h} giờ {m} phút, ngày {d}",
    "early": "Trước hạn",
    "on_time": "Đúng hạn",
    "late": "Quá hạn",
    "giver": "Người giao",
    "taker": "Người nhận",
}

DAILY: Final[dict[str, str]] = {
    "title": "BÁO CÁO TÌNH HÌNH TIẾP NHẬN VÀ TRẢ KẾT QUẢ HỒ SƠ",
    "subtitle": "Ngày {date}",
    "generated": "Số liệu lập lúc {at}",
    "audit_head": "Mốc nhật ký kiểm tra: {head}",
    "sec_totals": "I. SỐ LIỆU TỔNG HỢP",
    "sec_procedures": "II. THEO THỦ TỤC HÀNH CHÍNH",
    "sec_clerks": "III. THEO CÁN BỘ TIẾP NHẬN",
    "sec_chart": "IV. HỒ SƠ TIẾP NHẬN 30 NGÀY GẦN NHẤT",
    "sec_overdue": "V. DANH SÁCH HỒ SƠ QUÁ HẠN ({count} hồ sơ)",
    "col_item": "Chỉ tiêu",
    "col_value": "Số lượng",
    "received": "Hồ sơ tiếp nhận trong ngày",
    "guided": "Lượt hướng dẫn bổ sung, hoàn thiện hồ sơ (Mẫu 02, chưa tiếp nhận)",
    "returned": "Hồ sơ đã trả kết quả trong ngày",
    "returned_on_time": "- trong đó trả đúng hạn, trước hạn",
    "returned_late": "- trong đó trả quá hạn",
    "rejected": "Hồ sơ từ chối tiếp nhận",
    "withdrawn": "Hồ sơ rút theo yêu cầu",
    "pending": "Hồ sơ đang giải quyết (cuối ngày)",
    "overdue": "- trong đó đã quá hạn",
    "fees": "Phí, lệ phí của hồ sơ tiếp nhận trong ngày (đồng)",
    "paper_received": "Hồ sơ nộp trực tiếp, qua bưu chính trong ngày",
    "digitised": "- trong đó đã số hóa đủ thành phần hồ sơ",
    "digitisation_rate": "Tỷ lệ số hóa hồ sơ (%)",
    "rated": "Lượt người dân đánh giá khi nhận kết quả",
    "satisfied": "- trong đó rất hài lòng, hài lòng",
    "satisfaction_rate": "Tỷ lệ hài lòng (%)",
    "col_no": "TT",
    "col_procedure": "Thủ tục hành chính",
    "col_clerk": "Cán bộ tiếp nhận",
    "col_received": "Tiếp nhận",
    "col_returned": "Đã trả",
    "col_rejected": "Từ chối",
    "col_withdrawn": "Rút",
    "col_fees": "Phí, lệ phí (đồng)",
    "col_satisfied": "Hài lòng (%)",
    "total": "Tổng cộng",
    "none": "Không có số liệu.",
    "col_code": "Mã hồ sơ",
    "col_applicant": "Người nộp",
    "col_due": "Hạn trả",
    "col_days_late": "Số ngày trễ",
    "no_overdue": "Không có hồ sơ quá hạn.",
    "chart_caption": "Số hồ sơ tiếp nhận mỗi ngày, từ {first} đến {last}",
    "no_chart": "Chưa có số liệu tiếp nhận.",
    "sign": "LÃNH ĐẠO BỘ PHẬN",
    "sign_maker": "NGƯỜI LẬP BÁO CÁO",
}

# Column titles of the CSV export (the figures themselves match the PDF).
DAILY_CSV: Final[dict[str, str]] = {
    "report": "Báo cáo tiếp nhận và trả kết quả hồ sơ",
    "day": "Ngày",
    "agency": "Cơ quan",
    "agency_code": "Mã cơ quan",
    "sec_totals": "Số liệu tổng hợp",
    "sec_procedures": "Theo thủ tục hành chính",
    "sec_clerks": "Theo cán bộ tiếp nhận",
    "sec_overdue": "Hồ sơ quá hạn",
    "sec_intake": "Tiếp nhận 30 ngày gần nhất",
    "key": "Mã",
    "label_procedure": "Thủ tục hành chính",
    "label_clerk": "Cán bộ tiếp nhận",
    "procedure_code": "Mã thủ tục",
    "date": "Ngày",
    "count": "Số hồ sơ",
    "rated": "Được đánh giá",
    "satisfied": "Hài lòng",
}

BOOK: Final[dict[str, str]] = {
    "form_no": "07",
    "title": "SỔ THEO DÕI HỒ SƠ",
    "period": "Từ ngày {date_from} đến ngày {date_to}",
    "digitisation": "Tỷ lệ số hóa hồ sơ: {digitised}/{paper} ({rate})",
    "empty": "Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này.",
    "col_number": "Số TT",
    "col_code": "Mã hồ sơ",
    "col_procedure": "Tên thủ tục hành chính",
    "col_sets": "Số lượng hồ sơ (bộ)",
    "col_applicant": "Tên, địa chỉ, số điện thoại của cá nhân, tổ chức",
    "col_agency": "Cơ quan chủ trì giải quyết",
    "col_received": "Nhận hồ sơ",
    "col_due": "Hẹn trả kết quả",
    "col_transferred": "Chuyển hồ sơ đến cơ quan giải quyết",
    "col_result": "Nhận kết quả từ cơ quan giải quyết",
    "col_returned": "Trả kết quả cho cá nhân, tổ chức",
    "col_signature": "Ký nhận kết quả",
    "col_note": "Ghi chú",
    "phone": "ĐT: {phone}",
}

PRINTER: Final[dict[str, str]] = {
    "no_command": (
        "Máy này chưa cài hệ thống in (không tìm thấy lệnh '{command}'). "
        "Hãy cài đặt CUPS, hoặc lưu phiếu ra tệp PDF rồi in."
    ),
    "no_queue": "Không có máy in tên '{name}'. Máy in hiện có: {names}.",
    "no_printers": "chưa có máy in nào",
    "no_default": "Chưa có máy in mặc định. Hãy chọn một máy in.",
    "not_running": "Dịch vụ in (CUPS) chưa chạy. Hãy khởi động dịch vụ in rồi thử lại.",
    "timeout": "Hệ thống in không phản hồi sau {seconds} giây.",
    "failed": "Không gửi được lệnh in: {detail}",
    "no_file": "Không tìm thấy tệp cần in: {path}",
    "windows_failed": "Windows không in được tệp: {detail}",
}

# The same messages in English, for a front end running in English.
PRINTER_EN: Final[dict[str, str]] = {
    "no_command": (
        "No print system on this machine (the '{command}' command is missing). "
        "Install CUPS, or save the form as a PDF file and print that."
    ),
    "no_queue": "There is no printer named '{name}'. Printers: {names}.",
    "no_printers": "none set up yet",
    "no_default": "There is no default printer. Choose a printer.",
    "not_running": "The print service (CUPS) is not running. Start it and try again.",
    "timeout": "The print system did not answer within {seconds} seconds.",
    "failed": "The print job was not accepted: {detail}",
    "no_file": "The file to print does not exist: {path}",
    "windows_failed": "Windows could not print the file: {detail}",
}

# What the command line says after printing (Vietnamese, English).
COMMAND: Final[dict[str, tuple[str, str]]] = {
    "saved": ("Đã lưu {what} vào {path}", "Saved the {what_en} to {path}"),
    "sent": (
        "Đã gửi {what} tới máy in {printer} (lệnh in {job})",
        "Sent the {what_en} to printer {printer} (job {job})",
    ),
    "csv": ("Đã lưu số liệu CSV vào {path}", "Saved the figures as CSV to {path}"),
    "bad_date": (
        "Ngày không hợp lệ: '{value}' (dạng YYYY-MM-DD)",
        "Invalid date: '{value}' (use YYYY-MM-DD)",
    ),
    "bad_range": (
        "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc",
        "The start date must not be after the end date",
    ),
}

# Names of the documents, for those messages (Vietnamese, English).
DOCUMENT_NAMES: Final[dict[str, tuple[str, str]]] = {
    "receipt": ("giấy tiếp nhận hồ sơ", "receipt"),
    "supplement": ("phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "supplement request"),
    "refusal": ("phiếu từ chối tiếp nhận giải quyết hồ sơ", "refusal notice"),
    "apology": (
        "văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
        "apology and extension letter",
    ),
    "stop-notice": ("thông báo dừng giải quyết hồ sơ", "stop notice"),
    "control-sheet": ("phiếu kiểm soát quá trình giải quyết hồ sơ", "process control sheet"),
    "daily": ("báo cáo ngày", "daily summary"),
    "book": ("sổ theo dõi hồ sơ", "tracking book"),
}
