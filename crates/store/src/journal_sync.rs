//! The journal's syncer: a thread that makes appended journal entries durable
//! (`fdatasync`) soon after they are written, so the typing call itself only writes.
//!
//! Why (measured, ARCHITECTURE "Writers, actors and the journal"): on the disks we run on an
//! `fdatasync` takes 250–500 µs at the median and 1–3 ms at the p99, which is most of a
//! 4 ms frame when the app types on its UI thread. A `write` that has returned is already in
//! the kernel's page cache, so a process that is killed (SIGKILL, a panic, the app closed
//! mid-word) loses nothing; only a power cut or a kernel crash within the next sync (about
//! a millisecond) can. A sync that fails is reported by the next append, and dropping the
//! journal syncs whatever is left before it returns.

use std::fs::File;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

/// The syncer of one journal file.
pub(crate) struct Syncer {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<Progress>,
    /// Something was written, or the syncer should stop.
    wake: Condvar,
    /// A sync finished.
    synced: Condvar,
}

#[derive(Default)]
struct Progress {
    /// Appends written so far.
    written: u64,
    /// Appends known durable.
    durable: u64,
    /// The last sync's failure, not yet reported.
    error: Option<String>,
    stop: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Progress> {
        // A panic while holding this lock cannot leave the counters half-updated.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl std::fmt::Debug for Syncer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Syncer")
    }
}

impl Syncer {
    /// Starts syncing `file` (a handle of its own on the journal file).
    pub(crate) fn start(file: File) -> std::io::Result<Syncer> {
        let shared = Arc::new(Shared::default());
        let worker = shared.clone();
        let thread = std::thread::Builder::new()
            .name("stones-journal-sync".into())
            .spawn(move || run(&worker, &file))?;
        Ok(Syncer {
            shared,
            thread: Some(thread),
        })
    }

    /// One more append was written: sync it soon. Returns a failed earlier sync's error.
    pub(crate) fn written(&self) -> Result<(), String> {
        let mut p = self.shared.lock();
        p.written += 1;
        let error = p.error.take();
        drop(p);
        self.shared.wake.notify_one();
        error.map_or(Ok(()), Err)
    }

    /// Waits until every append written so far is durable.
    pub(crate) fn wait_durable(&self) -> Result<(), String> {
        let mut p = self.shared.lock();
        let target = p.written;
        while p.durable < target && p.error.is_none() {
            p = self
                .shared
                .synced
                .wait(p)
                .unwrap_or_else(|e| e.into_inner());
        }
        p.error.take().map_or(Ok(()), Err)
    }
}

impl Drop for Syncer {
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.wake.notify_one();
        if let Some(t) = self.thread.take()
            && t.join().is_err()
        {
            tracing::warn!("the journal's syncer ended with a panic");
        }
    }
}

/// Syncs whenever something was written since the last sync; on stop, syncs what is left.
fn run(shared: &Shared, file: &File) {
    loop {
        let target = {
            let mut p = shared.lock();
            while p.written == p.durable && !p.stop {
                p = shared.wake.wait(p).unwrap_or_else(|e| e.into_inner());
            }
            if p.written == p.durable {
                return; // stopping, nothing left
            }
            p.written
        };
        let result = file.sync_data();
        let mut p = shared.lock();
        p.durable = target;
        if let Err(e) = result {
            tracing::warn!("the journal could not be made durable: {e}");
            p.error = Some(e.to_string());
        }
        drop(p);
        shared.synced.notify_all();
    }
}
