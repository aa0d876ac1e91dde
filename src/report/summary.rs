//! Báo cáo tổng hợp: per child unit of the parent on a date, the communes, those recognised
//! NTM / nâng cao / kiểu mẫu with their share, the bands of criteria met, the average, those
//! at risk and the change since a comparison date; the parent's own figures as the total row.
//! Every figure is the API's `summary` (bands of a set without its own: `docs/decisions/report-bands.md`).

use serde::Deserialize;
use serde_json::json;

use super::{day, unknown, Cell, Head, ReportError, Request, Source, Table, Unit};

const SUMMARY: &str = "query ReportSummary($code: String!, $on: Date!, $compare: Date) {
  head { position recordedAt projected }
  locality(code: $code, on: $on) { id name code
    summary(on: $on, compareTo: $compare) { ...F children { ...F locality { id name code } } } } }
fragment F on Summary { set criteriaTotal units averageCriteriaMet averageCriteriaMetChange atRisk
  levels { level units percent change } bands { from to units percent } }";

/// The levels a summary reports, lowest first, with their column names.
const LEVELS: [(&str, &str); 3] = [
    ("NTM", "đạt chuẩn NTM"),
    ("NTM_NANG_CAO", "đạt NTM nâng cao"),
    ("NTM_KIEU_MAU", "đạt NTM kiểu mẫu"),
];

#[derive(Deserialize)]
struct Data {
    head: Head,
    locality: Option<Parent>,
}

#[derive(Deserialize)]
struct Parent {
    #[serde(flatten)]
    unit: Unit,
    summary: Figures,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Figures {
    set: Option<String>,
    criteria_total: i64,
    units: i64,
    average_criteria_met: f64,
    average_criteria_met_change: Option<f64>,
    at_risk: i64,
    levels: Vec<Level>,
    bands: Vec<Band>,
    #[serde(default)]
    children: Vec<Figures>,
    locality: Option<Unit>,
}

#[derive(Deserialize)]
struct Level {
    level: String,
    units: i64,
    percent: f64,
    change: Option<i64>,
}

#[derive(Deserialize, Clone)]
struct Band {
    from: i64,
    to: i64,
    units: i64,
}

impl Figures {
    fn level(&self, level: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.level == level)
    }
}

pub(super) async fn table(
    source: &Source<'_>,
    request: &Request,
) -> Result<(Table, Head, Unit), ReportError> {
    let variables = json!({ "code": request.parent, "on": request.on,
        "compare": request.compare });
    let data: Data = source.query(SUMMARY, variables).await?;
    let Some(Parent { unit, summary }) = data.locality else {
        return Err(unknown(request));
    };
    let (parent, mut figures) = (unit, summary);
    // A set whose file declares no bands has only "all" and "fewer" from the catalogue.
    if figures.bands.len() <= 2 && figures.criteria_total > 0 {
        derive_bands(source, request, &parent, &mut figures).await?;
    }
    let compare = request.compare.is_some();
    let columns = columns(&figures, compare);
    let rows = figures
        .children
        .iter()
        .filter(|c| c.units > 0)
        .map(|child| {
            let unit = child.locality.as_ref();
            let name = unit.and_then(|u| u.name.clone()).unwrap_or_default();
            let code = unit.and_then(|u| u.code.clone());
            row(child, Cell::text(name), Cell::maybe(code), compare)
        })
        .collect();
    let totals = row(&figures, Cell::text("Tổng cộng"), Cell::Blank, compare);
    let mut preface = vec![("Số liệu ngày".to_owned(), day(request.on))];
    if let Some(before) = request.compare {
        preface.push(("So sánh với ngày".into(), day(before)));
    }
    let set = figures
        .set
        .clone()
        .unwrap_or_else(|| "không có bộ nào có hiệu lực".into());
    preface.push(("Bộ tiêu chí đánh giá".into(), set));
    let table = Table {
        title: "BÁO CÁO TỔNG HỢP KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI".into(),
        sheet: "Tổng hợp".into(),
        preface,
        columns,
        rows,
        totals: Some(totals),
        notes: notes(),
    };
    Ok((table, data.head, parent))
}

fn notes() -> Vec<String> {
    vec![
        "Số xã: mọi xã tồn tại trên địa bàn vào ngày số liệu, có hay chưa có số liệu.".into(),
        "Xã đạt mức cao hơn được tính cả ở mức thấp hơn (xã kiểu mẫu cũng là xã nâng cao và xã NTM).".into(),
        "Tiêu chí chưa có số liệu không được tính là đạt.".into(),
    ]
}

fn band_name(band: &Band) -> String {
    match (band.from, band.to) {
        (from, to) if from == to => format!("Đạt {from} tiêu chí"),
        (0, to) => format!("Dưới {} tiêu chí", to + 1),
        (from, to) => format!("Đạt {from}–{to} tiêu chí"),
    }
}

fn columns(figures: &Figures, compare: bool) -> Vec<String> {
    let mut columns = vec!["Đơn vị".to_owned(), "Mã".into(), "Số xã".into()];
    for (_, name) in LEVELS {
        columns.push(format!("Số xã {name}"));
        columns.push(format!("Tỷ lệ {name} (%)"));
    }
    columns.extend(figures.bands.iter().map(band_name));
    columns.push("Bình quân tiêu chí đạt/xã".into());
    columns.push("Số xã có nguy cơ bị thu hồi".into());
    if compare {
        for (_, name) in LEVELS {
            columns.push(format!("Tăng/giảm số xã {name}"));
        }
        columns.push("Tăng/giảm bình quân tiêu chí".into());
    }
    columns
}

