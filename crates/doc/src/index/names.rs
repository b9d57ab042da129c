//! One person, one member: a member's name must be given, short enough to show whole, and
//! unlike every other member's name once case and accents are set aside ("Ann", "ann" and
//! "Ånn" are one name). The way out is said with the refusal.

use super::{MemberView, NotebookView};
use crate::error::{DocError, Result};
use crate::ids::MemberId;
use crate::search::fold::fold;

/// The longest name a member may have, in characters (60-character names must fit on every
/// screen; a little room beyond that).
pub const MAX_NAME_CHARS: usize = 80;

/// The name as it will be kept (trimmed), or why it cannot be: empty, too long, or the name
/// of another member (`except` is the member being renamed).
pub fn check_name(view: &NotebookView, name: &str, except: Option<MemberId>) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DocError::Invalid(
            "name: a member's name must not be empty".into(),
        ));
    }
    let n = name.chars().count();
    if n > MAX_NAME_CHARS {
        return Err(DocError::Invalid(format!(
            "name: {n} characters is too long for a name; keep it to {MAX_NAME_CHARS} or fewer"
        )));
    }
    if let Some(other) = same_name(view, name, except) {
        return Err(DocError::NameTaken {
            name: other.name.clone(),
            has_device: view.devices.iter().any(|d| d.member == other.id),
        });
    }
    Ok(name.to_string())
}

/// The member (merged entries are not in the list) whose name is `name` once case and accents are set
/// aside, other than `except`.
pub fn same_name<'a>(
    view: &'a NotebookView,
    name: &str,
    except: Option<MemberId>,
) -> Option<&'a MemberView> {
    let want = fold(name.trim());
    view.members
        .iter()
        .filter(|m| Some(m.id) != except)
        .find(|m| fold(m.name.trim()) == want)
}
