//! # DIVS ledger (Y.2247 7.1-7.2, 8.1, 9.2, 10.1, 10.2)
//!
//! The blockchain ledger module of a network-oriented data-integrity verification service.
//! The admin manages DIVS authorities (chain account, ed25519 key, certificate hash). An
//! authority endorses a UE's registration parameters (identity commitments of IMEI,
//! ICCID/eUICCID and MSISDN, public key, algorithm, the UE's signature) together with its
//! network account status (contract ID hash, validity, termination time, region, state);
//! the entry gets a transaction ID and an entry address (ledger instance + this contract),
//! which the call returns (7.2.2). Status changes (termination, binding change, ownership
//! change) append a new entry linked to the UE's previous one; nothing is overwritten, and
//! nothing follows a termination. Several DIVS ASs share one ledger (8.4 RP-dd): any active
//! authority registers the UEs that signed their parameters for it, and a UE's updates come
//! from the authority that registered it or the one the admin names.
//!
//! Where signatures are checked, and what each choice costs, is explained in [`data`]:
//! `endorse` verifies both signatures in the contract; `endorse_batch` (registrations only)
//! stores them, marked unverified, for off-chain checks and fits far more entries in a block.
//!
//! The logic lives in [`data`]; this file wires messages to it and emits events.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod data;
#[cfg(test)]
mod tests;

pub use self::divs_ledger::{DivsLedger, DivsLedgerRef};
pub use data::{Authority, Error, MAX_BATCH, MAX_PAGE};

// The endorsement argument makes the generated message enum's variants unequal in size.
#[allow(clippy::large_enum_variant)]
#[ink::contract]
mod divs_ledger {
    use crate::data::{Authority, DivsData, Error, Event};
    use admin_role::{Admin, AdminError, Upgrade};
    use ink::prelude::vec::Vec;
    use interfaces::DivsLedgerLookup;
    use shared_types::{
        Ed25519PublicKey, Endorsement, EndorsementBatch, Entry, EntryAddress, PartialAnswer, TxId,
    };

    /// Version of this contract's code (2 in the build the e2e upgrade moves to).
    pub const VERSION: u32 = if cfg!(feature = "upgrade-test-v2") {
        2
    } else {
        1
    };

    /// The ledger.
    #[ink(storage)]
    pub struct DivsLedger {
        data: DivsData,
    }

    impl DivsLedger {
        /// Deploys an empty ledger administered by the caller. `instance` is the ledger
        /// instance ID that entry addresses carry (for example the chain's genesis hash).
        #[ink(constructor)]
        pub fn new(instance: [u8; 32]) -> Self {
            Self {
                data: DivsData::new(Self::env().caller(), instance),
            }
        }

        /// Adds a DIVS authority with its endorsement key and certificate hash.
        ///
        /// # Errors
        /// [`Error::NotAdmin`]; [`Error::AuthorityExists`].
        ///
        /// # Events
        /// `AuthorityAdded`.
        #[ink(message)]
        pub fn add_authority(
            &mut self,
            account: AccountId,
            key: Ed25519PublicKey,
            certificate_hash: [u8; 32],
        ) -> Result<(), Error> {
            let (caller, now) = (self.env().caller(), self.env().block_timestamp());
            let event = self
                .data
                .add_authority(caller, now, account, key, certificate_hash)?;
            self.emit(event);
            Ok(())
        }

        /// Deactivates an authority; the entries it made remain.
        ///
        /// # Errors
        /// [`Error::NotAdmin`]; [`Error::UnknownAuthority`] (also when already inactive).
        ///
        /// # Events
        /// `AuthorityRemoved`.
        #[ink(message)]
        pub fn remove_authority(&mut self, account: AccountId) -> Result<(), Error> {
            let event = self.data.remove_authority(self.env().caller(), account)?;
            self.emit(event);
            Ok(())
        }

        /// Endorses one UE (7.2.2), verifying the caller's signature and, for a registration
        /// or binding change, the UE's signature made for the caller, in the contract; a
        /// status update, termination or ownership change keeps the UE's parameters.
        /// Returns the transaction ID and the entry address.
        ///
        /// # Errors
        /// [`Error::NotAuthority`]; [`Error::AlreadyRegistered`] (unless the UE's entries
        /// are batch registrations whose signatures fail, which this one replaces);
        /// [`Error::UnknownUe`] for an update of a UE with no entry that endorses;
        /// [`Error::Terminated`] for an update after a termination;
        /// [`Error::NotUeAuthority`] for an update by another than the UE's responsible
        /// authority; [`Error::InvalidStatus`]; [`Error::InvalidUeSignature`];
        /// [`Error::ParametersChanged`]; [`Error::InvalidAuthoritySignature`];
        /// [`Error::Overflow`].
        ///
        /// # Events
        /// `Endorsed`.
        #[ink(message)]
        pub fn endorse(&mut self, endorsement: Endorsement) -> Result<(TxId, EntryAddress), Error> {
            let (caller, now) = (self.env().caller(), self.env().block_timestamp());
            let this = self.this();
            let (tx_id, event) = self.data.endorse(caller, &this, now, endorsement)?;
            self.emit(event);
            Ok((tx_id, self.entry_address()))
        }

