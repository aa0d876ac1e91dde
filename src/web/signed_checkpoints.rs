//! The audit page's signed checkpoints (Điểm kiểm tra đã ký): the newest, who cosigned them,
//! the log's verifier key, and how an auditor uses them (docs/transparency-log.md).

use maud::{html, Markup};

use super::audit_data::SignedCheckpoint;
use super::format;
use super::page::Page;
use super::words::Lang;

/// Characters of a root hash shown; the whole hash is in the element's title and copy field.
const SHORT_HASH: usize = 12;

/// The section: what a checkpoint proves, the verifier key (or that none is set), the list.
pub fn signed_checkpoints(
    page: &Page,
    verifier_key: Option<&str>,
    checkpoints: &[SignedCheckpoint],
) -> Markup {
    let lang = page.lang;
    html! {
        section #checkpoints aria-labelledby="diem-kiem-tra" {
            h2 #diem-kiem-tra { (lang.pick("Điểm kiểm tra đã ký", "Signed checkpoints")) }
            p #checkpoint-explanation { (lang.pick(
                "Mỗi điểm kiểm tra là lời khẳng định có chữ ký: nhật ký gồm đúng chừng ấy sự kiện đầu tiên, với mã băm gốc (cây Merkle) này. \
                 Ai tải và giữ tệp điểm kiểm tra ở ngoài máy chủ này, về sau có thể chứng minh nhật ký vẫn bắt đầu bằng đúng những sự kiện ấy, không bị sửa hay xóa, kể cả bởi người quản trị cơ sở dữ liệu. \
                 Để kiểm tra: người vận hành chạy “ntm export proof --checkpoint TỆP.txt --out BUNDLE.json”, rồi kiểm toán viên chạy “scripts/verify_log_bundle.py --key KHÓA --checkpoint TỆP.txt BUNDLE.json” với khóa xác minh dưới đây.",
                "Each checkpoint is a signed statement: the log holds exactly this many first events, with this root hash (of a Merkle tree). \
                 Whoever downloads a checkpoint file and keeps it away from this server can later prove that the log still begins with exactly those events, none changed or removed, even by a database administrator. \
                 To check: an operator runs “ntm export proof --checkpoint FILE.txt --out BUNDLE.json”, then the auditor runs “scripts/verify_log_bundle.py --key KEY --checkpoint FILE.txt BUNDLE.json” with the verifier key below.")) }
            @match verifier_key {
                Some(key) => {
                    p { (lang.pick(
                        "Khóa xác minh của nhật ký: lưu nó ở nơi khác ngoài máy chủ này và dùng nó để kiểm tra chữ ký của mọi điểm kiểm tra.",
                        "The log's verifier key: keep it somewhere other than this server and check every checkpoint's signature with it.")) }
                    p { input #verifier-key .copy readonly aria-label=(lang.pick("Khóa xác minh", "Verifier key")) value=(key) size="60"; }
                }
                None => p #checkpoints-unsigned data-signed="false" { (lang.pick(
                    "Dịch vụ này không ký điểm kiểm tra: chưa đặt khóa ký. Người vận hành tạo khóa bằng “ntm key generate” và đặt NTM_CHECKPOINT_KEY (hoặc --checkpoint-key) để bật.",
                    "This service does not sign checkpoints: no signing key is set. An operator makes one with “ntm key generate” and sets NTM_CHECKPOINT_KEY (or --checkpoint-key) to turn them on.")) },
            }
            @if checkpoints.is_empty() {
                @if verifier_key.is_some() {
                    p #no-checkpoints { (lang.pick("Chưa có điểm kiểm tra nào.", "No checkpoint yet.")) }
                }
            } @else {
                (table(lang, checkpoints))
                p { a href="/checkpoint" download="checkpoint.txt" { (lang.pick("Tải điểm kiểm tra mới nhất", "Download the newest checkpoint")) } }
            }
        }
    }
}

fn table(lang: Lang, checkpoints: &[SignedCheckpoint]) -> Markup {
    html! {
        div.scroll {
            table #checkpoint-list {
                thead { tr {
                    th scope="col" { (lang.pick("Số sự kiện", "Events")) }
                    th scope="col" { (lang.pick("Mã băm gốc", "Root hash")) }
                    th scope="col" { (lang.pick("Ký lúc", "Signed")) }
                    th scope="col" { (lang.pick("Nhân chứng đồng ký", "Witnesses' cosignatures")) }
                    th scope="col" { (lang.pick("Tệp", "File")) }
                } }
                tbody {
                    @for c in checkpoints {
                        tr data-size=(c.tree_size) {
                            td.num { (format::count(lang, c.tree_size)) }
                            td { code title=(c.root_hash) data-root=(c.root_hash) { (short(&c.root_hash)) } }
                            td { time datetime=(c.made_at.to_rfc3339()) { (format::instant(lang, c.made_at)) } }
                            td.cosignatures {
                                @if c.cosignatures.is_empty() { "–" }
                                @for (i, w) in c.cosignatures.iter().enumerate() {
                                    @if i > 0 { br; }
                                    span.cosignature title=(w.key_id) { (w.witness) }
                                    ", " (lang.pick("lúc", "at")) " "
                                    time datetime=(w.signed_at.to_rfc3339()) { (format::instant(lang, w.signed_at)) }
                                }
                            }
                            td { a href=(format!("/checkpoints/{}", c.tree_size)) download=(format!("checkpoint-{}.txt", c.tree_size)) { (lang.pick("Tải", "Download")) } }
                        }
                    }
                }
            }
        }
    }
}

/// The first characters of a hash, then an ellipsis.
fn short(hash: &str) -> String {
    match hash.char_indices().nth(SHORT_HASH) {
        Some((end, _)) => format!("{}…", &hash[..end]),
        None => hash.to_owned(),
    }
}
