//! Property: 2–4 replicas each set fields a person sets as a whole — the check-in question,
//! a recorded turn's words, titles, an angle, a session's title, a member's name and sector,
//! a learning's title — while apart, then merge in random orders. Every replica then reads,
//! for every field, exactly one of the values set (never a mix of two), and the conflicts
//! list holds every value the replicas last set, the one read first.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use std::collections::BTreeMap;
use stones_doc::automerge::AutoCommit;
use stones_doc::conflicts::{self, Conflict};
use stones_doc::{
    DeviceId, EntryId, IndexDoc, MemberId, NewSession, NotebookId, Scope, SessionDoc, SessionKind,
    TurnChoice,
};

/// The whole-value fields the test sets.
const FIELDS: usize = 9;

struct Ids {
    member: MemberId,
    session: EntryId,
    reflection: EntryId,
    story: EntryId,
    retelling: EntryId,
    learning: EntryId,
}

struct Replica {
    index: IndexDoc,
    session: SessionDoc,
}

fn set(r: &mut Replica, ids: &Ids, field: usize, value: &str) {
    let s = &mut r.session;
    match field {
        0 => s.set_checkin_question(value).unwrap(),
        1 => {
            let choice = TurnChoice::Spoke {
                text: value.into(),
                scope: Scope::Group,
            };
            s.record_turn(ids.member, &choice, None, 5).unwrap();
        }
        2 => s.set_title(ids.reflection, value).unwrap(),
        3 => s.set_title(ids.story, value).unwrap(),
        4 => s.set_angle(ids.story, ids.retelling, value).unwrap(),
        5 => {
            let ns = NewSession {
                date: "2026-02-03".parse().unwrap(),
                kind: SessionKind::Weekly,
                title: value.into(),
                convener: None,
            };
            r.index.update_session(ids.session, &ns).unwrap();
        }
        6 => r
            .index
            .update_member(ids.member, Some(value), None, None)
            .unwrap(),
        7 => r
            .index
            .update_member(ids.member, None, Some(value), None)
            .unwrap(),
        _ => r
            .index
            .update_learning(ids.learning, Some(value), None)
            .unwrap(),
    }
}

/// The value a replica reads for a field, and the field's path in its document.
fn read(r: &Replica, ids: &Ids, field: usize) -> (String, Vec<String>) {
    let sv = r.session.view();
    let iv = r.index.view();
    let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let (m, se, re, st, rt, le) = (
        ids.member.to_hex(),
        ids.session.to_hex(),
        ids.reflection.to_hex(),
        ids.story.to_hex(),
        ids.retelling.to_hex(),
        ids.learning.to_hex(),
    );
    match field {
        0 => (sv.checkin_question, path(&["checkin", "question"])),
        1 => (
            sv.turns[0].text.clone(),
            path(&["checkin", "turns", &m, "text"]),
        ),
        2 => (
            sv.reflections[0].title.clone(),
            path(&["reflections", &re, "title"]),
        ),
        3 => (
            sv.stories[0].title.clone(),
            path(&["stories", &st, "title"]),
        ),
        4 => (
            sv.stories[0].retellings[0].angle.clone(),
            path(&["stories", &st, "retellings", &rt, "angle"]),
        ),
        5 => (
            iv.sessions[0].title.clone(),
            path(&["sessions", &se, "title"]),
        ),
        6 => (iv.members[0].name.clone(), path(&["members", &m, "name"])),
        7 => (
            iv.members[0].sector.clone(),
            path(&["members", &m, "sector"]),
        ),
        _ => (
            iv.learnings[0].title.clone(),
            path(&["learnings", &le, "title"]),
        ),
    }
}

