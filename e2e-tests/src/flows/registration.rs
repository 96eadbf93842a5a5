//! F.743.24 I.1 (registration in VSSI) and the registry parts of I.2 (steps 1-2, 4-5), with
//! every refusal the foundation promises: wrong caller, bad proofs and signatures, replays
//! to the same contract, another contract and another purpose, duplicates, a suspended
//! owner, unknown IDs. Each refusal asserts the typed error and unchanged state.
use super::{expect_ok, expect_refused};
use crate::chain::{Actor, Chain};
use crate::clients::{
    DeviceClient, DeviceResult, IdentityClient, IdentityResult, ResourceClient, SharingClient,
};
use crate::transcript::{short, Transcript};
use anyhow::ensure;
use device_registry::{DeviceRecord, DeviceRegistration, Error as DeviceError};
use identity_registry::{Error as IdentityError, UserRecord, UserRegistration};
use scale::Encode;
use sha2::{Digest, Sha256};
use shared_types::{payload, reason, AccountBytes, DeviceId, DeviceKind, Ed25519Signature, UserId};
use vssi_sdk::{commitment, KeyPair};

/// Hash of the information-collection notice users accept (ABVSSI-7), and its version.
pub const NOTICE_HASH: [u8; 32] = [0x4e; 32];
/// Version of that notice.
pub const NOTICE_VERSION: u32 = 1;

/// A device as its owner knows it: ID, keys, the serial and its salt (both off chain).
pub struct Device {
    /// Label in transcripts.
    pub label: &'static str,
    /// Its ID.
    pub id: DeviceId,
    /// Its kind.
    pub kind: DeviceKind,
    /// Its key pairs.
    pub keys: KeyPair,
    /// Hardware serial (never on chain).
    pub serial: Vec<u8>,
    /// Salt of the serial commitment.
    pub salt: [u8; 32],
}

impl Device {
    /// A new device of `owner`'s with fresh keys, its ID derived from the owner and `label`.
    pub fn new(owner: &Actor, label: &'static str, kind: DeviceKind) -> Self {
        Self {
            label,
            id: DeviceId(Sha256::digest(format!("{}/{label}", owner.name)).into()),
            kind,
            keys: KeyPair::generate(),
            serial: format!("SN-{}-{label}", owner.name).into_bytes(),
            salt: commitment::random_salt(),
        }
    }

    /// The registration for `registry`, signed by the owner and by the device key.
    pub fn registration(&self, registry: &AccountBytes, owner: &Actor) -> DeviceRegistration {
        self.registration_signed_by(registry, owner, &owner.keys)
    }

    /// The registration naming `owner`, signed with `signer`'s key (and the device key).
    pub fn registration_signed_by(
        &self,
        registry: &AccountBytes,
        owner: &Actor,
        signer: &KeyPair,
    ) -> DeviceRegistration {
        let (owner_id, keys) = (user_id(owner), self.keys.public());
        let serial = commitment::serial_commitment(&self.salt, &self.serial);
        let statement =
            payload::device_registration(registry, &self.id, self.kind, &owner_id, &keys, &serial);
        DeviceRegistration {
            device: self.id,
            kind: self.kind,
            owner: owner_id,
            keys,
            serial,
            owner_signature: signer.sign(&statement),
            device_signature: self.proof_of_possession(registry, owner_id, &self.keys, 0),
        }
    }

    /// `keys`' proof of possession as this device of `owner`, at the record's `nonce` (0 at
    /// registration): the device signs it with the key being registered or rotated to.
    pub fn proof_of_possession(
        &self,
        registry: &AccountBytes,
        owner: UserId,
        keys: &KeyPair,
        nonce: u32,
    ) -> Ed25519Signature {
        keys.sign(&payload::device_proof_of_possession(
            registry,
            &self.id,
            &owner,
            &keys.public(),
            nonce,
        ))
    }
}

