//! F.743.24 I.5.2: Alice shares a private video from her private DB with Bob's private DB.
//! The ledger holds the resource ID, its hash and the participants {ID_DB1, ID_DB2}; only
//! Bob's DB can take part; Bob decrypts the file and verifies its hash against the ledger.
use super::registration::{user_id, Registered};
use super::resources::{Video, MINUTE};
use super::{expect_ok, refused, value};
use crate::chain::Chain;
use crate::transcript::{short, Transcript};
use anyhow::{anyhow, ensure};
use resource_registry::ResourceRegistration;
use shared_types::{Classification, HashAlgorithm, TimeSpan};
use sharing_policy::{Error as SharingError, PrivateParam, TransferState};
use std::fs;
use std::path::Path;
use vssi_sdk::{encryption, hashing};

/// Size of the private recording.
pub const PRIVATE_VIDEO_BYTES: usize = 4 << 20;

/// I.5.2 steps 1-5 with the refusals of non-participants.
pub fn private_sharing<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    r: &Registered,
    workdir: &Path,
) -> anyhow::Result<()> {
    let (resources, sharing) = (&r.suite.resources, &r.suite.sharing);
    // Step 1: the key of Bob's private DB, from the ledger.
    let db2_keys = r
        .suite
        .devices
        .device_keys(chain, &r.alice, r.bob_db.id)?
        .map_err(|e| anyhow!("{e:?}"))?;
    ensure!(
        db2_keys == r.bob_db.keys.public(),
        "DB2's key on the ledger"
    );
    t.step(
        "F.743.24 I.5.2 step 1",
        "Alice's VSS",
        &format!(
            "looks up K_DB2 of Bob's private DB {}",
            short(&r.bob_db.id.0)
        ),
        "found",
    );

    // Step 2: encrypt to K_DB2, hash, derive ID_v from ID_DB1, put ID_v and Hash_v on chain.
    let now = chain.now();
    let capture = TimeSpan {
        start: now.saturating_sub(30 * MINUTE),
        end: now.saturating_sub(25 * MINUTE),
    };
    let video = Video::record(
        workdir,
        "private-video",
        PRIVATE_VIDEO_BYTES,
        &r.alice_db,
        &db2_keys.encryption,
        capture,
    )?;
    let registration = ResourceRegistration {
        resource: video.resource,
        owner: user_id(&r.alice),
        pu: r.alice_db.id,
        content: video.content(Classification::Private)?,
        provider: None,
        location: Vec::new(),
        owner_signature: None,
        pu_signature: None,
    };
    let called = resources.register_resource(chain, &r.alice, &registration)?;
    expect_ok(
        t,
        "F.743.24 I.5.2 step 2",
        "Alice",
        &format!(
            "encrypts the private video to K_DB2, registers ID_v {} (from ID_DB1) and Hash_v",
            short(&video.resource.0)
        ),
        &called,
        &video.resource.0,
    )?;

    // Step 3: the private transaction.
    let participants = PrivateParam {
        db1: r.alice_db.id,
        db2: r.bob_db.id,
    };
    let opened = sharing.open_private_transfer(chain, &r.alice, video.resource, participants)?;
    expect_ok(
        t,
        "F.743.24 I.5.2 step 3, SeR-13",
        "Alice",
        "opens a private transfer of ID_v with PrivateParm{ID_DB1, ID_DB2}",
        &opened,
        &video.resource.0,
    )?;
    let transfer = value(opened.value)?;

    // Step 4: only the DB named in the parameter takes part.
    let mallory = chain.actor("Mallory")?;
    let observe = |chain: &mut C| sharing.private_transfer(chain, &r.operator, transfer);
    let clause = "F.743.24 I.5.2 step 4 refusal, SeR-14";
    refused(
        chain,
        t,
        clause,
        "Mallory",
        "acknowledges the transfer claiming to be Bob's private DB",
        observe,
        |chain| sharing.acknowledge_private_transfer(chain, &mallory, transfer, r.bob_db.id),
        SharingError::NotController,
    )?;
    refused(
        chain,
        t,
        clause,
        "Bob",
        "acknowledges it as his MCU, which is not in the parameter",
        observe,
        |chain| sharing.acknowledge_private_transfer(chain, &r.bob, transfer, r.mcu.id),
        SharingError::NotParticipant,
    )?;
    refused(
        chain,
        t,
        clause,
        "Alice",
        "acknowledges on Bob's behalf as her own DB",
        observe,
        |chain| sharing.acknowledge_private_transfer(chain, &r.alice, transfer, r.alice_db.id),
        SharingError::NotParticipant,
    )?;
    let acknowledged =
        sharing.acknowledge_private_transfer(chain, &r.bob, transfer, r.bob_db.id)?;
    expect_ok(
        t,
        "F.743.24 I.5.2 step 4",
        "Bob",
        "finds ID_DB2 in the private parameter and takes part",
        &acknowledged,
        &video.resource.0,
    )?;

    // Step 5: decrypt with K_pri of DB2, verify the hash against the ledger.
    let received = workdir.join("private-video-received.enc");
    fs::copy(&video.encrypted, &received)?;
    let mut plain = Vec::new();
    encryption::decrypt(&mut fs::File::open(&received)?, &mut plain, &r.bob_db.keys)?;
    ensure!(
        plain == fs::read(&video.plain)?,
        "decrypted private video differs"
    );
    let computed = hashing::multihash_file(&received, HashAlgorithm::Sha2_256, |_| {})?;
    let completed =
        sharing.complete_private_transfer(chain, &r.bob, transfer, r.bob_db.id, &computed)?;
    expect_ok(
        t,
        "F.743.24 I.5.2 step 5, SeR-15",
        "Bob",
        "decrypts the file with DB2's key, writes it to his private DB, matches its hash with the ledger",
        &completed,
        &video.resource.0,
    )?;
    let state = sharing
        .private_transfer(chain, &r.operator, transfer)?
        .map_err(|e| anyhow!("{e:?}"))?;
    ensure!(
        state.state == TransferState::Verified,
        "transfer: {state:?}"
    );
    t.step(
        "F.743.24 SeR-8",
        "anyone",
        "reads the private transfer",
        "only ID_v, the two DB IDs and the state are public",
    );
    Ok(())
}
