//! The handling of each message on a connection: hello, welcome, digest, sync, bye (the
//! connection's state is `conn_state.rs`). Anything out of order or about a notebook that is
//! not open is a protocol error that closes the connection.

use super::conn_state::{Conn, protocol};
use super::{Core, Replica, SyncEvent};
use crate::error::Result;
use crate::wire::{DigestEntry, Msg, PROTOCOL};
use stones_doc::{DeviceId, NotebookId};

/// Refusal reason given for a notebook this peer may not sync (the same whether we hold it or
/// not, so a refusal tells nothing about what this device holds).
pub const NOT_SHARED: &str = crate::wire::reason::NOT_SHARED;

impl<R: Replica> Core<R> {
    pub(super) fn handle(&mut self, conn: super::ConnId, msg: Msg) -> Result<()> {
        let peer = self
            .conns
            .get(&conn)
            .map(|c| c.peer)
            .ok_or_else(|| protocol("a frame on a closed connection"))?;
        match msg {
            Msg::Hello {
                protocol: version,
                notebooks,
            } => self.on_hello(conn, peer, version, &notebooks),
            Msg::Welcome { accepted, refused } => self.on_welcome(conn, peer, &accepted, refused),
            Msg::Digest { notebook, docs } => self.on_digest(conn, notebook, &docs),
            Msg::Sync {
                notebook,
                doc,
                kind,
                message,
                signatures,
            } => self.on_sync(conn, peer, notebook, (doc, kind), &message, &signatures),
            Msg::Whole {
                notebook,
                doc,
                kind,
                bytes,
                signatures,
            } => self.on_whole(conn, peer, notebook, (doc, kind), &bytes, &signatures),
            Msg::Refused {
                notebook,
                doc,
                changes,
                reason,
            } => {
                tracing::warn!(%notebook, %doc, changes, %reason, "the peer refused changes we sent");
                self.event(SyncEvent::RefusedByPeer {
                    peer,
                    notebook,
                    doc,
                    changes,
                    reason,
                });
                self.peer_refused(conn, notebook, doc)
            }
            Msg::Have {
                notebook,
                doc,
                heads,
            } => self.on_have(conn, notebook, doc, heads),
            Msg::Bye { reason } => {
                self.out.push(super::Output::Close {
                    conn,
                    reason: format!("peer said goodbye: {reason}"),
                });
                self.closed(conn, &format!("peer said goodbye: {reason}"));
                Ok(())
            }
            other => Err(protocol(format!(
                "a {} message on the sync connection",
                other.name()
            ))),
        }
    }

    fn conn_mut(&mut self, conn: super::ConnId) -> Result<&mut Conn> {
        self.conns
            .get_mut(&conn)
            .ok_or_else(|| protocol("a frame on a closed connection"))
    }

    fn on_hello(
        &mut self,
        conn: super::ConnId,
        peer: DeviceId,
        version: u32,
        wanted: &[NotebookId],
    ) -> Result<()> {
        if version != PROTOCOL {
            return Err(protocol(format!(
                "protocol version {version}; this device speaks {PROTOCOL}"
            )));
        }
        if std::mem::replace(&mut self.conn_mut(conn)?.got_hello, true) {
            return Err(protocol("a second hello"));
        }
        let held = self.replica.notebooks();
        let dialed = self.conn_mut(conn)?.dialed;
        let (mut accepted, mut refused) = (Vec::new(), Vec::new());
        for nb in wanted {
            let access = self.access_for(*nb, peer, dialed);
            if held.contains(nb) && !matches!(access, super::Access::Refused(_)) {
                accepted.push(*nb);
            } else {
                refused.push((*nb, NOT_SHARED.to_string()));
            }
        }
        accepted.dedup();
        self.send(conn, &Msg::Welcome { accepted, refused });
        self.event(SyncEvent::PeerConnected { peer });
        self.maybe_idle_close(conn)
    }

    fn on_welcome(
        &mut self,
        conn: super::ConnId,
        peer: DeviceId,
        accepted: &[NotebookId],
        refused: Vec<(NotebookId, String)>,
    ) -> Result<()> {
        let dialed = {
            let c = self.conn_mut(conn)?;
            if std::mem::replace(&mut c.got_welcome, true) {
                return Err(protocol("a second welcome"));
            }
            c.dialed
        };
        // Access is decided again now: our index may have changed since our hello (a
        // removal that arrived meanwhile must not be overtaken by this welcome).
        let now: Vec<(NotebookId, super::Access)> = accepted
            .iter()
            .map(|nb| (*nb, self.access_for(*nb, peer, dialed)))
            .collect();
        let c = self.conn_mut(conn)?;
        let mut opened = Vec::new();
        for (nb, access) in now {
            if matches!(access, super::Access::Refused(_)) {
                c.links.remove(&nb);
                continue;
            }
            if let Some(link) = c.links.get_mut(&nb) {
                link.open = true;
                link.verified = access.allowed();
                if link.verified {
                    opened.push(nb);
                }
            }
        }
        for (notebook, reason) in refused {
            self.event(SyncEvent::Refused {
                peer,
                notebook,
                reason,
            });
        }
        for nb in opened {
            self.send_digest(conn, nb)?;
        }
        self.maybe_idle_close(conn)
    }

    /// Once both hellos are answered and nothing is open, there is nothing to do: say so.
    fn maybe_idle_close(&mut self, conn: super::ConnId) -> Result<()> {
        let c = self.conn_mut(conn)?;
        if c.got_hello && c.got_welcome && c.open_notebooks().is_empty() {
            self.bye(conn, crate::wire::reason::NOT_MEMBER);
        }
        Ok(())
    }

    pub(super) fn send_digest(&mut self, conn: super::ConnId, nb: NotebookId) -> Result<()> {
        let mut docs = Vec::new();
        for (doc, kind) in self.replica.docs(nb)? {
            let heads = self.replica.heads(doc)?;
            docs.push(DigestEntry {
                doc,
                kind,
                heads: crate::wire::heads_hash(&heads),
            });
        }
        self.send(conn, &Msg::Digest { notebook: nb, docs });
        Ok(())
    }
}
