//! Network modes and addresses: what a device binds and announces in each mode, the UDP
//! port it keeps across restarts, and the two ALPNs.
//!
//! | mode | binds | LAN discovery | relay |
//! |---|---|---|---|
//! | `off` (fresh device) | nothing | no | no |
//! | `loopback` | 127.0.0.1 | no | no |
//! | `lan` | all interfaces | mDNS | no |
//! | `internet` | all interfaces | mDNS | a custom relay URL, or n0's |

mod endpoint;

pub use endpoint::{AccessHook, Allowed, bind_endpoint};

use crate::error::{Result, SyncError};
use iroh::{EndpointAddr, RelayUrl, TransportAddr};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::str::FromStr;
use stones_store::Store;

/// The device an iroh endpoint id names (a device's id is its endpoint's public key).
pub fn device_id(id: &iroh::EndpointId) -> stones_doc::DeviceId {
    stones_doc::DeviceId(*id.as_bytes())
}

/// Invite redemption only; no notebook content crosses it.
pub const JOIN_ALPN: &[u8] = b"stepping-stones/join/1";
/// Member devices syncing notebooks.
pub const SYNC_ALPN: &[u8] = b"stepping-stones/sync/1";

const PORT_SETTING: &str = "net/port";
const MODE_SETTING: &str = "net/mode";
const RELAY_SETTING: &str = "net/relay";

/// How much of the network a device uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetMode {
    /// No network at all: nothing is sent or received.
    Off,
    /// 127.0.0.1 only (tests, benchmarks, a second home on this computer).
    Loopback,
    /// This room or network: direct addresses and mDNS discovery, no relay.
    Lan,
    /// Everything `lan` does, and over the internet through a relay.
    Internet,
}

impl NetMode {
    /// The name used on the command line and in settings.
    pub fn as_str(self) -> &'static str {
        match self {
            NetMode::Off => "off",
            NetMode::Loopback => "loopback",
            NetMode::Lan => "lan",
            NetMode::Internet => "internet",
        }
    }
}

impl FromStr for NetMode {
    type Err = SyncError;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "off" => Ok(NetMode::Off),
            "loopback" => Ok(NetMode::Loopback),
            "lan" => Ok(NetMode::Lan),
            "internet" => Ok(NetMode::Internet),
            other => Err(SyncError::Net(format!(
                "unknown network mode {other:?}: use off, loopback, lan or internet"
            ))),
        }
    }
}

/// A device's network choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetConfig {
    /// The mode.
    pub mode: NetMode,
    /// The relay to use in `internet` mode (none: n0's public relays).
    pub relay: Option<RelayUrl>,
    /// Bind this address instead of the mode's (tests keep `internet` on 127.0.0.1).
    pub bind_ip: Option<IpAddr>,
    /// mDNS discovery (on by default in `lan` and `internet`).
    pub mdns: bool,
    /// UPnP/PCP port mapping (on by default in `internet` only).
    pub portmapper: bool,
}

impl NetConfig {
    /// A mode with its defaults.
    pub fn new(mode: NetMode, relay: Option<RelayUrl>) -> NetConfig {
        NetConfig {
            mode,
            relay,
            bind_ip: None,
            mdns: matches!(mode, NetMode::Lan | NetMode::Internet),
            portmapper: mode == NetMode::Internet,
        }
    }

    /// The address to bind in this mode.
    pub fn ip(&self) -> IpAddr {
        self.bind_ip.unwrap_or(match self.mode {
            NetMode::Loopback => IpAddr::V4(Ipv4Addr::LOCALHOST),
            _ => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        })
    }

    /// The device's saved choice, overridden by what was given now (and then saved, like the
    /// app's first-run choice). A fresh device with nothing given is `off`.
    pub fn resolve(store: &Store, mode: Option<&str>, relay: Option<&str>) -> Result<NetConfig> {
        let db = store.db();
        let mode = match mode {
            Some(m) => {
                let parsed = NetMode::from_str(m)?;
                db.set_setting(MODE_SETTING, parsed.as_str().as_bytes())?;
                parsed
            }
            None => match db.setting(MODE_SETTING)? {
                Some(b) => NetMode::from_str(&String::from_utf8_lossy(&b))?,
                None => NetMode::Off,
            },
        };
        let relay = match relay {
            Some(r) => {
                let url = parse_relay(r)?;
                db.set_setting(RELAY_SETTING, r.as_bytes())?;
                Some(url)
            }
            None => match db.setting(RELAY_SETTING)? {
                Some(b) => Some(parse_relay(&String::from_utf8_lossy(&b))?),
                None => None,
            },
        };
        Ok(NetConfig::new(mode, relay))
    }

