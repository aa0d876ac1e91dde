//! Generated readings: for an indicator, a value that meets its target (or misses it), read
//! from the catalogue so that the computed status agrees with the story being told.

use crate::domain::catalog::Indicator;
use crate::domain::measure::{Comparator, IndicatorKind, IndicatorValue, Percent, Quantity};
use crate::domain::terms::ThresholdRegion;

/// A small deterministic generator (xorshift64): the demo is the same every time.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Self {
        Dice(seed.max(1))
    }

    /// 0..n
    pub fn roll(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }

    /// A fraction in [from, to).
    pub fn between(&mut self, from: f64, to: f64) -> f64 {
        from + (to - from) * (self.roll(10_000) as f64 / 10_000.0)
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.roll(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

fn percent(value: f64) -> IndicatorValue {
    let hundredths = (value.clamp(0.0, 100.0) * 100.0).round() as u32;
    IndicatorValue::Percent(Percent::from_hundredths(hundredths).unwrap_or(Percent::FULL))
}

fn number(value: f64) -> IndicatorValue {
    IndicatorValue::Number(Quantity::from_thousandths((value * 1000.0).round() as i64))
}

/// A reading of `indicator` in `year` that meets its target when `meets`, else misses it.
pub fn reading(
    indicator: &Indicator,
    region: ThresholdRegion,
    year: i32,
    meets: bool,
    dice: &mut Dice,
) -> IndicatorValue {
    let target = indicator
        .target_for(Some(region), None, year)
        .and_then(|t| t.value);
    let value = guess(indicator.kind, indicator.comparator, target, meets, dice);
    match target {
        // Rounding can land on the wrong side; the target itself always meets it.
        Some(t) if meets && indicator.comparator.holds(&value, &t) != Some(true) => t,
        _ => value,
    }
}

fn guess(
    kind: IndicatorKind,
    comparator: Comparator,
    target: Option<IndicatorValue>,
    meets: bool,
    dice: &mut Dice,
) -> IndicatorValue {
    use Comparator::*;
    match (kind, target) {
        (_, Some(IndicatorValue::Boolean(t))) => IndicatorValue::Boolean(t == meets),
        (IndicatorKind::Boolean, _) => IndicatorValue::Boolean(meets),
        (_, Some(IndicatorValue::Percent(t))) => {
            let t = f64::from(t);
            percent(match (comparator, meets) {
                (AtLeast, true) => dice.between(t, 100.0_f64.max(t)),
                (AtLeast, false) => t * dice.between(0.6, 0.95),
                (AtMost, true) => t * dice.between(0.2, 0.95),
                (AtMost, false) => t * 1.3 + dice.between(1.0, 5.0),
                (Equal, true) => t,
                (Equal, false) => (t - dice.between(5.0, 20.0)).max(0.0),
            })
        }
        (IndicatorKind::Percent, _) => percent(if meets {
            dice.between(85.0, 100.0)
        } else {
            dice.between(40.0, 70.0)
        }),
        (_, Some(IndicatorValue::Count(t))) => {
            let step = dice.roll(3) + 1;
            IndicatorValue::Count(match (comparator, meets) {
                (AtLeast, true) => t + dice.roll(3),
                (AtLeast, false) => t.saturating_sub(step),
                (AtMost, true) => t.saturating_sub(dice.roll(t + 1).min(2)),
                (AtMost, false) => t + step,
                (Equal, true) => t,
                (Equal, false) => t + step,
            })
        }
        (IndicatorKind::Count, _) => {
            IndicatorValue::Count(if meets { 1 + dice.roll(5) } else { 0 })
        }
        (_, Some(IndicatorValue::Number(t))) => {
            let t = f64::from(t);
            let magnitude = t.abs().max(1.0);
            number(match (comparator, meets) {
                (AtLeast, true) => t + magnitude * dice.between(0.0, 0.4),
                (AtLeast, false) => t - magnitude * dice.between(0.05, 0.4),
                (AtMost, true) => t - magnitude * dice.between(0.0, 0.4),
                (AtMost, false) => t + magnitude * dice.between(0.05, 0.4),
                (Equal, true) => t,
                (Equal, false) => t + magnitude * 0.2,
            })
        }
        (IndicatorKind::Number, _) => number(if meets {
            dice.between(50.0, 100.0)
        } else {
            dice.between(10.0, 40.0)
        }),
    }
}
