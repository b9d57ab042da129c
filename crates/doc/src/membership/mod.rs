//! Membership evaluated causally. Every change to who belongs — founding the notebook,
//! adding a member or a device, making or redeeming an invite, removing or re-admitting a
//! member — is recorded in the index as an **act**: an entry that names what it does and
//! the acts its writer had already seen (`seen`). Acts form a causal graph of their own, and
//! who is a member is computed from that graph (`evaluate.rs`), not from the merged values
//! of the member and device maps, which only hold what people see (names, sectors, dates).
//!
//! The rules (the same on every device, for the same acts):
//!
//! 1. The founding act counts (it is written by the device that wrote the notebook's id).
//! 2. Any other act counts only if its author device was active in the act's causal past:
//!    its device and member added by acts that count, and not removed since.
//! 3. A removal wins over everything the removed member did concurrently or afterwards:
//!    such an act is void unless it happened before the removal (the removal's writer had
//!    seen it), or after a re-admission of the member that follows the removal.
//! 4. Only an act that counts can re-admit; the removed member cannot re-admit themself.
//! 5. Members who remove each other concurrently are both removed (a removal is voided by a
//!    concurrent removal of its author only where that one is not voided in turn; where
//!    removals void each other in a ring, all of them hold).
//! 6. An admission through an invite counts only if the invite's act counts and was seen.
//! 7. An act whose `seen` names acts this device does not hold waits (does not count yet).
//! 8. **Hosts.** The founding member is a host; a host may make another member a host, or
//!    stop one being a host. Only a host removes members (a member may remove themself) or
//!    adds a device to another member outside an invite; no act moves a device that is one
//!    member's to another;
//!    an act that would leave the group with no host among its members is void. If the
//!    acts still leave no host among the members (hosts removing each other concurrently),
//!    every member is one, so the group is never left unable to act.
//! 9. **Invites are acts with terms.** An invite's uses and expiry are part of its act. An
//!    admission through it counts only while it is open: within its uses (admissions in
//!    causal order, ties by id, so one of two concurrent redemptions of a one-use invite
//!    counts everywhere), before its expiry (as the admitting device dated the admission),
//!    and not closed: a cancellation (by its maker's member or a host) and a removal close
//!    it — a removal closes every invite made before it — for every admission the closing
//!    act had not seen (concurrent admissions too, as a removal wins over concurrent acts).
//!
//! The author of an act is the device its automerge op id names (the actor id begins with
//! the device's public key); that it was really that device is what signed changes add.
//! A notebook made before acts existed has none: its membership is read from the maps as
//! before (`Membership::evaluated` is false).

mod acts;
mod evaluate;

pub use acts::read_acts;
pub(crate) use acts::record_act;
pub use evaluate::evaluate;

/// Who belongs, as an index document's acts say; for a notebook with no founding act (made
/// before acts existed) an unevaluated `Membership`, and the maps decide as before.
pub fn of_doc(doc: &impl automerge::ReadDoc) -> Membership {
    let acts = read_acts(doc);
    if !acts.iter().any(|a| matches!(a.kind, ActKind::Found { .. })) {
        return Membership::default();
    }
    evaluate(&acts)
}

use crate::ids::{DeviceId, EntryId, MemberId};
use std::collections::{BTreeMap, BTreeSet};

/// What one act does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActKind {
    /// The notebook was created by this member on this device.
    Found {
        /// The founding member.
        member: MemberId,
        /// Their device.
        device: DeviceId,
    },
    /// A member was added (through an invite, if one is named).
    AddMember {
        /// The new member.
        member: MemberId,
        /// The invite they joined with.
        invite: Option<EntryId>,
    },
    /// A device was added to a member (through an invite, if one is named).
    AddDevice {
        /// The device.
        device: DeviceId,
        /// Whose it is.
        member: MemberId,
        /// The invite it joined with.
        invite: Option<EntryId>,
    },
    /// An invite was made, with its terms (absent in acts from before terms were recorded:
    /// then no limit counts here, and the admitting device's checks were all there was).
    Invite {
        /// The invite.
        invite: EntryId,
        /// How many devices may join with it.
        uses: Option<u32>,
        /// Until when (unix ms).
        expires_at: Option<i64>,
    },
    /// An invite was cancelled: nobody joins with it any more.
    CancelInvite {
        /// The invite.
        invite: EntryId,
    },
    /// A member was made a host (may remove members, cancel any invite, change who hosts).
    MakeHost {
        /// The member.
        member: MemberId,
    },
    /// A member stopped being a host.
    UnmakeHost {
        /// The member.
        member: MemberId,
    },
    /// A device joined with an invite (one use).
    Redeem {
        /// The invite.
        invite: EntryId,
        /// The device that joined.
        device: DeviceId,
    },
    /// A member was removed: their devices are refused from then on.
    RemoveMember {
        /// The member.
        member: MemberId,
    },
    /// A removed member was re-admitted on purpose.
    ReadmitMember {
        /// The member.
        member: MemberId,
    },
}

impl ActKind {
    /// What kind of act, in the words stored in the document.
    pub fn word(&self) -> &'static str {
        match self {
            ActKind::Found { .. } => "found",
            ActKind::AddMember { .. } => "add-member",
            ActKind::AddDevice { .. } => "add-device",
            ActKind::Invite { .. } => "invite",
            ActKind::Redeem { .. } => "redeem",
            ActKind::RemoveMember { .. } => "remove-member",
            ActKind::ReadmitMember { .. } => "readmit-member",
            ActKind::CancelInvite { .. } => "cancel-invite",
            ActKind::MakeHost { .. } => "make-host",
            ActKind::UnmakeHost { .. } => "unmake-host",
        }
    }
}

