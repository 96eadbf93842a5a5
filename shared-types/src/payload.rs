//! The ONE builder of each signed statement of the suite.
//!
//! Every payload is the SCALE encoding of
//! `(domain tag, verifying contract address, fields…)`, where the fields end with a nonce
//! whenever the same statement could otherwise be signed twice. The verifying contract calls
//! the same function as the SDK that signs, so the bytes cannot drift apart, and a signature
//! made for one purpose, contract instance or nonce verifies for no other.
use crate::{
    AccountBytes, AgreementId, DeviceId, DeviceKind, Ed25519PublicKey, Multihash, PolicyId,
    ResourceContent, ResourceId, SerialCommitment, TimeSpan, Timestamp, TxId, UserId, Window,
    X25519PublicKey,
};
use alloc::vec::Vec;
use scale::Encode;

/// Domain tags: one per statement, versioned.
pub mod domain {
    /// A user proves possession of the signing key being registered, through one registrar.
    pub const USER_PROOF_OF_POSSESSION: &[u8] = b"vssi/v2/identity/user-proof-of-possession";
    /// A registrar (ISP) attests a user record after checking the real identity (I.1.1 step 3).
    pub const REGISTRAR_ATTESTATION: &[u8] = b"vssi/v1/identity/registrar-attestation";
    /// A user's old and new keys both approve a key rotation.
    pub const USER_KEY_ROTATION: &[u8] = b"vssi/v1/identity/user-key-rotation";
    /// A user's current key approves a new controlling account, which the registrar it
    /// names submits.
    pub const USER_CONTROLLER_CHANGE: &[u8] = b"vssi/v2/identity/user-controller-change";
    /// A user's new key and its registrar both approve recovering a suspended user.
    pub const USER_RECOVERY: &[u8] = b"vssi/v1/identity/user-recovery";
    /// A device owner signs the device record (I.1.2 step 6).
    pub const DEVICE_REGISTRATION: &[u8] = b"vssi/v1/device/registration";
    /// A device proves possession of the signing key being registered or rotated to.
    pub const DEVICE_PROOF_OF_POSSESSION: &[u8] = b"vssi/v1/device/proof-of-possession";
    /// A device owner approves new device keys.
    pub const DEVICE_KEY_ROTATION: &[u8] = b"vssi/v1/device/key-rotation";
    /// Both owners approve a device changing hands.
    pub const DEVICE_TRANSFER: &[u8] = b"vssi/v1/device/transfer";
    /// Off-chain only: the preimage of a hardware serial commitment.
    pub const SERIAL_COMMITMENT: &[u8] = b"vssi/v1/device/serial-commitment";
    /// A resource owner lets a storage provider write the resource record (I.4 step 2).
    pub const RESOURCE_UPLOAD: &[u8] = b"vssi/v1/resource/upload";
    /// A PU vouches for what it captured and when.
    pub const CAPTURE_ATTESTATION: &[u8] = b"vssi/v2/resource/capture-attestation";
    /// Hashed (not signed): one immutable version of a sharing policy (SeR-5).
    pub const POLICY_VERSION: &[u8] = b"vssi/v1/sharing/policy-version";
    /// A requester accepts one policy version (I.5.1 step 1).
    pub const AGREEMENT_ACCEPTANCE: &[u8] = b"vssi/v1/sharing/agreement-acceptance";
    /// Off-chain: an owner's cloud-DB authorization code (I.3 step 2).
    pub const AUTHORIZATION_CODE: &[u8] = b"vssi/v1/sharing/authorization-code";
    /// Off-chain: the CU presents an authorization code to one cloud store (I.3 step 3).
    pub const AUTHORIZATION_CODE_PRESENTATION: &[u8] = b"vssi/v1/sharing/code-presentation";
    /// Off-chain: I.2 M1, the CU's authorization request.
    pub const HANDSHAKE_REQUEST: &[u8] = b"vssi/v1/handshake/m1-request";
    /// Off-chain: I.2 M2, the PU's answer with its temporary key.
    pub const HANDSHAKE_ANSWER: &[u8] = b"vssi/v1/handshake/m2-answer";
    /// Off-chain: I.2 M3, the CU's confirmation.
    pub const HANDSHAKE_CONFIRM: &[u8] = b"vssi/v1/handshake/m3-confirm";
    /// A UE binds its public key to its identity, for one authority (Y.2247 7.2.1).
    pub const UE_REGISTRATION: &[u8] = b"vssi/v2/divs/ue-registration";
    /// A DIVS authority endorses parameters with the account status (Y.2247 7.2.2).
    pub const ENDORSEMENT: &[u8] = b"vssi/v1/divs/endorsement";
    /// Off-chain: a UE signs collected data (Y.2247 7.2.3, 8.2).
    pub const DIVS_DATA: &[u8] = b"vssi/v1/divs/data";
    /// Off-chain: an aggregator reports a verification to a consumer (Y.2247 10.2 step 7).
    pub const AGGREGATOR_REPORT: &[u8] = b"vssi/v1/divs/aggregator-report";
    /// Off-chain only: the preimage of a UE identity commitment.
    pub const UE_IDENTITY_COMMITMENT: &[u8] = b"vssi/v1/divs/identity-commitment";
    /// Hashed (not signed): one link of the DIVS ledger's hash chain.
    pub const DIVS_CHAIN: &[u8] = b"vssi/v1/divs/chain-link";
}

