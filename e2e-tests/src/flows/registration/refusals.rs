//! I.1's refusals, by group: each call refused with its typed error and the state unchanged.
use super::{
    snapshot, user_id, user_registration, Device, Registered, NOTICE_HASH, NOTICE_VERSION,
};
use crate::calls::constructor_data;
use crate::chain::{Actor, Chain};
use crate::clients::{Called, DeviceClient, IdentityClient, StatusChange};
use crate::flows::{expect_ok, refused};
use crate::transcript::Transcript;
use anyhow::ensure;
use device_registry::{DeviceRegistryRef, Error as DeviceError};
use identity_registry::Error as IdentityError;
use shared_types::{payload, reason, AccountBytes, DeviceId, DeviceKind, UserId};
use std::fmt::Debug;
use vssi_sdk::KeyPair;

/// The refusals of I.1, each with its typed error and unchanged state; also exercises
/// device key rotation, status changes and transfer across the two contracts. The groups
/// run in this order, and each leaves the ledger as the next expects it.
pub fn registration_refusals<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    r: &Registered,
) -> anyhow::Result<()> {
    let s = Refusals::new(chain, r)?;
    s.caller_not_a_registrar(chain, t)?;
    s.bad_proofs_and_signatures(chain, t)?;
    s.replay_to_another_registry(chain, t)?;
    s.replay_to_another_purpose(chain, t)?;
    s.replay_of_a_key_rotation(chain, t)?;
    s.duplicate_ids(chain, t)?;
    s.suspended_owner(chain, t)?;
    s.moved_to_another_registrar(chain, t)?;
    s.unknown_ids(chain, t)?;
    s.device_status_by_its_owner(chain, t)?;
    s.ownership_transfer(chain, t)?;
    s.miswired_device_registry(chain, t)?;
    s.user_key_rotation(chain, t)
}

/// Transcript clause of the steps [`registration_refusals`] checks by hand.
const REFUSAL: &str = "F.743.24 I.1 refusal";

/// What the refusal groups share: the suite, two more users (Carol, registered on the way,
/// and Dave, never registered), three more devices, and the users and devices whose
/// records every refusal must leave as they were.
struct Refusals<'a> {
    r: &'a Registered,
    id_addr: AccountBytes,
    dev_addr: AccountBytes,
    carol: Actor,
    dave: Actor,
    /// Alice's PU2, registered (and moved to Bob) late on.
    extra: Device,
    /// Carol's camera, refused while she is suspended.
    carol_cam: Device,
    /// Bob's PU9, registered after his key rotation.
    bob_cam: Device,
    users: [UserId; 4],
    known: [DeviceId; 7],
}

impl<'a> Refusals<'a> {
    fn new<C: Chain>(chain: &mut C, r: &'a Registered) -> anyhow::Result<Self> {
        let carol = chain.actor("Carol")?;
        let dave = chain.actor("Dave")?;
        let users = [
            user_id(&r.alice),
            user_id(&r.bob),
            user_id(&carol),
            user_id(&dave),
        ];
        let extra = Device::new(&r.alice, "PU2", DeviceKind::Ipu);
        let carol_cam = Device::new(&carol, "PU1", DeviceKind::Pu);
        let bob_cam = Device::new(&r.bob, "PU9", DeviceKind::Pu);
        let known = [
            r.pu1.id,
            r.alice_db.id,
            r.cu.id,
            r.mcu.id,
            extra.id,
            carol_cam.id,
            bob_cam.id,
        ];
        Ok(Self {
            r,
            id_addr: r.suite.identity.0.address_bytes(),
            dev_addr: r.suite.devices.0.address_bytes(),
            carol,
            dave,
            extra,
            carol_cam,
            bob_cam,
            users,
            known,
        })
    }

    /// `actor`'s `call`, refused with `expected`, leaves every known user's and device's
    /// record as it was.
    fn refused<C: Chain, T: Debug, E: Debug + PartialEq>(
        &self,
        chain: &mut C,
        t: &mut Transcript,
        actor: &Actor,
        what: &str,
        call: impl FnOnce(&mut C) -> anyhow::Result<Called<Result<T, E>>>,
        expected: E,
    ) -> anyhow::Result<()> {
        refused(
            chain,
            t,
            REFUSAL,
            &actor.name,
            what,
            |chain| snapshot(chain, self.r, &self.users, &self.known),
            call,
            expected,
        )
    }

