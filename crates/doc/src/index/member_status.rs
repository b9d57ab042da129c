//! A member's standing as a person reading the member list sees it: you, a member, left, or
//! not admitted (an admission that does not count).

use super::view::{MemberView, NotebookView};
use crate::ids::MemberId;

/// Where a member stands, from this device's point of view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberStatus {
    /// The member this device belongs to.
    You,
    /// A current member.
    Member,
    /// Someone who left or was removed (they keep what they had).
    Left,
    /// Someone whose admission does not count: made by a member who was being removed, or
    /// through an invite that does not count (`NotebookView::membership` says why).
    NotAdmitted,
}

impl MemberStatus {
    /// The word `stones members` prints.
    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::You => "you",
            MemberStatus::Member => "member",
            MemberStatus::Left => "left",
            MemberStatus::NotAdmitted => "not-admitted",
        }
    }
}

impl std::fmt::Display for MemberStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl NotebookView {
    /// A member's status, seen by the device that belongs to `me`.
    pub fn status_of(&self, member: &MemberView, me: Option<MemberId>) -> MemberStatus {
        let m = &self.membership;
        if m.evaluated {
            return if m.members.contains(&member.id) {
                if Some(member.id) == me {
                    MemberStatus::You
                } else {
                    MemberStatus::Member
                }
            } else if m.removed.contains(&member.id) {
                MemberStatus::Left
            } else {
                MemberStatus::NotAdmitted
            };
        }
        match (member.left_at, Some(member.id) == me) {
            (Some(_), _) => MemberStatus::Left,
            (None, true) => MemberStatus::You,
            (None, false) => MemberStatus::Member,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn left_outranks_being_you() {
        let m = |left_at| MemberView {
            id: MemberId([1; 16]),
            name: "Ann".into(),
            sector: "NHS".into(),
            role: String::new(),
            joined_at: 0,
            left_at,
        };
        let view = NotebookView::default();
        let me = Some(MemberId([1; 16]));
        assert_eq!(view.status_of(&m(None), me), MemberStatus::You);
        assert_eq!(view.status_of(&m(None), None), MemberStatus::Member);
        assert_eq!(view.status_of(&m(Some(5)), me), MemberStatus::Left);
    }
}