fn statement<F: Encode>(domain: &[u8], contract: &AccountBytes, fields: F) -> Vec<u8> {
    (domain, contract, fields).encode()
}

/// The public keys a user or device registers: ed25519 to sign, X25519 to receive encrypted
/// data (never one key for both).
#[derive(Clone, Copy, PartialEq, Eq, Debug, scale::Encode, scale::Decode, scale_info::TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub struct KeySet {
    /// Verifies the holder's signatures.
    pub signing: Ed25519PublicKey,
    /// Encrypts data to the holder.
    pub encryption: X25519PublicKey,
}

/// Signed by the user's new signing key: proves possession and binds the record's keys,
/// controlling account, the registrar (account) the user asks to register it and the
/// notice the user accepted to the user ID in one identity registry, so another registrar
/// cannot submit it with its own attestation.
pub fn user_proof_of_possession(
    registry: &AccountBytes,
    user: &UserId,
    keys: &KeySet,
    controller: &AccountBytes,
    registrar: &AccountBytes,
    notice_hash: &[u8; 32],
    notice_version: u32,
) -> Vec<u8> {
    statement(
        domain::USER_PROOF_OF_POSSESSION,
        registry,
        (
            user,
            keys,
            controller,
            registrar,
            notice_hash,
            notice_version,
        ),
    )
}

/// Signed by the registrar's key over the whole user record, including the hash and version
/// of the information-collection notice the user accepted (ABVSSI-7).
pub fn registrar_attestation(
    registry: &AccountBytes,
    user: &UserId,
    keys: &KeySet,
    controller: &AccountBytes,
    notice_hash: &[u8; 32],
    notice_version: u32,
) -> Vec<u8> {
    statement(
        domain::REGISTRAR_ATTESTATION,
        registry,
        (user, keys, controller, notice_hash, notice_version),
    )
}

/// Signed by BOTH the current and the new signing key. `key_version` is the version being
/// replaced, so each rotation statement is usable once.
pub fn user_key_rotation(
    registry: &AccountBytes,
    user: &UserId,
    key_version: u32,
    new_keys: &KeySet,
) -> Vec<u8> {
    statement(
        domain::USER_KEY_ROTATION,
        registry,
        (user, key_version, new_keys),
    )
}

/// Signed by the user's current signing key: `new_controller` acts for the user from now on.
/// The user's registrar, whose account the statement names, submits it, which is its
/// approval, so neither a thief of the key nor the registrar changes the controller alone,
/// and no other registrar (say, one the user is reassigned to) uses the signature. `nonce` is
/// the user's controller nonce (`controller_nonce`), so each statement is usable once.
pub fn user_controller_change(
    registry: &AccountBytes,
    user: &UserId,
    registrar: &AccountBytes,
    nonce: u32,
    new_controller: &AccountBytes,
) -> Vec<u8> {
    statement(
        domain::USER_CONTROLLER_CHANGE,
        registry,
        (user, registrar, nonce, new_controller),
    )
}

/// Signed by BOTH the user's new signing key (proof of possession) and the attestation key
/// of the registrar that recovers the user after checking the real identity off chain,
/// which the statement names, so no other registrar can use the user's signature.
/// `key_version` is the version being replaced, so each recovery statement is usable once.
pub fn user_recovery(
    registry: &AccountBytes,
    user: &UserId,
    key_version: u32,
    new_keys: &KeySet,
    new_controller: &AccountBytes,
    registrar_key: &Ed25519PublicKey,
) -> Vec<u8> {
    statement(
        domain::USER_RECOVERY,
        registry,
        (user, key_version, new_keys, new_controller, registrar_key),
    )
}

