//! A founder's device for hostile-input tests and fuzzing: it holds a notebook whose index
//! lists the founder and a second device of the same member, with a connection from that
//! second device already open.

use super::MemReplica;
use crate::core::{ConnId, Core};
use stones_doc::automerge::AutoCommit;
use stones_doc::{DeviceId, DocId, DocKind, IndexDoc, NotebookId};

/// The founder's core, its notebook, the index's document and the peer device on
/// `ConnId(1)`.
pub fn founder_with_peer() -> crate::error::Result<(Core<MemReplica>, NotebookId, DocId, DeviceId)>
{
    let (me, peer) = (DeviceId([1; 32]), DeviceId([2; 32]));
    let nb = NotebookId([9; 16]);
    let mut index = IndexDoc::create(nb, "T", "", me.actor(0), 1)?;
    let m = index.add_member("a", "", "", None, 1)?;
    index.add_device(me, m, "", None, 1)?;
    index.add_device(peer, m, "", None, 1)?;
    let mut am: AutoCommit = index.doc().clone();
    am.commit();
    let mut r = MemReplica::new(me);
    let doc = DocId([3; 16]);
    r.insert(nb, doc, DocKind::Index, am);
    let mut core = Core::new(r);
    core.opened(ConnId(1), peer, false);
    Ok((core, nb, doc, peer))
}
