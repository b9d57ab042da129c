//! The runtime handles, never persisted: the engine (one per process, shared with the
//! network's tasks), its event stream, and what the app shows read from it — the open
//! notebook's view, the session on screen, who is connected and how caught up. Refreshed
//! between frames from the engine's events (`poll`), never inside drawing code.

use crate::conflicts_view::ShownConflict;
use crate::error::AppError;
use crate::export_job::ExportJob;
use std::collections::HashMap;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use stones_doc::voices::Window;
use stones_doc::{EntryId, MemberId, NotebookId, NotebookView, SessionView};
use stones_store::notebook::VoicesReport;
use stones_store::{Target, UndoSide};
use stones_sync::engine::ChangeSource;
use stones_sync::engine::Refusal;
use stones_sync::net::{NetConfig, NetMode};
use stones_sync::{Engine, EngineEvent, SyncState};

/// Conflicts are read again at most this often while changes keep coming from elsewhere.
const CONFLICTS_EVERY: std::time::Duration = std::time::Duration::from_secs(1);
/// How often, at most, what is counted off the documents (who wrote each reflection, the
/// story so far, voices) is counted again while they change: not on every keystroke.
const COUNTED_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// A session as it stood at a moment.
#[derive(Clone, Debug)]
pub struct AsOf {
    /// The session.
    pub session: EntryId,
    /// The moment (unix ms).
    pub time_ms: i64,
    /// What it held then.
    pub view: SessionView,
}

/// Reflections the story so far quotes.
const DIGEST_REFLECTIONS: usize = 5;

/// A search hit someone opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The session it is in (none: the notebook's own entries).
    pub session: Option<EntryId>,
    /// The words searched for.
    pub query: String,
}

/// A connected peer as the top bar names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerLine {
    /// The member's name (or "a device not yet known" while its hello is read).
    pub name: String,
    /// How caught up this device is with it.
    pub state: SyncState,
}

/// Where a join stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Joining {
    /// Asked the inviting device; waiting for its answer.
    Asking,
    /// Let in; the notebook is arriving.
    Fetching(NotebookId),
    /// Refused because the group has a member of this name with no device yet: the joiner
    /// is asked whether that is them.
    AskWhoYouAre(String),
}

/// What happened that a member should hear about (shown as a notice).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// An error (else news).
    pub error: bool,
    /// The words.
    pub text: String,
}

/// What the Edit menu offers: undo and redo of this device's own typing in the live field
/// typed in (or focused) last, in words ("Undo typing “Trust grows…”").
#[derive(Clone, Debug, Default)]
pub struct UndoMenu {
    /// The field.
    pub field: Option<(Target, stones_doc::TextField)>,
    /// What undo would do there.
    pub undo: Option<String>,
    /// What redo would do there.
    pub redo: Option<String>,
}

impl Runtime {
    /// After typing in `field`: only undo needs reading (typing empties redo).
    pub fn read_undo_after_typing(&mut self, field: (Target, stones_doc::TextField)) {
        self.read_undo(field, false);
    }

    /// Reads what undo and redo would do in `field` now (after an undo, a focus).
    pub fn read_undo_menu(&mut self, field: (Target, stones_doc::TextField)) {
        self.read_undo(field, true);
    }

    fn read_undo(&mut self, field: (Target, stones_doc::TextField), redo: bool) {
        let Some(nb) = self.notebook else {
            return;
        };
        let (target, f) = field;
        let label = |side| self.engine.undo_label(nb, target, f, side);
        self.undo_menu = UndoMenu {
            field: Some(field),
            undo: label(UndoSide::Undo),
            redo: if redo { label(UndoSide::Redo) } else { None },
        };
    }
}

