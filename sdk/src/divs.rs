//! Y.2247 DIVS off chain: the UE side (identity commitments, registration parameters,
//! signing collected data into a bundle, 8.2), the authority's endorsement (7.2.2), the
//! recipient's verification (8.3, 10.1), the aggregator's signed report (10.2), and an
//! offline verifier of an exported ledger that recomputes its hash chain.
use crate::commitment::random_salt;
use crate::hashing::sha256;
use crate::KeyPair;
use scale::{Decode, Encode};
use shared_types::{
    payload, verify, AccountBytes, AccountStatus, Ed25519PublicKey, Ed25519Signature, Endorsement,
    Entry, EntryAddress, EntryKind, IdentityCommitment, SignatureAlgorithm, Timestamp, TxId,
    UeIdentity, UeParameters,
};

/// A salted commitment to one identity value; `field` is `imei`, `iccid` or `msisdn`.
pub fn commit(field: &str, salt: &[u8; 32], value: &str) -> IdentityCommitment {
    IdentityCommitment(sha256(&payload::ue_identity_commitment_preimage(
        field.as_bytes(),
        salt,
        value.as_bytes(),
    )))
}

/// The salts of a UE's three identity commitments, one per field: a salt shared by the
/// fields, or a constant one, lets whoever learns it test guesses of every field (an MSISDN
/// is a short number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdentitySalts {
    /// Salt of the IMEI commitment.
    pub imei: [u8; 32],
    /// Salt of the ICCID/eUICCID commitment.
    pub iccid: [u8; 32],
    /// Salt of the MSISDN commitment.
    pub msisdn: [u8; 32],
}

impl IdentitySalts {
    /// Three fresh random salts.
    pub fn random() -> Self {
        Self {
            imei: random_salt(),
            iccid: random_salt(),
            msisdn: random_salt(),
        }
    }
}

/// A UE (data collector): its key pair and identity commitments.
pub struct Ue {
    /// The signing key pair (kept in the UE's trusted environment).
    pub keys: KeyPair,
    /// Commitments of IMEI, ICCID/eUICCID and MSISDN.
    pub identity: UeIdentity,
    /// Their salts, kept by the UE and its authority to open the commitments.
    pub salts: IdentitySalts,
}

impl Ue {
    /// A UE with fresh keys and a fresh random salt per identity field.
    pub fn new(imei: &str, iccid: &str, msisdn: &str) -> Self {
        Self::with_keys(KeyPair::generate(), imei, iccid, msisdn)
    }

    /// A UE with these keys (a device's existing ones) and a fresh random salt per field.
    pub fn with_keys(keys: KeyPair, imei: &str, iccid: &str, msisdn: &str) -> Self {
        let salts = IdentitySalts::random();
        Self {
            keys,
            identity: identity(imei, iccid, msisdn, &salts),
            salts,
        }
    }

