//! Honouring an invite on the inviting side: check it against the notebook's membership,
//! then add the joiner's member and device and record the redemption in one index edit — or,
//! for a member the group already has (an invite made for them, or `join --as`), add only
//! the device, so one person stays one member.

use crate::invite::{Redemption, check_redemption};
use crate::node::inbox::JoinRequest;
use crate::replica::EngineReplica;
use stones_doc::index::Newcomer;
use stones_doc::{DocError, MemberId};
use stones_store::{Store, StoreError};

/// Admits the joiner, or says why not (the reason is sent to the joiner).
pub(crate) fn admit(replica: &mut EngineReplica, req: &JoinRequest) -> Result<MemberId, String> {
    let Some(view) = replica.view(req.notebook) else {
        return Err(crate::wire::reason::INVITE_UNKNOWN.into());
    };
    let now = Store::now_ms();
    let as_name = req.as_member.then_some(req.name.as_str());
    let existing = match check_redemption(view, req.invite, &req.secret, req.device, as_name, now) {
        Redemption::Refuse(r) => {
            tracing::info!(peer = %req.device, reason = %r, "join refused");
            return Err(r);
        }
        Redemption::AlreadyIn(member) => return Ok(member),
        Redemption::Admit => None,
        Redemption::AdmitAs(member) => Some(member),
    };
    let by = view
        .invites
        .iter()
        .find(|i| i.id == req.invite)
        .and_then(|i| i.created_by);
    let result = replica.notebook_mut(req.notebook).and_then(|n| {
        Ok(match existing {
            Some(member) => n.edit_index("their own device joins", |index, _| {
                index.admit_device(req.invite, member, req.device, by, now)?;
                Ok(member)
            })?,
            None => {
                let who = Newcomer {
                    name: &req.name,
                    sector: &req.sector,
                    device: req.device,
                };
                n.edit_index("admit a new member", |index, _| {
                    index.admit(req.invite, who, by, now)
                })?
            }
        })
    });
    replica.index_changed(req.notebook);
    match result {
        Ok(member) => {
            tracing::info!(peer = %req.device, "admitted a member device");
            Ok(member)
        }
        Err(crate::SyncError::Store(StoreError::Doc(DocError::NameTaken { name, has_device }))) => {
            Err(crate::wire::reason::name_taken(&name, has_device))
        }
        Err(e) => Err(format!(
            "the inviting device could not record the join: {e}"
        )),
    }
}