/// A user's ID in VSSI, chosen by the user (I.1.1 step 1): here derived from the name.
pub fn user_id(actor: &Actor) -> UserId {
    UserId(Sha256::digest(format!("vssi user {}", actor.name)).into())
}

/// The user's registration as the ISP submits it: the user's proof of possession (naming
/// the ISP and the notice) and the ISP's attestation, both over statements built by
/// `shared_types::payload`.
pub fn user_registration(registry: &AccountBytes, user: &Actor, isp: &Actor) -> UserRegistration {
    let (id, keys) = (user_id(user), user.keys.public());
    let (controller, registrar): (&AccountBytes, &AccountBytes) =
        (user.account.as_ref(), isp.account.as_ref());
    UserRegistration {
        user: id,
        keys,
        controller: user.account,
        notice_hash: NOTICE_HASH,
        notice_version: NOTICE_VERSION,
        proof_of_possession: user.keys.sign(&payload::user_proof_of_possession(
            registry,
            &id,
            &keys,
            controller,
            registrar,
            &NOTICE_HASH,
            NOTICE_VERSION,
        )),
        registrar_signature: isp.keys.sign(&payload::registrar_attestation(
            registry,
            &id,
            &keys,
            controller,
            &NOTICE_HASH,
            NOTICE_VERSION,
        )),
    }
}

/// Faults at which the resource registry suspends a storage provider, in the flows.
pub const FAULT_THRESHOLD: u32 = 2;

/// The deployed contracts, wired to each other.
pub struct Suite {
    /// identity_registry.
    pub identity: IdentityClient,
    /// device_registry, trusting `identity`.
    pub devices: DeviceClient,
    /// resource_registry, trusting `devices` (and its identity registry).
    pub resources: ResourceClient,
    /// sharing_policy, trusting `resources` (and its registries).
    pub sharing: SharingClient,
}

/// Everyone and everything after I.1.
pub struct Registered {
    /// The contracts.
    pub suite: Suite,
    /// Deploys the contracts and administers registrars.
    pub operator: Actor,
    /// The ISP (registrar).
    pub isp: Actor,
    /// The cloud storage service (a storage provider once the operator registers it).
    pub cloud: Actor,
    /// Alice: owns PU1 and a private DB.
    pub alice: Actor,
    /// Bob: owns a CU and an MCU.
    pub bob: Actor,
    /// Alice's camera.
    pub pu1: Device,
    /// Alice's private database.
    pub alice_db: Device,
    /// Bob's customer unit.
    pub cu: Device,
    /// Bob's mobile customer unit.
    pub mcu: Device,
    /// Bob's private database.
    pub bob_db: Device,
}