    /// The registration parameters for `ledger`, signed by the UE for the authority with
    /// chain account `authority` (7.2.1): no other authority can endorse them.
    pub fn parameters(&self, ledger: &AccountBytes, authority: &AccountBytes) -> UeParameters {
        let public_key = self.keys.signing_public();
        let algorithm = SignatureAlgorithm::Ed25519;
        let statement =
            payload::ue_registration(ledger, &self.identity, &public_key, algorithm, authority);
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
        tx_id: TxId,
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
    tx_id: TxId,
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

/// The identity commitments of three values, each under its own salt.
pub fn identity(imei: &str, iccid: &str, msisdn: &str, salts: &IdentitySalts) -> UeIdentity {
    UeIdentity {
        imei: commit("imei", &salts.imei, imei),
        iccid: commit("iccid", &salts.iccid, iccid),
        msisdn: commit("msisdn", &salts.msisdn, msisdn),
    }
}

/// The authority's check of a UE's registration signature (7.2.2, before endorsing): made
/// by the UE for the authority with chain account `authority`.
pub fn parameters_signed(
    ledger: &AccountBytes,
    p: &UeParameters,
    authority: &AccountBytes,
) -> bool {
    let statement =
        payload::ue_registration(ledger, &p.identity, &p.public_key, p.algorithm, authority);
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
    previous: Option<TxId>,
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
    pub tx_id: TxId,
    /// Where the entry is.
    pub address: EntryAddress,
}

/// Why a bundle, an entry or a ledger does not verify.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DivsError {
    /// The entry named is not on the ledger.
    #[error("entry {0} is not on the ledger")]
    UnknownEntry(TxId),
    /// The entry's authority is not known to the verifier.
    #[error("unknown authority")]
    UnknownAuthority,
    /// The authority's signature over an entry does not verify.
    #[error("entry {0}: the authority's signature does not verify")]
    BadEndorsement(TxId),
    /// The UE's signature over its registration parameters does not verify.
    #[error("entry {0}: the UE's registration signature does not verify")]
    BadRegistration(TxId),
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
    /// The UE claims to have signed after the trusted time the data was already seen at.
    #[error("the UE claims to have signed at {claimed}, after it was seen at {seen}")]
    SignedAfterSeen {
        /// The UE's claimed signing time.
        claimed: Timestamp,
        /// The trusted time the data was seen at.
        seen: Timestamp,
    },
    /// An exported chain does not recompute to its links.
    #[error("the hash chain breaks at entry {0}")]
    BrokenChain(TxId),
    /// An export does not end at the head (entry count and hash) the verifier trusts.
    #[error("the export does not end at the trusted head")]
    UntrustedHead,
    /// Entries are missing or out of order in an export.
    #[error("entry {0} is missing or out of order")]
    Gap(TxId),
    /// The look-up failed.
    #[error("look-up failed: {0}")]
    Lookup(String),
}

/// Ledger look-ups a recipient needs: by the chain, or by an [`ExportedLedger`] checked
/// against trusted anchors ([`VerifiedLedger`]).
pub trait DivsLookup {
    /// The entry with this transaction ID.
    fn entry(&mut self, tx_id: TxId) -> Result<Option<Entry>, DivsError>;
    /// The UE's latest entry.
    fn latest(&mut self, ue: &Ed25519PublicKey) -> Result<Option<Entry>, DivsError>;
    /// The endorsement key of the authority with this chain account.
    fn authority_key(
        &mut self,
        authority: &AccountBytes,
    ) -> Result<Option<Ed25519PublicKey>, DivsError>;
}

/// Checks one entry as a recipient does (8.3): the authority's signature under `authority`
/// (its endorsement key), and the UE's signature of the entry's parameters made for the
/// authority of the entry that brought them ([`EntryKind::brings_parameters`]): this entry,
/// or the one before it, along `previous` in `lookup`, whose parameters it keeps. So a UE's
/// signature copied into another authority's registration endorses nothing, and an update by
/// the authority the admin named needs no new one. `ledger` is the contract address the
/// entry lives in.
pub fn check_entry(
    ledger: &AccountBytes,
    entry: &Entry,
    authority: &Ed25519PublicKey,
    lookup: &mut impl DivsLookup,
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
    let origin = origin(entry, lookup)?;
    if !parameters_signed(ledger, &entry.parameters, &origin.authority) {
        return Err(DivsError::BadRegistration(entry.tx_id));
    }
    Ok(())
}

/// The entry that brought `entry`'s parameters: itself, or the nearest before it along
/// `previous` that an update keeping them follows.
fn origin(entry: &Entry, lookup: &mut impl DivsLookup) -> Result<Entry, DivsError> {
    let mut current = *entry;
    while !current.kind.brings_parameters() {
        // Earlier entries only, so that the walk ends whatever the look-up serves.
        let previous = current
            .previous
            .filter(|previous| *previous < current.tx_id)
            .ok_or(DivsError::BadRegistration(entry.tx_id))?;
        let before = lookup
            .entry(previous)?
            .ok_or(DivsError::UnknownEntry(previous))?;
        if before.parameters != current.parameters {
            return Err(DivsError::BadRegistration(entry.tx_id));
        }
        current = before;
    }
    Ok(current)
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
    check_entry(ledger, entry, &key, lookup)
}

/// The time a bundle's validity was judged at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigningTime {
    /// Only the UE's own claim (`signed_at`): a UE can backdate it past a termination.
    Claimed(Timestamp),
    /// A time the verifier was given from outside the bundle (when the data or its hash was
    /// observed or anchored): the data was signed no later, and validity is judged there.
    /// It bounds the signing time from above only: data signed while the key was suspended
    /// and seen after a reactivation is judged by the reactivated entry.
    Trusted(Timestamp),
}