/// Signed by the owner's current user key (I.1.2 step 6). A device ID registers once, so the
/// statement needs no nonce.
pub fn device_registration(
    registry: &AccountBytes,
    device: &DeviceId,
    kind: DeviceKind,
    owner: &UserId,
    keys: &KeySet,
    serial: &SerialCommitment,
) -> Vec<u8> {
    statement(
        domain::DEVICE_REGISTRATION,
        registry,
        (device, kind, owner, keys, serial),
    )
}

/// Signed by the device's signing key being registered (`nonce` 0) or rotated to (`nonce`
/// the device record's): proves possession and binds the keys to this device ID and owner
/// in one device registry, so nobody registers another party's key as their device.
pub fn device_proof_of_possession(
    registry: &AccountBytes,
    device: &DeviceId,
    owner: &UserId,
    keys: &KeySet,
    nonce: u32,
) -> Vec<u8> {
    statement(
        domain::DEVICE_PROOF_OF_POSSESSION,
        registry,
        (device, owner, keys, nonce),
    )
}

/// Signed by the owner's current user key. `nonce` is the device record's nonce.
pub fn device_key_rotation(
    registry: &AccountBytes,
    device: &DeviceId,
    nonce: u32,
    new_keys: &KeySet,
) -> Vec<u8> {
    statement(
        domain::DEVICE_KEY_ROTATION,
        registry,
        (device, nonce, new_keys),
    )
}

/// Signed by BOTH the current and the new owner's user keys. `nonce` is the device record's
/// nonce.
pub fn device_transfer(
    registry: &AccountBytes,
    device: &DeviceId,
    nonce: u32,
    from: &UserId,
    to: &UserId,
) -> Vec<u8> {
    statement(domain::DEVICE_TRANSFER, registry, (device, nonce, from, to))
}

/// What is hashed (SHA-256, off chain) into a [`SerialCommitment`]. The salt stays with the
/// owner; without it the commitment reveals nothing about the serial.
pub fn serial_commitment_preimage(salt: &[u8; 32], serial: &[u8]) -> Vec<u8> {
    (domain::SERIAL_COMMITMENT, salt, serial).encode()
}

/// Signed by the resource owner's current user key for the account that writes the record:
/// a storage provider writing it for them (required), or the owner's own account (optional;
/// kept, it makes the claim checkable offline). The writer and the content are fixed, a
/// provider adds only its storage index. A resource ID registers once, so the statement
/// needs no nonce.
pub fn resource_upload(
    registry: &AccountBytes,
    resource: &ResourceId,
    owner: &UserId,
    pu: &DeviceId,
    provider: &AccountBytes,
    content: &ResourceContent,
) -> Vec<u8> {
    statement(
        domain::RESOURCE_UPLOAD,
        registry,
        (resource, owner, pu, provider, content),
    )
}

/// Signed by the capturing PU's device key at capture time. It names the device registry
/// that holds the PU's key, since the PU cannot know where its video will be registered,
/// and the user the PU captures for (its owner then), so nobody else can claim the video.
pub fn capture_attestation(
    device_registry: &AccountBytes,
    pu: &DeviceId,
    owner: &UserId,
    multihash: &Multihash,
    capture: &TimeSpan,
) -> Vec<u8> {
    statement(
        domain::CAPTURE_ATTESTATION,
        device_registry,
        (pu, owner, multihash, capture),
    )
}

/// The bytes whose SHA-256 is a policy version's hash. Agreements name that hash, so the
/// terms a requester accepted can be proven later from the version alone.
pub fn policy_version(
    sharing: &AccountBytes,
    policy: PolicyId,
    version: u32,
    owner: &UserId,
    terms: &crate::PolicyTerms,
) -> Vec<u8> {
    statement(
        domain::POLICY_VERSION,
        sharing,
        (policy, version, owner, terms),
    )
}

/// Signed by the requester's current user key. One agreement per (policy, version,
/// requester) exists, so the statement needs no nonce.
pub fn agreement_acceptance(
    sharing: &AccountBytes,
    policy: PolicyId,
    version: u32,
    version_hash: &[u8; 32],
    requester: &UserId,
) -> Vec<u8> {
    statement(
        domain::AGREEMENT_ACCEPTANCE,
        sharing,
        (policy, version, version_hash, requester),
    )
}

