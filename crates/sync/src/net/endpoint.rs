//! Building the iroh endpoint for a mode (never n0's DNS or address lookups; relays only in
//! `internet` mode; the portmapper only there too), and the after-handshake hook that turns
//! away endpoints that are not active devices of a notebook here before any stream opens.

use super::{JOIN_ALPN, NetConfig, NetMode, SYNC_ALPN};
use crate::error::{Result, SyncError};
use iroh::endpoint::{
    AfterHandshakeOutcome, Connection, EndpointHooks, IdleTimeout, PortmapperConfig,
    QuicTransportConfig, VarInt, presets,
};
use iroh::{Endpoint, RelayMode, SecretKey};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use stones_doc::DeviceId;

/// The devices allowed on the sync ALPN, kept current by the node's worker.
pub type Allowed = Arc<RwLock<BTreeSet<DeviceId>>>;

/// How often a connection with nothing to say still sends a packet (QUIC keep-alive).
pub const KEEP_ALIVE: std::time::Duration = std::time::Duration::from_secs(1);

/// How long a connection may hear nothing at all before it counts as lost. With a
/// keep-alive every second, six seconds of silence is a link that went down (a cut cable,
/// the laptop closed, the café Wi-Fi gone), not a pause: the connection closes, the peer
/// stops counting as connected — so "caught up" is never claimed for more than this
/// long over a link that is down — and the dialer starts redialling. (QUIC's default is 30
/// s; measured in issue 14's partition test.)
pub const SILENCE_LIMIT: std::time::Duration = std::time::Duration::from_secs(6);

/// QUIC close code for "not a member device".
pub const REFUSED_CODE: u32 = 403;

/// Refuses incoming sync connections from endpoints that are not allowed devices. Join
/// connections pass: anyone with an invite may knock, and nothing but the join exchange is
/// served there.
#[derive(Debug, Clone)]
pub struct AccessHook {
    /// Which devices may connect (kept current by the engine).
    pub allowed: Allowed,
}

impl EndpointHooks for AccessHook {
    async fn after_handshake<'a>(&'a self, conn: &'a Connection) -> AfterHandshakeOutcome {
        // Join connections pass, and so do connections we dialled ourselves: we chose that
        // peer, and the protocol core decides what (if anything) it may have.
        if conn.alpn() == JOIN_ALPN || conn.side() == iroh::endpoint::Side::Client {
            return AfterHandshakeOutcome::accept();
        }
        let device = crate::net::device_id(&conn.remote_id());
        let ok = conn.alpn() == SYNC_ALPN
            && self
                .allowed
                .read()
                .map(|set| set.contains(&device))
                .unwrap_or(false);
        if ok {
            AfterHandshakeOutcome::accept()
        } else {
            tracing::info!(peer = %device, "refused: not a member device of any notebook here");
            AfterHandshakeOutcome::Reject {
                error_code: VarInt::from_u32(REFUSED_CODE),
                reason: crate::wire::reason::NOT_ANY_MEMBER.as_bytes().to_vec(),
            }
        }
    }
}

/// Binds the endpoint for this mode on `port` (or a new port if that one is taken); returns
/// the endpoint and the port actually bound.
pub async fn bind_endpoint(
    secret: [u8; 32],
    cfg: &NetConfig,
    port: u16,
    hook: AccessHook,
) -> Result<(Endpoint, u16)> {
    cfg.require_on()?;
    match try_bind(secret, cfg, port, hook.clone()).await {
        Ok(ep) => Ok((ep, port)),
        Err(first) => {
            tracing::info!(port, error = %first, "port taken; choosing a new one");
            let ep = try_bind(secret, cfg, 0, hook).await?;
            let bound = ep
                .bound_sockets()
                .first()
                .map(|a| a.port())
                .ok_or_else(|| SyncError::Net("the endpoint bound no socket".into()))?;
            Ok((ep, bound))
        }
    }
}

async fn try_bind(
    secret: [u8; 32],
    cfg: &NetConfig,
    port: u16,
    hook: AccessHook,
) -> Result<Endpoint> {
    let ip = cfg.ip();
    let relay = match (cfg.mode, &cfg.relay) {
        (NetMode::Internet, Some(url)) => RelayMode::custom([url.clone()]),
        (NetMode::Internet, None) => iroh::endpoint::default_relay_mode(),
        _ => RelayMode::Disabled,
    };
    let portmapper = if cfg.portmapper {
        PortmapperConfig::default()
    } else {
        PortmapperConfig::Disabled
    };
    let net = |e: &dyn std::fmt::Display| SyncError::Net(format!("binding {ip}:{port}: {e}"));
    let transport = QuicTransportConfig::builder()
        .keep_alive_interval(KEEP_ALIVE)
        .max_idle_timeout(Some(
            IdleTimeout::try_from(SILENCE_LIMIT).map_err(|e| net(&e))?,
        ))
        .build();
    let builder = Endpoint::builder(presets::Minimal)
        .transport_config(transport)
        .secret_key(SecretKey::from_bytes(&secret))
        .alpns(vec![SYNC_ALPN.to_vec(), JOIN_ALPN.to_vec()])
        .clear_address_lookup()
        .relay_mode(relay)
        .portmapper_config(portmapper)
        .hooks(hook)
        .clear_ip_transports()
        .bind_addr(SocketAddr::new(ip, port))
        .map_err(|e| net(&e))?;
    builder.bind().await.map_err(|e| net(&e))
}
