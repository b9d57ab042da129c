//! Honouring an invite on the inviting side: check it against the notebook's membership,
//! then add the joiner's member and device and record the redemption in one index edit.

use crate::invite::{Redemption, check_redemption};
use crate::node::inbox::JoinRequest;
use crate::replica::EngineReplica;
use stones_doc::MemberId;
use stones_doc::index::Newcomer;
use stones_store::Store;

/// Admits the joiner, or says why not (the reason is sent to the joiner).
pub(crate) fn admit(replica: &mut EngineReplica, req: &JoinRequest) -> Result<MemberId, String> {
    let Some(view) = replica.view(req.notebook) else {
        return Err(crate::wire::reason::INVITE_UNKNOWN.into());
    };
    let now = Store::now_ms();
    match check_redemption(view, req.invite, &req.secret, req.device, now) {
        Redemption::Refuse(r) => {
            tracing::info!(peer = %req.device, reason = %r, "join refused");
            Err(r)
        }
        Redemption::AlreadyIn(member) => Ok(member),
        Redemption::Admit => {
            let by = view
                .invites
                .iter()
                .find(|i| i.id == req.invite)
                .and_then(|i| i.created_by);
            let result = replica.notebook_mut(req.notebook).and_then(|n| {
                let who = Newcomer {
                    name: &req.name,
                    sector: &req.sector,
                    device: req.device,
                };
                Ok(n.edit_index("admit a new member", |index, _| {
                    index.admit(req.invite, who, by, now)
                })?)
            });
            replica.index_changed(req.notebook);
            match result {
                Ok(member) => {
                    tracing::info!(peer = %req.device, "admitted a new member device");
                    Ok(member)
                }
                Err(e) => Err(format!(
                    "the inviting device could not record the join: {e}"
                )),
            }
        }
    }
}
