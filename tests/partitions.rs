//! Partitions and a bad network (issue 14): three devices, each `stones serve` in a network
//! namespace of its own, reach each other only through a router namespace the test builds,
//! where `tests/net/forwarder.py` carries their UDP (the kernel here has no netem, so loss,
//! delay and reordering happen there). Links are cut and restored with `ip link set
//! down/up` while every device keeps writing; then every pair loses a fifth of its packets
//! with delay and jitter. Every edit a command acknowledged must end on every device, once;
//! and once a link is down no device claims to be caught up with a peer across it.
//! Needs root (namespaces): without it the test says so and, under `CI=true`, fails.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Device, bin, founded, join};
use iroh_tickets::Ticket;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const NODES: usize = 3;

fn ip(args: &[&str]) -> Result<(), String> {
    let out = Command::new("ip")
        .args(args)
        .output()
        .map_err(|e| format!("running ip {args:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ip {args:?}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// The router namespace and one namespace per node, each node on its own link to the
/// router (10.204.i.1 ↔ 10.204.i.254), which does not route. Deleted on drop.
struct Topology {
    tag: u32,
}

impl Topology {
    fn create() -> Result<Topology, String> {
        let t = Topology {
            tag: std::process::id() % 100_000,
        };
        ip(&["netns", "add", &t.router()])?;
        for i in 1..=NODES {
            let (ns, node_end, router_end) = (t.node(i), t.node_link(i), t.router_link(i));
            ip(&["netns", "add", &ns])?;
            ip(&[
                "link",
                "add",
                &node_end,
                "type",
                "veth",
                "peer",
                "name",
                &router_end,
            ])?;
            ip(&["link", "set", &node_end, "netns", &ns])?;
            ip(&["link", "set", &router_end, "netns", &t.router()])?;
            let (node_addr, router_addr) =
                (format!("10.204.{i}.1/24"), format!("10.204.{i}.254/24"));
            ip(&["-n", &ns, "addr", "add", &node_addr, "dev", &node_end])?;
            ip(&[
                "-n",
                &t.router(),
                "addr",
                "add",
                &router_addr,
                "dev",
                &router_end,
            ])?;
            for (space, dev) in [(&ns, &node_end), (&t.router(), &router_end)] {
                ip(&["-n", space, "link", "set", "lo", "up"])?;
                ip(&["-n", space, "link", "set", dev, "up"])?;
            }
            // `lan` mode looks for a default-route interface (mDNS finds nobody here).
            ip(&["-n", &ns, "route", "add", "default", "dev", &node_end])?;
            ip(&["-n", &ns, "route", "add", "224.0.0.0/4", "dev", &node_end])?;
        }
        Ok(t)
    }

    fn router(&self) -> String {
        format!("stones-rt-{}", self.tag)
    }
    fn node(&self, i: usize) -> String {
        format!("stones-n{i}-{}", self.tag)
    }
    fn node_link(&self, i: usize) -> String {
        format!("sn{i}x{}", self.tag)
    }
    fn router_link(&self, i: usize) -> String {
        format!("sr{i}x{}", self.tag)
    }

    /// Takes node `i`'s link down (or up) at the router.
    fn set_link(&self, i: usize, up: bool) {
        let state = if up { "up" } else { "down" };
        ip(&[
            "-n",
            &self.router(),
            "link",
            "set",
            &self.router_link(i),
            state,
        ])
        .unwrap();
    }

    /// `stones` inside node `i`'s namespace, in `lan` mode.
    fn stones(&self, i: usize, d: &Device, args: &[&str]) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.node(i)])
            .arg(bin())
            .args(args)
            .env("STONES_HOME", d.path())
            .env("STONES_NET", "lan")
            .env_remove("STONES_NOTEBOOK")
            .stdin(Stdio::null());
        c
    }
}

impl Drop for Topology {
    fn drop(&mut self) {
        for i in 1..=NODES {
            let _ = ip(&["netns", "del", &self.node(i)]);
        }
        let _ = ip(&["netns", "del", &self.router()]);
    }
}

/// The forwarder in the router namespace.
struct Forwarder {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

impl Forwarder {
    fn start(t: &Topology, ports: &[u16]) -> Forwarder {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/net/forwarder.py");
        let mut child = Command::new("ip")
            .args(["netns", "exec", &t.router(), "python3", "-u", script])
            .arg(NODES.to_string())
            .args(ports.iter().map(|p| p.to_string()))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let (tx, lines) = channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for l in BufReader::new(out).lines().map_while(|l| l.ok()) {
                let _ = tx.send(l);
            }
        });
        let f = Forwarder {
            child,
            stdin,
            lines,
        };
        let first = f.lines.recv_timeout(Duration::from_secs(30)).unwrap();
        assert_eq!(first, "ready");
        f
    }

    fn say(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").unwrap();
        self.stdin.flush().unwrap();
    }

    /// (forwarded, dropped, reordered) so far.
    fn stats(&mut self) -> (u64, u64, u64) {
        self.say("stats");
        let line = self.lines.recv_timeout(Duration::from_secs(10)).unwrap();
        let n: Vec<u64> = line
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        (n[0], n[1], n[2])
    }
}

