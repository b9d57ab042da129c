//! Typed edits of who belongs: founding, members, devices, invites, admission, removal and
//! re-admission. Each writes what people see (the member and device maps: names, sectors,
//! dates) and records the act that membership is evaluated from (`crate::membership`).

use super::IndexDoc;
use super::hosts::open_invites;
use crate::am::ensure_map;
use crate::error::{DocError, Result};
use crate::ids::{DeviceId, EntryId, MemberId};
use crate::membership::{ActKind, record_act};
use crate::schema::key;
use automerge::transaction::Transactable;
use automerge::{ObjType, ScalarValue};

/// Who is joining, as they introduce themselves.
#[derive(Clone, Copy, Debug)]
pub struct Newcomer<'a> {
    /// Their name, as the group will know them.
    pub name: &'a str,
    /// Their sector.
    pub sector: &'a str,
    /// Their device.
    pub device: DeviceId,
}

impl IndexDoc {
    /// Founds the notebook: its first member and their device, in the creating change.
    pub fn found(
        &mut self,
        name: &str,
        sector: &str,
        role: &str,
        device: DeviceId,
        now_ms: i64,
    ) -> Result<MemberId> {
        let member = self.put_member(name, sector, role, None, now_ms)?;
        self.put_device(device, member, "first device", Some(member), now_ms)?;
        record_act(&mut self.doc, &ActKind::Found { member, device }, now_ms)?;
        Ok(member)
    }

    /// Adds a member. `by` is the member who added them.
    pub fn add_member(
        &mut self,
        name: &str,
        sector: &str,
        role: &str,
        by: Option<MemberId>,
        now_ms: i64,
    ) -> Result<MemberId> {
        let member = self.put_member(name, sector, role, by, now_ms)?;
        let kind = ActKind::AddMember {
            member,
            invite: None,
        };
        record_act(&mut self.doc, &kind, now_ms)?;
        Ok(member)
    }

    /// Corrects a member's details; `None` leaves a field as it is. Who belongs is not a
    /// detail: removal and re-admission are acts of their own.
    pub fn update_member(
        &mut self,
        member: MemberId,
        name: Option<&str>,
        sector: Option<&str>,
        role: Option<&str>,
    ) -> Result<()> {
        let obj = self.entry(key::MEMBERS, &member.to_hex())?;
        if let Some(name) = name {
            let name = super::names::check_name(&self.members(), name, Some(member))?;
            crate::am::put_if_changed(&mut self.doc, &obj, key::NAME, name.as_str())?;
        }
        for (k, v) in [(key::SECTOR, sector), (key::ROLE, role)] {
            if let Some(v) = v {
                crate::am::put_if_changed(&mut self.doc, &obj, k, v.trim())?;
            }
        }
        Ok(())
    }

    /// Records that a device belongs to a member.
    pub fn add_device(
        &mut self,
        device: DeviceId,
        member: MemberId,
        label: &str,
        by: Option<MemberId>,
        now_ms: i64,
    ) -> Result<()> {
        self.put_device(device, member, label, by, now_ms)?;
        let kind = ActKind::AddDevice {
            device,
            member,
            invite: None,
        };
        record_act(&mut self.doc, &kind, now_ms).map(|_| ())
    }

    /// Admits a newcomer with an invite: their member, their device and the invite's use,
    /// each an act that counts only if the invite does. `by` made the invite.
    pub fn admit(
        &mut self,
        invite: EntryId,
        who: Newcomer,
        by: Option<MemberId>,
        now_ms: i64,
    ) -> Result<MemberId> {
        let member = self.put_member(who.name, who.sector, "", by, now_ms)?;
        let inv = Some(invite);
        record_act(
            &mut self.doc,
            &ActKind::AddMember {
                member,
                invite: inv,
            },
            now_ms,
        )?;
        self.put_device(who.device, member, "joined with an invite", by, now_ms)?;
        let device = who.device;
        let kind = ActKind::AddDevice {
            device,
            member,
            invite: inv,
        };
        record_act(&mut self.doc, &kind, now_ms)?;
        self.redeem_invite(invite, device, now_ms)?;
        Ok(member)
    }

