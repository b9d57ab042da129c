//! A notebook open on a connection: the peer's digest, one automerge sync state per
//! document, and whether everything is caught up. Here the automerge sync protocol runs per
//! document, and changes are pushed on to the other peers that share the notebook.

use super::conn_state::{Conn, DocLink, NbLink, protocol};
use super::{ConnId, Core, Replica, SyncEvent};
use crate::error::Result;
use crate::wire::{DigestEntry, HeadsHash, Msg, SignedHash, heads_hash};
use std::collections::BTreeMap;
use stones_doc::automerge::sync;
use stones_doc::{DocId, DocKind, NotebookId};

/// Said to a dialled peer our index does not name, once its index taught us nothing more.
pub const UNKNOWN_DEVICE: &str = crate::wire::reason::UNKNOWN_DEVICE;

/// Said to a peer whose changes we refused (the first reason follows).
pub const REFUSED_CHANGE: &str = crate::wire::reason::REFUSED_CHANGE;

/// One document's link on one connection (it must exist).
fn doc_link(
    conns: &mut BTreeMap<ConnId, Conn>,
    conn: ConnId,
    nb: NotebookId,
    doc: DocId,
) -> Result<&mut DocLink> {
    conns
        .get_mut(&conn)
        .and_then(|c| c.links.get_mut(&nb))
        .and_then(|l| l.docs.get_mut(&doc))
        .ok_or_else(|| protocol("a closed connection"))
}

impl<R: Replica> Core<R> {
    fn link_mut(&mut self, conn: ConnId, nb: NotebookId) -> Result<&mut NbLink> {
        self.conns
            .get_mut(&conn)
            .and_then(|c| c.links.get_mut(&nb))
            .filter(|l| l.open)
            .ok_or_else(|| {
                protocol(format!(
                    "a message for notebook {nb}, which is not open on this connection"
                ))
            })
    }

    /// Checks that a document id the peer names may belong to this notebook.
    fn check_doc(&mut self, nb: NotebookId, doc: DocId, kind: DocKind) -> Result<()> {
        match self.replica.doc_info(doc) {
            Some((n, k)) if n == nb && k == kind => Ok(()),
            Some(_) => Err(protocol(format!(
                "document {doc} under notebook {nb}, but it belongs elsewhere here"
            ))),
            None if kind == DocKind::Index => {
                let has_index = self
                    .replica
                    .docs(nb)?
                    .iter()
                    .any(|(_, k)| *k == DocKind::Index);
                if has_index {
                    Err(protocol(format!("a second index {doc} for notebook {nb}")))
                } else {
                    Ok(())
                }
            }
            None => Ok(()),
        }
    }

    pub(super) fn on_digest(
        &mut self,
        conn: ConnId,
        nb: NotebookId,
        entries: &[DigestEntry],
    ) -> Result<()> {
        if std::mem::replace(&mut self.link_mut(conn, nb)?.digest, true) {
            return Err(protocol(format!("a second digest for notebook {nb}")));
        }
        for e in entries {
            self.check_doc(nb, e.doc, e.kind)?;
        }
        let peer = self
            .peer(conn)
            .ok_or_else(|| protocol("a closed connection"))?;
        for e in entries {
            let state = self.replica.load_state(peer, e.doc);
            let link = self.link_mut(conn, nb)?;
            link.docs.insert(
                e.doc,
                DocLink {
                    state,
                    their_hash: Some(e.heads),
                    refused_ours: false,
                },
            );
        }
        if self.link_mut(conn, nb)?.verified {
            self.send_differing(conn, nb)?;
        } else {
            self.ask_for_index(conn, nb)?;
        }
        self.check_caught_up(conn, nb)
    }