/// Signed by the resource owner's user key: a cloud-DB authorization code (I.3 step 2) for
/// one CU to read `resources` of one PU under an agreement, until `expires_at`. `code_id`
/// is random, so each code is distinct and a store can refuse a resource it served under it.
#[allow(clippy::too_many_arguments)] // the scope of the code, field by field
pub fn authorization_code(
    sharing: &AccountBytes,
    code_id: &[u8; 16],
    agreement: AgreementId,
    cu: &DeviceId,
    pu: &DeviceId,
    resources: &[ResourceId],
    window: &Option<Window>,
    expires_at: Timestamp,
) -> Vec<u8> {
    statement(
        domain::AUTHORIZATION_CODE,
        sharing,
        (code_id, agreement, cu, pu, resources, window, expires_at),
    )
}

/// Signed by the CU's device key when it presents the code `code_id` (I.3 step 3): to one
/// store (its account), answering that store's fresh `challenge`, for one `resource` and
/// the part of it asked for. A presentation seen in transit so opens nothing else: not
/// again (the store takes each challenge once), not at another store, not another resource
/// or window.
pub fn authorization_code_presentation(
    sharing: &AccountBytes,
    code_id: &[u8; 16],
    store: &AccountBytes,
    challenge: &[u8; 16],
    resource: &ResourceId,
    window: &Option<Window>,
) -> Vec<u8> {
    statement(
        domain::AUTHORIZATION_CODE_PRESENTATION,
        sharing,
        (code_id, store, challenge, resource, window),
    )
}

/// Signed by the CU's device key: I.2 step 3, M1 (before encryption to PU1's key).
pub fn handshake_request(
    device_registry: &AccountBytes,
    cu: &DeviceId,
    cu_key: &Ed25519PublicKey,
    pu: &DeviceId,
    nonce: u64,
) -> Vec<u8> {
    statement(
        domain::HANDSHAKE_REQUEST,
        device_registry,
        (cu, cu_key, pu, nonce),
    )
}

/// Signed by PU1's temporary key AND its registered key: I.2 step 7, M2 with nonce+1. The
/// registered key's signature ties the temporary key to PU1.
pub fn handshake_answer(
    device_registry: &AccountBytes,
    pu: &DeviceId,
    temporary_key: &Ed25519PublicKey,
    temporary_encryption_key: &X25519PublicKey,
    cu: &DeviceId,
    nonce: u64,
) -> Vec<u8> {
    statement(
        domain::HANDSHAKE_ANSWER,
        device_registry,
        (pu, temporary_key, temporary_encryption_key, cu, nonce),
    )
}

/// Signed by the CU's device key: I.2 step 8, M3 with nonce+2.
pub fn handshake_confirm(
    device_registry: &AccountBytes,
    cu: &DeviceId,
    pu: &DeviceId,
    temporary_key: &Ed25519PublicKey,
    nonce: u64,
) -> Vec<u8> {
    statement(
        domain::HANDSHAKE_CONFIRM,
        device_registry,
        (cu, pu, temporary_key, nonce),
    )
}

/// Signed by the UE's key (Y.2247 7.2.1): binds the key and algorithm to the identity
/// commitments, for one DIVS ledger and the authority (its chain account) the UE registers
/// with, so that no other authority can endorse them with the UE's signature. Registration
/// happens once per key.
pub fn ue_registration(
    ledger: &AccountBytes,
    identity: &crate::UeIdentity,
    public_key: &Ed25519PublicKey,
    algorithm: crate::SignatureAlgorithm,
    authority: &AccountBytes,
) -> Vec<u8> {
    statement(
        domain::UE_REGISTRATION,
        ledger,
        (identity, public_key, algorithm, authority),
    )
}

/// Signed by a DIVS authority's key (Y.2247 7.2.2). `previous` is the UE's latest entry
/// (none for a registration), so an update cannot be replayed once another follows.
pub fn endorsement(
    ledger: &AccountBytes,
    parameters: &crate::UeParameters,
    status: &crate::AccountStatus,
    kind: crate::EntryKind,
    previous: Option<TxId>,
) -> Vec<u8> {
    statement(
        domain::ENDORSEMENT,
        ledger,
        (parameters, status, kind, previous),
    )
}

/// Signed by the UE's key over collected data (Y.2247 7.2.3): the data's SHA-256, the
/// signing time, and the transaction ID of the UE's latest endorsement.
pub fn divs_data(
    ledger: &AccountBytes,
    tx_id: TxId,
    signed_at: Timestamp,
    data_hash: &[u8; 32],
) -> Vec<u8> {
    statement(domain::DIVS_DATA, ledger, (tx_id, signed_at, data_hash))
}