impl SigningTime {
    /// The instant validity is judged at.
    pub fn at(self) -> Timestamp {
        match self {
            Self::Claimed(at) | Self::Trusted(at) => at,
        }
    }
}

/// A verified bundle: the endorsed key, the entry in force at the time judged, and whether
/// that time was trusted or only claimed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The UE's endorsed key.
    pub ue: Ed25519PublicKey,
    /// The UE's entry in force at [`Verified::time`], whose status was checked.
    pub governing: Entry,
    /// The time judged, trusted or claimed.
    pub time: SigningTime,
}

/// The UE's entry in force at `at`: from its `latest` entry back along `previous`, the
/// newest recorded at or before `at` (the first entry if `at` is earlier). A later entry,
/// even one whose status names an earlier end, does not rewrite what held before it.
pub fn entry_in_force(
    latest: Entry,
    at: Timestamp,
    lookup: &mut impl DivsLookup,
) -> Result<Entry, DivsError> {
    let mut entry = latest;
    while entry.recorded_at > at {
        let Some(previous) = entry.previous else {
            break;
        };
        entry = lookup
            .entry(previous)?
            .ok_or(DivsError::UnknownEntry(previous))?;
    }
    Ok(entry)
}

/// The recipient's verification of a bundle (8.3, 10.1 step 4): fetch the entry by
/// transaction ID, check its endorsement and the data's signature under the endorsed key,
/// then check that the UE's entry in force at the signing time is endorsed and its status
/// covers that time. The signing time is the UE's claim unless `trusted_time` (when the
/// data was observed or anchored, from a source the verifier trusts) is given.
pub fn verify_bundle(
    bundle: &DataBundle,
    lookup: &mut impl DivsLookup,
    trusted_time: Option<Timestamp>,
) -> Result<Verified, DivsError> {
    let ledger = &bundle.address.contract;
    let entry = lookup
        .entry(bundle.tx_id)?
        .ok_or(DivsError::UnknownEntry(bundle.tx_id))?;
    check_endorsed(ledger, &entry, lookup)?;
    let ue = entry.parameters.public_key;
    let statement = payload::divs_data(
        ledger,
        bundle.tx_id,
        bundle.signed_at,
        &sha256(&bundle.data),
    );
    if !verify::ed25519(&ue, &bundle.signature, &statement) {
        return Err(DivsError::BadDataSignature);
    }
    if let Some(seen) = trusted_time.filter(|seen| bundle.signed_at > *seen) {
        return Err(DivsError::SignedAfterSeen {
            claimed: bundle.signed_at,
            seen,
        });
    }
    let time = trusted_time.map_or(SigningTime::Claimed(bundle.signed_at), SigningTime::Trusted);
    let latest = lookup
        .latest(&ue)?
        .ok_or(DivsError::UnknownEntry(bundle.tx_id))?;
    let governing = entry_in_force(latest, time.at(), lookup)?;
    if governing.tx_id != entry.tx_id {
        check_endorsed(ledger, &governing, lookup)?;
    }
    if !governing.status.covers(time.at()) {
        return Err(DivsError::OutsideValidity {
            signed_at: time.at(),
            valid_from: governing.status.valid_from,
            terminates_at: governing.status.terminates_at,
        });
    }
    Ok(Verified {
        ue,
        governing,
        time,
    })
}

/// An aggregator's signed verification result for a consumer (10.2 steps 5-7).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct AggregatorReport {
    /// The bundle's transaction ID.
    pub tx_id: TxId,
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
        let verified = verify_bundle(bundle, lookup, None).is_ok();
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

