//! The `Node`: one iroh endpoint serving the join and sync ALPNs for a device home, the
//! worker thread that owns the store and the protocol core, the dialer, and (in `lan` and
//! `internet` modes) mDNS discovery. The app and the CLI share this API: start it, watch
//! its events and status, tell it whom to dial, join with an invite, shut it down.
//!
//! It runs its own tokio runtime, so callers stay synchronous.

mod conn;
pub mod dial;
mod idle;
mod join;
pub mod lock;
pub mod status;
mod worker;

use crate::error::{Result, SyncError};
use crate::invite::InviteTicket;
use crate::net::{self, AccessHook, Allowed, JOIN_ALPN, NetConfig, NetMode, SYNC_ALPN};
use dial::{DialInfo, Dialer};
use iroh::{Endpoint, EndpointAddr, Watcher};
use iroh_tickets::endpoint::EndpointTicket;
use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use stones_doc::{DeviceId, MemberId};
use stones_store::Store;
use worker::{ToWorker, Worker};

pub use crate::core::SyncEvent;

/// What a node tells its user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeEvent {
    Sync(SyncEvent),
    Error(String),
}

/// One connected peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerStatus {
    pub device: DeviceId,
    /// Every shared document is in sync with this peer, both ways.
    pub caught_up: bool,
    /// We dialled it (rather than it us).
    pub dialed: bool,
}

/// The connected peers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeStatus {
    pub peers: Vec<PeerStatus>,
}

impl NodeStatus {
    /// The room is caught up when every connected peer is.
    pub fn room_caught_up(&self) -> bool {
        self.peers.iter().all(|p| p.caught_up)
    }
}

/// State shared between the worker, the network tasks and the API.
pub(crate) struct Shared {
    allowed: Allowed,
    subscribers: Mutex<Vec<Sender<NodeEvent>>>,
    status: Mutex<NodeStatus>,
    stats: Mutex<crate::core::SyncStats>,
}

/// A running node.
pub struct Node {
    rt: tokio::runtime::Runtime,
    endpoint: Endpoint,
    to_worker: Sender<ToWorker>,
    shared: Arc<Shared>,
    dialer: Arc<Dialer>,
    worker: Option<std::thread::JoinHandle<()>>,
    device: DeviceId,
    mode: NetMode,
    home: std::path::PathBuf,
    _lock: lock::NodeLock,
}

impl Node {
    /// Starts a node on a device home in the given network mode (not `off`).
    pub fn start(home: &Path, cfg: &NetConfig) -> Result<Node> {
        cfg.require_on()?;
        let store = Store::open_or_create(home)?;
        let node_lock = lock::NodeLock::take(home)?;
        let device = store.device();
        let secret = store.identity().secret_bytes();
        let port = net::port(&store)?;
        let remembered = store.db().peers()?;
        let shared = Arc::new(Shared {
            allowed: Allowed::default(),
            subscribers: Mutex::new(Vec::new()),
            status: Mutex::new(NodeStatus::default()),
            stats: Mutex::new(crate::core::SyncStats::default()),
        });
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name("stones-net")
            .build()
            .map_err(|e| SyncError::Net(format!("starting the network runtime: {e}")))?;
        let (ep, bound) = rt.block_on(net::bind_endpoint(
            secret,
            cfg,
            port,
            AccessHook {
                allowed: shared.allowed.clone(),
            },
        ))?;
        if bound != port {
            net::remember_port(&store, bound)?;
        }
        let worker = Worker::new(store, shared.clone())?;
        let (to_worker, rx) = channel();
        let handle = std::thread::Builder::new()
            .name("stones-sync".into())
            .spawn(move || worker.run(rx))
            .map_err(|e| SyncError::Net(format!("starting the sync worker: {e}")))?;
        let ids = Arc::new(AtomicU64::new(1));
        let dialer = Arc::new(Dialer::default());
        let allowed_now = shared.allowed.read().map(|a| a.clone()).unwrap_or_default();
        for p in remembered {
            if allowed_now.contains(&p.device)
                && let Ok(t) = <EndpointTicket as iroh_tickets::Ticket>::decode_bytes(&p.addr)
            {
                dialer.add(t.endpoint_addr().clone());
            }
        }
        rt.spawn(accept_loop(ep.clone(), to_worker.clone(), ids.clone()));
        rt.spawn(dial::dial_loop(
            ep.clone(),
            dialer.clone(),
            shared.clone(),
            to_worker.clone(),
            ids,
        ));
        if cfg.mdns {
            let _guard = rt.enter();
            start_mdns(&ep, dialer.clone(), shared.allowed.clone())?;
        }
        tracing::info!(device = %device, mode = cfg.mode.as_str(), port = bound, "node started");
        Ok(Node {
            rt,
            endpoint: ep,
            to_worker,
            shared,
            dialer,
            worker: Some(handle),
            device,
            mode: cfg.mode,
            home: home.to_path_buf(),
            _lock: node_lock,
        })
    }

    /// This device's id.
    pub fn device(&self) -> DeviceId {
        self.device
    }

    /// A store handle on the node's home, for reading and editing notebooks beside the node
    /// (the app, a CLI command). Commit through `Notebook` as usual, then call [`Node::nudge`]
    /// so the node pushes the change at once instead of at its next poll; watch
    /// `SyncEvent::DocUpdated` to know when to `refresh()` what you have open.
    pub fn open_store(&self) -> Result<Store> {
        Ok(Store::open(&self.home)?)
    }

