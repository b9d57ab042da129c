//! A refusal read as a type: the reason texts peers send (`reason.rs`) mapped to what the
//! app and the CLI show and decide on, so nothing downstream matches strings.

use super::reason;

/// Why a peer or a member device would not let us in (or we would not let it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The device is not a member device of any notebook shared with it.
    NotAMemberDevice,
    /// The device was a member device and has been removed.
    Removed,
    /// The notebook is not shared with the device (or not held).
    UnknownNotebook,
    /// The peer speaks another protocol version.
    ProtocolVersion,
    /// The invite has expired.
    InviteExpired,
    /// The invite has no uses left.
    InviteUsedUp,
    /// The invite's secret does not match: forged or mistyped.
    InviteForged,
    /// The member device asked does not know the invite.
    InviteUnknown,
    /// The invite was made by a member being removed: it does not count.
    InviteVoid,
    /// The invite was made for a member whose device joined with it already.
    InviteForTaken,
    /// The invite was cancelled, or closed by a member's removal.
    InviteClosed,
    /// The joiner's name is a member's already.
    NameTaken {
        /// That member's name.
        name: String,
        /// Whether they have a device: if not, the joiner may be them (join as them).
        has_device: bool,
    },
    /// Anything else, as the peer said it.
    Other(String),
}

impl Refusal {
    /// Reads a reason a peer gave (a `Bye`, a refused notebook, a refused join).
    pub fn from_reason(text: &str) -> Refusal {
        let has = |r: &str| text.contains(r);
        if has(reason::REMOVED) {
            Refusal::Removed
        } else if has(reason::NOT_MEMBER)
            || has(reason::UNKNOWN_DEVICE)
            || has(reason::NOT_ANY_MEMBER)
        {
            Refusal::NotAMemberDevice
        } else if has(reason::NOT_SHARED) {
            Refusal::UnknownNotebook
        } else if has("protocol version") {
            Refusal::ProtocolVersion
        } else if has(reason::INVITE_EXPIRED) {
            Refusal::InviteExpired
        } else if has(reason::INVITE_USED_UP) {
            Refusal::InviteUsedUp
        } else if has(reason::INVITE_FORGED) {
            Refusal::InviteForged
        } else if has(reason::INVITE_VOID) {
            Refusal::InviteVoid
        } else if has(reason::INVITE_UNKNOWN) {
            Refusal::InviteUnknown
        } else if has(reason::INVITE_FOR_TAKEN) {
            Refusal::InviteForTaken
        } else if has(reason::INVITE_CLOSED) {
            Refusal::InviteClosed
        } else if let Some((_, rest)) = text.split_once(reason::NAME_TAKEN)
            && let Some((_, rest)) = rest.split_once('“')
            && let Some((name, after)) = rest.split_once('”')
        {
            Refusal::NameTaken {
                name: name.to_string(),
                has_device: !after.contains(reason::NAME_TAKEN_NO_DEVICE),
            }
        } else {
            Refusal::Other(text.to_string())
        }
    }

    /// Whether a connection that closed with this reason was a refusal (not a network
    /// failure or a peer going away).
    pub fn is_refusal(text: &str) -> bool {
        !matches!(Refusal::from_reason(text), Refusal::Other(_))
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            Refusal::NotAMemberDevice => "this device is not a member device of the notebook",
            Refusal::Removed => reason::REMOVED,
            Refusal::UnknownNotebook => "the notebook is not shared with this device",
            Refusal::ProtocolVersion => "the other device speaks another protocol version",
            Refusal::InviteExpired => reason::INVITE_EXPIRED,
            Refusal::InviteUsedUp => reason::INVITE_USED_UP,
            Refusal::InviteForged => reason::INVITE_FORGED,
            Refusal::InviteUnknown => reason::INVITE_UNKNOWN,
            Refusal::InviteVoid => reason::INVITE_VOID,
            Refusal::InviteForTaken => reason::INVITE_FOR_TAKEN,
            Refusal::InviteClosed => reason::INVITE_CLOSED,
            Refusal::NameTaken { name, has_device } => {
                return f.write_str(&reason::name_taken(name, *has_device));
            }
            Refusal::Other(s) => s,
        };
        f.write_str(text)
    }
}
