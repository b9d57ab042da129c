//! Room in a document, so no one device can lock the others out: each device's own
//! operations may fill at most a share of a document (`limits::MAX_DEVICE_SHARE_OPS`), and
//! a host's small index changes (a removal, above all) keep room beyond the document's
//! limit (`limits::HOST_ROOM_OPS`) — so a member who filled the index can still be removed.
//! Counted only when a document comes near its limits: below them, no device can exceed
//! its share, and nothing is read.

use super::ChangeMeta;
use crate::limits::{HOST_CHANGE_OPS, HOST_ROOM_OPS, MAX_DEVICE_SHARE_OPS, MAX_DOC_OPS};
use automerge::{ActorId, AutoCommit};
use std::collections::{BTreeMap, BTreeSet};

/// What the room rules need of a document: the operations each writer holds in it, and
/// (the index) which writers are hosts' devices.
#[derive(Clone, Debug, Default)]
pub struct Room {
    /// Operations held per writer (an actor id; a device writes under a few).
    by_writer: BTreeMap<Vec<u8>, u64>,
    /// Actor-id prefixes (device keys) of hosts' devices.
    hosts: BTreeSet<[u8; 32]>,
}

impl Room {
    /// Whether a document holding `doc_ops` that receives `incoming_ops` more comes near
    /// enough to a limit that the room must be counted.
    pub fn needed(doc_ops: u64, incoming_ops: u64) -> bool {
        doc_ops.saturating_add(incoming_ops) > MAX_DEVICE_SHARE_OPS
    }

    /// The room of `am` as it is (`index`: host devices too, from its membership acts).
    pub fn of(am: &mut AutoCommit, index: bool) -> Room {
        let mut room = Room::default();
        for m in am.get_changes_meta(&[]) {
            let ops = (m.max_op + 1).saturating_sub(m.start_op);
            *room.by_writer.entry(device_of(&m.actor)).or_default() += ops;
        }
        if index {
            let membership = crate::membership::of_doc(am);
            room.hosts = membership
                .devices
                .iter()
                .filter(|(_, m)| membership.hosts.contains(m))
                .map(|(d, _)| d.0)
                .collect();
        }
        room
    }

    /// Why `c` may not be taken (with the document at `doc_ops`), if it may not; takes it
    /// into the count if it may.
    pub fn admit(&mut self, c: &ChangeMeta, doc_ops: u64) -> Result<(), super::Unsigned> {
        let writer = device_of(&c.actor);
        let ops = c.ops as u64;
        let is_host = writer
            .get(..32)
            .and_then(|k| <[u8; 32]>::try_from(k).ok())
            .is_some_and(|k| self.hosts.contains(&k));
        let over_doc = doc_ops + ops > MAX_DOC_OPS;
        let host_room =
            is_host && c.ops <= HOST_CHANGE_OPS && doc_ops + ops <= MAX_DOC_OPS + HOST_ROOM_OPS;
        if over_doc && !host_room {
            return Err(super::Unsigned::OverfillsDocument);
        }
        let held = self.by_writer.get(&writer).copied().unwrap_or(0);
        if held + ops > MAX_DEVICE_SHARE_OPS && !host_room {
            return Err(super::Unsigned::OverfillsShare);
        }
        *self.by_writer.entry(writer).or_default() += ops;
        Ok(())
    }
}

/// A writer's device: its actor id without the writer-slot byte (the whole id where it
/// names no device).
fn device_of(actor: &ActorId) -> Vec<u8> {
    let bytes = actor.to_bytes();
    bytes.get(..32).unwrap_or(bytes).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{DeviceId, NotebookId};

    fn change_by(actor: &ActorId, ops: usize) -> ChangeMeta {
        ChangeMeta {
            hash: automerge::ChangeHash([ops as u8; 32]),
            actor: actor.clone(),
            deps: Vec::new(),
            overwrites_root: false,
            ops,
        }
    }

    #[test]
    fn a_full_index_still_takes_a_hosts_small_change_and_nobody_elses() {
        let (host, member) = (DeviceId([1; 32]), DeviceId([2; 32]));
        let mut index =
            crate::IndexDoc::create(NotebookId::random(), "G", "", host.actor(0), 0).unwrap();
        let ann = index.found("Ann", "", "", host, 0).unwrap();
        let bea = index.add_member("Bea", "", "", Some(ann), 0).unwrap();
        index.add_device(member, bea, "", Some(ann), 0).unwrap();
        let mut room = Room::of(index.doc_mut(), true);
        assert!(room.hosts.contains(&host.0) && !room.hosts.contains(&member.0));
        let full = MAX_DOC_OPS;
        // Bea's removal of anything, or her next question, finds the index full.
        let why = room.admit(&change_by(&member.actor(0), 40), full);
        assert_eq!(why, Err(super::super::Unsigned::OverfillsDocument));
        // Ann's removal of Bea is taken; a host's large change is not.
        assert_eq!(room.admit(&change_by(&host.actor(0), 40), full), Ok(()));
        let large = change_by(&host.actor(0), HOST_CHANGE_OPS + 1);
        assert!(room.admit(&large, full).is_err());
    }

    #[test]
    fn a_writer_past_their_share_is_refused_where_another_is_not() {
        let (one, other) = (ActorId::random(), ActorId::random());
        let mut room = Room::default();
        let half = (MAX_DEVICE_SHARE_OPS / 2) as usize;
        assert_eq!(room.admit(&change_by(&one, half), 0), Ok(()));
        assert_eq!(room.admit(&change_by(&one, half), half as u64), Ok(()));
        let why = room.admit(&change_by(&one, 1), 2 * half as u64);
        assert_eq!(why, Err(super::super::Unsigned::OverfillsShare));
        assert_eq!(room.admit(&change_by(&other, 1), 2 * half as u64), Ok(()));
    }
}
