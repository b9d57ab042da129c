//! One QUIC connection on the sync ALPN: a single bidirectional stream carrying length-
//! prefixed frames. The reader hands frames to the worker; the writer sends what the worker
//! queues, and on `Close` says goodbye (already queued as a frame) and closes the connection
//! with the reason.

use super::inbox::{ConnCmd, ToWorker};
use crate::core::ConnId;
use crate::wire::{MAX_FRAME, read_frame_len};
use iroh::endpoint::{Connection, RecvStream, SendStream, VarInt};
use std::sync::mpsc::Sender;
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// QUIC close code for an orderly close (the reason says why).
pub const CLOSE_CODE: u32 = 0;

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
        e = conn.closed() => format!("connection closed: {e}"),
    };
    conn.close(VarInt::from_u32(CLOSE_CODE), reason.as_bytes());
    let _ = to_worker.send(ToWorker::Closed { conn: id, reason });
}

async fn read_frames(mut recv: RecvStream, id: ConnId, to_worker: &Sender<ToWorker>) -> String {
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
        let mut body = vec![0u8; len];
        if let Err(e) = recv.read_exact(&mut body).await {
            return format!("stream ended inside a frame: {e}");
        }
        if to_worker
            .send(ToWorker::Frame {
                conn: id,
                bytes: body,
            })
            .is_err()
        {
            return "the node is shutting down".into();
        }
    }
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
