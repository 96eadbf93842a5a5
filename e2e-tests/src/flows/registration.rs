//! F.743.24 I.1 (registration in VSSI) and the registry parts of I.2 (steps 1-2, 4-5), with
//! every refusal the foundation promises: wrong caller, bad proofs and signatures, replays
//! to the same contract, another contract and another purpose, duplicates, a suspended
//! owner, unknown IDs. Each refusal asserts the typed error and unchanged state.
use super::expect_ok;
use crate::chain::{Actor, Chain};
use crate::clients::{
    DeviceClient, DeviceResult, IdentityClient, IdentityResult, ResourceClient, SharingClient,
};
use crate::transcript::{short, Transcript};
use anyhow::ensure;
use device_registry::{DeviceRecord, DeviceRegistration};
use identity_registry::{UserRecord, UserRegistration};
use sha2::{Digest, Sha256};
use shared_types::{AccountBytes, DeviceId, DeviceKind, Ed25519Signature, Registries, UserId};
use std::fmt::Debug;
use vssi_sdk::requests::{self, DeviceTerms, UserTerms};
use vssi_sdk::{commitment, KeyPair};

mod refusals;
pub use refusals::registration_refusals;

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
        requests::device_registration(registry, &self.terms(owner), signer, &self.keys)
    }

    /// What `owner` registers this device with.
    pub fn terms(&self, owner: &Actor) -> DeviceTerms {
        DeviceTerms {
            device: self.id,
            kind: self.kind,
            owner: user_id(owner),
            keys: self.keys.public(),
            serial: commitment::serial_commitment(&self.salt, &self.serial),
        }
    }

    /// `keys`' proof of possession as this device of `owner`, at the record's `nonce` (0 at
    /// registration): the device signs it with the key being registered or rotated to.
    pub fn proof_of_possession(
        &self,
        registry: &AccountBytes,
        owner: &Actor,
        keys: &KeyPair,
        nonce: u32,
    ) -> Ed25519Signature {
        requests::device_proof_of_possession(registry, &self.id, &user_id(owner), keys, nonce)
    }
}

/// A user's ID in VSSI, chosen by the user (I.1.1 step 1): here derived from the name.
pub fn user_id(actor: &Actor) -> UserId {
    UserId(Sha256::digest(format!("vssi user {}", actor.name)).into())
}

/// The user's registration as the ISP submits it: the user's proof of possession (naming
/// the ISP and the notice) and the ISP's attestation.
pub fn user_registration(registry: &AccountBytes, user: &Actor, isp: &Actor) -> UserRegistration {
    let terms = UserTerms {
        user: user_id(user),
        keys: user.keys.public(),
        controller: user.account,
        registrar: isp.account,
        notice_hash: NOTICE_HASH,
        notice_version: NOTICE_VERSION,
    };
    requests::user_registration(registry, &terms, &user.keys, &isp.keys)
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

impl Suite {
    /// Deploys the four contracts in the order each needs the one before, wired to each
    /// other and administered by `admin`; the resource registry suspends a storage provider
    /// at `fault_threshold` faults. Fails unless sharing_policy, given only the resource
    /// registry, found the other two through it.
    pub fn deploy<C: Chain>(
        chain: &mut C,
        admin: &Actor,
        fault_threshold: u32,
    ) -> anyhow::Result<Self> {
        let identity = IdentityClient::deploy(chain, admin)?;
        let devices = DeviceClient::deploy(chain, admin, &identity)?;
        let resources = ResourceClient::deploy(chain, admin, &devices, fault_threshold)?;
        let sharing = SharingClient::deploy(chain, admin, &resources)?;
        let suite = Self {
            identity,
            devices,
            resources,
            sharing,
        };
        let trusted = suite.sharing.registries(chain, admin)?;
        ensure!(
            trusted == suite.registries(),
            "sharing_policy trusts other registries than the suite's: {trusted:?}"
        );
        Ok(suite)
    }

    /// The addresses of the identity, device and resource registries.
    pub fn registries(&self) -> Registries {
        Registries {
            identity: self.identity.0.address_bytes(),
            devices: self.devices.0.address_bytes(),
            resources: self.resources.0.address_bytes(),
        }
    }
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
    let suite = Suite::deploy(chain, &operator, FAULT_THRESHOLD)?;
    let (identity, devices) = (&suite.identity, &suite.devices);
    let (resources, sharing) = (&suite.resources, &suite.sharing);
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
        suite,
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
