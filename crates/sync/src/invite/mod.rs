//! Invites: the ticket a member hands to a newcomer (notebook id, invite id, secret, the name
//! of the member it was made for if any, and the inviter's addresses; text form starting
//! `stones`), and the checks a member device makes before admitting the joiner: the secret's
//! hash, expiry, uses left — and whether the joiner is a member the group already has (an
//! invite made for them, or `join --as NAME`), so one person stays one member.

mod validity;

pub use validity::parse_validity_ms;

use crate::wire::reason;
use iroh::EndpointAddr;
use iroh_tickets::endpoint::EndpointTicket;
use iroh_tickets::{ParseError, Ticket};
use stones_doc::{DeviceId, EntryId, NotebookId, NotebookView};

/// What a newcomer needs to join.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteTicket {
    /// The notebook the invite is into.
    pub notebook: NotebookId,
    /// The invite's id in the notebook's index.
    pub invite: EntryId,
    /// The secret whose hash the index holds.
    pub secret: [u8; 16],
    /// The name of the member the invite was made for (their own device joins with it).
    pub for_name: Option<String>,
    /// Where the inviting device listens.
    pub addr: EndpointAddr,
}

/// Marks a ticket made for a member (see `encode_bytes`).
const FOR_MARKER: u8 = 0xF0;

impl Ticket for InviteTicket {
    const KIND: &'static str = "stones";

    fn encode_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(48 + 64);
        out.extend_from_slice(&self.notebook.0);
        out.extend_from_slice(&self.invite.0);
        out.extend_from_slice(&self.secret);
        if let Some(name) = &self.for_name {
            // A marker no endpoint ticket starts with (its first byte is a small variant
            // number), then the name's length and bytes.
            let mut end = name.len().min(255);
            while !name.is_char_boundary(end) {
                end -= 1;
            }
            out.push(FOR_MARKER);
            out.push(end as u8);
            out.extend_from_slice(&name.as_bytes()[..end]);
        }
        out.extend_from_slice(&EndpointTicket::new(self.addr.clone()).encode_bytes());
        out
    }

    fn decode_bytes(bytes: &[u8]) -> Result<Self, ParseError> {
        if bytes.len() < 48 {
            return Err(ParseError::verification_failed("the invite is too short"));
        }
        let take = |at: usize| {
            let mut a = [0u8; 16];
            a.copy_from_slice(&bytes[at..at + 16]);
            a
        };
        let (for_name, rest) = match bytes[48..].split_first() {
            Some((&FOR_MARKER, rest)) => {
                let (&len, rest) = rest
                    .split_first()
                    .ok_or_else(|| ParseError::verification_failed("the invite is cut short"))?;
                let name = rest
                    .get(..usize::from(len))
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .ok_or_else(|| {
                        ParseError::verification_failed("the invite's name is damaged")
                    })?;
                (Some(name.to_string()), &rest[usize::from(len)..])
            }
            _ => (None, &bytes[48..]),
        };
        let addr = EndpointTicket::decode_bytes(rest)?;
        Ok(InviteTicket {
            notebook: NotebookId(take(0)),
            invite: EntryId(take(16)),
            secret: take(32),
            for_name,
            addr: addr.endpoint_addr().clone(),
        })
    }
}

impl InviteTicket {
    /// Parses the text form, with an error a person can act on.
    pub fn parse(text: &str) -> Result<InviteTicket, crate::SyncError> {
        let text = text.trim();
        if !text.starts_with(Self::KIND) {
            return Err(crate::SyncError::Invite(
                "not an invite: a Stepping Stones invite starts with \"stones\"".into(),
            ));
        }
        Self::decode_string(text).map_err(|e| {
            crate::SyncError::Invite(format!(
                "the invite is damaged ({e}); ask for it to be sent again"
            ))
        })
    }

    /// The text form (starts with `stones`).
    pub fn to_text(&self) -> String {
        self.encode_string()
    }
}

/// The hash kept in the index for an invite's secret.
pub fn secret_hash(secret: &[u8; 16]) -> Vec<u8> {
    blake3::hash(secret).as_bytes().to_vec()
}

/// Why a member device will not honour an invite, or the member already admitted with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Redemption {
    /// Admit: add a member and this device.
    Admit,
    /// Admit this device as the device of a member the group already has.
    AdmitAs(stones_doc::MemberId),
    /// This device already joined with this invite (a retry after a lost answer).
    AlreadyIn(stones_doc::MemberId),
    /// Refuse, with the reason told to the joiner.
    Refuse(String),
}

