//! F.743.24 I.5.1 (general sharing under a versioned, paid policy) and I.3 (reading cloud
//! data with an authorization code). Alice publishes policy v1, then v2; Bob signs v2's hash
//! and pays, reads the catalogue, and his accesses are checked and recorded: inside the
//! period and range they succeed, outside they are refused. A segment inside the shared
//! window verifies against the Merkle root on the ledger. Alice sends the video encrypted to
//! Bob's key. The cloud store accepts Alice's authorization code as Bob's CU presents it
//! (answering the store's challenge) and refuses it replayed, forged or expired.
use super::registration::{user_id, Registered};
use super::resources::{Uploaded, SEGMENT_BYTES};
use super::{expect_ok, id_topic, refused, value};
use crate::chain::Chain;
use crate::clients::StatusChange;
use crate::ledger::ChainLedger;
use crate::transcript::{short, Transcript};
use anyhow::{anyhow, ensure};
use shared_types::{payload, AgreementId, Permissions, PolicyTerms, TimeSpan, Window};
use sharing_policy::{Acceptance, Error as SharingError};
use std::fs;
use std::io::{Read, Seek, SeekFrom};
use vssi_sdk::authcode::{AuthorizationCode, CodeError, CodeStore, Presentation};
use vssi_sdk::{encryption, hashing, segments};

/// Price of version 2, in the chain's smallest unit; paid to Alice.
pub const PRICE_V2: u128 = 2_000;

/// A span of block time for the transcript.
fn duration(ms: u64) -> String {
    if ms.is_multiple_of(60_000) {
        format!("{} min", ms / 60_000)
    } else {
        format!("{} s", ms / 1_000)
    }
}

fn segment_of(path: &std::path::Path, index: u32) -> anyhow::Result<Vec<u8>> {
    let mut file = fs::File::open(path)?;
    file.seek(SeekFrom::Start(u64::from(index) * u64::from(SEGMENT_BYTES)))?;
    let mut segment = Vec::new();
    file.take(u64::from(SEGMENT_BYTES))
        .read_to_end(&mut segment)?;
    Ok(segment)
}