/// A ledger exported page by page. Nothing in it is trusted: [`ExportedLedger::verify`]
/// checks it against [`LedgerAnchors`] the verifier got elsewhere.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ExportedLedger {
    /// Where it came from.
    pub address: EntryAddress,
    /// Every entry, in transaction-ID order from 0.
    pub entries: Vec<Entry>,
}

/// What a verifier of an export trusts, from outside the file: the authorities' keys (from
/// their certificates) and the ledger's head as the contract's `head` answered at a block the
/// verifier trusts. A head the export carried would let its maker drop the last entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerAnchors {
    /// Trusted authorities: chain account and endorsement key.
    pub authorities: Vec<(AccountBytes, Ed25519PublicKey)>,
    /// The number of entries at the trusted head.
    pub count: u64,
    /// The trusted hash-chain head.
    pub head: [u8; 32],
}

impl ExportedLedger {
    /// Recomputes the hash chain from the empty head, compares every link and the end with
    /// the trusted head, and checks every entry's signatures under the trusted authorities'
    /// keys. Entries of a batch (not verified on chain) whose signatures fail are no
    /// endorsement: they are listed, not fatal, and the returned look-up never serves them.
    pub fn verify<'a>(
        &'a self,
        anchors: &'a LedgerAnchors,
    ) -> Result<VerifiedLedger<'a>, DivsError> {
        if self.entries.len() as u64 != anchors.count {
            return Err(DivsError::UntrustedHead);
        }
        let mut head = [0u8; 32];
        let mut checked = VerifiedLedger {
            export: self,
            authorities: &anchors.authorities,
            unendorsed: Vec::new(),
        };
        for (i, entry) in self.entries.iter().enumerate() {
            let expected = TxId(i as u64);
            if entry.tx_id != expected {
                return Err(DivsError::Gap(expected));
            }
            head = sha256(&entry.chain_preimage(&head));
            if head != entry.link {
                return Err(DivsError::BrokenChain(entry.tx_id));
            }
            let key = trusted_key(&anchors.authorities, &entry.authority)
                .ok_or(DivsError::UnknownAuthority)?;
            match check_entry(&self.address.contract, entry, &key, &mut checked) {
                Ok(()) => {}
                Err(_) if !entry.verified => checked.unendorsed.push(entry.tx_id),
                Err(e) => return Err(e),
            }
        }
        if head != anchors.head {
            return Err(DivsError::UntrustedHead);
        }
        Ok(checked)
    }

    /// The count and head the export's own entries end at: what an exporter compares with
    /// the contract's `head`, never what a verifier trusts.
    pub fn head(&self) -> (u64, [u8; 32]) {
        let link = self.entries.last().map_or([0; 32], |e| e.link);
        (self.entries.len() as u64, link)
    }

    /// Appends an endorsement exactly as the contract's `endorse` does (transaction ID,
    /// hash-chain link, marked verified), without checking it: for simulations and tests of
    /// verifiers.
    pub fn append(
        &mut self,
        authority: AccountBytes,
        endorsement: Endorsement,
        previous: Option<TxId>,
        recorded_at: Timestamp,
    ) -> TxId {
        self.push(authority, endorsement, previous, recorded_at, true)
    }

    /// [`ExportedLedger::append`] as `endorse_batch` does: a registration, marked unverified.
    pub fn append_unverified(
        &mut self,
        authority: AccountBytes,
        endorsement: Endorsement,
        recorded_at: Timestamp,
    ) -> TxId {
        self.push(authority, endorsement, None, recorded_at, false)
    }

    fn push(
        &mut self,
        authority: AccountBytes,
        endorsement: Endorsement,
        previous: Option<TxId>,
        recorded_at: Timestamp,
        verified: bool,
    ) -> TxId {
        let (count, head) = self.head();
        let tx_id = TxId(count);
        let mut entry = Entry::unlinked(
            tx_id,
            endorsement,
            previous,
            authority,
            recorded_at,
            verified,
        );
        entry.link = sha256(&entry.chain_preimage(&head));
        self.entries.push(entry);
        tx_id
    }
}

