//! The engine: one per process, the owner of a device home's notebooks for the app, `stones
//! serve` and every CLI command (design §5a). It keeps each loaded document once in memory,
//! in every network mode including `off` (no endpoint at all, same API), edits and reads
//! through typed calls (`edit.rs`), tells subscribers what happened through typed events and
//! a waker (`events.rs`), and reports a caught-up state you can trust (`sync_state.rs`).
//!
//! The handle is `'static`, `Send + Sync` and cheap to clone. Calls lock the engine's state
//! briefly and never wait on the network: starting the network binds a local socket and
//! returns, `join` and dialling report through events. Nothing panics when called from
//! inside a tokio runtime.

pub(crate) mod admit;
mod authority;
mod corrections;
mod edit;
pub mod events;
mod export;
mod insight;
mod join;
mod members;
mod network;
mod practice;
mod settle;
pub(crate) mod state;
mod sync_state;
mod undo;
mod worker;

pub use crate::node::join::Joiner;
pub use edit::Cursor;
pub use events::{ChangeSource, EngineEvent, ErrorKind, Refusal, Waker};
pub use settle::SettleOptions;
pub use sync_state::{PeerSync, SyncState};

use crate::error::{Result, SyncError};
use crate::net::{NetConfig, NetMode};
use crate::node::dial::DialInfo;
use crate::node::inbox::ToWorker;
use crate::node::{NodeStatus, Shared};
use crate::replica::EngineReplica;
use events::Hub;
use iroh::EndpointAddr;
use iroh_tickets::endpoint::EndpointTicket;
use network::Network;
use state::EngineState;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard};
use stones_doc::DeviceId;
use stones_store::Store;

/// The clock the commit policy runs on (unix ms). Tests pass a simulated one.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// How to open an engine.
#[derive(Clone, Default)]
pub struct EngineOptions {
    /// The commit policy's clock (default: the system clock).
    pub clock: Option<Clock>,
}

/// One process's owner of a device home (see the module docs).
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    state: Arc<Mutex<EngineState>>,
    hub: Arc<Hub>,
    shared: Arc<Shared>,
    to_worker: Sender<ToWorker>,
    worker: Mutex<Option<std::thread::JoinHandle<()>>>,
    net: Mutex<Option<Network>>,
    home: PathBuf,
    device: DeviceId,
    clock: Clock,
}

impl Engine {
    /// Opens an existing home (an error names a folder that holds no store).
    pub fn open(home: &Path) -> Result<Engine> {
        Self::start_on(Store::open(home)?, EngineOptions::default())
    }

    /// Opens a home, creating it if needed (first run, joining).
    pub fn open_or_create(home: &Path) -> Result<Engine> {
        Self::start_on(Store::open_or_create(home)?, EngineOptions::default())
    }

    /// Opens (or creates) a home with options.
    pub fn open_with(home: &Path, options: EngineOptions) -> Result<Engine> {
        Self::start_on(Store::open_or_create(home)?, options)
    }

    /// Opens a home and starts the network in a mode (not `off`): what `serve` does.
    pub fn start(home: &Path, cfg: &NetConfig) -> Result<Engine> {
        cfg.require_on()?;
        let engine = Self::open_or_create(home)?;
        engine.start_network(cfg)?;
        Ok(engine)
    }

