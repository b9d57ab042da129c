//! Property: 3–5 replicas make random edits of every kind, exchange changes in random orders,
//! and all end with identical views — every concurrent edit kept.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use stones_doc::automerge::AutoCommit;
use stones_doc::{
    DeviceId, EntryId, IndexDoc, MemberId, NewSession, NotebookId, QuestionStatus, Scope,
    SessionDoc, SessionKind, TextField, TurnChoice, splice_field,
};

#[derive(Clone, Debug)]
enum Edit {
    Turn {
        member: usize,
        pass: bool,
        text: String,
    },
    Reflection {
        text: String,
    },
    TypeIntoReflection {
        pick: usize,
        pos: usize,
        text: String,
    },
    Story {
        text: String,
    },
    Retell {
        pick: usize,
        text: String,
    },
    Notes {
        text: String,
    },
    Question {
        text: String,
    },
    QuestionNote {
        pick: usize,
        text: String,
    },
    Status {
        pick: usize,
        status: usize,
    },
    Learning {
        text: String,
    },
    Session {
        day: u8,
    },
}

fn text() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["a", "café", "☕", "naïve", "the work", " ", "\n", "é"])
        .prop_map(String::from)
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..4usize, any::<bool>(), text()).prop_map(|(member, pass, text)| Edit::Turn {
            member,
            pass,
            text
        }),
        text().prop_map(|text| Edit::Reflection { text }),
        (any::<usize>(), any::<usize>(), text())
            .prop_map(|(pick, pos, text)| Edit::TypeIntoReflection { pick, pos, text }),
        text().prop_map(|text| Edit::Story { text }),
        (any::<usize>(), text()).prop_map(|(pick, text)| Edit::Retell { pick, text }),
        text().prop_map(|text| Edit::Notes { text }),
        text().prop_map(|text| Edit::Question { text }),
        (any::<usize>(), text()).prop_map(|(pick, text)| Edit::QuestionNote { pick, text }),
        (any::<usize>(), 0..4usize).prop_map(|(pick, status)| Edit::Status { pick, status }),
        text().prop_map(|text| Edit::Learning { text }),
        (1..28u8).prop_map(|day| Edit::Session { day }),
    ]
}

struct Replica {
    index: IndexDoc,
    session: SessionDoc,
}

fn apply(r: &mut Replica, e: &Edit, members: &[MemberId], now: i64) {
    let s = &mut r.session;
    match e {
        Edit::Turn { member, pass, text } => {
            let choice = if *pass {
                TurnChoice::Passed
            } else {
                TurnChoice::Spoke {
                    text: format!("t{text}"),
                    scope: Scope::Group,
                }
            };
            s.record_turn(members[*member], &choice, None, now).unwrap();
        }
        Edit::Reflection { text } => {
            s.add_reflection("R", text, Scope::Export, None, now)
                .unwrap();
        }
        Edit::TypeIntoReflection { pick, pos, text } => {
            let refl = s.view().reflections;
            if !refl.is_empty() {
                let target = &refl[pick % refl.len()];
                let len = target.body.chars().count();
                splice_field(
                    s.doc_mut(),
                    TextField::Reflection(target.id),
                    pos % (len + 1),
                    0,
                    text,
                )
                .unwrap();
            }
        }
        Edit::Story { text } => {
            s.add_story(
                members[0],
                "S",
                &format!("s{text}"),
                Scope::Export,
                None,
                now,
            )
            .unwrap();
        }
        Edit::Retell { pick, text } => {
            let stories = s.view().stories;
            if !stories.is_empty() {
                s.add_retelling(
                    stories[pick % stories.len()].id,
                    members[1],
                    "angle",
                    &format!("r{text}"),
                    None,
                    now,
                )
                .unwrap();
            }
        }
        Edit::Notes { text } => {
            let len = s.view().notes.chars().count();
            splice_field(s.doc_mut(), TextField::Notes, len, 0, text).unwrap();
        }
        Edit::Question { text } => {
            r.index
                .add_question(&format!("q{text}"), None, None, now)
                .unwrap();
        }
        Edit::QuestionNote { pick, text } => {
            let qs = r.index.view().questions;
            if !qs.is_empty() {
                r.index
                    .add_question_note(
                        qs[pick % qs.len()].id,
                        &format!("n{text}"),
                        None,
                        None,
                        None,
                        now,
                    )
                    .unwrap();
            }
        }
        Edit::Status { pick, status } => {
            let qs = r.index.view().questions;
            if !qs.is_empty() {
                let st = QuestionStatus::ALL[*status];
                r.index
                    .set_question_status(qs[pick % qs.len()].id, st, None, None, now)
                    .unwrap();
            }
        }
        Edit::Learning { text } => {
            r.index
                .add_learning(&format!("l{text}"), text, &[], None, now)
                .unwrap();
        }
        Edit::Session { day } => {
            let ns = NewSession {
                date: format!("2026-02-{day:02}").parse().unwrap(),
                kind: SessionKind::Monthly,
                title: String::new(),
                convener: None,
            };
            r.index.add_session(&ns, None, now).unwrap();
        }
    }
}

