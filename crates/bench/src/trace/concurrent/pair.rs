//! Two devices' protocol cores meeting in memory: a connection is opened, every message
//! one core sends is handed to the other in order (as on one QUIC stream) until neither
//! has more to say, both must report the notebook caught up, and the connection closes.

use anyhow::{Result, bail};
use stones_sync::core::{ConnId, Core, Output};
use stones_sync::replica::EngineReplica;

/// Syncs `x` (the dialler) with `y` over a fresh connection `conn`; returns the bytes sent
/// both ways.
pub fn sync_pair(
    x: &mut Core<EngineReplica>,
    y: &mut Core<EngineReplica>,
    conn: ConnId,
) -> Result<u64> {
    let (dx, dy) = (x.replica.store().device(), y.replica.store().device());
    x.opened(conn, dy, true);
    y.opened(conn, dx, false);
    let mut bytes = 0u64;
    loop {
        let sent = deliver(x, y, conn)? + deliver(y, x, conn)?;
        if sent == 0 {
            break;
        }
        bytes += sent;
    }
    if !x.caught_up(conn) || !y.caught_up(conn) {
        bail!("the devices went quiet without catching up");
    }
    x.closed(conn, "done");
    y.closed(conn, "done");
    x.take_output()?;
    y.take_output()?;
    Ok(bytes)
}

/// Hands what `from` has to send to `to`; returns the bytes.
fn deliver(
    from: &mut Core<EngineReplica>,
    to: &mut Core<EngineReplica>,
    conn: ConnId,
) -> Result<u64> {
    let mut bytes = 0u64;
    for out in from.take_output()? {
        match out {
            Output::Send { msg, .. } => {
                bytes += msg.len() as u64;
                to.received(conn, &msg);
            }
            Output::Close { reason, .. } => bail!("a device closed the connection: {reason}"),
            Output::Event(_) => {}
        }
    }
    Ok(bytes)
}
