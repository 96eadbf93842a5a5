//! Y.2247 DIVS off chain: the UE side (identity commitments, registration parameters,
//! signing collected data into a bundle, 8.2), the authority's endorsement (7.2.2), the
//! recipient's verification (8.3, 10.1), the aggregator's signed report (10.2), and an
//! offline verifier of an exported ledger that recomputes its hash chain.
use crate::hashing::sha256;
use crate::KeyPair;
use scale::{Decode, Encode};
use shared_types::{
    payload, verify, AccountBytes, AccountStatus, Ed25519PublicKey, Ed25519Signature, Endorsement,
    Entry, EntryAddress, EntryKind, IdentityCommitment, SignatureAlgorithm, Timestamp, UeIdentity,
    UeParameters,
};

/// A salted commitment to one identity value; `field` is `imei`, `iccid` or `msisdn`.
pub fn commit(field: &str, salt: &[u8; 32], value: &str) -> IdentityCommitment {
    IdentityCommitment(sha256(&payload::ue_identity_commitment_preimage(
        field.as_bytes(),
        salt,
        value.as_bytes(),
    )))
}

/// A UE (data collector): its key pair and identity commitments.
pub struct Ue {
    /// The signing key pair (kept in the UE's trusted environment).
    pub keys: KeyPair,
    /// Commitments of IMEI, ICCID/eUICCID and MSISDN.
    pub identity: UeIdentity,
}

impl Ue {
    /// A UE with fresh keys; the salt stays with the UE and its authority.
    pub fn new(imei: &str, iccid: &str, msisdn: &str, salt: &[u8; 32]) -> Self {
        Self {
            keys: KeyPair::generate(),
            identity: identity(imei, iccid, msisdn, salt),
        }
    }

    /// The registration parameters for `ledger`, signed by the UE (7.2.1).
    pub fn parameters(&self, ledger: &AccountBytes) -> UeParameters {
        let public_key = self.keys.signing_public();
        let algorithm = SignatureAlgorithm::Ed25519;
        let statement = payload::ue_registration(ledger, &self.identity, &public_key, algorithm);
        UeParameters {
            identity: self.identity,
            public_key,
            algorithm,
            ue_signature: self.keys.sign(&statement),
        }
    }

    /// Signs collected data at `signed_at` and bundles it with the latest transaction ID and
    /// the entry address (8.2).
    pub fn sign_data(
        &self,
        data: Vec<u8>,
        signed_at: Timestamp,
        tx_id: u64,
        address: EntryAddress,
    ) -> DataBundle {
        sign_data(&self.keys, data, signed_at, tx_id, address)
    }
}

/// [`Ue::sign_data`] with the UE's signing keys alone (its identity is not part of it).
pub fn sign_data(
    keys: &KeyPair,
    data: Vec<u8>,
    signed_at: Timestamp,
    tx_id: u64,
    address: EntryAddress,
) -> DataBundle {
    let statement = payload::divs_data(&address.contract, tx_id, signed_at, &sha256(&data));
    DataBundle {
        signature: keys.sign(&statement),
        data,
        signed_at,
        tx_id,
        address,
    }
}

/// The identity commitments of three values under one salt.
pub fn identity(imei: &str, iccid: &str, msisdn: &str, salt: &[u8; 32]) -> UeIdentity {
    UeIdentity {
        imei: commit("imei", salt, imei),
        iccid: commit("iccid", salt, iccid),
        msisdn: commit("msisdn", salt, msisdn),
    }
}

/// The authority's check of a UE's registration signature (7.2.2, before endorsing).
pub fn parameters_signed(ledger: &AccountBytes, p: &UeParameters) -> bool {
    let statement = payload::ue_registration(ledger, &p.identity, &p.public_key, p.algorithm);
    verify::ed25519(&p.public_key, &p.ue_signature, &statement)
}

/// The authority endorses parameters with the account status (7.2.2). `previous` is the
/// UE's latest transaction ID (none for a registration).
pub fn endorse(
    authority: &KeyPair,
    ledger: &AccountBytes,
    parameters: UeParameters,
    status: AccountStatus,
    kind: EntryKind,
    previous: Option<u64>,
) -> Endorsement {
    let statement = payload::endorsement(ledger, &parameters, &status, kind, previous);
    Endorsement {
        parameters,
        status,
        kind,
        authority_signature: authority.sign(&statement),
    }
}

