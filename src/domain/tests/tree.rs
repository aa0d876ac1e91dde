//! Given a register, when a placement is decided, then the tree check refuses what would stop
//! the register being a tree: cycles, parents not alive, codes held by another live unit.

use super::*;
use crate::domain::lineage::{decide_merger, decide_split, Merger, NewLocality, Split, Successor};
use crate::domain::tree::{check, MAX_TREE_DEPTH};
use crate::domain::values::LocalityCode;

fn code(s: &str) -> LocalityCode {
    s.parse().expect("code")
}

fn under(name: &str, kind: LocalityKind, c: &str, parent: Option<u128>) -> LocalityEvent {
    match established(name, kind, c, date(2019, 1, 1)) {
        LocalityEvent::LocalityEstablished(mut e) => {
            e.parent = parent.map(id);
            LocalityEvent::LocalityEstablished(e)
        }
        _ => unreachable!("fixture is an establishment"),
    }
}

/// Given: province 1 (code 42) › district 2 (436) › commune 3 (18106); province 4 (40).
fn register() -> Register {
    let mut reg = Register::default();
    let units = [
        (1, under("Hà Tĩnh", LocalityKind::Province, "42", None)),
        (2, under("Thạch Hà", LocalityKind::District, "436", Some(1))),
        (
            3,
            under("Thạch Đồng", LocalityKind::Commune, "18106", Some(2)),
        ),
        (4, under("Nghệ An", LocalityKind::Province, "40", None)),
    ];
    for (n, event) in units {
        reg.append(&id(n), vec![event], at(2019, 1, 1));
    }
    reg
}

/// When: `action` on locality `n`, decided on its state and then checked against the register.
fn when_placed(reg: &Register, n: u128, action: LocalityAction) -> Result<(), DomainError> {
    let state = reg.states.get(&id(n)).cloned().unwrap_or_default();
    let command = LocalityCommand {
        today: date(2025, 1, 1),
        action,
    };
    let events = Locality::new(catalog()).decide(&id(n), &state, command)?;
    check(&vec![(id(n), events)], &reg.states)
}

fn transfer(parent: Option<u128>, on: NaiveDate) -> LocalityAction {
    LocalityAction::Transfer(LocalityTransferred {
        effective_on: on,
        legal_act: act("1/NQ-UBTVQH15"),
        parent: parent.map(id),
    })
}

fn establish(c: &str, parent: Option<u128>) -> LocalityAction {
    match under("Mới", LocalityKind::Commune, c, parent) {
        LocalityEvent::LocalityEstablished(e) => LocalityAction::Establish(e),
        _ => unreachable!("fixture is an establishment"),
    }
}

#[test]
fn a_locality_is_never_its_own_parent() {
    let reg = register();
    let on = date(2020, 1, 1);
    let own = DomainError::ParentCycle {
        locality: id(2),
        parent: id(2),
        on,
    };
    assert_eq!(when_placed(&reg, 2, transfer(Some(2), on)), Err(own));
    assert!(matches!(
        when_placed(&reg, 9, establish("18999", Some(9))),
        Err(DomainError::ParentCycle { .. })
    ));
}

#[test]
fn a_transfer_under_its_own_descendant_is_refused() {
    let reg = register();
    let on = date(2020, 1, 1);
    for below in [2, 3] {
        assert_eq!(
            when_placed(&reg, 1, transfer(Some(below), on)),
            Err(DomainError::ParentCycle {
                locality: id(1),
                parent: id(below),
                on
            })
        );
    }
    assert_eq!(when_placed(&reg, 2, transfer(Some(4), on)), Ok(()));
    assert_eq!(when_placed(&reg, 1, transfer(None, on)), Ok(()));
}

#[test]
fn a_cycle_that_would_only_begin_later_is_refused_too() {
    // Given the commune already moved up under the province from 2022 (recorded earlier),
    // when the province is put under the commune from 2020, then the cycle of 2022 refuses it.
    let mut reg = register();
    let later = date(2022, 1, 1);
    let move_up = LocalityEvent::LocalityTransferred(LocalityTransferred {
        effective_on: later,
        legal_act: act("2/NQ-UBTVQH15"),
        parent: Some(id(4)),
    });
    reg.append(&id(3), vec![move_up], at(2022, 1, 1));
    assert_eq!(when_placed(&reg, 4, transfer(Some(3), date(2020, 1, 1))), {
        Err(DomainError::ParentCycle {
            locality: id(4),
            parent: id(3),
            on: date(2020, 1, 1),
        })
    });
}

