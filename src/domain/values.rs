//! Identifier newtypes parsed once at the edge: locality codes, criterion and indicator codes,
//! criteria-set codes and legal decision numbers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::DomainError;

/// Declares a validated string newtype with `FromStr`, `Display`, `AsRef<str>` and serde through
/// `String`, so an invalid value can never be constructed or deserialized.
macro_rules! string_newtype {
    ($(#[$meta:meta])* $name:ident, $field:literal, $expected:literal, $valid:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let valid: fn(&str) -> bool = $valid;
                if valid(s) {
                    Ok(Self(s.to_owned()))
                } else {
                    Err(DomainError::Invalid {
                        field: $field,
                        value: s.to_owned(),
                        expected: $expected,
                    })
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = DomainError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

fn is_code_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '-'
}

fn is_code(s: &str) -> bool {
    !s.is_empty() && s.len() <= 40 && s.chars().all(is_code_char)
}

string_newtype!(
    /// Official statistics code of an administrative unit (mã đơn vị hành chính, GSO/NSO):
    /// zero-padded, 2 digits for a province, 3 for a pre-2025 district, 5 for a commune-level unit.
    ///
    /// ```
    /// use ntm_tracker::domain::values::LocalityCode;
    ///
    /// let thach_trung: LocalityCode = "18094".parse()?;
    /// assert_eq!(thach_trung.to_string(), "18094");
    /// assert_eq!("01".parse::<LocalityCode>()?.as_str(), "01"); // the zero stays
    /// for refused in ["1809", "180940", "18a94", " 18094", ""] {
    ///     assert!(refused.parse::<LocalityCode>().is_err(), "{refused}");
    /// }
    /// let error = "1809".parse::<LocalityCode>().unwrap_err();
    /// assert_eq!(
    ///     error.to_string(),
    ///     r#"invalid locality code "1809": expected 2, 3 or 5 digits, zero-padded"#
    /// );
    /// # Ok::<(), ntm_tracker::domain::DomainError>(())
    /// ```
    LocalityCode,
    "locality code",
    "2, 3 or 5 digits, zero-padded",
    |s| matches!(s.len(), 2 | 3 | 5) && s.bytes().all(|b| b.is_ascii_digit())
);

string_newtype!(
    /// Code of a criterion (tiêu chí) inside one set, e.g. `17`; only meaningful with its set.
    ///
    /// ```
    /// use ntm_tracker::domain::values::CriterionCode;
    ///
    /// assert_eq!("17".parse::<CriterionCode>()?.to_string(), "17");
    /// assert!("KM-THON-THONG-MINH".parse::<CriterionCode>().is_ok());
    /// for refused in ["", "17 8", "17/8", "tiêu-chí-1"] {
    ///     assert!(refused.parse::<CriterionCode>().is_err(), "{refused}");
    /// }
    /// # Ok::<(), ntm_tracker::domain::DomainError>(())
    /// ```
    CriterionCode,
    "criterion code",
    "letters, digits, '.' or '-' (at most 40)",
    is_code
);

string_newtype!(
    /// Code of an indicator (chỉ tiêu) inside one set, e.g. `17.8`; only meaningful with its set.
    ///
    /// ```
    /// use ntm_tracker::domain::values::IndicatorCode;
    ///
    /// assert_eq!("17.8".parse::<IndicatorCode>()?.to_string(), "17.8");
    /// for refused in ["", "17,8", "17. 8", &"9".repeat(41)] {
    ///     assert!(refused.parse::<IndicatorCode>().is_err(), "{refused}");
    /// }
    /// # Ok::<(), ntm_tracker::domain::DomainError>(())
    /// ```
    IndicatorCode,
    "indicator code",
    "letters, digits, '.' or '-' (at most 40)",
    is_code
);

string_newtype!(
    /// Code of a criteria set (bộ tiêu chí), e.g. `NTM-XA-2021-2025`.
    ///
    /// ```
    /// use ntm_tracker::domain::values::SetCode;
    ///
    /// let set: SetCode = "NTM-XA-2021-2025".parse()?;
    /// assert_eq!(set.to_string(), "NTM-XA-2021-2025");
    /// for refused in ["ntm-xa-2021-2025", "NTM XA 2021", "NTM_XA", "NTM-XÃ-2021", ""] {
    ///     assert!(refused.parse::<SetCode>().is_err(), "{refused}");
    /// }
    /// # Ok::<(), ntm_tracker::domain::DomainError>(())
    /// ```
    SetCode,
    "criteria set code",
    "upper-case letters, digits and '-'",
    |s| !s.is_empty()
        && s.len() <= 60
        && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
);

string_newtype!(
    /// Number of a legal act or decision (số hiệu văn bản), e.g. `1763/QĐ-UBND`,
    /// `18/2022/QĐ-TTg`, `1283/NQ-UBTVQH15`: digits, then '/'-separated parts, no spaces.
    ///
    /// ```
    /// use ntm_tracker::domain::values::DecisionNumber;
    ///
    /// for accepted in ["1763/QĐ-UBND", "18/2022/QĐ-TTg", "1283/NQ-UBTVQH15"] {
    ///     assert_eq!(accepted.parse::<DecisionNumber>()?.to_string(), accepted);
    /// }
    /// for refused in ["QĐ-UBND", "1763", "1763/", "1763/QĐ UBND", "/QĐ", "1763//QĐ"] {
    ///     assert!(refused.parse::<DecisionNumber>().is_err(), "{refused}");
    /// }
    /// # Ok::<(), ntm_tracker::domain::DomainError>(())
    /// ```
    DecisionNumber,
    "decision number",
    "digits followed by '/'-separated parts without spaces, e.g. 1763/QĐ-UBND",
    is_decision_number
);

fn is_decision_number(s: &str) -> bool {
    let mut parts = s.split('/');
    let first_is_number = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let rest: Vec<&str> = parts.collect();
    first_is_number
        && !rest.is_empty()
        && rest
            .iter()
            .all(|p| !p.is_empty() && !p.chars().any(char::is_whitespace))
}

impl IndicatorCode {
    /// Whether this indicator sits under `criterion`: `17.8` under `17`, `5` under `5`.
    ///
    /// ```
    /// use ntm_tracker::domain::values::{CriterionCode, IndicatorCode};
    ///
    /// let c17: CriterionCode = "17".parse()?;
    /// assert!("17.8".parse::<IndicatorCode>()?.belongs_to(&c17));
    /// assert!("17".parse::<IndicatorCode>()?.belongs_to(&c17));
    /// assert!(!"178".parse::<IndicatorCode>()?.belongs_to(&c17)); // a prefix, not a parent
    /// # Ok::<(), ntm_tracker::domain::DomainError>(())
    /// ```
    pub fn belongs_to(&self, criterion: &CriterionCode) -> bool {
        let c = criterion.as_str();
        self.0 == c || self.0.strip_prefix(c).is_some_and(|r| r.starts_with('.'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locality_codes_keep_their_zero_padding() {
        for (input, ok) in [
            ("18094", true),
            ("00001", true),
            ("42", true),
            ("436", true),
        ] {
            assert_eq!(input.parse::<LocalityCode>().is_ok(), ok, "{input}");
        }
        for bad in ["1809", "180940", "18a94", "", " 18094"] {
            assert!(bad.parse::<LocalityCode>().is_err(), "{bad}");
        }
        let code: LocalityCode = "01234".parse().expect("valid code");
        assert_eq!(code.to_string(), "01234");
    }

    #[test]
    fn decision_numbers_follow_the_official_shape() {
        for good in [
            "1763/QĐ-UBND",
            "18/2022/QĐ-TTg",
            "1283/NQ-UBTVQH15",
            "19/QĐ-UBND",
        ] {
            assert!(good.parse::<DecisionNumber>().is_ok(), "{good}");
        }
        for bad in ["QĐ-UBND", "1763", "1763/", "1763/QĐ UBND", "/QĐ"] {
            assert!(bad.parse::<DecisionNumber>().is_err(), "{bad}");
        }
    }

    #[test]
    fn indicators_belong_to_their_criterion_by_prefix() {
        let c17: CriterionCode = "17".parse().expect("code");
        let c1: CriterionCode = "1".parse().expect("code");
        let i178: IndicatorCode = "17.8".parse().expect("code");
        assert!(i178.belongs_to(&c17));
        assert!(!i178.belongs_to(&c1));
        let i5: IndicatorCode = "5".parse().expect("code");
        assert!(i5.belongs_to(&"5".parse().expect("code")));
    }

    #[test]
    fn invalid_values_cannot_be_deserialized() {
        assert!(serde_json::from_str::<LocalityCode>("\"1809\"").is_err());
        let ok: LocalityCode = serde_json::from_str("\"18094\"").expect("valid");
        assert_eq!(ok.as_str(), "18094");
    }
}