/// The engine and what is read from it.
pub struct Runtime {
    /// The engine.
    pub engine: Arc<Engine>,
    events: Receiver<EngineEvent>,
    /// The open notebook.
    pub notebook: Option<NotebookId>,
    /// Its index view.
    pub view: Option<Arc<NotebookView>>,
    /// The session on screen and its view (`None` in the view: not on this device yet).
    pub session: Option<(EntryId, Option<Arc<SessionView>>)>,
    /// Why the session on screen could not be read (a damaged document), if so.
    pub session_problem: Option<String>,
    /// Who wrote each reflection of the session on screen: names and words, most first.
    pub writers: HashMap<EntryId, Vec<(String, u32)>>,
    /// This device's member in the open notebook.
    pub me: Option<MemberId>,
    /// The network mode running now.
    pub mode: NetMode,
    /// Whether the device ever chose a mode (nothing is sent until it has).
    pub mode_chosen: bool,
    /// The room's state.
    pub sync: SyncState,
    /// Each connected peer.
    pub peers: Vec<PeerLine>,
    /// A join under way.
    pub joining: Option<Joining>,
    /// The invite made last, to show.
    pub invite: Option<InviteShown>,
    /// An export under way (or just finished).
    pub export: Option<Arc<Mutex<ExportJob>>>,
    /// The search in the top bar's box and its answer.
    pub search: crate::search_job::SearchJob,
    /// What the last search opened: its words are highlighted on that session's page.
    pub found: Option<Found>,
    /// The story so far, once asked for (kept current while the index changes).
    pub digest: Option<String>,
    /// Voices over the last N sessions, once asked for (kept current likewise).
    pub voices: Option<(usize, Arc<VoicesReport>)>,
    /// A document's history as a timeline, once asked for.
    pub history: Option<(Target, Arc<Vec<crate::timeline::Block>>)>,
    /// A session as it was at a moment, once asked for.
    pub as_of: Option<Arc<AsOf>>,
    /// Fields holding values written at the same time (`conflicts_view.rs`).
    pub conflicts: Arc<Vec<ShownConflict>>,
    /// The Edit menu: the live field typed in last and what undo and redo would do there.
    pub undo_menu: UndoMenu,
    /// Turns typed and not yet recorded in the session on screen, kept on this device.
    pub turn_drafts: HashMap<(EntryId, MemberId), String>,
    /// Changes came from elsewhere since the conflicts were read, and when they were.
    conflicts_stale: bool,
    conflicts_read: Option<std::time::Instant>,
    /// The documents changed since writers, the digest and voices were counted, and when
    /// they were.
    counted_stale: bool,
    counted_read: Option<std::time::Instant>,
    /// The export's folder or file dialog, while it is open.
    pub picking: Option<crate::file_picker::Picking>,
    /// Asks the window for a frame (the engine's waker does the same).
    pub repaint: Arc<dyn Fn() + Send + Sync>,
}

/// An invite to show: its ticket text, how many may use it, for how long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteShown {
    /// The ticket, to paste on the joining computer.
    pub ticket: String,
    /// How many devices may join with it.
    pub uses: u32,
    /// Hours it is valid for.
    pub hours: u32,
    /// The member it was made for (their own device joins with it), if any.
    pub for_name: Option<String>,
}

impl Runtime {
    /// Opens the engine on `home` (creating the store on a first run), starts the network in
    /// the mode chosen before, and opens the notebook `preferred` (else the first held).
    pub fn open(
        home: &std::path::Path,
        preferred: Option<&str>,
        repaint: impl Fn() + Send + Sync + 'static,
    ) -> Result<(Runtime, Vec<Notice>), AppError> {
        let engine = Arc::new(Engine::open_or_create(home)?);
        let repaint: Arc<dyn Fn() + Send + Sync> = Arc::new(repaint);
        let waker = repaint.clone();
        let events = engine.subscribe_with(Some(Arc::new(move || waker())));
        let saved = NetConfig::saved_mode(&engine.store())?;
        let mut rt = Runtime {
            engine,
            events,
            notebook: None,
            view: None,
            session: None,
            session_problem: None,
            writers: HashMap::new(),
            me: None,
            mode: NetMode::Off,
            mode_chosen: saved.is_some(),
            sync: SyncState::Offline,
            peers: Vec::new(),
            joining: None,
            invite: None,
            export: None,
            picking: None,
            search: Default::default(),
            found: None,
            digest: None,
            voices: None,
            history: None,
            as_of: None,
            conflicts: Arc::new(Vec::new()),
            undo_menu: UndoMenu::default(),
            turn_drafts: HashMap::new(),
            conflicts_stale: false,
            conflicts_read: None,
            counted_stale: false,
            counted_read: None,
            repaint,
        };
        let mut notices: Vec<Notice> = rt
            .engine
            .store()
            .tightened()
            .iter()
            .map(|t| news(t.to_string()))
            .collect();
        if saved.is_some_and(|m| m != NetMode::Off)
            && let Err(e) = rt.start_network(None, None)
        {
            notices.push(Notice {
                error: true,
                text: format!("the network did not start: {e}"),
            });
        }
        let held = rt.engine.notebooks();
        let pick = preferred
            .and_then(|hex| NotebookId::from_hex(hex).ok())
            .filter(|id| held.iter().any(|(h, _)| h == id))
            .or_else(|| held.first().map(|(id, _)| *id));
        if let Some(id) = pick {
            rt.open_notebook(id)?;
        }
        Ok((rt, notices))
    }

    /// Starts (or restarts) the network: in `mode` (saved as the device's choice) or the
    /// one chosen before; `relay` replaces the saved relay.
    pub fn start_network(
        &mut self,
        mode: Option<NetMode>,
        relay: Option<&str>,
    ) -> Result<(), AppError> {
        let cfg = NetConfig::resolve(&self.engine.store(), mode.map(|m| m.as_str()), relay)?;
        self.mode_chosen = true;
        self.engine.stop_network();
        if cfg.mode != NetMode::Off {
            self.engine.start_network(&cfg)?;
        }
        self.mode = self.engine.mode();
        self.refresh_sync();
        Ok(())
    }

