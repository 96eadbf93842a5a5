//! The seed's scenarios, each written once against [`crate::chain::Chain`].
pub mod registration;

use crate::clients::Called;
use crate::transcript::Transcript;
use anyhow::{bail, ensure};
use std::fmt::Debug;

/// Checks that a transaction succeeded and emitted an event with `topic` (the ID it
/// changed), and records it.
pub fn expect_ok<E: Debug>(
    t: &mut Transcript,
    clause: &str,
    actor: &str,
    what: &str,
    called: &Called<Result<(), E>>,
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
pub fn expect_refused<E: Debug + PartialEq, S: Debug + PartialEq>(
    t: &mut Transcript,
    clause: &str,
    actor: &str,
    what: &str,
    called: Called<Result<(), E>>,
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
