//! The command line: every command and option of `stones` (design §8).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Stepping Stones: the group's shared notebook, kept on this device.
#[derive(Debug, Parser)]
#[command(name = "stones", version, about, propagate_version = true)]
pub struct Cli {
    /// The device home (default: the XDG data dir `stepping-stones/`).
    #[arg(long, global = true, env = "STONES_HOME")]
    pub home: Option<PathBuf>,
    /// Which notebook, by id prefix (may be left out when the device holds one).
    #[arg(long, global = true, env = "STONES_NOTEBOOK")]
    pub notebook: Option<String>,
    /// Network mode: off (a fresh device's default: no traffic at all), loopback
    /// (127.0.0.1 only), lan (this network, found by mDNS) or internet (also through a
    /// relay). Remembered once given.
    #[arg(long, global = true, env = "STONES_NET")]
    pub net: Option<String>,
    /// The relay server to use in internet mode (default: n0's public relays).
    #[arg(long, global = true, env = "STONES_RELAY")]
    pub relay: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a notebook with you as its first member; prints its id.
    Init {
        #[arg(long)]
        title: String,
        /// Your name as the group knows you.
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        sector: String,
        #[arg(long, default_value = "")]
        role: String,
        #[arg(long, default_value = "")]
        purpose: String,
    },
    /// List notebooks: id, title.
    Notebooks,
    /// Sessions: `session new`, and a session's notes.
    #[command(subcommand)]
    Session(SessionCmd),
    /// List sessions: id, date, kind, title, how many were present, convener.
    Sessions,
    /// Convener rotation: `convener next` suggests who might convene next.
    #[command(subcommand)]
    Convener(ConvenerCmd),
    /// Who convened when: date, name, session id, title.
    Conveners,
    /// Record a check-in turn (yours, or another member's with --member).
    Checkin(CheckinArgs),
    /// Co-written reflections.
    #[command(subcommand)]
    Reflection(ReflectionCmd),
    /// Re-storying: a story, then retellings from other angles, side by side.
    #[command(subcommand)]
    Story(StoryCmd),
    /// Held questions.
    #[command(subcommand)]
    Question(QuestionCmd),
    /// Learnings the group arrived at.
    #[command(subcommand)]
    Learning(LearningCmd),
    /// List members: id, name, sector, role, status.
    Members,
    /// Manage members.
    #[command(subcommand)]
    Member(MemberCmd),
    /// Print the notebook (or one session) as Markdown.
    Show {
        /// A session id prefix or date; leave out for the notebook overview.
        session: Option<String>,
        /// Show the session as it stood at the end of this day (YYYY-MM-DD, UTC).
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Who changed the notebook (or a session) and when: time, member, message.
    History { session: Option<String> },
    /// This device and its store: home, device id, notebooks, documents, pending edits, and
    /// what a running node last reported (peers, caught up).
    Status,
    /// Export the notebook: a Markdown folder, one printable HTML file, one JSON file, or
    /// the Automerge documents with a manifest (re-importable with `stones import`).
    /// Entries the group kept to itself (scope group) are left out unless --include-group.
    Export(ExportArgs),
    /// Import an Automerge export as a notebook on this device; prints its id.
    Import { path: PathBuf },
    /// Read every document and chunk of this device's store without writing to it, and say
    /// which are damaged (exit status 1 if any is, or if the file no longer opens).
    Check,
    /// Copy every document that can still be read out of this device's store (a damaged
    /// one included) into a fresh store in another folder, with the same device identity;
    /// the old store is left as it was. Open the new home with --home afterwards.
    Rescue {
        /// The new home (a folder that does not hold a store yet).
        #[arg(long)]
        to: PathBuf,
    },
    /// Make an invite for a newcomer's device; prints the ticket (starts with `stones`).
    /// Any member device that has synced since can let them in. `invite list` shows every
    /// invite and what became of it; `invite cancel ID` closes one.
    #[command(args_conflicts_with_subcommands = true)]
    Invite {
        #[command(subcommand)]
        action: Option<InviteCmd>,
        /// How many devices may join with it.
        #[arg(long, default_value_t = 1)]
        uses: u32,
        /// How long it stays valid: 90s, 30m, 12h, 7d.
        #[arg(long, default_value = "7d")]
        expires: String,
        /// Make it for a member the group already has who has no device yet (by name or id
        /// prefix): the device that joins with it becomes theirs, and the ticket says so.
        #[arg(long = "for", value_name = "MEMBER", conflicts_with = "uses")]
        for_member: Option<String>,
    },
    /// Join a notebook with an invite ticket; prints the notebook id once it has synced.
    /// Without TICKET (or with `-`) the ticket is read from standard input, so its secret
    /// never shows in the process list or the shell's history.
    Join {
        ticket: Option<String>,
        /// Your name as the group will know you (an invite made for you keeps your name).
        #[arg(long, conflicts_with = "as_member")]
        name: Option<String>,
        /// You are the member already called NAME, added before you had a device: this
        /// device becomes theirs instead of a second member of the same name.
        #[arg(long = "as", value_name = "NAME")]
        as_member: Option<String>,
        #[arg(long, default_value = "")]
        sector: String,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 120)]
        timeout: u64,
    },
    /// Run this device as a peer until stopped: first line `listening <endpoint-ticket>`,
    /// then sync with member devices as they connect, live. Logs no notebook content.
    Serve,
    /// Sync with reachable member devices until caught up; exit 0 only when every one
    /// reached is caught up both ways, non-zero when refused or out of time.
    Sync {
        /// A peer to dial: the endpoint ticket `stones serve` printed.
        #[arg(long)]
        peer: Vec<String>,
        #[arg(long, default_value_t = 60)]
        timeout: u64,
    },
    /// Print this device's id.
    Id,
    /// Search everything this device holds: titles and purpose, check-ins, reflections,
    /// stories and retellings, notes, held questions and their trails, learnings. Case and
    /// accents do not matter; every word must match. One line per hit, best first (a title
    /// match, then newer): date (or -), what it is, its id, who wrote it, a snippet.
    Search {
        /// The words to look for.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Fields that hold concurrent values (two devices changed one thing while apart), one
    /// line per value: FIELD, N (1 first: the value shown now), the value, who set it, where.
    /// `conflicts pick FIELD N` keeps one.
    Conflicts {
        #[command(subcommand)]
        pick: Option<ConflictsCmd>,
    },
    /// The story so far, as Markdown for a newcomer: the purpose, members by sector (and who
    /// left), the questions held open or resting and for how long, learnings, the latest
    /// reflections, who convened lately.
    Digest {
        /// How many of the latest reflections to include.
        #[arg(long, default_value_t = 5)]
        last: usize,
        /// Leave out reflections the group kept to itself (scope group), to hand on.
        #[arg(long)]
        export_scope: bool,
    },
    /// Whose voices fill the sessions: per member, then per sector, tab-separated: sessions
    /// present, check-in turns, passes, words in turns, words written in reflections,
    /// stories and retellings (by who typed them), share of all the words. Off-the-record
    /// turns are never written down, so never counted.
    Voices {
        /// Only the latest N sessions (after --from and --to).
        #[arg(long)]
        last: Option<usize>,
        /// Only sessions on or after this day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Only sessions on or before this day (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// Also draw a small bar chart of the words, for a terminal.
        #[arg(long)]
        chart: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SessionCmd {
    /// Start a session; prints its id.
    New {
        #[arg(long)]
        date: String,
        #[arg(long)]
        kind: String,
        #[arg(long, default_value = "")]
        title: String,
        /// The convener, by name or member id prefix (left empty when not given: see
        /// `stones convener next` for a suggestion).
        #[arg(long)]
        convener: Option<String>,
        /// The check-in question the convener poses (when left out, one the group has not
        /// asked in its last 12 sessions is suggested and set; change it with `checkin
        /// SESSION --question`).
        #[arg(long)]
        question: Option<String>,
        /// How well the group knows each other, for the suggested question: new or
        /// established (default: established once the first session is half a year old).
        #[arg(long)]
        trust: Option<String>,
    },
    /// Correct a session's header; what is not given stays as it is.
    Edit {
        session: String,
        #[arg(long)]
        date: Option<String>,
        /// weekly, monthly or other (the template follows the kind).
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        title: Option<String>,
        /// The convener, by name or id prefix; an empty value clears it.
        #[arg(long)]
        convener: Option<String>,
    },
    /// Who was in the room: mark members present (and, with --absent, not present).
    Present {
        session: String,
        /// Members who were there, by name or id prefix.
        names: Vec<String>,
        /// Members who were not there (corrects an earlier mark).
        #[arg(long, num_args = 1..)]
        absent: Vec<String>,
    },
    /// Add to a session's notes.
    Notes {
        session: String,
        #[arg(long, value_parser = text_arg)]
        text: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConflictsCmd {
    /// Keep value N of FIELD: once synced, the field holds that one value on every device.
    /// Rival maps (two devices created the same one) are merged, keeping every entry.
    Pick {
        /// The field, as `stones conflicts` lists it.
        field: String,
        /// Which value to keep (1 first).
        n: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConvenerCmd {
    /// The active member who convened least recently (someone who never has, first), with
    /// the day they last convened. A suggestion only: nothing is written.
    Next,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// markdown, html, json or automerge.
    #[arg(long)]
    pub format: String,
    /// The folder (markdown, automerge) or file (html, json) to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Include entries the group kept to itself (scope group).
    #[arg(long)]
    pub include_group: bool,
    /// Only this session (id prefix or date; repeatable).
    #[arg(long)]
    pub session: Vec<String>,
    /// Only sessions on or after this date (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Only sessions on or before this date (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    /// Write into a non-empty folder (replacing an earlier export there) or over a file.
    #[arg(long)]
    pub force: bool,
    /// Let other users of this computer read the files (by default only you can: 0600).
    #[arg(long)]
    pub readable_by_others: bool,
}

#[derive(Debug, Args)]
pub struct CheckinArgs {
    pub session: String,
    /// What was said.
    #[arg(long, conflicts_with_all = ["pass", "off_the_record"], required_unless_present_any = ["pass", "off_the_record", "question", "withdraw"], value_parser = text_arg)]
    pub text: Option<String>,
    /// The member passed.
    #[arg(long)]
    pub pass: bool,
    /// Spoken off the record: nothing is written anywhere.
    #[arg(long)]
    pub off_the_record: bool,
    /// Who took the turn (default: you).
    #[arg(long)]
    pub member: Option<String>,
    /// group (default: stays inside the group) or export.
    #[arg(long, default_value = "group")]
    pub scope: String,
    /// Set the session's check-in question instead of (or as well as) recording a turn.
    #[arg(long)]
    pub question: Option<String>,
    /// Withdraw the turn (yours, or --member's): it leaves the current notebook, `show` and every export at once. Honestly: the document's history keeps it (`show --as-of` an earlier day still shows it), and devices that already synced it keep their copy. Only its member, whoever recorded it,
    /// or the convener with --as-convener.
    #[arg(long, conflicts_with_all = ["text", "pass", "off_the_record", "question"])]
    pub withdraw: bool,
    /// Withdraw someone else's turn as the session's convener.
    #[arg(long, requires = "withdraw")]
    pub as_convener: bool,
}

#[derive(Debug, Subcommand)]
pub enum ReflectionCmd {
    /// Start a reflection; prints its id.
    Add {
        session: String,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "", value_parser = text_arg)]
        text: String,
        #[arg(long, default_value = "export")]
        scope: String,
    },
    /// Type into a reflection live from standard input, line by line: each line is durable
    /// (journaled) at once and acknowledged with `typed<TAB>N` on stdout; commits follow the
    /// commit policy (a 2 s pause, 10 s of typing) and end of input.
    Write { session: String, reflection: String },
    /// Correct a reflection's title or scope; what is not given stays as it is.
    Edit {
        session: String,
        reflection: String,
        #[arg(long)]
        title: Option<String>,
        /// group or export.
        #[arg(long)]
        scope: Option<String>,
    },
    /// Withdraw a reflection: it leaves the current notebook, `show` and every export at once. Honestly: the document's history keeps it (`show --as-of` an earlier day still shows it), and devices that already synced it keep their copy. Only whoever started it, or the convener with
    /// --as-convener.
    Withdraw {
        session: String,
        reflection: String,
        #[arg(long)]
        as_convener: bool,
    },
    /// Add text at the end of a reflection.
    Append {
        session: String,
        reflection: String,
        #[arg(long, value_parser = text_arg)]
        text: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum StoryCmd {
    /// Tell a story; prints its id.
    Add {
        session: String,
        #[arg(long)]
        title: String,
        #[arg(long, value_parser = text_arg)]
        text: String,
        /// Who told it (default: you).
        #[arg(long)]
        teller: Option<String>,
        #[arg(long, default_value = "export")]
        scope: String,
    },
    /// Correct a story's title or scope; what is not given stays as it is.
    Edit {
        session: String,
        story: String,
        #[arg(long)]
        title: Option<String>,
        /// group or export.
        #[arg(long)]
        scope: Option<String>,
    },
    /// Withdraw a story with its retellings (or, with --retelling, one retelling): it leaves the current notebook, `show` and every export at once. Honestly: the document's history keeps it (`show --as-of` an earlier day still shows it), and devices that already synced it keep their copy.
    /// Only its teller or whoever recorded it, or the convener with --as-convener.
    Withdraw {
        session: String,
        story: String,
        /// Only this retelling (id prefix).
        #[arg(long)]
        retelling: Option<String>,
        #[arg(long)]
        as_convener: bool,
    },
    /// Correct the angle a retelling is told from.
    Angle {
        session: String,
        story: String,
        /// The retelling (id prefix).
        retelling: String,
        angle: String,
    },
    /// Retell a story from another angle; prints the retelling's id.
    Retell {
        session: String,
        story: String,
        #[arg(long)]
        angle: String,
        #[arg(long, value_parser = text_arg)]
        text: String,
        #[arg(long)]
        teller: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum QuestionCmd {
    /// Raise a held question; prints its id.
    Add {
        #[arg(long, value_parser = text_arg)]
        text: String,
        /// The session it was raised in.
        #[arg(long)]
        session: Option<String>,
    },
    /// Add a dated note to a question's trail.
    Note {
        question: String,
        #[arg(long, value_parser = text_arg)]
        text: String,
        #[arg(long)]
        session: Option<String>,
    },
    /// Set a question's status: open, resting, answered or let-go.
    Status {
        question: String,
        status: String,
        #[arg(long)]
        session: Option<String>,
    },
    /// List questions: id, status, text.
    List,
    /// Withdraw a held question with its trail: it leaves the current notebook, `show` and every export at once. Honestly: the document's history keeps it (`show --as-of` an earlier day still shows it), and devices that already synced it keep their copy. Only whoever raised it, or a convener
    /// with --as-convener.
    Withdraw {
        question: String,
        #[arg(long)]
        as_convener: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum LearningCmd {
    /// Record a learning; prints its id.
    Add {
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "", value_parser = text_arg)]
        text: String,
        /// Sessions it came from (repeatable).
        #[arg(long)]
        session: Vec<String>,
    },
    /// Correct a learning's title or the sessions it came from (--session replaces them
    /// all; repeatable); what is not given stays as it is.
    Edit {
        learning: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        session: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum InviteCmd {
    /// Every invite: id, who made it, for whom, uses taken of allowed, until when, and
    /// whether it is open (tab-separated).
    List,
    /// Cancel an invite (your own; a host may cancel any): nobody joins with it any more.
    Cancel {
        /// The invite, by id prefix (from `invite list`).
        invite: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum MemberCmd {
    /// Make a member a host, or with --off stop them being one. Hosts remove members,
    /// re-admit them, cancel any invite and change who hosts; the notebook's creator is
    /// its first host, and the last host stays one.
    Host {
        /// The member, by name or id prefix.
        member: String,
        /// Stop them being a host.
        #[arg(long)]
        off: bool,
    },
    /// Remove a member. Once the removal has reached a device, that device sends nothing
    /// more to the removed member's devices, nor to any device they admit from then on or
    /// while the removal was on its way (such admissions do not count anywhere). What they
    /// already had stays with them: removal cannot take back what was shared before. Only a
    /// host removes members (never the last host), and every invite open at the removal
    /// closes (the removed member may hold its ticket): make new ones for those still to come.
    Remove {
        /// The member, by name or id prefix.
        member: String,
    },
    /// Re-admit a removed member on purpose (their devices with them). Only a host can.
    Readmit {
        /// The member, by name or id prefix.
        member: String,
    },
    /// Correct a member's name, sector or role; what is not given stays as it is.
    Edit {
        /// The member, by name or id prefix.
        member: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        sector: Option<String>,
        #[arg(long)]
        role: Option<String>,
    },
    /// Merge two member entries that are one person (added twice): MEMBER counts as INTO
    /// from now on — turns, reflections, attendance, devices and voices — and leaves the list.
    Merge {
        /// The entry to merge, by name or id prefix (`stones members` lists ids).
        member: String,
        /// The entry to keep.
        #[arg(long)]
        into: String,
    },
    /// Add a member without a device of their own (their turns recorded by others); prints the id.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        sector: String,
        #[arg(long, default_value = "")]
        role: String,
    },
}

/// A text given as `-` is read from standard input (to its end), so what a person wrote
/// never shows in the process list or the shell's history: `stones checkin S --text - < turn.txt`.
fn text_arg(given: &str) -> Result<String, String> {
    if given != "-" {
        return Ok(given.to_string());
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
        .map_err(|e| format!("reading the text from standard input: {e}"))?;
    Ok(text.strip_suffix('\n').unwrap_or(&text).to_string())
}
