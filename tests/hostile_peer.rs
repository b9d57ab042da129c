//! Resource limits (issue 14): a member's device running hostile software, against a real
//! `stones serve` on 127.0.0.1. It opens a thousand streams; sends frames at the cap, one
//! after another; stops in the middle of a frame. Each time it is cut off with a reason
//! that says what it did, the serving process's memory stays bounded (its peak RSS, read
//! from /proc), and an honest member syncs all the while.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Device, Serve, founded, join, ok_at};
use iroh::endpoint::{Connection, presets};
use std::str::FromStr;
use std::time::{Duration, Instant};
use stones_sync::net::SYNC_ALPN;
use stones_sync::wire::{MAX_FRAME, Msg, PROTOCOL, frame};

/// The serving process's peak resident memory (VmHWM), in MiB.
fn peak_rss_mib(serve: &Serve) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", serve.child.id())).unwrap();
    let kib: u64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap();
    kib / 1024
}

/// The hostile member: the device key of a real member, and software of its own.
struct Hostile {
    rt: tokio::runtime::Runtime,
    ep: iroh::Endpoint,
    addr: iroh::EndpointAddr,
}

impl Hostile {
    fn new(member_home: &Device, serve: &Serve) -> Hostile {
        let secret = stones_store::Store::open(member_home.path())
            .unwrap()
            .identity()
            .secret_bytes();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let ep = rt.block_on(async {
            iroh::Endpoint::builder(presets::Minimal)
                .secret_key(iroh::SecretKey::from_bytes(&secret))
                .relay_mode(iroh::RelayMode::Disabled)
                .clear_ip_transports()
                .bind_addr("127.0.0.1:0")
                .unwrap()
                .bind()
                .await
                .unwrap()
        });
        let ticket = iroh_tickets::endpoint::EndpointTicket::from_str(&serve.ticket).unwrap();
        Hostile {
            rt,
            ep,
            addr: ticket.endpoint_addr().clone(),
        }
    }

    /// Connects and says a proper hello on the first stream; the connection and its stream.
    async fn hello(&self) -> (Connection, iroh::endpoint::SendStream) {
        let conn = self.ep.connect(self.addr.clone(), SYNC_ALPN).await.unwrap();
        let (mut send, mut recv) = conn.open_bi().await.unwrap();
        let hello = Msg::Hello {
            protocol: PROTOCOL,
            notebooks: vec![],
        };
        send.write_all(&frame(&hello.encode())).await.unwrap();
        // Drain what the node says, so its writes never wait on us.
        tokio::spawn(async move {
            let mut buf = vec![0u8; 64 << 10];
            while let Ok(Some(_)) = recv.read(&mut buf).await {}
        });
        (conn, send)
    }

    /// How the node closed the connection, in its words.
    async fn closed(conn: &Connection) -> String {
        tokio::time::timeout(Duration::from_secs(120), conn.closed())
            .await
            .map(|e| e.to_string())
            .unwrap_or_else(|_| "still open after 120 s".into())
    }
}

#[test]
fn a_hostile_member_is_cut_off_with_a_reason_and_memory_stays_bounded() {
    let (a, b, m) = (Device::new(), Device::new(), Device::new());
    let (s, r) = founded(&a);
    let serve = a.serve();
    join(&a, &b, "Bea");
    join(&a, &m, "Mal");
    let hostile = Hostile::new(&m, &serve);
    let before = peak_rss_mib(&serve);

    // An honest member keeps writing and syncing while the attacks run.
    let honest = {
        let (b_path, ticket) = (b.path().to_path_buf(), serve.ticket.clone());
        let (s, r) = (s.clone(), r.clone());
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(600);
            let mut rounds = 0;
            while rounds < 5 && Instant::now() < deadline {
                let text = format!(" [honest {rounds}]");
                ok_at(&b_path, &["reflection", "append", &s, &r, "--text", &text]);
                ok_at(&b_path, &["sync", "--peer", &ticket, "--timeout", "120"]);
                rounds += 1;
            }
            rounds
        })
    };

    // 1. A thousand streams.
    let (opened, reason) = hostile.rt.block_on(async {
        let (conn, _send) = hostile.hello().await;
        let mut opened = 0;
        for _ in 0..1000 {
            let Ok(Ok(mut extra)) =
                tokio::time::timeout(Duration::from_secs(5), conn.open_uni()).await
            else {
                break;
            };
            if extra.write_all(b"x").await.is_err() {
                break;
            }
            opened += 1;
        }
        (opened, Hostile::closed(&conn).await)
    });
    eprintln!("streams: opened {opened} more before the close: {reason}");
    assert!(reason.contains("second stream"), "{reason}");

    // 2. Frames at the cap without end (a refusal whose reason fills the frame: the decoder
    //    takes at most 4096 bytes of words), as fast as the network takes them.
    let (frames, reason) = hostile.rt.block_on(async {
        let (conn, mut send) = hostile.hello().await;
        let filler = Msg::Refused {
            notebook: stones_doc::NotebookId([7; 16]),
            doc: stones_doc::DocId([7; 16]),
            changes: 1,
            reason: "x".repeat(MAX_FRAME - 200),
        };
        let bytes = frame(&filler.encode());
        let mut frames = 0;
        while frames < 200 && send.write_all(&bytes).await.is_ok() {
            frames += 1;
        }
        (frames, Hostile::closed(&conn).await)
    });
    eprintln!("frames at the cap: {frames} written before the close: {reason}");
    assert!(reason.contains("refusal reason"), "{reason}");

    // 3. A frame begun and never finished.
    let reason = hostile.rt.block_on(async {
        let (conn, mut send) = hostile.hello().await;
        let mut prefix = (MAX_FRAME as u32).to_be_bytes().to_vec();
        prefix.extend_from_slice(&[0u8; 1000]);
        send.write_all(&prefix).await.unwrap();
        Hostile::closed(&conn).await
    });
    eprintln!("stalled mid-frame: {reason}");
    assert!(
        reason.contains("stopped sending inside a frame"),
        "{reason}"
    );

    let rounds = honest.join().unwrap();
    assert_eq!(rounds, 5, "the honest member synced five times meanwhile");
    assert!(a.ok(&["show", &s]).contains("[honest 4]"));
    let peak = peak_rss_mib(&serve);
    eprintln!("serve's peak RSS: {before} MiB before the attacks, {peak} MiB after");
    // Two frames at the cap may wait for the worker, one more is being read, and the worker
    // decodes one: well under 200 MiB above where it started.
    assert!(
        peak < before + 200,
        "peak RSS {peak} MiB (from {before} MiB)"
    );
    hostile.rt.block_on(hostile.ep.close());
}
