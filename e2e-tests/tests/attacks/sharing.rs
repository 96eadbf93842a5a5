//! Issue 14 §3 f: sharing_policy relies on users and devices that may since have been
//! suspended, revoked or sold. Each attack runs on a freshly registered suite (Alice with
//! PU1 and a private DB, Bob with a CU, an MCU and a private DB, all registered by the ISP),
//! reaches its state as it happens on a chain (the ISP suspends a user or a device, an owner
//! sells her camera), and asserts the typed error with the sharing contract's records and
//! the whole chain state unchanged.
use anyhow::{anyhow, ensure};
use e2e_tests::{
    chain::{Actor, Chain},
    clients::StatusChange,
    flows::{
        expect_ok, id_topic, refused,
        registration::{self, user_id, user_registration, Registered},
        resources::{Video, MINUTE},
        value,
    },
    sandbox::SandboxChain,
    transcript::Transcript,
};
use resource_registry::ResourceRegistration;
use shared_types::{
    payload, reason, AgreementId, Classification, DeviceId, Ed25519PublicKey, GrantId, Permissions,
    PolicyId, PolicyTerms, ResourceId, TimeSpan, TransferId, UserId, X25519PublicKey,
};
use sharing_policy::{Acceptance, Error, PrivateParam};
use std::fmt::Debug;
use vssi_sdk::{hashing, KeyPair};

const CLAUSE: &str = "issue 14 §3 f attack";
const PRICE: u128 = 1_000;

/// A registered suite and a directory for the recordings.
struct World {
    chain: SandboxChain,
    t: Transcript,
    r: Registered,
    dir: tempfile::TempDir,
}

fn world() -> anyhow::Result<World> {
    let mut chain = SandboxChain::new();
    let mut t = Transcript::default();
    let r = registration::registration(&mut chain, &mut t)?;
    Ok(World {
        chain,
        t,
        r,
        dir: tempfile::tempdir()?,
    })
}

impl World {
    /// Alice registers a short recording from her device `source`, encrypted to `recipient`.
    fn recording(
        &mut self,
        label: &str,
        source: DeviceId,
        recipient: &X25519PublicKey,
        classification: Classification,
    ) -> anyhow::Result<ResourceId> {
        let now = self.chain.now();
        let capture = TimeSpan {
            start: now - 10 * MINUTE,
            end: now - 5 * MINUTE,
        };
        let device = [&self.r.pu1, &self.r.alice_db]
            .into_iter()
            .find(|d| d.id == source)
            .ok_or_else(|| anyhow!("not one of Alice's sources"))?;
        let video = Video::record(self.dir.path(), label, 64 << 10, device, recipient, capture)?;
        let registration = ResourceRegistration {
            resource: video.resource,
            owner: user_id(&self.r.alice),
            pu: source,
            content: video.content(classification)?,
            provider: None,
            location: Vec::new(),
            owner_signature: None,
            pu_signature: None,
        };
        let resources = &self.r.suite.resources;
        let called = resources.register_resource(&mut self.chain, &self.r.alice, &registration)?;
        let what = format!("registers {label}");
        expect_ok(
            &mut self.t,
            CLAUSE,
            "Alice",
            &what,
            &called,
            &video.resource.0,
        )?;
        Ok(video.resource)
    }

    /// Alice's video of PU1, encrypted to Bob.
    fn video(&mut self) -> anyhow::Result<ResourceId> {
        let bob = self.r.bob.keys.public().encryption;
        self.recording("video", self.r.pu1.id, &bob, Classification::General)
    }

    /// Alice's terms over `resource`: view and download for an hour, at [`PRICE`].
    fn terms(&mut self, resource: ResourceId) -> PolicyTerms {
        let now = self.chain.now();
        PolicyTerms {
            resources: vec![resource],
            period: TimeSpan {
                start: now,
                end: now + 60 * MINUTE,
            },
            window: None,
            permissions: Permissions::VIEW.union(Permissions::DOWNLOAD),
            price: PRICE,
            terms_hash: hashing::sha256(b"Alice's terms"),
        }
    }

