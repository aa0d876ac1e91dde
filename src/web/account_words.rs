//! The words of sign-in, sign-out and the accounts' admin page, in Vietnamese and English.

use super::words::Lang;
use crate::auth::password::PasswordRefusal;

pub struct AccountWords {
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub signed_in_as: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub wrong_credentials: &'static str,
    pub locked_out: &'static str,
    pub form_expired: &'static str,
    pub users: &'static str,
    pub admins_only: &'static str,
    pub new_user: &'static str,
    pub role: &'static str,
    pub scope: &'static str,
    pub scope_hint: &'static str,
    pub expires: &'static str,
    pub state: &'static str,
    pub active: &'static str,
    pub disabled: &'static str,
    pub expired: &'static str,
    pub create: &'static str,
    pub disable: &'static str,
    pub new_password: &'static str,
    pub reset_password: &'static str,
    pub bad_username: &'static str,
    pub username_taken: &'static str,
    pub password_too_short: &'static str,
    pub password_too_long: &'static str,
    pub no_such_scope: &'static str,
    pub bad_expiry: &'static str,
    pub bad_role: &'static str,
    pub everywhere: &'static str,
    pub never: &'static str,
    pub done: &'static str,
}

pub const ACCOUNT_VI: AccountWords = AccountWords {
    sign_in: "Đăng nhập",
    sign_out: "Đăng xuất",
    signed_in_as: "Đang đăng nhập",
    username: "Tên đăng nhập",
    password: "Mật khẩu",
    wrong_credentials: "Sai tên đăng nhập hoặc mật khẩu.",
    locked_out: "Tài khoản tạm khóa vì đăng nhập sai nhiều lần; hãy thử lại sau ít phút.",
    form_expired: "Biểu mẫu đã hết hạn; hãy gửi lại.",
    users: "Người dùng",
    admins_only: "Chỉ quản trị viên được vào trang này.",
    new_user: "Tạo tài khoản",
    role: "Vai trò",
    scope: "Phạm vi",
    scope_hint: "mã hoặc id đơn vị; để trống: toàn bộ",
    expires: "Hết hạn",
    state: "Trạng thái",
    active: "đang dùng",
    disabled: "đã khóa",
    expired: "hết hạn",
    create: "Tạo",
    disable: "Khóa tài khoản",
    new_password: "Mật khẩu mới",
    reset_password: "Đặt lại mật khẩu",
    bad_username: "Tên đăng nhập gồm 2–64 ký tự a-z, 0-9, '.', '_', '-'.",
    username_taken: "Tên đăng nhập này đã có.",
    password_too_short: "Mật khẩu cần ít nhất 10 ký tự.",
    password_too_long: "Mật khẩu dài quá 256 ký tự.",
    no_such_scope: "Không có đơn vị này hôm nay.",
    bad_expiry: "Ngày không hợp lệ (ngày/tháng/năm).",
    bad_role: "Vai trò không hợp lệ.",
    everywhere: "toàn bộ",
    never: "không",
    done: "Đã lưu.",
};

pub const ACCOUNT_EN: AccountWords = AccountWords {
    sign_in: "Sign in",
    sign_out: "Sign out",
    signed_in_as: "Signed in as",
    username: "Username",
    password: "Password",
    wrong_credentials: "Wrong username or password.",
    locked_out: "Too many failed sign-ins for this account; try again in a few minutes.",
    form_expired: "The form has expired; please send it again.",
    users: "Users",
    admins_only: "Only administrators may open this page.",
    new_user: "New account",
    role: "Role",
    scope: "Scope",
    scope_hint: "unit code or id; empty: everything",
    expires: "Expires",
    state: "State",
    active: "active",
    disabled: "disabled",
    expired: "expired",
    create: "Create",
    disable: "Disable account",
    new_password: "New password",
    reset_password: "Reset password",
    bad_username: "A username is 2–64 of a-z, 0-9, '.', '_', '-'.",
    username_taken: "This username is taken.",
    password_too_short: "A password needs at least 10 characters.",
    password_too_long: "A password has at most 256 characters.",
    no_such_scope: "No unit holds this today.",
    bad_expiry: "Not a valid date (year-month-day).",
    bad_role: "Not a valid role.",
    everywhere: "everything",
    never: "never",
    done: "Saved.",
};

impl AccountWords {
    pub fn of(lang: Lang) -> &'static AccountWords {
        lang.pick(&ACCOUNT_VI, &ACCOUNT_EN)
    }

    /// Why a new password is refused, in words.
    pub fn password_refusal(&self, refusal: PasswordRefusal) -> &'static str {
        match refusal {
            PasswordRefusal::TooShort => self.password_too_short,
            PasswordRefusal::TooLong => self.password_too_long,
        }
    }
}
