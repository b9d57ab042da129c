//! How commands (`command.rs`) are applied. Drawing code only reads and pushes [`Command`]s;
//! between frames [`apply`] carries each out through the engine, and a failure becomes a
//! notice in plain words (never a panic, never silence). The live editors' bookkeeping —
//! the document cursor under each caret, the caret kept in place when others' edits land —
//! is done here too, because it reads the engine.

pub use crate::command::Command;
use crate::error::AppError;
use crate::export_job;
use crate::file_picker::Picking;
use crate::live_text::move_caret;
use crate::runtime::{AsOf, InviteShown, Joining, Runtime};
use std::collections::HashMap;
use std::sync::Arc;
use stones_doc::export::ExportOptions;
use stones_doc::{EntryId, NewSession, Scope, SessionView, TextField};
use stones_store::export::ExportFormat;
use stones_store::{NewMember, Target};
use stones_sync::engine::Cursor;
use stones_sync::invite::InviteTicket;
use stones_sync::net::NetMode;

/// A live editor's state: the text it was last in step with, its buffer, its caret.
#[derive(Clone, Debug, Default)]
pub struct LiveField {
    /// What the field held when the buffer was last in step with it.
    pub base: String,
    /// What the editor shows (equal to `base` unless typing waits to be sent).
    pub buffer: String,
    /// The caret, in code points.
    pub caret: usize,
    /// The document's cursor under the caret (moves with others' edits).
    pub cursor: Option<Cursor>,
    /// A caret position logic moved it to, for the editor to take on its next frame.
    pub moved_to: Option<usize>,
}

/// Every live editor, by document and field.
pub type LiveFields = HashMap<(Target, TextField), LiveField>;

/// What `apply` may change besides the engine.
pub struct Ctx<'a> {
    /// The engine and its views.
    pub rt: &'a mut Runtime,
    /// The live editors.
    pub live: &'a mut LiveFields,
    /// The session last viewed (to remember it).
    pub viewed: &'a mut Option<EntryId>,
    /// A page to turn to once the command is applied.
    pub page: &'a mut Option<crate::ui::Page>,
}

