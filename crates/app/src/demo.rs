//! `stepping-stones --demo`: a populated sample notebook in a temporary home — a few
//! weekly hours and a monthly day with check-ins, a reflection and a story, held questions
//! with their trails, and a learning — so the app can be tried (and looked at) without a
//! group.

use crate::error::AppError;
use std::path::Path;
use stones_doc::{EntryId, NewSession, NotebookId, QuestionStatus, Scope, SessionKind, TurnChoice};
use stones_store::NewMember;
use stones_sync::Engine;

/// Fills `home` with the sample notebook.
pub fn populate(home: &Path) -> Result<(), AppError> {
    let engine = Engine::open_or_create(home)?;
    let founder = NewMember {
        name: "Ada".into(),
        sector: "NHS".into(),
        role: "convener".into(),
    };
    let nb = engine.create_notebook(
        "Riverside stewardship group",
        "Health, council and charity partners learning to work as one.",
        &founder,
    )?;
    let ada = engine.me_or_err(nb)?;
    let mut others = Vec::new();
    for (name, sector) in [("Ben", "council"), ("Cleo", "charity"), ("Dev", "funder")] {
        let m = NewMember {
            name: name.into(),
            sector: sector.into(),
            role: String::new(),
        };
        others.push(engine.add_member(nb, &m)?);
    }
    let days = [
        ("2026-11-05", SessionKind::Weekly),
        ("2026-11-12", SessionKind::Weekly),
        ("2026-11-21", SessionKind::Monthly),
        ("2026-11-26", SessionKind::Weekly),
    ];
    let mut ids = Vec::new();
    for (i, (date, kind)) in days.into_iter().enumerate() {
        let s = NewSession {
            date: date.parse().map_err(|e| AppError::Input(format!("{e}")))?,
            kind,
            title: String::new(),
            convener: Some(ada),
        };
        let id = engine.new_session(nb, &s, "What are you bringing into the room today?")?;
        ids.push(id);
        let mut present = vec![ada, others[0], others[1]];
        if kind == SessionKind::Monthly {
            present.push(others[2]);
        }
        engine.set_attendance(nb, id, &present, true)?;
        let spoke = |text: &str| TurnChoice::Spoke {
            text: text.into(),
            scope: Scope::Group,
        };
        engine.record_turn(nb, id, ada, &spoke("Glad to be here after a long week."))?;
        engine.record_turn(
            nb,
            id,
            others[0],
            &spoke("Thinking about the waiting list."),
        )?;
        engine.record_turn(nb, id, others[1], &TurnChoice::Passed)?;
        let body = format!(
            "We noticed how **trust** grows when we slow down.\n\n- session {}\n- more to come",
            i + 1
        );
        engine.add_reflection(nb, id, "What we noticed", &body, Scope::Export)?;
        if kind == SessionKind::Monthly {
            let story = engine.add_story(
                nb,
                id,
                others[1],
                "The night shelter",
                "A volunteer stayed until dawn.",
                Scope::Group,
            )?;
            engine.add_retelling(
                nb,
                id,
                story,
                others[0],
                "the council's side",
                "We saw the cost, not the dawn.",
            )?;
            engine.add_retelling(
                nb,
                id,
                story,
                others[2],
                "the funder's side",
                "We paid for beds and never asked about the dawn.",
            )?;
        }
    }
    held_questions(&engine, nb, &ids)?;
    engine.commit_pending()?;
    engine.shutdown();
    Ok(())
}

/// Two questions held over the sessions `ids` (oldest first), one resting, and a learning.
fn held_questions(engine: &Engine, nb: NotebookId, ids: &[EntryId]) -> Result<(), AppError> {
    let (Some(first), Some(monthly), Some(last)) = (ids.first(), ids.get(2), ids.last()) else {
        return Ok(());
    };
    let power = engine.add_question(nb, "How do we share power between sectors?", Some(*first))?;
    engine.add_question_note(
        nb,
        power,
        "The funder spoke last again: worth noticing.",
        Some(*monthly),
    )?;
    engine.add_question_note(nb, power, "Rotating the convener helped.", Some(*last))?;
    let waiting = engine.add_question(
        nb,
        "What would a shorter waiting list ask of us?",
        Some(*monthly),
    )?;
    engine.set_question_status(nb, waiting, QuestionStatus::Resting, Some(*last))?;
    engine.add_learning(
        nb,
        "Slow down to speed up",
        "Time spent on relationships came back as trust.",
        &[*first, *monthly],
    )?;
    Ok(())
}
