//! What a member can ask the app to do: one [`Command`] per gesture, sent by drawing code
//! and carried out between frames by `logic::apply`.

use crate::live_text::Splice;
use crate::runtime::Found;
use stones_doc::{EntryId, MemberId, QuestionStatus, SessionKind, TextField, TurnChoice};
use stones_store::export::ExportFormat;
use stones_store::{Target, UndoSide};
use stones_sync::net::NetMode;

/// Something a member asked for.
#[derive(Clone, Debug)]
pub enum Command {
    /// Found a notebook with this device's person as its first member.
    CreateNotebook {
        /// Its title.
        title: String,
        /// What the group is for.
        purpose: String,
        /// Your name.
        name: String,
        /// Your sector.
        sector: String,
    },
    /// Join with an invite ticket's text.
    Join {
        /// The ticket as pasted.
        ticket: String,
        /// Your name.
        name: String,
        /// Your sector.
        sector: String,
        /// You are the member already called `name`, added before you had a device.
        as_member: bool,
    },
    /// Two member entries are one person: `from` counts as `into` from now on.
    MergeMembers {
        /// The entry that goes.
        from: MemberId,
        /// The entry that stays.
        into: MemberId,
    },
    /// Keep what has been typed of a turn not yet recorded, on this device only.
    SaveTurnDraft {
        /// The session.
        session: EntryId,
        /// Whose turn.
        member: MemberId,
        /// What has been typed so far.
        text: String,
    },
    /// The joiner is not the member whose name they gave: back to the join form, to give a
    /// name the group can tell apart.
    ForgetJoin,
    /// How this device connects (saved as its choice).
    ChooseNetwork {
        /// The mode.
        mode: NetMode,
        /// A relay URL for internet mode (empty: keep the saved one).
        relay: String,
    },
    /// Put a session on screen.
    OpenSession(EntryId),
    /// Open a new session from its kind's template on a day.
    NewSession {
        /// The kind.
        kind: SessionKind,
        /// The day (YYYY-MM-DD).
        date: String,
    },
    /// Correct a session's header.
    EditHeader {
        /// The session.
        session: EntryId,
        /// Day (YYYY-MM-DD).
        date: String,
        /// Kind.
        kind: SessionKind,
        /// Title.
        title: String,
        /// Convener (none: not decided).
        convener: Option<MemberId>,
    },
    /// Set the check-in question.
    SetQuestion {
        /// The session.
        session: EntryId,
        /// The question.
        question: String,
    },
    /// Mark a member present or absent.
    SetPresent {
        /// The session.
        session: EntryId,
        /// Who.
        member: MemberId,
        /// Present (else absent).
        present: bool,
    },
    /// Record a check-in turn (off the record keeps only that, no words).
    Turn {
        /// The session.
        session: EntryId,
        /// Whose turn.
        member: MemberId,
        /// What they chose.
        choice: TurnChoice,
    },
    /// Start a reflection.
    AddReflection {
        /// The session.
        session: EntryId,
        /// Its title.
        title: String,
    },
    /// Tell a story (its text is then written live).
    AddStory {
        /// The session.
        session: EntryId,
        /// Who tells it.
        teller: MemberId,
        /// Its title.
        title: String,
    },
    /// Retell a story from another angle.
    AddRetelling {
        /// The session.
        session: EntryId,
        /// The story.
        story: EntryId,
        /// Who retells it.
        teller: MemberId,
        /// The angle.
        angle: String,
    },
    /// Undo or redo this device's own typing in a live field (never another person's).
    Undo {
        /// Which document.
        target: Target,
        /// Which field.
        field: TextField,
        /// Undo or redo.
        side: UndoSide,
    },
    /// A live field took the keyboard: the Edit menu now speaks of it.
    FocusField {
        /// Which document.
        target: Target,
        /// Which field.
        field: TextField,
    },
    /// Typing in a live editor: one splice of its text.
    Type {
        /// Which document.
        target: Target,
        /// Which field.
        field: TextField,
        /// The text the splice was made against.
        base: String,
        /// The splice.
        splice: Splice,
    },
    /// A live editor's caret moved (the document cursor under it is taken again).
    Caret {
        /// Which document.
        target: Target,
        /// Which field.
        field: TextField,
        /// Where, in code points.
        pos: usize,
    },
    /// Commit typing now (the editor lost focus).
    CommitTyping,
    /// Add a member who has no device (yet).
    AddMember {
        /// Name.
        name: String,
        /// Sector.
        sector: String,
    },
    /// Remove a member (they keep what their devices already had).
    RemoveMember(MemberId),
    /// Make a member a host (`true`) or stop them being one.
    SetHost(MemberId, bool),
    /// Cancel an invite: nobody joins with it any more.
    CancelInvite(EntryId),
    /// Hold a new question (raised in the session on screen, if any).
    RaiseQuestion {
        /// Its wording.
        text: String,
        /// The session it was raised in.
        session: Option<EntryId>,
    },
    /// Add a note to a question's trail.
    QuestionNote {
        /// The question.
        question: EntryId,
        /// The note.
        text: String,
        /// The session it was noted in.
        session: Option<EntryId>,
    },
    /// Move a question on (open, resting, answered, let go).
    QuestionStatus {
        /// The question.
        question: EntryId,
        /// Its new status.
        status: QuestionStatus,
        /// The session it moved in.
        session: Option<EntryId>,
    },
    /// Make an invite.
    MakeInvite {
        /// How many devices may join with it.
        uses: u32,
        /// Hours it is valid for.
        hours: u32,
        /// Made for a member who has no device yet: their own device joins with it.
        for_member: Option<MemberId>,
    },
    /// Search the notebook for what the box holds now.
    Search(String),
    /// Open a search hit: its session, with the words found highlighted.
    OpenFound(Found),
    /// Write the story so far (for its page).
    ShowDigest,
    /// Count voices over the last `last` sessions (for its page).
    ShowVoices {
        /// How many of the latest sessions.
        last: usize,
    },
    /// Read who changed a document and when (for the history page).
    ShowHistory(Target),
    /// Read a session as it was at a moment someone typed (a day, or a day and a time).
    ShowAsOf {
        /// The session.
        session: EntryId,
        /// The moment, as typed.
        when: String,
    },
    /// Read a session as it was at `time_ms`.
    ShowAsOfMs {
        /// The session.
        session: EntryId,
        /// The moment (unix ms).
        time_ms: i64,
    },
    /// Correct a reflection's or story's title.
    SetTitle {
        /// The session.
        session: EntryId,
        /// The reflection or story.
        entry: EntryId,
        /// The title.
        title: String,
    },
    /// Correct a retelling's angle.
    SetAngle {
        /// The session.
        session: EntryId,
        /// The story.
        story: EntryId,
        /// The retelling.
        retelling: EntryId,
        /// The angle.
        angle: String,
    },
    /// Withdraw an entry of a session (as its writer, or as the session's convener).
    Withdraw {
        /// The session.
        session: EntryId,
        /// The entry.
        entry: stones_doc::session::Withdrawable,
    },
    /// Withdraw a held question with its trail (as the one who raised it).
    WithdrawQuestion(EntryId),
    /// Correct a member's name, sector and role.
    EditMember {
        /// The member.
        member: MemberId,
        /// Name.
        name: String,
        /// Sector.
        sector: String,
        /// Role.
        role: String,
    },
    /// Keep value `n` (1 first) of a conflicted field.
    PickConflict {
        /// The field.
        field: stones_doc::conflicts::FieldId,
        /// Which value.
        n: usize,
    },
    /// Open the desktop's dialog to choose where an export in `format` goes.
    PickExportPlace {
        /// The format (a folder for Markdown and Automerge, a file for HTML and JSON).
        format: ExportFormat,
    },
    /// Export the notebook.
    Export {
        /// The format.
        format: ExportFormat,
        /// Where: a folder (Markdown, Automerge) or a file (HTML, JSON).
        path: String,
        /// Include entries the group kept to itself.
        include_group: bool,
    },
}
