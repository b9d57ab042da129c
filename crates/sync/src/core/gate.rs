//! Index before sessions: a session's content goes to a peer only once the peer holds all
//! of our index. Whoever receives something we wrote therefore already knows every removal
//! we knew when we wrote it, so it never passes that on to a device we had excluded (the
//! relay a removed member's device could otherwise be reached through; found by
//! `membership_net.rs`). Session syncs held back here are sent when the index catches up.
//!
//! A peer that refused some of our index changes (unsigned ones written before signing
//! existed, or a forgery) never holds all of it: once it has said so on a connection, it
//! counts as holding what it will take, so the rest of what we wrote still reaches it
//! (a removal built on a refused change is refused with it; that gap is ARCHITECTURE.md's).

use super::{ConnId, Core, Replica};
use crate::error::Result;
use crate::wire::heads_hash;
use stones_doc::{DocId, DocKind, NotebookId};

impl<R: Replica> Core<R> {
    /// Whether the peer on `conn` holds every change of our index of `nb` (as far as its
    /// last word on the index tells): its heads equal ours, or its sync state shares all of
    /// our heads (it may hold more: changes we have not taken yet, or refused).
    pub(super) fn peer_holds_our_index(&mut self, conn: ConnId, nb: NotebookId) -> Result<bool> {
        let Some(index) = self.replica.index_of(nb)? else {
            return Ok(false);
        };
        let ours = self.replica.heads(index)?;
        let Some(link) = self
            .conns
            .get(&conn)
            .and_then(|c| c.links.get(&nb))
            .and_then(|l| l.docs.get(&index))
        else {
            return Ok(false);
        };
        Ok(link.refused_ours
            || link.their_hash == Some(heads_hash(&ours))
            || ours.iter().all(|h| link.state.shared_heads.contains(h)))
    }

    /// The peer refused some of our changes to `doc`: noted, and if it is the index, the
    /// sessions held back for it go now.
    pub(super) fn peer_refused(&mut self, conn: ConnId, nb: NotebookId, doc: DocId) -> Result<()> {
        let Some(link) = self
            .conns
            .get_mut(&conn)
            .and_then(|c| c.links.get_mut(&nb))
            .and_then(|l| l.docs.get_mut(&doc))
        else {
            return Ok(());
        };
        link.refused_ours = true;
        if self
            .replica
            .doc_info(doc)
            .is_some_and(|(_, k)| k == DocKind::Index)
        {
            self.release_sessions(conn, nb)?;
        }
        Ok(())
    }

    /// After the peer's word on the index: if it now holds all of ours, send the sessions
    /// that were held back.
    pub(super) fn release_sessions(&mut self, conn: ConnId, nb: NotebookId) -> Result<()> {
        let verified = self
            .conns
            .get(&conn)
            .and_then(|c| c.links.get(&nb))
            .is_some_and(|l| l.open && l.verified && l.digest);
        if verified && self.peer_holds_our_index(conn, nb)? {
            self.send_differing(conn, nb)?;
        }
        Ok(())
    }
}