    /// Makes `id` the open notebook.
    pub fn open_notebook(&mut self, id: NotebookId) -> Result<(), AppError> {
        self.notebook = Some(id);
        self.session = None;
        self.refresh_views()?;
        self.load_conflicts();
        Ok(())
    }

    /// Puts a session on screen.
    pub fn open_session(&mut self, session: EntryId) {
        self.session = Some((session, None));
        if let Some(nb) = self.notebook {
            let drafts = self.engine.turn_drafts(nb, session).unwrap_or_default();
            self.turn_drafts = drafts.into_iter().map(|(m, t)| ((session, m), t)).collect();
        }
        let _ = self.refresh_session();
        self.count_writers();
    }

    /// Reads the notebook's view and the session's again.
    pub fn refresh_views(&mut self) -> Result<(), AppError> {
        let Some(nb) = self.notebook else {
            return Ok(());
        };
        self.view = Some(self.engine.view(nb)?);
        self.me = self.engine.me(nb)?;
        self.refresh_session()?;
        self.refresh_sync();
        self.counted_stale = true;
        self.count_again_if_due()
    }

    /// Counts who wrote each reflection, the story so far and voices again, if the
    /// documents changed and they were not counted in the last [`COUNTED_EVERY`].
    fn count_again_if_due(&mut self) -> Result<(), AppError> {
        let due = self
            .counted_read
            .is_none_or(|t| t.elapsed() >= COUNTED_EVERY);
        if !(self.counted_stale && due) {
            return Ok(());
        }
        self.counted_stale = false;
        self.counted_read = Some(std::time::Instant::now());
        self.count_writers();
        if self.digest.is_some() {
            self.load_digest();
        }
        if let Some((last, _)) = self.voices {
            self.load_voices(last)?;
        }
        Ok(())
    }

    /// Reads the notebook's conflicts again (a failure leaves the last ones shown).
    pub fn load_conflicts(&mut self) {
        let (Some(nb), Some(view)) = (self.notebook, self.view.clone()) else {
            return;
        };
        self.conflicts_stale = false;
        self.conflicts_read = Some(std::time::Instant::now());
        match self.engine.conflicts(nb) {
            Ok(report) => self.conflicts = Arc::new(crate::conflicts_view::shown(&view, &report)),
            Err(e) => tracing::warn!("conflicts could not be read: {e}"),
        }
    }

    /// Writes the story so far again (a failure is said on the page).
    pub fn load_digest(&mut self) {
        let Some(nb) = self.notebook else {
            return;
        };
        self.digest = Some(
            self.engine
                .digest(nb, DIGEST_REFLECTIONS, false)
                .unwrap_or_else(|e| format!("The story so far could not be written: {e}")),
        );
    }

    /// Counts voices over the last `last` sessions again.
    pub fn load_voices(&mut self, last: usize) -> Result<(), AppError> {
        let Some(nb) = self.notebook else {
            return Ok(());
        };
        let window = Window {
            last: Some(last),
            ..Window::default()
        };
        self.voices = Some((last, Arc::new(self.engine.voices(nb, &window)?)));
        Ok(())
    }

    fn refresh_session(&mut self) -> Result<(), AppError> {
        let (Some(nb), Some(id)) = (self.notebook, self.session.as_ref().map(|(s, _)| *s)) else {
            return Ok(());
        };
        self.session_problem = None;
        let view = match self.engine.session(nb, id) {
            Ok(v) => Some(v),
            Err(stones_sync::SyncError::Store(stones_store::error::StoreError::NotFound {
                ..
            })) => None,
            Err(e) => {
                // The rest of the notebook stays usable; the page says what went wrong.
                self.session = Some((id, None));
                self.session_problem = Some(e.to_string());
                return Ok(());
            }
        };
        self.session = Some((id, view));
        Ok(())
    }

    /// Who wrote each reflection of the session on screen, counted again.
    fn count_writers(&mut self) {
        let (Some(nb), Some((id, Some(view)))) = (self.notebook, self.session.clone()) else {
            self.writers.clear();
            return;
        };
        self.writers = self.reflection_writers(nb, id, &view);
    }

    /// Who typed each reflection's words (read from the document's operations, so
    /// co-writers each get their own words).
    fn reflection_writers(
        &self,
        nb: NotebookId,
        session: EntryId,
        view: &SessionView,
    ) -> HashMap<EntryId, Vec<(String, u32)>> {
        let names = self.view.clone();
        let name = |m: Option<MemberId>| match (&names, m) {
            (Some(v), Some(_)) => v.name_of(m),
            _ => "someone outside the group".to_string(),
        };
        view.reflections
            .iter()
            .filter_map(|r| {
                let field = stones_doc::TextField::Reflection(r.id);
                let ws = self.engine.writers(nb, session, &field).ok()?;
                Some((r.id, ws.into_iter().map(|(m, n)| (name(m), n)).collect()))
            })
            .collect()
    }

