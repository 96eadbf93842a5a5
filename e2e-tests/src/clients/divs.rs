//! divs_ledger's messages.
use super::{query, transact, Called};
use crate::calls::{call_builder, constructor_data};
use crate::chain::{Actor, Chain, Deployed};
use divs_ledger::{Authority, Error as DivsError};
use ink::codegen::ContractCallBuilder;
use ink::primitives::AccountId;
use interfaces::DivsLedgerLookup;
use shared_types::{
    Ed25519PublicKey, Endorsement, EndorsementBatch, Entry, EntryAddress, PartialAnswer, TxId,
};

/// A message result of the DIVS ledger.
pub type DivsResult<T> = Result<T, DivsError>;

/// The DIVS ledger's messages.
#[derive(Clone, Debug)]
pub struct DivsClient(pub Deployed);

impl DivsClient {
    /// The contract's call builder: its messages, typed ([`crate::calls::Message`]).
    pub fn calls(&self) -> <divs_ledger::DivsLedger as ContractCallBuilder>::Type {
        call_builder::<divs_ledger::DivsLedger>(self.0.address)
    }

    /// Deploys a ledger of instance `instance`, administered by `admin`.
    pub fn deploy<C: Chain>(
        chain: &mut C,
        admin: &Actor,
        instance: [u8; 32],
    ) -> anyhow::Result<Self> {
        let constructor = constructor_data(divs_ledger::DivsLedgerRef::new(instance));
        Ok(Self(chain.deploy(admin, "divs_ledger", &constructor)?))
    }

    /// `add_authority`.
    pub fn add_authority<C: Chain>(
        &self,
        chain: &mut C,
        admin: &Actor,
        authority: &Actor,
        certificate_hash: [u8; 32],
    ) -> anyhow::Result<Called<DivsResult<()>>> {
        let message = self.calls().add_authority(
            authority.account,
            authority.keys.signing_public(),
            certificate_hash,
        );
        transact(chain, admin, &self.0, message)
    }

    /// `remove_authority`.
    pub fn remove_authority<C: Chain>(
        &self,
        chain: &mut C,
        admin: &Actor,
        authority: AccountId,
    ) -> anyhow::Result<Called<DivsResult<()>>> {
        transact(
            chain,
            admin,
            &self.0,
            self.calls().remove_authority(authority),
        )
    }

    /// `endorse`: one entry, signatures verified in the contract.
    pub fn endorse<C: Chain>(
        &self,
        chain: &mut C,
        authority: &Actor,
        endorsement: &Endorsement,
    ) -> anyhow::Result<Called<DivsResult<(TxId, EntryAddress)>>> {
        transact(
            chain,
            authority,
            &self.0,
            self.calls().endorse(*endorsement),
        )
    }

    /// `endorse_batch`: signatures stored for off-chain checks.
    pub fn endorse_batch<C: Chain>(
        &self,
        chain: &mut C,
        authority: &Actor,
        endorsements: &[Endorsement],
    ) -> anyhow::Result<Called<DivsResult<(TxId, u32)>>> {
        transact(
            chain,
            authority,
            &self.0,
            self.calls()
                .endorse_batch(EndorsementBatch(endorsements.to_vec())),
        )
    }

    /// `assign_ue`: the admin makes `authority` responsible for the UE's updates.
    pub fn assign_ue<C: Chain>(
        &self,
        chain: &mut C,
        admin: &Actor,
        ue: Ed25519PublicKey,
        authority: AccountId,
    ) -> anyhow::Result<Called<DivsResult<()>>> {
        transact(chain, admin, &self.0, self.calls().assign_ue(ue, authority))
    }

    /// `DivsLedgerLookup::entry`.
    pub fn entry<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        tx_id: TxId,
    ) -> anyhow::Result<DivsResult<Entry>> {
        query(chain, asker, &self.0, self.calls().entry(tx_id))
    }

    /// `DivsLedgerLookup::latest`.
    pub fn latest<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        ue: Ed25519PublicKey,
    ) -> anyhow::Result<DivsResult<Entry>> {
        query(chain, asker, &self.0, self.calls().latest(ue))
    }

    /// `partial` (7.2.3).
    pub fn partial<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        tx_id: TxId,
    ) -> anyhow::Result<DivsResult<PartialAnswer>> {
        query(chain, asker, &self.0, self.calls().partial(tx_id))
    }

    /// `head`: entry count and chain head.
    pub fn head<C: Chain>(&self, chain: &mut C, asker: &Actor) -> anyhow::Result<(u64, [u8; 32])> {
        query(chain, asker, &self.0, self.calls().head())
    }

    /// `entries`: one page.
    pub fn entries<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        start: TxId,
        limit: u32,
    ) -> anyhow::Result<Vec<Entry>> {
        query(chain, asker, &self.0, self.calls().entries(start, limit))
    }

    /// `authority`.
    pub fn authority<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        account: AccountId,
    ) -> anyhow::Result<DivsResult<Authority>> {
        query(chain, asker, &self.0, self.calls().authority(account))
    }

    /// `entry_address`.
    pub fn entry_address<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
    ) -> anyhow::Result<EntryAddress> {
        query(chain, asker, &self.0, self.calls().entry_address())
    }
}
