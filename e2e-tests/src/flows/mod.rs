//! The seed's scenarios, each written once against [`crate::chain::Chain`].
pub mod administration;
pub mod divs;
pub mod handshake;
pub mod private;
pub mod registration;
pub mod resources;
pub mod sharing;

use crate::chain::Chain;
use crate::clients::Called;
use crate::transcript::Transcript;
use anyhow::{bail, ensure};
use std::fmt::Debug;

/// A contract's answer, its typed error as an `anyhow` error.
pub fn value<T, E: Debug>(result: Result<T, E>) -> anyhow::Result<T> {
    result.map_err(|e| anyhow::anyhow!("{e:?}"))
}

/// Checks that a transaction succeeded and emitted an event with `topic` (the ID it
/// changed), and records it.
pub fn expect_ok<T, E: Debug>(
    t: &mut Transcript,
    clause: &str,
    actor: &str,
    what: &str,
    called: &Called<Result<T, E>>,
    topic: &[u8; 32],
) -> anyhow::Result<()> {
    if let Err(e) = &called.value {
        bail!("[{clause}] {actor}: {what} failed: {e:?}");
    }
    ensure!(
        !called.outcome.reverted,
        "[{clause}] {what}: reverted without an error"
    );
    ensure!(
        called
            .outcome
            .events
            .iter()
            .any(|e| e.topics.contains(topic)),
        "[{clause}] {what}: no event with topic 0x{}",
        hex::encode(topic)
    );
    t.tx(clause, actor, what, &called.outcome);
    Ok(())
}

/// Checks that a transaction was refused with exactly `expected`, reverted, emitted
/// nothing, and left the observed state as it was (`before` equals `after`).
pub fn expect_refused<T: Debug, E: Debug + PartialEq, S: Debug + PartialEq>(
    t: &mut Transcript,
    clause: &str,
    actor: &str,
    what: &str,
    called: Called<Result<T, E>>,
    expected: E,
    (before, after): (&S, &S),
) -> anyhow::Result<()> {
    ensure!(
        called.value.as_ref().err() == Some(&expected),
        "[{clause}] {what}: expected Err({expected:?}), got {:?}",
        called.value
    );
    ensure!(
        called.outcome.reverted,
        "[{clause}] {what}: refused but not reverted"
    );
    ensure!(
        called.outcome.events.is_empty(),
        "[{clause}] {what}: refused but emitted events"
    );
    ensure!(
        before == after,
        "[{clause}] {what}: state changed on refusal:\n before {before:?}\n after  {after:?}"
    );
    t.step(
        clause,
        actor,
        what,
        &format!(
            "refused with {:?}, state unchanged",
            called.value.unwrap_err()
        ),
    );
    Ok(())
}

/// Observes the state with `observe`, makes the refused `call`, observes again, and checks
/// the refusal with [`expect_refused`].
#[allow(clippy::too_many_arguments)] // the step's labels, the observation, the call, the error
pub fn refused<C: Chain, T: Debug, E: Debug + PartialEq, S: Debug + PartialEq>(
    chain: &mut C,
    t: &mut Transcript,
    clause: &str,
    actor: &str,
    what: &str,
    observe: impl Fn(&mut C) -> anyhow::Result<S>,
    call: impl FnOnce(&mut C) -> anyhow::Result<Called<Result<T, E>>>,
    expected: E,
) -> anyhow::Result<()> {
    let before = observe(chain)?;
    let called = call(chain)?;
    let after = observe(chain)?;
    expect_refused(t, clause, actor, what, called, expected, (&before, &after))
}

/// The event topic of an ID (a `u64` newtype): ink! puts values of up to 32 encoded bytes
/// into a topic as they are, zero-padded.
pub fn id_topic(id: impl Into<u64>) -> [u8; 32] {
    let mut topic = [0u8; 32];
    topic[..8].copy_from_slice(&id.into().to_le_bytes());
    topic
}
