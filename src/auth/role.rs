//! Roles a token carries and the rights each grants (DESIGN §6).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a token may do; `scope` narrows the writing rights to a locality subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads everything except actor identities.
    Viewer,
    /// Viewer rights plus readings, assessments and enrolments inside its scope.
    Recorder,
    /// Recorder rights plus registrations, lineage changes, appraisal votes, recognitions,
    /// revocations and acknowledgements inside its scope.
    Approver,
    /// Reads everything, including actor identities and token events.
    Auditor,
    /// Everything.
    Admin,
}

/// One thing a request may need permission for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Right {
    /// Any query or subscription (anonymous too when public read is on).
    Read,
    /// Who recorded what: actors, metadata and the events of token streams.
    SeeIdentities,
    /// Enrolments, indicator readings, criterion assessments (scoped).
    Record,
    /// Registrations, lineage changes, votes, recognitions, revocations (scoped).
    Approve,
    /// A recognition granted with an override reason, although its criteria, conditions or
    /// council vote do not support it (scoped).
    Override,
    /// Publishing a criteria set or a version of one: the law every locality is graded by.
    Publish,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Viewer,
        Role::Recorder,
        Role::Approver,
        Role::Auditor,
        Role::Admin,
    ];

    pub fn grants(self, right: Right) -> bool {
        use Role::*;
        match right {
            Right::Read => true,
            Right::SeeIdentities => matches!(self, Auditor | Admin),
            Right::Record => matches!(self, Recorder | Approver | Admin),
            Right::Approve | Right::Override => matches!(self, Approver | Admin),
            Right::Publish => matches!(self, Admin),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Recorder => "recorder",
            Role::Approver => "approver",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown role {s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::{Right, Role};

    #[test]
    fn each_role_has_exactly_the_rights_of_the_issue() {
        use Right::*;
        let table = [
            (Role::Viewer, [true, false, false, false, false, false]),
            (Role::Recorder, [true, false, true, false, false, false]),
            (Role::Approver, [true, false, true, true, true, false]),
            (Role::Auditor, [true, true, false, false, false, false]),
            (Role::Admin, [true, true, true, true, true, true]),
        ];
        for (role, expected) in table {
            let rights = [Read, SeeIdentities, Record, Approve, Override, Publish];
            let granted = rights.map(|r| role.grants(r));
            assert_eq!(granted, expected, "{role}");
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
    }
}