/// One act as read from the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Act {
    /// Its identity: the automerge op id of its entry (`counter@actor`), which no other
    /// writer can claim.
    pub id: String,
    /// The device that wrote it (from the op id's actor).
    pub author: Option<DeviceId>,
    /// What it does.
    pub kind: ActKind,
    /// The acts its writer had seen (their frontier then).
    pub seen: Vec<String>,
    /// Written by the device that wrote the notebook's id (a founding act needs this).
    pub by_creator: bool,
    /// When, as its author's clock said (unix ms; absent in acts from before it was kept).
    pub at_ms: Option<i64>,
}

/// Why an act does not count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoidReason {
    /// Its author was not an active device of the notebook in the act's causal past.
    AuthorNotActive,
    /// Its author's member was removed, and the act did not happen before the removal.
    AuthorRemoved,
    /// It admits someone through an invite that does not count (or was not seen).
    InviteVoid,
    /// It follows acts this device does not hold yet.
    Waiting,
    /// A founding act not written by the notebook's creator.
    NotFounder,
    /// Only a host may do this (remove another member, add a device to another member,
    /// cancel another's invite, change who hosts), and its author was not one.
    NotHost,
    /// It adds a device that is already another member's.
    DeviceTaken,
    /// It would have left the group with no host among its members.
    LastHost,
    /// It admits someone through an invite that was cancelled, or closed by a removal,
    /// before or concurrently with it.
    InviteClosed,
    /// It admits someone through an invite whose uses were all taken (in causal order).
    InviteUsedUp,
    /// It admits someone through an invite after the invite had expired.
    InviteExpired,
}

impl std::fmt::Display for VoidReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            VoidReason::AuthorNotActive => {
                "made by a device that was not an active member device at the time"
            }
            VoidReason::AuthorRemoved => {
                "made by a member who was being removed (concurrently with or after the removal)"
            }
            VoidReason::InviteVoid => "through an invite that does not count",
            VoidReason::Waiting => "follows membership changes this device has not received",
            VoidReason::NotFounder => "claims to found the notebook, but its creator did not",
            VoidReason::NotHost => "made by a member who is not a host",
            VoidReason::DeviceTaken => "it gives a device that is another member's to someone else",
            VoidReason::LastHost => "it would have left the group with no host",
            VoidReason::InviteClosed => {
                "through an invite that was cancelled or closed by a removal"
            }
            VoidReason::InviteUsedUp => "through an invite whose uses were all taken",
            VoidReason::InviteExpired => "through an invite that had expired",
        })
    }
}

/// An act that does not count, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoidAct {
    /// The act.
    pub act: Act,
    /// Why it does not count.
    pub why: VoidReason,
}

/// Who belongs, as the acts say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Membership {
    /// False for a notebook with no acts (made before they existed): then the member and
    /// device maps decide, as they always did.
    pub evaluated: bool,
    /// Members who belong now.
    pub members: BTreeSet<MemberId>,
    /// Members who were removed (and not re-admitted).
    pub removed: BTreeSet<MemberId>,
    /// Active devices, with their member.
    pub devices: BTreeMap<DeviceId, MemberId>,
    /// Every device an act that counts added, with its member — removed members' devices
    /// too: whose a device is (who wrote a change) is read here, never from the device map
    /// any member may edit.
    pub device_members: BTreeMap<DeviceId, MemberId>,
    /// Invites that are open: their act counts, uses are left, and no cancellation or
    /// removal closed them (expiry is a matter of the clock: see `invite_terms`).
    pub invites: BTreeSet<EntryId>,
    /// Every invite whose act counts, with its terms and what became of it.
    pub invite_terms: BTreeMap<EntryId, InviteTerms>,
    /// Members who are hosts.
    pub hosts: BTreeSet<MemberId>,
    /// Acts that do not count, in causal order.
    pub void: Vec<VoidAct>,
}

/// An invite as the acts say: who made it, its terms, how it was used, whether it closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteTerms {
    /// The member who made it.
    pub maker: MemberId,
    /// How many devices may join with it (`None`: made before terms were recorded).
    pub uses: Option<u32>,
    /// Until when (unix ms).
    pub expires_at: Option<i64>,
    /// Devices admitted with it that count.
    pub used: u32,
    /// Why it no longer admits anyone, if it was closed.
    pub closed: Option<Closed>,
}

/// How an invite was closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closed {
    /// Cancelled on purpose.
    Cancelled,
    /// Closed by a member's removal (every invite open then closes).
    ByRemoval,
}

impl InviteTerms {
    /// Whether it may still admit someone at `now_ms`.
    pub fn is_open(&self, now_ms: i64) -> bool {
        self.closed.is_none()
            && self.uses.is_none_or(|u| self.used < u)
            && self.expires_at.is_none_or(|e| now_ms <= e)
    }
}

impl Membership {
    /// Whether `member` is a host (for a notebook from before acts: everyone is).
    pub fn is_host(&self, member: MemberId) -> bool {
        !self.evaluated || self.hosts.contains(&member)
    }

    /// Why a member's admission does not count, if it does not.
    pub fn not_admitted(&self, member: MemberId) -> Option<VoidReason> {
        self.void.iter().find_map(|v| match v.act.kind {
            ActKind::AddMember { member: m, .. } if m == member => Some(v.why),
            _ => None,
        })
    }
}
