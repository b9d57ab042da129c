//! The engine's network, present only while a mode other than `off` is on: a tokio runtime
//! of its own, one iroh endpoint serving the sync and join ALPNs, the accept loop, the dialer
//! and (in `lan` and `internet`) mDNS. Starting binds a local socket and returns; nothing
//! waits on the network. Nothing here may block inside a caller's tokio runtime, so runtime
//! work that must block runs on a thread of its own ([`outside_runtime`]).

use crate::error::{Result, SyncError};
use crate::net::{self, AccessHook, Allowed, JOIN_ALPN, NetConfig, NetMode, SYNC_ALPN};
use crate::node::dial::{self, Dialer};
use crate::node::inbox::ToWorker;
use crate::node::{Shared, lock::NodeLock};
use iroh::{Endpoint, EndpointAddr, TransportAddr};
use iroh_tickets::endpoint::EndpointTicket;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::sync::mpsc::Sender;
use std::time::Duration;
use stones_store::Store;

/// A running network.
pub(crate) struct Network {
    pub rt: tokio::runtime::Runtime,
    pub endpoint: Endpoint,
    pub dialer: Arc<Dialer>,
    pub cfg: NetConfig,
    /// The port bound.
    pub port: u16,
    _lock: NodeLock,
}

/// Runs `f` where blocking on a runtime is allowed: on this thread, or on a fresh one when
/// this thread is inside a tokio runtime (where `block_on` and dropping a runtime panic).
pub(crate) fn outside_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|s| match s.spawn(f).join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

impl Network {
    /// Binds the endpoint and starts accepting, dialling and discovering.
    pub fn start(
        store: &Store,
        cfg: &NetConfig,
        shared: &Arc<Shared>,
        to_worker: Sender<ToWorker>,
    ) -> Result<Network> {
        cfg.require_on()?;
        let lock = NodeLock::take(store.home())?;
        let secret = store.identity().secret_bytes();
        let port = net::port(store)?;
        let remembered = store.db().peers()?;
        let allowed: Allowed = shared.allowed.clone();
        let (rt, ep, bound) = outside_runtime(|| -> Result<_> {
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
                    allowed: allowed.clone(),
                },
            ))?;
            Ok((rt, ep, bound))
        })?;
        if bound != port {
            net::remember_port(store, bound)?;
        }
        let ids = Arc::new(AtomicU64::new(1));
        let dialer = Arc::new(Dialer::default());
        let allowed_now = allowed.read().map(|a| a.clone()).unwrap_or_default();
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
            to_worker,
            ids,
        ));
        if cfg.mdns {
            let _guard = rt.enter();
            start_mdns(&ep, dialer.clone(), allowed)?;
        }
        tracing::info!(mode = cfg.mode.as_str(), port = bound, "network started");
        Ok(Network {
            rt,
            endpoint: ep,
            dialer,
            cfg: cfg.clone(),
            port: bound,
            _lock: lock,
        })
    }

    /// Where this device can be reached, at once: what the endpoint knows, the interface
    /// addresses with the bound port, and in `internet` mode the configured relay whether
    /// or not it is connected yet.
    pub fn addr(&self) -> EndpointAddr {
        let known = self.endpoint.addr();
        let mut addrs: Vec<TransportAddr> = known.addrs.iter().cloned().collect();
        let mut extra = net::addrs_for(&self.cfg, self.port);
        if self.cfg.mode == NetMode::Internet
            && let Some(r) = &self.cfg.relay
        {
            extra.push(TransportAddr::Relay(r.clone()));
        }
        for a in extra {
            if !addrs.contains(&a) {
                addrs.push(a);
            }
        }
        EndpointAddr::from_parts(known.id, addrs)
    }

    /// Closes the endpoint (peers see the connections close) and stops the runtime.
    pub fn stop(self) {
        let Network { rt, endpoint, .. } = self;
        outside_runtime(move || {
            rt.block_on(async move {
                let _ = tokio::time::timeout(Duration::from_secs(2), endpoint.close()).await;
            });
            // Waits for the tasks to end, so the socket is closed when this returns.
            rt.shutdown_timeout(Duration::from_secs(2));
        });
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
                crate::node::join::serve(conn, to_worker).await;
            } else if conn.alpn() == SYNC_ALPN {
                crate::node::run_conn(conn, false, id, to_worker, None).await;
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
