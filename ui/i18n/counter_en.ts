<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="vi_VN">
<context>
    <name>AccountsPage</name>
    <message>
        <source>Tài khoản</source>
        <extracomment>the accounts were read (again) and are on screen</extracomment>
        <translation>Accounts</translation>
    </message>
    <message>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>Họ tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <source>Vai trò</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Tình trạng</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Đang dùng</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>Đã vô hiệu hóa</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>Khóa đến</source>
        <translation>Locked until</translation>
    </message>
    <message>
        <source>Danh sách tài khoản</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <source>&amp;Thêm tài khoản…</source>
        <translation>&amp;Add account…</translation>
    </message>
    <message>
        <source>&amp;Vô hiệu hóa</source>
        <translation>&amp;Disable</translation>
    </message>
    <message>
        <source>Đặt lại &amp;mật khẩu…</source>
        <translation>Reset &amp;password…</translation>
    </message>
    <message>
        <source>Vai trò mới</source>
        <translation>New role</translation>
    </message>
    <message>
        <source>Đổi vai t&amp;rò</source>
        <translation>Change ro&amp;le</translation>
    </message>
    <message>
        <source>&amp;Kích hoạt lại</source>
        <translation>&amp;Enable again</translation>
    </message>
    <message>
        <source>Đã tạo tài khoản {name}</source>
        <translation>Account {name} created</translation>
    </message>
    <message>
        <source>Đã cập nhật tài khoản {name}</source>
        <translation>Account {name} updated</translation>
    </message>
    <message>
        <source>Đã đặt lại mật khẩu cho {name}</source>
        <translation>Password of {name} reset</translation>
    </message>
    <message>
        <source>Đã đổi vai trò của {name}</source>
        <translation>Role of {name} changed</translation>
    </message>
</context>
<context>
    <name>ActionDialog</name>
    <message>
        <source>Giấy tờ còn thiếu (đánh dấu bằng phím cách):</source>
        <translation>Missing documents (tick with the space bar):</translation>
    </message>
    <message>
        <source>Giấy tờ còn thiếu</source>
        <translation>Missing documents</translation>
    </message>
    <message>
        <source>Ngày hẹn mới</source>
        <translation>New due date</translation>
    </message>
    <message>
        <source>Ngày hẹn &amp;mới:</source>
        <translation>&amp;New due date:</translation>
    </message>
    <message>
        <source>Đồng ý</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Hãy ghi lý do</source>
        <translation>Please give a reason</translation>
    </message>
    <message>
        <source>Hãy đánh dấu ít nhất một giấy tờ còn thiếu</source>
        <translation>Tick at least one missing document</translation>
    </message>
    <message>
        <source>Ngày hẹn mới phải sau ngày hẹn cũ</source>
        <translation>The new due date must be after the old one</translation>
    </message>
</context>
<context>
    <name>ApplicantForm</name>
    <message>
        <source>Chủ hồ sơ</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>Loại người nộp</source>
        <translation>Applicant type</translation>
    </message>
    <message>
        <source>Họ tên chủ hồ sơ</source>
        <translation>Applicant’s full name</translation>
    </message>
    <message>
        <source>Loại giấy tờ tùy thân</source>
        <translation>Identity document type</translation>
    </message>
    <message>
        <source>Số giấy tờ</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>CCCD 12 số, CMND 9 số, hộ chiếu</source>
        <translation>Citizen ID (12 digits), old ID (9), passport</translation>
    </message>
    <message>
        <source>Điện thoại</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>0912345678</source>
        <translation>0912345678</translation>
    </message>
    <message>
        <source>Thư điện tử</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Lưu ý về hồ sơ trước đây</source>
        <translation>Note about an earlier dossier</translation>
    </message>
    <message>
        <source>Người &amp;nộp thay (khác chủ hồ sơ)</source>
        <translation>Filed &amp;by someone else (not the applicant)</translation>
    </message>
    <message>
        <source>Có người nộp thay</source>
        <translation>Filed by someone else</translation>
    </message>
    <message>
        <source>Họ tên người nộp thay</source>
        <translation>Submitter’s full name</translation>
    </message>
    <message>
        <source>Số giấy tờ người nộp thay</source>
        <translation>Submitter’s ID number</translation>
    </message>
    <message>
        <source>Điện thoại người nộp thay</source>
        <translation>Submitter’s phone</translation>
    </message>
    <message>
        <source>Là:</source>
        <translation>Kind:</translation>
    </message>
    <message>
        <source>&amp;Họ tên:</source>
        <translation>Full na&amp;me:</translation>
    </message>
    <message>
        <source>Loại giấ&amp;y tờ:</source>
        <translation>Document t&amp;ype:</translation>
    </message>
    <message>
        <source>&amp;Số giấy tờ:</source>
        <translation>&amp;ID number:</translation>
    </message>
    <message>
        <source>Điện th&amp;oại:</source>
        <translation>Ph&amp;one:</translation>
    </message>
    <message>
        <source>Tên tổ &amp;chức:</source>
        <translation>Organi&amp;zation name:</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-mail:</translation>
    </message>
    <message>
        <source>Đị&amp;a chỉ:</source>
        <translation>&amp;Address:</translation>
    </message>
    <message>
        <source>Họ tên người nộp:</source>
        <translation>Submitter’s name:</translation>
    </message>
    <message>
        <source>Số giấy tờ:</source>
        <translation>ID number:</translation>
    </message>
    <message>
        <source>Điện thoại:</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <source>Mã số thuế</source>
        <translation>Tax code</translation>
    </message>
</context>
<context>
    <name>ApplicantOffer</name>
    <message>
        <source>Thông tin người nộp đã có</source>
        <extracomment>the clerk took the details (the ``KnownApplicant``) the clerk left them (Esc, or went on typing)</extracomment>
        <translation>Applicant details on file</translation>
    </message>
    <message>
        <source>theo cổng dịch vụ công</source>
        <translation>from the service portal</translation>
    </message>
    <message>
        <source>hồ sơ ngày {day}</source>
        <translation>dossier of {day}</translation>
    </message>
    <message>
        <source>Đã có thông tin người nộp: {details} ({where}).  Enter: dùng · Esc: bỏ qua</source>
        <translation>Applicant on file: {details} ({where}).  Enter: use · Esc: ignore</translation>
    </message>
</context>
<context>
    <name>CalendarPage</name>
    <message>
        <source>Lịch làm việc</source>
        <extracomment>the overrides and the calendar were read (again) and are on screen</extracomment>
        <translation>Working calendar</translation>
    </message>
    <message>
        <source>Ngày</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Thứ</source>
        <translation>Weekday</translation>
    </message>
    <message>
        <source>Điều chỉnh</source>
        <translation>Override</translation>
    </message>
    <message>
        <source>Ngày làm việc (làm bù)</source>
        <translation>Working day (make-up)</translation>
    </message>
    <message>
        <source>Ngày nghỉ</source>
        <translation>Day off</translation>
    </message>
    <message>
        <source>Nguồn</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Cổng dịch vụ công</source>
        <translation>Public service portal</translation>
    </message>
    <message>
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Các ngày điều chỉnh</source>
        <translation>Calendar overrides</translation>
    </message>
    <message>
        <source>Loại điều chỉnh</source>
        <translation>Kind of override</translation>
    </message>
    <message>
        <source>Ví dụ: Nghỉ bù Quốc khánh</source>
        <translation>E.g. National Day substitute holiday</translation>
    </message>
    <message>
        <source>Lưu điều &amp;chỉnh</source>
        <translation>Save the overr&amp;ide</translation>
    </message>
    <message>
        <source>&amp;Bỏ điều chỉnh của ngày này</source>
        <translation>&amp;Remove the override for this day</translation>
    </message>
    <message>
        <source>Thêm hoặc sửa một ngày</source>
        <translation>Add or change a day</translation>
    </message>
    <message>
        <source>&amp;Ngày:</source>
        <translation>&amp;Date:</translation>
    </message>
    <message>
        <source>&amp;Là:</source>
        <translation>&amp;Kind:</translation>
    </message>
    <message>
        <source>&amp;Ghi chú:</source>
        <translation>&amp;Note:</translation>
    </message>
    <message>
        <source>Ngày lễ sắp tới</source>
        <translation>Coming public holidays</translation>
    </message>
    <message>
        <source>Ngày lễ sắp tới (có sẵn trong lịch)</source>
        <translation>Coming public holidays (built in)</translation>
    </message>
    <message>
        <source>Mở cửa và tính thời hạn</source>
        <translation>Open, and counted</translation>
    </message>
    <message>
        <source>Hai tuần tới: mở cửa và tính thời hạn</source>
        <translation>The next two weeks: open, and counted</translation>
    </message>
    <message>
        <source>Ngày lễ, Tết theo Bộ luật Lao động đã có sẵn. Ở đây ghi các ngày nghỉ riêng và các ngày làm việc bù (ví dụ thứ Bảy làm bù). Điều chỉnh của đơn vị được ưu tiên hơn lịch của cổng. Ngày hẹn trả của hồ sơ mới tính theo ngày làm việc của lịch này; ngày quầy mở cửa thêm (ví dụ sáng thứ Bảy, trong Thiết lập) vẫn tiếp nhận hồ sơ nhưng không được tính vào thời hạn giải quyết.</source>
        <translation>The public holidays of the Labour Code are built in. Here go the office&apos;s own days off and make-up working days (a working Saturday, say). The office&apos;s entries win over the portal&apos;s calendar. New dossiers&apos; due dates count the working days of this calendar; extra opening days (a Saturday morning, say, set in Settings) receive dossiers but do not count towards the time limit.</translation>
    </message>
    <message>
        <source>đóng cửa</source>
        <translation>closed</translation>
    </message>
    <message>
        <source>mở cửa {hours}</source>
        <translation>open {hours}</translation>
    </message>
    <message>
        <source>tính thời hạn</source>
        <translation>counted</translation>
    </message>
    <message>
        <source>không tính thời hạn</source>
        <translation>not counted</translation>
    </message>
    <message>
        <source>Không có ngày lễ nào trong thời gian tới</source>
        <translation>No public holiday coming soon</translation>
    </message>
    <message>
        <source>Theo lịch hiện tại, ngày {day} là {kind}.</source>
        <translation>On the current calendar, {day} is a {kind}.</translation>
    </message>
    <message>
        <source>ngày làm việc</source>
        <translation>working day</translation>
    </message>
    <message>
        <source>ngày nghỉ</source>
        <translation>day off</translation>
    </message>
    <message>
        <source>Quầy vẫn mở cửa tiếp nhận, nhưng ngày này không tính vào thời hạn giải quyết.</source>
        <translation>The counter is open to receive dossiers, but this day does not count towards the time limit.</translation>
    </message>
    <message>
        <source>Ngày lễ: {name}.</source>
        <translation>Holiday: {name}.</translation>
    </message>
    <message>
        <source>Đã lưu điều chỉnh lịch ngày {day}</source>
        <translation>Override of {day} saved</translation>
    </message>
    <message>
        <source>Đã bỏ điều chỉnh lịch ngày {day}</source>
        <translation>Override of {day} removed</translation>
    </message>
