//! The evidence chain from one video resource to an endorsed camera, across both seeds:
//! the resource record (F.743.24 I.4), the PU's signature over (multihash, capture span),
//! the PU's device record with its link to a Y.2247 DIVS entry, that endorsement and the
//! UE's latest entry (valid at capture time), the owner's identity record with the ISP's
//! attestation, and the owner's signed upload statement (resource, PU, content, writer) that
//! ties the video to that owner. [`EvidenceBundle::verify`] checks it all without a chain
//! connection, against the registrar (ISP) and DIVS authority keys the verifier trusts.
use crate::divs::{check_entry, DivsError};
use crate::hashing::resource_id;
use scale::{Decode, Encode};
use shared_types::{
    payload, verify, AccountBytes, DeviceId, Ed25519PublicKey, Ed25519Signature, Entry,
    EntryAddress, KeySet, ResourceContent, ResourceId, UserId,
};

/// The resource record's facts.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ResourceFacts {
    /// The resource ID.
    pub resource: ResourceId,
    /// Its owner.
    pub owner: UserId,
    /// Its source PU.
    pub pu: DeviceId,
    /// Multihash, classification, size, capture span, segment tree.
    pub content: ResourceContent,
    /// The PU's capture attestation.
    pub pu_signature: Option<Ed25519Signature>,
    /// The account that wrote the record (the owner's, or a storage provider's).
    pub registered_by: AccountBytes,
    /// The owner's signature of [`payload::resource_upload`] naming `registered_by`.
    pub owner_signature: Option<Ed25519Signature>,
}

/// The PU's device record facts.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct DeviceFacts {
    /// Its owner.
    pub owner: UserId,
    /// Its current keys.
    pub keys: KeySet,
    /// Its DIVS link: the ledger contract and the registration's transaction ID.
    pub divs: Option<(AccountBytes, u64)>,
}

/// The owner's identity record facts, with the registrar's attestation.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct OwnerFacts {
    /// The user's keys.
    pub keys: KeySet,
    /// The controlling account.
    pub controller: AccountBytes,
    /// The accepted notice's hash.
    pub notice_hash: [u8; 32],
    /// Its version.
    pub notice_version: u32,
    /// The registrar's key at registration.
    pub registrar_key: Ed25519PublicKey,
    /// The registrar's signature of [`payload::registrar_attestation`].
    pub registrar_signature: Ed25519Signature,
}

/// The contracts the records come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Registries {
    /// identity_registry.
    pub identity: AccountBytes,
    /// device_registry.
    pub devices: AccountBytes,
    /// resource_registry.
    pub resources: AccountBytes,
}

/// Everything needed to trust one video without a chain connection.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct EvidenceBundle {
    /// Where the records came from.
    pub registries: Registries,
    /// The resource.
    pub resource: ResourceFacts,
    /// Its PU.
    pub device: DeviceFacts,
    /// The owner.
    pub owner: OwnerFacts,
    /// The DIVS ledger holding the endorsements.
    pub divs: EntryAddress,
    /// The PU's DIVS registration entry (the one the device links).
    pub endorsement: Entry,
    /// The PU's latest DIVS entry when the bundle was built.
    pub latest: Entry,
}

/// Keys a verifier trusts.
#[derive(Clone, Debug, Default)]
pub struct TrustAnchors {
    /// Registrar (ISP) attestation keys.
    pub registrars: Vec<Ed25519PublicKey>,
    /// DIVS authorities: chain account and endorsement key.
    pub authorities: Vec<(AccountBytes, Ed25519PublicKey)>,
}