    /// Alice publishes a policy over `resource`.
    fn policy(&mut self, resource: ResourceId) -> anyhow::Result<PolicyId> {
        let (alice, terms) = (user_id(&self.r.alice), self.terms(resource));
        let sharing = &self.r.suite.sharing;
        let called = sharing.create_policy(&mut self.chain, &self.r.alice, alice, &terms)?;
        expect_ok(
            &mut self.t,
            CLAUSE,
            "Alice",
            "publishes a policy",
            &called,
            &alice.0,
        )?;
        value(called.value)
    }

    /// Bob's signed acceptance of the policy's current version.
    fn acceptance(&mut self, policy: PolicyId) -> anyhow::Result<Acceptance> {
        let (sharing, asker) = (&self.r.suite.sharing, &self.r.operator);
        let version = sharing
            .policy(&mut self.chain, asker, policy)?
            .map_err(|e| anyhow!("{e:?}"))?
            .current_version;
        let hash = sharing
            .policy_version(&mut self.chain, asker, policy, version)?
            .map_err(|e| anyhow!("{e:?}"))?
            .hash;
        let bob = user_id(&self.r.bob);
        let address = sharing.0.address_bytes();
        let statement = payload::agreement_acceptance(&address, policy, version, &hash, &bob);
        Ok(Acceptance {
            policy,
            version,
            requester: bob,
            signature: self.r.bob.keys.sign(&statement),
        })
    }

    /// Bob signs and pays for the policy; returns the agreement.
    fn agreement(&mut self, policy: PolicyId) -> anyhow::Result<AgreementId> {
        let acceptance = self.acceptance(policy)?;
        let sharing = &self.r.suite.sharing;
        let called = sharing.accept_policy(&mut self.chain, &self.r.bob, &acceptance, PRICE)?;
        let bob = user_id(&self.r.bob);
        expect_ok(
            &mut self.t,
            CLAUSE,
            "Bob",
            "signs and pays for the policy",
            &called,
            &bob.0,
        )?;
        value(called.value)
    }

    /// Alice grants Bob's CU a temporary key for PU1; returns the grant and the key.
    fn grant(&mut self) -> anyhow::Result<(GrantId, Ed25519PublicKey)> {
        let key = KeyPair::generate().signing_public();
        let expires = self.chain.now() + 30 * MINUTE;
        let (pu, cu, view) = (self.r.pu1.id, self.r.cu.id, Permissions::VIEW);
        let sharing = &self.r.suite.sharing;
        let called =
            sharing.grant_device(&mut self.chain, &self.r.alice, pu, cu, key, view, expires)?;
        let what = "grants Bob's CU a temporary key for PU1";
        expect_ok(&mut self.t, CLAUSE, "Alice", what, &called, &cu.0)?;
        let grant = value(called.value)?;
        let valid = sharing.grant_valid(&mut self.chain, &self.r.bob, grant, key)?;
        ensure!(valid == Ok(()), "a fresh grant is not valid: {valid:?}");
        Ok((grant, key))
    }

    /// Bob's CU presents the grant in the attack's state: it must not be valid, for the
    /// `expected` reason, and asking changes nothing.
    fn grant_refused(
        &mut self,
        what: &str,
        grant: GrantId,
        key: Ed25519PublicKey,
        expected: Error,
    ) -> anyhow::Result<()> {
        let (sharing, asker) = (&self.r.suite.sharing, &self.r.operator);
        let before = (
            sharing.grant(&mut self.chain, asker, grant)?,
            self.chain.state_root(),
        );
        let valid = sharing.grant_valid(&mut self.chain, &self.r.bob, grant, key)?;
        let after = (
            sharing.grant(&mut self.chain, asker, grant)?,
            self.chain.state_root(),
        );
        ensure!(
            valid == Err(expected),
            "[{CLAUSE}] {what}: expected Err({expected:?}), got {valid:?}"
        );
        ensure!(
            before == after,
            "[{CLAUSE}] {what}: asking changed the state"
        );
        let outcome = format!("not valid: {expected:?}, state unchanged");
        self.t.step(CLAUSE, "Bob's CU", what, &outcome);
        Ok(())
    }

