//! What search looks through: every piece of text a notebook holds, as items with a kind, an
//! id, where it was said and who wrote it. Items are taken from the views (index, session),
//! so they see exactly what `show` shows; a session's items do not carry its date, which the
//! index may correct later: the date is joined in at query time.

use crate::ids::{EntryId, MemberId};
use crate::index::NotebookView;
use crate::session::SessionView;

/// What a piece of text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemKind {
    /// A title: the notebook's (with its purpose) or a session's.
    Title,
    /// The convener's check-in question of a session.
    Checkin,
    /// A check-in turn.
    Turn,
    /// A co-written reflection (title and text).
    Reflection,
    /// A story (title and text).
    Story,
    /// A retelling of a story (angle and text).
    Retelling,
    /// A session's conversation notes.
    Notes,
    /// A held question's wording.
    Question,
    /// A note in a held question's trail.
    Note,
    /// A learning (title and text).
    Learning,
}

impl ItemKind {
    /// Every kind, in code order.
    pub const ALL: [ItemKind; 10] = [
        ItemKind::Title,
        ItemKind::Checkin,
        ItemKind::Turn,
        ItemKind::Reflection,
        ItemKind::Story,
        ItemKind::Retelling,
        ItemKind::Notes,
        ItemKind::Question,
        ItemKind::Note,
        ItemKind::Learning,
    ];

    /// The word printed for it.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Title => "title",
            ItemKind::Checkin => "checkin",
            ItemKind::Turn => "turn",
            ItemKind::Reflection => "reflection",
            ItemKind::Story => "story",
            ItemKind::Retelling => "retelling",
            ItemKind::Notes => "notes",
            ItemKind::Question => "question",
            ItemKind::Note => "note",
            ItemKind::Learning => "learning",
        }
    }

    /// Its one-byte code (the store's cache).
    pub fn code(self) -> u8 {
        ItemKind::ALL.iter().position(|k| *k == self).unwrap_or(0) as u8
    }

    /// The kind of a code, if it names one.
    pub fn from_code(code: u8) -> Option<ItemKind> {
        ItemKind::ALL.get(usize::from(code)).copied()
    }
}

/// One searchable piece of text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchItem {
    /// What it is.
    pub kind: ItemKind,
    /// Its id (hex): the entry's, the turn's member, the session's for its title and notes,
    /// the notebook's for its title.
    pub id: String,
    /// The session it belongs to or came from, if any.
    pub session: Option<EntryId>,
    /// Who wrote it (a turn: whose turn; a story or retelling: its teller).
    pub by: Option<MemberId>,
    /// When it was written (unix ms), to order items that have no session.
    pub at: i64,
    /// Its title, if it has one (a match here ranks first).
    pub title: String,
    /// Its text.
    pub body: String,
}

impl SearchItem {
    fn new(kind: ItemKind, id: String, session: Option<EntryId>) -> SearchItem {
        SearchItem {
            kind,
            id,
            session,
            by: None,
            at: 0,
            title: String::new(),
            body: String::new(),
        }
    }
    fn by(mut self, by: Option<MemberId>, at: i64) -> SearchItem {
        self.by = by;
        self.at = at;
        self
    }
    fn text(mut self, title: &str, body: &str) -> SearchItem {
        self.title = title.to_string();
        self.body = body.to_string();
        self
    }
}

/// The items of the index: the notebook's title and purpose, session titles, held questions
/// and their trail notes, learnings.
pub fn index_items(view: &NotebookView) -> Vec<SearchItem> {
    let mut out = vec![
        SearchItem::new(ItemKind::Title, view.notebook_id.clone(), None)
            .text(&view.title, &view.purpose),
    ];
    for s in &view.sessions {
        if !s.title.trim().is_empty() {
            out.push(
                SearchItem::new(ItemKind::Title, s.id.to_hex(), Some(s.id))
                    .by(None, s.created_at)
                    .text(&s.title, ""),
            );
        }
    }
    for q in &view.questions {
        out.push(
            SearchItem::new(ItemKind::Question, q.id.to_hex(), q.raised_in)
                .by(q.raised_by, q.created_at)
                .text("", &q.text),
        );
        for n in q.trail.iter().filter(|n| !n.note.trim().is_empty()) {
            out.push(
                SearchItem::new(ItemKind::Note, n.id.to_hex(), n.session)
                    .by(n.by, n.at)
                    .text("", &n.note),
            );
        }
    }
    for l in &view.learnings {
        // A learning is dated by the latest session it came from.
        let session = l
            .from_sessions
            .iter()
            .filter_map(|id| view.session(*id))
            .max_by_key(|s| s.date)
            .map(|s| s.id);
        out.push(
            SearchItem::new(ItemKind::Learning, l.id.to_hex(), session)
                .by(l.by, l.created_at)
                .text(&l.title, &l.body),
        );
    }
    out
}

/// The items of one session's document.
pub fn session_items(session: EntryId, view: &SessionView) -> Vec<SearchItem> {
    let s = Some(session);
    let mut out = Vec::new();
    if !view.checkin_question.trim().is_empty() {
        out.push(
            SearchItem::new(ItemKind::Checkin, session.to_hex(), s)
                .text("", &view.checkin_question),
        );
    }
    for t in view.turns.iter().filter(|t| !t.text.trim().is_empty()) {
        out.push(
            SearchItem::new(ItemKind::Turn, t.member.to_hex(), s)
                .by(Some(t.member), t.created_at)
                .text("", &t.text),
        );
    }
    for r in &view.reflections {
        out.push(
            SearchItem::new(ItemKind::Reflection, r.id.to_hex(), s)
                .by(r.by, r.created_at)
                .text(&r.title, &r.body),
        );
    }
    for st in &view.stories {
        out.push(
            SearchItem::new(ItemKind::Story, st.id.to_hex(), s)
                .by(st.teller.or(st.by), st.created_at)
                .text(&st.title, &st.text),
        );
        for r in &st.retellings {
            out.push(
                SearchItem::new(ItemKind::Retelling, r.id.to_hex(), s)
                    .by(r.teller.or(r.by), r.created_at)
                    .text(&r.angle, &r.text),
            );
        }
    }
    if !view.notes.trim().is_empty() {
        out.push(SearchItem::new(ItemKind::Notes, session.to_hex(), s).text("", &view.notes));
    }
    out
}