/// I.5.1 steps 1-4 with I.3 in between (the code draws on Bob's agreement).
pub fn share<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    r: &Registered,
    up: &Uploaded,
) -> anyhow::Result<()> {
    let sharing = &r.suite.sharing;
    let address = sharing.0.address_bytes();
    let (alice_id, bob_id) = (user_id(&r.alice), user_id(&r.bob));
    let video = &up.videos[0];
    let now = chain.now();
    // The flow's "minute": a real one where the backend can move block time.
    let minute = chain.minute();
    let v1 = PolicyTerms {
        resources: vec![video.resource],
        period: TimeSpan {
            start: now,
            end: now + 60 * minute,
        },
        window: Some(Window::segments(0, 3)),
        permissions: Permissions::VIEW.union(Permissions::DOWNLOAD),
        price: 1_000,
        terms_hash: hashing::sha256(b"Alice's sharing terms, v1"),
    };
    let created = sharing.create_policy(chain, &r.alice, alice_id, &v1)?;
    expect_ok(
        t,
        "F.743.24 I.5.1 step 1",
        "Alice",
        &format!(
            "publishes sharing policy v1 over video-1: {}, segments 0-3, view+download, price 1000",
            duration(60 * minute)
        ),
        &created,
        &alice_id.0,
    )?;
    let policy = value(created.value)?;
    let v2 = PolicyTerms {
        window: Some(Window::segments(0, 7)),
        price: PRICE_V2,
        terms_hash: hashing::sha256(b"Alice's sharing terms, v2"),
        ..v1.clone()
    };
    let updated = sharing.update_policy(chain, &r.alice, policy, &v2)?;
    expect_ok(
        t,
        "F.743.24 SeR-5",
        "Alice",
        "changes the policy: version 2, segments 0-7, price 2000 (v1 stays as it was)",
        &updated,
        &alice_id.0,
    )?;
    let version_hash = |chain: &mut C, version| -> anyhow::Result<[u8; 32]> {
        Ok(sharing
            .policy_version(chain, &r.bob, policy, version)?
            .map_err(|e| anyhow!("{e:?}"))?
            .hash)
    };
    let (hash_v1, hash_v2) = (version_hash(chain, 1)?, version_hash(chain, 2)?);
    let acceptance = |version, hash: &[u8; 32]| Acceptance {
        policy,
        version,
        requester: bob_id,
        signature: r.bob.keys.sign(&payload::agreement_acceptance(
            &address, policy, version, hash, &bob_id,
        )),
    };

    let observe_agreement = |chain: &mut C| sharing.agreement(chain, &r.operator, AgreementId(0));
    let clause = "F.743.24 I.5.1 step 1 refusal";
    refused(
        chain,
        t,
        clause,
        "Bob",
        "signs and pays for the superseded version 1",
        observe_agreement,
        |chain| sharing.accept_policy(chain, &r.bob, &acceptance(1, &hash_v1), 1_000),
        SharingError::StaleVersion,
    )?;
    refused(
        chain,
        t,
        clause,
        "Bob",
        "signs version 2 but pays version 1's price",
        observe_agreement,
        |chain| sharing.accept_policy(chain, &r.bob, &acceptance(2, &hash_v2), 1_000),
        SharingError::WrongPayment,
    )?;
    let alice_before = chain.balance(r.alice.account);
    let accepted = sharing.accept_policy(chain, &r.bob, &acceptance(2, &hash_v2), PRICE_V2)?;
    expect_ok(
        t,
        "F.743.24 I.5.1 step 1, ABVSSI-11",
        "Bob",
        &format!(
            "signs version 2's hash {} with his user key and pays 2000",
            short(&hash_v2)
        ),
        &accepted,
        &bob_id.0,
    )?;
    let agreement = value(accepted.value)?;
    let received = chain.balance(r.alice.account).saturating_sub(alice_before);
    ensure!(received == PRICE_V2, "Alice received {received}");
    t.step(
        "F.743.24 ABVSSI-11",
        "sharing_policy",
        "pays the price to Alice's account",
        &format!("+{received}"),
    );

    // Step 2: the catalogue.
    let catalogue = sharing
        .catalogue(chain, &r.bob, agreement)?
        .map_err(|e| anyhow!("{e:?}"))?;
    ensure!(
        catalogue == vec![video.resource],
        "catalogue: {catalogue:?}"
    );
    let record = r
        .suite
        .resources
        .resource(chain, &r.bob, video.resource)?
        .map_err(|e| anyhow!("{e:?}"))?;
    t.step(
        "F.743.24 I.5.1 step 2",
        "Bob's VSS",
        "reads the catalogue of his agreement and the resource's location",
        &format!(
            "{} at {}",
            short(&video.resource.0),
            String::from_utf8_lossy(&record.location)
        ),
    );

    // I.3: an authorization code for Bob's CU, checked by the cloud store.
    let expires = chain.now() + 10 * minute;
    let code = AuthorizationCode::issue(
        &r.alice.keys,
        &address,
        agreement,
        r.cu.id,
        r.pu1.id,
        vec![video.resource],
        Some(Window::segments(0, 7)),
        expires,
    );
    t.step(
        "F.743.24 I.3 steps 1-2",
        "Alice's VSS",
        &format!("verifies Bob's CU (I.2) and issues a cloud-DB authorization code: CU, PU1, video-1, segments 0-7, {}", duration(10 * minute)),
        &format!("code {}", short(&code.code_id)),
    );
    // The store's account is its identity: a presentation names it.
    let store_account = *r.cloud.account.as_ref();
    let mut store = CodeStore::new(store_account, address);
    let asked = Window::segments(2, 3);
    let present = |store: &mut CodeStore, chain: &mut C, code: &AuthorizationCode| {
        let challenge = store.challenge(chain.now());
        code.present(
            &r.cu.keys,
            &address,
            store_account,
            challenge,
            video.resource,
            Some(asked),
        )
    };
    let redeem = |store: &mut CodeStore,
                  chain: &mut C,
                  code: &AuthorizationCode,
                  presentation: &Presentation| {
        let now = chain.now();
        let mut ledger = ChainLedger {
            chain,
            asker: &r.cloud,
            suite: &r.suite,
        };
        store.redeem(code, presentation, now, &mut ledger)
    };
    let presentation = present(&mut store, chain, &code);
    ensure!(
        redeem(&mut store, chain, &code, &presentation) == Ok(()),
        "valid code refused"
    );
    t.step(
        "F.743.24 I.3 step 3",
        "CloudStore",
        "checks the code Bob's CU presents for segments 2-3 of video-1, answering its challenge: Alice's signature, the CU's signature over store, challenge, resource and window, the agreement on the ledger",
        "accepted; serves segments 2-3 of video-1",
    );
    ensure!(
        redeem(&mut store, chain, &code, &presentation) == Err(CodeError::UnknownChallenge),
        "replayed presentation accepted"
    );
    t.step(
        "F.743.24 I.3 step 3 refusal",
        "CloudStore",
        "receives the same presentation again",
        "refused: UnknownChallenge",
    );
    let forged = AuthorizationCode::issue(
        &r.bob.keys,
        &address,
        agreement,
        r.cu.id,
        r.pu1.id,
        vec![video.resource],
        None,
        expires,
    );
    let forged_presentation = present(&mut store, chain, &forged);
    ensure!(
        redeem(&mut store, chain, &forged, &forged_presentation) == Err(CodeError::Forged),
        "forged code accepted"
    );
    t.step(
        "F.743.24 I.3 step 3 refusal",
        "CloudStore",
        "checks a code Bob signed himself",
        "refused: Forged",
    );
    let late = present(&mut store, chain, &code);
    chain.advance_time(11 * minute)?;
    ensure!(
        redeem(&mut store, chain, &code, &late) == Err(CodeError::Expired),
        "expired code accepted"
    );
    t.step(
        "F.743.24 I.3 step 3 refusal",
        "CloudStore",
        &format!("checks the same code {} later", duration(11 * minute)),
        "refused: Expired",
    );

    // Step 4: accesses, checked and recorded.
    let access = |chain: &mut C, who, permission, window| {
        sharing.access(
            chain,
            who,
            agreement,
            video.resource,
            permission,
            Some(window),
        )
    };
    let inside = Window::segments(2, 3);
    let accessed = access(chain, &r.bob, Permissions::DOWNLOAD, inside)?;
    expect_ok(
        t,
        "F.743.24 I.5.1 step 4, SeR-3",
        "Bob",
        "downloads segments 2-3 of video-1 under his agreement (inside period and range)",
        &accessed,
        &video.resource.0,
    )?;
    let logged = sharing
        .access_record(chain, &r.operator, agreement, 0)?
        .map_err(|e| anyhow!("{e:?}"))?;
    ensure!(
        logged.resource == video.resource && logged.window == Some(inside),
        "access record: {logged:?}"
    );
    let tree = record
        .content
        .segments
        .ok_or_else(|| anyhow!("no segment tree on the ledger"))?;
    let served = up.storage.path(&video.resource);
    let segment = segment_of(&served, 2)?;
    let proof = video
        .segments
        .proof(2)
        .ok_or_else(|| anyhow!("no proof for segment 2"))?;
    ensure!(
        segments::verify_segment(&tree, 2, &segment, &proof),
        "segment 2 does not verify"
    );
    let mut altered = segment.clone();
    altered[0] ^= 1;
    ensure!(
        !segments::verify_segment(&tree, 2, &altered, &proof),
        "altered segment verified"
    );
    t.step(
        "F.743.24 SeR-15",
        "Bob's CU",
        "checks segment 2 from the store against the Merkle root on the ledger",
        "verifies; an altered copy does not",
    );

    let observe_uses = |chain: &mut C| -> anyhow::Result<_> {
        Ok((
            sharing.agreement(chain, &r.operator, agreement)?,
            sharing.access_record(chain, &r.operator, agreement, 1)?,
        ))
    };
    let clause = "F.743.24 I.5.1 step 4 refusal";
    refused(
        chain,
        t,
        clause,
        "Bob",
        "asks for segments 8-9, outside the shared range",
        observe_uses,
        |chain| access(chain, &r.bob, Permissions::VIEW, Window::segments(8, 9)),
        SharingError::OutsideWindow,
    )?;
    refused(
        chain,
        t,
        clause,
        "Bob",
        "asks to re-share, which the policy does not permit",
        observe_uses,
        |chain| access(chain, &r.bob, Permissions::RESHARE, inside),
        SharingError::PermissionDenied,
    )?;
    refused(
        chain,
        t,
        clause,
        "Alice",
        "uses Bob's agreement",
        observe_uses,
        |chain| access(chain, &r.alice, Permissions::VIEW, inside),
        SharingError::NotAgreementHolder,
    )?;

    // Step 3: the video itself, encrypted to Bob's key.
    let for_bob = up.workdir.path().join("video-1-for-bob.enc");
    encryption::encrypt(
        &mut fs::File::open(&video.plain)?,
        &mut fs::File::create(&for_bob)?,
        &r.bob.keys.public().encryption,
    )?;
    let mut decrypted = Vec::new();
    encryption::decrypt(&mut fs::File::open(&for_bob)?, &mut decrypted, &r.bob.keys)?;
    ensure!(
        decrypted == fs::read(&video.plain)?,
        "decrypted video differs"
    );
    t.step(
        "F.743.24 I.5.1 step 3",
        "Alice's VSS / Bob's VSS",
        "Alice encrypts video-1 to Bob's K_pub (HPKE); Bob decrypts it with his K_pri",
        &format!("{} bytes, identical", decrypted.len()),
    );

    // SeR-4: the owner manages the life cycle of the policy.
    let suspended = sharing.set_policy_status(chain, &r.alice, StatusChange::Suspend, policy)?;
    expect_ok(
        t,
        "F.743.24 SeR-4",
        "Alice",
        "suspends her policy",
        &suspended,
        &id_topic(policy),
    )?;
    refused(
        chain,
        t,
        clause,
        "Bob",
        "downloads while the policy is suspended",
        observe_uses,
        |chain| access(chain, &r.bob, Permissions::VIEW, inside),
        SharingError::PolicyNotActive,
    )?;
    let reactivated =
        sharing.set_policy_status(chain, &r.alice, StatusChange::Reactivate, policy)?;
    expect_ok(
        t,
        "F.743.24 SeR-4",
        "Alice",
        "reactivates her policy",
        &reactivated,
        &id_topic(policy),
    )?;

    chain.advance_time(60 * minute)?;
    refused(
        chain,
        t,
        clause,
        "Bob",
        "downloads again after the usage period ended",
        observe_uses,
        |chain| access(chain, &r.bob, Permissions::VIEW, inside),
        SharingError::OutsidePeriod,
    )?;
    let uses = sharing
        .agreement(chain, &r.operator, agreement)?
        .map_err(|e| anyhow!("{e:?}"))?
        .uses;
    ensure!(uses == 1, "uses recorded: {uses}");
    t.step(
        "F.743.24 I.5.1 step 4",
        "anyone",
        &format!("reads agreement {agreement}'s execution record"),
        &format!("{uses} access recorded; refused ones left no trace"),
    );
    let revoked = sharing.revoke_agreement(chain, &r.alice, agreement)?;
    expect_ok(
        t,
        "F.743.24 SeR-4",
        "Alice",
        "revokes Bob's agreement",
        &revoked,
        &id_topic(agreement),
    )?;
    let revoked = sharing.set_policy_status(chain, &r.alice, StatusChange::Revoke, policy)?;
    expect_ok(
        t,
        "F.743.24 SeR-4",
        "Alice",
        "revokes the policy for good",
        &revoked,
        &id_topic(policy),
    )?;
    refused(
        chain,
        t,
        "F.743.24 SeR-4 refusal",
        "Alice",
        "publishes a version 3 of the revoked policy",
        |chain: &mut C| sharing.policy(chain, &r.operator, policy),
        |chain| sharing.update_policy(chain, &r.alice, policy, &v2),
        SharingError::PolicyRevoked,
    )?;
    Ok(())
}