/// What a UE sends with collected data (Y.2247 8.2).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct DataBundle {
    /// The raw application data.
    pub data: Vec<u8>,
    /// When the UE signed it.
    pub signed_at: Timestamp,
    /// The UE's signature of [`payload::divs_data`].
    pub signature: Ed25519Signature,
    /// The UE's latest transaction ID at signing time.
    pub tx_id: u64,
    /// Where the entry is.
    pub address: EntryAddress,
}

/// Why a bundle, an entry or a ledger does not verify.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DivsError {
    /// The entry named is not on the ledger.
    #[error("entry {0} is not on the ledger")]
    UnknownEntry(u64),
    /// The entry's authority is not known to the verifier.
    #[error("unknown authority")]
    UnknownAuthority,
    /// The authority's signature over an entry does not verify.
    #[error("entry {0}: the authority's signature does not verify")]
    BadEndorsement(u64),
    /// The UE's signature over its registration parameters does not verify.
    #[error("entry {0}: the UE's registration signature does not verify")]
    BadRegistration(u64),
    /// The data's signature does not verify under the endorsed key (tampered data).
    #[error("the data's signature does not verify under the endorsed key")]
    BadDataSignature,
    /// The data was signed outside the UE's contract period (e.g. after termination).
    #[error(
        "signed at {signed_at}, outside the account's validity {valid_from}..={terminates_at}"
    )]
    OutsideValidity {
        /// Signing time.
        signed_at: Timestamp,
        /// Period start.
        valid_from: Timestamp,
        /// Termination time.
        terminates_at: Timestamp,
    },
    /// An exported chain does not recompute to its links or head.
    #[error("the hash chain breaks at entry {0}")]
    BrokenChain(u64),
    /// Entries are missing or out of order in an export.
    #[error("entry {0} is missing or out of order")]
    Gap(u64),
    /// The look-up failed.
    #[error("look-up failed: {0}")]
    Lookup(String),
}

/// Ledger look-ups a recipient needs: by the chain, or by an [`ExportedLedger`].
pub trait DivsLookup {
    /// The entry with this transaction ID.
    fn entry(&mut self, tx_id: u64) -> Result<Option<Entry>, DivsError>;
    /// The UE's latest entry.
    fn latest(&mut self, ue: &Ed25519PublicKey) -> Result<Option<Entry>, DivsError>;
    /// The endorsement key of the authority with this chain account.
    fn authority_key(
        &mut self,
        authority: &AccountBytes,
    ) -> Result<Option<Ed25519PublicKey>, DivsError>;
}

/// Checks one entry as a recipient does (8.3): the authority's signature under `authority`
/// (its endorsement key) and the UE's registration signature. `ledger` is the contract
/// address the entry lives in.
pub fn check_entry(
    ledger: &AccountBytes,
    entry: &Entry,
    authority: &Ed25519PublicKey,
) -> Result<(), DivsError> {
    let statement = payload::endorsement(
        ledger,
        &entry.parameters,
        &entry.status,
        entry.kind,
        entry.previous,
    );
    if !verify::ed25519(authority, &entry.authority_signature, &statement) {
        return Err(DivsError::BadEndorsement(entry.tx_id));
    }
    if !parameters_signed(ledger, &entry.parameters) {
        return Err(DivsError::BadRegistration(entry.tx_id));
    }
    Ok(())
}

/// [`check_entry`] with the authority's key looked up.
fn check_endorsed(
    ledger: &AccountBytes,
    entry: &Entry,
    lookup: &mut impl DivsLookup,
) -> Result<(), DivsError> {
    let key = lookup
        .authority_key(&entry.authority)?
        .ok_or(DivsError::UnknownAuthority)?;
    check_entry(ledger, entry, &key)
}

/// A verified bundle: the endorsed key and the entry whose status governed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The UE's endorsed key.
    pub ue: Ed25519PublicKey,
    /// The UE's latest entry, whose status was checked against the signing time.
    pub governing: Entry,
}