/// I.1: the operator deploys, the ISP registers Alice and Bob, Alice registers PU1 and her
/// private DB, Bob a CU and an MCU; then I.2 steps 1-2 and 4-5 against the ledger.
pub fn registration<C: Chain>(chain: &mut C, t: &mut Transcript) -> anyhow::Result<Registered> {
    let operator = chain.actor("Operator")?;
    let isp = chain.actor("ISP")?;
    let cloud = chain.actor("CloudStore")?;
    let alice = chain.actor("Alice")?;
    let bob = chain.actor("Bob")?;
    let identity = IdentityClient::deploy(chain, &operator)?;
    let devices = DeviceClient::deploy(chain, &operator, &identity)?;
    let resources = ResourceClient::deploy(chain, &operator, &devices, FAULT_THRESHOLD)?;
    let sharing = SharingClient::deploy(chain, &operator, &resources)?;
    t.step(
        "setup",
        "Operator",
        &format!(
            "deploys identity_registry {}, device_registry {}, resource_registry {}, sharing_policy {} on {}",
            short(identity.0.address.as_ref()),
            short(devices.0.address.as_ref()),
            short(resources.0.address.as_ref()),
            short(sharing.0.address.as_ref()),
            chain.backend()
        ),
        "ok",
    );
    let added = identity.add_registrar(chain, &operator, isp.account, isp.keys.signing_public())?;
    expect_ok(
        t,
        "F.743.24 I.1 note",
        "Operator",
        "adds the ISP as registrar",
        &added,
        isp.account.as_ref(),
    )?;

    let id_addr = identity.0.address_bytes();
    for user in [&alice, &bob] {
        let called =
            identity.register_user(chain, &isp, &user_registration(&id_addr, user, &isp))?;
        expect_ok(
            t,
            "F.743.24 I.1.1 step 3",
            "ISP",
            &format!("registers {} (user {})", user.name, short(&user_id(user).0)),
            &called,
            &user_id(user).0,
        )?;
    }

    let dev_addr = devices.0.address_bytes();
    let pu1 = Device::new(&alice, "PU1", DeviceKind::Pu);
    let alice_db = Device::new(&alice, "private-DB", DeviceKind::PrivateDb);
    let cu = Device::new(&bob, "CU", DeviceKind::Cu);
    let mcu = Device::new(&bob, "MCU", DeviceKind::Mcu);
    let bob_db = Device::new(&bob, "private-DB", DeviceKind::PrivateDb);
    for (owner, device) in [
        (&alice, &pu1),
        (&alice, &alice_db),
        (&bob, &cu),
        (&bob, &mcu),
        (&bob, &bob_db),
    ] {
        let called =
            devices.register_device(chain, &isp, &device.registration(&dev_addr, owner))?;
        let what = format!(
            "registers {}'s {} (device {}) signed by {}",
            owner.name,
            device.label,
            short(&device.id.0),
            owner.name
        );
        expect_ok(
            t,
            "F.743.24 I.1.2 steps 6-7",
            "ISP",
            &what,
            &called,
            &device.id.0,
        )?;
    }
    let alice_devices = devices.devices_of(chain, &alice, user_id(&alice), 0, 10)?;
    ensure!(
        alice_devices == vec![pu1.id, alice_db.id],
        "Alice's catalogue: {alice_devices:?}"
    );
    t.step(
        "F.743.24 I.1.2",
        "Alice's VS platform",
        "lists Alice's devices",
        &format!("{} device(s)", alice_devices.len()),
    );

    // I.2 steps 1-2: Bob's VSS looks up PU1's public key by its ID.
    let keys = devices.device_keys(chain, &bob, pu1.id)?;
    ensure!(
        keys == Ok(pu1.keys.public()),
        "PU1's keys on the ledger: {keys:?}"
    );
    t.step(
        "F.743.24 I.2 steps 1-2",
        "Bob's VSS",
        &format!("looks up K_pub of PU1 {}", short(&pu1.id.0)),
        "found, matches PU1's key",
    );
    // I.2 steps 4-5: Alice's VSS verifies the CU key Bob presented.
    let verified = devices.verify_device_key(chain, &alice, cu.id, cu.keys.signing_public())?;
    ensure!(verified == Ok(true), "CU key verification: {verified:?}");
    let impostor =
        devices.verify_device_key(chain, &alice, cu.id, KeyPair::generate().signing_public())?;
    ensure!(
        impostor == Ok(false),
        "an impostor key verified: {impostor:?}"
    );
    t.step(
        "F.743.24 I.2 steps 4-5",
        "Alice's VSS",
        &format!("verifies K_pub of Bob's CU {}", short(&cu.id.0)),
        "valid; an impostor key is not",
    );

    Ok(Registered {
        suite: Suite {
            identity,
            devices,
            resources,
            sharing,
        },
        operator,
        isp,
        cloud,
        alice,
        bob,
        pu1,
        alice_db,
        cu,
        mcu,
        bob_db,
    })
}

/// Everything a refused call must leave as it was.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    users: Vec<IdentityResult<UserRecord>>,
    devices: Vec<DeviceResult<DeviceRecord>>,
    catalogues: Vec<Vec<DeviceId>>,
}

impl Registered {
    /// Every registered user's and device's record and catalogue, as the operator reads them.
    pub fn snapshot<C: Chain>(&self, chain: &mut C) -> anyhow::Result<Snapshot> {
        self.snapshot_with(chain, &[], &[])
    }