    /// Caller not a registrar.
    fn caller_not_a_registrar<C: Chain>(
        &self,
        chain: &mut C,
        t: &mut Transcript,
    ) -> anyhow::Result<()> {
        let (r, identity, devices) = (self.r, &self.r.suite.identity, &self.r.suite.devices);
        self.refused(
            chain,
            t,
            &r.bob,
            "registers Dave without being a registrar",
            |chain| {
                identity.register_user(
                    chain,
                    &r.bob,
                    &user_registration(&self.id_addr, &self.dave, &r.bob),
                )
            },
            IdentityError::NotRegistrar,
        )?;
        self.refused(
            chain,
            t,
            &r.alice,
            "registers her PU2 without being a registrar",
            |chain| {
                devices.register_device(
                    chain,
                    &r.alice,
                    &self.extra.registration(&self.dev_addr, &r.alice),
                )
            },
            DeviceError::NotRegistrar,
        )
    }

    /// A bad proof of possession (signed by another key than the one registered) and a bad
    /// owner signature (Bob signs a device record claiming Alice as owner).
    fn bad_proofs_and_signatures<C: Chain>(
        &self,
        chain: &mut C,
        t: &mut Transcript,
    ) -> anyhow::Result<()> {
        let (r, identity, devices) = (self.r, &self.r.suite.identity, &self.r.suite.devices);
        let mut bad_pop = user_registration(&self.id_addr, &self.dave, &r.isp);
        bad_pop.proof_of_possession = self.carol.keys.sign(&payload::user_proof_of_possession(
            &self.id_addr,
            &bad_pop.user,
            &bad_pop.keys,
            self.dave.account.as_ref(),
            r.isp.account.as_ref(),
            &NOTICE_HASH,
            NOTICE_VERSION,
        ));
        self.refused(
            chain,
            t,
            &r.isp,
            "registers Dave with a proof of possession by another key",
            |chain| identity.register_user(chain, &r.isp, &bad_pop),
            IdentityError::InvalidProofOfPossession,
        )?;

        let forged = self
            .extra
            .registration_signed_by(&self.dev_addr, &r.alice, &r.bob.keys);
        self.refused(
            chain,
            t,
            &r.isp,
            "registers a PU2 for Alice signed by Bob",
            |chain| devices.register_device(chain, &r.isp, &forged),
            DeviceError::InvalidOwnerSignature,
        )
    }

    /// Replay to another contract instance: a second pair of registries refuses what was
    /// signed for the first.
    fn replay_to_another_registry<C: Chain>(
        &self,
        chain: &mut C,
        t: &mut Transcript,
    ) -> anyhow::Result<()> {
        let r = self.r;
        let identity_b = IdentityClient::deploy(chain, &r.operator)?;
        identity_b
            .add_registrar(
                chain,
                &r.operator,
                r.isp.account,
                r.isp.keys.signing_public(),
            )?
            .value
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let devices_b = DeviceClient::deploy(chain, &r.operator, &identity_b)?;
        let replayed = identity_b.register_user(
            chain,
            &r.isp,
            &user_registration(&self.id_addr, &r.alice, &r.isp),
        )?;
        ensure!(
            replayed.value == Err(IdentityError::InvalidProofOfPossession)
                && replayed.outcome.reverted,
            "cross-contract user replay: {:?}",
            replayed.value
        );
        ensure!(
            identity_b.user(chain, &r.operator, user_id(&r.alice))?
                == Err(IdentityError::UnknownUser),
            "replayed user registered"
        );
        t.step(
            REFUSAL,
            "ISP",
            "replays Alice's registration (signed for registry A) to registry B",
            "refused with InvalidProofOfPossession, B has no Alice",
        );
        let alice_b = identity_b.register_user(
            chain,
            &r.isp,
            &user_registration(&identity_b.0.address_bytes(), &r.alice, &r.isp),
        )?;
        ensure!(
            alice_b.value == Ok(()),
            "Alice in registry B: {:?}",
            alice_b.value
        );
        let replayed = devices_b.register_device(
            chain,
            &r.isp,
            &r.pu1.registration(&self.dev_addr, &r.alice),
        )?;
        ensure!(
            replayed.value == Err(DeviceError::InvalidOwnerSignature) && replayed.outcome.reverted,
            "cross-contract device replay: {:?}",
            replayed.value
        );
        ensure!(
            devices_b.device(chain, &r.operator, r.pu1.id)? == Err(DeviceError::UnknownDevice),
            "replayed device registered"
        );
        t.step(
            REFUSAL,
            "ISP",
            "replays PU1's owner-signed record (for device registry A) to device registry B",
            "refused with InvalidOwnerSignature, B has no PU1",
        );
        Ok(())
    }