fn merge(into: &mut AutoCommit, from: &mut AutoCommit) {
    into.merge(from).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn replicas_converge_whatever_the_merge_order(
        n in 3..=5usize,
        edits in prop::collection::vec((0..5usize, edit()), 1..40),
        order in prop::collection::vec((0..5usize, 0..5usize), 0..30),
    ) {
        let members: Vec<MemberId> = (0..4).map(|_| MemberId::random()).collect();
        let mut base_index = IndexDoc::create(NotebookId::random(), "G", "", DeviceId([0; 32]).actor(0), 0).unwrap();
        let mut base_session = SessionDoc::create(EntryId::random(), "", DeviceId([0; 32]).actor(0), 0).unwrap();
        base_index.doc_mut().commit();
        base_session.doc_mut().commit();
        let mut replicas: Vec<Replica> = (0..n)
            .map(|i| {
                let actor = DeviceId([i as u8 + 1; 32]).actor(0);
                Replica {
                    index: IndexDoc::from_doc(base_index.doc_mut().fork().with_actor(actor.clone())),
                    session: SessionDoc::from_doc(base_session.doc_mut().fork().with_actor(actor)),
                }
            })
            .collect();
        let mut expected_entries = 0usize;
        for (t, (who, e)) in edits.iter().enumerate() {
            let r = &mut replicas[who % n];
            apply(r, e, &members, t as i64);
            r.index.doc_mut().commit();
            r.session.doc_mut().commit();
            if matches!(e, Edit::Reflection { .. } | Edit::Story { .. } | Edit::Question { .. } | Edit::Learning { .. } | Edit::Session { .. }) {
                expected_entries += 1;
            }
        }
        // Random partial exchanges first, then everyone with everyone in a random-ish order.
        let mut pairs: Vec<(usize, usize)> = order.iter().map(|(a, b)| (a % n, b % n)).collect();
        for a in 0..n { for b in 0..n { pairs.push(((a + b) % n, (a * 7 + b * 3 + 1) % n)); } }
        for a in (0..n).rev() { for b in 0..n { pairs.push((a, b)); } }
        for (a, b) in pairs {
            if a == b { continue; }
            let (x, y) = if a < b { let (l, r) = replicas.split_at_mut(b); (&mut l[a], &mut r[0]) } else { let (l, r) = replicas.split_at_mut(a); (&mut r[0], &mut l[b]) };
            merge(x.index.doc_mut(), y.index.doc_mut());
            merge(x.session.doc_mut(), y.session.doc_mut());
        }
        let first_index = replicas[0].index.view();
        let first_session = replicas[0].session.view();
        for r in &replicas[1..] {
            prop_assert_eq!(&r.index.view(), &first_index);
            prop_assert_eq!(&r.session.view(), &first_session);
        }
        // Nothing lost: every entry-creating edit is there.
        let entries = first_session.reflections.len() + first_session.stories.len() + first_index.questions.len()
            + first_index.learnings.len() + first_index.sessions.len();
        prop_assert_eq!(entries, expected_entries);
        prop_assert!(first_index.problems.is_empty() && first_session.problems.is_empty());
    }
}