    /// [`Self::snapshot`] with more users and devices.
    pub fn snapshot_with<C: Chain>(
        &self,
        chain: &mut C,
        users: &[UserId],
        devices: &[DeviceId],
    ) -> anyhow::Result<Snapshot> {
        let mut all_users = vec![user_id(&self.alice), user_id(&self.bob)];
        all_users.extend_from_slice(users);
        let mut all_devices: Vec<_> =
            [&self.pu1, &self.alice_db, &self.cu, &self.mcu, &self.bob_db]
                .map(|d| d.id)
                .to_vec();
        all_devices.extend_from_slice(devices);
        snapshot(chain, self, &all_users, &all_devices)
    }
}

fn snapshot<C: Chain>(
    chain: &mut C,
    r: &Registered,
    users: &[UserId],
    devices: &[DeviceId],
) -> anyhow::Result<Snapshot> {
    let asker = &r.operator;
    Ok(Snapshot {
        users: users
            .iter()
            .map(|u| r.suite.identity.user(chain, asker, *u))
            .collect::<Result<_, _>>()?,
        devices: devices
            .iter()
            .map(|d| r.suite.devices.device(chain, asker, *d))
            .collect::<Result<_, _>>()?,
        catalogues: users
            .iter()
            .map(|u| r.suite.devices.devices_of(chain, asker, *u, 0, 50))
            .collect::<Result<_, _>>()?,
    })
}