/// The recipient's verification of a bundle (8.3, 10.1 step 4): fetch the entry by
/// transaction ID and the UE's latest entry, check both endorsements, the data's signature
/// under the endorsed key, and that the signing time lies in the latest status's validity.
pub fn verify_bundle(
    bundle: &DataBundle,
    lookup: &mut impl DivsLookup,
) -> Result<Verified, DivsError> {
    let ledger = &bundle.address.contract;
    let entry = lookup
        .entry(bundle.tx_id)?
        .ok_or(DivsError::UnknownEntry(bundle.tx_id))?;
    check_endorsed(ledger, &entry, lookup)?;
    let ue = entry.parameters.public_key;
    let latest = lookup
        .latest(&ue)?
        .ok_or(DivsError::UnknownEntry(bundle.tx_id))?;
    if latest.tx_id != entry.tx_id {
        check_endorsed(ledger, &latest, lookup)?;
    }
    let statement = payload::divs_data(
        ledger,
        bundle.tx_id,
        bundle.signed_at,
        &sha256(&bundle.data),
    );
    if !verify::ed25519(&ue, &bundle.signature, &statement) {
        return Err(DivsError::BadDataSignature);
    }
    if !latest.status.covers(bundle.signed_at) {
        return Err(DivsError::OutsideValidity {
            signed_at: bundle.signed_at,
            valid_from: latest.status.valid_from,
            terminates_at: latest.status.terminates_at,
        });
    }
    Ok(Verified {
        ue,
        governing: latest,
    })
}

/// An aggregator's signed verification result for a consumer (10.2 steps 5-7).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct AggregatorReport {
    /// The bundle's transaction ID.
    pub tx_id: u64,
    /// SHA-256 of the data the aggregator holds.
    pub data_hash: [u8; 32],
    /// Whether the data verified.
    pub verified: bool,
    /// The consumer's request nonce.
    pub request: [u8; 16],
    /// The aggregator's signature of [`payload::aggregator_report`].
    pub signature: Ed25519Signature,
}

impl AggregatorReport {
    /// The aggregator verifies a bundle it holds, in its trusted environment, for the
    /// consumer's request `request`, and signs the result.
    pub fn make(
        aggregator: &KeyPair,
        bundle: &DataBundle,
        request: [u8; 16],
        lookup: &mut impl DivsLookup,
    ) -> Self {
        let verified = verify_bundle(bundle, lookup).is_ok();
        let data_hash = sha256(&bundle.data);
        let statement = payload::aggregator_report(
            &bundle.address.contract,
            bundle.tx_id,
            &data_hash,
            verified,
            &request,
        );
        Self {
            tx_id: bundle.tx_id,
            data_hash,
            verified,
            request,
            signature: aggregator.sign(&statement),
        }
    }

    /// The consumer's check: signed by the aggregator it asked, for its own request.
    pub fn check(
        &self,
        aggregator: &Ed25519PublicKey,
        ledger: &AccountBytes,
        request: &[u8; 16],
    ) -> bool {
        let statement =
            payload::aggregator_report(ledger, self.tx_id, &self.data_hash, self.verified, request);
        &self.request == request && verify::ed25519(aggregator, &self.signature, &statement)
    }
}

/// A ledger exported page by page, with the head the contract reported and the authorities'
/// keys, checkable without a chain connection.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ExportedLedger {
    /// Where it came from.
    pub address: EntryAddress,
    /// Every entry, in transaction-ID order from 0.
    pub entries: Vec<Entry>,
    /// The head the contract reported.
    pub head: [u8; 32],
    /// Authorities' chain accounts and endorsement keys.
    pub authorities: Vec<(AccountBytes, Ed25519PublicKey)>,
}

impl ExportedLedger {
    /// Recomputes the hash chain from the empty head, compares every link and the final
    /// head, and checks every entry's endorsement and registration signatures.
    pub fn verify(&self) -> Result<(), DivsError> {
        let mut head = [0u8; 32];
        for (i, entry) in self.entries.iter().enumerate() {
            if entry.tx_id != i as u64 {
                return Err(DivsError::Gap(i as u64));
            }
            head = sha256(&entry.chain_preimage(&head));
            if head != entry.link {
                return Err(DivsError::BrokenChain(entry.tx_id));
            }
            let key = self
                .authority(&entry.authority)
                .ok_or(DivsError::UnknownAuthority)?;
            check_entry(&self.address.contract, entry, &key)?;
        }
        if head != self.head {
            return Err(DivsError::BrokenChain(self.entries.len() as u64));
        }
        Ok(())
    }

    /// Appends an endorsement exactly as the contract does (transaction ID, hash-chain link,
    /// new head), without checking it: for simulations and tests of verifiers.
    pub fn append(
        &mut self,
        authority: AccountBytes,
        endorsement: Endorsement,
        previous: Option<u64>,
        recorded_at: Timestamp,
    ) -> u64 {
        let tx_id = self.entries.len() as u64;
        let mut entry = Entry::unlinked(tx_id, endorsement, previous, authority, recorded_at);
        entry.link = sha256(&entry.chain_preimage(&self.head));
        self.head = entry.link;
        self.entries.push(entry);
        tx_id
    }

