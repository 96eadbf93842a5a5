//! The DIVS ledger's errors and authority record, and [`DivsLedgerLookup`].
use admin_role::NotAdmin;
use shared_types::{Ed25519PublicKey, Entry, Timestamp, TxId};

/// Why a call was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum Error {
    /// Only the admin may do this.
    NotAdmin,
    /// This account is an authority already.
    AuthorityExists,
    /// This account is not a registered authority.
    UnknownAuthority,
    /// The caller is not an active DIVS authority.
    NotAuthority,
    /// The UE's signature over its parameters, made for the calling authority, does not
    /// verify under its key (also when the UE signed them for another authority).
    InvalidUeSignature,
    /// The authority's signature does not verify under its registered key.
    InvalidAuthoritySignature,
    /// A registration for a UE key that has an entry that endorses already.
    AlreadyRegistered,
    /// An update for a UE key that has no entry that endorses (none, or only batch
    /// registrations whose signatures fail).
    UnknownUe,
    /// The status's period ends before it starts, or a termination is not in state
    /// `Terminated`.
    InvalidStatus,
    /// The batch is empty or longer than the ledger's limit (divs_ledger's `MAX_BATCH`).
    InvalidBatchSize,
    /// A batch names the same UE twice.
    DuplicateInBatch,
    /// No entry with this transaction ID.
    UnknownEntry,
    /// A counter would overflow.
    Overflow,
    /// A batch carries an update: batches only register new UEs.
    UpdateInBatch,
    /// The caller is not the authority responsible for this UE (the one that registered it,
    /// or the one the admin named).
    NotUeAuthority,
    /// The UE's network contract was terminated: nothing may follow a termination.
    Terminated,
    /// A status update, termination or ownership change carries other parameters than the
    /// UE's latest entry: only a binding change, signed again by the UE, changes them.
    ParametersChanged,
}

impl From<NotAdmin> for Error {
    fn from(_: NotAdmin) -> Self {
        Self::NotAdmin
    }
}

/// A DIVS authority (a DIVS AS of Y.2247 8.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Authority {
    /// Its ed25519 endorsement key.
    pub key: Ed25519PublicKey,
    /// Hash of its certificate for that key.
    pub certificate_hash: [u8; 32],
    /// Whether it may endorse.
    pub active: bool,
    /// Block time it was added.
    pub added_at: Timestamp,
}

/// The DIVS ledger's look-ups that other contracts of the suite call.
#[ink::trait_definition]
pub trait DivsLedgerLookup {
    /// The entry with this transaction ID (7.2.3).
    ///
    /// # Errors
    /// [`Error::UnknownEntry`].
    #[ink(message)]
    fn entry(&self, tx_id: TxId) -> Result<Entry, Error>;

    /// The UE's latest entry (`verified` says whether the ledger checked its signatures).
    ///
    /// # Errors
    /// [`Error::UnknownUe`].
    #[ink(message)]
    fn latest(&self, ue: Ed25519PublicKey) -> Result<Entry, Error>;
}
