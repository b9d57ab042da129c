//! The bytes a store keeps for a session's [`RawTally`], so a fresh process counts voices
//! over four years without loading every session. Damaged bytes are an error (the caller
//! then reads the document again), never a panic.

use super::{Counts, RawTally};
use crate::bytes::{Reader, put_bytes};
use crate::error::Result;
use crate::ids::MemberId;
use automerge::ActorId;

const VERSION: u8 = 1;

/// Encodes a raw tally.
pub fn encode(t: &RawTally) -> Vec<u8> {
    let mut out = vec![VERSION];
    out.extend_from_slice(&(t.turns.len() as u32).to_be_bytes());
    for (m, c) in &t.turns {
        out.extend_from_slice(&m.0);
        for n in [c.turns, c.passes, c.turn_words] {
            out.extend_from_slice(&n.to_be_bytes());
        }
    }
    out.extend_from_slice(&(t.written.len() as u32).to_be_bytes());
    for (actor, words) in &t.written {
        put_bytes(&mut out, actor.to_bytes());
        out.extend_from_slice(&words.to_be_bytes());
    }
    out
}

/// Decodes what [`encode`] wrote.
pub fn decode(bytes: &[u8]) -> Result<RawTally> {
    let mut r = Reader::new(bytes, "voices tally");
    if r.u8()? != VERSION {
        return Err(r.bad("unknown version"));
    }
    let mut t = RawTally::default();
    for _ in 0..r.count(28)? {
        let member = MemberId(r.array()?);
        let c = Counts {
            turns: r.u32()?,
            passes: r.u32()?,
            turn_words: r.u32()?,
            ..Counts::default()
        };
        t.turns.insert(member, c);
    }
    for _ in 0..r.count(8)? {
        let actor = ActorId::from(r.bytes()?);
        t.written.insert(actor, r.u32()?);
    }
    r.finish()?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_survives_the_round_trip_and_damage_is_an_error() {
        let mut t = RawTally::default();
        t.turns.insert(
            MemberId([7; 16]),
            Counts {
                turns: 2,
                passes: 1,
                turn_words: 40,
                ..Counts::default()
            },
        );
        t.written.insert(ActorId::from(&[1u8; 16][..]), 120);
        t.written.insert(ActorId::from(&[2u8; 20][..]), 3);
        let bytes = encode(&t);
        assert_eq!(decode(&bytes).unwrap(), t);
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut} decoded");
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(decode(&long).is_err());
        let mut huge = bytes;
        huge[1..5].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(decode(&huge).is_err());
    }
}
