//! resource_registry's messages.
use super::{query, transact, Called, DeviceClient};
use crate::calls::{call_builder, constructor_data};
use crate::chain::{Actor, Chain, Deployed};
use ink::codegen::ContractCallBuilder;
use ink::primitives::AccountId;
use interfaces::ResourceLookup;
use resource_registry::{
    Error as ResourceError, ProviderRecord, ResourceRecord, ResourceRegistration,
};
use shared_types::{DeviceId, Multihash, ReasonCode, ResourceId, UserId};

/// A message result of the resource registry.
pub type ResourceResult<T> = Result<T, ResourceError>;

/// The resource registry's messages.
#[derive(Clone, Debug)]
pub struct ResourceClient(pub Deployed);

impl ResourceClient {
    /// The contract's call builder: its messages, typed ([`crate::calls::Message`]).
    pub fn calls(&self) -> <resource_registry::ResourceRegistry as ContractCallBuilder>::Type {
        call_builder::<resource_registry::ResourceRegistry>(self.0.address)
    }

    /// Deploys a registry administered by `admin`, trusting `devices`, suspending providers
    /// at `fault_threshold` faults.
    pub fn deploy<C: Chain>(
        chain: &mut C,
        admin: &Actor,
        devices: &DeviceClient,
        fault_threshold: u32,
    ) -> anyhow::Result<Self> {
        let constructor = constructor_data(resource_registry::ResourceRegistryRef::new(
            devices.0.address,
            fault_threshold,
        ));
        Ok(Self(chain.deploy(
            admin,
            "resource_registry",
            &constructor,
        )?))
    }

    /// `register_provider`.
    pub fn register_provider<C: Chain>(
        &self,
        chain: &mut C,
        admin: &Actor,
        provider: AccountId,
    ) -> anyhow::Result<Called<ResourceResult<()>>> {
        transact(
            chain,
            admin,
            &self.0,
            self.calls().register_provider(provider),
        )
    }

    /// `suspend_provider`.
    pub fn suspend_provider<C: Chain>(
        &self,
        chain: &mut C,
        admin: &Actor,
        provider: AccountId,
        reason: ReasonCode,
    ) -> anyhow::Result<Called<ResourceResult<()>>> {
        transact(
            chain,
            admin,
            &self.0,
            self.calls().suspend_provider(provider, reason),
        )
    }

    /// `reactivate_provider`.
    pub fn reactivate_provider<C: Chain>(
        &self,
        chain: &mut C,
        admin: &Actor,
        provider: AccountId,
        reason: ReasonCode,
    ) -> anyhow::Result<Called<ResourceResult<()>>> {
        transact(
            chain,
            admin,
            &self.0,
            self.calls().reactivate_provider(provider, reason),
        )
    }

    /// `register_resource`.
    pub fn register_resource<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        registration: &ResourceRegistration,
    ) -> anyhow::Result<Called<ResourceResult<()>>> {
        transact(
            chain,
            caller,
            &self.0,
            self.calls().register_resource(registration.clone()),
        )
    }

    /// `verify_resource` (I.4 step 3).
    pub fn verify_resource<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        resource: ResourceId,
        computed: &Multihash,
    ) -> anyhow::Result<Called<ResourceResult<bool>>> {
        transact(
            chain,
            caller,
            &self.0,
            self.calls().verify_resource(resource, computed.clone()),
        )
    }

    /// `report_fault` (SyR-5).
    pub fn report_fault<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        resource: ResourceId,
        reporter: UserId,
        computed: &Multihash,
    ) -> anyhow::Result<Called<ResourceResult<()>>> {
        transact(
            chain,
            caller,
            &self.0,
            self.calls()
                .report_fault(resource, reporter, computed.clone()),
        )
    }

    /// `ResourceLookup::resource`.
    pub fn resource<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        resource: ResourceId,
    ) -> anyhow::Result<ResourceResult<ResourceRecord>> {
        query(chain, asker, &self.0, self.calls().resource(resource))
    }

    /// `provider`.
    pub fn provider<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        provider: AccountId,
    ) -> anyhow::Result<ResourceResult<ProviderRecord>> {
        query(chain, asker, &self.0, self.calls().provider(provider))
    }

    /// `resources_of` (SeR-1).
    pub fn resources_of<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        owner: UserId,
    ) -> anyhow::Result<Vec<ResourceId>> {
        query(
            chain,
            asker,
            &self.0,
            self.calls().resources_of(owner, 0u32, 50u32),
        )
    }

    /// `resources_by_pu` (SeR-1).
    pub fn resources_by_pu<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        pu: DeviceId,
    ) -> anyhow::Result<Vec<ResourceId>> {
        query(
            chain,
            asker,
            &self.0,
            self.calls().resources_by_pu(pu, 0u32, 50u32),
        )
    }
}
