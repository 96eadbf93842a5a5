//! Y.2247 data-integrity verification service (DIVS): a UE's registration parameters, its
//! network account status, the endorsement an authority makes of them, and the ledger entry
//! that records it. The entry type and its hash-chain link live here so the contract that
//! appends entries and an offline verifier of an exported ledger compute the same chain.
use crate::{AccountBytes, Ed25519PublicKey, Ed25519Signature, Timestamp, TxId};
use alloc::vec::Vec;
use scale::{Decode, Encode};
use scale_info::TypeInfo;

crate::ids::byte_newtype!(
    /// Salted SHA-256 commitment to one UE identity value (IMEI, ICCID/eUICCID, MSISDN) of
    /// [`crate::payload::ue_identity_commitment_preimage`]; the value never goes on chain.
    IdentityCommitment, 32
);

/// The UE identity information of Y.2247 7.2.1, as commitments.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub struct UeIdentity {
    /// International mobile equipment identity.
    pub imei: IdentityCommitment,
    /// UICC / eUICC ID.
    pub iccid: IdentityCommitment,
    /// Mobile subscriber ISDN number.
    pub msisdn: IdentityCommitment,
}

/// Signature algorithms a UE may register (Y.2247 7.2.1 "signature algorithms supported").
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub enum SignatureAlgorithm {
    /// Ed25519 (RFC 8032), verified with ZIP-215 rules.
    Ed25519,
}

/// A UE's registration parameters (Y.2247 7.2.1, 8.2): identity commitments, public key,
/// algorithm, and the UE's signature of [`crate::payload::ue_registration`] over them, made
/// for the authority that endorses them.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub struct UeParameters {
    /// The UE's identity commitments.
    pub identity: UeIdentity,
    /// The UE's public key; it also names the UE on the ledger.
    pub public_key: Ed25519PublicKey,
    /// Its signature algorithm.
    pub algorithm: SignatureAlgorithm,
    /// The UE's signature binding key and identity, for one authority.
    pub ue_signature: Ed25519Signature,
}

/// State of the UE's network account.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub enum AccountState {
    /// In service.
    Active,
    /// Temporarily barred by the network.
    Suspended,
    /// The network contract ended (at `terminates_at`).
    Terminated,
}

/// The network account status the authority fetched from the network (Y.2247 7.2.2: CEF/USM).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub struct AccountStatus {
    /// Hash of the network contract's ID at the operator (not the contract itself).
    pub contract_id: [u8; 32],
    /// Start of the contract period.
    pub valid_from: Timestamp,
    /// End of the contract period, or the termination time once terminated.
    pub terminates_at: Timestamp,
    /// ISO 3166-1 alpha-2 country the UE is restricted to, if any.
    pub region: Option<[u8; 2]>,
    /// The account's state.
    pub state: AccountState,
}

impl AccountStatus {
    /// True when a signature made at `at` falls in the contract period and the account was
    /// not suspended. Ask it of the entry in force at `at` (the newest recorded by then), not
    /// of the latest: a later status does not rewrite what held before it.
    pub fn covers(&self, at: Timestamp) -> bool {
        self.valid_from <= at && at <= self.terminates_at && self.state != AccountState::Suspended
    }
}

/// Why an entry was appended.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub enum EntryKind {
    /// First endorsement of a UE (7.2.2).
    Registration,
    /// The account status changed (e.g. suspension, a new contract period).
    StatusUpdate,
    /// The network contract was terminated.
    Termination,
    /// The IMEI / ICCID / MSISDN binding changed.
    BindingChange,
    /// The terminal changed owner.
    OwnershipChange,
}

impl EntryKind {
    /// Whether an entry of this kind brings the UE's parameters, which the UE signs for the
    /// entry's authority: a registration or a binding change. Any other update keeps the
    /// parameters of the UE's previous entry.
    pub fn brings_parameters(self) -> bool {
        matches!(self, Self::Registration | Self::BindingChange)
    }
}

/// What an authority submits: parameters, status, why, and its signature of
/// [`crate::payload::endorsement`].
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct Endorsement {
    /// The UE's registration parameters (with new identity commitments on a binding change).
    pub parameters: UeParameters,
    /// The network account status.
    pub status: AccountStatus,
    /// Why this entry.
    pub kind: EntryKind,
    /// The authority's signature over parameters, status, kind and the previous entry.
    pub authority_signature: Ed25519Signature,
}

/// A batch of endorsements, encoded exactly as a `Vec<Endorsement>`. Its decoding reserves
/// the batch's memory once: the generic `Vec` decoding reserves by the input's remaining
/// length and then doubles, which in a contract's 1 MiB of memory (a bump allocator that
/// never frees) would cap a batch far below a block's weight.
#[derive(Clone, PartialEq, Eq, Debug, Encode, TypeInfo)]
pub struct EndorsementBatch(pub Vec<Endorsement>);

impl Decode for EndorsementBatch {
    fn decode<I: scale::Input>(input: &mut I) -> Result<Self, scale::Error> {
        let len = scale::Compact::<u32>::decode(input)?.0 as usize;
        // Each endorsement encodes to at least MIN_ENCODED_ENDORSEMENT bytes, so a length
        // prefix larger than the input allows is refused before anything is reserved.
        let fits = input
            .remaining_len()?
            .is_none_or(|remaining| len <= remaining / MIN_ENCODED_ENDORSEMENT);
        if !fits {
            return Err("endorsement batch longer than its input".into());
        }
        let mut batch = Vec::with_capacity(len);
        for _ in 0..len {
            batch.push(Endorsement::decode(input)?);
        }
        Ok(Self(batch))
    }
}

