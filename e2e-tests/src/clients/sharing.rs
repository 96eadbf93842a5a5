//! sharing_policy's messages.
use super::{query, transact, transact_paying, Called, ResourceClient, StatusChange};
use crate::calls::{call_builder, constructor_data};
use crate::chain::{Actor, Chain, Deployed};
use ink::codegen::ContractCallBuilder;
use shared_types::{
    AgreementId, DeviceId, Ed25519PublicKey, GrantId, Multihash, Permissions, PolicyId,
    PolicyTerms, Registries, ResourceId, TransferId, UserId, Window,
};
use sharing_policy::{
    Acceptance, AccessRecord, Agreement, DeviceGrant, Error as SharingError, Policy, PolicyVersion,
    PrivateParam, PrivateTransfer,
};

/// A message result of the sharing contract.
pub type SharingResult<T> = Result<T, SharingError>;

/// The sharing contract's messages.
#[derive(Clone, Debug)]
pub struct SharingClient(pub Deployed);

impl SharingClient {
    /// The contract's call builder: its messages, typed ([`crate::calls::Message`]).
    pub fn calls(&self) -> <sharing_policy::SharingPolicy as ContractCallBuilder>::Type {
        call_builder::<sharing_policy::SharingPolicy>(self.0.address)
    }

    /// Deploys a sharing contract trusting `resources` (and its registries).
    pub fn deploy<C: Chain>(
        chain: &mut C,
        deployer: &Actor,
        resources: &ResourceClient,
    ) -> anyhow::Result<Self> {
        let constructor =
            constructor_data(sharing_policy::SharingPolicyRef::new(resources.0.address));
        Ok(Self(chain.deploy(
            deployer,
            "sharing_policy",
            &constructor,
        )?))
    }

    /// `create_policy`.
    pub fn create_policy<C: Chain>(
        &self,
        chain: &mut C,
        owner: &Actor,
        owner_id: UserId,
        terms: &PolicyTerms,
    ) -> anyhow::Result<Called<SharingResult<PolicyId>>> {
        transact(
            chain,
            owner,
            &self.0,
            self.calls().create_policy(owner_id, terms.clone()),
        )
    }

    /// `update_policy`.
    pub fn update_policy<C: Chain>(
        &self,
        chain: &mut C,
        owner: &Actor,
        policy: PolicyId,
        terms: &PolicyTerms,
    ) -> anyhow::Result<Called<SharingResult<u32>>> {
        transact(
            chain,
            owner,
            &self.0,
            self.calls().update_policy(policy, terms.clone()),
        )
    }

    /// `suspend_policy`, `reactivate_policy` or `revoke_policy` (the `change`).
    pub fn set_policy_status<C: Chain>(
        &self,
        chain: &mut C,
        owner: &Actor,
        change: StatusChange,
        policy: PolicyId,
    ) -> anyhow::Result<Called<SharingResult<()>>> {
        let mut calls = self.calls();
        let message = match change {
            StatusChange::Suspend => calls.suspend_policy(policy),
            StatusChange::Reactivate => calls.reactivate_policy(policy),
            StatusChange::Revoke => calls.revoke_policy(policy),
        };
        transact(chain, owner, &self.0, message)
    }

    /// `revoke_agreement`.
    pub fn revoke_agreement<C: Chain>(
        &self,
        chain: &mut C,
        owner: &Actor,
        agreement: AgreementId,
    ) -> anyhow::Result<Called<SharingResult<()>>> {
        transact(
            chain,
            owner,
            &self.0,
            self.calls().revoke_agreement(agreement),
        )
    }

    /// `accept_policy`, paying `price`.
    pub fn accept_policy<C: Chain>(
        &self,
        chain: &mut C,
        requester: &Actor,
        acceptance: &Acceptance,
        price: u128,
    ) -> anyhow::Result<Called<SharingResult<AgreementId>>> {
        transact_paying(
            chain,
            requester,
            &self.0,
            self.calls().accept_policy(*acceptance),
            price,
        )
    }

    /// `access` (I.5.1 step 4).
    pub fn access<C: Chain>(
        &self,
        chain: &mut C,
        holder: &Actor,
        agreement: AgreementId,
        resource: ResourceId,
        permission: Permissions,
        window: Option<Window>,
    ) -> anyhow::Result<Called<SharingResult<u32>>> {
        transact(
            chain,
            holder,
            &self.0,
            self.calls().access(agreement, resource, permission, window),
        )
    }

