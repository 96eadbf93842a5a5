//! Registration requests as their signers make them, each signature over the statement
//! [`shared_types::payload`] builds for the contract that checks it: the e2e flows, the
//! contracts' tests and the CLI send what the registries verify.
use crate::KeyPair;
use interfaces::{
    device::DeviceRegistration, identity::UserRegistration, resource::ResourceRegistration,
    AccountId,
};
use shared_types::{
    payload, AccountBytes, DeviceId, DeviceKind, Ed25519Signature, KeySet, Multihash,
    SerialCommitment, TimeSpan, UserId,
};

/// What a user and its registrar (ISP) sign to register the user (F.743.24 I.1.1 steps 1-3).
#[derive(Clone, Debug)]
pub struct UserTerms {
    /// The user's ID, chosen by the user.
    pub user: UserId,
    /// The keys to register.
    pub keys: KeySet,
    /// The chain account that will act for the user.
    pub controller: AccountId,
    /// The registrar that submits the request.
    pub registrar: AccountId,
    /// Hash of the information-collection notice the user accepted.
    pub notice_hash: [u8; 32],
    /// Version of that notice.
    pub notice_version: u32,
}

/// The registration of `terms` at the identity registry `registry`: `user_keys` signs the
/// proof of possession, `registrar_keys` the attestation.
pub fn user_registration(
    registry: &AccountBytes,
    terms: &UserTerms,
    user_keys: &KeyPair,
    registrar_keys: &KeyPair,
) -> UserRegistration {
    let (controller, registrar): (&AccountBytes, &AccountBytes) =
        (terms.controller.as_ref(), terms.registrar.as_ref());
    let possession = payload::user_proof_of_possession(
        registry,
        &terms.user,
        &terms.keys,
        controller,
        registrar,
        &terms.notice_hash,
        terms.notice_version,
    );
    let attestation = payload::registrar_attestation(
        registry,
        &terms.user,
        &terms.keys,
        controller,
        &terms.notice_hash,
        terms.notice_version,
    );
    UserRegistration {
        user: terms.user,
        keys: terms.keys,
        controller: terms.controller,
        notice_hash: terms.notice_hash,
        notice_version: terms.notice_version,
        proof_of_possession: user_keys.sign(&possession),
        registrar_signature: registrar_keys.sign(&attestation),
    }
}

/// What a device's owner signs to register it (F.743.24 I.1.2 steps 5-7).
#[derive(Clone, Debug)]
pub struct DeviceTerms {
    /// The device's ID.
    pub device: DeviceId,
    /// Its kind.
    pub kind: DeviceKind,
    /// The owning user.
    pub owner: UserId,
    /// The device's keys.
    pub keys: KeySet,
    /// Salted commitment of its hardware serial ([`crate::commitment::serial_commitment`]).
    pub serial: SerialCommitment,
}

/// The registration of `terms` at the device registry `registry`: `owner_keys` signs it,
/// `device_keys` proves possession of the device key (nonce 0).
pub fn device_registration(
    registry: &AccountBytes,
    terms: &DeviceTerms,
    owner_keys: &KeyPair,
    device_keys: &KeyPair,
) -> DeviceRegistration {
    let statement = payload::device_registration(
        registry,
        &terms.device,
        terms.kind,
        &terms.owner,
        &terms.keys,
        &terms.serial,
    );
    DeviceRegistration {
        device: terms.device,
        kind: terms.kind,
        owner: terms.owner,
        keys: terms.keys,
        serial: terms.serial,
        owner_signature: owner_keys.sign(&statement),
        device_signature: device_proof_of_possession(
            registry,
            &terms.device,
            &terms.owner,
            device_keys,
            0,
        ),
    }
}

/// `device_keys`' proof that they are the keys of `device` of `owner`, at the device
/// record's `nonce` (0 at registration, the record's nonce for a rotation to them).
pub fn device_proof_of_possession(
    registry: &AccountBytes,
    device: &DeviceId,
    owner: &UserId,
    device_keys: &KeyPair,
    nonce: u32,
) -> Ed25519Signature {
    device_keys.sign(&payload::device_proof_of_possession(
        registry,
        device,
        owner,
        &device_keys.public(),
        nonce,
    ))
}

/// `registration` with its owner's upload statement for the resource registry `registry`,
/// naming `submitter` (the account that sends it: the provider, or the owner's own
/// account), signed by `owner_keys`.
pub fn with_owner_signature(
    registration: ResourceRegistration,
    registry: &AccountBytes,
    submitter: &AccountBytes,
    owner_keys: &KeyPair,
) -> ResourceRegistration {
    let statement = payload::resource_upload(
        registry,
        &registration.resource,
        &registration.owner,
        &registration.pu,
        submitter,
        &registration.content,
    );
    ResourceRegistration {
        owner_signature: Some(owner_keys.sign(&statement)),
        ..registration
    }
}

/// `registration` with its PU's capture attestation for the device registry `devices`,
/// signed by `pu_keys`.
pub fn with_capture_attestation(
    registration: ResourceRegistration,
    devices: &AccountBytes,
    pu_keys: &KeyPair,
) -> ResourceRegistration {
    let signature = capture_attestation(
        devices,
        &registration.pu,
        &registration.owner,
        &registration.content.multihash,
        &registration.content.capture,
        pu_keys,
    );
    ResourceRegistration {
        pu_signature: Some(signature),
        ..registration
    }
}

/// A PU's attestation that it captured the video `multihash` for `owner` over `capture`,
/// under the device registry `devices`, signed by `pu_keys`.
pub fn capture_attestation(
    devices: &AccountBytes,
    pu: &DeviceId,
    owner: &UserId,
    multihash: &Multihash,
    capture: &TimeSpan,
    pu_keys: &KeyPair,
) -> Ed25519Signature {
    pu_keys.sign(&payload::capture_attestation(
        devices, pu, owner, multihash, capture,
    ))
}
