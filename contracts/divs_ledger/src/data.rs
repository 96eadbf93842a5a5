//! DIVS ledger logic: plain storage and functions that return the event to emit or a typed
//! [`Error`]. Every check of an endorsement happens before anything is written.
//!
//! ## Where signatures are verified
//! Y.2247 7.2.2 puts the check of the UE's signature at the DIVS authority, before it
//! endorses. The ledger offers both placements, and `scripts/test.sh` prints both costs:
//! - [`DivsData::endorse`] verifies the UE's and the authority's ed25519 signatures in the
//!   contract (two verifications, ≈ 4.4 G ref_time on contracts-node 0.42; one for an
//!   update that keeps the UE's parameters), for single, high-assurance endorsements;
//! - [`DivsData::endorse_batch`] verifies none: the transaction is signed by the
//!   authority's registered chain account, which authenticates the submission, and both
//!   signatures of every entry are stored for anyone to check off chain (the SDK's
//!   recipient and offline verifiers do). This is what lets one block carry more than a
//!   thousand endorsements (9.2, massive machine-type terminals). So a batch only registers
//!   new UEs, its entries are marked unverified (`Entry::verified`), and a registration
//!   replaces an unverified one whose signatures fail, which endorses nothing: a batch cannot
//!   claim another party's key or change another UE's status.
//!
//! The UE signs its parameters for the authority it registers with (its chain account is in
//! [`payload::ue_registration`]): a registration or binding change is endorsed only by that
//! authority, so one that copies a pending registration, with the UE's signature, endorses
//! nothing. Every update of a UE (status, termination, binding or ownership change) is
//! verified and made by the authority responsible for it: the one that registered it, or the
//! one the admin names ([`DivsData::assign_ue`]), and follows an entry that endorses. A status
//! update, termination or ownership change keeps the UE's parameters and needs no new UE
//! signature, so the authority the admin names can make it. Nothing follows a termination.
//!
//! Entries are never changed or removed (7.1 "updates can only be appended"): a status change
//! appends a new entry linking the UE's previous one, and every entry extends a SHA-256 hash
//! chain whose head the contract exposes, so an exported ledger can be checked offline.
use admin_role::AdminData;
use ink::{
    env::hash::{HashOutput, Sha2x256},
    prelude::{collections::BTreeSet, vec::Vec},
    primitives::AccountId,
    storage::Mapping,
};
pub use interfaces::divs::{Authority, Error};
use shared_types::{
    payload, verify, AccountBytes, AccountState, Ed25519PublicKey, Endorsement, EndorsementBatch,
    Entry, EntryKind, PartialAnswer, Timestamp, TxId,
};

/// Longest page [`DivsData::entries`] returns.
pub const MAX_PAGE: u32 = 50;
/// Most endorsements one batch may carry: what ink!'s static buffer (`build.env`) holds,
/// with a margin. The e2e flow submits a batch of exactly this many.
pub const MAX_BATCH: usize = 1300;

/// An authority was added.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct AuthorityAdded {
    /// Its chain account.
    #[ink(topic)]
    pub authority: AccountId,
    /// Its endorsement key.
    pub key: Ed25519PublicKey,
    /// Hash of its certificate.
    pub certificate_hash: [u8; 32],
}

/// An authority was deactivated; its entries stay.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct AuthorityRemoved {
    /// Its chain account.
    #[ink(topic)]
    pub authority: AccountId,
}

/// One entry was appended (7.2.2).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct Endorsed {
    /// Its transaction ID.
    #[ink(topic)]
    pub tx_id: TxId,
    /// The UE's key.
    #[ink(topic)]
    pub ue: Ed25519PublicKey,
    /// The endorsing authority.
    #[ink(topic)]
    pub authority: AccountId,
    /// Why.
    pub kind: EntryKind,
    /// The chain head after it.
    pub head: [u8; 32],
}

/// A batch of entries was appended with consecutive transaction IDs (9.2).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct BatchEndorsed {
    /// The first entry's transaction ID.
    #[ink(topic)]
    pub first_tx_id: TxId,
    /// The endorsing authority.
    #[ink(topic)]
    pub authority: AccountId,
    /// How many entries.
    pub count: u32,
    /// The chain head after the last.
    pub head: [u8; 32],
}

/// The admin made another authority responsible for a UE's updates.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct UeAssigned {
    /// The UE's key.
    #[ink(topic)]
    pub ue: Ed25519PublicKey,
    /// The authority now responsible.
    #[ink(topic)]
    pub authority: AccountId,
}

