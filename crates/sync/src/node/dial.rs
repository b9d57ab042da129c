//! Reaching peers: the devices we were told to dial (a ticket, an inviter), the ones we
//! remember, and the ones mDNS finds on the LAN. A target that is not connected is dialled
//! again with backoff (1 s doubling to a minute; a connection that lasted resets it).

use super::Shared;
use super::conn;
use super::inbox::ToWorker;
use crate::core::ConnId;
use crate::net::SYNC_ALPN;
use iroh::{Endpoint, EndpointAddr};
use iroh_tickets::Ticket;
use iroh_tickets::endpoint::EndpointTicket;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use stones_doc::DeviceId;

const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection that lasted this long was a real one: dial again promptly when it drops.
const LASTED: Duration = Duration::from_secs(30);

/// What the dialer knows about one peer.
#[derive(Clone, Debug)]
pub struct DialInfo {
    /// The peer's device.
    pub device: DeviceId,
    /// Where it was last known to be.
    pub addr: EndpointAddr,
    /// Attempts so far (successful or not).
    pub attempts: u32,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<String>,
    /// An attempt (or a connection) is under way now.
    pub busy: bool,
    /// When the current attempt (or connection) began.
    pub since: Option<Instant>,
    next_at: Instant,
    backoff: Duration,
    /// The address changed while an attempt to the old one was under way: dial the new
    /// one at once rather than after the old attempt times out.
    moved: bool,
}

/// The set of peers to keep dialling.
#[derive(Default)]
pub struct Dialer {
    targets: Mutex<BTreeMap<DeviceId, DialInfo>>,
}

impl Dialer {
    /// Adds (or updates the address of) a peer to dial; it is tried at once.
    pub fn add(&self, addr: EndpointAddr) {
        let device = crate::net::device_id(&addr.id);
        if let Ok(mut t) = self.targets.lock() {
            let e = t.entry(device).or_insert_with(|| DialInfo {
                device,
                addr: addr.clone(),
                attempts: 0,
                last_error: None,
                busy: false,
                since: None,
                next_at: Instant::now(),
                backoff: FIRST_BACKOFF,
                moved: false,
            });
            if !addr.addrs.is_empty() && addr != e.addr {
                // A ticket given now beats an address remembered from before (found by the
                // partition test: a remembered loopback address kept a sync dialling the
                // old place until it gave up, and the new address was never tried).
                e.addr = addr;
                e.moved = e.busy;
                e.backoff = FIRST_BACKOFF;
            }
            e.next_at = e.next_at.min(Instant::now());
        }
    }

    /// A snapshot of every target.
    pub fn snapshot(&self) -> Vec<DialInfo> {
        self.targets
            .lock()
            .map(|t| t.values().cloned().collect())
            .unwrap_or_default()
    }

    /// The address the peer is dialled at now.
    fn addr_of(&self, device: DeviceId) -> Option<EndpointAddr> {
        let t = self.targets.lock().ok()?;
        t.get(&device).map(|e| e.addr.clone())
    }

    fn update(&self, device: DeviceId, f: impl FnOnce(&mut DialInfo)) {
        if let Ok(mut t) = self.targets.lock()
            && let Some(e) = t.get_mut(&device)
        {
            f(e);
        }
    }
}

/// Dials due targets that are not connected, forever.
pub(crate) async fn dial_loop(
    ep: Endpoint,
    dialer: Arc<Dialer>,
    shared: Arc<Shared>,
    to_worker: Sender<ToWorker>,
    ids: Arc<AtomicU64>,
) {
    loop {
        let connected: Vec<DeviceId> = shared
            .status
            .lock()
            .map(|s| s.peers.iter().map(|p| p.device).collect())
            .unwrap_or_default();
        let now = Instant::now();
        let due: Vec<DialInfo> = dialer
            .snapshot()
            .into_iter()
            .filter(|d| (!d.busy || d.moved) && d.next_at <= now)
            .filter(|d| !connected.contains(&d.device))
            .collect();
        for d in due {
            let attempt = d.attempts + 1;
            dialer.update(d.device, |e| {
                e.busy = true;
                e.moved = false;
                e.since = Some(Instant::now());
                e.attempts = attempt;
            });
            let (ep, dialer, to_worker) = (ep.clone(), dialer.clone(), to_worker.clone());
            let id = ConnId(ids.fetch_add(1, Ordering::Relaxed));
            tokio::spawn(async move {
                let started = Instant::now();
                let result =
                    tokio::time::timeout(CONNECT_TIMEOUT, ep.connect(d.addr.clone(), SYNC_ALPN))
                        .await;
                let error = match result {
                    Ok(Ok(c)) => {
                        // Remember where the peer is now known to be: an attempt begun
                        // with an older address can connect over the newer one (the
                        // endpoint tries every address it knows for the peer).
                        let addr = dialer.addr_of(d.device).unwrap_or(d.addr.clone());
                        let remember = EndpointTicket::new(addr).encode_bytes();
                        conn::run(c, true, id, to_worker, Some(remember)).await;
                        None
                    }
                    Ok(Err(e)) => Some(e.to_string()),
                    Err(_) => Some("no answer".to_string()),
                };
                if let Some(e) = &error {
                    tracing::info!(peer = %d.device, error = %e, "dial failed");
                }
                let lasted = started.elapsed() >= LASTED;
                dialer.update(d.device, |e| {
                    if e.attempts != attempt {
                        return; // a newer attempt (to a new address) owns the entry now
                    }
                    e.busy = false;
                    e.last_error = error;
                    e.backoff = if lasted {
                        FIRST_BACKOFF
                    } else {
                        (e.backoff * 2).min(MAX_BACKOFF)
                    };
                    e.next_at = Instant::now() + if lasted { FIRST_BACKOFF } else { e.backoff };
                });
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