    /// The ISP makes `change` (suspend, revoke) to the user `id`, named `name`.
    fn user_status(&mut self, change: StatusChange, id: UserId, name: &str) -> anyhow::Result<()> {
        let (identity, why) = (&self.r.suite.identity, reason::POLICY_VIOLATION);
        let called = identity.set_user_status(&mut self.chain, &self.r.isp, change, id, why)?;
        let what = format!("{change}s {name}");
        expect_ok(&mut self.t, CLAUSE, "ISP", &what, &called, &id.0)
    }

    /// The ISP makes `change` (suspend, revoke) to `device`.
    fn device_status(
        &mut self,
        change: StatusChange,
        device: DeviceId,
        label: &str,
    ) -> anyhow::Result<()> {
        let (devices, why) = (&self.r.suite.devices, reason::POLICY_VIOLATION);
        let called =
            devices.set_device_status(&mut self.chain, &self.r.isp, change, device, why)?;
        let what = format!("{change}s {label}");
        expect_ok(&mut self.t, CLAUSE, "ISP", &what, &called, &device.0)
    }

    /// Registers `name` as a user through the suite's ISP.
    fn new_user(&mut self, name: &str) -> anyhow::Result<Actor> {
        let user = self.chain.actor(name)?;
        let identity = &self.r.suite.identity;
        let registration = user_registration(&identity.0.address_bytes(), &user, &self.r.isp);
        let called = identity.register_user(&mut self.chain, &self.r.isp, &registration)?;
        let what = format!("registers {name}");
        expect_ok(
            &mut self.t,
            CLAUSE,
            "ISP",
            &what,
            &called,
            &user_id(&user).0,
        )?;
        Ok(user)
    }
}

/// Everything of the sharing contract an attack could change (policy 0, the agreement and
/// its next access, grant 0, transfers 0 and 1), and the chain's state root.
fn sharing_state(
    chain: &mut SandboxChain,
    r: &Registered,
    agreement: AgreementId,
) -> anyhow::Result<impl Debug + PartialEq> {
    let (sharing, asker) = (&r.suite.sharing, &r.operator);
    let record = sharing.agreement(chain, asker, agreement)?;
    let uses = record.as_ref().map(|a| a.uses).unwrap_or_default();
    Ok((
        sharing.policy(chain, asker, PolicyId(0))?,
        sharing.policy(chain, asker, PolicyId(1))?,
        record,
        sharing.access_record(chain, asker, agreement, uses)?,
        sharing.grant(chain, asker, GrantId(0))?,
        sharing.private_transfer(chain, asker, TransferId(0))?,
        sharing.private_transfer(chain, asker, TransferId(1))?,
        chain.state_root(),
    ))
}

/// Alice's registrar suspends her (say her account is under investigation), then revokes
/// her. Bob, who holds a paid agreement for her video, keeps downloading: before the fix
/// `access` looked only at the requester's status, so what an inactive owner had shared
/// stayed open.
#[test]
fn an_agreement_of_a_suspended_or_revoked_owner_grants_no_access() -> anyhow::Result<()> {
    let mut w = world()?;
    let video = w.video()?;
    let policy = w.policy(video)?;
    let agreement = w.agreement(policy)?;
    let sharing = w.r.suite.sharing.clone();
    let called = sharing.access(
        &mut w.chain,
        &w.r.bob,
        agreement,
        video,
        Permissions::DOWNLOAD,
        None,
    )?;
    expect_ok(
        &mut w.t,
        CLAUSE,
        "Bob",
        "downloads under his agreement",
        &called,
        &video.0,
    )?;
    let alice = user_id(&w.r.alice);
    for (message, state) in [
        (StatusChange::Suspend, "suspended"),
        (StatusChange::Revoke, "revoked"),
    ] {
        w.user_status(message, alice, "Alice")?;
        refused(
            &mut w.chain,
            &mut w.t,
            CLAUSE,
            "Bob",
            &format!("downloads under his agreement with Alice, whom the ISP {state}"),
            |c| sharing_state(c, &w.r, agreement),
            |c| sharing.access(c, &w.r.bob, agreement, video, Permissions::DOWNLOAD, None),
            Error::OwnerNotActive,
        )?;
    }
    Ok(())
}

