//! One QUIC connection on the sync ALPN: a single bidirectional stream carrying length-
//! prefixed frames. The reader hands frames to the worker; the writer sends what the worker
//! queues, and on `Close` says goodbye (already queued as a frame) and closes the connection
//! with the reason.
//!
//! What one peer may cost this device is bounded (issue 14, resource limits): a second
//! stream closes the connection; a frame's buffer grows with the bytes that arrive, not
//! with the length the peer claims; a peer that stops sending in the middle of a frame is
//! cut off after [`STALL_LIMIT`]; and at most [`IN_FLIGHT`] bytes of one connection's frames
//! wait for the worker — the reader stops reading (QUIC's flow control then holds the
//! peer back) until the worker has taken them in, however fast the peer sends.

use super::inbox::{ConnCmd, ToWorker};
use crate::core::ConnId;
use crate::wire::{MAX_FRAME, read_frame_len};
use iroh::endpoint::{Connection, RecvStream, SendStream, VarInt};
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// QUIC close code for an orderly close (the reason says why).
pub const CLOSE_CODE: u32 = 0;

/// Bytes of one connection's frames that may wait for the worker (two frames at the cap).
pub const IN_FLIGHT: usize = 2 * MAX_FRAME;

/// How long a peer may send nothing in the middle of a frame before it is cut off. Between
/// frames a connection may be quiet for as long as it likes (it is live).
pub const STALL_LIMIT: Duration = Duration::from_secs(20);

/// The most a frame's buffer grows by at once.
const READ_CHUNK: usize = 64 << 10;

/// Runs a sync connection until it ends; tells the worker it opened and closed.
pub(crate) async fn run(
    conn: Connection,
    dialed: bool,
    id: ConnId,
    to_worker: Sender<ToWorker>,
    remember: Option<Vec<u8>>,
) {
    let peer = crate::net::device_id(&conn.remote_id());
    let streams = if dialed {
        conn.open_bi().await
    } else {
        conn.accept_bi().await
    };
    let (send, recv) = match streams {
        Ok(s) => s,
        Err(e) => {
            tracing::info!(%peer, error = %e, "connection ended before its stream opened");
            // A peer that refused us at its handshake says why in the close: tell the worker.
            let reason = e.to_string();
            if crate::wire::Refusal::is_refusal(&reason) {
                let _ = to_worker.send(ToWorker::RefusedAtOpen { peer, reason });
            }
            return;
        }
    };
    let (out_tx, out_rx) = unbounded_channel();
    let opened = ToWorker::Opened {
        conn: id,
        peer,
        dialed,
        out: out_tx,
        remember,
    };
    if to_worker.send(opened).is_err() {
        return;
    }
    let reason = tokio::select! {
        r = read_frames(recv, id, &to_worker) => r,
        r = write_frames(send, out_rx) => r,
        r = refuse_more_streams(&conn) => r,
        e = conn.closed() => format!("connection closed: {e}"),
    };
    conn.close(VarInt::from_u32(CLOSE_CODE), reason.as_bytes());
    let _ = to_worker.send(ToWorker::Closed { conn: id, reason });
}

/// Ends (with the reason) when the peer opens a stream beyond the one the protocol uses.
async fn refuse_more_streams(conn: &Connection) -> String {
    let opened = tokio::select! {
        s = conn.accept_bi() => s.is_ok(),
        s = conn.accept_uni() => s.is_ok(),
    };
    if opened {
        "the peer opened a second stream (the sync protocol uses one): cut off".into()
    } else {
        std::future::pending::<String>().await
    }
}

async fn read_frames(mut recv: RecvStream, id: ConnId, to_worker: &Sender<ToWorker>) -> String {
    let budget = Arc::new(Semaphore::new(IN_FLIGHT));
    loop {
        let mut prefix = [0u8; 4];
        if let Err(e) = recv.read_exact(&mut prefix).await {
            return format!("stream ended: {e}");
        }
        let len = match read_frame_len(prefix) {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(conn = id.0, error = %e, "closing connection");
                return e.to_string();
            }
        };
        debug_assert!(len <= MAX_FRAME);
        let body = match read_body(&mut recv, len).await {
            Ok(b) => b,
            Err(reason) => {
                tracing::warn!(conn = id.0, %reason, "closing connection");
                return reason;
            }
        };
        // Wait until the worker has room for this frame: a peer faster than the worker is
        // held back here, not queued in memory.
        let Ok(permit) = budget.clone().acquire_many_owned(len as u32).await else {
            return "the node is shutting down".into();
        };
        if to_worker
            .send(ToWorker::Frame {
                conn: id,
                bytes: body,
                budget: permit,
            })
            .is_err()
        {
            return "the node is shutting down".into();
        }
    }
}

/// Reads a frame's `len` bytes, growing the buffer as they come; a peer silent for
/// [`STALL_LIMIT`] inside the frame is cut off.
async fn read_body(recv: &mut RecvStream, len: usize) -> Result<Vec<u8>, String> {
    let mut body = Vec::with_capacity(len.min(READ_CHUNK));
    let mut chunk = vec![0u8; len.min(READ_CHUNK)];
    while body.len() < len {
        let want = (len - body.len()).min(READ_CHUNK);
        match tokio::time::timeout(STALL_LIMIT, recv.read(&mut chunk[..want])).await {
            Err(_) => {
                return Err(format!(
                    "the peer stopped sending inside a frame ({} of {len} bytes in {} s): cut off",
                    body.len(),
                    STALL_LIMIT.as_secs()
                ));
            }
            Ok(Ok(Some(n))) => body.extend_from_slice(&chunk[..n]),
            Ok(Ok(None)) => return Err("stream ended inside a frame".into()),
            Ok(Err(e)) => return Err(format!("stream ended inside a frame: {e}")),
        }
    }
    Ok(body)
}

async fn write_frames(mut send: SendStream, mut rx: UnboundedReceiver<ConnCmd>) -> String {
    while let Some(cmd) = rx.recv().await {
        match cmd {
            ConnCmd::Frame(f) => {
                if let Err(e) = send.write_all(&f).await {
                    return format!("writing failed: {e}");
                }
            }
            ConnCmd::Close(reason) => {
                let _ = send.finish();
                // Give the goodbye frame a moment to reach the peer before the close.
                let _ = tokio::time::timeout(Duration::from_millis(500), send.stopped()).await;
                return reason;
            }
        }
    }
    "the node is shutting down".into()
}