/// Carries out one command.
pub fn apply(cx: &mut Ctx<'_>, cmd: Command) -> Result<(), AppError> {
    let engine = cx.rt.engine.clone();
    match cmd {
        Command::CreateNotebook {
            title,
            purpose,
            name,
            sector,
        } => {
            let (title, name) = (title.trim(), name.trim());
            if title.is_empty() || name.is_empty() {
                return Err(AppError::Input(
                    "a notebook needs a title, and you a name".into(),
                ));
            }
            let founder = NewMember {
                name: name.into(),
                sector: sector.trim().into(),
                role: "convener".into(),
            };
            let id = engine.create_notebook(title, purpose.trim(), &founder)?;
            cx.rt.open_notebook(id)?;
        }
        Command::Join {
            ticket,
            name,
            sector,
            as_member,
        } => {
            let ticket = InviteTicket::parse(ticket.trim())?;
            if name.trim().is_empty() && ticket.for_name.is_none() {
                return Err(AppError::Input("your name must not be empty".into()));
            }
            if cx.rt.mode == NetMode::Off {
                return Err(AppError::Input(
                    "joining needs the network: choose this room or the internet first".into(),
                ));
            }
            let who = stones_sync::Joiner {
                as_member,
                ..stones_sync::Joiner::new(&name, &sector)
            };
            engine.join_as(&ticket, &who)?;
            cx.rt.joining = Some(Joining::Asking);
        }
        Command::MergeMembers { from, into } => {
            engine.merge_members(notebook(cx.rt)?, from, into)?;
        }
        Command::SaveTurnDraft {
            session,
            member,
            text,
        } => {
            engine.save_turn_draft(notebook(cx.rt)?, session, member, &text)?;
            cx.rt.turn_drafts.insert((session, member), text);
        }
        Command::ForgetJoin => {
            cx.rt.joining = None;
            return Err(AppError::Input(
                "your name: the group has a member of that name already; give one it can tell \
                 apart (a surname or initial)"
                    .into(),
            ));
        }
        Command::ChooseNetwork { mode, relay } => {
            let relay = relay.trim();
            cx.rt
                .start_network(Some(mode), (!relay.is_empty()).then_some(relay))?;
        }
        Command::OpenSession(s) => open_session(cx, s),
        Command::NewSession { kind, date } => {
            let nb = notebook(cx.rt)?;
            let date = date
                .trim()
                .parse()
                .map_err(|e| AppError::Input(format!("the day {date:?}: {e}")))?;
            let question = engine.suggest_question(nb, None)?.unwrap_or_default();
            let s = NewSession {
                date,
                kind,
                title: String::new(),
                convener: None,
            };
            let id = engine.new_session(nb, &s, &question)?;
            cx.rt.refresh_views()?;
            open_session(cx, id);
        }
        Command::EditHeader {
            session,
            date,
            kind,
            title,
            convener,
        } => {
            let date = date
                .trim()
                .parse()
                .map_err(|e| AppError::Input(format!("the day {date:?}: {e}")))?;
            let s = NewSession {
                date,
                kind,
                title: title.trim().into(),
                convener,
            };
            engine.update_session(notebook(cx.rt)?, session, &s)?;
        }
        Command::SetQuestion { session, question } => {
            engine.set_checkin_question(notebook(cx.rt)?, session, &question)?;
        }
        Command::SetPresent {
            session,
            member,
            present,
        } => engine.set_attendance(notebook(cx.rt)?, session, &[member], present)?,
        Command::Turn {
            session,
            member,
            choice,
        } => {
            engine.record_turn(notebook(cx.rt)?, session, member, &choice)?;
            cx.rt.turn_drafts.remove(&(session, member));
        }
        Command::AddReflection { session, title } => {
            let title = if title.trim().is_empty() {
                "Reflection"
            } else {
                title.trim()
            };
            engine.add_reflection(notebook(cx.rt)?, session, title, "", Scope::Group)?;
        }
        Command::AddStory {
            session,
            teller,
            title,
        } => {
            engine.add_story(
                notebook(cx.rt)?,
                session,
                teller,
                title.trim(),
                "",
                Scope::Group,
            )?;
        }
        Command::AddRetelling {
            session,
            story,
            teller,
            angle,
        } => {
            engine.add_retelling(notebook(cx.rt)?, session, story, teller, angle.trim(), "")?;
        }
        Command::Type {
            target,
            field,
            base,
            splice,
        } => {
            let nb = notebook(cx.rt)?;
            // Others' edits may have landed since the frame the splice was made in: move
            // its position through them.
            let now = match target {
                Target::Session(_) => engine.field_text(nb, target, field).ok(),
                Target::Index => None,
            };
            let mut splice = splice;
            if let Some(now) = now.filter(|t| *t != base) {
                splice.pos = move_caret(&base, &now, splice.pos);
            }
            engine.type_text(nb, target, field, splice.pos, splice.del, &splice.insert)?;
            let caret = splice.pos + splice.insert.chars().count();
            let cursor = engine.cursor(nb, target, field, caret).ok();
            if let Some(f) = cx.live.get_mut(&(target, field)) {
                f.caret = caret;
                f.cursor = cursor;
            }
            cx.rt.read_undo_after_typing((target, field));
        }
        Command::Undo {
            target,
            field,
            side,
        } => {
            let nb = notebook(cx.rt)?;
            // Typing still waiting in the editor's buffer was sent before this (same frame,
            // earlier command), so the editor is in step: the document's new text replaces it.
            engine.undo(nb, target, field, side)?;
            if let Some(f) = cx.live.get_mut(&(target, field)) {
                f.moved_to = None;
            }
            cx.rt.read_undo_menu((target, field));
        }
        Command::FocusField { target, field } => cx.rt.read_undo_menu((target, field)),
        Command::Caret { target, field, pos } => {
            let cursor = engine.cursor(notebook(cx.rt)?, target, field, pos).ok();
            if let Some(f) = cx.live.get_mut(&(target, field)) {
                f.caret = pos;
                f.cursor = cursor;
            }
        }
        Command::CommitTyping => engine.commit_pending()?,
        Command::AddMember { name, sector } => {
            if name.trim().is_empty() {
                return Err(AppError::Input("a member needs a name".into()));
            }
            let m = NewMember {
                name: name.trim().into(),
                sector: sector.trim().into(),
                role: String::new(),
            };
            engine.add_member(notebook(cx.rt)?, &m)?;
        }
        Command::RemoveMember(m) => {
            engine.remove_member(notebook(cx.rt)?, m)?;
        }
        Command::SetHost(m, host) => engine.set_host(notebook(cx.rt)?, m, host)?,
        Command::CancelInvite(invite) => engine.cancel_invite(notebook(cx.rt)?, invite)?,
        Command::RaiseQuestion { text, session } => {
            if text.trim().is_empty() {
                return Err(AppError::Input("a question needs words".into()));
            }
            engine.add_question(notebook(cx.rt)?, text.trim(), session)?;
        }
        Command::QuestionNote {
            question,
            text,
            session,
        } => {
            if text.trim().is_empty() {
                return Err(AppError::Input("the note is empty".into()));
            }
            engine.add_question_note(notebook(cx.rt)?, question, text.trim(), session)?;
        }
        Command::QuestionStatus {
            question,
            status,
            session,
        } => engine.set_question_status(notebook(cx.rt)?, question, status, session)?,
        Command::MakeInvite {
            uses,
            hours,
            for_member,
        } => {
            let addr = engine.addr().ok_or_else(|| {
                AppError::Input(
                    "an invite needs the network: choose this room or the internet first".into(),
                )
            })?;
            let valid_for_ms = i64::from(hours.max(1)) * 3_600_000;
            let nb = notebook(cx.rt)?;
            let (ticket, uses) = match for_member {
                Some(m) => (engine.create_invite_for(nb, addr, valid_for_ms, m)?, 1),
                None => (
                    engine.create_invite(nb, addr, uses.max(1), valid_for_ms)?,
                    uses.max(1),
                ),
            };
            cx.rt.invite = Some(InviteShown {
                ticket: ticket.to_text(),
                uses,
                hours: hours.max(1),
                for_name: ticket.for_name,
            });
        }
        Command::Search(query) => {
            if query.trim().is_empty() {
                cx.rt.found = None; // the box cleared: the page's marks go too
            }
            let repaint = cx.rt.repaint.clone();
            let nb = notebook(cx.rt)?;
            cx.rt.search.start(engine, nb, &query, move || repaint());
        }
        Command::OpenFound(found) => {
            if let Some(s) = found.session {
                open_session(cx, s);
            }
            cx.rt.found = Some(found);
        }
        Command::ShowDigest => cx.rt.load_digest(),
        Command::WithdrawQuestion(q) => engine.withdraw_question(notebook(cx.rt)?, q, false)?,
        Command::EditMember {
            member,
            name,
            sector,
            role,
        } => engine.update_member(
            notebook(cx.rt)?,
            member,
            Some(name.trim()),
            Some(sector.trim()),
            Some(role.trim()),
        )?,
        Command::SetTitle {
            session,
            entry,
            title,
        } => engine.set_title(notebook(cx.rt)?, session, entry, title.trim())?,
        Command::SetAngle {
            session,
            story,
            retelling,
            angle,
        } => engine.set_angle(notebook(cx.rt)?, session, story, retelling, angle.trim())?,
        Command::Withdraw { session, entry } => {
            let nb = notebook(cx.rt)?;
            let convener = cx
                .rt
                .view
                .as_ref()
                .and_then(|v| v.session(session)?.convener);
            let as_convener = convener.is_some() && convener == cx.rt.me;
            engine.withdraw(nb, session, entry, as_convener)?;
        }
        Command::PickConflict { field, n } => {
            engine.pick_conflict(notebook(cx.rt)?, &field, n)?;
            cx.rt.load_conflicts();
        }
        Command::ShowHistory(target) => {
            let items = engine.history(notebook(cx.rt)?, target);
            let blocks = items
                .as_deref()
                .map(crate::timeline::blocks)
                .unwrap_or_default();
            // Kept even when empty, so the page does not ask again every frame.
            cx.rt.history = Some((target, Arc::new(blocks)));
            items?;
        }
        Command::ShowAsOf { session, when } => {
            let time_ms = stones_store::local_time::parse_moment(&when).ok_or_else(|| {
                AppError::Input(format!(
                    "{when:?} is not a moment: write a day (2026-11-21) or a day and a time \
                     (2026-11-21 14:30)"
                ))
            })?;
            show_as_of(cx, session, time_ms)?;
        }
        Command::ShowAsOfMs { session, time_ms } => show_as_of(cx, session, time_ms)?,
        Command::ShowVoices { last } => cx.rt.load_voices(last)?,
        Command::PickExportPlace { format } => {
            if cx.rt.picking.is_some() {
                return Err(AppError::Input("a dialog is already open".into()));
            }
            let (folder, name) = match format {
                ExportFormat::Markdown | ExportFormat::Automerge => (true, ""),
                ExportFormat::Html => (false, "notebook.html"),
                ExportFormat::Json => (false, "notebook.json"),
            };
            let repaint = cx.rt.repaint.clone();
            cx.rt.picking = Some(Picking::start(folder, name, move || repaint()));
        }
        Command::Export {
            format,
            path,
            include_group,
        } => {
            let path = path.trim();
            if path.is_empty() {
                return Err(AppError::Input("choose where the export goes".into()));
            }
            if cx.rt.export.is_some() {
                return Err(AppError::Input("an export is already under way".into()));
            }
            let opts = ExportOptions {
                include_group,
                ..ExportOptions::default()
            };
            let repaint = cx.rt.repaint.clone();
            let nb = notebook(cx.rt)?;
            let job = export_job::start(engine, nb, opts, format, path.into(), move || repaint());
            cx.rt.export = Some(job);
        }
    }
    Ok(())
}