/// Checks an invite redemption against the index. `as_name` is set when the joiner says
/// they are the member of that name who has no device yet.
pub fn check_redemption(
    view: &NotebookView,
    invite: EntryId,
    secret: &[u8; 16],
    device: DeviceId,
    as_name: Option<&str>,
    now_ms: i64,
) -> Redemption {
    let Some(inv) = view.invites.iter().find(|i| i.id == invite) else {
        return Redemption::Refuse(reason::INVITE_UNKNOWN.into());
    };
    if inv.secret_hash != hex::encode(secret_hash(secret)) {
        return Redemption::Refuse(reason::INVITE_FORGED.into());
    }
    // A device already in (a retry after a lost answer) is told so, even where the invite
    // has closed since.
    if crate::access::is_active_device(view, device)
        && let Some(m) = view.member_of_device(device)
    {
        return Redemption::AlreadyIn(m);
    }
    // The acts decide (the invite map is any member's to edit): whether the invite's act
    // counts, and whether it was cancelled or closed by a removal.
    let terms = view.membership.invite_terms.get(&invite);
    if view.membership.evaluated {
        match terms {
            None => return Redemption::Refuse(reason::INVITE_VOID.into()),
            Some(t) if t.closed.is_some() => {
                return Redemption::Refuse(reason::INVITE_CLOSED.into());
            }
            Some(_) => {}
        }
    }
    // A retry after a lost answer, or a device that is already in: nothing to add.
    if (inv.redeemed_by.contains(&device) || crate::access::is_active_device(view, device))
        && let Some(m) = view.member_of_device(device)
    {
        return Redemption::AlreadyIn(m);
    }
    let expires_at = terms.and_then(|t| t.expires_at).unwrap_or(inv.expires_at);
    if now_ms > expires_at {
        return Redemption::Refuse(reason::INVITE_EXPIRED.into());
    }
    let used_up = match terms {
        Some(t) if t.uses.is_some() => t.uses.is_some_and(|u| t.used >= u),
        _ => inv.uses_left <= 0,
    };
    if used_up {
        return Redemption::Refuse(reason::INVITE_USED_UP.into());
    }
    let deviceless = |m: stones_doc::MemberId| {
        !view
            .devices
            .iter()
            .any(|d| d.member == m && d.revoked_at.is_none())
    };
    if let Some(m) = inv.for_member {
        return match deviceless(m) {
            true => Redemption::AdmitAs(m),
            false => Redemption::Refuse(reason::INVITE_FOR_TAKEN.into()),
        };
    }
    if let Some(name) = as_name {
        return match stones_doc::index::names::same_name(view, name, None) {
            Some(m) if deviceless(m.id) => Redemption::AdmitAs(m.id),
            Some(m) => Redemption::Refuse(format!(
                "{} already has a device of their own: join under your own name",
                m.name
            )),
            None => Redemption::Refuse(format!(
                "there is no member called {name} to join as: join under your own name"
            )),
        };
    }
    Redemption::Admit
}

/// Makes an invite in a notebook (recorded in its index, secret kept only as a hash) and the
/// ticket to hand over. `addr` is where this device can be reached.
pub fn create_invite(
    nb: &mut stones_store::Notebook,
    addr: EndpointAddr,
    uses: u32,
    valid_for_ms: i64,
    for_member: Option<stones_doc::MemberId>,
) -> crate::Result<InviteTicket> {
    let me = nb.me().ok_or_else(|| {
        crate::SyncError::Invite("this device is not a member device of the notebook".into())
    })?;
    if uses == 0 {
        return Err(crate::SyncError::Invite(
            "an invite needs at least one use".into(),
        ));
    }
    let secret: [u8; 16] = rand::random();
    let invite = EntryId::random();
    let hash = secret_hash(&secret);
    nb.edit_index("invite", |index, ctx| {
        index.add_invite(
            invite,
            &hash,
            me,
            ctx.now_ms.saturating_add(valid_for_ms),
            if for_member.is_some() { 1 } else { uses },
            for_member,
            ctx.now_ms,
        )
    })?;
    Ok(InviteTicket {
        notebook: nb.id(),
        invite,
        secret,
        for_name: for_member.map(|m| nb.view().name_of(Some(m))),
        addr,
    })
}
