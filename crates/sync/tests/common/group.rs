//! A test group on the in-memory network: device 0 founds a notebook (with its act) naming
//! `n` member devices, each with its key; edits, new sessions, healing and convergence
//! checks shared by the protocol-core tests.
#![allow(clippy::unwrap_used)]

use stones_doc::automerge::AutoCommit;
use stones_doc::{
    Date, DeviceId, DocId, DocKind, EntryId, IndexDoc, NewSession, NotebookId, Scope, SessionDoc,
    SessionKind, TextField, splice_field, text_len,
};
use stones_sync::testnet::{MemReplica, Net, test_device, test_secret};

pub struct Group {
    pub net: Net,
    pub nb: NotebookId,
    pub index: DocId,
    pub first_session: DocId,
    pub reflection: EntryId,
    pub tokens: Vec<String>,
    pub counter: usize,
}

pub fn device(i: usize) -> DeviceId {
    test_device(i)
}

/// Device `i` with its key (so its index changes are signed).
pub fn replica(i: usize) -> MemReplica {
    MemReplica::with_key(test_secret(i))
}

/// Device 0 founds a notebook naming `n` devices; the others are joining through device 0.
pub fn group(n: usize) -> Group {
    let nb = NotebookId::random();
    let actor = device(0).actor(0);
    let mut index = IndexDoc::create(nb, "Stewards", "", actor.clone(), 1_000).unwrap();
    // Founded with its act, so membership is evaluated from the acts (causally).
    index.found("member 0", "", "", device(0), 1_000).unwrap();
    for i in 1..n {
        let m = index
            .add_member(&format!("member {i}"), "", "", None, 1_000)
            .unwrap();
        index
            .add_device(device(i), m, "laptop", None, 1_000)
            .unwrap();
        // Every founding member is a host, so any of them may remove another.
        index.make_host(m, 1_000).unwrap();
    }
    let new = NewSession {
        date: "2026-11-26".parse::<Date>().unwrap(),
        kind: SessionKind::Weekly,
        title: "first".into(),
        convener: None,
    };
    let (sid, sdoc) = index.add_session(&new, None, 1_000).unwrap();
    let mut session = SessionDoc::create(sid, "How are you arriving?", actor, 1_000).unwrap();
    let reflection = session
        .add_reflection("What we noticed", "", Scope::Export, None, 1_000)
        .unwrap();
    let mut r0 = replica(0);
    let index_id = DocId::random();
    let (mut ia, mut sa): (AutoCommit, AutoCommit) = (index.doc().clone(), session.doc().clone());
    ia.commit();
    sa.commit();
    r0.insert(nb, index_id, DocKind::Index, ia);
    r0.insert(nb, sdoc, DocKind::Session, sa);
    let mut replicas = vec![r0];
    for i in 1..n {
        let mut r = replica(i);
        r.joining.insert(nb, device(0));
        replicas.push(r);
    }
    Group {
        net: Net::new(replicas),
        nb,
        index: index_id,
        first_session: sdoc,
        reflection,
        tokens: Vec::new(),
        counter: 0,
    }
}

impl Group {
    /// Device `d` appends a unique token to the shared reflection, if it holds the session.
    pub fn type_into_reflection(&mut self, d: usize) {
        let token = format!("<t{d}.{}>", self.counter);
        self.counter += 1;
        let field = TextField::Reflection(self.reflection);
        let Some(am) = self.net.cores[d].replica.doc_mut(self.first_session) else {
            return;
        };
        let Ok(len) = text_len(am, field) else {
            return; // the session's maps have not arrived yet
        };
        splice_field(am, field, len, 0, &token).unwrap();
        am.commit();
        self.tokens.push(token);
        self.net.local_changed(d, &[self.first_session]);
    }

    /// Device `d` edits its copy of the index with `f` and commits (its core is not told:
    /// the caller says when). `None` if it holds no index yet.
    pub fn edit_index<T>(&mut self, d: usize, f: impl FnOnce(&mut IndexDoc) -> T) -> Option<T> {
        let am = self.net.cores[d].replica.doc_mut(self.index)?;
        let mut index = IndexDoc::from_doc(std::mem::take(am));
        let out = f(&mut index);
        let mut edited = index.doc().clone();
        edited.commit();
        *self.net.cores[d].replica.doc_mut(self.index)? = edited;
        Some(out)
    }

    /// Device `d` removes the member whose device is `target`, on its own copy of the index.
    pub fn remove_member_of(&mut self, d: usize, target: usize) {
        self.edit_index(d, |index| {
            let m = index.view().member_of_device(device(target)).unwrap();
            index.remove_member(m, 3_000).unwrap();
        })
        .unwrap();
    }

    /// Device `d` adds a session (index entry + new document), if it holds the index.
    pub fn new_session(&mut self, d: usize) {
        let token = format!("<s{d}.{}>", self.counter);
        self.counter += 1;
        let new = NewSession {
            date: "2026-12-03".parse::<Date>().unwrap(),
            kind: SessionKind::Weekly,
            title: "later".into(),
            convener: None,
        };
        let Some((sid, sdoc)) =
            self.edit_index(d, |index| index.add_session(&new, None, 2_000).unwrap())
        else {
            return;
        };
        let mut s = SessionDoc::create(sid, &token, device(d).actor(0), 2_000).unwrap();
        s.doc_mut().commit();
        self.net.cores[d]
            .replica
            .insert(self.nb, sdoc, DocKind::Session, s.doc().clone());
        self.tokens.push(token);
        self.net.local_changed(d, &[self.index, sdoc]);
    }

    /// Connects everyone (first to the founder, then all pairs) and delivers everything.
    pub fn heal(&mut self, seed: u64) {
        let n = self.net.cores.len();
        let mut x = seed | 1;
        let mut pick = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as usize
        };
        for i in 1..n {
            if !self.net.connected(0, i) {
                self.net.connect(0, i);
            }
        }
        self.net.run(&mut pick);
        for a in 0..n {
            for b in a + 1..n {
                if !self.net.connected(a, b) {
                    self.net.connect(a, b);
                }
            }
        }
        self.net.run(&mut pick);
    }

    /// Every device holds the same documents with the same heads, and every token.
    pub fn assert_converged(&mut self) {
        let n = self.net.cores.len();
        let mut reference: Option<Vec<(DocId, Vec<_>)>> = None;
        for i in 0..n {
            let r = &mut self.net.cores[i].replica;
            let docs: Vec<DocId> = r.docs.keys().copied().collect();
            let heads: Vec<(DocId, Vec<_>)> = docs
                .into_iter()
                .map(|d| {
                    let mut h = r.doc_mut(d).unwrap().get_heads();
                    h.sort();
                    (d, h)
                })
                .collect();
            match &reference {
                None => reference = Some(heads),
                Some(want) => assert_eq!(&heads, want, "device {i} differs from device 0"),
            }
        }
        let mut all = String::new();
        for (doc, (_, kind, am)) in &self.net.cores[0].replica.docs {
            let _ = doc;
            if *kind == DocKind::Session {
                all.push_str(&format!("{:?}", SessionDoc::from_doc(am.clone()).view()));
            }
        }
        for t in &self.tokens {
            assert_eq!(
                all.matches(t.as_str()).count(),
                1,
                "token {t} kept exactly once"
            );
        }
    }
}
