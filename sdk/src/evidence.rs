//! The evidence chain from one video resource to an endorsed camera, across both seeds:
//! the resource record (F.743.24 I.4), the PU's signature over (owner, multihash, capture
//! span) under its key at capture time, that key's Y.2247 DIVS endorsement, the ledger's
//! entries from that endorsement to a head the verifier trusts (so the entry in force at
//! capture time is found and none can be left out), the owner's identity record with the
//! ISP's attestation and the key changes since (each a rotation signed by the outgoing key
//! or a recovery signed by a trusted registrar), and the owner's signed upload statement
//! (resource, PU, content, writer) that ties the video to that owner. [`EvidenceBundle::verify`] checks it all without a chain
//! connection, against the deployment, registrar (ISP) keys, DIVS authority keys and ledger
//! head the verifier trusts ([`TrustAnchors`]).
use crate::divs::{check_entry, entry_in_force, DivsError, DivsLookup, LedgerAnchors};
use crate::hashing::{resource_id, sha256};
use scale::{Decode, Encode};
/// The contracts a bundle's records come from; also what sharing_policy's `registries` answers.
pub use shared_types::Registries;
use shared_types::{
    payload, verify, AccountBytes, DeviceId, Ed25519PublicKey, Ed25519Signature, Entry,
    EntryAddress, KeySet, ResourceContent, ResourceId, TxId, UserId,
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

/// The PU's keys at capture time, from its device record's key history.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct DeviceFacts {
    /// The keys valid when the capture started.
    pub keys: KeySet,
    /// Their DIVS link: the ledger contract and the registration's transaction ID.
    pub divs: Option<(AccountBytes, TxId)>,
}

/// The owner's identity record facts: the keys the registrar attested, its attestation,
/// and the key changes (rotations and recoveries) from those keys to the ones that signed
/// the upload.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct OwnerFacts {
    /// The keys the registrar attested at registration.
    pub registered_keys: KeySet,
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
    /// The user's key changes after registration, oldest first, one for each key epoch of
    /// the identity registry's key history after the first, up to the keys that signed the
    /// upload (none if the registered keys did). The `i`-th replaces key version `i`.
    pub rotations: Vec<KeyRotation>,
}

/// One change of the user's keys after registration, as the identity registry's key history
/// keeps it (`KeyEpoch::keys` and `KeyEpoch::authorized_by`): the keys put in place and what
/// authorized them, a rotation by the user or a recovery by a registrar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct KeyRotation {
    /// The keys put in place.
    pub keys: KeySet,
    /// The signature that put them in place.
    pub authorized: KeyChangeProof,
}

/// How a key change was authorized, and the signature the verifier checks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum KeyChangeProof {
    /// The user rotated her keys (`KeyChangeKind::Rotated`): the outgoing signing key signed
    /// [`payload::user_key_rotation`].
    Rotated {
        /// The outgoing signing key's signature of [`payload::user_key_rotation`].
        signature: Ed25519Signature,
    },
    /// The user's registrar recovered her while she was suspended, e.g. after a key theft
    /// (`KeyChangeKind::Recovered`): its attestation key signed [`payload::user_recovery`],
    /// which names that key and the controlling account the recovery set. Trusted as far
    /// as that registrar key is ([`TrustAnchors::registrars`]); the outgoing key plays no
    /// part (it may be the thief's).
    Recovered {
        /// The registrar's attestation key that signed (`KeyChange::signer`).
        registrar_key: Ed25519PublicKey,
        /// The controlling account the recovery set (`KeyChange::controller`).
        controller: AccountBytes,
        /// The registrar key's signature of [`payload::user_recovery`].
        signature: Ed25519Signature,
    },
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
    /// The ledger's hash-chain link before the PU's registration entry (zero for entry 0).
    pub before: [u8; 32],
    /// Every ledger entry from the PU's registration entry (the one the device links) to
    /// the head the bundle was built at, in order: the PU's later entries are among them,
    /// and the chain they recompute proves that none is missing.
    pub entries: Vec<Entry>,
}