#[test]
fn a_parent_must_be_alive_on_the_date() {
    let reg = register();
    let missing = DomainError::ParentNotAlive {
        parent: id(77),
        on: date(2019, 1, 1),
    };
    assert_eq!(
        when_placed(&reg, 9, establish("18999", Some(77))),
        Err(missing)
    );
    let before_it_existed = DomainError::ParentNotAlive {
        parent: id(2),
        on: date(2018, 6, 1),
    };
    let early = match establish("18999", Some(2)) {
        LocalityAction::Establish(e) => LocalityAction::Establish(LocalityEstablished {
            effective_on: date(2018, 6, 1),
            ..e
        }),
        _ => unreachable!("an establishment"),
    };
    assert_eq!(when_placed(&reg, 9, early), Err(before_it_existed));
}

#[test]
fn a_parent_merged_away_takes_no_new_children() {
    let mut reg = register();
    let on = date(2021, 1, 1);
    let merger = Merger {
        today: date(2025, 1, 1),
        effective_on: on,
        legal_act: act("3/NQ-UBTVQH15"),
        sources: vec![id(2)],
        successor: Successor::Existing(id(1)),
    };
    let decided = decide_merger(&merger, &reg.states).expect("merger");
    assert_eq!(check(&decided, &reg.states), Ok(()));
    reg.append_all(decided, at(2021, 1, 1));
    assert_eq!(
        when_placed(&reg, 3, transfer(Some(2), date(2022, 1, 1))),
        Err(DomainError::ParentNotAlive {
            parent: id(2),
            on: date(2022, 1, 1)
        })
    );
}

#[test]
fn a_code_held_by_another_live_unit_is_refused() {
    let reg = register();
    assert_eq!(
        when_placed(&reg, 9, establish("18106", Some(2))),
        Err(DomainError::CodeInUse {
            code: code("18106"),
            holder: id(3),
            on: date(2019, 1, 1),
        })
    );
    let recode = LocalityAction::Recode(LocalityRecoded {
        effective_on: date(2020, 1, 1),
        legal_act: act("4/NQ-UBTVQH15"),
        code: Some(code("436")),
    });
    assert!(matches!(
        when_placed(&reg, 3, recode),
        Err(DomainError::CodeInUse { holder, .. }) if holder == id(2)
    ));
}

#[test]
fn two_parts_of_a_split_cannot_share_a_code() {
    let reg = register();
    let part = |n: u128| NewLocality {
        id: id(n),
        name: format!("Phần {n}"),
        kind: LocalityKind::Commune,
        code: Some(code("18120")),
        parent: Some(id(2)),
        threshold_region: None,
        commune_group: None,
    };
    let split = Split {
        today: date(2025, 1, 1),
        effective_on: date(2021, 1, 1),
        legal_act: act("5/NQ-UBTVQH15"),
        source: id(3),
        parts: vec![part(10), part(11)],
        continues: false,
    };
    let decided = decide_split(&split, &reg.states).expect("split");
    assert!(matches!(
        check(&decided, &reg.states),
        Err(DomainError::CodeInUse { .. })
    ));
}

#[test]
fn a_chain_deeper_than_the_limit_is_refused() {
    let mut reg = Register::default();
    let depth = u128::try_from(MAX_TREE_DEPTH).expect("small") + 1;
    for n in 1..=depth {
        let parent = (n > 1).then(|| n - 1);
        let c = format!("{}", 10_000 + n);
        let event = under("Cấp", LocalityKind::Village, &c, parent);
        reg.append(&id(n), vec![event], at(2019, 1, 1));
    }
    assert!(matches!(
        when_placed(&reg, 99, establish("18999", Some(depth))),
        Err(DomainError::ParentChainTooDeep { .. })
    ));
}
