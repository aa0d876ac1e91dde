//! The audit page's account of the last `ntm verify`: when, what it checked, its verdict.

use maud::{html, Markup};

use super::audit_data::Verification;
use super::format;
use super::page::Page;

/// The section; without a recorded run, says so and how to make one.
pub fn last_verification(page: &Page, verification: Option<&Verification>) -> Markup {
    let lang = page.lang;
    html! {
        section #verification aria-labelledby="kiem-tra" {
            h2 #kiem-tra { (lang.pick("Lần kiểm tra toàn vẹn gần nhất (ntm verify)", "Last integrity check (ntm verify)")) }
            @match verification {
                None => p data-verdict="none" { (lang.pick(
                    "Chưa chạy lần nào. Người vận hành chạy “ntm verify” để kiểm tra chuỗi băm và bảng đọc.",
                    "Never run. An operator runs “ntm verify” to check the hash chains and the read tables.")) },
                Some(v) => {
                    p data-verdict=(if v.ok { "ok" } else { "failed" }) {
                        strong class=(if v.ok { "status-met" } else { "status-not-met" }) {
                            (if v.ok { lang.pick("✓ Toàn vẹn", "✓ Intact") } else { lang.pick("✗ Phát hiện sai lệch", "✗ Problem found") })
                        }
                        " — " (lang.pick("lúc", "at")) " "
                        time datetime=(v.finished_at.to_rfc3339()) { (format::instant(lang, v.finished_at)) }
                        ", " (format::count(lang, v.events_checked)) " " (lang.pick("sự kiện", "events"))
                        ", " (format::count(lang, v.streams_checked)) " " (lang.pick("luồng", "streams"))
                        ", " (lang.pick("đến sự kiện", "up to event")) " #" (format::count(lang, v.head_position))
                        @if v.read_tables_compared { ", " (lang.pick("đã đối chiếu bảng đọc", "read tables compared")) }
                    }
                    @if let Some(hash) = &v.head_hash { p { (lang.pick("Mã băm cuối", "Head hash")) ": " code { (hash) } } }
                    @if let Some(problem) = &v.problem { p.failure { (problem) } }
                    p.note { (lang.pick(
                        "Đây là bản ghi để tiện theo dõi; bằng chứng là chạy lại “ntm verify”.",
                        "This record is a convenience; the proof is running “ntm verify” again.")) }
                }
            }
        }
    }
}
