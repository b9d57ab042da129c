//! Identifiers: random 16-byte ids for notebooks, documents, members and entries, and the
//! 32-byte device id (the device's ed25519 public key, later its iroh endpoint id).

use crate::error::{DocError, Result};
use std::fmt;

macro_rules! id16 {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub [u8; 16]);

        impl $name {
            /// A fresh random id.
            pub fn random() -> Self {
                Self(rand::random())
            }
            /// Lower-case hex, 32 characters.
            pub fn to_hex(&self) -> String {
                hex::encode(self.0)
            }
            /// Parses the 32-character hex form.
            pub fn from_hex(s: &str) -> Result<Self> {
                decode_hex::<16>(s, $what).map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.to_hex())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), &self.to_hex()[..8])
            }
        }
    };
}

id16!(
    /// A notebook: the group's whole shared record.
    NotebookId,
    "notebook id"
);
id16!(
    /// One automerge document: the index or a session.
    DocId,
    "document id"
);
id16!(
    /// A member of the group.
    MemberId,
    "member id"
);
id16!(
    /// Any keyed entry inside a document: a session, reflection, story, question, note…
    EntryId,
    "entry id"
);

/// A device: its ed25519 public key (the iroh endpoint id).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeviceId(pub [u8; 32]);

impl DeviceId {
    /// Lower-case hex, 64 characters.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
    /// Parses the 64-character hex form.
    pub fn from_hex(s: &str) -> Result<Self> {
        decode_hex::<32>(s, "device id").map(Self)
    }
    /// The automerge actor id a writer of this device uses. A device may run several
    /// processes on one home at once (the app and `stones` commands); each holds a writer
    /// slot so no two concurrent writers ever share an actor id.
    pub fn actor(&self, slot: u8) -> automerge::ActorId {
        let mut bytes = self.0.to_vec();
        bytes.push(slot);
        automerge::ActorId::from(bytes)
    }
    /// The device an actor id belongs to, if it is one of ours.
    pub fn from_actor(actor: &automerge::ActorId) -> Option<DeviceId> {
        let bytes = actor.to_bytes();
        let head: [u8; 32] = bytes.get(..32)?.try_into().ok()?;
        (bytes.len() == 33).then_some(DeviceId(head))
    }
}

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceId({})", &self.to_hex()[..8])
    }
}

fn decode_hex<const N: usize>(s: &str, what: &'static str) -> Result<[u8; N]> {
    let bytes = hex::decode(s.trim()).map_err(|e| DocError::Decode {
        what,
        why: format!("{s:?} is not hex: {e}"),
    })?;
    bytes.try_into().map_err(|b: Vec<u8>| DocError::Decode {
        what,
        why: format!("expected {} hex characters, got {}", N * 2, b.len() * 2),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_errors() {
        let id = EntryId::random();
        assert_eq!(EntryId::from_hex(&id.to_hex()).unwrap(), id);
        assert!(EntryId::from_hex("zz").is_err());
        assert!(EntryId::from_hex("abcd").is_err());
        assert_ne!(EntryId::random(), EntryId::random());
    }

    #[test]
    fn actor_maps_back_to_device() {
        let device = DeviceId([7; 32]);
        let actor = device.actor(3);
        assert_eq!(DeviceId::from_actor(&actor), Some(device));
        assert_eq!(DeviceId::from_actor(&automerge::ActorId::random()), None);
    }
}

/// What kind of document a doc id names: a notebook's index or one session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocKind {
    /// The notebook's index document.
    Index,
    /// A session's document.
    Session,
}

impl DocKind {
    /// The one-byte code used on disk and on the wire.
    pub fn code(self) -> u8 {
        match self {
            DocKind::Index => 0,
            DocKind::Session => 1,
        }
    }
    /// The kind for a one-byte code, if it names one.
    pub fn from_code(code: u8) -> Option<DocKind> {
        match code {
            0 => Some(DocKind::Index),
            1 => Some(DocKind::Session),
            _ => None,
        }
    }
}