/// Why evidence does not hold.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EvidenceError {
    /// The resource ID is not SHA-256(PU ID ‖ multihash).
    #[error("the resource ID does not derive from the PU and the multihash")]
    ResourceIdMismatch,
    /// The resource carries no PU capture attestation.
    #[error("no capture attestation")]
    MissingCaptureSignature,
    /// The capture attestation does not verify under the PU's key.
    #[error("the capture attestation does not verify under the PU's key")]
    BadCaptureSignature,
    /// The PU is not the owner's.
    #[error("the PU belongs to another user")]
    NotOwnersDevice,
    /// The device links no DIVS entry, or another one than the bundle's.
    #[error("the PU is not linked to this DIVS entry")]
    NotLinked,
    /// The DIVS entries do not endorse the PU's key, or are not one UE's entries.
    #[error("the DIVS entries do not endorse the PU's key")]
    KeyNotEndorsed,
    /// An entry's authority is not trusted.
    #[error("the DIVS authority is not trusted")]
    UntrustedAuthority,
    /// A DIVS entry does not verify.
    #[error(transparent)]
    Divs(#[from] DivsError),
    /// The capture span lies (partly) outside the account's validity, e.g. after termination.
    #[error("captured outside the PU's network account validity")]
    CapturedOutsideValidity,
    /// The owner's registrar is not trusted.
    #[error("the owner's registrar is not trusted")]
    UntrustedRegistrar,
    /// The registrar's attestation of the owner does not verify.
    #[error("the registrar's attestation of the owner does not verify")]
    BadAttestation,
    /// The record carries no owner's upload statement, so nothing signed ties the video to
    /// its owner.
    #[error("no owner's upload signature")]
    MissingOwnerSignature,
    /// The owner's upload statement does not verify under the attested owner key.
    #[error("the owner's upload signature does not verify under the attested key")]
    BadOwnerSignature,
}

impl EvidenceBundle {
    /// Checks the whole chain of evidence against `anchors`.
    pub fn verify(&self, anchors: &TrustAnchors) -> Result<(), EvidenceError> {
        let r = &self.resource;
        let content = &r.content;
        if resource_id(&r.pu, &content.multihash) != r.resource {
            return Err(EvidenceError::ResourceIdMismatch);
        }
        let attestation = payload::capture_attestation(
            &self.registries.devices,
            &r.pu,
            &content.multihash,
            &content.capture,
        );
        check_signed(
            &self.device.keys.signing,
            r.pu_signature,
            &attestation,
            (
                EvidenceError::MissingCaptureSignature,
                EvidenceError::BadCaptureSignature,
            ),
        )?;
        if self.device.owner != r.owner {
            return Err(EvidenceError::NotOwnersDevice);
        }
        if self.device.divs != Some((self.divs.contract, self.endorsement.tx_id)) {
            return Err(EvidenceError::NotLinked);
        }
        let key = self.device.keys.signing;
        if self.endorsement.parameters.public_key != key || self.latest.parameters.public_key != key
        {
            return Err(EvidenceError::KeyNotEndorsed);
        }
        for entry in [&self.endorsement, &self.latest] {
            let authority = anchors
                .authorities
                .iter()
                .find(|(account, _)| *account == entry.authority)
                .map(|(_, key)| *key)
                .ok_or(EvidenceError::UntrustedAuthority)?;
            check_entry(&self.divs.contract, entry, &authority)?;
        }
        let validity = &self.latest.status;
        if !validity.covers(content.capture.start) || !validity.covers(content.capture.end) {
            return Err(EvidenceError::CapturedOutsideValidity);
        }
        let o = &self.owner;
        if !anchors.registrars.contains(&o.registrar_key) {
            return Err(EvidenceError::UntrustedRegistrar);
        }
        let attestation = payload::registrar_attestation(
            &self.registries.identity,
            &r.owner,
            &o.keys,
            &o.controller,
            &o.notice_hash,
            o.notice_version,
        );
        if !verify::ed25519(&o.registrar_key, &o.registrar_signature, &attestation) {
            return Err(EvidenceError::BadAttestation);
        }
        let upload = payload::resource_upload(
            &self.registries.resources,
            &r.resource,
            &r.owner,
            &r.pu,
            &r.registered_by,
            content,
        );
        check_signed(
            &o.keys.signing,
            r.owner_signature,
            &upload,
            (
                EvidenceError::MissingOwnerSignature,
                EvidenceError::BadOwnerSignature,
            ),
        )
    }
}

/// Checks that `signature` is there and signs `statement` under `key`; else the first or the
/// second error of `(missing, bad)`.
fn check_signed(
    key: &Ed25519PublicKey,
    signature: Option<Ed25519Signature>,
    statement: &[u8],
    (missing, bad): (EvidenceError, EvidenceError),
) -> Result<(), EvidenceError> {
    let signature = signature.ok_or(missing)?;
    if verify::ed25519(key, &signature, statement) {
        Ok(())
    } else {
        Err(bad)
    }
}