    /// Replay to another purpose: Alice's proof of possession offered as a device owner
    /// signature.
    fn replay_to_another_purpose<C: Chain>(
        &self,
        chain: &mut C,
        t: &mut Transcript,
    ) -> anyhow::Result<()> {
        let (r, devices) = (self.r, &self.r.suite.devices);
        let mut other_purpose = self.extra.registration(&self.dev_addr, &r.alice);
        other_purpose.owner_signature =
            user_registration(&self.id_addr, &r.alice, &r.isp).proof_of_possession;
        self.refused(
            chain,
            t,
            &r.isp,
            "offers Alice's user proof-of-possession signature as her device signature",
            |chain| devices.register_device(chain, &r.isp, &other_purpose),
            DeviceError::InvalidOwnerSignature,
        )
    }

    /// Replay in the same contract: Alice rotates PU1's keys, then replays the used
    /// key-rotation statement.
    fn replay_of_a_key_rotation<C: Chain>(
        &self,
        chain: &mut C,
        t: &mut Transcript,
    ) -> anyhow::Result<()> {
        let (r, devices) = (self.r, &self.r.suite.devices);
        let new_pair = KeyPair::generate();
        let new_keys = new_pair.public();
        let rotation = r.alice.keys.sign(&payload::device_key_rotation(
            &self.dev_addr,
            &r.pu1.id,
            0,
            &new_keys,
        ));
        let possession = r
            .pu1
            .proof_of_possession(&self.dev_addr, &r.alice, &new_pair, 0);
        let rotated =
            devices.rotate_device_key(chain, &r.alice, r.pu1.id, new_keys, rotation, possession)?;
        expect_ok(
            t,
            "F.743.24 SyR-8",
            "Alice",
            "rotates PU1's keys (owner-signed, nonce 0; the new key proves possession)",
            &rotated,
            &r.pu1.id.0,
        )?;
        self.refused(
            chain,
            t,
            &r.alice,
            "replays the same PU1 key rotation",
            |chain| {
                devices.rotate_device_key(chain, &r.alice, r.pu1.id, new_keys, rotation, possession)
            },
            DeviceError::InvalidOwnerSignature,
        )
    }

    /// Duplicate IDs.
    fn duplicate_ids<C: Chain>(&self, chain: &mut C, t: &mut Transcript) -> anyhow::Result<()> {
        let (r, identity, devices) = (self.r, &self.r.suite.identity, &self.r.suite.devices);
        self.refused(
            chain,
            t,
            &r.isp,
            "registers Alice a second time",
            |chain| {
                identity.register_user(
                    chain,
                    &r.isp,
                    &user_registration(&self.id_addr, &r.alice, &r.isp),
                )
            },
            IdentityError::UserExists,
        )?;
        self.refused(
            chain,
            t,
            &r.isp,
            "registers PU1 a second time",
            |chain| {
                devices.register_device(
                    chain,
                    &r.isp,
                    &r.pu1.registration(&self.dev_addr, &r.alice),
                )
            },
            DeviceError::DeviceExists,
        )
    }

    /// Suspended owner: the ISP registers and suspends Carol, and her camera is refused.
    fn suspended_owner<C: Chain>(&self, chain: &mut C, t: &mut Transcript) -> anyhow::Result<()> {
        let (r, identity, devices) = (self.r, &self.r.suite.identity, &self.r.suite.devices);
        let carol = &self.carol;
        let carol_registered = identity.register_user(
            chain,
            &r.isp,
            &user_registration(&self.id_addr, carol, &r.isp),
        )?;
        expect_ok(
            t,
            "F.743.24 I.1.1 step 3",
            "ISP",
            "registers Carol",
            &carol_registered,
            &user_id(carol).0,
        )?;
        let suspended = identity.set_user_status(
            chain,
            &r.isp,
            StatusChange::Suspend,
            user_id(carol),
            reason::POLICY_VIOLATION,
        )?;
        expect_ok(
            t,
            "F.743.24 SyR-11",
            "ISP",
            "suspends Carol",
            &suspended,
            &user_id(carol).0,
        )?;
        self.refused(
            chain,
            t,
            &r.isp,
            "registers Carol's camera while Carol is suspended",
            |chain| {
                devices.register_device(
                    chain,
                    &r.isp,
                    &self.carol_cam.registration(&self.dev_addr, carol),
                )
            },
            DeviceError::OwnerNotActive,
        )
    }