    fn authority(&self, account: &AccountBytes) -> Option<Ed25519PublicKey> {
        self.authorities
            .iter()
            .find(|(a, _)| a == account)
            .map(|(_, key)| *key)
    }
}

impl DivsLookup for ExportedLedger {
    fn entry(&mut self, tx_id: u64) -> Result<Option<Entry>, DivsError> {
        Ok(self.entries.get(tx_id as usize).copied())
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
        Ok(self.authority(authority))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared_types::AccountState;

    const LEDGER: AccountBytes = [0xd1; 32];
    const AS: AccountBytes = [0xa1; 32];
    const NOW: u64 = 1_000_000;

    fn address() -> EntryAddress {
        EntryAddress {
            instance: [0x1e; 32],
            contract: LEDGER,
        }
    }

    fn status(state: AccountState, terminates_at: Timestamp) -> AccountStatus {
        AccountStatus {
            contract_id: [0xc0; 32],
            valid_from: NOW,
            terminates_at,
            region: None,
            state,
        }
    }

    /// What the contract appends when `authority` endorses `ue` with `status`.
    fn append(
        ledger: &mut ExportedLedger,
        authority: &KeyPair,
        ue: &Ue,
        status: AccountStatus,
        kind: EntryKind,
        previous: Option<u64>,
    ) {
        let e = endorse(
            authority,
            &LEDGER,
            ue.parameters(&LEDGER),
            status,
            kind,
            previous,
        );
        ledger.append(AS, e, previous, NOW);
    }

    #[test]
    fn recipients_check_signatures_and_the_latest_validity() {
        let authority = KeyPair::generate();
        let ue = Ue::new("imei", "iccid", "msisdn", &[1; 32]);
        assert!(parameters_signed(&LEDGER, &ue.parameters(&LEDGER)));
        let mut ledger = ExportedLedger {
            address: address(),
            entries: vec![],
            head: [0; 32],
            authorities: vec![(AS, authority.signing_public())],
        };
        let active = status(AccountState::Active, NOW + 1000);
        append(
            &mut ledger,
            &authority,
            &ue,
            active,
            EntryKind::Registration,
            None,
        );

        let before = ue.sign_data(b"reading 1".to_vec(), NOW + 5, 0, address());
        assert_eq!(
            verify_bundle(&before, &mut ledger).map(|v| v.governing.tx_id),
            Ok(0)
        );
        let mut tampered = before.clone();
        tampered.data[0] ^= 1;
        assert_eq!(
            verify_bundle(&tampered, &mut ledger),
            Err(DivsError::BadDataSignature)
        );

        // Terminated at NOW + 20: data signed before still verifies, data signed after not.
        let ended = status(AccountState::Terminated, NOW + 20);
        append(
            &mut ledger,
            &authority,
            &ue,
            ended,
            EntryKind::Termination,
            Some(0),
        );
        assert_eq!(
            verify_bundle(&before, &mut ledger).map(|v| v.governing.tx_id),
            Ok(1)
        );
        let after = ue.sign_data(b"reading 2".to_vec(), NOW + 30, 1, address());
        assert!(matches!(
            verify_bundle(&after, &mut ledger),
            Err(DivsError::OutsideValidity { .. })
        ));

        let aggregator = KeyPair::generate();
        let report = AggregatorReport::make(&aggregator, &before, [9; 16], &mut ledger);
        assert!(report.verified);
        assert!(report.check(&aggregator.signing_public(), &LEDGER, &[9; 16]));
        assert!(!report.check(&aggregator.signing_public(), &LEDGER, &[8; 16]));
        assert!(!report.check(&authority.signing_public(), &LEDGER, &[9; 16]));

        assert_eq!(ledger.verify(), Ok(()));
        let mut altered = ledger.clone();
        altered.entries[0].status.terminates_at += 1;
        assert_eq!(altered.verify(), Err(DivsError::BrokenChain(0)));
        let mut truncated = ledger.clone();
        truncated.entries.pop();
        assert_eq!(truncated.verify(), Err(DivsError::BrokenChain(1)));
        let mut stranger = ledger.clone();
        stranger.authorities[0].1 = KeyPair::generate().signing_public();
        assert_eq!(stranger.verify(), Err(DivsError::BadEndorsement(0)));
    }
}
