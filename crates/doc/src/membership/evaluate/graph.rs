//! The acts as a graph: their causal order (parents first, ties by id, so every device
//! walks them alike) and each act's causal past as a bit set.

use crate::membership::Act;
use std::collections::{BTreeSet, HashMap};

/// A set of acts as bits (the causal past of an act).
#[derive(Clone)]
pub(super) struct Past(Vec<u64>);

impl Past {
    pub(super) fn empty(n: usize) -> Past {
        Past(vec![0; n.div_ceil(64)])
    }
    pub(super) fn all(n: usize) -> Past {
        let mut p = Past::empty(n);
        for i in 0..n {
            p.insert(i);
        }
        p
    }
    pub(super) fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    pub(super) fn has(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }
    pub(super) fn union(&mut self, other: &Past) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
}

/// The acts, their causal order and each act's causal past.
pub(super) struct Graph<'a> {
    pub(super) acts: &'a [Act],
    /// Acts whose whole past is held, parents first (ties by id).
    pub(super) order: Vec<usize>,
    /// The same, then the waiting acts (for reporting in a stable order).
    pub(super) order_with_waiting: Vec<usize>,
    /// Each act's causal past (excluding itself).
    pub(super) past: Vec<Past>,
    pub(super) waiting: Vec<bool>,
}

impl<'a> Graph<'a> {
    pub(super) fn new(acts: &'a [Act]) -> Graph<'a> {
        let n = acts.len();
        let mut by_id: HashMap<&str, usize> = HashMap::new();
        for (i, a) in acts.iter().enumerate() {
            by_id.entry(a.id.as_str()).or_insert(i);
        }
        let mut waiting = vec![false; n];
        let mut parents: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, a) in acts.iter().enumerate() {
            for s in &a.seen {
                match by_id.get(s.as_str()) {
                    Some(&p) if p != i => parents[i].push(p),
                    _ => waiting[i] = true,
                }
            }
        }
        // Kahn's algorithm; what never becomes ready (a cycle) waits too.
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut missing: Vec<usize> = parents.iter().map(Vec::len).collect();
        for (i, ps) in parents.iter().enumerate() {
            for &p in ps {
                children[p].push(i);
            }
        }
        let mut ready: BTreeSet<(&str, usize)> = (0..n)
            .filter(|&i| missing[i] == 0)
            .map(|i| (acts[i].id.as_str(), i))
            .collect();
        let mut topo = Vec::with_capacity(n);
        while let Some(first) = ready.pop_first() {
            let i = first.1;
            topo.push(i);
            for &c in &children[i] {
                missing[c] -= 1;
                if missing[c] == 0 {
                    ready.insert((acts[c].id.as_str(), c));
                }
            }
        }
        let mut placed = vec![false; n];
        let mut past = vec![Past::empty(n); n];
        for &i in &topo {
            placed[i] = true;
            let mut p = Past::empty(n);
            for &q in &parents[i] {
                p.insert(q);
                p.union(&past[q]);
                waiting[i] |= waiting[q];
            }
            past[i] = p;
        }
        for (i, w) in waiting.iter_mut().enumerate() {
            *w |= !placed[i];
        }
        let order: Vec<usize> = topo.iter().copied().filter(|&i| !waiting[i]).collect();
        let mut order_with_waiting = order.clone();
        let mut rest: Vec<usize> = (0..n).filter(|&i| waiting[i]).collect();
        rest.sort_by(|a, b| acts[*a].id.cmp(&acts[*b].id));
        order_with_waiting.extend(rest);
        Graph {
            acts,
            order,
            order_with_waiting,
            past,
            waiting,
        }
    }
}