fn trusted_key(
    authorities: &[(AccountBytes, Ed25519PublicKey)],
    account: &AccountBytes,
) -> Option<Ed25519PublicKey> {
    authorities
        .iter()
        .find(|(a, _)| a == account)
        .map(|(_, key)| *key)
}

/// An export that verified against trusted anchors: a look-up for recipients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedLedger<'a> {
    export: &'a ExportedLedger,
    authorities: &'a [(AccountBytes, Ed25519PublicKey)],
    unendorsed: Vec<TxId>,
}

impl VerifiedLedger<'_> {
    /// Batch entries whose signatures do not verify: on the ledger, endorsing nothing.
    pub fn unendorsed(&self) -> &[TxId] {
        &self.unendorsed
    }
}

impl DivsLookup for VerifiedLedger<'_> {
    fn entry(&mut self, tx_id: TxId) -> Result<Option<Entry>, DivsError> {
        Ok(self.export.entries.get(tx_id.0 as usize).copied())
    }

    fn latest(&mut self, ue: &Ed25519PublicKey) -> Result<Option<Entry>, DivsError> {
        Ok(self
            .export
            .entries
            .iter()
            .rev()
            .find(|e| &e.parameters.public_key == ue && !self.unendorsed.contains(&e.tx_id))
            .copied())
    }

    fn authority_key(
        &mut self,
        authority: &AccountBytes,
    ) -> Result<Option<Ed25519PublicKey>, DivsError> {
        Ok(trusted_key(self.authorities, authority))
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
        previous: Option<TxId>,
    ) {
        let e = endorse(
            authority,
            &LEDGER,
            ue.parameters(&LEDGER, &AS),
            status,
            kind,
            previous,
        );
        ledger.append(AS, e, previous, NOW);
    }

    fn anchors(ledger: &ExportedLedger, authority: &KeyPair) -> LedgerAnchors {
        let (count, head) = ledger.head();
        LedgerAnchors {
            authorities: vec![(AS, authority.signing_public())],
            count,
            head,
        }
    }

    #[test]
    fn identity_fields_get_distinct_random_salts() {
        let (a, b) = (
            Ue::new("imei", "iccid", "msisdn"),
            Ue::new("imei", "iccid", "msisdn"),
        );
        assert_ne!(a.salts.imei, a.salts.iccid);
        assert_ne!(a.salts.iccid, a.salts.msisdn);
        assert_ne!(a.identity.imei, b.identity.imei);
        assert_eq!(a.identity, identity("imei", "iccid", "msisdn", &a.salts));
    }

    #[test]
    fn recipients_check_signatures_and_the_validity_at_signing() {
        let authority = KeyPair::generate();
        let ue = Ue::new("imei", "iccid", "msisdn");
        assert!(parameters_signed(
            &LEDGER,
            &ue.parameters(&LEDGER, &AS),
            &AS
        ));
        assert!(!parameters_signed(
            &LEDGER,
            &ue.parameters(&LEDGER, &AS),
            &[0xa2; 32]
        ));
        let mut ledger = ExportedLedger {
            address: address(),
            entries: vec![],
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
        let before = ue.sign_data(b"reading 1".to_vec(), NOW + 5, TxId(0), address());
        {
            let anchors = anchors(&ledger, &authority);
            let mut lookup = ledger.verify(&anchors).unwrap();
            let verified = verify_bundle(&before, &mut lookup, None).unwrap();
            assert_eq!(
                (verified.governing.tx_id, verified.time),
                (TxId(0), SigningTime::Claimed(NOW + 5))
            );
            let mut tampered = before.clone();
            tampered.data[0] ^= 1;
            assert_eq!(
                verify_bundle(&tampered, &mut lookup, None),
                Err(DivsError::BadDataSignature)
            );
        }

        // Terminated at NOW + 20 (recorded then): data signed before still verifies under
        // the registration, data signed after not.
        let ended = status(AccountState::Terminated, NOW + 20);
        let e = endorse(
            &authority,
            &LEDGER,
            ue.parameters(&LEDGER, &AS),
            ended,
            EntryKind::Termination,
            Some(TxId(0)),
        );
        ledger.append(AS, e, Some(TxId(0)), NOW + 20);
        let anchors = anchors(&ledger, &authority);
        let mut lookup = ledger.verify(&anchors).unwrap();
        assert_eq!(
            verify_bundle(&before, &mut lookup, None).map(|v| v.governing.tx_id),
            Ok(TxId(0))
        );
        let after = ue.sign_data(b"reading 2".to_vec(), NOW + 30, TxId(1), address());
        assert!(matches!(
            verify_bundle(&after, &mut lookup, None),
            Err(DivsError::OutsideValidity { .. })
        ));

        let aggregator = KeyPair::generate();
        let report = AggregatorReport::make(&aggregator, &before, [9; 16], &mut lookup);
        assert!(report.verified);
        assert!(report.check(&aggregator.signing_public(), &LEDGER, &[9; 16]));
        assert!(!report.check(&aggregator.signing_public(), &LEDGER, &[8; 16]));
        assert!(!report.check(&authority.signing_public(), &LEDGER, &[9; 16]));

        let mut altered = ledger.clone();
        altered.entries[0].status.terminates_at += 1;
        assert_eq!(
            altered.verify(&anchors).err(),
            Some(DivsError::BrokenChain(TxId(0)))
        );
        let mut stranger = anchors.clone();
        stranger.authorities[0].1 = KeyPair::generate().signing_public();
        assert_eq!(
            ledger.verify(&stranger).err(),
            Some(DivsError::BadEndorsement(TxId(0)))
        );
    }

    #[test]
    fn an_update_keeps_the_parameters_the_ue_signed_for_the_authority_that_brought_them() {
        const OTHER: AccountBytes = [0xa2; 32];
        let (authority, other) = (KeyPair::generate(), KeyPair::generate());
        let ue = Ue::new("imei", "iccid", "msisdn");
        let mut ledger = ExportedLedger {
            address: address(),
            entries: vec![],
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
        // The authority the admin named suspends the UE with the parameters it signed for AS.
        let kept = ue.parameters(&LEDGER, &AS);
        let suspended = status(AccountState::Suspended, NOW + 1000);
        let e = endorse(
            &other,
            &LEDGER,
            kept,
            suspended,
            EntryKind::StatusUpdate,
            Some(TxId(0)),
        );
        ledger.append(OTHER, e, Some(TxId(0)), NOW + 10);
        // A binding change brings parameters: the UE signs them for OTHER.
        let rebound = Ue::with_keys(ue.keys.clone(), "imei", "new iccid", "new msisdn");
        let e = endorse(
            &other,
            &LEDGER,
            rebound.parameters(&LEDGER, &OTHER),
            active,
            EntryKind::BindingChange,
            Some(TxId(1)),
        );
        ledger.append(OTHER, e, Some(TxId(1)), NOW + 20);
        let (count, head) = ledger.head();
        let anchors = LedgerAnchors {
            authorities: vec![
                (AS, authority.signing_public()),
                (OTHER, other.signing_public()),
            ],
            count,
            head,
        };
        let mut lookup = ledger.verify(&anchors).unwrap();
        let data = ue.sign_data(b"reading".to_vec(), NOW + 25, TxId(2), address());
        assert_eq!(
            verify_bundle(&data, &mut lookup, None).map(|v| v.governing.tx_id),
            Ok(TxId(2))
        );
        // An update that swaps in other parameters, even ones the UE signed for its own
        // authority, endorses nothing.
        for swapped in [
            ue.parameters(&LEDGER, &OTHER),
            rebound.parameters(&LEDGER, &OTHER),
        ] {
            let mut forged = ledger.clone();
            forged.entries.truncate(1);
            let e = endorse(
                &other,
                &LEDGER,
                swapped,
                suspended,
                EntryKind::StatusUpdate,
                Some(TxId(0)),
            );
            forged.append(OTHER, e, Some(TxId(0)), NOW + 10);
            let (count, head) = forged.head();
            let told = LedgerAnchors {
                count,
                head,
                ..anchors.clone()
            };
            assert_eq!(
                forged.verify(&told).err(),
                Some(DivsError::BadRegistration(TxId(1)))
            );
        }
    }
}