impl Drop for Forwarder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Node `j` as node `i` reaches it: through the router's socket for the pair.
fn ticket_via_router(i: usize, j: usize, device_hex: &str) -> String {
    let bytes: [u8; 32] = (0..32)
        .map(|k| u8::from_str_radix(&device_hex[2 * k..2 * k + 2], 16).unwrap())
        .collect::<Vec<u8>>()
        .try_into()
        .unwrap();
    let id = iroh::PublicKey::from_bytes(&bytes).unwrap();
    let at: std::net::SocketAddr = format!("10.204.{i}.254:{}", 47000 + 10 * i + j)
        .parse()
        .unwrap();
    iroh_tickets::endpoint::EndpointTicket::new(iroh::EndpointAddr::new(id).with_ip_addr(at))
        .encode_string()
}

/// A `stones serve` in a namespace, killed on drop.
struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Group {
    topo: Topology,
    devices: Vec<Device>,
    ids: Vec<String>,
    session: String,
    reflection: String,
    /// Every token an edit command acknowledged (exit status 0).
    acknowledged: Vec<String>,
}

impl Group {
    fn serve(&self, i: usize) -> Serve {
        let log = std::fs::File::create(self.devices[i - 1].serve_log()).unwrap();
        let mut child = self
            .topo
            .stones(i, &self.devices[i - 1], &["serve"])
            .env("STONES_LOG", "stones_sync=debug")
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.starts_with("listening"), "serve {i} printed {line:?}");
        Serve(child)
    }

    fn run(&self, i: usize, args: &[&str]) -> std::process::Output {
        self.topo
            .stones(i, &self.devices[i - 1], args)
            .output()
            .unwrap()
    }

    /// Node `i` appends a token to the shared reflection; kept if the command succeeded.
    fn edit(&mut self, i: usize, label: &str) {
        let token = format!("[n{i}-{label}]");
        let text = format!(" {token}");
        let out = self.run(
            i,
            &[
                "reflection",
                "append",
                &self.session,
                &self.reflection,
                "--text",
                &text,
            ],
        );
        assert!(
            out.status.success(),
            "node {i} could not write offline: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.acknowledged.push(token);
    }

    fn show(&self, i: usize) -> String {
        let out = self.run(i, &["show", &self.session]);
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    }

    /// The peers node `i`'s running node says it is caught up with.
    fn caught_up_with(&self, i: usize) -> Vec<String> {
        let out = self.run(i, &["status"]);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f.len() >= 3 && f[0] == "peer" && f[2] == "caught-up").then(|| f[1].to_string())
            })
            .collect()
    }

    /// No claim of being caught up across the cut around node `cut`.
    fn no_claim_across(&self, cut: usize) -> Result<(), String> {
        for i in 1..=NODES {
            for peer in self.caught_up_with(i) {
                let j = self.ids.iter().position(|d| *d == peer).map(|p| p + 1);
                if i == cut || j == Some(cut) {
                    return Err(format!("node {i} claims to be caught up with node {j:?}"));
                }
            }
        }
        Ok(())
    }

    /// Waits until each of `nodes` holds every token acknowledged so far.
    fn converge(&self, nodes: &[usize], secs: u64) {
        self.wait_for(nodes, &self.acknowledged, secs);
    }

    /// Waits until each of `nodes` holds every one of `tokens`.
    fn wait_for(&self, nodes: &[usize], tokens: &[String], secs: u64) {
        let start = Instant::now();
        for &i in nodes {
            loop {
                let shown = self.show(i);
                let missing: Vec<&String> = tokens
                    .iter()
                    .filter(|t| !shown.contains(t.as_str()))
                    .collect();
                if missing.is_empty() {
                    break;
                }
                assert!(
                    start.elapsed() < Duration::from_secs(secs),
                    "node {i} still lacks {} acknowledged edits after {secs} s: {missing:?}",
                    missing.len()
                );
                std::thread::sleep(Duration::from_millis(300));
            }
        }
    }
}