/// Alice's registrar suspends her. Everything that would sell or grant in her name is
/// refused: a new policy or version, reactivating a policy, a device grant, a private
/// transfer, and Bob's paid acceptance of her policy (the payment would go to her).
#[test]
fn a_suspended_owner_can_neither_sell_nor_grant() -> anyhow::Result<()> {
    let mut w = world()?;
    let video = w.video()?;
    let to_bob_db = w.r.bob_db.keys.public().encryption;
    let db1 = w.r.alice_db.id;
    let private = w.recording("private video", db1, &to_bob_db, Classification::Private)?;
    let policy = w.policy(video)?;
    let withdrawn = w.policy(video)?;
    let sharing = w.r.suite.sharing.clone();
    let called =
        sharing.set_policy_status(&mut w.chain, &w.r.alice, StatusChange::Suspend, withdrawn)?;
    expect_ok(
        &mut w.t,
        CLAUSE,
        "Alice",
        "suspends her second policy",
        &called,
        &id_topic(withdrawn),
    )?;
    let (terms, acceptance) = (w.terms(video), w.acceptance(policy)?);
    let alice = user_id(&w.r.alice);
    w.user_status(StatusChange::Suspend, alice, "Alice")?;

    let (key, expires) = (
        KeyPair::generate().signing_public(),
        w.chain.now() + 30 * MINUTE,
    );
    let (pu, cu, view) = (w.r.pu1.id, w.r.cu.id, Permissions::VIEW);
    let participants = PrivateParam {
        db1,
        db2: w.r.bob_db.id,
    };
    let observe = |c: &mut SandboxChain| sharing_state(c, &w.r, AgreementId(0));
    let (chain, t, r) = (&mut w.chain, &mut w.t, &w.r);
    let suspended = "Alice, suspended,";
    refused(
        chain,
        t,
        CLAUSE,
        suspended,
        "publishes a new policy",
        observe,
        |c| sharing.create_policy(c, &r.alice, alice, &terms),
        Error::UserNotActive,
    )?;
    refused(
        chain,
        t,
        CLAUSE,
        suspended,
        "publishes a new version of her policy",
        observe,
        |c| sharing.update_policy(c, &r.alice, policy, &terms),
        Error::UserNotActive,
    )?;
    refused(
        chain,
        t,
        CLAUSE,
        suspended,
        "reactivates her suspended policy",
        observe,
        |c| sharing.set_policy_status(c, &r.alice, StatusChange::Reactivate, withdrawn),
        Error::UserNotActive,
    )?;
    refused(
        chain,
        t,
        CLAUSE,
        suspended,
        "grants Bob's CU a temporary key for PU1",
        observe,
        |c| sharing.grant_device(c, &r.alice, pu, cu, key, view, expires),
        Error::UserNotActive,
    )?;
    refused(
        chain,
        t,
        CLAUSE,
        suspended,
        "opens a private transfer to Bob's DB",
        observe,
        |c| sharing.open_private_transfer(c, &r.alice, private, participants),
        Error::UserNotActive,
    )?;
    refused(
        chain,
        t,
        CLAUSE,
        "Bob",
        "signs and pays for the policy of Alice, suspended",
        observe,
        |c| sharing.accept_policy(c, &r.bob, &acceptance, PRICE),
        Error::OwnerNotActive,
    )?;
    Ok(())
}

