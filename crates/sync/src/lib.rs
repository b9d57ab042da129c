//! `stones-sync`: devices sync their notebooks directly. The sans-IO protocol core
//! ([`core`]) over the wire messages ([`wire`]), an in-memory test network ([`testnet`]),
//! the store-backed replica, the iroh transport and the `Node` that runs it all.

pub mod access;
pub mod core;
pub mod engine;
pub mod error;
pub mod invite;
pub mod testnet;
pub mod wire;

pub use error::{Result, SyncError};
pub mod net;
pub mod node;
pub mod replica;

pub use engine::{Engine, EngineEvent, EngineOptions, SettleOptions, SyncState, Unsettled};