</context>
<context>
    <name>CalendarPopup</name>
    <message>
        <source>Lịch chọn ngày</source>
        <translation>Calendar to pick a day</translation>
    </message>
</context>
<context>
    <name>CatalogImportBox</name>
    <message>
        <source>Danh mục thủ tục</source>
        <extracomment>a file was imported (its ``CatalogImport``) an import was refused (the message shown)</extracomment>
        <translation>Procedure catalogue</translation>
    </message>
    <message>
        <source>Nhập danh mục từ tệp…</source>
        <translation>Import the catalogue from a file…</translation>
    </message>
    <message>
        <source>Tệp JSON của danh mục thủ tục (như tệp mẫu đi kèm chương trình)</source>
        <translation>The procedure catalogue&apos;s JSON file (like the sample that comes with the program)</translation>
    </message>
    <message>
        <source>Danh mục đang trống: hãy nhập danh mục thủ tục.</source>
        <translation>The catalogue is empty: import the procedure catalogue.</translation>
    </message>
    <message>
        <source>Đang có {n} thủ tục (phiên bản {versions}).</source>
        <translation>{n} procedures (version {versions}).</translation>
    </message>
    <message>
        <source>Chọn tệp danh mục thủ tục</source>
        <translation>Choose the procedure catalogue file</translation>
    </message>
    <message>
        <source>Danh mục thủ tục (*.json)</source>
        <translation>Procedure catalogue (*.json)</translation>
    </message>
    <message>
        <source>Mọi tệp (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <source>Đã nhập {n} thủ tục, phiên bản {version}, từ tệp {name}.</source>
        <translation>Imported {n} procedures, version {version}, from {name}.</translation>
    </message>
    <message>
        <source>Không nhập được danh mục: {why}</source>
        <translation>The catalogue was not imported: {why}</translation>
    </message>
</context>
<context>
    <name>DailySummaryPage</name>
    <message>
        <source>Báo cáo ngày</source>
        <extracomment>dossiers changed while a report is in view: it is read again this much later, once who the page works for (a print finishing after sign-out is still theirs)</extracomment>
        <translation>Daily summary</translation>
    </message>
    <message>
        <source>Ngày báo cáo</source>
        <translation>Report date</translation>
    </message>
    <message>
        <source>Xem &amp;báo cáo</source>
        <translation>Sho&amp;w the report</translation>
    </message>
    <message>
        <source>Xuất &amp;CSV…</source>
        <translation>Export &amp;CSV…</translation>
    </message>
    <message>
        <source>Số liệu trong ngày</source>
        <translation>Figures of the day</translation>
    </message>
    <message>
        <source>Tiếp nhận</source>
        <translation>Intake</translation>
    </message>
    <message>
        <source>Trả kết quả</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>Trả đúng hạn</source>
        <translation>Returned on time</translation>
    </message>
    <message>
        <source>Trả quá hạn</source>
        <translation>Returned late</translation>
    </message>
    <message>
        <source>Từ chối</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>Rút hồ sơ</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>Đang giải quyết</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>Quá hạn</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>Phí, lệ phí</source>
        <translation>Fees</translation>
    </message>
    <message>
        <source>Số hóa</source>
        <translation>Digitised</translation>
    </message>
    <message>
        <source>Hài lòng</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <source>&amp;Ngày:</source>
        <translation>&amp;Date:</translation>
    </message>
    <message>
        <source>Tỷ lệ số hóa: {digitised}/{received} hồ sơ giấy tiếp nhận trong ngày đã số hóa đủ</source>
        <translation>Digitisation rate: {digitised} of the {received} paper dossiers received that day fully digitised</translation>
    </message>
    <message>
        <source>Tỷ lệ hài lòng: {satisfied}/{rated} lượt người dân đánh giá trong ngày rất hài lòng hoặc hài lòng</source>
        <translation>Satisfaction: {satisfied} of {rated} ratings given by citizens that day were very satisfied or satisfied</translation>
    </message>
    <message>
        <source>Xuất CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <source>Tệp CSV (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <source>Đã lưu {path}</source>
        <translation>Saved {path}</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>Gõ ngày/tháng/năm, có hoặc không có dấu /, ví dụ 02/12/2026 hoặc 02122026. Mũi tên lên, xuống: sang ngày sau, ngày trước. Alt+Mũi tên xuống: mở lịch.</source>
        <extracomment>the value changed (a ``QDate``)</extracomment>
        <translation>Type day/month/year, with or without the slashes, for example 02/12/2026 or 02122026. Up and Down arrows: the next day, the day before. Alt+Down arrow: open the calendar.</translation>
    </message>
    <message>
        <source>Mở lịch</source>
        <translation>Open the calendar</translation>
    </message>
    <message>
        <source>Gõ ngày/tháng/năm, ví dụ 02/12/2026</source>
        <translation>Type day/month/year, for example 02/12/2026</translation>
    </message>
    <message>
        <source>Không có ngày {day}</source>
        <translation>There is no such day as {day}</translation>
    </message>
    <message>
        <source>Năm phải từ {first} đến {last}</source>
        <translation>The year must be from {first} to {last}</translation>
    </message>
</context>
<context>
    <name>DeclareOnce</name>
    <message>
        <source>Đã dùng thông tin người nộp {name}; sửa ô nào cần sửa.</source>
        <translation>Used the details of {name}; correct any field that needs it.</translation>
    </message>
</context>
<context>
    <name>DossierDetail</name>
    <message>
        <source>Trả &amp;kết quả</source>
        <translation>Hand back the &amp;result</translation>
    </message>
    <message>
        <source>&amp;Rút hồ sơ</source>
        <translation>&amp;Withdraw</translation>
    </message>
    <message>
        <source>Yêu cầu &amp;bổ sung (Mẫu 02)</source>
        <translation>Request a &amp;supplement (Form 02)</translation>
    </message>
    <message>
        <source>&amp;Từ chối tiếp nhận (Mẫu 03)</source>
        <translation>&amp;Refuse (Form 03)</translation>
    </message>
    <message>
        <source>Tiếp nhận &amp;lại (đã đủ giấy tờ)</source>
        <translation>Receive &amp;again (papers complete)</translation>
    </message>
    <message>
        <source>Chuyển &amp;xử lý</source>
        <translation>Send for &amp;processing</translation>
    </message>
    <message>
        <source>Đã có kết &amp;quả</source>
        <translation>Result rea&amp;dy</translation>
    </message>
    <message>
        <source>&amp;Dừng xử lý</source>
        <translation>Stop processin&amp;g</translation>
    </message>
    <message>
        <source>Yêu cầu thực hiện nghĩa &amp;vụ tài chính</source>
        <translation>Request &amp;payment of obligations</translation>
    </message>
</context>
<context>
    <name>DossierDetailDialog</name>
    <message>
        <source>Chi tiết hồ sơ</source>
        <extracomment>forms printed with a move: status -&gt; form kind The form that goes with a move. Back to ``received`` (after a supplement) is a new receipt: the time limit ran again from that moment (DossierService.set_status). username -&gt; full name, for the history the procedure&apos;s documents, offered as missing when none were recorded at intake the scanner and the scan folder, for the pages panel the dossier changed here (its new view) a form was rendered for printing: (kind, pdf) who opened it: a print finishing after sign-out is recorded as theirs</extracomment>
        <translation>Dossier details</translation>
    </message>
    <message>
        <source>Thông báo</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Thông tin hồ sơ</source>
        <translation>Dossier information</translation>
    </message>
    <message>
        <source>Quá trình giải quyết</source>
        <translation>History</translation>
    </message>
    <message>
        <source>Thao tác</source>
        <translation>Actions</translation>
    </message>
    <message>
        <source>Đó&amp;ng</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>Hồ sơ {code}</source>
        <translation>Dossier {code}</translation>
    </message>
    <message>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <source>Lĩnh vực</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>Số giấy tờ</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>Điện thoại</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Thư điện tử</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Người nộp thay</source>
        <translation>Submitter</translation>
    </message>
    <message>
        <source>Kênh nộp</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Số bộ</source>
        <translation>Sets</translation>
    </message>
    <message>
        <source>Ngày nhận</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Hẹn trả</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>Hẹn cũ</source>
        <translation>Previous due date</translation>
    </message>
    <message>
        <source>Lý do hẹn lại</source>
        <translation>Reason for the new date</translation>
    </message>
    <message>
        <source>Thời hạn giải quyết</source>
        <translation>Legal processing time</translation>
    </message>
    <message>
        <source>Cơ quan giải quyết</source>
        <translation>Processing agency</translation>
    </message>
    <message>
        <source>Nơi trả kết quả</source>
        <translation>Result collected</translation>
    </message>
    <message>
        <source>Người tiếp nhận</source>
        <translation>Received by</translation>
    </message>
    <message>
        <source>Sổ theo dõi</source>
        <translation>Tracking book</translation>
    </message>
    <message>
        <source>quyển {volume}, số {number}</source>
        <translation>volume {volume}, number {number}</translation>
    </message>
    <message>
        <source>Mã tra cứu</source>
        <translation>Lookup key</translation>
    </message>
    <message>
        <source>Mã trên cổng</source>
        <translation>Portal code</translation>
    </message>
    <message>
        <source>Đã trả kết quả lúc</source>
        <translation>Result returned at</translation>
    </message>
    <message>
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>cổng dịch vụ công</source>
        <translation>the public service portal</translation>
    </message>
    <message>
        <source>bởi {who}, {source}</source>
        <translation>by {who}, {source}</translation>
    </message>
    <message>
        <source>cổng xác nhận lúc {at}</source>
        <translation>confirmed by the portal at {at}</translation>
    </message>
    <message>
        <source>Đồng bộ: {state}</source>
        <translation>Sync: {state}</translation>
    </message>
    <message>
        <source>&amp;Hẹn lại ngày trả (Mẫu 04)</source>
        <translation>&amp;New due date (Form 04)</translation>
    </message>
    <message>
        <source>In lại &amp;giấy tiếp nhận</source>
        <translation>Print the rece&amp;ipt again</translation>
    </message>
    <message>
        <source>In &amp;phiếu kiểm soát (Mẫu 06)</source>
        <translation>Print the con&amp;trol sheet (Form 06)</translation>
    </message>
    <message>
        <source>&amp;In thông báo dừng giải quyết (Mẫu 05)</source>
        <translation>Print the st&amp;op notice (Form 05)</translation>
    </message>
    <message>
        <source>Ghi lý do dừng giải quyết; thông báo dừng giải quyết hồ sơ (Mẫu 05) sẽ được in.</source>
        <translation>Write why processing stops; the notice that processing stopped (Mẫu 05) will be printed.</translation>
    </message>
    <message>
        <source>&amp;Lý do dừng:</source>
        <translation>&amp;Reason for stopping:</translation>
    </message>
    <message>
        <source>Công dân đã bổ sung đủ giấy tờ: thời hạn giải quyết tính lại từ bây giờ; giấy tiếp nhận mới (Mẫu 01) sẽ được in.</source>
        <translation>The citizen brought every missing paper: the time limit runs again from now; a new receipt (Mẫu 01) will be printed.</translation>
    </message>
    <message>
        <source>Chọn ngày hẹn mới và ghi lý do chậm trả; văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (Mẫu 04) sẽ được in.</source>
        <translation>Choose the new due date and give the reason for the delay; the letter of apology and request for more time (Form 04) will be printed.</translation>
    </message>
    <message>
        <source>Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết</source>
        <translation>Letter of apology and request for more time</translation>
    </message>
    <message>
        <source>Thông báo dừng giải quyết hồ sơ</source>
        <translation>Notice that processing has stopped</translation>
    </message>
    <message>
        <source>Không có bước chuyển trạng thái nào cho vai trò của bạn.</source>
        <translation>Your role has no status change to make here.</translation>
    </message>
    <message>
        <source>Đánh dấu giấy tờ còn thiếu và ghi lý do; phiếu yêu cầu bổ sung (Mẫu 02) sẽ được in.</source>
        <translation>Tick the missing documents and give the reason; the request to supplement (Form 02) will be printed.</translation>
    </message>
    <message>
        <source>&amp;Lý do:</source>
        <translation>&amp;Reason:</translation>
    </message>
    <message>
        <source>Ghi lý do từ chối, mỗi lý do một dòng; phiếu từ chối (Mẫu 03) sẽ được in.</source>
        <translation>Give the reasons for refusal, one per line; the refusal notice (Form 03) will be printed.</translation>
    </message>
    <message>
        <source>&amp;Lý do từ chối:</source>
        <translation>&amp;Reasons for refusal:</translation>
    </message>
    <message>
        <source>Chuyển hồ sơ {code} sang trạng thái “{status}”.</source>
        <translation>Move dossier {code} to “{status}”.</translation>
    </message>
    <message>
        <source>&amp;Ghi chú (không bắt buộc):</source>
        <translation>&amp;Note (optional):</translation>
    </message>
    <message>
        <source>Hồ sơ {code}: {status}</source>
        <translation>Dossier {code}: {status}</translation>
    </message>
    <message>
        <source>Hẹn lại ngày trả kết quả</source>
        <translation>New due date for the result</translation>
    </message>
    <message>
        <source>&amp;Lý do chậm trả:</source>
        <translation>&amp;Reason for the delay:</translation>
    </message>
    <message>
        <source>Phiếu yêu cầu bổ sung hồ sơ</source>
        <translation>Request to supplement</translation>
    </message>
    <message>
        <source>Phiếu từ chối tiếp nhận hồ sơ</source>
        <translation>Refusal notice</translation>
    </message>
    <message>
        <source>Phiếu kiểm soát quá trình giải quyết hồ sơ</source>
        <translation>Process control sheet</translation>
    </message>
    <message>
        <source>Giấy tiếp nhận hồ sơ và hẹn trả kết quả</source>
        <translation>Receipt and appointment</translation>
    </message>
</context>
<context>
    <name>DossierList</name>
    <message>
        <source>Mã hồ sơ</source>
        <extracomment>custom roles</extracomment>
        <translation>Dossier code</translation>
    </message>
    <message>
        <source>Người nộp</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Ngày nhận</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Hẹn trả</source>
        <translation>Due</translation>
    </message>
</context>
<context>
    <name>DossierListPage</name>
    <message>
        <source>Danh sách hồ sơ</source>
        <extracomment>column widths (the procedure takes what is left), wide and under NARROW_TABLE pixels</extracomment>
        <translation>Dossiers</translation>
    </message>
    <message>
        <source>Tìm hồ sơ</source>
        <translation>Search dossiers</translation>
    </message>
    <message>
        <source>Tìm theo mã hồ sơ, tên (có dấu hoặc không), số giấy tờ, điện thoại</source>
        <translation>Search by dossier code, name (diacritics optional), ID number, phone</translation>
    </message>
    <message>
        <source>Lọc theo trạng thái</source>
        <translation>Filter by status</translation>
    </message>
    <message>
        <source>Mọi trạng thái</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>Đang giải quyết (chưa xong)</source>
        <translation>In progress (not finished)</translation>
    </message>
    <message>
        <source>Lọc theo thủ tục</source>
        <translation>Filter by procedure</translation>
    </message>
    <message>
        <source>Lọc theo ngày nhận</source>
        <translation>Filter by receipt date</translation>
    </message>
    <message>
        <source>Từ ngày</source>
        <translation>From</translation>
    </message>
    <message>
        <source>Đến ngày</source>
        <translation>To</translation>
    </message>
    <message>
        <source>Chỉ hồ sơ &amp;quá hạn</source>
        <translation>&amp;Overdue only</translation>
    </message>
    <message>
        <source>Chỉ hồ sơ quá hạn</source>
        <translation>Overdue only</translation>
    </message>
    <message>
        <source>Chưa &amp;số hóa</source>
        <translation>Not &amp;digitised</translation>
    </message>
    <message>
        <source>Chỉ hồ sơ giấy chưa số hóa đủ</source>
        <translation>Only paper dossiers not fully digitised</translation>
    </message>
    <message>
        <source>Hồ sơ nộp giấy (trực tiếp, bưu chính) còn giấy tờ chưa quét hoặc đính kèm</source>
        <translation>Dossiers handed in on paper (at the counter, by post) with papers not scanned or attached yet</translation>
    </message>
    <message>
        <source>Số hồ sơ tìm thấy</source>
        <translation>Dossiers found</translation>
    </message>
    <message>
        <source>Làm &amp;mới</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>Bảng hồ sơ</source>
        <translation>Dossier table</translation>
    </message>
    <message>
        <source>đến</source>
        <translation>to</translation>
    </message>
    <message>
        <source>&amp;Tìm:</source>
        <translation>&amp;Search:</translation>
    </message>
    <message>
        <source>Dòng tô đỏ có dấu ⚠: hồ sơ quá hạn chưa giải quyết xong</source>
        <translation>Red rows marked ⚠: overdue dossiers not finished yet</translation>
    </message>
    <message>
        <source>Mọi thủ tục</source>
        <translation>All procedures</translation>
    </message>
    <message>
        <source>&amp;Nhận từ ngày</source>
        <translation>Received fro&amp;m</translation>
    </message>
    <message>
        <source>Hơn 1.000 hồ sơ khớp: hãy gõ thêm để thu hẹp</source>
        <translation>More than 1,000 dossiers match: type more to narrow down</translation>
    </message>
    <message>
        <source>{n} hồ sơ</source>
        <translation>{n} dossiers</translation>
    </message>
    <message>
        <source>Đang tải…</source>
        <translation>Loading…</translation>
    </message>
</context>
<context>
    <name>DossierPapers</name>
    <message>
        <source>Thành phần hồ sơ và lệ phí</source>
        <extracomment>a paper was chosen: (document code, its name) files were dropped on a paper&apos;s line (already chosen): (document code, paths)</extracomment>
        <translation>Documents and fees</translation>
    </message>
    <message>
        <source>Giấy tờ đã nhận</source>
        <translation>Documents received</translation>
    </message>
    <message>
        <source>Giấy tờ</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>Bản chính</source>
        <translation>Originals</translation>
    </message>
    <message>
        <source>Bản sao</source>
        <translation>Copies</translation>
    </message>
    <message>
        <source>Số hóa</source>
        <translation>Digitised</translation>
    </message>
    <message>
        <source>Chọn giấy tờ để xem trang; Ctrl+Shift+S quét vào giấy tờ đang chọn; kéo tệp thả vào dòng để đính kèm</source>
        <extracomment>the document code of each row of the checklist (``result`` for the result)</extracomment>
        <translation>Choose a paper to see its pages; Ctrl+Shift+S scans into the paper chosen; drop files on a line to attach them</translation>
    </message>
    <message>
        <source>Kết quả giải quyết</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Tổng: {total}</source>
        <translation>Total: {total}</translation>
    </message>
    <message>
        <source>Không thu phí</source>
        <translation>No fee</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Thiết lập quầy tiếp nhận lần đầu</source>
        <translation>First-time setup of the counter</translation>
    </message>
    <message>
        <source>Chào mừng! Trước khi tiếp nhận hồ sơ, hãy khai báo cơ quan của quầy này và tạo tài khoản quản trị đầu tiên. Mã định danh và số quầy dùng để tạo mã hồ sơ, không đổi được về sau.</source>
        <translation>Welcome! Before receiving dossiers, enter this counter’s agency and create the first administrator account. The agency code and the counter number make the dossier codes and cannot be changed later.</translation>
    </message>
    <message>
        <source>Mã định danh cơ quan</source>
        <translation>Agency code</translation>
    </message>
    <message>
        <source>Số quầy</source>
        <translation>Counter number</translation>
    </message>
    <message>
        <source>Cơ quan cấp trên</source>
        <translation>Parent authority</translation>
    </message>
    <message>
        <source>Địa chỉ trang tra cứu</source>
        <translation>Lookup page address</translation>
    </message>
    <message>
        <source>Cơ quan</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>&amp;Mã định danh:</source>
        <translation>Agency &amp;code:</translation>
    </message>
    <message>
        <source>&amp;Số quầy:</source>
        <translation>Counter &amp;number:</translation>
    </message>
    <message>
        <source>Cơ quan &amp;cấp trên:</source>
        <translation>Pa&amp;rent authority:</translation>
    </message>
    <message>
        <source>Tên đơn vị</source>
        <translation>Office name</translation>
    </message>
    <message>
        <source>Ví dụ: Xã Hòa Bình, Phường Ba Đình, Tỉnh Lào Cai, Bộ Tư pháp</source>
        <translation>For example: Xã Hòa Bình, Phường Ba Đình, Tỉnh Lào Cai, Bộ Tư pháp</translation>
    </message>
    <message>
        <source>Ví dụ: UBND tỉnh Lào Cai</source>
        <translation>For example: UBND tỉnh Lào Cai</translation>
    </message>
    <message>
        <source>Loại đơn vị</source>
        <translation>Kind of office</translation>
    </message>
    <message>
        <source>Tên in trên biểu mẫu</source>
        <translation>Name printed on the forms</translation>
    </message>
    <message>
        <source>&amp;Loại đơn vị:</source>
        <translation>&amp;Kind of office:</translation>
    </message>
    <message>
        <source>&amp;Tên đơn vị:</source>
        <translation>Office &amp;name:</translation>
    </message>
    <message>
        <source>Trang &amp;tra cứu:</source>
        <translation>&amp;Lookup page:</translation>
    </message>
    <message>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>Họ tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Nhập lại mật khẩu</source>
        <translation>Repeat the password</translation>
    </message>
    <message>
        <source>Tài khoản quản trị</source>
        <translation>Administrator account</translation>
    </message>
    <message>
        <source>Tên đăng &amp;nhập:</source>
        <translation>&amp;Username:</translation>
    </message>
    <message>
        <source>&amp;Họ tên:</source>
        <translation>&amp;Full name:</translation>
    </message>
    <message>
        <source>Mật &amp;khẩu:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>Nhập &amp;lại mật khẩu:</source>
        <translation>Repea&amp;t the password:</translation>
    </message>
    <message>
        <source>Bắt đầu sử dụng</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Quầy tiếp nhận và trả kết quả</source>
        <translation>Reception and result counter</translation>
    </message>
    <message>
        <source>Biểu mẫu sẽ ghi: {letterhead}. Trong câu: {name}.</source>
        <translation>Forms will read: {letterhead}. In a sentence: {name}.</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>Thứ Hai</source>
        <translation>Monday</translation>
    </message>
    <message>
        <source>Thứ Ba</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <source>Thứ Tư</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <source>Thứ Năm</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <source>Thứ Sáu</source>
        <translation>Friday</translation>
    </message>
    <message>
        <source>Thứ Bảy</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <source>Chủ Nhật</source>
        <translation>Sunday</translation>
    </message>
    <message>
        <source>{weekday}, {date} lúc {time}</source>
        <translation>{weekday}, {date} at {time}</translation>
    </message>
    <message>
        <source>Trực tiếp tại quầy</source>
        <translation>In person at the counter</translation>
    </message>
    <message>
        <source>Trực tuyến</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Qua bưu chính công ích</source>
        <translation>Public postal service</translation>
    </message>
    <message>
        <source>Công dân</source>
        <translation>Citizen</translation>
    </message>
    <message>
        <source>Tổ chức</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>Tại {office}</source>
        <translation>At {office}</translation>
    </message>
    <message>
        <source>Qua bưu chính</source>
        <translation>By post</translation>
    </message>
    <message>
        <source>Thẻ căn cước / CCCD (12 số)</source>
        <translation>Citizen ID card (12 digits)</translation>
    </message>
    <message>
        <source>CMND (9 số, đã hết hạn)</source>
        <translation>Old ID card, CMND (9 digits, expired)</translation>
    </message>
    <message>
        <source>Hộ chiếu</source>
        <translation>Passport</translation>
    </message>
    <message>
        <source>Giấy tờ khác</source>
        <translation>Other document</translation>
    </message>
    <message>
        <source>bắt buộc</source>
        <translation>required</translation>
    </message>
    <message>
        <source>tùy trường hợp</source>
        <translation>in some cases</translation>
    </message>
    <message>
        <source>nếu có</source>
        <translation>if any</translation>
    </message>
    <message>
        <source>Cán bộ tiếp nhận</source>
        <translation>Counter clerk</translation>
    </message>
    <message>
        <source>Lãnh đạo bộ phận</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Quản trị</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>Dữ liệu mẫu, không gửi lên cổng</source>
        <translation>Demo data, never sent to the portal</translation>
    </message>
    <message>
        <source>Chờ gửi lên cổng</source>
        <translation>Waiting to be sent to the portal</translation>
    </message>
    <message>
        <source>Đã đồng bộ với cổng</source>
        <translation>Synced with the portal</translation>
    </message>
    <message>
        <source>Cần người xử lý</source>
        <translation>Needs a person</translation>
    </message>
    <message>
        <source>Hồ sơ mới</source>
        <translation>New dossier</translation>
    </message>
    <message>
        <source>Đổi trạng thái</source>
        <translation>Status change</translation>
    </message>
    <message>
        <source>Hẹn lại ngày trả</source>
        <translation>New due date</translation>
    </message>
    <message>
        <source>tại quầy</source>
        <translation>at the counter</translation>
    </message>
    <message>
        <source>từ cổng dịch vụ công</source>
        <translation>from the public service portal</translation>
    </message>
    <message>
        <source>Trung tâm Phục vụ hành chính công xã, phường, đặc khu</source>
        <translation>Public service centre of a commune, ward or special zone</translation>
    </message>
    <message>
        <source>Trung tâm Phục vụ hành chính công tỉnh, thành phố</source>
        <translation>Public service centre of a province or city</translation>
    </message>
    <message>
        <source>Bộ phận Tiếp nhận và Trả kết quả của bộ, ngành</source>
        <translation>Receiving unit of a ministry</translation>
    </message>
    <message>
        <source>Cấp huyện (dữ liệu trước 01/7/2025)</source>
        <translation>District (data from before 1 July 2025)</translation>
    </message>
    <message>
        <source>Quá hạn</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>Quá hạn {n} ngày</source>
        <translation>Overdue by {n} day(s)</translation>
    </message>
</context>
<context>
    <name>GuidancePicker</name>
    <message>
        <source>Tiếp nhận từ phiếu hướng dẫn (Mẫu 02)</source>
        <translation>Receive from a guidance record (Mẫu 02)</translation>
    </message>
    <message>
        <source>Tìm phiếu hướng dẫn</source>
        <translation>Find a guidance record</translation>
    </message>
    <message>
        <source>Số phiếu (HD-…), tên người nộp hoặc số giấy tờ, không cần dấu</source>
        <translation>Guidance id (HD-…), applicant name or ID number, diacritics optional</translation>
    </message>
    <message>
        <source>Số phiếu</source>
        <translation>Guidance id</translation>
    </message>
    <message>
        <source>Hướng dẫn lúc</source>
        <translation>Guided at</translation>
    </message>
    <message>
        <source>Người nộp</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <source>Còn thiếu</source>
        <translation>Missing</translation>
    </message>
    <message>
        <source>Phiếu hướng dẫn chưa tiếp nhận</source>
        <translation>Guidance records not received yet</translation>
    </message>
    <message>
        <source>Đang đọc danh sách…</source>
        <translation>Reading the list…</translation>
    </message>
    <message>
        <source>Tiếp nhận &amp;hồ sơ này</source>
        <translation>&amp;Receive this dossier</translation>
    </message>
    <message>
        <source>Đó&amp;ng</source>
        <translation>C&amp;lose</translation>
    </message>
    <message>
        <source>&amp;Tìm:</source>
        <translation>&amp;Find:</translation>
    </message>
    <message>
        <source>Không có phiếu hướng dẫn nào chưa tiếp nhận phù hợp.</source>
        <translation>No matching guidance record waiting to be received.</translation>
    </message>
</context>
<context>
    <name>HandoversBox</name>
    <message>
        <source>Luân chuyển hồ sơ giữa các cơ quan</source>
        <translation>Hand-overs between agencies</translation>
    </message>
    <message>
        <source>Luân chuyển hồ sơ</source>
        <translation>Hand-overs</translation>
    </message>
    <message>
        <source>trước hạn</source>
        <translation>early</translation>
    </message>
    <message>
        <source>đúng hạn</source>
        <translation>on time</translation>
    </message>
    <message>
        <source>quá hạn</source>
        <translation>late</translation>
    </message>
    <message>
        <source>người giao: {who}, {timing}</source>
        <translation>handed over by {who}, {timing}</translation>
    </message>
</context>
<context>
    <name>Intake</name>
    <message>
        <source>Giấy tờ (đánh dấu: đã nhận)</source>
        <extracomment>a query finished loading its first page (rows shown) the number of dossiers matching the filter is known loading started/finished (for a busy indicator)</extracomment>
        <translation>Document (ticked: received)</translation>
    </message>
    <message>
        <source>Bản chính</source>
        <translation>Originals</translation>
    </message>
    <message>
        <source>Bản sao</source>
        <translation>Copies</translation>
    </message>
</context>
<context>
    <name>IntakeGuidance</name>
    <message>
        <source>Từ phiếu hướng dẫn… (Ctrl+H)</source>
        <extracomment>guidance was recorded (its view) its Mẫu 02 was rendered and sent: (guidance id, pdf bytes, destination)</extracomment>
        <translation>From a guidance record… (Ctrl+H)</translation>
    </message>
    <message>
        <source>Tiếp nhận từ phiếu hướng dẫn</source>
        <translation>Receive from a guidance record</translation>
    </message>
    <message>
        <source>Tình trạng hồ sơ</source>
        <translation>Dossier completeness</translation>
    </message>
    <message>
        <source>&amp;Lưu phiếu hướng dẫn và in Mẫu 02 (Ctrl+Enter)</source>
        <translation>&amp;Save the guidance and print Mẫu 02 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>&amp;Lưu và in giấy tiếp nhận (Ctrl+Enter)</source>
        <translation>&amp;Save and print the receipt (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Tiếp nhận từ phiếu hướng dẫn &lt;b&gt;{code}&lt;/b&gt;: thời hạn giải quyết tính từ lúc lưu.</source>
        <translation>Receiving from guidance &lt;b&gt;{code}&lt;/b&gt;: the time limit counts from the moment it is saved.</translation>
    </message>
    <message>
        <source>Chưa đủ giấy tờ bắt buộc: {names}. Lưu sẽ ghi phiếu hướng dẫn và in Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02); chưa cấp giấy tiếp nhận.</source>
        <translation>Required papers missing: {names}. Saving records guidance and prints the request to supplement and complete the dossier (Mẫu 02); no receipt yet.</translation>
    </message>
    <message>
        <source>Đã ghi phiếu hướng dẫn {code}; đang in Mẫu 02</source>
        <translation>Guidance {code} recorded; printing Mẫu 02</translation>
    </message>
</context>
<context>
    <name>IntakePage</name>
    <message>
        <source>Tiếp nhận hồ sơ</source>
        <extracomment>applicant values chosen from a list (they always have a value): not &quot;typed work&quot; a dossier was saved (its view) its receipt was rendered and sent: (code, pdf bytes, destination) the receipt could not be printed (the dossier is saved all the same) the hint about an earlier dossier of the same applicant changed open a dossier&apos;s detail (code) open a dossier&apos;s detail at its papers, to scan them (code) the catalogue and the calendar were read (again)</extracomment>
        <translation>Receive a dossier</translation>
    </message>
    <message>
        <source>Kênh nộp</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Nơi trả kết quả</source>
        <translation>Result collected</translation>
    </message>
    <message>
        <source>Số bộ hồ sơ</source>
        <translation>Number of sets</translation>
    </message>
    <message>
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Thành phần hồ sơ</source>
        <translation>Required documents</translation>
    </message>
    <message>
        <source>Phím cách: đánh dấu đã nhận / chưa nhận; gõ số để sửa số bản.</source>
        <translation>Space: mark received / not received; type a number to change a count.</translation>
    </message>
    <message>
        <source>&amp;Lưu và in giấy tiếp nhận (Ctrl+Enter)</source>
        <translation>&amp;Save and print the receipt (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Lưu và in giấy tiếp nhận</source>
        <translation>Save and print the receipt</translation>
    </message>
    <message>
        <source>Nhập &amp;mới</source>
        <translation>Ne&amp;w dossier</translation>
    </message>
    <message>
        <source>Xóa để nhập hồ sơ mới</source>
        <translation>Clear the form for a new dossier</translation>
    </message>
    <message>
        <source>Hồ sơ vừa tiếp nhận</source>
        <translation>Dossier just received</translation>
    </message>
    <message>
        <source>In lại giấy tiếp nhận (Ctrl+P)</source>
        <translation>Print the receipt again (Ctrl+P)</translation>
    </message>
    <message>
        <source>Xem hồ sơ &amp;vừa nhận</source>
        <translation>Open the dossier &amp;just received</translation>
    </message>
    <message>
        <source>&amp;Quét giấy tờ vừa nhận (Ctrl+Shift+S)</source>
        <translation>Scan the papers just receive&amp;d (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <source>Quét, đính kèm giấy tờ hồ sơ vừa nhận</source>
        <translation>Scan or attach the papers of the dossier just received</translation>
    </message>
    <message>
        <source>Nơi t&amp;rả kết quả:</source>
        <translation>&amp;Result delivery:</translation>
    </message>
    <message>
        <source>chưa có tên</source>
        <translation>no name yet</translation>
    </message>
    <message>
        <source>Tiếp nhận</source>
        <translation>Intake</translation>
    </message>
    <message>
        <source>&amp;Kênh nộp:</source>
        <translation>&amp;Channel:</translation>
    </message>
    <message>
        <source>Số &amp;bộ:</source>
        <translation>Se&amp;ts:</translation>
    </message>
    <message>
        <source>&amp;Ghi chú:</source>
        <translation>&amp;Note:</translation>
    </message>
    <message>
        <source>Chưa chọn thủ tục</source>
        <translation>No procedure chosen</translation>
    </message>
    <message>
        <source>Lưu ý: số giấy tờ này đã nộp thủ tục này {n} lần trong 30 ngày qua, gần nhất là hồ sơ {code} ngày {date} ({status}).</source>
        <translation>Note: this ID number filed this procedure {n} time(s) in the last 30 days, most recently dossier {code} on {date} ({status}).</translation>
    </message>
    <message>
        <source>Hồ sơ chưa lưu: hãy sửa các ô được đánh dấu đỏ</source>
        <translation>Not saved: correct the fields marked in red</translation>
    </message>
    <message>
        <source>Đang lưu…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>Đã tiếp nhận hồ sơ &lt;b&gt;{code}&lt;/b&gt; của {name}. Hẹn trả: {due}.</source>
        <translation>Received dossier &lt;b&gt;{code}&lt;/b&gt; of {name}. Due: {due}.</translation>
    </message>
    <message>
        <source>Đã tiếp nhận hồ sơ {code}, hẹn trả {due}</source>
        <translation>Received dossier {code}, due {due}</translation>
    </message>
    <message>
        <source>Hồ sơ của {name} chưa đủ giấy tờ: đã ghi phiếu hướng dẫn &lt;b&gt;{code}&lt;/b&gt;.</source>
        <translation>{name}&apos;s dossier is incomplete: guidance &lt;b&gt;{code}&lt;/b&gt; recorded.</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <source>Màn hình đã khóa</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <source>Đăng nhập tài khoản &amp;khác</source>
        <translation>Sign in as &amp;another user</translation>
    </message>
    <message>
        <source>Đăng nhập tài khoản khác</source>
        <translation>Sign in as another user</translation>
    </message>
    <message>
        <source>Lý do khóa</source>
        <translation>Why the screen is locked</translation>
    </message>
    <message>
        <source>Quầy đã tự khóa vì không có thao tác.</source>
        <translation>The counter locked itself: nobody used it for a while.</translation>
    </message>
    <message>
        <source>Quầy đã được khóa.</source>
        <translation>The counter was locked.</translation>
    </message>
    <message>
        <source>{name}, hãy nhập mật khẩu để tiếp tục; hồ sơ đang nhập dở vẫn được giữ. Đăng nhập tài khoản khác sẽ hỏi trước khi bỏ hồ sơ đang nhập dở.</source>
        <translation>{name}, type your password to go on; a dossier half typed is kept. Signing in as another user asks before a half-typed dossier is dropped.</translation>
    </message>
</context>
<context>
    <name>LookupWidget</name>
    <message>
        <source>Tra cứu hồ sơ</source>
        <translation>Dossier lookup</translation>
    </message>
    <message>
        <source>TRA CỨU TÌNH TRẠNG HỒ SƠ</source>
        <translation>DOSSIER STATUS LOOKUP</translation>
    </message>
    <message>
        <source>Đưa mã vạch trên giấy tiếp nhận vào máy quét, hoặc nhập mã hồ sơ rồi nhấn Enter.</source>
        <translation>Hold the barcode of your receipt under the scanner, or type the dossier code and press Enter.</translation>
    </message>
    <message>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <source>Mã hồ sơ, ví dụ 000.00.36.H62-261126-1001</source>
        <translation>Dossier code, e.g. 000.00.36.H62-261126-1001</translation>
    </message>
    <message>
        <source>Tình trạng hồ sơ</source>
        <translation>Dossier status</translation>
    </message>
    <message>
        <source>Chi tiết</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Không tìm thấy hồ sơ</source>
        <translation>Dossier not found</translation>
    </message>
    <message>
        <source>Hãy kiểm tra lại mã trên giấy tiếp nhận, hoặc hỏi cán bộ tại quầy.</source>
        <translation>Please check the code on your receipt, or ask at the counter.</translation>
    </message>
    <message>
        <source>Người nộp: {name}</source>
        <translation>Applicant: {name}</translation>
    </message>
    <message>
        <source>Ngày nhận: {date}</source>
        <translation>Received: {date}</translation>
    </message>
    <message>
        <source>Hẹn trả kết quả: {date}</source>
        <translation>Result due: {date}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Kết quả đã có: mời ông/bà đến quầy để nhận.&lt;/b&gt;</source>
        <translation>&lt;b&gt;The result is ready: please collect it at the counter.&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Hồ sơ đang chậm so với ngày hẹn; {office} sẽ báo ngày hẹn mới.</source>
        <translation>The dossier is behind its due date; {office} will give a new date.</translation>
    </message>
    <message>
        <source>Cổng dịch vụ công xác nhận lần cuối: {at}</source>
        <translation>Last confirmed by the public service portal: {at}</translation>
    </message>
    <message>
        <source>Chưa được cổng dịch vụ công xác nhận.</source>
        <translation>Not yet confirmed by the public service portal.</translation>
    </message>
</context>
<context>
    <name>LookupWindow</name>
    <message>
        <source>Tra cứu hồ sơ</source>
        <translation>Dossier lookup</translation>
    </message>
    <message>
        <source>Đóng màn hình tra cứu (Esc)</source>
        <translation>Close the lookup screen (Esc)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>{office} – Quầy tiếp nhận số {n} – {user}</source>
        <translation>{office} – Counter {n} – {user}</translation>
    </message>
    <message>
        <source>Các màn hình</source>
        <translation>Screens</translation>
    </message>
    <message>
        <source>Đơn vị</source>
        <extracomment>the side bar&apos;s width, and the window width under which it narrows where the window was and whether it was maximised, in the data folder (this PC&apos;s) a dossier&apos;s detail was read and its dialog opened (the dialog)</extracomment>
        <translation>Office</translation>
    </message>
    <message>
        <source>Tiếp nhận hồ sơ</source>
        <translation>Receive a dossier</translation>
    </message>
    <message>
        <source>Danh sách hồ sơ</source>
        <translation>Dossiers</translation>
    </message>
    <message>
        <source>Tra cứu cho công dân</source>
        <translation>Lookup for citizens</translation>
    </message>
    <message>
        <source>Đồng bộ với cổng</source>
        <translation>Portal sync</translation>
    </message>
    <message>
        <source>Báo cáo ngày</source>
        <translation>Daily summary</translation>
    </message>
    <message>
        <source>Sổ theo dõi hồ sơ</source>
        <translation>Tracking book</translation>
    </message>
    <message>
        <source>Lịch làm việc</source>
        <translation>Working calendar</translation>
    </message>
    <message>
        <source>Tài khoản</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <source>Thiết lập</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>{name}
{role}</source>
        <translation>{name}
{role}</translation>
    </message>
    <message>
        <source>Tệ&amp;p</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>Trợ g&amp;iúp</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>&amp;Khóa màn hình</source>
        <translation>&amp;Lock the screen</translation>
    </message>
    <message>
        <source>&amp;Sao lưu dữ liệu</source>
        <translation>&amp;Back up the data</translation>
    </message>
    <message>
        <source>Đăng &amp;xuất</source>
        <translation>Sign &amp;out</translation>
    </message>
    <message>
        <source>T&amp;hoát</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Xem</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>Màn hình &amp;tra cứu toàn màn hình</source>
        <translation>Full-screen look&amp;up screen</translation>
    </message>
    <message>
        <source>&amp;Đồng bộ ngay</source>
        <translation>&amp;Sync now</translation>
    </message>
    <message>
        <source>&amp;Ngôn ngữ</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>&amp;Phím tắt</source>
        <translation>&amp;Keyboard shortcuts</translation>
    </message>
    <message>
        <source>Phím tắt</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>F2: Tiếp nhận hồ sơ
F3: Danh sách hồ sơ
F4: Tra cứu
F5: Đồng bộ
F6–F9: Báo cáo ngày, sổ theo dõi, lịch, tài khoản (theo vai trò)
F10: Thiết lập

Ctrl+Enter: Lưu hồ sơ và in giấy tiếp nhận (hoặc xác nhận hộp ghi chú)
Ctrl+H: Tiếp nhận từ phiếu hướng dẫn
Enter hoặc mũi tên xuống trong ô tìm: vào danh sách kết quả; Enter: xem hồ sơ; Esc: về ô tìm
Ctrl+L: Khóa màn hình
Ctrl+Shift+L: Đăng xuất
Ctrl+Shift+F: Màn hình tra cứu cho công dân
Ctrl+Q: Thoát
F12: Đến thông báo mới nhất (Esc: đóng)
Alt + chữ gạch chân: đến ô hoặc nút đó</source>
        <translation>F2: Receive a dossier
F3: Dossier list
F4: Lookup
F5: Sync
F6–F9: Daily report, tracking book, calendar, accounts (by role)
F10: Settings

Ctrl+Enter: Save the dossier and print the receipt (or confirm a note box)
Ctrl+H: Receive from a guidance record
Enter or Down in a search box: into the results; Enter: open the dossier; Esc: back to the search
Ctrl+L: Lock the screen
Ctrl+Shift+L: Sign out
Ctrl+Shift+F: Lookup screen for citizens
Ctrl+Q: Quit
F12: Go to the newest message (Esc: close it)
Alt + underlined letter: go to that field or button</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Hồ sơ đang nhập dở ({what}) chưa được lưu. {leaving} sẽ bỏ hồ sơ này.</source>
        <translation>The dossier being typed ({what}) is not saved. {leaving} drops it.</translation>
    </message>
    <message>
        <source>Ở &amp;lại để lưu</source>
        <translation>&amp;Stay and save it</translation>
    </message>
    <message>
        <source>&amp;Bỏ hồ sơ và tiếp tục</source>
        <translation>&amp;Drop it and go on</translation>
    </message>
    <message>
        <source>Đăng xuất</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>Đã sao lưu vào {path}</source>
        <translation>Backed up to {path}</translation>
    </message>
    <message>
        <source>{office} · quầy số {n}</source>
        <translation>{office} · counter {n}</translation>
    </message>
</context>
<context>
    <name>Notice</name>
    <message>
        <source>Mở</source>
        <extracomment>how long a message stays (a message about a file stays longer: its path is to be read) how many messages stay at most; the oldest goes first</extracomment>
        <translation>Open</translation>
    </message>
    <message>
        <source>Mở tệp {name}</source>
        <translation>Open the file {name}</translation>
    </message>
    <message>
        <source>Đóng thông báo (Esc)</source>
        <translation>Close the message (Esc)</translation>
    </message>
    <message>
        <source>Đóng thông báo</source>
        <translation>Close the message</translation>
    </message>
</context>
<context>
    <name>NoticeArea</name>
    <message>
        <source>Thông báo</source>
        <translation>Messages</translation>
    </message>
    <message>
        <source>Đến thông báo mới nhất</source>
        <extracomment>F12: the keyboard to the newest message (added to the window&apos;s actions)</extracomment>
        <translation>Go to the newest message</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>Lỗi không mong muốn</source>
        <extracomment>a message for the clerk the same message, and the file it is about (a ``Path``) or None</extracomment>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <source>Chương trình gặp lỗi không mong muốn. Thao tác vừa rồi có thể chưa hoàn tất.
Chi tiết đã được ghi vào nhật ký (thư mục logs trong thư mục dữ liệu). Hãy báo cho người quản trị.</source>
        <translation>The program met an unexpected error. The last action may not have been completed.
The details are in the log (the logs folder in the data folder). Please tell your administrator.</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>PageView</name>
    <message>
        <source>Các trang</source>
        <translation>Pages</translation>
    </message>
    <message>
        <source>Máy này chưa có thành phần xem PDF.</source>
        <translation>This computer has no PDF viewer component.</translation>
    </message>
    <message>
        <source>Trang đang xem</source>
        <translation>Page shown</translation>
    </message>
    <message>
        <source>Trang {n}</source>
        <translation>Page {n}</translation>
    </message>
    <message>
        <source>Chưa có trang nào: quét (Ctrl+Shift+S), thêm tệp, hoặc kéo tệp thả vào dòng giấy tờ.</source>
        <translation>No pages yet: scan (Ctrl+Shift+S), add files, or drop files on the paper&apos;s line.</translation>
    </message>
    <message>
        <source>Trang {n}/{count}. Trong khung trang: PageUp/PageDown lật trang, + và − phóng to, thu nhỏ, 0 vừa khung.</source>
        <translation>Page {n}/{count}. In the page: PageUp/PageDown turn pages, + and − zoom in and out, 0 fits the width.</translation>
    </message>
</context>
<context>
    <name>PagesPanel</name>
    <message>
        <source>chưa số hóa</source>
        <translation>not digitised</translation>
    </message>
    <message>
        <source>{n} trang</source>
        <translation>{n} pages</translation>
    </message>
    <message>
        <source>(bản {version})</source>
        <translation>(version {version})</translation>
    </message>
    <message>
        <source>Trang số hóa</source>
        <extracomment>pages were stored (the new version): the dossier should be read again the scanner started page n (from the scan worker; shown on the GUI thread)</extracomment>
        <translation>Digitised pages</translation>
    </message>
    <message>
        <source>Chọn một giấy tờ trong danh sách bên trên.</source>
        <translation>Choose a paper in the list above.</translation>
    </message>
    <message>
        <source>Bản số hóa</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Bản &amp;số hóa:</source>
        <translation>&amp;Version:</translation>
    </message>
    <message>
        <source>Q&amp;uét (Ctrl+Shift+S)</source>
        <translation>Scan (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <source>Quét vào giấy tờ đang chọn</source>
        <translation>Scan into the paper chosen</translation>
    </message>
    <message>
        <source>Quét bằng máy quét trong phần thiết lập vào giấy tờ đang chọn</source>
        <translation>Scan with the scanner of the settings into the paper chosen</translation>
    </message>
    <message>
        <source>Thê&amp;m tệp…</source>
        <translation>Add &amp;files…</translation>
    </message>
    <message>
        <source>Thêm tệp PDF hoặc ảnh</source>
        <translation>Add PDF or image files</translation>
    </message>
    <message>
        <source>tự động</source>
        <translation>automatic</translation>
    </message>
    <message>
        <source>Số tờ cần quét</source>
        <translation>Sheets to scan</translation>
    </message>
    <message>
        <source>Tự động: một tờ trên mặt kính, hết khay với khay nạp giấy. Ghi số tờ để máy quét báo khi khay hết giấy sớm hơn (kẹt giấy, kéo hai tờ).</source>
        <translation>Automatic: one sheet from the glass, every sheet from a feeder. Give the number of sheets to have the scanner say when the feeder runs out early (a jam, two sheets pulled at once).</translation>
    </message>
    <message>
        <source>Số tờ:</source>
        <translation>Sheets:</translation>
    </message>
    <message>
        <source>Hủ&amp;y quét</source>
        <translation>Canc&amp;el the scan</translation>
    </message>
    <message>
        <source>Tiến trình quét</source>
        <translation>Scanning progress</translation>
    </message>
    <message>
        <source>Lỗi số hóa</source>
        <translation>Digitisation error</translation>
    </message>
    <message>
        <source>quét</source>
        <translation>scanned</translation>
    </message>
    <message>
        <source>tệp</source>
        <translation>file</translation>
    </message>
    <message>
        <source>thư mục quét</source>
        <translation>scan folder</translation>
    </message>
    <message>
        <source>Bản {version}: {pages} trang, {source}, {at}, {by}</source>
        <translation>Version {version}: {pages} pages, {source}, {at}, {by}</translation>
    </message>
    <message>
        <source>Đang quét…</source>
        <translation>Scanning…</translation>
    </message>
    <message>
        <source>Đang quét trang {n}…</source>
        <translation>Scanning page {n}…</translation>
    </message>
    <message>
        <source>Đang dừng máy quét…</source>
        <translation>Stopping the scanner…</translation>
    </message>
    <message>
        <source>Đã hủy quét: không lưu trang nào</source>
        <translation>Scan cancelled: no page stored</translation>
    </message>
    <message>
        <source>Máy quét dừng giữa chừng</source>
        <translation>The scanner stopped part-way</translation>
    </message>
    <message>
        <source>Giữ {n} trang đã quét, hay bỏ để quét lại từ đầu?</source>
        <translation>Keep the {n} pages scanned, or drop them and scan again from the start?</translation>
    </message>
    <message>
        <source>&amp;Giữ {n} trang</source>
        <translation>&amp;Keep {n} pages</translation>
    </message>
    <message>
        <source>&amp;Bỏ, không lưu</source>
        <translation>&amp;Drop them</translation>
    </message>
    <message>
        <source>Không lưu trang nào của lần quét này</source>
        <translation>No page of this scan stored</translation>
    </message>
    <message>
        <source>Chọn tệp để đính kèm</source>
        <translation>Choose files to attach</translation>
    </message>
    <message>
        <source>PDF và ảnh ({patterns})</source>
        <translation>PDF and images ({patterns})</translation>
    </message>
    <message>
        <source>Mọi tệp (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <source>Đang lưu trang…</source>
        <translation>Storing the pages…</translation>
    </message>
    <message>
        <source>Đã lưu {pages} trang ({doc}, bản {version})</source>
        <translation>Stored {pages} pages ({doc}, version {version})</translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <source>Máy này chưa có thành phần xem trước PDF; vẫn in và lưu được.</source>
        <extracomment>emitted on the GUI thread once a print job was queued: (destination)</extracomment>
        <translation>This computer has no PDF preview component; printing and saving still work.</translation>
    </message>
    <message>
        <source>Bản xem trước</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>In nga&amp;y</source>
        <translation>Print &amp;now</translation>
    </message>
    <message>
        <source>In ra máy in đã chọn trong phần thiết lập</source>
        <translation>Print on the printer chosen in the settings</translation>
    </message>
    <message>
        <source>Chọn &amp;máy in…</source>
        <translation>Choose a &amp;printer…</translation>
    </message>
    <message>
        <source>&amp;Lưu PDF…</source>
        <translation>&amp;Save PDF…</translation>
    </message>
    <message>
        <source>{n} trang</source>
        <translation>{n} page(s)</translation>
    </message>
    <message>
        <source>Đã gửi “{title}” tới máy in</source>
        <translation>“{title}” sent to the printer</translation>
    </message>
    <message>
        <source>Đã gửi “{title}” tới máy in; bản PDF lưu tại {path}</source>
        <translation>Sent “{title}” to the printer; the PDF is kept at {path}</translation>
    </message>
    <message>
        <source>Chọn máy in</source>
        <translation>Choose a printer</translation>
    </message>
    <message>
        <source>Lưu PDF</source>
        <translation>Save PDF</translation>
    </message>
    <message>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>Đã lưu {path}</source>
        <translation>Saved {path}</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>Đó&amp;ng</source>
        <translation>&amp;Close</translation>
    </message>
</context>
<context>
    <name>PrinterChoice</name>
    <message>
        <source>(máy in mặc định của hệ thống)</source>
        <extracomment>the queues were listed (or the print system could not be asked)</extracomment>
        <translation>(the system&apos;s default printer)</translation>
    </message>
    <message>
        <source>{name} – máy in mặc định của hệ thống</source>
        <translation>{name} – the system&apos;s default printer</translation>
    </message>
    <message>
        <source>Máy này chưa có máy in nào tên “{name}” (chưa có máy in nào được cài). Để trống để dùng máy in mặc định, hoặc cài máy in trước.</source>
        <translation>This computer has no printer named “{name}” (no printer is set up yet). Leave it empty to use the default printer, or set up a printer first.</translation>
    </message>
    <message>
        <source>Máy này không có máy in tên “{name}”. Chọn một máy in trong danh sách (Alt+Mũi tên xuống): {names}.</source>
        <translation>This computer has no printer named “{name}”. Choose a printer from the list (Alt+Down): {names}.</translation>
    </message>
</context>
<context>
    <name>ProcedureBox</name>
    <message>
        <source>Thủ tục hành chính</source>
        <extracomment>how often the due date shown is counted again (the 15:00 cut-off, the end of a day) a procedure was chosen (its ``ProcedureView``) the procedure chosen before was let go (the field was edited)</extracomment>
        <translation>Administrative procedure</translation>
    </message>
    <message>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <source>Gõ mã hoặc tên thủ tục, không cần dấu (ví dụ: khai sinh)</source>
        <translation>Type the procedure’s code or name, diacritics optional (e.g. khai sinh)</translation>
    </message>
    <message>
        <source>Danh sách thủ tục phù hợp</source>
        <translation>Matching procedures</translation>
    </message>
    <message>
        <source>Thủ tục đã chọn</source>
        <translation>Chosen procedure</translation>
    </message>
    <message>
        <source>Ngày hẹn trả kết quả</source>
        <translation>Result due date</translation>
    </message>
    <message>
        <source>&amp;Thủ tục:</source>
        <translation>&amp;Procedure:</translation>
    </message>
    <message>
        <source>Lĩnh vực:</source>
        <translation>Field:</translation>
    </message>
    <message>
        <source>Thời hạn giải quyết:</source>
        <translation>Legal processing time:</translation>
    </message>
    <message>
        <source>Phí, lệ phí:</source>
        <translation>Fees:</translation>
    </message>
    <message>
        <source>Cơ quan giải quyết:</source>
        <translation>Processing agency:</translation>
    </message>
    <message>
        <source>Hẹn trả kết quả:</source>
        <translation>Result due:</translation>
    </message>
    <message>
        <source>Danh mục thủ tục còn trống: quản trị nhập danh mục ở Thiết lập (F10)</source>
        <translation>The procedure catalogue is empty: an administrator imports one in Settings (F10)</translation>
    </message>
    <message>
        <source>Không có thủ tục nào khớp</source>
        <translation>No procedure matches</translation>
    </message>
    <message>
        <source>Chưa chọn thủ tục</source>
        <translation>No procedure chosen</translation>
    </message>
    <message>
        <source>Không thu phí</source>
        <translation>No fee</translation>
    </message>
</context>
<context>
    <name>RatingScreen</name>
    <message>
        <source>Đánh giá mức độ hài lòng</source>
        <translation>Rate our service</translation>
    </message>
    <message>
        <source>Esc: quay lại</source>
        <translation>Esc: back</translation>
    </message>
    <message>
        <source>Ông/bà có hài lòng với việc giải quyết hồ sơ?</source>
        <translation>Are you satisfied with how your dossier was handled?</translation>
    </message>
    <message>
        <source>Hồ sơ {code}. Chạm vào một ô hoặc bấm phím 1, 2, 3.</source>
        <translation>Dossier {code}. Touch a box or press 1, 2 or 3.</translation>
    </message>
    <message>
        <source>Điều gì chưa làm ông/bà hài lòng?</source>
        <translation>What did not satisfy you?</translation>
    </message>
    <message>
        <source>Chạm vào một ô hoặc bấm phím số.</source>
        <translation>Touch a box or press its number.</translation>
    </message>
    <message>
        <source>Cảm ơn ông/bà đã đánh giá!</source>
        <translation>Thank you for your rating!</translation>
    </message>
</context>
<context>
    <name>SettingRow</name>
    <message>
        <source>(đã đặt – để trống nếu không đổi)</source>
        <translation>(set – leave empty to keep it)</translation>
    </message>
    <message>
        <source>Chọn thư mục…</source>
        <translation>Choose a folder…</translation>
    </message>
    <message>
        <source>Chọn thư mục quét</source>
        <translation>Choose the scan folder</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Mã định danh cơ quan</source>
        <extracomment>the watched scan folder: a line to type in, and a button for the folder dialog</extracomment>
        <translation>Agency code</translation>
    </message>
    <message>
        <source>Tên đơn vị</source>
        <translation>Office name</translation>
    </message>
    <message>
        <source>Số quầy (1-9)</source>
        <translation>Counter number (1-9)</translation>
    </message>
    <message>
        <source>Cơ quan cấp trên</source>
        <translation>Parent authority</translation>
    </message>
    <message>
        <source>Địa chỉ trang tra cứu</source>
        <translation>Lookup page address</translation>
    </message>
    <message>
        <source>Địa danh trên biểu mẫu</source>
        <translation>Place name on forms</translation>
    </message>
    <message>
        <source>Địa chỉ trụ sở</source>
        <translation>Office address</translation>
    </message>
    <message>
        <source>Điện thoại liên hệ</source>
        <translation>Contact phone</translation>
    </message>
    <message>
        <source>Địa chỉ cổng dịch vụ công</source>
        <translation>Public service portal address</translation>
    </message>
    <message>
        <source>Mã truy cập của quầy</source>
        <translation>Counter’s access token</translation>
    </message>
    <message>
        <source>Chờ kết nối (giây)</source>
        <translation>Connect timeout (seconds)</translation>
    </message>
    <message>
        <source>Chờ phản hồi (giây)</source>
        <translation>Read timeout (seconds)</translation>
    </message>
    <message>
        <source>Kiểm tra chứng chỉ TLS</source>
        <translation>Verify TLS certificates</translation>
    </message>
    <message>
        <source>Số mục gửi mỗi lần</source>
        <translation>Entries per batch</translation>
    </message>
    <message>
        <source>Chu kỳ đồng bộ (giây)</source>
        <translation>Sync interval (seconds)</translation>
    </message>
    <message>
        <source>Máy quét (tên SANE; để trống: máy đầu tiên)</source>
        <translation>Scanner (SANE name; empty: the first found)</translation>
    </message>
    <message>
        <source>Khay giấy (để trống: mặc định)</source>
        <translation>Paper source (empty: the default)</translation>
    </message>
    <message>
        <source>Thư mục quét (máy photocopy lưu tệp vào đây)</source>
        <translation>Scan folder (where a copier saves its files)</translation>
    </message>
    <message>
        <source>Dung lượng tối đa một tệp (MB)</source>
        <translation>Largest file accepted (MB)</translation>
    </message>
    <message>
        <source>Màn hình đánh giá (khi trả kết quả)</source>
        <translation>Rating screen (at hand-back)</translation>
    </message>
    <message>
        <source>Màn hình đánh giá tự đóng sau (giây)</source>
        <translation>Rating screen closes after (seconds)</translation>
    </message>
    <message>
        <source>Số hóa, máy quét</source>
        <translation>Digitisation, scanner</translation>
    </message>
    <message>
        <source>Cổng và đồng bộ</source>
        <translation>Portal and sync</translation>
    </message>
    <message>
        <source>Giờ làm việc</source>
        <translation>Working hours</translation>
    </message>
    <message>
        <source>In, số hóa, sổ, danh mục</source>
        <translation>Printing, digitisation, book, catalogue</translation>
    </message>
    <message>
        <source>Loại đơn vị</source>
        <translation>Kind of office</translation>
    </message>
    <message>
        <source>Cơ quan chủ quản (để trống: Ủy ban nhân dân của địa phương)</source>
        <translation>Authority (empty: the local people&apos;s committee)</translation>
    </message>
    <message>
        <source>Giờ làm việc (tính thời hạn)</source>
        <translation>Working hours (counted)</translation>
    </message>
    <message>
        <source>Ngày làm việc trong tuần, tính thời hạn (1 = thứ Hai)</source>
        <translation>Working days of the week, counted (1 = Monday)</translation>
    </message>
    <message>
        <source>Ngày mở cửa thêm, không tính thời hạn (6 = thứ Bảy)</source>
        <translation>Extra opening days, not counted (6 = Saturday)</translation>
    </message>
    <message>
        <source>Giờ mở cửa những ngày đó</source>
        <translation>Opening hours on those days</translation>
    </message>
    <message>
        <source>Số mã mỗi quầy mỗi ngày</source>
        <translation>Codes per counter per day</translation>
    </message>
    <message>
        <source>Khổ giấy biên nhận</source>
        <translation>Receipt paper</translation>
    </message>
    <message>
        <source>Quyển sổ theo dõi (để trống: theo năm)</source>
        <translation>Tracking book volume (empty: the year)</translation>
    </message>
    <message>
        <source>Ngôn ngữ giao diện</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <source>Tự khóa sau (phút, 0 = không khóa)</source>
        <translation>Lock after (minutes, 0 = never)</translation>
    </message>
    <message>
        <source>Màn hình tra cứu tự xóa sau (giây)</source>
        <translation>Lookup screen clears after (seconds)</translation>
    </message>
    <message>
        <source>Cơ quan và quầy</source>
        <extracomment>the letters of the main window&apos;s menu bar, when the page is shown without one</extracomment>
        <translation>Agency and counter</translation>
    </message>
    <message>
        <source>Cổng dịch vụ công</source>
        <translation>Public service portal</translation>
    </message>
    <message>
        <source>Đồng bộ</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>Máy in</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>Giờ làm việc và giờ mở cửa</source>
        <translation>Working and opening hours</translation>
    </message>
    <message>
        <source>Giao diện</source>
        <translation>Interface</translation>
    </message>
    <message>
        <source>Sổ theo dõi</source>
        <translation>Tracking book</translation>
    </message>
    <message>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <source>A5 (hai liên, hai trang)</source>
        <translation>A5 (two copies, two pages)</translation>
    </message>
    <message>
        <source>A4 (hai liên trên một trang)</source>
        <translation>A4 (both copies on one sheet)</translation>
    </message>
    <message>
        <source>Giấy in nhiệt 80 mm</source>
        <translation>80 mm thermal paper</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Thiết lập</source>
        <extracomment>the settings changed by a save, with their values as stored the settings were read (again) and their rows built</extracomment>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Nhóm thiết lập</source>
        <translation>Settings groups</translation>
    </message>
    <message>
        <source>&amp;Lưu thiết lập</source>
        <translation>&amp;Save settings</translation>
    </message>
    <message>
        <source>&amp;Hoàn tác</source>
        <translation>&amp;Undo changes</translation>
    </message>
    <message>
        <source>Chỉ người quản trị sửa được các mục bị làm mờ.</source>
        <translation>Only an administrator can change the greyed-out items.</translation>
    </message>
    <message>
        <source>Có thiết lập chưa hợp lệ: xem các dòng đánh dấu đỏ</source>
        <translation>Some settings are invalid: see the lines marked in red</translation>
    </message>
    <message>
        <source>Không có thay đổi</source>
        <translation>Nothing changed</translation>
    </message>
    <message>
        <source>Đã lưu {n} thiết lập</source>
        <translation>{n} setting(s) saved</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>Quầy tiếp nhận một cửa</source>
        <translation>One-stop counter</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Đăng nhập</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>{authority} – quầy số {n}</source>
        <translation>{authority} – counter {n}</translation>
    </message>
    <message>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>SignInForm</name>
    <message>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Thông báo đăng nhập</source>
        <translation>Sign-in message</translation>
    </message>
    <message>
        <source>Đăng &amp;nhập</source>
        <translation>&amp;Sign in</translation>
    </message>
    <message>
        <source>&amp;Tên đăng nhập:</source>
        <translation>&amp;Username:</translation>
    </message>
    <message>
        <source>&amp;Mật khẩu:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>Hãy nhập tên đăng nhập và mật khẩu</source>
        <translation>Enter your username and password</translation>
    </message>
    <message>
        <source>Đang kiểm tra…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <source>Đang đồng bộ; kết quả sẽ báo khi xong.</source>
        <extracomment>the round running was asked for by the clerk: its outcome is said</extracomment>
        <translation>Syncing; the outcome will be shown when it is done.</translation>
    </message>
    <message>
        <source>Đồng bộ xong: gửi {pushed}, nhận {pulled}, còn chờ gửi {pending}.</source>
        <translation>Sync done: {pushed} sent, {pulled} received, {pending} still waiting.</translation>
    </message>
    <message>
        <source>Chưa cấu hình cổng dịch vụ công (địa chỉ và mã truy cập)</source>
        <translation>The portal is not configured yet (address and token)</translation>
    </message>
    <message>
        <source>Chưa đồng bộ được: {why}</source>
        <translation>Could not sync: {why}</translation>
    </message>
    <message>
        <source>Chưa đồng bộ được: chưa cấu hình cổng dịch vụ công. Người quản trị nhập địa chỉ cổng và mã truy cập của quầy ở Thiết lập (F10), thẻ “Cổng và đồng bộ”, rồi bấm “Lưu thiết lập”.</source>
        <translation>Could not sync: the public service portal is not configured. An admin enters the portal&apos;s address and this counter&apos;s token in Settings (F10), tab “Portal and sync”, then presses “Save settings”.</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Đồng bộ với cổng dịch vụ công</source>
        <translation>Sync with the public service portal</translation>
    </message>
    <message>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <source>Nội dung</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>Tạo lúc</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>Số lần gửi</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Mục cần xử lý</source>
        <translation>Entries that need attention</translation>
    </message>
    <message>
        <source>&amp;Gửi lại mục đã chọn</source>
        <translation>&amp;Send the selected entry again</translation>
    </message>
    <message>
        <source>Xem &amp;hồ sơ</source>
        <translation>Open the &amp;dossier</translation>
    </message>
    <message>
        <source>Đồng bộ &amp;ngay</source>
        <translation>Sync &amp;now</translation>
    </message>
    <message>
        <source>Hồ sơ và thay đổi trạng thái được lưu trên máy trước, rồi gửi lên cổng khi có mạng. Các mục dưới đây bị cổng từ chối (trùng mã, dữ liệu không hợp lệ...) và cần người kiểm tra: xem hồ sơ, sửa nếu cần, rồi gửi lại.</source>
        <translation>Dossiers and status changes are saved on this computer first, then sent to the portal when the network is there. The portal refused the entries below (duplicate code, invalid data...) and a person must check them: open the dossier, correct it if needed, then send it again.</translation>
    </message>
    <message>
        <source>Chờ gửi: {n}</source>
        <translation>Pending: {n}</translation>
    </message>
    <message>
        <source>Cần xử lý: {n}</source>
        <translation>Needs attention: {n}</translation>
    </message>
    <message>
        <source>Đồng bộ thành công lần cuối: {at}</source>
        <translation>Last successful sync: {at}</translation>
    </message>
    <message>
        <source>Sẽ gửi lại {code} ở lần đồng bộ tới</source>
        <translation>{code} will be sent again at the next sync</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <source>Trạng thái kết nối</source>
        <translation>Connection status</translation>
    </message>
    <message>
        <source>Đồng bộ ngay</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>Trực tuyến</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Ngoại tuyến</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Chưa cấu hình cổng</source>
        <translation>Portal not configured</translation>
    </message>
    <message>
        <source>Chưa đồng bộ</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <source>Lỗi đồng bộ</source>
        <translation>Sync problem</translation>
    </message>
    <message>
        <source>Đang đồng bộ…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>Chờ gửi: {n}</source>
        <translation>Pending: {n}</translation>
    </message>
    <message>
        <source>Đồng bộ lần cuối: {at}</source>
        <translation>Last sync: {at}</translation>
    </message>
    <message>
        <source>Chưa đồng bộ lần nào</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <source>⚠ Cần xử lý: {n}</source>
        <translation>⚠ Needs attention: {n}</translation>
    </message>
</context>
<context>
    <name>TrackingBookPage</name>
    <message>
        <source>Sổ theo dõi hồ sơ</source>
        <translation>Tracking book</translation>
    </message>
    <message>
        <source>Từ ngày</source>
        <translation>From</translation>
    </message>
    <message>
        <source>Đến ngày</source>
        <translation>To</translation>
    </message>
    <message>
        <source>Xem &amp;sổ</source>
        <translation>Show the boo&amp;k</translation>
    </message>
    <message>
        <source>&amp;Từ ngày:</source>
        <translation>Fro&amp;m:</translation>
    </message>
    <message>
        <source>Đế&amp;n ngày:</source>
        <translation>&amp;To:</translation>
    </message>
    <message>
        <source>Ngày kết thúc phải sau ngày bắt đầu</source>
        <translation>The end date must be after the start date</translation>
    </message>
    <message>
        <source>Mỗi lần in sổ tối đa một năm</source>
        <translation>The book covers at most one year at a time</translation>
    </message>
    <message>
        <source>Đang lập sổ…</source>
        <translation>Building the book…</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>Thêm tài khoản</source>
        <translation>Add an account</translation>
    </message>
    <message>
        <source>Đặt lại mật khẩu</source>
        <translation>Reset the password</translation>
    </message>
    <message>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>Họ tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <source>Vai trò</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Nhập lại mật khẩu</source>
        <translation>Repeat the password</translation>
    </message>
    <message>
        <source>&amp;Tên đăng nhập:</source>
        <translation>&amp;Username:</translation>
    </message>
    <message>
        <source>&amp;Họ tên:</source>
        <translation>&amp;Full name:</translation>
    </message>
    <message>
        <source>&amp;Vai trò:</source>
        <translation>&amp;Role:</translation>
    </message>
    <message>
        <source>Tài khoản: {name}</source>
        <translation>Account: {name}</translation>
    </message>
    <message>
        <source>&amp;Mật khẩu:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>Nhập &amp;lại:</source>
        <translation>Re&amp;peat:</translation>
    </message>
    <message>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>WaitingFiles</name>
    <message>
        <source>Tệp chờ trong thư mục quét</source>
        <extracomment>How often the scan folder is looked at; a file is offered at the second look that finds it unchanged. Attaches files to a paper as one version (the pages panel&apos;s ``attach_paths``): (document code, paths, source, what runs once stored, what runs when they are refused) the paper chosen in the checklist (None before one is)</extracomment>
        <translation>Files waiting in the scan folder</translation>
    </message>
    <message>
        <source>Gắn tệp &amp;chờ vào giấy tờ này</source>
        <translation>Attac&amp;h the waiting file to this paper</translation>
    </message>
    <message>
        <source>Tệp chờ (thư mục quét):</source>
        <translation>Waiting files (scan folder):</translation>
    </message>
    <message>
        <source>không nhận: {reason}</source>
        <translation>refused: {reason}</translation>
    </message>
    <message>
        <source>Có tệp mới trong thư mục quét: {names}. Gắn vào “{doc}”: Alt+C</source>
        <translation>New files in the scan folder: {names}. To attach to “{doc}”: Alt+H</translation>
    </message>
</context>
</TS>