#[test]
fn cut_links_and_a_lossy_network_converge_with_every_acknowledged_edit_kept() {
    let topo = match Topology::create() {
        Ok(t) => t,
        Err(e) => {
            let msg = format!("the partition test needs root to create network namespaces: {e}");
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("{msg}");
            }
            eprintln!("skipping: {msg}");
            return;
        }
    };
    // The group forms over loopback first.
    let devices: Vec<Device> = (0..NODES).map(|_| Device::new()).collect();
    let (session, reflection) = founded(&devices[0]);
    {
        let _serve = devices[0].serve();
        join(&devices[0], &devices[1], "Bea");
        join(&devices[0], &devices[2], "Cal");
    }
    let ids: Vec<String> = devices.iter().map(|d| d.ok(&["id"])).collect();
    let ports: Vec<u16> = devices
        .iter()
        .map(|d| {
            let store = stones_store::Store::open(d.path()).unwrap();
            stones_sync::net::port(&store).unwrap()
        })
        .collect();
    let mut forwarder = Forwarder::start(&topo, &ports);
    let mut g = Group {
        topo,
        devices,
        ids,
        session,
        reflection,
        acknowledged: Vec::new(),
    };
    // Each device learns where the others are (through the router) by one sync, then serves.
    let _serve_a = g.serve(1);
    let to_a = ticket_via_router(2, 1, &g.ids[0]);
    let out = g.run(2, &["sync", "--peer", &to_a, "--timeout", "60"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _serve_b = g.serve(2);
    let (c_to_a, c_to_b) = (
        ticket_via_router(3, 1, &g.ids[0]),
        ticket_via_router(3, 2, &g.ids[1]),
    );
    let out = g.run(
        3,
        &[
            "sync",
            "--peer",
            &c_to_a,
            "--peer",
            &c_to_b,
            "--timeout",
            "60",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _serve_c = g.serve(3);
    let start = Instant::now();
    while !(1..=NODES).all(|i| g.caught_up_with(i).len() == NODES - 1) {
        if start.elapsed() > Duration::from_secs(60) {
            let status: Vec<String> = (1..=NODES)
                .map(|i| {
                    let st = String::from_utf8_lossy(&g.run(i, &["status"]).stdout).into_owned();
                    let log = std::fs::read_to_string(g.devices[i - 1].serve_log()).unwrap();
                    format!("{st}\n{log}")
                })
                .collect();
            forwarder.say("directions");
            let directions = forwarder.lines.recv_timeout(Duration::from_secs(10));
            panic!("not every node is caught up with both others: {directions:?} {status:#?}");
        }
        std::thread::sleep(Duration::from_millis(300));
    }

    // Cuts: each node in turn is cut off while everyone writes.
    for (round, cut) in (1..=NODES).enumerate() {
        g.topo.set_link(cut, false);
        let cut_at = Instant::now();
        // Nothing is written yet, so only the silence on the link can end the claims: within
        // the silence limit (6 s) the connections across the cut close, and from then on
        // nobody claims to be caught up across it, while everyone writes.
        common::eventually("the claims across the cut to end", 20, || {
            g.no_claim_across(cut).is_ok()
        });
        eprintln!(
            "cut {round}: no claim across it {} ms after the link went down",
            cut_at.elapsed().as_millis()
        );
        for k in 0..3 {
            for i in 1..=NODES {
                g.edit(i, &format!("cut{round}-b{k}"));
                g.no_claim_across(cut).unwrap();
            }
        }
        // The two still connected keep each other current (the cut one cannot be).
        let others: Vec<usize> = (1..=NODES).filter(|i| *i != cut).collect();
        let cut_off = format!("[n{cut}-cut{round}");
        let reachable: Vec<String> = (g.acknowledged.iter())
            .filter(|t| !t.starts_with(&cut_off))
            .cloned()
            .collect();
        g.wait_for(&others, &reachable, 90);
        g.no_claim_across(cut).unwrap();
        g.topo.set_link(cut, true);
        g.converge(&[1, 2, 3], 120);
    }

    // Loss, delay and reordering on every pair.
    for (i, j) in [(1, 2), (1, 3), (2, 3)] {
        forwarder.say(&format!("rule {i} {j} 0.2 30 60"));
    }
    for k in 0..4 {
        for i in 1..=NODES {
            g.edit(i, &format!("lossy{k}"));
        }
    }
    g.converge(&[1, 2, 3], 180);
    let (forwarded, dropped, reordered) = forwarder.stats();
    eprintln!(
        "edits acknowledged {}; packets forwarded {forwarded}, dropped {dropped}, reordered {reordered}",
        g.acknowledged.len()
    );
    assert!(dropped > 0 && reordered > 0, "the network was not lossy");

    // Everything acknowledged is on every device, exactly once, and the devices agree.
    let views: Vec<String> = (1..=NODES).map(|i| g.show(i)).collect();
    for t in &g.acknowledged {
        for (i, v) in views.iter().enumerate() {
            assert_eq!(
                v.matches(t.as_str()).count(),
                1,
                "node {} holds {t} once",
                i + 1
            );
        }
    }
    assert_eq!(views[0], views[1]);
    assert_eq!(views[1], views[2]);
}
