//! The app's frames on the 4-year notebook, headless (see `app_harness`), one app on a copy
//! of a fixture home:
//! - **opening a session**: from the frame in which the member clicks it in the sidebar to
//!   the end of the frame that draws its page, for sessions spread over the four years (each
//!   opened for the first time in that process); anchor: the engine alone reading the same
//!   sessions in a fresh engine;
//! - **typing** into a reflection of the largest session at a brisk typist's pace: every
//!   frame while the typing goes on (the key's frame, the frame that types it through the
//!   engine, and frames at 60 Hz between keys); anchor: an idle frame of the same page;
//! - **search as you type** (Ctrl+F, a query typed a key at a time): from the frame with the
//!   last keystroke to the end of the frame that draws the results; anchor: the engine's
//!   search for the same query.

use super::app_harness::{AppHarness, app_on, frame_ms, ms_since};
use super::metric::{Goal, Metric, median, percentile};
use super::search::QUERIES;
use anyhow::{Context, Result, ensure};
use egui_kittest::kittest::Queryable;
use std::path::Path;
use std::time::{Duration, Instant};
use stones_doc::{EntryId, NotebookId};

/// A brisk typist: ten keys a second.
const KEY_EVERY: Duration = Duration::from_millis(100);
/// Frames between keys, as a 60 Hz display would ask for them while anything moves.
const FRAME_EVERY: Duration = Duration::from_millis(16);
/// What is typed into the reflection, over and over.
const TYPED: &str = "we held the question of the waiting list again and heard the council ";

/// How much to do.
pub struct AppEffort {
    pub keys: usize,
    pub sessions: usize,
    pub search_rounds: usize,
}

/// The three frame metrics on `home` (a copy: it is typed into and its search cache written).
pub fn measure(home: &Path, notebook: NotebookId, effort: &AppEffort) -> Result<[Metric; 3]> {
    let plan = Plan::read(home, notebook, effort.sessions)?;
    let mut h = app_on(home);
    settle(&mut h);
    let mut opens = Vec::new();
    for s in &plan.to_open {
        opens.push(open_session(&mut h, *s)?);
    }
    open_session(&mut h, plan.largest)?;
    let (typing, idle) = type_into_largest(&mut h, effort.keys)?;
    let mut searches = Vec::new();
    for _ in 0..effort.search_rounds {
        for q in QUERIES {
            searches.push(search(&mut h, q)?);
        }
    }
    if let Some(rt) = &h.state().rt {
        rt.engine.shutdown();
    }
    Ok([
        Metric {
            name: format!(
                "app: open a session, click -> its page drawn (p99 of {} sessions)",
                opens.len()
            ),
            value: percentile(&opens, 99.0),
            unit: "ms",
            anchor: "the engine alone reading each session, fresh engine (median)".into(),
            anchor_value: median(&plan.read_ms),
            goal: Goal::AtMost(30.0),
        },
        Metric {
            name: format!(
                "app: frame while typing in the largest session ({} keys, p99 of {} frames)",
                effort.keys,
                typing.len()
            ),
            value: percentile(&typing, 99.0),
            unit: "ms",
            anchor: "an idle frame of the same page (median)".into(),
            anchor_value: median(&idle),
            goal: Goal::AtMost(4.0),
        },
        Metric {
            name: format!(
                "app: search, last keystroke -> results drawn (p99 of {})",
                searches.len()
            ),
            value: percentile(&searches, 99.0),
            unit: "ms",
            anchor: "the engine's search for the same queries (median)".into(),
            anchor_value: median(&plan.search_ms),
            goal: Goal::AtMost(50.0),
        },
    ])
}

/// What the app will be asked to do, found with an engine of its own before the app starts
/// (which also times the library alone): sessions spread over the years, the largest, and
/// the engine's own search times (its first search writes the search cache, as on any
/// device that has searched before).
struct Plan {
    to_open: Vec<EntryId>,
    largest: EntryId,
    read_ms: Vec<f64>,
    search_ms: Vec<f64>,
}

impl Plan {
    fn read(home: &Path, notebook: NotebookId, spread: usize) -> Result<Plan> {
        let engine = stones_sync::Engine::open(home)?;
        let sessions: Vec<EntryId> = engine
            .view(notebook)?
            .sessions
            .iter()
            .map(|s| s.id)
            .collect();
        ensure!(sessions.len() > 1, "the fixture has too few sessions");
        let step = (sessions.len() / spread.max(1)).max(1);
        // The latest is on screen at start; every other one is opened for the first time.
        let to_open: Vec<EntryId> = sessions[..sessions.len() - 1]
            .iter()
            .step_by(step)
            .copied()
            .collect();
        let mut read_ms = Vec::new();
        for s in &to_open {
            let started = Instant::now();
            engine.session(notebook, *s)?;
            read_ms.push(ms_since(started));
        }
        let mut largest = (0, sessions[0]);
        for s in &sessions {
            let v = engine.session(notebook, *s)?;
            let text: usize = v.turns.iter().map(|t| t.text.len()).sum::<usize>()
                + v.reflections.iter().map(|r| r.body.len()).sum::<usize>()
                + v.stories.iter().map(|s| s.text.len()).sum::<usize>()
                + v.notes.len();
            if text > largest.0 && !v.reflections.is_empty() {
                largest = (text, *s);
            }
        }
        engine.search(notebook, QUERIES[0], 20)?;
        let mut search_ms = Vec::new();
        for q in QUERIES {
            let started = Instant::now();
            engine.search(notebook, q, 50)?;
            search_ms.push(ms_since(started));
        }
        engine.shutdown();
        Ok(Plan {
            to_open,
            largest: largest.1,
            read_ms,
            search_ms,
        })
    }
}