/// Alice's registrar suspends her. What protects others stays open to her: she revokes
/// Bob's agreement and her grant and suspends and revokes her policy (before the fix each
/// was refused with `UserNotActive`, so a suspended owner could not withdraw what she had
/// shared). Her suspension gives nobody else these powers.
#[test]
fn a_suspension_does_not_stop_the_owner_from_withdrawing_what_she_shared() -> anyhow::Result<()> {
    let mut w = world()?;
    let video = w.video()?;
    let policy = w.policy(video)?;
    let agreement = w.agreement(policy)?;
    let (grant, _) = w.grant()?;
    let mallory = w.new_user("Mallory")?;
    w.user_status(StatusChange::Suspend, user_id(&w.r.alice), "Alice")?;
    let sharing = w.r.suite.sharing.clone();
    let observe = |c: &mut SandboxChain| sharing_state(c, &w.r, agreement);
    let (chain, t, r) = (&mut w.chain, &mut w.t, &w.r);
    refused(
        chain,
        t,
        CLAUSE,
        "Mallory",
        "revokes Bob's agreement with Alice, suspended",
        observe,
        |c| sharing.revoke_agreement(c, &mallory, agreement),
        Error::NotController,
    )?;
    refused(
        chain,
        t,
        CLAUSE,
        "Mallory",
        "revokes the grant of Alice, suspended",
        observe,
        |c| sharing.revoke_grant(c, &mallory, grant),
        Error::NotController,
    )?;
    refused(
        chain,
        t,
        CLAUSE,
        "Mallory",
        "suspends the policy of Alice, suspended",
        observe,
        |c| sharing.set_policy_status(c, &mallory, StatusChange::Suspend, policy),
        Error::NotController,
    )?;

    let suspended = "Alice, suspended,";
    let called = sharing.revoke_agreement(chain, &r.alice, agreement)?;
    expect_ok(
        t,
        CLAUSE,
        suspended,
        "revokes Bob's agreement",
        &called,
        &id_topic(agreement),
    )?;
    let called = sharing.revoke_grant(chain, &r.alice, grant)?;
    expect_ok(
        t,
        CLAUSE,
        suspended,
        "revokes her grant to Bob's CU",
        &called,
        &id_topic(grant),
    )?;
    for message in [StatusChange::Suspend, StatusChange::Revoke] {
        let called = sharing.set_policy_status(chain, &r.alice, message, policy)?;
        let what = format!("{message}s her policy");
        expect_ok(t, CLAUSE, suspended, &what, &called, &id_topic(policy))?;
    }
    Ok(())
}

/// Bob's CU is reported stolen and the ISP suspends it, later revokes it. Whoever holds the
/// CU still presents the temporary key Alice granted it: the grant must not be valid.
#[test]
fn a_grant_to_a_suspended_or_revoked_cu_is_not_valid() -> anyhow::Result<()> {
    let mut w = world()?;
    let (grant, key) = w.grant()?;
    let cu = w.r.cu.id;
    for (message, state) in [
        (StatusChange::Suspend, "suspended"),
        (StatusChange::Revoke, "revoked"),
    ] {
        w.device_status(message, cu, "Bob's CU")?;
        let what = format!("presents the grant of the CU the ISP {state}");
        w.grant_refused(&what, grant, key, Error::DeviceNotActive)?;
    }
    Ok(())
}

/// The ISP suspends Alice's PU1 (say it was tampered with). Bob's CU still presents the
/// grant for it: not valid.
#[test]
fn a_grant_for_a_suspended_pu_is_not_valid() -> anyhow::Result<()> {
    let mut w = world()?;
    let (grant, key) = w.grant()?;
    w.device_status(StatusChange::Suspend, w.r.pu1.id, "Alice's PU1")?;
    let what = "presents the grant for PU1, which the ISP suspended";
    w.grant_refused(what, grant, key, Error::DeviceNotActive)
}

/// Alice sells PU1 to Carol (a transfer both sign). Bob's CU still holds the temporary key
/// Alice granted for it: the grant was Alice's to give, and PU1 is no longer hers, so it is
/// not valid for Carol's camera.
#[test]
fn a_grant_for_a_pu_sold_to_another_owner_is_not_valid() -> anyhow::Result<()> {
    let mut w = world()?;
    let (grant, key) = w.grant()?;
    let carol = w.new_user("Carol")?;
    let (devices, pu1) = (&w.r.suite.devices, w.r.pu1.id);
    let nonce = devices
        .device(&mut w.chain, &w.r.operator, pu1)?
        .map_err(|e| anyhow!("{e:?}"))?
        .nonce;
    let (alice, carol_id) = (user_id(&w.r.alice), user_id(&carol));
    let statement =
        payload::device_transfer(&devices.0.address_bytes(), &pu1, nonce, &alice, &carol_id);
    let (from, to) = (w.r.alice.keys.sign(&statement), carol.keys.sign(&statement));
    let called = devices.transfer_device(&mut w.chain, &carol, pu1, carol_id, from, to)?;
    expect_ok(
        &mut w.t,
        CLAUSE,
        "Carol",
        "buys PU1 from Alice",
        &called,
        &pu1.0,
    )?;
    let what = "presents Alice's grant for PU1, now Carol's";
    w.grant_refused(what, grant, key, Error::OwnerChanged)
}

