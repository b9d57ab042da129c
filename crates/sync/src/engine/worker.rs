//! The engine's worker thread, in every network mode: it takes the network tasks' messages
//! in batches, commits typing when its policy says so (at once-ish while a peer shares the
//! notebook live), polls the store for other processes' commits (every 20 ms while live,
//! 200 ms otherwise), tidies the store when idle, and ends every batch with a dispatch.

use super::Clock;
use super::state::EngineState;
use crate::node::inbox::ToWorker;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the store is polled for other processes' commits.
pub const REFRESH: Duration = Duration::from_millis(200);
/// The same while a notebook is shared live (a writer process beside a node).
pub const REFRESH_LIVE: Duration = Duration::from_millis(20);

/// Runs until shut down or every sender is gone.
pub(crate) fn run(state: Arc<Mutex<EngineState>>, rx: Receiver<ToWorker>, clock: Clock) {
    let lock = || state.lock().unwrap_or_else(|p| p.into_inner());
    let mut last_refresh = Instant::now();
    loop {
        let (wait, refresh_every) = {
            let mut st = lock();
            let every = if st.any_live() { REFRESH_LIVE } else { REFRESH };
            let now = clock();
            let until_due = st
                .next_commit_due()
                .map(|due| Duration::from_millis(due.saturating_sub(now)));
            (until_due.map_or(every, |d| d.min(every)), every)
        };
        let first = match rx.recv_timeout(wait) {
            Ok(m) => Some(m),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let mut st = lock();
        let mut stop = false;
        if let Some(m) = first {
            stop |= !st.handle(m);
            while !stop && let Ok(m) = rx.try_recv() {
                stop |= !st.handle(m);
            }
        } else if !st.any_live() {
            // Nothing arrived for a while: tidy the store a little.
            let store = st.store().clone();
            st.compactor.step(&store);
        }
        if stop {
            st.close_all("the other device is shutting down");
            st.dispatch();
            break;
        }
        if last_refresh.elapsed() >= refresh_every {
            st.refresh();
            st.follow_running_node();
            last_refresh = Instant::now();
        }
        st.commit_due(clock());
        st.dispatch();
        let report = st.status_report_if_due();
        drop(st);
        if let Some((store, epoch, report)) = report {
            let mut saved = crate::node::status::save(&store, &report);
            // The network stopped while this was written: its report must not outlive it.
            if saved.is_ok() && lock().net_epoch != epoch {
                saved = crate::node::status::clear(&store);
            }
            if let Err(e) = saved {
                tracing::warn!(error = %e, "could not record the sync status");
            }
        }
    }
}