/// The refusals of I.1, each with its typed error and unchanged state; also exercises
/// device key rotation, status changes and transfer across the two contracts.
pub fn registration_refusals<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    r: &Registered,
) -> anyhow::Result<()> {
    let (identity, devices) = (&r.suite.identity, &r.suite.devices);
    let (id_addr, dev_addr) = (identity.0.address_bytes(), devices.0.address_bytes());
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
    let clause = "F.743.24 I.1 refusal";

    macro_rules! refused {
        ($actor:expr, $what:expr, $call:expr, $error:expr) => {{
            let before = snapshot(chain, r, &users, &known)?;
            let called = $call;
            let after = snapshot(chain, r, &users, &known)?;
            expect_refused(
                t,
                clause,
                &$actor.name,
                $what,
                called,
                $error,
                (&before, &after),
            )?;
        }};
    }

    // Caller not a registrar.
    refused!(
        r.bob,
        "registers Dave without being a registrar",
        identity.register_user(chain, &r.bob, &user_registration(&id_addr, &dave, &r.bob))?,
        IdentityError::NotRegistrar
    );
    refused!(
        r.alice,
        "registers her PU2 without being a registrar",
        devices.register_device(chain, &r.alice, &extra.registration(&dev_addr, &r.alice))?,
        DeviceError::NotRegistrar
    );

    // Bad proof of possession: signed by another key than the one registered.
    let mut bad_pop = user_registration(&id_addr, &dave, &r.isp);
    bad_pop.proof_of_possession = carol.keys.sign(&payload::user_proof_of_possession(
        &id_addr,
        &bad_pop.user,
        &bad_pop.keys,
        dave.account.as_ref(),
        r.isp.account.as_ref(),
        &NOTICE_HASH,
        NOTICE_VERSION,
    ));
    refused!(
        r.isp,
        "registers Dave with a proof of possession by another key",
        identity.register_user(chain, &r.isp, &bad_pop)?,
        IdentityError::InvalidProofOfPossession
    );

    // Bad owner signature: Bob signs a device record claiming Alice as owner.
    let forged = extra.registration_signed_by(&dev_addr, &r.alice, &r.bob.keys);
    refused!(
        r.isp,
        "registers a PU2 for Alice signed by Bob",
        devices.register_device(chain, &r.isp, &forged)?,
        DeviceError::InvalidOwnerSignature
    );

    // Replay to another contract instance: a second pair of registries.
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
        &user_registration(&id_addr, &r.alice, &r.isp),
    )?;
    ensure!(
        replayed.value == Err(IdentityError::InvalidProofOfPossession) && replayed.outcome.reverted,
        "cross-contract user replay: {:?}",
        replayed.value
    );
    ensure!(
        identity_b.user(chain, &r.operator, user_id(&r.alice))? == Err(IdentityError::UnknownUser),
        "replayed user registered"
    );
    t.step(
        clause,
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
    let replayed =
        devices_b.register_device(chain, &r.isp, &r.pu1.registration(&dev_addr, &r.alice))?;
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
        clause,
        "ISP",
        "replays PU1's owner-signed record (for device registry A) to device registry B",
        "refused with InvalidOwnerSignature, B has no PU1",
    );

    // Replay to another purpose: Alice's proof of possession offered as a device owner signature.
    let mut other_purpose = extra.registration(&dev_addr, &r.alice);
    other_purpose.owner_signature =
        user_registration(&id_addr, &r.alice, &r.isp).proof_of_possession;
    refused!(
        r.isp,
        "offers Alice's user proof-of-possession signature as her device signature",
        devices.register_device(chain, &r.isp, &other_purpose)?,
        DeviceError::InvalidOwnerSignature
    );

    // Replay in the same contract: a used key-rotation statement.
    let new_pair = KeyPair::generate();
    let new_keys = new_pair.public();
    let rotation = r.alice.keys.sign(&payload::device_key_rotation(
        &dev_addr, &r.pu1.id, 0, &new_keys,
    ));
    let possession = r
        .pu1
        .proof_of_possession(&dev_addr, user_id(&r.alice), &new_pair, 0);
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
    refused!(
        r.alice,
        "replays the same PU1 key rotation",
        devices.rotate_device_key(chain, &r.alice, r.pu1.id, new_keys, rotation, possession)?,
        DeviceError::InvalidOwnerSignature
    );

    // Duplicate IDs.
    refused!(
        r.isp,
        "registers Alice a second time",
        identity.register_user(
            chain,
            &r.isp,
            &user_registration(&id_addr, &r.alice, &r.isp)
        )?,
        IdentityError::UserExists
    );
    refused!(
        r.isp,
        "registers PU1 a second time",
        devices.register_device(chain, &r.isp, &r.pu1.registration(&dev_addr, &r.alice))?,
        DeviceError::DeviceExists
    );

    // Suspended owner.
    let carol_registered =
        identity.register_user(chain, &r.isp, &user_registration(&id_addr, &carol, &r.isp))?;
    expect_ok(
        t,
        "F.743.24 I.1.1 step 3",
        "ISP",
        "registers Carol",
        &carol_registered,
        &user_id(&carol).0,
    )?;
    let suspended = identity.set_user_status(
        chain,
        &r.isp,
        "suspend_user",
        user_id(&carol),
        reason::POLICY_VIOLATION,
    )?;
    expect_ok(
        t,
        "F.743.24 SyR-11",
        "ISP",
        "suspends Carol",
        &suspended,
        &user_id(&carol).0,
    )?;
    refused!(
        r.isp,
        "registers Carol's camera while Carol is suspended",
        devices.register_device(chain, &r.isp, &carol_cam.registration(&dev_addr, &carol))?,
        DeviceError::OwnerNotActive
    );

    // The operator moves Carol to a second ISP; the first loses its power over her.
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
    let moved = identity.reassign_registrar(chain, &r.operator, user_id(&carol), isp2.account)?;
    expect_ok(
        t,
        "F.743.24 I.1.1",
        "Operator",
        "reassigns Carol to ISP 2",
        &moved,
        &user_id(&carol).0,
    )?;
    refused!(
        r.isp,
        "lifts Carol's suspension after she moved to ISP 2",
        identity.set_user_status(
            chain,
            &r.isp,
            "reactivate_user",
            user_id(&carol),
            reason::RESOLVED
        )?,
        IdentityError::NotUserRegistrar
    );

    // Unknown IDs.
    refused!(
        r.isp,
        "registers a camera for Dave, who is not registered",
        devices.register_device(
            chain,
            &r.isp,
            &Device::new(&dave, "PU1", DeviceKind::Pu).registration(&dev_addr, &dave)
        )?,
        DeviceError::UnknownOwner
    );
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
        identity.user(chain, &r.bob, user_id(&dave))? == Err(IdentityError::UnknownUser),
        "unknown user"
    );
    t.step(
        clause,
        "Bob's VSS",
        "looks up an unknown device and an unknown user",
        "UnknownDevice / UnknownUser",
    );

    // Device status by the owner's controlling account (resolved through identity_registry).
    refused!(
        r.bob,
        "suspends Alice's private DB",
        devices.set_device_status(
            chain,
            &r.bob,
            "suspend_device",
            r.alice_db.id,
            reason::DEVICE_LOST
        )?,
        DeviceError::NotAuthorized
    );
    let called = devices.set_device_status(
        chain,
        &r.alice,
        "suspend_device",
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
        "reactivate_device",
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
    )?;

    // Ownership transfer signed by both owners.
    let registered =
        devices.register_device(chain, &r.isp, &extra.registration(&dev_addr, &r.alice))?;
    expect_ok(
        t,
        "F.743.24 I.1.2 steps 6-7",
        "ISP",
        "registers Alice's PU2",
        &registered,
        &extra.id.0,
    )?;
    let statement = payload::device_transfer(
        &dev_addr,
        &extra.id,
        0,
        &user_id(&r.alice),
        &user_id(&r.bob),
    );
    let (from_sig, to_sig) = (r.alice.keys.sign(&statement), r.bob.keys.sign(&statement));
    refused!(
        r.bob,
        "takes PU2 with only his own signature",
        devices.transfer_device(chain, &r.bob, extra.id, user_id(&r.bob), to_sig, to_sig)?,
        DeviceError::InvalidOwnerSignature
    );
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

    // A device registry wired to an account that is not an identity registry.
    let miswired = DeviceClient(chain.deploy(
        &r.operator,
        "device_registry",
        "new",
        &r.operator.account.encode(),
    )?);
    let called = miswired.register_device(
        chain,
        &r.isp,
        &extra.registration(&miswired.0.address_bytes(), &r.alice),
    )?;
    ensure!(
        called.value == Err(DeviceError::IdentityRegistryCallFailed) && called.outcome.reverted,
        "miswired registry: {:?}",
        called.value
    );
    ensure!(
        miswired.device(chain, &r.operator, extra.id)? == Err(DeviceError::UnknownDevice),
        "miswired registry stored a device"
    );
    t.step(
        clause,
        "ISP",
        "registers a device in a registry wired to a non-contract account",
        "refused with IdentityRegistryCallFailed, nothing stored",
    );

    // Bob rotates his user key (signed by the old and the new key); the device registry
    // then accepts only the new one, fetched across the contract boundary.
    let bob_id = user_id(&r.bob);
    let new_bob = KeyPair::generate();
    let statement = payload::user_key_rotation(&id_addr, &bob_id, 0, &new_bob.public());
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
    refused!(
        r.bob,
        "replays his key rotation",
        identity.rotate_user_key(chain, &r.bob, bob_id, new_bob.public(), old_sig, new_sig)?,
        IdentityError::InvalidOldKeySignature
    );
    refused!(
        r.isp,
        "registers Bob's PU9 signed with Bob's replaced key",
        devices.register_device(chain, &r.isp, &bob_cam.registration(&dev_addr, &r.bob))?,
        DeviceError::InvalidOwnerSignature
    );
    let called = devices.register_device(
        chain,
        &r.isp,
        &bob_cam.registration_signed_by(&dev_addr, &r.bob, &new_bob),
    )?;
    expect_ok(
        t,
        "F.743.24 I.1.2 steps 6-7",
        "ISP",
        "registers Bob's PU9 signed with Bob's new key",
        &called,
        &bob_cam.id.0,
    )?;
    Ok(())
}