fn row(figures: &Figures, name: Cell, code: Cell, compare: bool) -> Vec<Cell> {
    let mut cells = vec![name, code, Cell::Count(figures.units)];
    for (level, _) in LEVELS {
        let (units, percent) = figures
            .level(level)
            .map_or((0, 0.0), |l| (l.units, l.percent));
        cells.push(Cell::Count(units));
        cells.push(Cell::Percent(percent));
    }
    cells.extend(figures.bands.iter().map(|b| Cell::Count(b.units)));
    cells.push(Cell::Decimal(figures.average_criteria_met));
    cells.push(Cell::Count(figures.at_risk));
    if compare {
        for (level, _) in LEVELS {
            let change = figures.level(level).and_then(|l| l.change);
            cells.push(change.map_or(Cell::Blank, Cell::Count));
        }
        let change = figures.average_criteria_met_change;
        cells.push(change.map_or(Cell::Blank, Cell::Decimal));
    }
    cells
}

/// The bands of a set of `n` criteria whose catalogue file declares none (or only "all" and
/// "fewer"): the 19-criteria
/// set's thresholds scaled (all; ≥ ⌈15n/19⌉; ≥ ⌈10n/19⌉; ≥ ⌈5n/19⌉; fewer), highest first,
/// empty ranges left out. For 19 they are the programme's 19; 15–18; 10–14; 5–9; under 5.
pub fn scaled_bands(n: i64) -> Vec<(i64, i64)> {
    let at_least = |share: i64| (share * n + 18) / 19;
    let floors = [n, at_least(15), at_least(10), at_least(5), 0];
    let mut bands = vec![(n, n)];
    for pair in floors.windows(2) {
        let (upper, lower) = (pair[0], pair[1]);
        if lower < upper {
            bands.push((lower, upper - 1));
        }
    }
    bands
}

#[derive(Deserialize)]
struct BelowData {
    locality: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Deserialize)]
struct Below {
    below: i64,
    #[serde(default)]
    children: Vec<ChildBelow>,
}

#[derive(Deserialize)]
struct ChildBelow {
    below: i64,
    locality: Option<Unit>,
}

/// Counts the scaled bands from the API's `below` (units meeting fewer criteria than a
/// threshold), asked once per threshold in one document.
async fn derive_bands(
    source: &Source<'_>,
    request: &Request,
    parent: &Unit,
    figures: &mut Figures,
) -> Result<(), ReportError> {
    let bands = scaled_bands(figures.criteria_total);
    // One alias per band's lower end: below(from) counts the units under the band.
    let aliases: Vec<String> = bands
        .iter()
        .map(|(from, _)| {
            format!("b{from}: summary(on: $on, belowCriteria: {from}) {{ below children {{ below locality {{ id }} }} }}")
        })
        .collect();
    let document = format!(
        "query ReportBands($id: ID!, $on: Date!) {{ locality(id: $id, on: $on) {{ {} }} }}",
        aliases.join(" ")
    );
    let data: BelowData = source
        .query(&document, json!({ "id": parent.id, "on": request.on }))
        .await?;
    let answers = data.locality.unwrap_or_default();
    let below = |from: i64| -> Result<Below, ReportError> {
        let value = answers
            .get(&format!("b{from}"))
            .cloned()
            .unwrap_or_default();
        serde_json::from_value(value).map_err(|e| ReportError::Invalid(e.to_string()))
    };
    let counts: Vec<Below> = bands
        .iter()
        .map(|(from, _)| below(*from))
        .collect::<Result<_, _>>()?;
    // Units in [from, to] = below(to + 1) − below(from); below(n + 1) is every unit.
    let band_counts = |units: i64, below_of: &dyn Fn(usize) -> i64| -> Vec<Band> {
        bands
            .iter()
            .enumerate()
            .map(|(i, (from, to))| {
                let above = if i == 0 { units } else { below_of(i - 1) };
                Band {
                    from: *from,
                    to: *to,
                    units: above - below_of(i),
                }
            })
            .collect()
    };
    figures.bands = band_counts(figures.units, &|i| counts[i].below);
    for child in &mut figures.children {
        let id = child.locality.as_ref().map(|u| u.id.clone());
        let of_child = |i: usize| -> i64 {
            counts[i]
                .children
                .iter()
                .find(|c| c.locality.as_ref().map(|u| &u.id) == id.as_ref())
                .map_or(0, |c| c.below)
        };
        child.bands = band_counts(child.units, &of_child);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::scaled_bands;

    #[test]
    fn nineteen_criteria_give_the_programme_bands() {
        assert_eq!(
            scaled_bands(19),
            vec![(19, 19), (15, 18), (10, 14), (5, 9), (0, 4)]
        );
    }

    #[test]
    fn ten_criteria_scale_the_thresholds() {
        assert_eq!(
            scaled_bands(10),
            vec![(10, 10), (8, 9), (6, 7), (3, 5), (0, 2)]
        );
        assert_eq!(scaled_bands(1), vec![(1, 1), (0, 0)]);
    }
}
