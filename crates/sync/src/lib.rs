#![deny(missing_docs)]
//! `stones-sync`: devices sync their notebooks directly. The sans-IO protocol core
//! ([`core`]) over the wire messages ([`wire`]), an in-memory test network ([`testnet`]),
//! the store-backed replica ([`replica`]), the iroh transport ([`net`], [`node`]) and the
//! [`Engine`] that owns it all, one per process.

pub mod access;
pub mod caught_up;
pub mod core;
pub mod engine;
pub mod error;
pub mod invite;
pub mod net;
pub mod node;
pub mod replica;
pub mod testnet;
pub mod wire;

pub use caught_up::SyncState;
pub use engine::{Engine, EngineEvent, EngineOptions, Joiner, SettleOptions};
pub use error::{Result, SyncError, Unsettled};
