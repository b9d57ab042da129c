//! How much one change, one document and one text may hold. A member's device that writes
//! valid automerge of an abusive size (10 MB in one check-in turn: 10 million operations)
//! would otherwise cost every other device gigabytes of memory and a minute per sync
//! (measured: docs/reliability.md, schema abuse). Our own writers stay under these limits
//! ([`MAX_TEXT_CHARS`] on every text edit); what a peer sends beyond them is refused with a
//! reason, and the rest of what it sent is taken (`signed::screen`).

/// Characters one text field may hold (a turn, a reflection, a story, notes…): about
/// 30,000 words, far beyond anything said in a session. Checked on every edit.
pub const MAX_TEXT_CHARS: usize = 200_000;

/// Operations one change may carry, as received from a peer: room for two texts at
/// [`MAX_TEXT_CHARS`] pasted into one commit, and more.
pub const MAX_CHANGE_OPS: usize = 1 << 19;

/// Operations one document may hold, as received from a peer: the whole four-year notebook
/// kept as one document held 2.28 M; one session document of it holds about 1/200 of that.
pub const MAX_DOC_OPS: u64 = 1 << 21;

/// Operations one device's writing may hold in one document, as received from a peer: a
/// quarter of [`MAX_DOC_OPS`], so one member alone cannot fill a document for everyone.
pub const MAX_DEVICE_SHARE_OPS: u64 = MAX_DOC_OPS / 4;

/// The most operations a host's index change may carry to be taken beyond the document's
/// limits (a removal, a cancelled invite: a few dozen).
pub const HOST_CHANGE_OPS: usize = 4_096;

/// Room beyond [`MAX_DOC_OPS`] kept for hosts' small index changes, so a member who filled
/// the index can still be removed.
pub const HOST_ROOM_OPS: u64 = 1 << 16;

/// Refuses a text that would grow past [`MAX_TEXT_CHARS`].
pub fn check_text_len(chars: usize) -> crate::error::Result<()> {
    if chars > MAX_TEXT_CHARS {
        return Err(crate::error::DocError::TooLong {
            chars,
            max: MAX_TEXT_CHARS,
        });
    }
    Ok(())
}