    /// The operator moves Carol to a second ISP; the first loses its power over her.
    fn moved_to_another_registrar<C: Chain>(
        &self,
        chain: &mut C,
        t: &mut Transcript,
    ) -> anyhow::Result<()> {
        let (r, identity) = (self.r, &self.r.suite.identity);
        let carol = user_id(&self.carol);
        let isp2 = chain.actor("ISP 2")?;
        let added =
            identity.add_registrar(chain, &r.operator, isp2.account, isp2.keys.signing_public())?;
        expect_ok(
            t,
            "F.743.24 I.1 note",
            "Operator",
            "adds ISP 2 as registrar",
            &added,
            isp2.account.as_ref(),
        )?;
        let moved = identity.reassign_registrar(chain, &r.operator, carol, isp2.account)?;
        expect_ok(
            t,
            "F.743.24 I.1.1",
            "Operator",
            "reassigns Carol to ISP 2",
            &moved,
            &carol.0,
        )?;
        self.refused(
            chain,
            t,
            &r.isp,
            "lifts Carol's suspension after she moved to ISP 2",
            |chain| {
                identity.set_user_status(
                    chain,
                    &r.isp,
                    StatusChange::Reactivate,
                    carol,
                    reason::RESOLVED,
                )
            },
            IdentityError::NotUserRegistrar,
        )
    }

    /// Unknown IDs: a device of an unregistered owner, and lookups of an unknown device and
    /// an unknown user.
    fn unknown_ids<C: Chain>(&self, chain: &mut C, t: &mut Transcript) -> anyhow::Result<()> {
        let (r, identity, devices) = (self.r, &self.r.suite.identity, &self.r.suite.devices);
        let dave = &self.dave;
        self.refused(
            chain,
            t,
            &r.isp,
            "registers a camera for Dave, who is not registered",
            |chain| {
                devices.register_device(
                    chain,
                    &r.isp,
                    &Device::new(dave, "PU1", DeviceKind::Pu).registration(&self.dev_addr, dave),
                )
            },
            DeviceError::UnknownOwner,
        )?;
        let unknown = DeviceId([0xee; 32]);
        ensure!(
            devices.device_keys(chain, &r.bob, unknown)? == Err(DeviceError::UnknownDevice),
            "unknown device keys"
        );
        ensure!(
            devices.verify_device_key(chain, &r.bob, unknown, r.cu.keys.signing_public())?
                == Err(DeviceError::UnknownDevice),
            "unknown device verify"
        );
        ensure!(
            identity.user(chain, &r.bob, user_id(dave))? == Err(IdentityError::UnknownUser),
            "unknown user"
        );
        t.step(
            REFUSAL,
            "Bob's VSS",
            "looks up an unknown device and an unknown user",
            "UnknownDevice / UnknownUser",
        );
        Ok(())
    }

    /// Device status by the owner's controlling account (resolved through
    /// identity_registry): refused to Bob, done by Alice and undone.
    fn device_status_by_its_owner<C: Chain>(
        &self,
        chain: &mut C,
        t: &mut Transcript,
    ) -> anyhow::Result<()> {
        let (r, devices) = (self.r, &self.r.suite.devices);
        self.refused(
            chain,
            t,
            &r.bob,
            "suspends Alice's private DB",
            |chain| {
                devices.set_device_status(
                    chain,
                    &r.bob,
                    StatusChange::Suspend,
                    r.alice_db.id,
                    reason::DEVICE_LOST,
                )
            },
            DeviceError::NotAuthorized,
        )?;
        let called = devices.set_device_status(
            chain,
            &r.alice,
            StatusChange::Suspend,
            r.alice_db.id,
            reason::DEVICE_LOST,
        )?;
        expect_ok(
            t,
            "F.743.24 SyR-9",
            "Alice",
            "suspends her private DB",
            &called,
            &r.alice_db.id.0,
        )?;
        ensure!(
            devices.verify_device_key(
                chain,
                &r.bob,
                r.alice_db.id,
                r.alice_db.keys.signing_public()
            )? == Ok(false),
            "suspended device verified"
        );
        let called = devices.set_device_status(
            chain,
            &r.alice,
            StatusChange::Reactivate,
            r.alice_db.id,
            reason::RESOLVED,
        )?;
        expect_ok(
            t,
            "F.743.24 SyR-9",
            "Alice",
            "reactivates her private DB",
            &called,
            &r.alice_db.id.0,
        )
    }

