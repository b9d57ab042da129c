//! Drawing: one file per panel. Every function here only reads the [`Runtime`] and sends
//! [`Command`]s (`Draw::out`); the form buffers and the live editors' buffers are UI state.
//! Every input is labelled, so screen readers (and kittest) can find it by name.

mod as_of_page;
mod checkin;
mod conflicts;
mod corrections;
mod first_run;
mod history_page;
mod keys;
mod live_editor;
mod markdown;
mod notices;
mod questions;
mod search;
mod session_page;
mod share;
mod sidebar;
mod story_page;
mod top_bar;
mod voices_page;
mod writing;

pub use notices::Notices;
pub use sidebar::session_label;
pub use voices_page::{gentle_sentence, member_line, sector_line};

use crate::logic::{Command, LiveFields};
use crate::runtime::Runtime;
use crate::state::State;
use std::collections::HashMap;
use stones_doc::{EntryId, MemberId};

/// What drawing code may touch.
pub struct Draw<'a> {
    /// The engine's views (read only).
    pub rt: &'a Runtime,
    /// Settings the top bar changes (theme, text size).
    pub state: &'a mut State,
    /// Form buffers.
    pub forms: &'a mut Forms,
    /// Live editors' buffers.
    pub live: &'a mut LiveFields,
    /// Commands for logic to apply.
    pub out: &'a mut Vec<Command>,
}

impl Draw<'_> {
    /// Sends a command.
    pub fn send(&mut self, c: Command) {
        self.out.push(c);
    }
}

/// What the central panel shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Page {
    /// The session on screen.
    #[default]
    Session,
    /// The story so far, for newcomers.
    StorySoFar,
    /// Whose voices fill the sessions.
    Voices,
    /// Who changed a session (or the notebook) and when.
    History(stones_store::Target),
    /// A session as it was at a moment, read only.
    AsOf,
    /// Every field holding values written at the same time.
    Conflicts,
}

/// What the forms hold while they are filled in.
#[derive(Debug)]
pub struct Forms {
    /// What the central panel shows.
    pub page: Page,
    /// The search box.
    pub search: String,
    /// A search hit's entry (id in hex) to scroll to once it is drawn.
    pub scroll_to: Option<String>,
    /// The keyboard help is open.
    pub show_help: bool,
    /// A held question whose withdrawal waits for confirmation.
    pub confirm_withdraw_question: Option<EntryId>,
    /// A member's details being corrected: who, name, sector, role.
    pub member_edit: Option<(MemberId, String, String, String)>,
    /// A correction or withdrawal being made.
    pub correcting: Option<corrections::Correcting>,
    /// History: the moment to read a session as of, as typed.
    pub as_of: String,
    /// Voices: how many of the latest sessions are counted.
    pub voices_last: usize,
    /// Held questions shown: all, or of one status.
    pub question_filter: Option<stones_doc::QuestionStatus>,
    /// A question to raise.
    pub new_question: String,
    /// Trail notes being written, per question.
    pub question_notes: HashMap<EntryId, String>,
    /// The invite window is open.
    pub show_invite: bool,
    /// The export window is open.
    pub show_export: bool,
    /// Invite: how many devices may use it.
    pub invite_uses: u32,
    /// Invite: hours valid.
    pub invite_hours: u32,
    /// Export: format.
    pub export_format: stones_store::export::ExportFormat,
    /// Export: include group-only entries.
    pub export_group: bool,
    /// Export: where to.
    pub export_path: String,
    /// First run: the notebook's title.
    pub title: String,
    /// First run: its purpose.
    pub purpose: String,
    /// First run and join: your name.
    pub name: String,
    /// First run and join: your sector.
    pub sector: String,
    /// Join: the ticket.
    pub ticket: String,
    /// Network: relay URL for internet mode.
    pub relay: String,
    /// New session: the day.
    pub new_date: String,
    /// Check-in: what each member said, before it is recorded.
    pub turns: HashMap<(EntryId, MemberId), String>,
    /// Check-in: recorded with export scope (else group).
    pub turn_export: HashMap<MemberId, bool>,
    /// Check-in: whose recorded turn is being changed.
    pub retake: std::collections::HashSet<(EntryId, MemberId)>,
    /// The check-in question being edited.
    pub question: Option<(EntryId, String)>,
    /// The header being edited.
    pub header: Option<HeaderDraft>,
    /// A new reflection's title.
    pub reflection_title: String,
    /// A new story's title.
    pub story_title: String,
    /// A new retelling's angle, per story.
    pub angles: HashMap<EntryId, String>,
    /// A new member's name.
    pub member_name: String,
    /// A new member's sector.
    pub member_sector: String,
    /// A member whose removal waits for confirmation.
    pub confirm_remove: Option<MemberId>,
    /// Two member entries (merged, kept) whose merge waits for confirmation.
    pub confirm_merge: Option<(MemberId, MemberId)>,
}