/// Runs frames until the app has nothing left to do at once (the start's reads, layout).
fn settle(h: &mut AppHarness) {
    for _ in 0..5 {
        h.step();
    }
}

/// The sidebar's words for `session` (what a member clicks).
fn sidebar_label(h: &AppHarness, session: EntryId) -> Result<String> {
    let rt = h.state().rt.as_ref().context("the app has no engine")?;
    let view = rt.view.as_ref().context("no notebook is open")?;
    let s = view
        .session(session)
        .context("the session is in the index")?;
    Ok(stones_app::ui::session_label(view, s))
}

/// Clicks `session` in the sidebar (scrolled into view first, untimed) and runs frames until
/// its page is drawn; returns the milliseconds from the click's frame to that.
fn open_session(h: &mut AppHarness, session: EntryId) -> Result<f64> {
    let label = sidebar_label(h, session)?;
    h.get_by_label(&label).scroll_to_me();
    settle(h);
    h.get_by_label(&label).click();
    let mut ms = 0.0;
    for _ in 0..10 {
        ms += frame_ms(h);
        let rt = h.state().rt.as_ref().context("the app has no engine")?;
        let shown = rt
            .session
            .as_ref()
            .is_some_and(|(s, v)| *s == session && v.is_some());
        if shown && h.query_by_label_contains("Reflection: ").is_some() {
            return Ok(ms);
        }
    }
    anyhow::bail!("clicking {label:?} did not show its page within 10 frames")
}

/// Types `keys` characters into the first reflection of the session on screen; returns
/// every frame's milliseconds while typing, and idle frames' before it.
fn type_into_largest(h: &mut AppHarness, keys: usize) -> Result<(Vec<f64>, Vec<f64>)> {
    let (label, before) = {
        let rt = h.state().rt.as_ref().context("the app has no engine")?;
        let view = rt.session.as_ref().and_then(|(_, v)| v.clone());
        let r = view
            .as_ref()
            .and_then(|v| v.reflections.first().cloned())
            .context("the largest session has a reflection")?;
        (format!("Reflection: {}", r.title), r.body)
    };
    h.get_by_label(&label).scroll_to_me();
    settle(h);
    h.get_by_label(&label).focus();
    settle(h);
    let idle: Vec<f64> = (0..30).map(|_| frame_ms(h)).collect();
    let typed: String = TYPED.chars().cycle().take(keys).collect();
    let mut frames = Vec::new();
    for c in typed.chars() {
        let key_at = Instant::now();
        h.event(egui::Event::Text(c.to_string()));
        frames.push(frame_ms(h));
        while key_at.elapsed() + FRAME_EVERY < KEY_EVERY {
            std::thread::sleep(FRAME_EVERY.saturating_sub(Duration::from_millis(1)));
            frames.push(frame_ms(h));
        }
    }
    // What was typed reached the engine: the reflection now holds it.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        h.step();
        let rt = h.state().rt.as_ref().context("the app has no engine")?;
        let body = rt
            .session
            .as_ref()
            .and_then(|(_, v)| v.as_ref())
            .and_then(|v| v.reflections.first().map(|r| r.body.clone()))
            .unwrap_or_default();
        if body.len() == before.len() + typed.len() {
            break;
        }
        ensure!(
            Instant::now() < deadline,
            "the typing did not reach the reflection ({} bytes, expected {})",
            body.len(),
            before.len() + typed.len()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    Ok((frames, idle))
}

/// Searches for `query` from the keyboard, a key at a time; returns the milliseconds from
/// the frame with the last keystroke to the end of the frame that drew its results.
fn search(h: &mut AppHarness, query: &str) -> Result<f64> {
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    settle(h);
    let chars: Vec<char> = query.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let key_at = Instant::now();
        h.event(egui::Event::Text(c.to_string()));
        if i + 1 == chars.len() {
            let mut ms = frame_ms(h);
            let deadline = Instant::now() + Duration::from_secs(10);
            while !answered(h, query) {
                ensure!(Instant::now() < deadline, "no results for {query:?}");
                std::thread::sleep(Duration::from_micros(500));
                ms = ms_since(key_at);
                ms += frame_ms(h);
            }
            // The results window goes with Escape, and the box is empty for the next query.
            h.key_press(egui::Key::Escape);
            settle(h);
            return Ok(ms);
        }
        h.step();
        while key_at.elapsed() < KEY_EVERY {
            std::thread::sleep(FRAME_EVERY);
            h.step();
        }
    }
    anyhow::bail!("an empty query")
}

/// Whether the frame just drawn shows the answer to `query`.
fn answered(h: &AppHarness, query: &str) -> bool {
    h.state()
        .rt
        .as_ref()
        .is_some_and(|rt| rt.search.query == query && rt.search.answer.is_some())
}
