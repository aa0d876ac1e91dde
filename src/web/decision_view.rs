//! The decision form as HTML: the decision's fields, the communes of a chosen district or
//! province as checkboxes, a box for pasted codes; each refusal beside its field, the one of a
//! commune naming it.

use maud::{html, Markup};

use super::decision_data::Unit;
use super::decision_form::PATH;
use super::form_gate::{field, form_alerts, hidden, select_field, text_field, Values};
use super::form_refusal::{alert, beside, Refused};
use super::form_words::FormWords;
use super::format;
use super::levels::level_name;
use super::page::Page;
use super::words::Lang;

/// The recognition levels the domain has (`RecognitionLevel`), as the form offers them; the
/// law's rules refuse one the set or the unit's kind does not allow
/// (docs/decisions/decision-form.md).
pub const LEVELS: [&str; 12] = [
    "NTM",
    "NTM_NANG_CAO",
    "NTM_KIEU_MAU",
    "NTM_HIEN_DAI",
    "VAN_MINH_DO_THI",
    "VAN_MINH_DO_THI_KIEU_MAU",
    "DO_THI_VAN_MINH",
    "KHU_DAN_CU_KIEU_MAU",
    "CHI_TIEU_DIA_PHUONG",
    "HUYEN_NTM",
    "HUYEN_NTM_NANG_CAO",
    "HOAN_THANH_NHIEM_VU",
];

/// What the form shows: the listed communes, what was posted, refusals, a decision saved.
pub struct DecisionShown<'a> {
    pub unit: Option<&'a Unit>,
    pub communes: &'a [Unit],
    pub sets: &'a [String],
    pub values: &'a Values,
    pub checked: &'a [String],
    pub refusals: &'a [Refused],
    /// (position, decision number, how many units) of a decision just recorded.
    pub saved: Option<(i64, String, usize)>,
}

/// The fields the form shows its refusals beside.
const FIELDS: [&str; 15] = [
    "loai",
    "so",
    "ngay-ky",
    "ngay-hl",
    "co-quan",
    "nguoi-ky",
    "muc",
    "bo",
    "nam",
    "dot",
    "linh-vuc",
    "ly-do-ngoai-le",
    "bi-thu-hoi",
    "ly-do",
    "thua-nhan",
];

pub fn decision_page(page: &Page, shown: &DecisionShown<'_>) -> Markup {
    let f = FormWords::of(page.lang);
    let v = shown.values;
    let value = |name: &str, default: &str| match field(v, name) {
        "" => default.to_owned(),
        given => given.to_owned(),
    };
    let today = format::date(page.lang, page.today);
    let kinds = [
        ("cong-nhan", f.recognition),
        ("thu-hoi", f.revocation),
        ("thua-nhan", f.acknowledgement),
    ]
    .map(|(k, t)| (k, t.to_owned()));
    let levels: Vec<(&str, String)> = LEVELS
        .iter()
        .map(|l| (*l, level_name(page.lang, l)))
        .collect();
    let sets: Vec<(&str, String)> = shown.sets.iter().map(|s| (s.as_str(), s.clone())).collect();
    let r = shown.refusals;
    let mut fields: Vec<&str> = FIELDS.to_vec();
    fields.extend(["xa", "ma"]);
    html! {
        @if let Some((position, decision, count)) = &shown.saved {
            p.saved #da-luu role="status" data-position=(position) {
                (f.decision_saved) " " (decision) " · " (count) " " (f.units) " · #" (position)
            }
        }
        form.list-communes method="get" action=(PATH) {
            label for="liet-ke" { (f.unit) " (" (f.unit_hint) ")" }
            input #liet-ke type="text" name="don-vi" value=(shown.unit.map_or_else(|| value("don-vi", ""), |u| u.code.clone().unwrap_or_default()));
            @if page.lang == Lang::En { input type="hidden" name="lang" value="en"; }
            button type="submit" { (f.list_communes) }
        }
        form.entry #quyet-dinh method="post" action=(PATH) {
            (hidden(page))
            @if let Some(unit) = shown.unit { input type="hidden" name="don-vi" value=(unit.id); }
            (form_alerts(r, &fields))
            (select_field("qd-loai", "loai", f.kind, &kinds, &value("loai", "cong-nhan"), r))
            (text_field("qd-so", "so", f.decision, &value("so", ""), r, html! {}))
            (text_field("qd-ngay-ky", "ngay-ky", f.signed_on, &value("ngay-ky", &today), r, html! {}))
            (text_field("qd-ngay-hl", "ngay-hl", f.effective_on, &value("ngay-hl", &today), r, html! {}))
            (text_field("qd-co-quan", "co-quan", f.issuer, &value("co-quan", ""), r, html! {}))
            (text_field("qd-nguoi-ky", "nguoi-ky", f.signer, &value("nguoi-ky", ""), r, html! {}))
            (select_field("qd-muc", "muc", f.level, &levels, &value("muc", "NTM"), r))
            (select_field("qd-bo", "bo", f.set, &sets, &value("bo", "NTM-XA-2021-2025"), r))
            (text_field("qd-nam", "nam", f.standard_year, &value("nam", ""), r, html! {}))
            (text_field("qd-dot", "dot", f.batch, &value("dot", ""), r, html! {}))
            (text_field("qd-linh-vuc", "linh-vuc", f.outstanding_field, &value("linh-vuc", ""), r, html! {}))
            (text_field("qd-ly-do-ngoai-le", "ly-do-ngoai-le", f.override_reason, &value("ly-do-ngoai-le", ""), r, html! {}))
            (text_field("qd-bi-thu-hoi", "bi-thu-hoi", f.revoked, &value("bi-thu-hoi", ""), r, html! {}))
            (text_field("qd-ly-do", "ly-do", f.reason, &value("ly-do", ""), r, html! {}))
            (text_field("qd-thua-nhan", "thua-nhan", f.acknowledges, &value("thua-nhan", ""), r, html! { " (" (f.acknowledges_hint) ")" }))
            fieldset.communes #xa {
                legend { (f.communes) }
                (alert("xa", beside(r, "xa", None)))
                @for commune in shown.communes {
                    @let id = format!("xa-{}", commune.id);
                    @let refusal = r.iter().find(|x| x.locality.as_deref() == Some(commune.id.as_str()));
                    p.commune data-code=[commune.code.as_deref()] {
                        input id=(id) type="checkbox" name="xa" value=(commune.id)
                            checked[shown.checked.contains(&commune.id)]
                            aria-invalid=[refusal.map(|_| "true")];
                        label for=(id) { (commune.label()) }
                        @if let Some(refusal) = refusal {
                            span.field-error role="alert" { (refusal.message) }
                        }
                    }
                }
                p.field {
                    label for="qd-ma" { (f.codes) " (" (f.codes_hint) ")" }
                    textarea #qd-ma name="ma" rows="3" aria-invalid=[beside(r, "ma", None).map(|_| "true")] { (value("ma", "")) }
                    (alert("qd-ma", beside(r, "ma", None)))
                }
            }
            button type="submit" { (f.issue) }
        }
    }
}