    /// Admits a device with an invite as the device of a member the group already has (one
    /// who had no device: an invite made for them, or `join --as`): no second member.
    pub fn admit_device(
        &mut self,
        invite: EntryId,
        member: MemberId,
        device: DeviceId,
        by: Option<MemberId>,
        now_ms: i64,
    ) -> Result<()> {
        self.entry(key::MEMBERS, &member.to_hex())?;
        self.put_device(device, member, "their own device, by invite", by, now_ms)?;
        let kind = ActKind::AddDevice {
            device,
            member,
            invite: Some(invite),
        };
        record_act(&mut self.doc, &kind, now_ms)?;
        self.redeem_invite(invite, device, now_ms)
    }

    /// Marks a member as having left, and their devices as revoked. They are refused from
    /// then on; what they did before this device had seen it still counts. Only a host
    /// removes another member, and never the last host. Every invite open now closes (the
    /// removed member may hold its ticket): returns how many, so they can be made again.
    pub fn remove_member(&mut self, member: MemberId, now_ms: i64) -> Result<usize> {
        let before = self.members();
        self.check_may_remove(&before, member)?;
        let obj = self.entry(key::MEMBERS, &member.to_hex())?;
        self.doc
            .put(&obj, key::LEFT_AT, ScalarValue::Timestamp(now_ms))?;
        let devices = self.view().devices;
        for d in devices
            .iter()
            .filter(|d| d.member == member && d.revoked_at.is_none())
        {
            let dev = self.entry(key::DEVICES, &d.id.to_hex())?;
            self.doc
                .put(&dev, key::REVOKED_AT, ScalarValue::Timestamp(now_ms))?;
        }
        record_act(&mut self.doc, &ActKind::RemoveMember { member }, now_ms)?;
        Ok(open_invites(&before, now_ms))
    }

    /// Re-admits a removed member on purpose (their devices with them). Only a host can.
    pub fn readmit_member(&mut self, member: MemberId, now_ms: i64) -> Result<()> {
        self.check_host("re-admit a member")?;
        let obj = self.entry(key::MEMBERS, &member.to_hex())?;
        self.doc.delete(&obj, key::LEFT_AT)?;
        let devices = self.view().devices;
        for d in devices.iter().filter(|d| d.member == member) {
            let dev = self.entry(key::DEVICES, &d.id.to_hex())?;
            self.doc.delete(&dev, key::REVOKED_AT)?;
        }
        record_act(&mut self.doc, &ActKind::ReadmitMember { member }, now_ms).map(|_| ())
    }

    /// Who belongs (members, devices, invites) read cheaply, for the checks edits make.
    pub(super) fn members(&self) -> super::NotebookView {
        super::read_membership(&self.doc)
    }

    /// Merges two member entries that are one person: `from` counts as `into` from now on
    /// (turns, reflections, attendance, devices, voices), and leaves the list of members.
    pub fn merge_members(&mut self, from: MemberId, into: MemberId) -> Result<()> {
        if from == into {
            return Err(DocError::Invalid(
                "merge: a member cannot be merged with themselves; name two entries".into(),
            ));
        }
        let view = self.members();
        for (m, what) in [(from, "the member to merge"), (into, "the member to keep")] {
            if view.member(m).is_none() || view.canonical(m) != m {
                return Err(DocError::Invalid(format!(
                    "merge: {what} is not a member of this notebook (or was merged already)"
                )));
            }
        }
        let obj = self.entry(key::MEMBERS, &from.to_hex())?;
        self.doc.put(&obj, key::MERGED_INTO, into.to_hex())?;
        Ok(())
    }

