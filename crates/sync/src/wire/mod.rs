//! The messages two devices exchange, their binary encoding, and framing. A frame on the
//! wire is a u32 big-endian length then the encoded message; frames are capped at
//! [`MAX_FRAME`] bytes. Decoding never panics: anything short, oversized or unknown is a
//! [`DecodeError`] that says what was being read.

mod codec;
mod frame;
pub mod reason;
mod refusal;

pub use codec::DecodeError;
pub use frame::{MAX_FRAME, frame, read_frame_len};
pub use refusal::Refusal;

use codec::{Reader, Writer, bad};
use stones_doc::{DocId, DocKind, EntryId, MemberId, NotebookId};

/// The protocol version this build speaks.
pub const PROTOCOL: u32 = 3;

/// Longest string field (names, reasons) accepted from a peer.
pub const MAX_TEXT: usize = 4096;

/// blake3 of a document's sorted heads: equal hashes mean equal documents.
pub type HeadsHash = [u8; 32];

/// A change hash and its author device's signature of it (index changes only).
pub type SignedHash = ([u8; 32], stones_doc::signed::Signature);

/// One document in a digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestEntry {
    /// The document.
    pub doc: DocId,
    /// Index or session.
    pub kind: DocKind,
    /// A hash of its heads.
    pub heads: HeadsHash,
}

/// Every message of both ALPNs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Msg {
    /// What I would sync with you: only notebooks you are a device of, as far as I know.
    Hello {
        /// The protocol version the sender speaks.
        protocol: u32,
        /// The notebooks offered.
        notebooks: Vec<NotebookId>,
    },
    /// My answer to your hello.
    Welcome {
        /// The notebooks I will sync with you.
        accepted: Vec<NotebookId>,
        /// The ones I will not, each with the reason.
        refused: Vec<(NotebookId, String)>,
    },
    /// Every document I hold of a notebook, with the hash of its heads.
    Digest {
        /// The notebook.
        notebook: NotebookId,
        /// Each document held, with its kind and heads hash.
        docs: Vec<DigestEntry>,
    },
    /// One automerge sync message for one document.
    Sync {
        /// The notebook.
        notebook: NotebookId,
        /// The document.
        doc: DocId,
        /// Index or session (a new document is registered with it).
        kind: DocKind,
        /// The encoded automerge sync message.
        message: Vec<u8>,
        /// The signature of every change the message carries (index documents).
        signatures: Vec<SignedHash>,
    },
    /// A whole document the peer's digest showed it lacks (a full save: far cheaper to send
    /// and to load than the sync protocol replaying its history change by change).
    Whole {
        /// The notebook.
        notebook: NotebookId,
        /// The document.
        doc: DocId,
        /// Index or session.
        kind: DocKind,
        /// The saved automerge document.
        bytes: Vec<u8>,
        /// The signature of every change it holds (index documents).
        signatures: Vec<SignedHash>,
    },
    /// Changes of a document I did not take from you, and why (the rest I took).
    Refused {
        /// The notebook.
        notebook: NotebookId,
        /// The document.
        doc: DocId,
        /// How many changes were refused.
        changes: u32,
        /// Why, in words the other side can show.
        reason: String,
    },
    /// After a whole document: the heads hash the receiver now holds.
    Have {
        /// The notebook.
        notebook: NotebookId,
        /// The document.
        doc: DocId,
        /// The heads hash now held.
        heads: HeadsHash,
    },
    /// The connection ends, and why.
    Bye {
        /// Why, in words the other side can show.
        reason: String,
    },
    /// Join ALPN: redeem an invite.
    Join {
        /// The notebook the invite is into.
        notebook: NotebookId,
        /// The invite's id.
        invite: EntryId,
        /// The invite's secret, from the ticket.
        secret: [u8; 16],
        /// The joiner's name, as the group will know them.
        name: String,
        /// The joiner's sector.
        sector: String,
        /// The joiner is the member already called `name` who has no device yet (`stones
        /// join --as NAME`); sent under a tag of its own, so a plain join reads as it always
        /// did.
        as_member: bool,
    },
    /// Join ALPN: you are in.
    Joined {
        /// The member the joiner now is.
        member: MemberId,
    },
    /// Join ALPN: you are not, and why.
    JoinRefused {
        /// Why (expired, used up, forged, unknown…).
        reason: String,
    },
}

