//! A caught-up state you can trust, per notebook and per peer: never "caught up" with
//! nobody there, nor while this process holds typing not yet committed.

use super::Engine;
pub use crate::caught_up::{PeerSync, SyncState};
use stones_doc::NotebookId;

impl Engine {
    /// How a notebook stands (see [`SyncState`]).
    pub fn sync_state(&self, nb: NotebookId) -> SyncState {
        let dialling = self.dial_targets().iter().any(|t| t.busy);
        self.state().sync_state(nb, dialling)
    }

    /// Whether the notebook is shared live with a connected peer (typing commits within
    /// tens of ms), as this engine or the node running on its home sees it.
    pub fn is_live(&self, nb: NotebookId) -> bool {
        self.state().is_live(nb)
    }

    /// Each connected peer's state on a notebook.
    pub fn peer_states(&self, nb: NotebookId) -> Vec<PeerSync> {
        self.state()
            .links(nb)
            .into_iter()
            .map(|(device, differing)| PeerSync {
                device,
                state: SyncState::of_link(differing),
            })
            .collect()
    }
}
