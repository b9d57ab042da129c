//! The reasons said on the wire when a device refuses another (a `Bye`, a refused notebook,
//! a refused join): the one place that makes them; `Refusal::from_reason` reads them.

/// A refusal text.
pub const NOT_MEMBER: &str =
    "no notebook shared: this device is not a member device of any notebook the peer holds";
/// A refusal text.
pub const UNKNOWN_DEVICE: &str =
    "no notebook shared: the peer is not a member device of the notebook here";
/// A refusal text.
pub const REMOVED: &str = "this device is no longer a member device of the notebook";
/// A refusal text.
pub const NOT_SHARED: &str = "not shared with this device";
/// A refusal text.
pub const INVITE_EXPIRED: &str = "the invite has expired; ask for a new one";
/// A refusal text.
pub const INVITE_USED_UP: &str = "the invite has been used up; ask for a new one";
/// A refusal text.
pub const INVITE_FORGED: &str = "the invite's secret does not match (forged or mistyped)";
/// A refusal text.
pub const INVITE_UNKNOWN: &str = "this invite is not known to this device";
/// The invite was made for a member whose own device has joined with it already.
pub const INVITE_FOR_TAKEN: &str =
    "this invite was made for a member who already has a device; ask for a new one";
/// A joiner's name is a member's already; the name follows in “quotes”, then whether that
/// member has a device (see [`name_taken`]).
pub const NAME_TAKEN: &str = "there is already a member called";
/// Said after [`NAME_TAKEN`] when that member has no device yet.
pub const NAME_TAKEN_NO_DEVICE: &str = "who has no device yet";

/// The refusal of a joiner whose name is another member's already.
pub fn name_taken(name: &str, has_device: bool) -> String {
    if has_device {
        format!("{NAME_TAKEN} “{name}”; join under a name the group can tell apart")
    } else {
        format!(
            "{NAME_TAKEN} “{name}” {NAME_TAKEN_NO_DEVICE}: if that is you, join as them \
             (`stones join --as`); if not, join under a name the group can tell apart"
        )
    }
}
/// The invite's maker was removed, and the invite was made while that was happening.
pub const INVITE_VOID: &str =
    "this invite no longer counts: the member who made it has been removed; ask for a new one";

/// The invite was cancelled, or closed by a member's removal.
pub const INVITE_CLOSED: &str =
    "this invite was cancelled (or closed when a member was removed); ask for a new one";

/// A refusal text: the handshake refused a device no notebook here names (said in the
/// QUIC close, before any stream).
pub const NOT_ANY_MEMBER: &str = "not a member device of any notebook on this device";
/// Changes a peer sent refused (the reason follows it): every index change must be signed
/// by the device that wrote it, and no change may be larger than `stones_doc::limits` allow.
pub const REFUSED_CHANGE: &str = "changes refused, the rest was taken";