    /// Syncs every document whose heads differ from the peer's digest; a document the
    /// digest lacks altogether goes whole.
    pub(super) fn send_differing(&mut self, conn: ConnId, nb: NotebookId) -> Result<()> {
        for (doc, kind) in self.replica.docs(nb)? {
            let mine = heads_hash(&self.replica.heads(doc)?);
            let link = self.link_mut(conn, nb)?;
            let theirs = link.docs.get(&doc).map(|d| d.their_hash);
            match theirs {
                None => self.send_whole(conn, nb, doc, kind)?,
                Some(h) if h != Some(mine) => self.sync_doc(conn, nb, doc, kind)?,
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Sends a document whole (the sync protocol if it is too big for one frame).
    fn send_whole(
        &mut self,
        conn: ConnId,
        nb: NotebookId,
        doc: DocId,
        kind: DocKind,
    ) -> Result<()> {
        if kind == DocKind::Session && !self.peer_holds_our_index(conn, nb)? {
            return Ok(()); // sent when the peer holds our index (gate.rs)
        }
        let bytes = self.replica.whole(doc)?;
        let signatures = match kind {
            DocKind::Index => self.replica.signatures_for(doc, None)?,
            DocKind::Session => Vec::new(),
        };
        if bytes.len() + signatures.len() * 96 > crate::wire::MAX_FRAME - 1024 {
            return self.sync_doc(conn, nb, doc, kind);
        }
        self.send(
            conn,
            &Msg::Whole {
                notebook: nb,
                doc,
                kind,
                bytes,
                signatures,
            },
        );
        Ok(())
    }

    /// We refused some of what a peer sent: tell it (and the user) how many and why.
    fn refused_changes(
        &mut self,
        conn: ConnId,
        peer: stones_doc::DeviceId,
        (nb, doc): (NotebookId, DocId),
        refused: &stones_doc::signed::Refused,
    ) {
        if refused.is_empty() {
            return;
        }
        let reason = refused
            .reason()
            .map(|why| format!("{REFUSED_CHANGE}: {why}"))
            .unwrap_or_else(|| REFUSED_CHANGE.to_string());
        tracing::warn!(conn = conn.0, %doc, changes = refused.len(), %reason, "refused changes");
        self.send(
            conn,
            &Msg::Refused {
                notebook: nb,
                doc,
                changes: u32::try_from(refused.len()).unwrap_or(u32::MAX),
                reason: reason.clone(),
            },
        );
        self.event(SyncEvent::ChangesRefused {
            peer,
            notebook: nb,
            doc,
            changes: refused.len(),
            reason,
        });
    }

    pub(super) fn on_whole(
        &mut self,
        conn: ConnId,
        peer: stones_doc::DeviceId,
        nb: NotebookId,
        (doc, kind): (DocId, DocKind),
        bytes: &[u8],
        signatures: &[SignedHash],
    ) -> Result<()> {
        let Some(verified) = self.admit_doc(conn, nb, doc, kind)? else {
            return Ok(());
        };
        let (received, sent) = self
            .replica
            .receive_whole(nb, doc, kind, bytes, signatures)?;
        self.refused_changes(conn, peer, (nb, doc), &received.refused);
        let changed = received.changed;
        self.ensure_doc_link(conn, nb, doc)?;
        let mine = heads_hash(&self.replica.heads(doc)?);
        let theirs = heads_hash(&sent);
        doc_link(&mut self.conns, conn, nb, doc)?.their_hash = Some(theirs);
        self.send(
            conn,
            &Msg::Have {
                notebook: nb,
                doc,
                heads: mine,
            },
        );
        if !verified {
            return self.after_unverified_index(conn, nb, changed);
        }
        if mine != theirs {
            // We held changes they lack: the sync protocol sends just those.
            self.sync_doc(conn, nb, doc, kind)?;
        }
        if kind == DocKind::Index {
            self.release_sessions(conn, nb)?;
        }
        self.after_peer_doc(conn, peer, nb, doc, kind, changed)
    }

    /// Whether to take a document a peer sent (checked against our catalogue; from a peer
    /// not yet verified only the index): `Some(verified)`, or `None` to ignore it.
    fn admit_doc(
        &mut self,
        conn: ConnId,
        nb: NotebookId,
        doc: DocId,
        kind: DocKind,
    ) -> Result<Option<bool>> {
        let verified = self.link_mut(conn, nb)?.verified;
        self.check_doc(nb, doc, kind)?;
        if !verified && kind != DocKind::Index {
            return Ok(None); // not yet: only the index is taken from an unverified peer
        }
        self.stats.docs_synced.insert(doc);
        Ok(Some(verified))
    }

    /// A peer's document was merged (and our reply queued): tell the user, relay it to the
    /// other peers, re-check who may stay if it was the index, and whether we are caught up.
    fn after_peer_doc(
        &mut self,
        conn: ConnId,
        peer: stones_doc::DeviceId,
        nb: NotebookId,
        doc: DocId,
        kind: DocKind,
        changed: bool,
    ) -> Result<()> {
        if changed {
            self.event(SyncEvent::DocUpdated {
                notebook: nb,
                doc,
                peer,
            });
            self.relay_later(nb, doc, conn);
            if kind == DocKind::Index {
                self.recheck_access();
            }
        }
        if self.conns.contains_key(&conn) {
            self.check_caught_up(conn, nb)?;
        }
        Ok(())
    }

    /// The peer says which heads it holds of a document (after we sent it whole).
    pub(super) fn on_have(
        &mut self,
        conn: ConnId,
        nb: NotebookId,
        doc: DocId,
        heads: HeadsHash,
    ) -> Result<()> {
        self.link_mut(conn, nb)?;
        match self.replica.doc_info(doc) {
            Some((n, _)) if n == nb => {}
            Some(_) => {
                return Err(protocol(format!(
                    "document {doc} under notebook {nb}, but it belongs elsewhere here"
                )));
            }
            None => return Ok(()),
        }
        self.ensure_doc_link(conn, nb, doc)?;
        doc_link(&mut self.conns, conn, nb, doc)?.their_hash = Some(heads);
        if self
            .replica
            .doc_info(doc)
            .is_some_and(|(_, k)| k == DocKind::Index)
        {
            self.release_sessions(conn, nb)?;
        }
        self.check_caught_up(conn, nb)
    }

    /// An unverified peer: if its digest holds our index and it differs, ask for it (the
    /// first sync message carries heads and a Bloom filter, no content); else hang up.
    fn ask_for_index(&mut self, conn: ConnId, nb: NotebookId) -> Result<()> {
        let index = self
            .replica
            .docs(nb)?
            .into_iter()
            .find(|(_, k)| *k == DocKind::Index)
            .map(|(d, _)| d);
        let theirs = index.and_then(|d| {
            self.conns
                .get(&conn)
                .and_then(|c| c.links.get(&nb))
                .and_then(|l| l.docs.get(&d))
                .and_then(|l| l.their_hash)
        });
        match (index, theirs) {
            (Some(doc), Some(h)) if h != heads_hash(&self.replica.heads(doc)?) => {
                self.sync_doc(conn, nb, doc, DocKind::Index)
            }
            _ => {
                self.bye(conn, UNKNOWN_DEVICE);
                Ok(())
            }
        }
    }

    pub(super) fn on_sync(
        &mut self,
        conn: ConnId,
        peer: stones_doc::DeviceId,
        nb: NotebookId,
        (doc, kind): (DocId, DocKind),
        bytes: &[u8],
        signatures: &[SignedHash],
    ) -> Result<()> {
        let Some(verified) = self.admit_doc(conn, nb, doc, kind)? else {
            return Ok(());
        };
        // Guarded: automerge's decoders can panic on hostile bytes (stones_doc::guard).
        let message = stones_doc::guard::guarded("automerge sync message", || {
            sync::Message::decode(bytes).map_err(|e| stones_doc::DocError::Decode {
                what: "automerge sync message",
                why: e.to_string(),
            })
        })
        .map_err(|e| {
            protocol(format!(
                "an undecodable sync message for document {doc}: {e}"
            ))
        })?;
        self.ensure_doc_link(conn, nb, doc)?;
        let Core { replica, conns, .. } = self;
        let link = doc_link(conns, conn, nb, doc)?;
        let n = message.changes.len();
        let received = replica.receive(nb, doc, kind, &mut link.state, message, signatures)?;
        let changed = received.changed;
        tracing::debug!(conn = conn.0, %doc, changes = n, changed, "received");
        link.their_hash = link.state.their_heads.as_deref().map(heads_hash);
        replica.save_state(peer, doc, &link.state);
        self.refused_changes(conn, peer, (nb, doc), &received.refused);
        if !verified {
            return self.after_unverified_index(conn, nb, changed);
        }
        self.sync_doc(conn, nb, doc, kind)?;
        if kind == DocKind::Index {
            self.release_sessions(conn, nb)?;
        }
        self.after_peer_doc(conn, peer, nb, doc, kind, changed)
    }

    /// The index came from an unverified peer: if it now names the peer, sync everything;
    /// if not, hang up having sent nothing.
    fn after_unverified_index(
        &mut self,
        conn: ConnId,
        nb: NotebookId,
        changed: bool,
    ) -> Result<()> {
        let peer = self
            .peer(conn)
            .ok_or_else(|| protocol("a closed connection"))?;
        if changed {
            let index = self
                .replica
                .docs(nb)?
                .into_iter()
                .find(|(_, k)| *k == DocKind::Index);
            if let Some((doc, _)) = index {
                self.event(SyncEvent::DocUpdated {
                    notebook: nb,
                    doc,
                    peer,
                });
                self.relay_later(nb, doc, conn);
            }
        }
        if self.replica.access(nb, peer) == super::Access::Member {
            self.link_mut(conn, nb)?.verified = true;
            self.send_digest(conn, nb)?;
            self.send_differing(conn, nb)?;
            return self.check_caught_up(conn, nb);
        }
        if changed {
            self.recheck_access();
        }
        if self.conns.contains_key(&conn) {
            self.bye(conn, UNKNOWN_DEVICE);
        }
        Ok(())
    }

    fn ensure_doc_link(&mut self, conn: ConnId, nb: NotebookId, doc: DocId) -> Result<()> {
        let peer = self
            .peer(conn)
            .ok_or_else(|| protocol("a closed connection"))?;
        if !self.link_mut(conn, nb)?.docs.contains_key(&doc) {
            let state = self.replica.load_state(peer, doc);
            self.link_mut(conn, nb)?.docs.insert(
                doc,
                DocLink {
                    state,
                    their_hash: None,
                    refused_ours: false,
                },
            );
        }
        Ok(())
    }

    /// Sends the next sync message for a document on one connection, if there is one.
    fn sync_doc(&mut self, conn: ConnId, nb: NotebookId, doc: DocId, kind: DocKind) -> Result<()> {
        if kind == DocKind::Session && !self.peer_holds_our_index(conn, nb)? {
            return Ok(()); // sent when the peer holds our index (gate.rs)
        }
        self.ensure_doc_link(conn, nb, doc)?;
        let Core { replica, conns, .. } = self;
        let link = doc_link(conns, conn, nb, doc)?;
        let generated = replica.generate(doc, &mut link.state)?;
        tracing::debug!(conn = conn.0, %doc, sent = generated.is_some(), changes = generated.as_ref().map(|m| m.changes.len()).unwrap_or(0), "generate");
        if let Some(m) = generated {
            let signatures = match kind {
                DocKind::Index => {
                    let hashes = super::signing::hashes_in(&m);
                    self.replica.signatures_for(doc, Some(&hashes))?
                }
                DocKind::Session => Vec::new(),
            };
            let msg = Msg::Sync {
                notebook: nb,
                doc,
                kind,
                message: m.encode(),
                signatures,
            };
            self.send(conn, &msg);
        }
        Ok(())
    }

    /// A peer changed a document: offer it to the others at the end of this batch.
    fn relay_later(&mut self, nb: NotebookId, doc: DocId, from: ConnId) {
        self.relay.entry((nb, doc)).or_default().insert(from);
    }

    /// Offers a changed document to every connection that has its notebook open and
    /// digested (but `except`, where it came from).
    pub(super) fn push_doc(
        &mut self,
        nb: NotebookId,
        doc: DocId,
        except: &std::collections::BTreeSet<ConnId>,
    ) {
        let Some((_, kind)) = self.replica.doc_info(doc) else {
            return;
        };
        let targets: Vec<ConnId> = self
            .conns
            .iter()
            .filter(|(id, c)| {
                !except.contains(id) && c.links.get(&nb).is_some_and(|l| l.open && l.digest)
            })
            .map(|(id, _)| *id)
            .collect();
        for conn in targets {
            if let Err(e) = self
                .sync_doc(conn, nb, doc, kind)
                .and_then(|()| self.check_caught_up(conn, nb))
            {
                let reason = e.to_string();
                tracing::warn!(conn = conn.0, %reason, "closing connection");
                self.bye(conn, &reason);
            }
        }
    }

    /// Every document either side holds has the same heads on both, as far as we know.
    pub(super) fn nb_caught_up(&mut self, conn: ConnId, nb: NotebookId) -> bool {
        self.differing(conn, nb) == Some(0)
    }

    /// How many documents either side holds whose heads differ between us and the peer on
    /// this connection, as far as we know; `None` until the notebook is open, verified and
    /// the peer's digest has arrived.
    pub fn differing(&mut self, conn: ConnId, nb: NotebookId) -> Option<usize> {
        let mine = self.replica.docs(nb).ok()?;
        let link = self.conns.get(&conn).and_then(|c| c.links.get(&nb))?;
        if !link.open || !link.digest || !link.verified {
            return None;
        }
        let docs: Vec<(DocId, Option<HeadsHash>)> = link
            .docs
            .iter()
            .map(|(d, l)| (*d, l.their_hash))
            .chain(
                mine.iter()
                    .filter(|(d, _)| !link.docs.contains_key(d))
                    .map(|(d, _)| (*d, None)),
            )
            .collect();
        Some(
            docs.into_iter()
                .filter(|(doc, theirs)| {
                    !self
                        .replica
                        .heads(*doc)
                        .is_ok_and(|h| *theirs == Some(heads_hash(&h)))
                })
                .count(),
        )
    }

    /// Notebooks open with a verified peer on some connection: edits to them are seen live.
    pub fn shared_notebooks(&self) -> std::collections::BTreeSet<NotebookId> {
        self.conns
            .values()
            .flat_map(|c| {
                c.links
                    .iter()
                    .filter(|(_, l)| l.open && l.verified)
                    .map(|(nb, _)| *nb)
            })
            .collect()
    }

    /// Whether this connection offers the notebook (it may not be open yet).
    pub fn offers(&self, conn: ConnId, nb: NotebookId) -> bool {
        self.conns
            .get(&conn)
            .is_some_and(|c| c.links.contains_key(&nb))
    }

    fn check_caught_up(&mut self, conn: ConnId, nb: NotebookId) -> Result<()> {
        let now = self.nb_caught_up(conn, nb);
        let peer = self
            .peer(conn)
            .ok_or_else(|| protocol("a closed connection"))?;
        let link = self.link_mut(conn, nb)?;
        let was = std::mem::replace(&mut link.was_caught_up, now);
        if now && !was {
            self.event(SyncEvent::CaughtUp { peer, notebook: nb });
        }
        Ok(())
    }

    /// Persists every sync state of a connection (on close).
    pub(super) fn save_states(&mut self, c: &Conn) {
        for link in c.links.values() {
            for (doc, d) in &link.docs {
                self.replica.save_state(c.peer, *doc, &d.state);
            }
        }
    }
}
