//! The join ALPN, both ends: the joiner sends one `Join` frame and reads one answer; the
//! member device's node checks the invite (through the worker, which owns the index) and
//! answers `Joined` or `JoinRefused`. No notebook content crosses this ALPN.

use super::inbox::{JoinRequest, ToWorker};
use crate::error::{Result, SyncError};
use crate::invite::InviteTicket;
use crate::net::JOIN_ALPN;
use crate::wire::{Msg, frame, read_frame_len};
use iroh::Endpoint;
use iroh::endpoint::{Connection, RecvStream, VarInt};
use std::sync::mpsc::Sender;
use std::time::Duration;
use stones_doc::MemberId;
use tokio::sync::oneshot;

/// The largest join frame accepted (names and sectors are short).
const MAX_JOIN_FRAME: usize = 64 * 1024;
const JOIN_TIMEOUT: Duration = Duration::from_secs(20);

async fn read_one(recv: &mut RecvStream) -> Result<Msg> {
    let mut prefix = [0u8; 4];
    recv.read_exact(&mut prefix)
        .await
        .map_err(|e| SyncError::Net(format!("reading the join answer: {e}")))?;
    let len = read_frame_len(prefix).map_err(|e| SyncError::Protocol(e.to_string()))?;
    if len > MAX_JOIN_FRAME {
        return Err(SyncError::Protocol(format!("a join frame of {len} bytes")));
    }
    let mut body = vec![0u8; len];
    recv.read_exact(&mut body)
        .await
        .map_err(|e| SyncError::Net(format!("reading the join frame: {e}")))?;
    Msg::decode(&body).map_err(|e| SyncError::Protocol(e.to_string()))
}

/// Who joins: the name and sector the group will know them by, and whether they are the
/// member already called that who has no device yet.
#[derive(Clone, Debug, Default)]
pub struct Joiner {
    /// Their name (for an invite made for a member, that member's own is kept).
    pub name: String,
    /// Their sector.
    pub sector: String,
    /// They are the existing member called `name` (`stones join --as NAME`).
    pub as_member: bool,
}

impl Joiner {
    /// A newcomer with this name and sector.
    pub fn new(name: &str, sector: &str) -> Joiner {
        Joiner {
            name: name.trim().to_string(),
            sector: sector.trim().to_string(),
            as_member: false,
        }
    }
}

/// Joiner: redeems an invite with the device at the ticket's address.
pub async fn redeem(ep: &Endpoint, ticket: &InviteTicket, who: &Joiner) -> Result<MemberId> {
    let work = async {
        let conn = ep
            .connect(ticket.addr.clone(), JOIN_ALPN)
            .await
            .map_err(|e| SyncError::Net(format!("reaching the inviting device: {e}")))?;
        let (mut send, mut recv) = conn
            .open_bi()
            .await
            .map_err(|e| SyncError::Net(format!("opening the join stream: {e}")))?;
        let join = Msg::Join {
            notebook: ticket.notebook,
            invite: ticket.invite,
            secret: ticket.secret,
            name: who.name.clone(),
            sector: who.sector.clone(),
            as_member: who.as_member,
        };
        send.write_all(&frame(&join.encode()))
            .await
            .map_err(|e| SyncError::Net(format!("sending the join: {e}")))?;
        let _ = send.finish();
        let answer = read_one(&mut recv).await;
        conn.close(VarInt::from_u32(0), b"done");
        match answer? {
            Msg::Joined { member } => Ok(member),
            Msg::JoinRefused { reason } => Err(SyncError::Invite(format!("refused: {reason}"))),
            other => Err(SyncError::Protocol(format!(
                "a {} answer to a join",
                other.name()
            ))),
        }
    };
    tokio::time::timeout(JOIN_TIMEOUT, work)
        .await
        .map_err(|_| SyncError::Net("the inviting device did not answer the join in time".into()))?
}

/// Member device: answers one join connection.
pub(crate) async fn serve(conn: Connection, to_worker: Sender<ToWorker>) {
    let device = crate::net::device_id(&conn.remote_id());
    let work = async {
        let (mut send, mut recv) = conn
            .accept_bi()
            .await
            .map_err(|e| SyncError::Net(e.to_string()))?;
        let req = match read_one(&mut recv).await? {
            Msg::Join {
                notebook,
                invite,
                secret,
                name,
                sector,
                as_member,
            } => JoinRequest {
                notebook,
                invite,
                secret,
                name,
                sector,
                as_member,
                device,
            },
            other => {
                return Err(SyncError::Protocol(format!(
                    "a {} on the join ALPN",
                    other.name()
                )));
            }
        };
        let (reply, answer) = oneshot::channel();
        to_worker
            .send(ToWorker::Redeem { req, reply })
            .map_err(|_| SyncError::Net("the node is shutting down".into()))?;
        let answer = answer
            .await
            .map_err(|_| SyncError::Net("the node is shutting down".into()))?;
        send.write_all(&frame(&answer.encode()))
            .await
            .map_err(|e| SyncError::Net(e.to_string()))?;
        let _ = send.finish();
        Ok::<(), SyncError>(())
    };
    match tokio::time::timeout(JOIN_TIMEOUT, work).await {
        Ok(Ok(())) => {
            // Let the joiner read the answer and close first.
            let _ = tokio::time::timeout(Duration::from_secs(5), conn.closed()).await;
        }
        Ok(Err(e)) => {
            tracing::info!(peer = %device, error = %e, "join connection failed");
            conn.close(VarInt::from_u32(400), e.to_string().as_bytes());
        }
        Err(_) => conn.close(VarInt::from_u32(408), b"join timed out"),
    }
}