impl Default for Forms {
    fn default() -> Forms {
        Forms {
            page: Page::Session,
            search: String::new(),
            scroll_to: None,
            voices_last: 12,
            as_of: String::new(),
            correcting: None,
            confirm_withdraw_question: None,
            show_help: false,
            member_edit: None,
            question_filter: None,
            new_question: String::new(),
            question_notes: HashMap::new(),
            show_invite: false,
            show_export: false,
            invite_uses: 1,
            invite_hours: 24,
            export_format: stones_store::export::ExportFormat::Html,
            export_group: false,
            export_path: String::new(),
            title: String::new(),
            purpose: String::new(),
            name: String::new(),
            sector: String::new(),
            ticket: String::new(),
            relay: String::new(),
            new_date: String::new(),
            turns: HashMap::new(),
            turn_export: HashMap::new(),
            retake: Default::default(),
            question: None,
            header: None,
            reflection_title: String::new(),
            story_title: String::new(),
            angles: HashMap::new(),
            member_name: String::new(),
            member_sector: String::new(),
            confirm_remove: None,
            confirm_merge: None,
        }
    }
}

/// A session header being corrected.
#[derive(Clone, Debug, PartialEq)]
pub struct HeaderDraft {
    /// The session.
    pub session: EntryId,
    /// Day.
    pub date: String,
    /// Kind.
    pub kind: stones_doc::SessionKind,
    /// Title.
    pub title: String,
    /// Convener.
    pub convener: Option<MemberId>,
}

/// A text box with a visible label it is named by (for screen readers and tests).
pub fn labelled_text_ui(ui: &mut egui::Ui, label: &str, text: &mut String) -> egui::Response {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.text_edit_singleline(text).labelled_by(l.id)
    })
    .inner
}

/// A heading that assistive technology announces as one (egui's own reads as a label).
pub fn heading_ui(ui: &mut egui::Ui, text: impl Into<String>) -> egui::Response {
    let text = text.into();
    let r = ui.heading(&text);
    ui.ctx().accesskit_node_builder(r.id, |n| {
        n.set_role(egui::Role::Heading);
        n.set_label(text);
    });
    r
}

/// The whole window: first run until a notebook is open, then top bar, sidebar, session.
pub fn root_ui(ui: &mut egui::Ui, d: &mut Draw<'_>, notices: &mut Notices) {
    keys::shortcuts(ui.ctx(), d);
    keys::help_ui(&ui.ctx().clone(), d);
    notices::notices_ui(ui.ctx(), notices);
    if d.rt.notebook.is_none() {
        egui::CentralPanel::default().show(ui, |ui| first_run::first_run_ui(ui, d));
        return;
    }
    egui::Panel::top("top-bar").show(ui, |ui| top_bar::top_bar_ui(ui, d));
    egui::Panel::left("sidebar")
        .resizable(true)
        .default_size(260.0)
        .show(ui, |ui| sidebar::sidebar_ui(ui, d));
    egui::CentralPanel::default().show(ui, |ui| match d.forms.page {
        Page::Session => session_page::session_page_ui(ui, d),
        Page::StorySoFar => story_page::story_page_ui(ui, d),
        Page::Voices => voices_page::voices_page_ui(ui, d),
        Page::History(target) => history_page::history_page_ui(ui, d, target),
        Page::AsOf => as_of_page::as_of_page_ui(ui, d),
        Page::Conflicts => conflicts::conflicts_page_ui(ui, d),
    });
    let ctx = ui.ctx().clone();
    search::search_results_ui(&ctx, d);
    let mut open = d.forms.show_invite;
    egui::Window::new("Invite someone")
        .open(&mut open)
        .show(&ctx, |ui| share::invite_ui(ui, d));
    d.forms.show_invite &= open;
    let mut open = d.forms.show_export;
    egui::Window::new("Export the notebook")
        .open(&mut open)
        .show(&ctx, |ui| share::export_ui(ui, d));
    d.forms.show_export &= open;
}