/// What a successful call emits.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// See [`AuthorityAdded`].
    AuthorityAdded(AuthorityAdded),
    /// See [`AuthorityRemoved`].
    AuthorityRemoved(AuthorityRemoved),
    /// See [`Endorsed`].
    Endorsed(Endorsed),
    /// See [`BatchEndorsed`].
    BatchEndorsed(BatchEndorsed),
    /// See [`UeAssigned`].
    UeAssigned(UeAssigned),
}

/// The ledger's state.
#[ink::storage_item]
#[derive(Debug)]
pub struct DivsData {
    /// The admin and the log of code upgrades.
    pub admin: AdminData,
    instance: [u8; 32],
    authorities: Mapping<AccountId, Authority>,
    entries: Mapping<TxId, Entry>,
    latest: Mapping<Ed25519PublicKey, TxId>,
    /// Authorities the admin named for UEs; others answer to their latest entry's authority.
    assigned: Mapping<Ed25519PublicKey, AccountId>,
    count: u64,
    head: [u8; 32],
}

impl DivsData {
    /// An empty ledger of instance `instance`, administered by `admin`.
    pub fn new(admin: AccountId, instance: [u8; 32]) -> Self {
        Self {
            admin: AdminData::new(admin),
            instance,
            authorities: Mapping::new(),
            entries: Mapping::new(),
            latest: Mapping::new(),
            assigned: Mapping::new(),
            count: 0,
            head: [0; 32],
        }
    }

    /// The ledger instance ID.
    pub fn instance(&self) -> [u8; 32] {
        self.instance
    }

    /// Number of entries and the hash-chain head.
    pub fn head(&self) -> (u64, [u8; 32]) {
        (self.count, self.head)
    }

    /// The authority's record.
    pub fn authority(&self, account: AccountId) -> Result<Authority, Error> {
        self.authorities.get(account).ok_or(Error::UnknownAuthority)
    }

    /// Adds an active authority.
    pub fn add_authority(
        &mut self,
        caller: AccountId,
        now: Timestamp,
        account: AccountId,
        key: Ed25519PublicKey,
        certificate_hash: [u8; 32],
    ) -> Result<Event, Error> {
        self.admin.ensure_admin(caller)?;
        if self.authorities.contains(account) {
            return Err(Error::AuthorityExists);
        }
        self.authorities.insert(
            account,
            &Authority {
                key,
                certificate_hash,
                active: true,
                added_at: now,
            },
        );
        Ok(Event::AuthorityAdded(AuthorityAdded {
            authority: account,
            key,
            certificate_hash,
        }))
    }

    /// Deactivates an authority; its entries stay valid records.
    pub fn remove_authority(
        &mut self,
        caller: AccountId,
        account: AccountId,
    ) -> Result<Event, Error> {
        self.admin.ensure_admin(caller)?;
        let mut record = self.authority(account)?;
        if !record.active {
            return Err(Error::UnknownAuthority);
        }
        record.active = false;
        self.authorities.insert(account, &record);
        Ok(Event::AuthorityRemoved(AuthorityRemoved {
            authority: account,
        }))
    }

    /// Appends one entry after verifying the UE's and the authority's signatures here.
    pub fn endorse(
        &mut self,
        caller: AccountId,
        this: &AccountBytes,
        now: Timestamp,
        endorsement: Endorsement,
    ) -> Result<(TxId, Event), Error> {
        let authority = self.active_authority(caller)?;
        let latest = self.previous_for(caller, this, &endorsement)?;
        check_status(&endorsement)?;
        let p = &endorsement.parameters;
        match latest {
            // Kept parameters were signed by the UE for the authority that endorsed them.
            Some(latest) if !endorsement.kind.brings_parameters() => {
                if latest.parameters != *p {
                    return Err(Error::ParametersChanged);
                }
            }
            _ => {
                if !ue_signed(this, p, caller.as_ref()) {
                    return Err(Error::InvalidUeSignature);
                }
            }
        }
        let previous = latest.map(|entry| entry.tx_id);
        if !authority_signed(this, &authority.key, &endorsement, previous) {
            return Err(Error::InvalidAuthoritySignature);
        }
        let entry = self.append(caller, now, endorsement, previous, true)?;
        Ok((
            entry.tx_id,
            Event::Endorsed(Endorsed {
                tx_id: entry.tx_id,
                ue: entry.parameters.public_key,
                authority: caller,
                kind: entry.kind,
                head: entry.link,
            }),
        ))
    }