fn base() -> (Ids, IndexDoc, SessionDoc) {
    let actor = DeviceId([0; 32]).actor(0);
    let mut index = IndexDoc::create(NotebookId::random(), "G", "", actor.clone(), 0).unwrap();
    let member = index.add_member("Ann", "NHS", "", None, 1).unwrap();
    let ns = NewSession {
        date: "2026-02-03".parse().unwrap(),
        kind: SessionKind::Weekly,
        title: "First".into(),
        convener: None,
    };
    let (session, _) = index.add_session(&ns, None, 1).unwrap();
    let learning = index.add_learning("L", "", &[session], None, 1).unwrap();
    let mut s = SessionDoc::create(session, "How are you?", actor, 1).unwrap();
    let choice = TurnChoice::Spoke {
        text: "Fine".into(),
        scope: Scope::Group,
    };
    s.record_turn(member, &choice, None, 1).unwrap();
    let reflection = s.add_reflection("R", "", Scope::Export, None, 1).unwrap();
    let story = s
        .add_story(member, "S", "told", Scope::Export, None, 1)
        .unwrap();
    let retelling = s
        .add_retelling(story, member, "the resident's", "", None, 1)
        .unwrap();
    index.doc_mut().commit();
    s.doc_mut().commit();
    let ids = Ids {
        member,
        session,
        reflection,
        story,
        retelling,
        learning,
    };
    (ids, index, s)
}

fn conflict_at<'a>(all: &'a [Conflict], path: &[String]) -> Option<&'a Conflict> {
    all.iter().find(|c| c.path == path)
}

fn merge(into: &mut AutoCommit, from: &mut AutoCommit) {
    into.merge(from).unwrap();
}

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "energy",
        "weather",
        "café",
        "☕ morning",
        "naïve",
        "the work",
    ])
    .prop_map(String::from)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn a_field_set_whole_reads_as_one_of_the_values_set_and_lists_the_others(
        n in 2..=4usize,
        sets in prop::collection::vec((0..4usize, 0..FIELDS, word()), 1..30),
        order in prop::collection::vec((0..4usize, 0..4usize), 0..12),
    ) {
        let (ids, mut index, mut session) = base();
        let mut replicas: Vec<Replica> = (0..n)
            .map(|i| {
                let actor = DeviceId([i as u8 + 1; 32]).actor(0);
                Replica {
                    index: IndexDoc::from_doc(index.doc_mut().fork().with_actor(actor.clone())),
                    session: SessionDoc::from_doc(session.doc_mut().fork().with_actor(actor)),
                }
            })
            .collect();
        // Every replica sets while apart; what counts is the last value each one set.
        let mut last: BTreeMap<usize, BTreeMap<usize, String>> = BTreeMap::new();
        for (step, (who, field, w)) in sets.iter().enumerate() {
            let who = who % n;
            let value = format!("{w} {who}.{step}");
            set(&mut replicas[who], &ids, *field, &value);
            replicas[who].index.doc_mut().commit();
            replicas[who].session.doc_mut().commit();
            last.entry(*field).or_default().insert(who, value);
        }
        let mut pairs: Vec<(usize, usize)> = order.iter().map(|(a, b)| (a % n, b % n)).collect();
        for a in (0..n).rev() { for b in 0..n { pairs.push((a, b)); } }
        for a in 0..n { for b in 0..n { pairs.push((a, b)); } }
        for (a, b) in pairs {
            if a == b { continue; }
            let (x, y) = if a < b { let (l, r) = replicas.split_at_mut(b); (&mut l[a], &mut r[0]) } else { let (l, r) = replicas.split_at_mut(a); (&mut r[0], &mut l[b]) };
            merge(x.index.doc_mut(), y.index.doc_mut());
            merge(x.session.doc_mut(), y.session.doc_mut());
        }
        for r in &replicas {
            let found: Vec<Conflict> = conflicts::find(r.index.doc())
                .into_iter()
                .chain(conflicts::find(r.session.doc()))
                .collect();
            for field in 0..FIELDS {
                let (value, path) = read(r, &ids, field);
                let Some(setters) = last.get(&field) else { continue };
                let mut set_values: Vec<&String> = setters.values().collect();
                prop_assert!(set_values.contains(&&value), "field {field} reads {value:?}, set: {set_values:?}");
                match conflict_at(&found, &path) {
                    None => prop_assert_eq!(setters.len(), 1, "field {} lost a value", field),
                    Some(c) => {
                        prop_assert_eq!(&c.values[0].shown, &value, "the value read comes first");
                        let mut shown: Vec<&String> = c.values.iter().map(|v| &v.shown).collect();
                        shown.sort();
                        set_values.sort();
                        prop_assert_eq!(shown, set_values, "field {}", field);
                    }
                }
            }
        }
    }
}