/// The smallest SCALE encoding of an [`Endorsement`] (no region restriction).
pub const MIN_ENCODED_ENDORSEMENT: usize = 96 + 32 + 1 + 64 + (32 + 8 + 8 + 1 + 1) + 1 + 64;

/// One entry of the append-only ledger.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub struct Entry {
    /// Transaction ID: the entry's serial number in this ledger (7.2.2).
    pub tx_id: TxId,
    /// The UE's parameters.
    pub parameters: UeParameters,
    /// The network account status endorsed.
    pub status: AccountStatus,
    /// Why this entry.
    pub kind: EntryKind,
    /// The UE's previous entry, if any.
    pub previous: Option<TxId>,
    /// The endorsing authority's chain account.
    pub authority: AccountBytes,
    /// The authority's signature of [`crate::payload::endorsement`].
    pub authority_signature: Ed25519Signature,
    /// Block time of recording.
    pub recorded_at: Timestamp,
    /// Whether the ledger verified both signatures before recording (`endorse`); a batch
    /// entry (`endorse_batch`) is not, and endorses nothing until checked off chain.
    pub verified: bool,
    /// The ledger's hash-chain head after this entry.
    pub link: [u8; 32],
}

impl Entry {
    /// The entry a ledger appends as `tx_id`, before its link: the contract and off-chain
    /// replays compute the link each with their own SHA-256 (see [`Entry::chain_fields`]).
    pub fn unlinked(
        tx_id: TxId,
        endorsement: Endorsement,
        previous: Option<TxId>,
        authority: AccountBytes,
        recorded_at: Timestamp,
        verified: bool,
    ) -> Self {
        Self {
            tx_id,
            parameters: endorsement.parameters,
            status: endorsement.status,
            kind: endorsement.kind,
            previous,
            authority,
            authority_signature: endorsement.authority_signature,
            recorded_at,
            verified,
            link: [0; 32],
        }
    }

    /// What this entry's link hashes: the previous head and every field but the link.
    /// `link = SHA-256(SCALE(chain_fields(previous head)))`; a contract hashes it encoded in
    /// place (no allocation), off-chain code through [`Entry::chain_preimage`].
    #[allow(clippy::type_complexity)] // one tuple, field by field
    pub fn chain_fields<'a>(
        &'a self,
        previous_head: &'a [u8; 32],
    ) -> (
        &'static [u8],
        &'a [u8; 32],
        TxId,
        &'a UeParameters,
        &'a AccountStatus,
        EntryKind,
        Option<TxId>,
        &'a AccountBytes,
        &'a Ed25519Signature,
        Timestamp,
        bool,
    ) {
        (
            crate::payload::domain::DIVS_CHAIN,
            previous_head,
            self.tx_id,
            &self.parameters,
            &self.status,
            self.kind,
            self.previous,
            &self.authority,
            &self.authority_signature,
            self.recorded_at,
            self.verified,
        )
    }

    /// The SCALE bytes of [`Entry::chain_fields`].
    pub fn chain_preimage(&self, previous_head: &[u8; 32]) -> Vec<u8> {
        self.chain_fields(previous_head).encode()
    }
}

/// Where an entry can be fetched (Y.2247 7.2.2 "entry address"): the ledger instance and the
/// contract holding it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct EntryAddress {
    /// The ledger instance ID (for example the chain's genesis hash).
    pub instance: [u8; 32],
    /// The DIVS ledger contract.
    pub contract: AccountBytes,
}

/// The partial answer of Y.2247 7.2.3: just what a recipient needs to check a signature.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct PartialAnswer {
    /// The UE's public key.
    pub public_key: Ed25519PublicKey,
    /// Its signature algorithm.
    pub algorithm: SignatureAlgorithm,
    /// Start of the contract period.
    pub valid_from: Timestamp,
    /// Termination time.
    pub terminates_at: Timestamp,
    /// The account's state.
    pub state: AccountState,
    /// Whether the ledger verified that entry's signatures (see [`Entry::verified`]).
    pub verified: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endorsement(region: Option<[u8; 2]>) -> Endorsement {
        let commitment = IdentityCommitment([1; 32]);
        Endorsement {
            parameters: UeParameters {
                identity: UeIdentity {
                    imei: commitment,
                    iccid: commitment,
                    msisdn: commitment,
                },
                public_key: Ed25519PublicKey([2; 32]),
                algorithm: SignatureAlgorithm::Ed25519,
                ue_signature: Ed25519Signature([3; 64]),
            },
            status: AccountStatus {
                contract_id: [4; 32],
                valid_from: 5,
                terminates_at: 6,
                region,
                state: AccountState::Active,
            },
            kind: EntryKind::Registration,
            authority_signature: Ed25519Signature([7; 64]),
        }
    }

    #[test]
    fn batches_decode_as_vectors_and_refuse_lying_lengths() {
        assert_eq!(endorsement(None).encode().len(), MIN_ENCODED_ENDORSEMENT);
        let batch = vec![endorsement(None), endorsement(Some(*b"CN"))];
        let bytes = batch.encode();
        assert_eq!(EndorsementBatch(batch.clone()).encode(), bytes);
        assert_eq!(
            EndorsementBatch::decode(&mut &bytes[..]),
            Ok(EndorsementBatch(batch))
        );
        let mut lying = scale::Compact(1_000_000u32).encode();
        lying.extend_from_slice(&bytes[1..]);
        assert!(EndorsementBatch::decode(&mut &lying[..]).is_err());
        assert!(EndorsementBatch::decode(&mut &bytes[..bytes.len() - 1]).is_err());
    }
}