    /// The room's state and each peer's, named.
    pub fn refresh_sync(&mut self) {
        let Some(nb) = self.notebook else {
            self.sync = if self.mode == NetMode::Off {
                SyncState::Offline
            } else {
                SyncState::Alone
            };
            self.peers.clear();
            return;
        };
        self.sync = self.engine.sync_state(nb);
        let view = self.view.clone();
        self.peers = self
            .engine
            .peer_states(nb)
            .into_iter()
            .map(|p| PeerLine {
                name: view
                    .as_ref()
                    .and_then(|v| v.member_of_device(p.device).and_then(|m| v.member(m)))
                    .map_or_else(|| "a device not yet known".to_string(), |m| m.name.clone()),
                state: p.state,
            })
            .collect();
    }

    /// Takes the engine's events since the last call: refreshes what changed, returns what
    /// a member should hear about.
    pub fn poll(&mut self) -> Vec<Notice> {
        let mut notices = Vec::new();
        let mut changed = false;
        while let Ok(e) = self.events.try_recv() {
            match e {
                EngineEvent::DocChanged { notebook, by, .. } => {
                    changed |= Some(notebook) == self.notebook || self.notebook.is_none();
                    // Only changes from elsewhere can make values conflict.
                    self.conflicts_stale |= by != ChangeSource::Local;
                }
                EngineEvent::Joined { notebook, .. } => {
                    self.joining = Some(Joining::Fetching(notebook));
                    if let Err(e) = self.open_notebook(notebook) {
                        notices.push(error(format!("the notebook could not be opened: {e}")));
                    }
                    notices.push(news("let in: the notebook is arriving"));
                }
                EngineEvent::CaughtUp { notebook, .. } => {
                    if self.joining == Some(Joining::Fetching(notebook)) {
                        self.joining = None;
                        notices.push(news("the notebook has arrived"));
                    }
                    changed = true;
                }
                EngineEvent::JoinRefused {
                    reason:
                        Refusal::NameTaken {
                            name,
                            has_device: false,
                        },
                    ..
                } => self.joining = Some(Joining::AskWhoYouAre(name)),
                EngineEvent::JoinRefused { reason, .. } => {
                    self.joining = None;
                    notices.push(error(refusal_words(&reason)));
                }
                EngineEvent::Error { message, .. } => {
                    if self.joining == Some(Joining::Asking) {
                        self.joining = None;
                    }
                    notices.push(error(message));
                }
                EngineEvent::ChangesRefused {
                    changes, reason, ..
                } => notices.push(error(format!(
                    "{changes} changes from a peer were refused: {reason}"
                ))),
                EngineEvent::RefusedByPeer {
                    changes, reason, ..
                } => notices.push(error(format!(
                    "a peer refused {changes} of our changes: {reason}"
                ))),
                EngineEvent::Refused { reason, .. } => {
                    notices.push(error(format!("a connection was refused: {reason}")));
                }
                EngineEvent::PeerConnected { .. }
                | EngineEvent::PeerLeft { .. }
                | EngineEvent::NetworkStarted { .. } => {}
            }
        }
        if self.notebook.is_none()
            && let Some((id, _)) = self.engine.notebooks().first()
        {
            // Another process (or a join) brought a notebook to this home.
            let id = *id;
            if let Err(e) = self.open_notebook(id) {
                notices.push(error(e.to_string()));
            }
        }
        let finished = self.export.as_ref().and_then(|j| {
            let j = j.lock().unwrap_or_else(|p| p.into_inner());
            j.result.clone()
        });
        if let Some(result) = finished {
            self.export = None;
            notices.push(match result {
                Ok(text) => news(text),
                Err(text) => error(text),
            });
        }
        if changed && let Err(e) = self.refresh_views() {
            notices.push(error(format!("could not read the notebook: {e}")));
        }
        let due = self
            .conflicts_read
            .is_none_or(|t| t.elapsed() >= CONFLICTS_EVERY);
        if self.conflicts_stale && due {
            self.load_conflicts();
        }
        if let Err(e) = self.count_again_if_due() {
            notices.push(error(format!("could not count voices: {e}")));
        }
        self.refresh_sync();
        notices
    }
}

fn news(text: impl Into<String>) -> Notice {
    Notice {
        error: false,
        text: text.into(),
    }
}

fn error(text: impl Into<String>) -> Notice {
    Notice {
        error: true,
        text: text.into(),
    }
}

/// Why an invite was refused, in plain words.
fn refusal_words(reason: &Refusal) -> String {
    format!("the invite was refused: {reason}")
}