    /// Records an invite (its secret only as a hash).
    #[allow(clippy::too_many_arguments)]
    pub fn add_invite(
        &mut self,
        invite: EntryId,
        secret_hash: &[u8],
        by: MemberId,
        expires_at_ms: i64,
        uses: u32,
        for_member: Option<MemberId>,
        now_ms: i64,
    ) -> Result<()> {
        if let Some(m) = for_member {
            let view = self.members();
            let name = view
                .member(m)
                .map(|x| x.name.clone())
                .ok_or(DocError::NotFound {
                    what: "member",
                    id: m.to_hex(),
                })?;
            if view
                .devices
                .iter()
                .any(|d| d.member == m && d.revoked_at.is_none())
            {
                return Err(DocError::Invalid(format!(
                    "invite --for: {name} already has a device of their own; a second device \
                     of theirs joins with an invite they make on it"
                )));
            }
        }
        let obj = self.new_entry(key::INVITES, &invite.to_hex(), Some(by), now_ms)?;
        if let Some(m) = for_member {
            self.doc.put(&obj, key::FOR_MEMBER, m.to_hex())?;
        }
        self.doc
            .put(&obj, key::SECRET_HASH, hex::encode(secret_hash))?;
        self.doc.put(&obj, key::CREATED_BY, by.to_hex())?;
        self.doc
            .put(&obj, key::EXPIRES_AT, ScalarValue::Timestamp(expires_at_ms))?;
        self.doc.put(&obj, key::USES_LEFT, i64::from(uses))?;
        // Made once here, so redemptions on different devices land in the same map.
        self.doc.put_object(&obj, key::REDEEMED, ObjType::Map)?;
        let terms = ActKind::Invite {
            invite,
            uses: Some(uses),
            expires_at: Some(expires_at_ms),
        };
        record_act(&mut self.doc, &terms, now_ms).map(|_| ())
    }

    /// Records that a device joined with an invite (one use).
    pub fn redeem_invite(&mut self, invite: EntryId, device: DeviceId, now_ms: i64) -> Result<()> {
        let obj = self.entry(key::INVITES, &invite.to_hex())?;
        let redeemed = ensure_map(&mut self.doc, &obj, key::REDEEMED)?;
        self.doc
            .put(&redeemed, device.to_hex(), ScalarValue::Timestamp(now_ms))?;
        record_act(&mut self.doc, &ActKind::Redeem { invite, device }, now_ms).map(|_| ())
    }

    pub(super) fn put_member(
        &mut self,
        name: &str,
        sector: &str,
        role: &str,
        by: Option<MemberId>,
        now_ms: i64,
    ) -> Result<MemberId> {
        let name = super::names::check_name(&self.members(), name, None)?;
        let id = MemberId::random();
        let obj = self.new_entry(key::MEMBERS, &id.to_hex(), by, now_ms)?;
        self.doc.put(&obj, key::NAME, name.as_str())?;
        self.doc.put(&obj, key::SECTOR, sector.trim())?;
        self.doc.put(&obj, key::ROLE, role.trim())?;
        self.doc
            .put(&obj, key::JOINED_AT, ScalarValue::Timestamp(now_ms))?;
        Ok(id)
    }

    fn put_device(
        &mut self,
        device: DeviceId,
        member: MemberId,
        label: &str,
        by: Option<MemberId>,
        now_ms: i64,
    ) -> Result<()> {
        let obj = self.new_entry(key::DEVICES, &device.to_hex(), by, now_ms)?;
        self.doc.put(&obj, key::MEMBER, member.to_hex())?;
        self.doc.put(&obj, key::LABEL, label)?;
        self.doc
            .put(&obj, key::ADDED_AT, ScalarValue::Timestamp(now_ms))?;
        if let Some(by) = by {
            self.doc.put(&obj, key::ADDED_BY, by.to_hex())?;
        }
        Ok(())
    }
}