/// The ISP suspends Alice, who granted Bob's CU its key; and, the grant being Alice's,
/// Bob, whose CU holds it, is revoked. Neither grant is valid.
#[test]
fn a_grant_of_a_suspended_owner_or_to_a_cu_of_a_revoked_owner_is_not_valid() -> anyhow::Result<()> {
    let mut w = world()?;
    let (grant, key) = w.grant()?;
    let (second, second_key) = w.grant()?;
    w.user_status(StatusChange::Suspend, user_id(&w.r.alice), "Alice")?;
    let what = "presents the grant of Alice, whom the ISP suspended";
    w.grant_refused(what, grant, key, Error::OwnerNotActive)?;
    w.user_status(StatusChange::Reactivate, user_id(&w.r.alice), "Alice")?;
    w.user_status(StatusChange::Revoke, user_id(&w.r.bob), "Bob")?;
    let what = "presents Alice's grant to the CU of Bob, whom the ISP revoked";
    w.grant_refused(what, second, second_key, Error::OwnerNotActive)
}

/// Alice opens two private transfers of a private video to Bob's private DB. The ISP
/// suspends the DB (say it was seized): Bob can neither acknowledge the second transfer nor
/// complete the first as that DB; before the fix only the DB's owner was checked. Then the DB
/// is back in service and Bob himself is suspended: refused too.
#[test]
fn an_inactive_recipient_db_or_its_owner_cannot_move_a_private_transfer_on() -> anyhow::Result<()> {
    let mut w = world()?;
    let to_bob_db = w.r.bob_db.keys.public().encryption;
    let (db1, db2) = (w.r.alice_db.id, w.r.bob_db.id);
    let private = w.recording("private video", db1, &to_bob_db, Classification::Private)?;
    let participants = PrivateParam { db1, db2 };
    let sharing = w.r.suite.sharing.clone();
    let mut opened = Vec::new();
    for _ in 0..2 {
        let called =
            sharing.open_private_transfer(&mut w.chain, &w.r.alice, private, participants)?;
        expect_ok(
            &mut w.t,
            CLAUSE,
            "Alice",
            "opens a private transfer to Bob's DB",
            &called,
            &private.0,
        )?;
        opened.push(value(called.value)?);
    }
    let (first, second) = (opened[0], opened[1]);
    let called = sharing.acknowledge_private_transfer(&mut w.chain, &w.r.bob, first, db2)?;
    expect_ok(
        &mut w.t,
        CLAUSE,
        "Bob",
        "acknowledges the first as his DB",
        &called,
        &private.0,
    )?;
    let ledger =
        w.r.suite
            .resources
            .resource(&mut w.chain, &w.r.operator, private)?
            .map_err(|e| anyhow!("{e:?}"))?
            .content
            .multihash;
    w.device_status(StatusChange::Suspend, db2, "Bob's private DB")?;
    {
        let observe = |c: &mut SandboxChain| sharing_state(c, &w.r, AgreementId(0));
        let (chain, t, r) = (&mut w.chain, &mut w.t, &w.r);
        refused(
            chain,
            t,
            CLAUSE,
            "Bob",
            "acknowledges the second as his DB, which the ISP suspended",
            observe,
            |c| sharing.acknowledge_private_transfer(c, &r.bob, second, db2),
            Error::DeviceNotActive,
        )?;
        refused(
            chain,
            t,
            CLAUSE,
            "Bob",
            "completes the first as his DB, which the ISP suspended",
            observe,
            |c| sharing.complete_private_transfer(c, &r.bob, first, db2, &ledger),
            Error::DeviceNotActive,
        )?;
    }
    w.device_status(StatusChange::Reactivate, db2, "Bob's private DB")?;
    w.user_status(StatusChange::Suspend, user_id(&w.r.bob), "Bob")?;
    let observe = |c: &mut SandboxChain| sharing_state(c, &w.r, AgreementId(0));
    let (chain, t, r) = (&mut w.chain, &mut w.t, &w.r);
    refused(
        chain,
        t,
        CLAUSE,
        "Bob, suspended,",
        "acknowledges the second as his DB",
        observe,
        |c| sharing.acknowledge_private_transfer(c, &r.bob, second, db2),
        Error::UserNotActive,
    )?;
    Ok(())
}