    /// Appends a batch of registrations of new UEs with consecutive transaction IDs,
    /// verifying no signature of its own (see the module docs): the caller is an active
    /// authority and both signatures are stored, marked unverified, for off-chain checks. A
    /// UE's earlier batch registration whose signatures fail does not stand in the way (its
    /// signatures are checked: one or two verifications). Each UE appears at most once per batch;
    /// all entries are checked before the first is written.
    pub fn endorse_batch(
        &mut self,
        caller: AccountId,
        this: &AccountBytes,
        now: Timestamp,
        endorsements: EndorsementBatch,
    ) -> Result<(TxId, Event), Error> {
        let endorsements = endorsements.0;
        self.active_authority(caller)?;
        if endorsements.is_empty() || endorsements.len() > MAX_BATCH {
            return Err(Error::InvalidBatchSize);
        }
        let first = TxId(self.count);
        let count = u32::try_from(endorsements.len()).map_err(|_| Error::Overflow)?;
        first
            .0
            .checked_add(u64::from(count))
            .ok_or(Error::Overflow)?;
        let mut seen = BTreeSet::new();
        for endorsement in &endorsements {
            if !seen.insert(endorsement.parameters.public_key) {
                return Err(Error::DuplicateInBatch);
            }
            if endorsement.kind != EntryKind::Registration {
                return Err(Error::UpdateInBatch);
            }
            if self
                .endorsing(this, endorsement.parameters.public_key)?
                .is_some()
            {
                return Err(Error::AlreadyRegistered);
            }
            check_status(endorsement)?;
        }
        for endorsement in endorsements {
            self.append(caller, now, endorsement, None, false)?;
        }
        Ok((
            first,
            Event::BatchEndorsed(BatchEndorsed {
                first_tx_id: first,
                authority: caller,
                count,
                head: self.head,
            }),
        ))
    }

    /// The entry with this transaction ID.
    pub fn entry(&self, tx_id: TxId) -> Result<Entry, Error> {
        self.entries.get(tx_id).ok_or(Error::UnknownEntry)
    }

    /// Makes `authority` (active) responsible for the updates of `ue`, for example after its
    /// registering authority was removed or the terminal moved to another operator.
    pub fn assign_ue(
        &mut self,
        caller: AccountId,
        ue: Ed25519PublicKey,
        authority: AccountId,
    ) -> Result<Event, Error> {
        self.admin.ensure_admin(caller)?;
        self.active_authority(authority)
            .map_err(|_| Error::UnknownAuthority)?;
        if self.latest(ue)?.kind == EntryKind::Termination {
            return Err(Error::Terminated);
        }
        self.assigned.insert(ue, &authority);
        Ok(Event::UeAssigned(UeAssigned { ue, authority }))
    }

    /// The UE's latest entry.
    pub fn latest(&self, ue: Ed25519PublicKey) -> Result<Entry, Error> {
        let tx_id = self.latest.get(ue).ok_or(Error::UnknownUe)?;
        self.entry(tx_id)
    }

    /// The partial answer of 7.2.3 for the UE of entry `tx_id`: its key, and the period and
    /// state of its LATEST entry, so a recipient holding an older transaction ID still sees a
    /// later termination, and whether the ledger verified that entry's signatures.
    pub fn partial(&self, tx_id: TxId) -> Result<PartialAnswer, Error> {
        let key = self.entry(tx_id)?.parameters.public_key;
        let latest = self.latest(key)?;
        Ok(PartialAnswer {
            public_key: key,
            algorithm: latest.parameters.algorithm,
            valid_from: latest.status.valid_from,
            terminates_at: latest.status.terminates_at,
            state: latest.status.state,
            verified: latest.verified,
        })
    }

    /// Up to `limit` (at most [`MAX_PAGE`]) entries from transaction ID `start`, for export.
    pub fn entries(&self, start: TxId, limit: u32) -> Vec<Entry> {
        let end = start
            .0
            .saturating_add(u64::from(limit.min(MAX_PAGE)))
            .min(self.count);
        (start.0..end)
            .filter_map(|id| self.entries.get(TxId(id)))
            .collect()
    }

    fn active_authority(&self, caller: AccountId) -> Result<Authority, Error> {
        match self.authorities.get(caller) {
            Some(authority) if authority.active => Ok(authority),
            _ => Err(Error::NotAuthority),
        }
    }

