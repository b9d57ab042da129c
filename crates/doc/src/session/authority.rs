//! Who may change whose entry, as the practice says. A member records their own check-in
//! turn; the session's convener may record one for a member with no device of their own
//! (someone in the room without a laptop) — where no convener is recorded, a host may. An
//! entry's scope (whether it may leave the group) changes only by its author. Someone
//! else's entry is withdrawn only by its author or, acting as the convener, by the
//! session's convener (a host where none is recorded). The engine checks these before every
//! such edit, so no one's words appear, or leave the group, under another's hand.

use crate::error::{DocError, Result};
use crate::ids::MemberId;

/// Where the member acting stands, for one session.
#[derive(Clone, Copy, Debug)]
pub struct Standing {
    /// The member acting (this device's).
    pub me: MemberId,
    /// Whether they are a host.
    pub is_host: bool,
    /// The session's convener, if one is recorded.
    pub convener: Option<MemberId>,
}

impl Standing {
    /// Whether they may act as the session's convener: they are it, or none is recorded
    /// and they are a host.
    pub fn convenes(&self) -> bool {
        match self.convener {
            Some(c) => c == self.me,
            None => self.is_host,
        }
    }
}

/// Whether `st.me` may record (or change) `member`'s check-in turn; `name` is theirs and
/// `has_device` whether they have a device of their own.
pub fn may_record_turn(
    st: &Standing,
    member: MemberId,
    name: &str,
    has_device: bool,
) -> Result<()> {
    if member == st.me || (!has_device && st.convenes()) {
        return Ok(());
    }
    let why = if has_device {
        format!("{name} records their own turn, on their own device")
    } else {
        format!(
            "{name} has no device of their own: the session's convener records their turn (a \
             host, where no convener is recorded)"
        )
    };
    Err(DocError::NotYours(format!(
        "you cannot record {name}'s turn: {why}"
    )))
}

/// Whether `st.me` may change whether an entry written by `authors` may leave the group:
/// only its author may (it is their consent).
pub fn may_change_scope(st: &Standing, what: &str, authors: &[MemberId]) -> Result<()> {
    if authors.contains(&st.me) {
        return Ok(());
    }
    Err(DocError::NotYours(format!(
        "only who wrote this {what} decides whether it may leave the group"
    )))
}

/// Whether `st.me` may withdraw an entry written by `authors`: an author may; anyone else
/// only `as_convener`, and then only as [`Standing::convenes`] says.
pub fn may_withdraw(
    st: &Standing,
    what: &str,
    authors: &[MemberId],
    as_convener: bool,
) -> Result<()> {
    if authors.contains(&st.me) {
        return Ok(());
    }
    if !as_convener {
        return Err(DocError::NotYours(format!(
            "you did not write this {what}: only its author can withdraw it (a convener can, \
             with --as-convener)"
        )));
    }
    if st.convenes() {
        return Ok(());
    }
    Err(DocError::NotYours(match st.convener {
        Some(_) => format!("only this session's convener can withdraw someone else's {what}"),
        None => format!(
            "no convener is recorded here: only a host can withdraw someone else's {what} as \
             the convener"
        ),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(me: u8, is_host: bool, convener: Option<u8>) -> Standing {
        Standing {
            me: MemberId([me; 16]),
            is_host,
            convener: convener.map(|c| MemberId([c; 16])),
        }
    }

    #[test]
    fn a_turn_is_its_members_and_the_convener_records_only_for_the_deviceless() {
        let ann = MemberId([1; 16]);
        assert!(may_record_turn(&st(1, false, None), ann, "Ann", true).is_ok());
        assert!(may_record_turn(&st(2, true, Some(2)), ann, "Ann", true).is_err());
        assert!(may_record_turn(&st(2, false, Some(2)), ann, "Ann", false).is_ok());
        assert!(may_record_turn(&st(2, false, None), ann, "Ann", false).is_err());
        assert!(may_record_turn(&st(2, true, None), ann, "Ann", false).is_ok());
        assert!(may_record_turn(&st(3, true, Some(2)), ann, "Ann", false).is_err());
    }

    #[test]
    fn scope_is_the_authors_and_withdrawing_as_convener_needs_one() {
        let ann = [MemberId([1; 16])];
        assert!(may_change_scope(&st(1, false, None), "reflection", &ann).is_ok());
        assert!(may_change_scope(&st(2, true, Some(2)), "reflection", &ann).is_err());
        assert!(may_withdraw(&st(2, false, None), "turn", &ann, true).is_err());
        assert!(may_withdraw(&st(2, true, None), "turn", &ann, true).is_ok());
        assert!(may_withdraw(&st(2, false, Some(2)), "turn", &ann, true).is_ok());
        assert!(may_withdraw(&st(2, false, Some(3)), "turn", &ann, true).is_err());
        assert!(may_withdraw(&st(2, false, Some(2)), "turn", &ann, false).is_err());
    }
}