    /// The mode the device chose before, if it ever chose one (a fresh device has not: the
    /// app then asks, and sends nothing until it is told).
    pub fn saved_mode(store: &Store) -> Result<Option<NetMode>> {
        match store.db().setting(MODE_SETTING)? {
            Some(b) => Ok(Some(NetMode::from_str(&String::from_utf8_lossy(&b))?)),
            None => Ok(None),
        }
    }

    /// Errors unless the network is on.
    pub fn require_on(&self) -> Result<()> {
        if self.mode == NetMode::Off {
            return Err(SyncError::Net(
                "the network is off on this device: choose --net loopback, lan or internet \
                 (or set STONES_NET)"
                    .into(),
            ));
        }
        Ok(())
    }
}

fn parse_relay(r: &str) -> Result<RelayUrl> {
    RelayUrl::from_str(r).map_err(|e| SyncError::Net(format!("relay URL {r:?}: {e}")))
}

/// The UDP port this device listens on: chosen once, kept in settings.
pub fn port(store: &Store) -> Result<u16> {
    if let Some(b) = store.db().setting(PORT_SETTING)?
        && let Ok(b) = <[u8; 2]>::try_from(b.as_slice())
    {
        return Ok(u16::from_be_bytes(b));
    }
    choose_new_port(store)
}

/// Picks a free UDP port and remembers it (when none was chosen, or the old one is taken).
pub fn choose_new_port(store: &Store) -> Result<u16> {
    let sock = UdpSocket::bind(SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0))
        .map_err(|e| SyncError::Net(format!("finding a free UDP port: {e}")))?;
    let port = sock
        .local_addr()
        .map_err(|e| SyncError::Net(format!("finding a free UDP port: {e}")))?
        .port();
    store.db().set_setting(PORT_SETTING, &port.to_be_bytes())?;
    Ok(port)
}

/// Remembers the port actually bound (if binding had to move).
pub fn remember_port(store: &Store, port: u16) -> Result<()> {
    store.db().set_setting(PORT_SETTING, &port.to_be_bytes())?;
    Ok(())
}

/// Where this device can be reached in a mode, without a running endpoint (for invites).
pub fn local_addr(store: &Store, cfg: &NetConfig) -> Result<EndpointAddr> {
    cfg.require_on()?;
    let port = port(store)?;
    let id = iroh::PublicKey::from_bytes(&store.device().0)
        .map_err(|e| SyncError::Net(format!("device key: {e}")))?;
    let mut addrs = addrs_for(cfg, port);
    if cfg.mode == NetMode::Internet
        && let Some(r) = &cfg.relay
    {
        addrs.push(TransportAddr::Relay(r.clone()));
    }
    Ok(EndpointAddr::from_parts(id, addrs))
}

/// The direct addresses a device listening on `port` in this mode has.
pub fn addrs_for(cfg: &NetConfig, port: u16) -> Vec<TransportAddr> {
    match (cfg.mode, cfg.bind_ip) {
        (_, Some(ip)) if !ip.is_unspecified() => vec![TransportAddr::Ip(SocketAddr::new(ip, port))],
        (NetMode::Loopback, _) => vec![TransportAddr::Ip(SocketAddr::new(
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            port,
        ))],
        _ => interface_ips()
            .into_iter()
            .map(|ip| TransportAddr::Ip(SocketAddr::new(ip, port)))
            .collect(),
    }
}

/// This machine's non-loopback IPv4 addresses (where LAN peers can reach it).
fn interface_ips() -> Vec<IpAddr> {
    netdev::get_interfaces()
        .into_iter()
        .filter(|i| i.is_up() && !i.is_loopback())
        .flat_map(|i| i.ipv4.into_iter().map(|n| IpAddr::V4(n.addr())))
        .collect()
}
