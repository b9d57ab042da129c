//! The caught-up state, as a small enum the app and `stones status` both show: offline,
//! alone, connecting, syncing (how many documents differ), caught up — never "caught up"
//! with nobody there, nor while typing waits uncommitted. Pure: the engine
//! (`engine/sync_state.rs`) and the node's report compute it from their parts.

use stones_doc::DeviceId;

/// How a notebook stands with the other devices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncState {
    /// The network is off on this device (mode `off`).
    Offline,
    /// The network is on, but no member device is reachable.
    Alone,
    /// A member device is being dialled or is saying hello.
    Connecting,
    /// Connected, and this many documents differ (or hold typing not yet committed).
    Syncing {
        /// Documents that differ.
        differing: usize,
    },
    /// Every document either side holds has equal heads both ways, with every connected
    /// member device, and no typing waits here.
    CaughtUp,
}

impl std::fmt::Display for SyncState {
    /// The state in plain words, as the app's top bar and `stones status` say it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyncState::Offline => f.write_str("offline"),
            SyncState::Alone => f.write_str("alone"),
            SyncState::Connecting => f.write_str("connecting"),
            SyncState::Syncing { differing } => write!(f, "syncing {differing}"),
            SyncState::CaughtUp => f.write_str("caught up"),
        }
    }
}

impl SyncState {
    /// A short word for status lines.
    pub fn as_str(&self) -> &'static str {
        match self {
            SyncState::Offline => "offline",
            SyncState::Alone => "alone",
            SyncState::Connecting => "connecting",
            SyncState::Syncing { .. } => "syncing",
            SyncState::CaughtUp => "caught-up",
        }
    }
}

/// One peer's state on a notebook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeerSync {
    /// The peer's device.
    pub device: DeviceId,
    /// Connecting (no digest yet), syncing or caught up.
    pub state: SyncState,
}

impl SyncState {
    /// The state a word of [`SyncState::as_str`] names (`differing` for `syncing`).
    pub fn from_word(word: &str, differing: usize) -> Option<SyncState> {
        Some(match word {
            "offline" => SyncState::Offline,
            "alone" => SyncState::Alone,
            "connecting" => SyncState::Connecting,
            "syncing" => SyncState::Syncing { differing },
            "caught-up" => SyncState::CaughtUp,
            _ => return None,
        })
    }

    /// The state of one link: `None` while it opens, else how many documents differ.
    pub fn of_link(differing: Option<usize>) -> SyncState {
        match differing {
            None => SyncState::Connecting,
            Some(0) => SyncState::CaughtUp,
            Some(differing) => SyncState::Syncing { differing },
        }
    }

    /// A notebook's state from its parts: whether the network is on, whether a dial is
    /// under way, each link's differing documents, and documents with typing not yet
    /// committed here.
    pub fn of_notebook(
        net_on: bool,
        dialling: bool,
        links: &[Option<usize>],
        pending: usize,
    ) -> SyncState {
        if !net_on {
            return SyncState::Offline;
        }
        let synced: Vec<usize> = links.iter().flatten().copied().collect();
        if synced.is_empty() {
            return if dialling || !links.is_empty() {
                SyncState::Connecting
            } else {
                SyncState::Alone
            };
        }
        match synced.iter().copied().max().unwrap_or(0) + pending {
            0 => SyncState::CaughtUp,
            differing => SyncState::Syncing { differing },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobody_there_is_never_caught_up_and_typing_is_not_caught_up() {
        use SyncState::*;
        assert_eq!(SyncState::of_notebook(false, false, &[Some(0)], 0), Offline);
        assert_eq!(SyncState::of_notebook(true, false, &[], 0), Alone);
        assert_eq!(SyncState::of_notebook(true, true, &[], 0), Connecting);
        assert_eq!(SyncState::of_notebook(true, false, &[None], 0), Connecting);
        assert_eq!(
            SyncState::of_notebook(true, false, &[Some(0), None], 0),
            CaughtUp
        );
        assert_eq!(
            SyncState::of_notebook(true, false, &[Some(0), Some(3)], 0),
            Syncing { differing: 3 }
        );
        assert_eq!(
            SyncState::of_notebook(true, false, &[Some(0)], 1),
            Syncing { differing: 1 }
        );
    }
}
