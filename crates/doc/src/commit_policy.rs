//! When to turn journaled edits into an automerge change (design §3): coarse commits keep
//! history small; a commit within tens of ms while a live peer shares the document keeps
//! co-editing live.
//! Pure: the caller passes the time in, so tests drive the clock.

/// Typing pause after which pending edits are committed.
pub const PAUSE_MS: u64 = 2_000;
/// Longest run of continuous typing before a commit.
pub const MAX_RUN_MS: u64 = 10_000;
/// Commit delay while a live peer is connected to the document: short enough that a
/// keystroke reaches the peer's view within tens of ms, long enough to gather a fast burst.
pub const LIVE_MS: u64 = 25;

/// Tracks one document's uncommitted edits and says when to commit.
#[derive(Clone, Debug, Default)]
pub struct CommitPolicy {
    first_pending: Option<u64>,
    last_edit: u64,
    live: bool,
}

impl CommitPolicy {
    /// A policy with nothing pending.
    pub fn new() -> Self {
        Self::default()
    }

    /// An edit was applied (and journaled) at `now` ms.
    pub fn on_edit(&mut self, now: u64) {
        self.first_pending.get_or_insert(now);
        self.last_edit = now;
    }

    /// A live peer started (true) or stopped (false) sharing this document.
    pub fn set_live(&mut self, live: bool) {
        self.live = live;
    }

    /// Whether any edit waits for a commit.
    pub fn has_pending(&self) -> bool {
        self.first_pending.is_some()
    }

    /// The moment the pending edits are due to be committed, if any are pending.
    pub fn deadline(&self) -> Option<u64> {
        let first = self.first_pending?;
        let due = if self.live {
            first + LIVE_MS
        } else {
            (self.last_edit + PAUSE_MS).min(first + MAX_RUN_MS)
        };
        Some(due)
    }

    /// Whether to commit now. Focus changes, sync, merges and quitting commit regardless.
    pub fn should_commit(&self, now: u64) -> bool {
        self.deadline().is_some_and(|due| now >= due)
    }

    /// The pending edits were committed.
    pub fn on_commit(&mut self) {
        self.first_pending = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_after_a_pause() {
        let mut p = CommitPolicy::new();
        assert!(!p.should_commit(0));
        p.on_edit(1_000);
        p.on_edit(1_500);
        assert!(!p.should_commit(3_000));
        assert!(p.should_commit(3_500));
        p.on_commit();
        assert!(!p.has_pending() && !p.should_commit(99_999));
    }

    #[test]
    fn continuous_typing_commits_every_ten_seconds() {
        let mut p = CommitPolicy::new();
        let mut commits = 0;
        for t in (0..30_000).step_by(200) {
            if p.should_commit(t) {
                p.on_commit();
                commits += 1;
            }
            p.on_edit(t);
        }
        assert_eq!(commits, 2, "two full 10 s runs within 30 s of typing");
        assert!(p.has_pending());
    }

    #[test]
    fn live_peer_commits_within_tens_of_ms() {
        let mut p = CommitPolicy::new();
        p.set_live(true);
        p.on_edit(100);
        assert!(!p.should_commit(100 + LIVE_MS - 1));
        assert!(p.should_commit(100 + LIVE_MS));
        p.set_live(false);
        assert!(!p.should_commit(100 + LIVE_MS));
        assert_eq!(p.deadline(), Some(2_100));
    }
}