    /// The UE's latest entry for a verified update by `caller`, none for a registration.
    /// A registration may replace an unverified (batch) registration whose signatures fail,
    /// which endorses nothing; an update must follow an entry that endorses, come from the
    /// UE's responsible authority and not follow a termination.
    fn previous_for(
        &self,
        caller: AccountId,
        this: &AccountBytes,
        endorsement: &Endorsement,
    ) -> Result<Option<Entry>, Error> {
        let ue = endorsement.parameters.public_key;
        let Some(latest) = self.endorsing(this, ue)? else {
            return match endorsement.kind {
                EntryKind::Registration => Ok(None),
                _ => Err(Error::UnknownUe),
            };
        };
        if endorsement.kind == EntryKind::Registration {
            return Err(Error::AlreadyRegistered);
        }
        if latest.kind == EntryKind::Termination {
            return Err(Error::Terminated);
        }
        let responsible = self
            .assigned
            .get(ue)
            .unwrap_or_else(|| AccountId::from(latest.authority));
        if responsible != caller {
            return Err(Error::NotUeAuthority);
        }
        Ok(Some(latest))
    }

    /// The UE's latest entry if it endorses: verified here, or a batch registration whose
    /// signatures hold.
    fn endorsing(&self, this: &AccountBytes, ue: Ed25519PublicKey) -> Result<Option<Entry>, Error> {
        let Some(tx_id) = self.latest.get(ue) else {
            return Ok(None);
        };
        let latest = self.entry(tx_id)?;
        Ok((latest.verified || self.holds(this, &latest)).then_some(latest))
    }

    /// Whether an unverified registration's signatures hold, so that it stands.
    fn holds(&self, this: &AccountBytes, entry: &Entry) -> bool {
        let Some(authority) = self.authorities.get(AccountId::from(entry.authority)) else {
            return false;
        };
        let endorsement = Endorsement {
            parameters: entry.parameters,
            status: entry.status,
            kind: entry.kind,
            authority_signature: entry.authority_signature,
        };
        ue_signed(this, &entry.parameters, &entry.authority)
            && authority_signed(this, &authority.key, &endorsement, entry.previous)
    }

    fn append(
        &mut self,
        authority: AccountId,
        now: Timestamp,
        endorsement: Endorsement,
        previous: Option<TxId>,
        verified: bool,
    ) -> Result<Entry, Error> {
        let tx_id = TxId(self.count);
        let next = self.count.checked_add(1).ok_or(Error::Overflow)?;
        let mut entry = Entry::unlinked(
            tx_id,
            endorsement,
            previous,
            *authority.as_ref(),
            now,
            verified,
        );
        // Hashed as encoded in ink's static buffer: no allocation per entry, which a batch
        // of a thousand could not afford in the contract's 1 MiB of memory.
        let mut link = <Sha2x256 as HashOutput>::Type::default();
        ink::env::hash_encoded::<Sha2x256, _>(&entry.chain_fields(&self.head), &mut link);
        entry.link = link;
        self.entries.insert(tx_id, &entry);
        self.latest.insert(entry.parameters.public_key, &tx_id);
        self.head = entry.link;
        self.count = next;
        Ok(entry)
    }
}

/// The UE's signature over its parameters, made for the authority with chain account
/// `authority` (7.2.1).
fn ue_signed(
    this: &AccountBytes,
    p: &shared_types::UeParameters,
    authority: &AccountBytes,
) -> bool {
    let registration =
        payload::ue_registration(this, &p.identity, &p.public_key, p.algorithm, authority);
    verify::ed25519(&p.public_key, &p.ue_signature, &registration)
}

/// The authority's signature over an endorsement linked to `previous` (7.2.2).
fn authority_signed(
    this: &AccountBytes,
    key: &Ed25519PublicKey,
    e: &Endorsement,
    previous: Option<TxId>,
) -> bool {
    let statement = payload::endorsement(this, &e.parameters, &e.status, e.kind, previous);
    verify::ed25519(key, &e.authority_signature, &statement)
}

fn check_status(endorsement: &Endorsement) -> Result<(), Error> {
    let status = &endorsement.status;
    let terminated = status.state == AccountState::Terminated;
    let termination = endorsement.kind == EntryKind::Termination;
    if status.valid_from > status.terminates_at || terminated != termination {
        return Err(Error::InvalidStatus);
    }
    Ok(())
}
