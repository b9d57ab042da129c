//! The network part of `stones status`, as tab-separated lines: the mode this home is set
//! to, and what the node running on it (the app, `serve`) last reported — peers, the room,
//! each notebook's state in the words of [`SyncState`]. No running node reads as `offline`,
//! never as a stale "caught up".

use super::status::{self, Report};
use crate::caught_up::SyncState;
use crate::error::Result;
use crate::net::NetConfig;
use stones_store::Store;

/// The lines, read from the store's settings and the node's report.
pub fn network_lines(store: &Store) -> Result<Vec<String>> {
    let cfg = NetConfig::resolve(store, None, None)?;
    let mut out = vec![format!("net\t{}", cfg.mode.as_str())];
    if let Some(r) = &cfg.relay {
        out.push(format!("relay\t{r}"));
    }
    let now = Store::now_ms();
    match status::load(store)? {
        Some(report) if report.is_fresh(now) => out.extend(report_lines(&report, now)),
        _ => out.push("room\toffline\tno node is running for this home".to_string()),
    }
    Ok(out)
}

/// The lines of a fresh report.
fn report_lines(report: &Report, now_ms: i64) -> Vec<String> {
    let s = &report.status;
    let mut out: Vec<String> = (s.peers.iter())
        .map(|p| {
            let state = SyncState::of_link(Some(if p.caught_up { 0 } else { p.differing.max(1) }));
            format!("peer\t{}\t{}\t{}", p.device, state.as_str(), p.differing)
        })
        .collect();
    let room = if s.peers.is_empty() {
        SyncState::Alone
    } else if s.room_caught_up() {
        SyncState::CaughtUp
    } else {
        SyncState::Syncing {
            differing: s.peers.iter().map(|p| p.differing).max().unwrap_or(0),
        }
    };
    let ago = (now_ms - report.at).max(0) / 1000;
    out.push(format!(
        "room\t{}\tas of {ago} s ago (what the running node saw)",
        room.as_str()
    ));
    for (nb, state) in &report.notebooks {
        out.push(format!("notebook\t{nb}\t{}\t{state}", state.as_str()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::{NodeStatus, PeerStatus};
    use stones_doc::{DeviceId, NotebookId};

    #[test]
    fn the_room_is_alone_with_nobody_and_caught_up_only_when_every_peer_is() {
        let peer = |caught_up, differing| PeerStatus {
            device: DeviceId([2; 32]),
            caught_up,
            dialed: true,
            differing,
        };
        let nb = NotebookId::random();
        let mut report = Report {
            at: 1_000,
            status: NodeStatus::default(),
            live: vec![],
            notebooks: vec![(nb, SyncState::Alone)],
        };
        let room = |r: &Report| {
            report_lines(r, 2_000)
                .into_iter()
                .find(|l| l.starts_with("room\t"))
                .unwrap()
        };
        assert!(room(&report).starts_with("room\talone\t"));
        report.status.peers = vec![peer(true, 0), peer(false, 2)];
        assert!(room(&report).starts_with("room\tsyncing\t"));
        report.status.peers = vec![peer(true, 0)];
        report.notebooks = vec![(nb, SyncState::CaughtUp)];
        let lines = report_lines(&report, 2_000);
        assert!(lines.iter().any(|l| l.starts_with("room\tcaught-up\t")));
        assert!(lines.contains(&format!("notebook\t{nb}\tcaught-up\tcaught up")));
        assert!(lines[0].starts_with(&format!("peer\t{}\tcaught-up\t0", DeviceId([2; 32]))));
    }
}