    /// `grant_device` (SeR-7).
    #[allow(clippy::too_many_arguments)] // the grant, field by field
    pub fn grant_device<C: Chain>(
        &self,
        chain: &mut C,
        owner: &Actor,
        pu: DeviceId,
        cu: DeviceId,
        temporary_key: Ed25519PublicKey,
        permissions: Permissions,
        expires_at: u64,
    ) -> anyhow::Result<Called<SharingResult<GrantId>>> {
        transact(
            chain,
            owner,
            &self.0,
            self.calls()
                .grant_device(pu, cu, temporary_key, permissions, expires_at),
        )
    }

    /// `revoke_grant`.
    pub fn revoke_grant<C: Chain>(
        &self,
        chain: &mut C,
        owner: &Actor,
        grant: GrantId,
    ) -> anyhow::Result<Called<SharingResult<()>>> {
        transact(chain, owner, &self.0, self.calls().revoke_grant(grant))
    }

    /// `open_private_transfer` (I.5.2 step 3).
    pub fn open_private_transfer<C: Chain>(
        &self,
        chain: &mut C,
        owner: &Actor,
        resource: ResourceId,
        participants: PrivateParam,
    ) -> anyhow::Result<Called<SharingResult<TransferId>>> {
        transact(
            chain,
            owner,
            &self.0,
            self.calls().open_private_transfer(resource, participants),
        )
    }

    /// `acknowledge_private_transfer` (I.5.2 step 4).
    pub fn acknowledge_private_transfer<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        transfer: TransferId,
        as_db: DeviceId,
    ) -> anyhow::Result<Called<SharingResult<()>>> {
        transact(
            chain,
            caller,
            &self.0,
            self.calls().acknowledge_private_transfer(transfer, as_db),
        )
    }

    /// `complete_private_transfer` (I.5.2 step 5).
    pub fn complete_private_transfer<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        transfer: TransferId,
        as_db: DeviceId,
        computed: &Multihash,
    ) -> anyhow::Result<Called<SharingResult<()>>> {
        transact(
            chain,
            caller,
            &self.0,
            self.calls()
                .complete_private_transfer(transfer, as_db, computed.clone()),
        )
    }

    /// `policy`.
    pub fn policy<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        policy: PolicyId,
    ) -> anyhow::Result<SharingResult<Policy>> {
        query(chain, asker, &self.0, self.calls().policy(policy))
    }

    /// `policy_version`.
    pub fn policy_version<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        policy: PolicyId,
        version: u32,
    ) -> anyhow::Result<SharingResult<PolicyVersion>> {
        query(
            chain,
            asker,
            &self.0,
            self.calls().policy_version(policy, version),
        )
    }

    /// `registries`: the contracts this one trusts.
    pub fn registries<C: Chain>(&self, chain: &mut C, asker: &Actor) -> anyhow::Result<Registries> {
        query(chain, asker, &self.0, self.calls().registries())
    }

    /// `agreement`.
    pub fn agreement<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        agreement: AgreementId,
    ) -> anyhow::Result<SharingResult<Agreement>> {
        query(chain, asker, &self.0, self.calls().agreement(agreement))
    }

    /// `access_record`.
    pub fn access_record<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        agreement: AgreementId,
        index: u32,
    ) -> anyhow::Result<SharingResult<AccessRecord>> {
        query(
            chain,
            asker,
            &self.0,
            self.calls().access_record(agreement, index),
        )
    }

    /// `catalogue` (I.5.1 step 2).
    pub fn catalogue<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        agreement: AgreementId,
    ) -> anyhow::Result<SharingResult<Vec<ResourceId>>> {
        query(chain, asker, &self.0, self.calls().catalogue(agreement))
    }

    /// `grant`.
    pub fn grant<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        grant: GrantId,
    ) -> anyhow::Result<SharingResult<DeviceGrant>> {
        query(chain, asker, &self.0, self.calls().grant(grant))
    }

    /// `grant_valid`: `Ok` while the grant holds for `key`, else why not.
    pub fn grant_valid<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        grant: GrantId,
        key: Ed25519PublicKey,
    ) -> anyhow::Result<SharingResult<()>> {
        query(chain, asker, &self.0, self.calls().grant_valid(grant, key))
    }

    /// `private_transfer`.
    pub fn private_transfer<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        transfer: TransferId,
    ) -> anyhow::Result<SharingResult<PrivateTransfer>> {
        query(
            chain,
            asker,
            &self.0,
            self.calls().private_transfer(transfer),
        )
    }
}
