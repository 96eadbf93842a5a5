//! F.743.24 I.2: Bob's CU and Alice's PU1 authenticate each other with three sealed
//! messages and a temporary key pair, looking each other's keys up on the ledger (the SDK's
//! handshake over [`ChainLedger`]); a tampered M2 and a replayed M3 are rejected. Alice then
//! grants the session's temporary key to the CU on chain, with an expiry (SeR-7, SeR-9).
use super::registration::{user_id, Registered};
use super::{expect_ok, id_topic, refused, value};
use crate::chain::Chain;
use crate::ledger::ChainLedger;
use crate::transcript::{short, Transcript};
use anyhow::{bail, ensure};
use shared_types::{GrantId, Permissions};
use sharing_policy::Error as SharingError;
use vssi_sdk::handshake::{CuHandshake, DeviceIdentity, HandshakeError, PuHandshake};

/// How long the temporary key is granted for: 30 minutes.
pub const GRANT_MS: u64 = 30 * 60_000;

/// I.2 steps 1-8, the rejected tampering and replay, and the on-chain grant of the
/// temporary key.
pub fn handshake<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    r: &Registered,
) -> anyhow::Result<()> {
    let registry = r.suite.devices.0.address_bytes();
    let cu = || DeviceIdentity {
        registry,
        id: r.cu.id,
        keys: &r.cu.keys,
    };
    let pu1 = || DeviceIdentity {
        registry,
        id: r.pu1.id,
        keys: &r.pu1.keys,
    };
    macro_rules! ledger {
        ($asker:expr) => {
            &mut ChainLedger {
                chain: &mut *chain,
                asker: $asker,
                suite: &r.suite,
            }
        };
    }

    // A first attempt whose M2 is tampered with on the way.
    let (cu_side, m1) = CuHandshake::start(cu(), r.pu1.id, ledger!(&r.bob))?;
    let (_, mut m2) = PuHandshake::respond(pu1(), &m1, ledger!(&r.alice))?;
    m2[40] ^= 0x01;
    match cu_side.confirm(&m2) {
        Err(HandshakeError::Undecryptable) => {}
        other => bail!("tampered M2 accepted: {:?}", other.map(|(s, _)| s)),
    }
    t.step(
        "F.743.24 I.2 step 8 refusal",
        "Bob's CU",
        "receives an M2 altered in transit",
        "rejected: does not decrypt",
    );

    let (cu_side, m1) = CuHandshake::start(cu(), r.pu1.id, ledger!(&r.bob))?;
    t.step(
        "F.743.24 I.2 steps 1-3",
        "Bob's CU",
        &format!(
            "looks up K_pub of PU1 {} on the ledger, sends M1 sealed to it",
            short(&r.pu1.id.0)
        ),
        &format!("{} bytes", m1.len()),
    );
    let (pu_side, m2) = PuHandshake::respond(pu1(), &m1, ledger!(&r.alice))?;
    let temporary = pu_side.temporary_keys();
    t.step(
        "F.743.24 I.2 steps 4-7",
        "Alice's PU1",
        "opens M1, checks the CU's signature and its key on the ledger, generates a temporary key pair, sends M2",
        &format!("temporary key {}", short(&temporary.signing.0)),
    );
    let (cu_session, m3) = cu_side.confirm(&m2)?;
    let pu_session = pu_side.finish(&m3)?;
    ensure!(cu_session == pu_session, "the two sides disagree");
    t.step(
        "F.743.24 I.2 step 8",
        "Bob's CU / Alice's PU1",
        "M3 with nonce+2 under the temporary key; both sides verified",
        "mutually authenticated",
    );

    // The M3 of that session, replayed into a new one.
    let (_, m1) = CuHandshake::start(cu(), r.pu1.id, ledger!(&r.bob))?;
    let (fresh, _) = PuHandshake::respond(pu1(), &m1, ledger!(&r.alice))?;
    ensure!(
        fresh.finish(&m3).err() == Some(HandshakeError::Undecryptable),
        "replayed M3 accepted"
    );
    t.step(
        "F.743.24 I.2 step 8 refusal",
        "Alice's PU1",
        "receives the previous session's M3 again",
        "rejected: sealed to another temporary key",
    );

    // SeR-7: Alice's VSS grants the temporary key to Bob's CU on chain.
    let sharing = &r.suite.sharing;
    let expires = chain.now() + GRANT_MS;
    let observe = |chain: &mut C| sharing.grant(chain, &r.operator, GrantId(0));
    refused(
        chain,
        t,
        "F.743.24 SeR-7 refusal",
        "Bob",
        "grants his CU access to Alice's PU1 himself",
        observe,
        |chain| {
            sharing.grant_device(
                chain,
                &r.bob,
                r.pu1.id,
                r.cu.id,
                temporary.signing,
                Permissions::VIEW,
                expires,
            )
        },
        SharingError::NotController,
    )?;
    let called = sharing.grant_device(
        chain,
        &r.alice,
        r.pu1.id,
        r.cu.id,
        temporary.signing,
        Permissions::VIEW,
        expires,
    )?;
    expect_ok(
        t,
        "F.743.24 SeR-7, SeR-9",
        "Alice",
        "grants Bob's CU the session's temporary key for PU1, view only, 30 minutes",
        &called,
        &r.cu.id.0,
    )?;
    let grant = value(called.value)?;
    ensure!(
        sharing.grant_valid(chain, &r.bob, grant, temporary.signing)? == Ok(()),
        "grant not valid"
    );
    let grant_record = sharing.grant(chain, &r.bob, grant)?;
    ensure!(
        grant_record.map(|g| g.owner) == Ok(user_id(&r.alice)),
        "grant owner"
    );
    let revoked = sharing.revoke_grant(chain, &r.alice, grant)?;
    expect_ok(
        t,
        "F.743.24 SeR-7",
        "Alice",
        "revokes the grant before it expires",
        &revoked,
        &id_topic(grant),
    )?;
    ensure!(
        sharing.grant_valid(chain, &r.bob, grant, temporary.signing)?
            == Err(SharingError::GrantRevoked),
        "revoked grant still valid"
    );
    t.step(
        "F.743.24 SeR-7",
        "Bob's CU",
        "checks the grant on the ledger",
        "valid until revoked, invalid after",
    );
    Ok(())
}
