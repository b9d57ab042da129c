//! Who may sync a notebook: an active device of an active member, as the index's
//! membership acts say (`stones_doc::membership`: evaluated causally, so what a removed
//! member did concurrently with the removal counts for nothing). A notebook from before acts
//! existed is read from the member and device maps, as it always was.

use stones_doc::{DeviceId, NotebookView};

/// Whether `device` is a device of the notebook that is not revoked, of a member who has
/// not left.
pub fn is_active_device(view: &NotebookView, device: DeviceId) -> bool {
    if view.membership.evaluated {
        return view.membership.devices.contains_key(&device);
    }
    view.devices.iter().any(|d| {
        d.id == device
            && d.revoked_at.is_none()
            && view.member(d.member).is_some_and(|m| m.left_at.is_none())
    })
}

/// Every active device of the notebook.
pub fn active_devices(view: &NotebookView) -> Vec<DeviceId> {
    view.devices
        .iter()
        .filter(|d| is_active_device(view, d.id))
        .map(|d| d.id)
        .collect()
}

/// May `peer` sync a notebook with `me`? `index` is our index of it (if held), `inviter` the
/// device that let us in (if we are joining). Until our own device appears in the index we
/// hold, the join is unfinished and the inviter stays allowed. A device our index has never
/// heard of is `Unverified` (the core treats it as refused unless we dialled it).
pub fn decide(
    index: Option<&NotebookView>,
    me: DeviceId,
    inviter: Option<&DeviceId>,
    peer: DeviceId,
) -> crate::core::Access {
    use crate::core::{Access, NOT_SHARED};
    let joined = index.is_some_and(|v| is_active_device(v, me));
    let known = index.is_some_and(|v| v.devices.iter().any(|d| d.id == peer));
    if joined && index.is_some_and(|v| is_active_device(v, peer)) {
        Access::Member
    } else if joined && !known {
        Access::Unverified
    } else if !joined && inviter == Some(&peer) {
        Access::Joining
    } else {
        Access::Refused(NOT_SHARED.into())
    }
}