    fn start_on(store: Store, options: EngineOptions) -> Result<Engine> {
        let store = Arc::new(store);
        let device = store.device();
        let home = store.home().to_path_buf();
        let shared = Arc::new(Shared::default());
        let hub = Arc::new(Hub::default());
        let replica = EngineReplica::open(store)?;
        let state = Arc::new(Mutex::new(EngineState::new(
            replica,
            shared.clone(),
            hub.clone(),
        )));
        let clock: Clock = options
            .clock
            .unwrap_or_else(|| Arc::new(|| Store::now_ms() as u64));
        let (to_worker, rx) = channel();
        let worker = {
            let (state, clock) = (state.clone(), clock.clone());
            std::thread::Builder::new()
                .name("stones-engine".into())
                .spawn(move || worker::run(state, rx, clock))
                .map_err(|e| SyncError::Net(format!("starting the engine's worker: {e}")))?
        };
        Ok(Engine {
            inner: Arc::new(Inner {
                state,
                hub,
                shared,
                to_worker,
                worker: Mutex::new(Some(worker)),
                net: Mutex::new(None),
                home,
                device,
                clock,
            }),
        })
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, EngineState> {
        self.inner.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn net(&self) -> MutexGuard<'_, Option<Network>> {
        self.inner.net.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Now on the engine's clock (ms).
    pub fn now(&self) -> u64 {
        (self.inner.clock)()
    }

    /// Wakes the worker: the clock moved, or something changed that it should look at.
    pub fn nudge(&self) {
        let _ = self.inner.to_worker.send(ToWorker::Wake);
    }

    /// This device's id.
    pub fn device(&self) -> DeviceId {
        self.inner.device
    }

    /// The home folder.
    pub fn home(&self) -> &Path {
        &self.inner.home
    }

    /// The store, for what the engine has no call for yet (reads of settings, diagnostics).
    pub fn store(&self) -> Arc<Store> {
        self.state().store().clone()
    }

    /// A second store handle on the engine's home, as another process would open one (its
    /// own writer slot; the engine picks up its commits at its next poll, or at once after
    /// [`Engine::nudge`]). For tools and benchmarks that model another process; edit
    /// through the engine's own calls otherwise.
    pub fn open_store(&self) -> Result<Arc<Store>> {
        Ok(Arc::new(Store::open(&self.inner.home)?))
    }

    /// A new stream of events from now on; `waker` (if any) is called after each batch of
    /// events (it must return at once and must not call the engine).
    pub fn subscribe_with(&self, waker: Option<Waker>) -> Receiver<EngineEvent> {
        self.inner.hub.subscribe(waker)
    }

    /// A new stream of events from now on.
    pub fn subscribe(&self) -> Receiver<EngineEvent> {
        self.subscribe_with(None)
    }

    /// Starts the network in a mode (not `off`). Binds a local socket and returns; peers are
    /// dialled and accepted in the background. One node per home: an error says so if
    /// another process already runs one.
    pub fn start_network(&self, cfg: &NetConfig) -> Result<()> {
        let mut net = self.net();
        if net.is_some() {
            return Err(SyncError::Net("the network is already on".into()));
        }
        let store = self.store();
        let started = Network::start(
            &store,
            cfg,
            &self.inner.shared,
            self.inner.to_worker.clone(),
        );
        match started {
            Ok(n) => {
                let ticket = EndpointTicket::new(n.addr()).to_string();
                *net = Some(n);
                drop(net);
                let mut st = self.state();
                st.net_on = true;
                st.push_event(EngineEvent::NetworkStarted { ticket });
                st.dispatch();
                Ok(())
            }
            Err(e) => {
                drop(net);
                let mut st = self.state();
                st.error(ErrorKind::Network, e.to_string());
                st.dispatch();
                Err(e)
            }
        }
    }

    /// Stops the network: says goodbye to every peer, closes the endpoint, clears the status
    /// other processes read. The engine goes on in mode `off`.
    pub fn stop_network(&self) {
        self.inner.stop_network();
    }

    /// The network mode now on (`off` when none).
    pub fn mode(&self) -> NetMode {
        self.net().as_ref().map_or(NetMode::Off, |n| n.cfg.mode)
    }

    /// Where this device can be reached, at once (no waiting on the network); `None` in
    /// mode `off`. In `internet` mode it names the configured relay even before it answers.
    pub fn addr(&self) -> Option<EndpointAddr> {
        self.net().as_ref().map(Network::addr)
    }

    /// iroh's endpoint ticket for this device (text starts with `endpoint`).
    pub fn ticket(&self) -> Option<EndpointTicket> {
        self.addr().map(EndpointTicket::new)
    }

    /// Keeps dialling this peer until connected (and again after it drops). Without a
    /// network, an error.
    pub fn dial(&self, addr: EndpointAddr) -> Result<()> {
        let net = self.net();
        let n = net
            .as_ref()
            .ok_or_else(|| SyncError::Net("the network is off".into()))?;
        n.dialer.add(addr);
        Ok(())
    }

    /// The dialer's view of every peer it tries to reach.
    pub fn dial_targets(&self) -> Vec<DialInfo> {
        self.net()
            .as_ref()
            .map(|n| n.dialer.snapshot())
            .unwrap_or_default()
    }

    /// Connected peers and whether each is caught up.
    pub fn status(&self) -> NodeStatus {
        self.inner
            .shared
            .status
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }

    /// Traffic since the engine started: frames, bytes, documents synced.
    pub fn stats(&self) -> crate::core::SyncStats {
        self.inner
            .shared
            .stats
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }

    /// Commits all typing, says goodbye to peers, stops the network and the worker. Other
    /// clones of the handle see an engine in mode `off` with its worker gone.
    pub fn shutdown(&self) {
        self.inner.close();
    }

    /// Blocks until the process is asked to stop (Ctrl-C, SIGTERM). For `serve`; never on a
    /// UI thread.
    pub fn wait_for_stop_signal(&self) {
        let rt = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                tracing::error!(error = %e, "cannot wait for a stop signal");
                return;
            }
        };
        network::outside_runtime(|| rt.block_on(wait_for_signal()));
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

impl Inner {
    fn state(&self) -> MutexGuard<'_, EngineState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn stop_network(&self) {
        let Some(n) = self.net.lock().unwrap_or_else(|p| p.into_inner()).take() else {
            return;
        };
        {
            let mut st = self.state();
            st.close_all("the other device is shutting down");
            st.net_on = false;
            st.net_epoch += 1;
            st.dispatch();
            if let Err(e) = crate::node::status::clear(st.store()) {
                tracing::warn!(error = %e, "could not clear the sync status");
            }
        }
        n.stop();
    }

    /// Commits all typing (and offers it to peers), says goodbye, stops the network and the
    /// worker. Idempotent: `shutdown` and the last handle's drop both come here.
    fn close(&self) {
        {
            let mut st = self.state();
            if let Err(e) = st.commit_all_typing() {
                tracing::error!(error = %e, "could not commit typing when closing");
            }
            st.dispatch();
        }
        self.stop_network();
        let _ = self.to_worker.send(ToWorker::Shutdown);
        let handle = self.worker.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(h) = handle {
            let _ = h.join();
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.close();
    }
}
