//! The words of the upload page (`/nhap-tep`), in Vietnamese and English.

use super::words::Lang;

pub struct UploadWords {
    pub title: &'static str,
    pub intro: &'static str,
    pub kind: &'static str,
    pub template: &'static str,
    pub file: &'static str,
    pub check: &'static str,
    pub commit: &'static str,
    pub rows: &'static str,
    pub would_record: &'static str,
    pub recorded: &'static str,
    pub errors: &'static str,
    pub row: &'static str,
    pub column: &'static str,
    pub problem: &'static str,
    pub nothing_written: &'static str,
    pub dry_run_done: &'static str,
    pub written_at: &'static str,
    pub expired: &'static str,
    pub no_file: &'static str,
    pub may_not_record: &'static str,
    pub form_expired: &'static str,
    pub another: &'static str,
}

pub const UPLOAD_VI: UploadWords = UploadWords {
    title: "Nhập dữ liệu từ tệp",
    intro:
        "Chọn loại dữ liệu, tải mẫu, điền và tải tệp lên (.xlsx, .xls, .ods hoặc .csv). \
            Tệp được kiểm tra toàn bộ trước; chỉ khi không có lỗi mới được ghi, một lần cho cả tệp.",
    kind: "Loại dữ liệu",
    template: "Tải mẫu",
    file: "Tệp",
    check: "Kiểm tra (chạy thử)",
    commit: "Ghi vào sổ",
    rows: "Số dòng",
    would_record: "Sẽ ghi",
    recorded: "Đã ghi",
    errors: "Lỗi",
    row: "Dòng",
    column: "Cột",
    problem: "Nội dung lỗi",
    nothing_written: "Tệp có lỗi: chưa ghi gì. Sửa các dòng dưới đây rồi tải lên lại.",
    dry_run_done: "Chạy thử xong: chưa ghi gì. Kiểm tra số liệu rồi bấm “Ghi vào sổ”.",
    written_at: "Đã ghi vào sổ, đến sự kiện số",
    expired: "Tệp đã kiểm tra không còn được giữ (quá 15 phút); hãy tải lên lại.",
    no_file: "Hãy chọn một tệp.",
    may_not_record: "Tài khoản này không có quyền ghi dữ liệu.",
    form_expired: "Biểu mẫu đã hết hạn; hãy gửi lại.",
    another: "Nhập tệp khác",
};

pub const UPLOAD_EN: UploadWords = UploadWords {
    title: "Import from a file",
    intro: "Choose the kind of data, download its template, fill it in and upload it (.xlsx, \
            .xls, .ods or .csv). The whole file is checked first; only a file without errors is \
            written, all at once.",
    kind: "Kind of data",
    template: "Download the template",
    file: "File",
    check: "Check (dry run)",
    commit: "Record",
    rows: "Rows",
    would_record: "Would record",
    recorded: "Recorded",
    errors: "Errors",
    row: "Row",
    column: "Column",
    problem: "Problem",
    nothing_written:
        "The file has errors: nothing was written. Correct these rows and upload it again.",
    dry_run_done: "Dry run done: nothing written yet. Check the figures, then press “Record”.",
    written_at: "Recorded, up to event",
    expired: "The checked file is no longer kept (over 15 minutes); upload it again.",
    no_file: "Choose a file.",
    may_not_record: "This account may not record data.",
    form_expired: "The form has expired; send it again.",
    another: "Import another file",
};

impl UploadWords {
    pub fn of(lang: Lang) -> &'static UploadWords {
        match lang {
            Lang::Vi => &UPLOAD_VI,
            Lang::En => &UPLOAD_EN,
        }
    }
}