fn show_as_of(cx: &mut Ctx<'_>, session: EntryId, time_ms: i64) -> Result<(), AppError> {
    let view = cx
        .rt
        .engine
        .session_as_of(notebook(cx.rt)?, session, time_ms)?;
    cx.rt.as_of = Some(Arc::new(AsOf {
        session,
        time_ms,
        view,
    }));
    *cx.page = Some(crate::ui::Page::AsOf);
    Ok(())
}

fn notebook(rt: &Runtime) -> Result<stones_doc::NotebookId, AppError> {
    rt.notebook
        .ok_or_else(|| AppError::Input("no notebook is open".into()))
}

fn open_session(cx: &mut Ctx<'_>, s: EntryId) {
    cx.rt.open_session(s);
    *cx.viewed = Some(s);
    cx.live.clear();
}

/// The text a session field holds in a view (`None`: the entry is not there).
pub fn session_text(view: &SessionView, field: TextField) -> Option<&str> {
    Some(match field {
        TextField::CheckinQuestion => &view.checkin_question,
        TextField::Notes => &view.notes,
        TextField::Reflection(r) => &view.reflections.iter().find(|x| x.id == r)?.body,
        TextField::Story(s) => &view.stories.iter().find(|x| x.id == s)?.text,
        TextField::Retelling(s, r) => {
            let story = view.stories.iter().find(|x| x.id == s)?;
            &story.retellings.iter().find(|x| x.id == r)?.text
        }
        _ => return None,
    })
}

/// Brings every live editor in step with the session's view after it changed: an editor
/// with no typing waiting takes the new text, its caret kept where the document's cursor
/// (else the changed text around it) says; an entry gone (withdrawn) closes its editor.
pub fn follow_views(rt: &Runtime, live: &mut LiveFields) {
    let (Some(nb), Some((_, Some(view)))) = (rt.notebook, rt.session.as_ref()) else {
        return;
    };
    live.retain(|(target, field), f| {
        let Some(now) = session_text(view, *field) else {
            return false;
        };
        if now == f.base || f.buffer != f.base {
            return true;
        }
        let caret = f
            .cursor
            .as_ref()
            .and_then(|c| rt.engine.cursor_position(nb, *target, *field, c).ok())
            .unwrap_or_else(|| move_caret(&f.base, now, f.caret));
        f.base = now.to_string();
        f.buffer = now.to_string();
        if caret != f.caret {
            f.caret = caret;
            f.moved_to = Some(caret);
        }
        true
    });
}