    /// Ownership transfer signed by both owners: Alice's PU2 moves to Bob.
    fn ownership_transfer<C: Chain>(
        &self,
        chain: &mut C,
        t: &mut Transcript,
    ) -> anyhow::Result<()> {
        let (r, devices, extra) = (self.r, &self.r.suite.devices, &self.extra);
        let registered = devices.register_device(
            chain,
            &r.isp,
            &extra.registration(&self.dev_addr, &r.alice),
        )?;
        expect_ok(
            t,
            "F.743.24 I.1.2 steps 6-7",
            "ISP",
            "registers Alice's PU2",
            &registered,
            &extra.id.0,
        )?;
        let statement = payload::device_transfer(
            &self.dev_addr,
            &extra.id,
            0,
            &user_id(&r.alice),
            &user_id(&r.bob),
        );
        let (from_sig, to_sig) = (r.alice.keys.sign(&statement), r.bob.keys.sign(&statement));
        self.refused(
            chain,
            t,
            &r.bob,
            "takes PU2 with only his own signature",
            |chain| {
                devices.transfer_device(chain, &r.bob, extra.id, user_id(&r.bob), to_sig, to_sig)
            },
            DeviceError::InvalidOwnerSignature,
        )?;
        let called =
            devices.transfer_device(chain, &r.bob, extra.id, user_id(&r.bob), from_sig, to_sig)?;
        expect_ok(
            t,
            "F.743.24 SyR-7",
            "Bob",
            "submits PU2's transfer from Alice to Bob, signed by both",
            &called,
            &extra.id.0,
        )?;
        let owner = devices.device(chain, &r.bob, extra.id)?.map(|d| d.owner);
        ensure!(owner == Ok(user_id(&r.bob)), "PU2's owner: {owner:?}");
        Ok(())
    }

    /// A device registry wired to an account that is not an identity registry.
    fn miswired_device_registry<C: Chain>(
        &self,
        chain: &mut C,
        t: &mut Transcript,
    ) -> anyhow::Result<()> {
        let r = self.r;
        let constructor = constructor_data(DeviceRegistryRef::new(r.operator.account));
        let miswired = DeviceClient(chain.deploy(&r.operator, "device_registry", &constructor)?);
        let called = miswired.register_device(
            chain,
            &r.isp,
            &self
                .extra
                .registration(&miswired.0.address_bytes(), &r.alice),
        )?;
        ensure!(
            called.value == Err(DeviceError::IdentityRegistryCallFailed) && called.outcome.reverted,
            "miswired registry: {:?}",
            called.value
        );
        ensure!(
            miswired.device(chain, &r.operator, self.extra.id)? == Err(DeviceError::UnknownDevice),
            "miswired registry stored a device"
        );
        t.step(
            REFUSAL,
            "ISP",
            "registers a device in a registry wired to a non-contract account",
            "refused with IdentityRegistryCallFailed, nothing stored",
        );
        Ok(())
    }

    /// Bob rotates his user key (signed by the old and the new key); the device registry
    /// then accepts only the new one, fetched across the contract boundary.
    fn user_key_rotation<C: Chain>(&self, chain: &mut C, t: &mut Transcript) -> anyhow::Result<()> {
        let (r, identity, devices) = (self.r, &self.r.suite.identity, &self.r.suite.devices);
        let bob_id = user_id(&r.bob);
        let new_bob = KeyPair::generate();
        let statement = payload::user_key_rotation(&self.id_addr, &bob_id, 0, &new_bob.public());
        let (old_sig, new_sig) = (r.bob.keys.sign(&statement), new_bob.sign(&statement));
        let rotated =
            identity.rotate_user_key(chain, &r.bob, bob_id, new_bob.public(), old_sig, new_sig)?;
        expect_ok(
            t,
            "F.743.24 SyR-8",
            "Bob",
            "rotates his user key, signed by the old and the new key",
            &rotated,
            &bob_id.0,
        )?;
        let current = identity
            .key_at(chain, &r.bob, bob_id, u64::MAX)?
            .map(|epoch| epoch.keys);
        ensure!(
            current == Ok(new_bob.public()),
            "Bob's current key: {current:?}"
        );
        self.refused(
            chain,
            t,
            &r.bob,
            "replays his key rotation",
            |chain| {
                identity.rotate_user_key(chain, &r.bob, bob_id, new_bob.public(), old_sig, new_sig)
            },
            IdentityError::InvalidOldKeySignature,
        )?;
        self.refused(
            chain,
            t,
            &r.isp,
            "registers Bob's PU9 signed with Bob's replaced key",
            |chain| {
                devices.register_device(
                    chain,
                    &r.isp,
                    &self.bob_cam.registration(&self.dev_addr, &r.bob),
                )
            },
            DeviceError::InvalidOwnerSignature,
        )?;
        let called = devices.register_device(
            chain,
            &r.isp,
            &self
                .bob_cam
                .registration_signed_by(&self.dev_addr, &r.bob, &new_bob),
        )?;
        expect_ok(
            t,
            "F.743.24 I.1.2 steps 6-7",
            "ISP",
            "registers Bob's PU9 signed with Bob's new key",
            &called,
            &self.bob_cam.id.0,
        )
    }
}