    /// Where this node can be reached (waits briefly for the addresses to be known).
    pub fn addr(&self) -> EndpointAddr {
        let mut watcher = self.endpoint.watch_addr();
        let want_relay = self.mode == NetMode::Internet;
        self.rt.block_on(async {
            let _ = tokio::time::timeout(Duration::from_secs(3), async {
                loop {
                    let a = watcher.get();
                    let ready = a.ip_addrs().next().is_some()
                        && (!want_relay || a.relay_urls().next().is_some());
                    if ready || watcher.updated().await.is_err() {
                        break;
                    }
                }
            })
            .await;
        });
        self.endpoint.addr()
    }

    /// iroh's endpoint ticket for this node (text starts with `endpoint`).
    pub fn ticket(&self) -> EndpointTicket {
        EndpointTicket::new(self.addr())
    }

    /// Keeps dialling this peer until connected (and again after it drops).
    pub fn dial(&self, addr: EndpointAddr) {
        self.dialer.add(addr);
    }

    /// The dialer's view of every peer it tries to reach.
    pub fn dial_targets(&self) -> Vec<DialInfo> {
        self.dialer.snapshot()
    }

    /// A new stream of events from now on.
    pub fn subscribe(&self) -> Receiver<NodeEvent> {
        let (tx, rx) = channel();
        if let Ok(mut s) = self.shared.subscribers.lock() {
            s.push(tx);
        }
        rx
    }

    /// Connected peers and whether each is caught up.
    pub fn status(&self) -> NodeStatus {
        self.shared
            .status
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }

    /// Traffic since the node started: frames, bytes, documents synced.
    pub fn stats(&self) -> crate::core::SyncStats {
        self.shared
            .stats
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }

    /// Tells the node that this process committed to the store: push it now.
    pub fn nudge(&self) {
        let _ = self.to_worker.send(ToWorker::Nudge);
    }

    /// Redeems an invite with the inviting device, then syncs the notebook from it.
    pub fn join(&self, ticket: &InviteTicket, name: &str, sector: &str) -> Result<MemberId> {
        let member = self
            .rt
            .block_on(join::redeem(&self.endpoint, ticket, name, sector))?;
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.to_worker
            .send(ToWorker::SetJoining {
                notebook: ticket.notebook,
                inviter: net::device_id(&ticket.addr.id),
                reply,
            })
            .map_err(|_| SyncError::Net("the node has stopped".into()))?;
        answer
            .blocking_recv()
            .map_err(|_| SyncError::Net("the node has stopped".into()))??;
        self.dial(ticket.addr.clone());
        Ok(member)
    }

    /// Blocks until the process is asked to stop (Ctrl-C, SIGTERM).
    pub fn wait_for_stop_signal(&self) {
        self.rt.block_on(async {
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
        });
    }

    /// Closes every connection (saying goodbye), flushes, and stops.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.to_worker.send(ToWorker::Shutdown);
        if let Some(h) = self.worker.take() {
            let _ = h.join();
        }
        let ep = self.endpoint.clone();
        self.rt.block_on(async move {
            let _ = tokio::time::timeout(Duration::from_secs(2), ep.close()).await;
        });
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        if self.worker.is_some() {
            self.stop();
        }
    }
}

async fn accept_loop(ep: Endpoint, to_worker: Sender<ToWorker>, ids: Arc<AtomicU64>) {
    while let Some(incoming) = ep.accept().await {
        let to_worker = to_worker.clone();
        let id = crate::core::ConnId(ids.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        tokio::spawn(async move {
            let accepting = match incoming.accept() {
                Ok(a) => a,
                Err(e) => {
                    tracing::debug!(error = %e, "incoming connection failed");
                    return;
                }
            };
            let conn = match accepting.await {
                Ok(c) => c,
                Err(e) => {
                    tracing::info!(error = %e, "incoming connection refused or failed");
                    return;
                }
            };
            if conn.alpn() == JOIN_ALPN {
                join::serve(conn, to_worker).await;
            } else if conn.alpn() == SYNC_ALPN {
                conn::run(conn, false, id, to_worker, None).await;
            }
        });
    }
}

/// mDNS: advertise this device and dial discovered devices that are allowed.
fn start_mdns(ep: &Endpoint, dialer: Arc<Dialer>, allowed: Allowed) -> Result<()> {
    use iroh_mdns_address_lookup::{DiscoveryEvent, MdnsAddressLookup};
    let mdns = MdnsAddressLookup::builder()
        .build(ep.id())
        .map_err(|e| SyncError::Net(format!("starting LAN discovery: {e}")))?;
    ep.address_lookup()
        .map_err(|e| SyncError::Net(format!("starting LAN discovery: {e}")))?
        .add(mdns.clone());
    tokio::spawn(async move {
        use n0_future::StreamExt;
        let mut events = mdns.subscribe().await;
        while let Some(ev) = events.next().await {
            if let DiscoveryEvent::Discovered { endpoint_info, .. } = ev {
                let device = net::device_id(&endpoint_info.endpoint_id);
                let ok = allowed.read().map(|a| a.contains(&device)).unwrap_or(false);
                if ok {
                    tracing::info!(peer = %device, "found a member device on the LAN");
                    dialer.add(endpoint_info.into_endpoint_addr());
                }
            }
        }
    });
    Ok(())
}
