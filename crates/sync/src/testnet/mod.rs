//! An in-memory network of protocol cores for tests: many devices, connections whose frames
//! queue in each direction, delivery in any order across connections (in order within one,
//! as on a QUIC stream), dropped connections and partitions. Everything is driven by the
//! test, step by step, so a failing schedule can be replayed from its seed.

mod founder;
mod replica;

pub use founder::founder_with_peer;
pub use replica::{MemReplica, index_view, test_device, test_secret};

use crate::core::{ConnId, Core, Output, SyncEvent};
use std::collections::{BTreeMap, VecDeque};

/// A connection between devices `a` and `b`, with a queue of frames each way.
pub struct Link {
    /// One end: a core's index.
    pub a: usize,
    /// The other end.
    pub b: usize,
    /// Frames on their way from `a` to `b`.
    pub to_b: VecDeque<Vec<u8>>,
    /// Frames on their way from `b` to `a`.
    pub to_a: VecDeque<Vec<u8>>,
}

/// Devices and the connections between them.
pub struct Net {
    /// The devices' protocol cores.
    pub cores: Vec<Core<MemReplica>>,
    /// Open links by id.
    pub links: BTreeMap<u64, Link>,
    next_link: u64,
    /// Every event each core reported, with the core's index.
    pub events: Vec<(usize, SyncEvent)>,
    /// Bytes delivered to each device.
    pub bytes_in: Vec<u64>,
    /// Every close, with the core's index and the reason.
    pub closes: Vec<(usize, String)>,
    /// When `Some`, every frame a core sends, as (sender, receiver, message), in order: a
    /// test that checks what may be sent to whom takes them after each step.
    pub sends: Option<Vec<(usize, usize, Vec<u8>)>>,
}

impl Net {
    /// A network of these devices, none connected.
    pub fn new(replicas: Vec<MemReplica>) -> Self {
        let n = replicas.len();
        Net {
            cores: replicas.into_iter().map(Core::new).collect(),
            links: BTreeMap::new(),
            next_link: 1,
            events: Vec::new(),
            bytes_in: vec![0; n],
            closes: Vec::new(),
            sends: None,
        }
    }

    /// Opens a connection from device `a` (the dialler) to `b`; returns its id.
    pub fn connect(&mut self, a: usize, b: usize) -> u64 {
        let id = self.next_link;
        self.next_link += 1;
        self.links.insert(
            id,
            Link {
                a,
                b,
                to_b: VecDeque::new(),
                to_a: VecDeque::new(),
            },
        );
        let (da, db) = (self.cores[a].replica.device, self.cores[b].replica.device);
        self.cores[a].opened(ConnId(id), db, true);
        self.cores[b].opened(ConnId(id), da, false);
        self.pump(a);
        self.pump(b);
        id
    }

    /// Whether devices `a` and `b` have a connection.
    pub fn connected(&self, a: usize, b: usize) -> bool {
        self.links
            .values()
            .any(|l| (l.a == a && l.b == b) || (l.a == b && l.b == a))
    }

    /// Drops a connection: frames in flight are lost, both sides learn it closed.
    pub fn drop_link(&mut self, id: u64) {
        if let Some(l) = self.links.remove(&id) {
            self.cores[l.a].closed(ConnId(id), "connection lost");
            self.cores[l.b].closed(ConnId(id), "connection lost");
            self.pump(l.a);
            self.pump(l.b);
        }
    }

    /// Frames waiting anywhere.
    pub fn pending(&self) -> usize {
        self.links
            .values()
            .map(|l| l.to_a.len() + l.to_b.len())
            .sum()
    }

    /// Every direction with frames waiting, in link order: (link, from core, to core).
    pub fn queues(&self) -> Vec<(u64, usize, usize)> {
        let mut v = Vec::new();
        for (id, l) in &self.links {
            if !l.to_b.is_empty() {
                v.push((*id, l.a, l.b));
            }
            if !l.to_a.is_empty() {
                v.push((*id, l.b, l.a));
            }
        }
        v
    }

    /// Takes the next frame of one direction (`choice` picks among [`Net::queues`]) without
    /// handing it to its core: (connection, destination core, frame). A test that wants to
    /// look between a frame's arrival and the core's outputs delivers it itself.
    pub fn take_frame(&mut self, choice: usize) -> Option<(ConnId, usize, Vec<u8>)> {
        let queues = self.queues();
        let &(id, from, to) = queues.get(choice % queues.len().max(1))?;
        let l = self.links.get_mut(&id)?;
        let frame = if from == l.a {
            l.to_b.pop_front()
        } else {
            l.to_a.pop_front()
        }?;
        self.bytes_in[to] += frame.len() as u64;
        Some((ConnId(id), to, frame))
    }

    /// Delivers the next frame of one direction of one link (`choice` picks among the
    /// non-empty queues); false if nothing was waiting.
    pub fn deliver(&mut self, choice: usize) -> bool {
        let Some((conn, dest, frame)) = self.take_frame(choice) else {
            return false;
        };
        self.cores[dest].received(conn, &frame);
        self.pump(dest);
        true
    }

    /// Delivers frames (picked by `pick`) until nothing is in flight.
    pub fn run(&mut self, mut pick: impl FnMut() -> usize) {
        let mut guard = 0u64;
        while self.deliver(pick()) {
            guard += 1;
            assert!(guard < 1_000_000, "the network never went quiet");
        }
    }

    /// A device's documents changed locally: tell its core.
    pub fn local_changed(&mut self, device: usize, docs: &[stones_doc::DocId]) {
        self.cores[device].local_changed(docs);
        self.pump(device);
    }

    /// Carries out a core's outputs: frames onto queues, closes, events.
    pub fn pump(&mut self, device: usize) {
        let outputs = match self.cores[device].take_output() {
            Ok(o) => o,
            Err(e) => panic!("in-memory flush cannot fail: {e}"),
        };
        for o in outputs {
            match o {
                Output::Send { conn, msg } => {
                    if let Some(l) = self.links.get_mut(&conn.0) {
                        if let Some(log) = &mut self.sends {
                            let to = if l.a == device { l.b } else { l.a };
                            log.push((device, to, msg.clone()));
                        }
                        if l.a == device {
                            l.to_b.push_back(msg);
                        } else {
                            l.to_a.push_back(msg);
                        }
                    }
                }
                Output::Close { conn, reason } => {
                    self.closes.push((device, reason.clone()));
                    // The peer reads what was sent before the close (the bye), then sees it close.
                    if let Some(l) = self.links.get_mut(&conn.0) {
                        let other = if l.a == device { l.b } else { l.a };
                        let queued: Vec<Vec<u8>> = if l.a == device {
                            l.to_b.drain(..).collect()
                        } else {
                            l.to_a.drain(..).collect()
                        };
                        self.links.remove(&conn.0);
                        for f in queued {
                            self.bytes_in[other] += f.len() as u64;
                            self.cores[other].received(conn, &f);
                        }
                        self.cores[other].closed(conn, &reason);
                        self.pump(other);
                    }
                }
                Output::Event(e) => self.events.push((device, e)),
            }
        }
    }
}