const HELLO: u8 = 1;
const WELCOME: u8 = 2;
const DIGEST: u8 = 3;
const SYNC: u8 = 4;
const BYE: u8 = 5;
const JOIN: u8 = 6;
const JOINED: u8 = 7;
const JOIN_REFUSED: u8 = 8;
const WHOLE: u8 = 9;
const HAVE: u8 = 10;
const REFUSED: u8 = 11;
/// A join by the member already called by the name it gives (`join --as`): its own tag, so
/// a plain join reads as it always did and a device that predates it refuses it by name.
const JOIN_AS: u8 = 12;

impl Msg {
    /// A short name for logs (never content).
    pub fn name(&self) -> &'static str {
        match self {
            Msg::Hello { .. } => "hello",
            Msg::Welcome { .. } => "welcome",
            Msg::Digest { .. } => "digest",
            Msg::Sync { .. } => "sync",
            Msg::Whole { .. } => "whole",
            Msg::Have { .. } => "have",
            Msg::Refused { .. } => "refused",
            Msg::Bye { .. } => "bye",
            Msg::Join { .. } => "join",
            Msg::Joined { .. } => "joined",
            Msg::JoinRefused { .. } => "join-refused",
        }
    }

    /// The encoded message (without the frame's length prefix).
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        match self {
            Msg::Hello {
                protocol,
                notebooks,
            } => {
                w.u8(HELLO);
                w.u32(*protocol);
                w.list(notebooks, |w, n| w.raw(&n.0));
            }
            Msg::Welcome { accepted, refused } => {
                w.u8(WELCOME);
                w.list(accepted, |w, n| w.raw(&n.0));
                w.list(refused, |w, (n, why)| {
                    w.raw(&n.0);
                    w.str(why);
                });
            }
            Msg::Digest { notebook, docs } => {
                w.u8(DIGEST);
                w.raw(&notebook.0);
                w.list(docs, |w, d| {
                    w.raw(&d.doc.0);
                    w.u8(d.kind.code());
                    w.raw(&d.heads);
                });
            }
            Msg::Sync {
                notebook,
                doc,
                kind,
                message,
                signatures,
            } => {
                w.u8(SYNC);
                w.raw(&notebook.0);
                w.raw(&doc.0);
                w.u8(kind.code());
                w.bytes(message);
                write_signatures(&mut w, signatures);
            }
            Msg::Whole {
                notebook,
                doc,
                kind,
                bytes,
                signatures,
            } => {
                w.u8(WHOLE);
                w.raw(&notebook.0);
                w.raw(&doc.0);
                w.u8(kind.code());
                w.bytes(bytes);
                write_signatures(&mut w, signatures);
            }
            Msg::Refused {
                notebook,
                doc,
                changes,
                reason,
            } => {
                w.u8(REFUSED);
                w.raw(&notebook.0);
                w.raw(&doc.0);
                w.u32(*changes);
                w.str(reason);
            }
            Msg::Have {
                notebook,
                doc,
                heads,
            } => {
                w.u8(HAVE);
                w.raw(&notebook.0);
                w.raw(&doc.0);
                w.raw(heads);
            }
            Msg::Bye { reason } => {
                w.u8(BYE);
                w.str(reason);
            }
            Msg::Join {
                notebook,
                invite,
                secret,
                name,
                sector,
                as_member,
            } => {
                w.u8(if *as_member { JOIN_AS } else { JOIN });
                w.raw(&notebook.0);
                w.raw(&invite.0);
                w.raw(secret);
                w.str(name);
                w.str(sector);
            }
            Msg::Joined { member } => {
                w.u8(JOINED);
                w.raw(&member.0);
            }
            Msg::JoinRefused { reason } => {
                w.u8(JOIN_REFUSED);
                w.str(reason);
            }
        }
        w.buf
    }

    /// Decodes one message; an error says what was malformed.
    pub fn decode(bytes: &[u8]) -> Result<Msg, DecodeError> {
        let mut r = Reader::new(bytes);
        let tag = r.u8("message tag")?;
        let msg = match tag {
            HELLO => Msg::Hello {
                protocol: r.u32("hello protocol")?,
                notebooks: r.list("hello notebooks", 16, |r| {
                    Ok(NotebookId(r.array("notebook id")?))
                })?,
            },
            WELCOME => Msg::Welcome {
                accepted: r.list("welcome accepted", 16, |r| {
                    Ok(NotebookId(r.array("notebook id")?))
                })?,
                refused: r.list("welcome refused", 20, |r| {
                    Ok((
                        NotebookId(r.array("notebook id")?),
                        r.str("refusal reason", MAX_TEXT)?,
                    ))
                })?,
            },
            DIGEST => Msg::Digest {
                notebook: NotebookId(r.array("digest notebook")?),
                docs: r.list("digest documents", 49, |r| {
                    Ok(DigestEntry {
                        doc: DocId(r.array("digest doc id")?),
                        kind: kind(r.u8("digest doc kind")?)?,
                        heads: r.array("digest heads hash")?,
                    })
                })?,
            },
            SYNC => Msg::Sync {
                notebook: NotebookId(r.array("sync notebook")?),
                doc: DocId(r.array("sync doc id")?),
                kind: kind(r.u8("sync doc kind")?)?,
                message: r.bytes("sync message")?,
                signatures: read_signatures(&mut r, "sync signatures")?,
            },
            WHOLE => Msg::Whole {
                notebook: NotebookId(r.array("whole notebook")?),
                doc: DocId(r.array("whole doc id")?),
                kind: kind(r.u8("whole doc kind")?)?,
                bytes: r.bytes("whole document")?,
                signatures: read_signatures(&mut r, "whole signatures")?,
            },
            REFUSED => Msg::Refused {
                notebook: NotebookId(r.array("refused notebook")?),
                doc: DocId(r.array("refused doc id")?),
                changes: r.u32("refused change count")?,
                reason: r.str("refusal reason", MAX_TEXT)?,
            },
            HAVE => Msg::Have {
                notebook: NotebookId(r.array("have notebook")?),
                doc: DocId(r.array("have doc id")?),
                heads: r.array("have heads hash")?,
            },
            BYE => Msg::Bye {
                reason: r.str("bye reason", MAX_TEXT)?,
            },
            JOIN | JOIN_AS => Msg::Join {
                notebook: NotebookId(r.array("join notebook")?),
                invite: EntryId(r.array("join invite id")?),
                secret: r.array("join secret")?,
                name: r.str("join name", MAX_TEXT)?,
                sector: r.str("join sector", MAX_TEXT)?,
                as_member: tag == JOIN_AS,
            },
            JOINED => Msg::Joined {
                member: MemberId(r.array("joined member id")?),
            },
            JOIN_REFUSED => Msg::JoinRefused {
                reason: r.str("join refusal reason", MAX_TEXT)?,
            },
            other => return Err(bad(format!("unknown message tag {other}"))),
        };
        r.finish(msg.name())?;
        Ok(msg)
    }
}

fn write_signatures(w: &mut Writer, signatures: &[SignedHash]) {
    w.list(signatures, |w, (hash, sig)| {
        w.raw(hash);
        w.raw(sig);
    });
}

fn read_signatures(r: &mut Reader, what: &'static str) -> Result<Vec<SignedHash>, DecodeError> {
    r.list(what, 96, |r| {
        Ok((r.array("change hash")?, r.array("signature")?))
    })
}

fn kind(code: u8) -> Result<DocKind, DecodeError> {
    DocKind::from_code(code).ok_or_else(|| bad(format!("unknown document kind {code}")))
}

/// The hash of a document's heads, independent of their order.
pub fn heads_hash(heads: &[stones_doc::automerge::ChangeHash]) -> HeadsHash {
    let mut sorted: Vec<&[u8]> = heads.iter().map(|h| h.0.as_slice()).collect();
    sorted.sort();
    let mut hasher = blake3::Hasher::new();
    for h in sorted {
        hasher.update(h);
    }
    *hasher.finalize().as_bytes()
}