/// Signed by a data aggregator's key: the result of verifying data it holds (Y.2247 10.2
/// step 7), for the consumer who asked (`request` is the consumer's nonce).
pub fn aggregator_report(
    ledger: &AccountBytes,
    tx_id: TxId,
    data_hash: &[u8; 32],
    verified: bool,
    request: &[u8; 16],
) -> Vec<u8> {
    statement(
        domain::AGGREGATOR_REPORT,
        ledger,
        (tx_id, data_hash, verified, request),
    )
}

/// What is hashed (SHA-256, off chain) into an [`crate::IdentityCommitment`]: the field's
/// name (`imei`, `iccid`, `msisdn`), a salt the UE and the authority keep, and the value.
pub fn ue_identity_commitment_preimage(field: &[u8], salt: &[u8; 32], value: &[u8]) -> Vec<u8> {
    (domain::UE_IDENTITY_COMMITMENT, field, salt, value).encode()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn keys(b: u8) -> KeySet {
        KeySet {
            signing: Ed25519PublicKey([b; 32]),
            encryption: X25519PublicKey([b; 32]),
        }
    }

    #[test]
    fn domains_are_distinct() {
        let all = [
            domain::USER_PROOF_OF_POSSESSION,
            domain::REGISTRAR_ATTESTATION,
            domain::USER_KEY_ROTATION,
            domain::USER_CONTROLLER_CHANGE,
            domain::USER_RECOVERY,
            domain::DEVICE_REGISTRATION,
            domain::DEVICE_PROOF_OF_POSSESSION,
            domain::DEVICE_KEY_ROTATION,
            domain::DEVICE_TRANSFER,
            domain::SERIAL_COMMITMENT,
            domain::RESOURCE_UPLOAD,
            domain::CAPTURE_ATTESTATION,
            domain::POLICY_VERSION,
            domain::AGREEMENT_ACCEPTANCE,
            domain::AUTHORIZATION_CODE,
            domain::AUTHORIZATION_CODE_PRESENTATION,
            domain::HANDSHAKE_REQUEST,
            domain::HANDSHAKE_ANSWER,
            domain::HANDSHAKE_CONFIRM,
            domain::UE_REGISTRATION,
            domain::ENDORSEMENT,
            domain::DIVS_DATA,
            domain::AGGREGATOR_REPORT,
            domain::UE_IDENTITY_COMMITMENT,
            domain::DIVS_CHAIN,
        ];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn a_ue_registration_names_its_authority() {
        let identity = crate::UeIdentity {
            imei: crate::IdentityCommitment([1; 32]),
            iccid: crate::IdentityCommitment([2; 32]),
            msisdn: crate::IdentityCommitment([3; 32]),
        };
        let key = Ed25519PublicKey([4; 32]);
        let algorithm = crate::SignatureAlgorithm::Ed25519;
        assert_ne!(
            ue_registration(&[5; 32], &identity, &key, algorithm, &[6; 32]),
            ue_registration(&[5; 32], &identity, &key, algorithm, &[7; 32])
        );
    }

    proptest! {
        /// The same fields signed for another contract or purpose give other bytes.
        #[test]
        fn payloads_bind_contract_and_purpose(c1 in any::<[u8; 32]>(), c2 in any::<[u8; 32]>(), u in any::<[u8; 32]>()) {
            prop_assume!(c1 != c2);
            let user = UserId(u);
            let pop = user_proof_of_possession(&c1, &user, &keys(1), &c1, &c1, &[0; 32], 0);
            prop_assert_ne!(&pop, &user_proof_of_possession(&c2, &user, &keys(1), &c1, &c1, &[0; 32], 0));
            prop_assert_ne!(&pop, &user_proof_of_possession(&c1, &user, &keys(1), &c1, &c2, &[0; 32], 0));
            prop_assert_ne!(&pop, &registrar_attestation(&c1, &user, &keys(1), &c1, &[0; 32], 0));
        }

        /// A nonce change changes the statement.
        #[test]
        fn nonces_change_statements(c in any::<[u8; 32]>(), d in any::<[u8; 32]>(), n in 0u32..u32::MAX) {
            let device = DeviceId(d);
            prop_assert_ne!(
                device_key_rotation(&c, &device, n, &keys(2)),
                device_key_rotation(&c, &device, n + 1, &keys(2))
            );
            prop_assert_ne!(
                device_transfer(&c, &device, n, &UserId([1; 32]), &UserId([2; 32])),
                device_transfer(&c, &device, n + 1, &UserId([1; 32]), &UserId([2; 32]))
            );
        }
    }
}