        /// Registers a batch of new UEs (9.2, massive machine-type terminals) without
        /// verifying its signatures in the contract: the caller is an active authority and
        /// every entry's signatures are stored, marked unverified, for off-chain checks. A UE
        /// whose entries are batch registrations whose signatures fail counts as new (checking
        /// that costs one or two signature verifications each). Entries get consecutive transaction IDs;
        /// returns the first and the count.
        ///
        /// # Errors
        /// [`Error::NotAuthority`]; [`Error::InvalidBatchSize`]; [`Error::DuplicateInBatch`];
        /// [`Error::UpdateInBatch`]; [`Error::AlreadyRegistered`]; [`Error::InvalidStatus`];
        /// [`Error::Overflow`].
        ///
        /// # Events
        /// `BatchEndorsed`.
        #[ink(message)]
        pub fn endorse_batch(
            &mut self,
            endorsements: EndorsementBatch,
        ) -> Result<(TxId, u32), Error> {
            let (caller, now) = (self.env().caller(), self.env().block_timestamp());
            let count = u32::try_from(endorsements.0.len()).map_err(|_| Error::InvalidBatchSize)?;
            let this = self.this();
            let (first, event) = self.data.endorse_batch(caller, &this, now, endorsements)?;
            self.emit(event);
            Ok((first, count))
        }

        /// Makes `authority` responsible for the updates of the UE with key `ue`.
        ///
        /// # Errors
        /// [`Error::NotAdmin`]; [`Error::UnknownAuthority`] unless `authority` is an active
        /// authority; [`Error::UnknownUe`]; [`Error::Terminated`].
        ///
        /// # Events
        /// `UeAssigned`.
        #[ink(message)]
        pub fn assign_ue(
            &mut self,
            ue: Ed25519PublicKey,
            authority: AccountId,
        ) -> Result<(), Error> {
            let event = self.data.assign_ue(self.env().caller(), ue, authority)?;
            self.emit(event);
            Ok(())
        }

        /// The partial answer of 7.2.3: the UE's key, its latest period and state, and whether
        /// the ledger verified that entry's signatures.
        ///
        /// # Errors
        /// [`Error::UnknownEntry`].
        #[ink(message)]
        pub fn partial(&self, tx_id: TxId) -> Result<PartialAnswer, Error> {
            self.data.partial(tx_id)
        }

        /// Up to `limit` (capped at [`crate::MAX_PAGE`]) entries from `start`, for export.
        #[ink(message)]
        pub fn entries(&self, start: TxId, limit: u32) -> Vec<Entry> {
            self.data.entries(start, limit)
        }

        /// The number of entries and the hash-chain head.
        #[ink(message)]
        pub fn head(&self) -> (u64, [u8; 32]) {
            self.data.head()
        }

        /// The authority's record.
        ///
        /// # Errors
        /// [`Error::UnknownAuthority`].
        #[ink(message)]
        pub fn authority(&self, account: AccountId) -> Result<Authority, Error> {
            self.data.authority(account)
        }

        /// Where this ledger's entries are: instance ID and contract address.
        #[ink(message)]
        pub fn entry_address(&self) -> EntryAddress {
            EntryAddress {
                instance: self.data.instance(),
                contract: self.this(),
            }
        }

        fn this(&self) -> [u8; 32] {
            *self.env().account_id().as_ref()
        }

        fn emit(&self, event: Event) {
            let env = self.env();
            match event {
                Event::AuthorityAdded(e) => env.emit_event(e),
                Event::AuthorityRemoved(e) => env.emit_event(e),
                Event::Endorsed(e) => env.emit_event(e),
                Event::BatchEndorsed(e) => env.emit_event(e),
                Event::UeAssigned(e) => env.emit_event(e),
            }
        }
    }

    impl DivsLedgerLookup for DivsLedger {
        #[ink(message)]
        fn entry(&self, tx_id: TxId) -> Result<Entry, Error> {
            self.data.entry(tx_id)
        }

        #[ink(message)]
        fn latest(&self, ue: Ed25519PublicKey) -> Result<Entry, Error> {
            self.data.latest(ue)
        }
    }

    impl Admin for DivsLedger {
        #[ink(message)]
        fn admin(&self) -> AccountId {
            self.data.admin.admin()
        }

        #[ink(message)]
        fn pending_admin(&self) -> Option<AccountId> {
            self.data.admin.pending_admin()
        }

        #[ink(message)]
        fn propose_admin(&mut self, proposed: AccountId) -> Result<(), AdminError> {
            self.data.admin.propose_admin(proposed)
        }

        #[ink(message)]
        fn accept_admin(&mut self) -> Result<(), AdminError> {
            self.data.admin.accept_admin()
        }

        #[ink(message)]
        fn upgrade(&mut self, code_hash: Hash, audit_report: [u8; 32]) -> Result<(), AdminError> {
            self.data.admin.upgrade(VERSION, code_hash, audit_report)
        }

        #[ink(message)]
        fn upgrade_record(&self, version: u32) -> Option<Upgrade> {
            self.data.admin.upgrade_record(version)
        }

        #[ink(message)]
        fn version(&self) -> u32 {
            VERSION
        }
    }
}