/// What a verifier trusts, from outside the bundle.
#[derive(Clone, Debug)]
pub struct TrustAnchors {
    /// Registrar (ISP) attestation keys.
    pub registrars: Vec<Ed25519PublicKey>,
    /// The deployment's registries: every statement must be bound to them.
    pub registries: Registries,
    /// The deployment's DIVS ledger contract.
    pub ledger: AccountBytes,
    /// Its DIVS authorities' keys and its head (the ledger's `head` at a block the
    /// verifier trusts).
    pub divs: LedgerAnchors,
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
    /// The device links no DIVS entry, or another one than the bundle's.
    #[error("the PU is not linked to this DIVS entry")]
    NotLinked,
    /// The bundle's registries or DIVS ledger are not the deployment the verifier trusts.
    #[error("the evidence comes from another deployment than the trusted one")]
    OtherDeployment,
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
    /// The owner's registrar, or the registrar key of one of her recoveries, is not trusted.
    #[error("the owner's registrar is not trusted")]
    UntrustedRegistrar,
    /// The registrar's attestation of the owner does not verify.
    #[error("the registrar's attestation of the owner does not verify")]
    BadAttestation,
    /// The owner's key change from this key version does not verify: a rotation not signed
    /// by the outgoing key, or a recovery not signed by the registrar key it names (over the
    /// keys and the controller it carries).
    #[error("the owner's key change from version {0} is not signed by the outgoing key or the recovering registrar")]
    BadKeyRotation(u32),
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
        if self.registries != anchors.registries || self.divs.contract != anchors.ledger {
            return Err(EvidenceError::OtherDeployment);
        }
        let r = &self.resource;
        let content = &r.content;
        if resource_id(&r.pu, &content.multihash) != r.resource {
            return Err(EvidenceError::ResourceIdMismatch);
        }
        let attestation = payload::capture_attestation(
            &self.registries.devices,
            &r.pu,
            &r.owner,
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
        let mut segment = Segment::check(self.before, &self.entries, &anchors.divs)?;
        let endorsement = self.entries[0];
        if self.device.divs != Some((self.divs.contract, endorsement.tx_id)) {
            return Err(EvidenceError::NotLinked);
        }
        let key = self.device.keys.signing;
        if endorsement.parameters.public_key != key {
            return Err(EvidenceError::KeyNotEndorsed);
        }
        segment.endorsed(&self.divs.contract, &endorsement)?;
        let latest = segment.latest(&key)?.ok_or(EvidenceError::KeyNotEndorsed)?;
        for at in [content.capture.start, content.capture.end] {
            let governing = entry_in_force(latest, at, &mut segment)?;
            if governing.parameters.public_key != key {
                return Err(EvidenceError::KeyNotEndorsed);
            }
            segment.endorsed(&self.divs.contract, &governing)?;
            if !governing.status.covers(at) {
                return Err(EvidenceError::CapturedOutsideValidity);
            }
        }
        let o = &self.owner;
        if !anchors.registrars.contains(&o.registrar_key) {
            return Err(EvidenceError::UntrustedRegistrar);
        }
        let attestation = payload::registrar_attestation(
            &self.registries.identity,
            &r.owner,
            &o.registered_keys,
            &o.controller,
            &o.notice_hash,
            o.notice_version,
        );
        if !verify::ed25519(&o.registrar_key, &o.registrar_signature, &attestation) {
            return Err(EvidenceError::BadAttestation);
        }
        let mut keys = o.registered_keys;
        for (version, change) in (0u32..).zip(&o.rotations) {
            let identity = &self.registries.identity;
            let (signer, signature, statement) = match change.authorized {
                KeyChangeProof::Rotated { signature } => (
                    keys.signing,
                    signature,
                    payload::user_key_rotation(identity, &r.owner, version, &change.keys),
                ),
                KeyChangeProof::Recovered {
                    registrar_key,
                    controller,
                    signature,
                } => {
                    if !anchors.registrars.contains(&registrar_key) {
                        return Err(EvidenceError::UntrustedRegistrar);
                    }
                    let statement = payload::user_recovery(
                        identity,
                        &r.owner,
                        version,
                        &change.keys,
                        &controller,
                        &registrar_key,
                    );
                    (registrar_key, signature, statement)
                }
            };
            if !verify::ed25519(&signer, &signature, &statement) {
                return Err(EvidenceError::BadKeyRotation(version));
            }
            keys = change.keys;
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
            &keys.signing,
            r.owner_signature,
            &upload,
            (
                EvidenceError::MissingOwnerSignature,
                EvidenceError::BadOwnerSignature,
            ),
        )
    }
}

/// A bundle's ledger entries once they recompute, from the link before them, to the trusted
/// head: the ledger's last entries, none left out. A look-up for [`entry_in_force`].
struct Segment<'a> {
    entries: &'a [Entry],
    authorities: &'a [(AccountBytes, Ed25519PublicKey)],
}

impl<'a> Segment<'a> {
    fn check(
        before: [u8; 32],
        entries: &'a [Entry],
        anchors: &'a LedgerAnchors,
    ) -> Result<Self, EvidenceError> {
        let first = entries.first().ok_or(EvidenceError::NotLinked)?.tx_id.0;
        let mut head = before;
        for (i, entry) in entries.iter().enumerate() {
            if first.checked_add(i as u64).map(TxId) != Some(entry.tx_id) {
                return Err(DivsError::Gap(entry.tx_id).into());
            }
            head = sha256(&entry.chain_preimage(&head));
            if head != entry.link {
                return Err(DivsError::BrokenChain(entry.tx_id).into());
            }
        }
        let count = first.checked_add(entries.len() as u64);
        if count != Some(anchors.count) || head != anchors.head {
            return Err(DivsError::UntrustedHead.into());
        }
        Ok(Self {
            entries,
            authorities: &anchors.authorities,
        })
    }

    /// Checks `entry`'s signatures under its authority's trusted key.
    fn endorsed(&mut self, ledger: &AccountBytes, entry: &Entry) -> Result<(), EvidenceError> {
        let authority = self
            .authority_key(&entry.authority)?
            .ok_or(EvidenceError::UntrustedAuthority)?;
        Ok(check_entry(ledger, entry, &authority, self)?)
    }
}

impl DivsLookup for Segment<'_> {
    fn entry(&mut self, tx_id: TxId) -> Result<Option<Entry>, DivsError> {
        Ok(self.entries.iter().find(|e| e.tx_id == tx_id).copied())
    }

    fn latest(&mut self, ue: &Ed25519PublicKey) -> Result<Option<Entry>, DivsError> {
        Ok(self
            .entries
            .iter()
            .rev()
            .find(|e| &e.parameters.public_key == ue)
            .copied())
    }

    fn authority_key(
        &mut self,
        authority: &AccountBytes,
    ) -> Result<Option<Ed25519PublicKey>, DivsError> {
        Ok(self
            .authorities
            .iter()
            .find(|(account, _)| account == authority)
            .map(|(_, key)| *key))
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
