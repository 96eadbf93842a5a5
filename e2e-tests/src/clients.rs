//! Typed calls of each contract's messages on any [`Chain`]. Transactions return the
//! message's own `Result` together with the [`Outcome`] (weights, events, revert flag).
use crate::chain::{Actor, Chain, Deployed, Outcome};
use admin_role::{AdminError, Upgrade};
use anyhow::bail;
use device_registry::{
    DeviceKeyEpoch, DeviceRecord, DeviceRegistration, DivsLink, Error as DeviceError,
};
use divs_ledger::{Authority, Error as DivsError};
use identity_registry::{Error as IdentityError, KeyEpoch, UserRecord, UserRegistration};
use ink::primitives::{AccountId, Hash};
use resource_registry::{
    Error as ResourceError, ProviderRecord, ResourceRecord, ResourceRegistration,
};
use scale::{Decode, Encode};
use shared_types::{
    DeviceId, Ed25519PublicKey, Ed25519Signature, Endorsement, Entry, EntryAddress, KeySet,
    Multihash, PartialAnswer, Permissions, PolicyTerms, ReasonCode, ResourceId, UserId, Window,
};
use sharing_policy::{
    Acceptance, AccessRecord, Agreement, DeviceGrant, Error as SharingError, Policy, PolicyVersion,
    PrivateParam, PrivateTransfer,
};

/// A transaction's decoded return value and what it cost.
#[derive(Debug)]
pub struct Called<T> {
    /// The message's return value.
    pub value: T,
    /// Weights, events, revert flag.
    pub outcome: Outcome,
}

fn decode<T: Decode>(message: &str, outcome: &Outcome) -> anyhow::Result<T> {
    match ink::MessageResult::<T>::decode(&mut &outcome.data[..]) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(lang_error)) => bail!("{message}: {lang_error:?}"),
        Err(e) => bail!("{message}: undecodable return value: {e}"),
    }
}

fn transact<C: Chain, T: Decode>(
    chain: &mut C,
    caller: &Actor,
    contract: &Deployed,
    message: &str,
    args: impl Encode,
) -> anyhow::Result<Called<T>> {
    transact_paying(chain, caller, contract, message, args, 0)
}

fn transact_paying<C: Chain, T: Decode>(
    chain: &mut C,
    caller: &Actor,
    contract: &Deployed,
    message: &str,
    args: impl Encode,
    value: u128,
) -> anyhow::Result<Called<T>> {
    let outcome = chain.transact(caller, contract, message, &args.encode(), value)?;
    Ok(Called {
        value: decode(message, &outcome)?,
        outcome,
    })
}

fn query<C: Chain, T: Decode>(
    chain: &mut C,
    caller: &Actor,
    contract: &Deployed,
    message: &str,
    args: impl Encode,
) -> anyhow::Result<T> {
    let outcome = chain.query(caller, contract, message, &args.encode())?;
    decode(message, &outcome)
}

/// `Admin::propose_admin` of a contract with an admin (identity registry, resource
/// registry, DIVS ledger: the `admin-role` trait).
pub fn propose_admin<C: Chain>(
    chain: &mut C,
    contract: &Deployed,
    admin: &Actor,
    proposed: AccountId,
) -> anyhow::Result<Called<Result<(), AdminError>>> {
    transact(chain, admin, contract, "Admin::propose_admin", proposed)
}

/// `Admin::accept_admin`, by the proposed account, as [`propose_admin`].
pub fn accept_admin<C: Chain>(
    chain: &mut C,
    contract: &Deployed,
    proposed: &Actor,
) -> anyhow::Result<Called<Result<(), AdminError>>> {
    transact(chain, proposed, contract, "Admin::accept_admin", ())
}

/// `Admin::admin` and `Admin::pending_admin` of such a contract.
pub fn admin_role<C: Chain>(
    chain: &mut C,
    contract: &Deployed,
    caller: &Actor,
) -> anyhow::Result<(AccountId, Option<AccountId>)> {
    Ok((
        query(chain, caller, contract, "Admin::admin", ())?,
        query(chain, caller, contract, "Admin::pending_admin", ())?,
    ))
}

/// `Admin::upgrade` of such a contract, by its admin: its code becomes `code_hash`, whose
/// own `version` must be newer; `audit_report` is the hash of the new code's audit report.
pub fn upgrade<C: Chain>(
    chain: &mut C,
    contract: &Deployed,
    admin: &Actor,
    code_hash: [u8; 32],
    audit_report: [u8; 32],
) -> anyhow::Result<Called<Result<(), AdminError>>> {
    let args = (Hash::from(code_hash), audit_report);
    transact(chain, admin, contract, "Admin::upgrade", args)
}

/// `Admin::version` of such a contract's code, and the `Admin::upgrade_record` that
/// brought it.
pub fn code_version<C: Chain>(
    chain: &mut C,
    contract: &Deployed,
    caller: &Actor,
) -> anyhow::Result<(u32, Option<Upgrade>)> {
    let version: u32 = query(chain, caller, contract, "Admin::version", ())?;
    let record = query(chain, caller, contract, "Admin::upgrade_record", version)?;
    Ok((version, record))
}

/// A message result of the identity registry.
pub type IdentityResult<T> = Result<T, IdentityError>;
/// A message result of the device registry.
pub type DeviceResult<T> = Result<T, DeviceError>;
/// A message result of the resource registry.
pub type ResourceResult<T> = Result<T, ResourceError>;
/// A message result of the sharing contract.
pub type SharingResult<T> = Result<T, SharingError>;
/// A message result of the DIVS ledger.
pub type DivsResult<T> = Result<T, DivsError>;

/// The identity registry's messages.
#[derive(Clone, Debug)]
pub struct IdentityClient(pub Deployed);

impl IdentityClient {
    /// Deploys a new registry administered by `admin`.
    pub fn deploy<C: Chain>(chain: &mut C, admin: &Actor) -> anyhow::Result<Self> {
        Ok(Self(chain.deploy(
            admin,
            "identity_registry",
            "new",
            &[],
        )?))
    }

    /// `add_registrar`.
    pub fn add_registrar<C: Chain>(
        &self,
        chain: &mut C,
        admin: &Actor,
        registrar: AccountId,
        key: Ed25519PublicKey,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        transact(chain, admin, &self.0, "add_registrar", (registrar, key))
    }

    /// `register_user`.
    pub fn register_user<C: Chain>(
        &self,
        chain: &mut C,
        registrar: &Actor,
        registration: &UserRegistration,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        transact(chain, registrar, &self.0, "register_user", registration)
    }

    /// `rotate_user_key`.
    pub fn rotate_user_key<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        user: UserId,
        keys: KeySet,
        old: Ed25519Signature,
        new: Ed25519Signature,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        transact(
            chain,
            caller,
            &self.0,
            "rotate_user_key",
            (user, keys, old, new),
        )
    }

    /// `change_controller`, by the user's registrar.
    pub fn change_controller<C: Chain>(
        &self,
        chain: &mut C,
        registrar: &Actor,
        user: UserId,
        new_controller: AccountId,
        user_signature: Ed25519Signature,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        transact(
            chain,
            registrar,
            &self.0,
            "change_controller",
            (user, new_controller, user_signature),
        )
    }

    /// `recover_user`, by the user's registrar.
    #[allow(clippy::too_many_arguments)] // the message's arguments
    pub fn recover_user<C: Chain>(
        &self,
        chain: &mut C,
        registrar: &Actor,
        user: UserId,
        keys: KeySet,
        controller: AccountId,
        new_key_signature: Ed25519Signature,
        registrar_signature: Ed25519Signature,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        let args = (
            user,
            keys,
            controller,
            new_key_signature,
            registrar_signature,
        );
        transact(chain, registrar, &self.0, "recover_user", args)
    }

    /// `suspend_user`, `reactivate_user` or `revoke_user` (the `message`).
    pub fn set_user_status<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        message: &str,
        user: UserId,
        reason: ReasonCode,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        transact(chain, caller, &self.0, message, (user, reason))
    }

    /// `reassign_registrar`.
    pub fn reassign_registrar<C: Chain>(
        &self,
        chain: &mut C,
        admin: &Actor,
        user: UserId,
        registrar: AccountId,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        transact(
            chain,
            admin,
            &self.0,
            "reassign_registrar",
            (user, registrar),
        )
    }

    /// `remove_registrar`.
    pub fn remove_registrar<C: Chain>(
        &self,
        chain: &mut C,
        admin: &Actor,
        registrar: AccountId,
    ) -> anyhow::Result<Called<IdentityResult<()>>> {
        transact(chain, admin, &self.0, "remove_registrar", registrar)
    }

    /// `user`.
    pub fn user<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        user: UserId,
    ) -> anyhow::Result<IdentityResult<UserRecord>> {
        query(chain, asker, &self.0, "user", user)
    }

    /// `controller_nonce`.
    pub fn controller_nonce<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        user: UserId,
    ) -> anyhow::Result<IdentityResult<u32>> {
        query(chain, asker, &self.0, "controller_nonce", user)
    }

    /// `verify_signature`.
    pub fn verify_signature<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        user: UserId,
        message: &[u8],
        signature: Ed25519Signature,
    ) -> anyhow::Result<IdentityResult<bool>> {
        query(
            chain,
            asker,
            &self.0,
            "verify_signature",
            (user, message, signature),
        )
    }

    /// `key_at`.
    pub fn key_at<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        user: UserId,
        at: u64,
    ) -> anyhow::Result<IdentityResult<KeyEpoch>> {
        query(chain, asker, &self.0, "key_at", (user, at))
    }

    /// `key_history`.
    pub fn key_history<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        user: UserId,
        start: u32,
        limit: u32,
    ) -> anyhow::Result<IdentityResult<Vec<KeyEpoch>>> {
        query(chain, asker, &self.0, "key_history", (user, start, limit))
    }
}

/// The device registry's messages.
#[derive(Clone, Debug)]
pub struct DeviceClient(pub Deployed);

impl DeviceClient {
    /// Deploys a new registry trusting `identity`.
    pub fn deploy<C: Chain>(
        chain: &mut C,
        deployer: &Actor,
        identity: &IdentityClient,
    ) -> anyhow::Result<Self> {
        Ok(Self(chain.deploy(
            deployer,
            "device_registry",
            "new",
            &identity.0.address.encode(),
        )?))
    }

    /// `register_device`.
    pub fn register_device<C: Chain>(
        &self,
        chain: &mut C,
        registrar: &Actor,
        registration: &DeviceRegistration,
    ) -> anyhow::Result<Called<DeviceResult<()>>> {
        transact(chain, registrar, &self.0, "register_device", registration)
    }

    /// `rotate_device_key`.
    pub fn rotate_device_key<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        device: DeviceId,
        keys: KeySet,
        owner_signature: Ed25519Signature,
        device_signature: Ed25519Signature,
    ) -> anyhow::Result<Called<DeviceResult<()>>> {
        transact(
            chain,
            caller,
            &self.0,
            "rotate_device_key",
            (device, keys, owner_signature, device_signature),
        )
    }

    /// `transfer_device`.
    pub fn transfer_device<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        device: DeviceId,
        to: UserId,
        from_signature: Ed25519Signature,
        to_signature: Ed25519Signature,
    ) -> anyhow::Result<Called<DeviceResult<()>>> {
        transact(
            chain,
            caller,
            &self.0,
            "transfer_device",
            (device, to, from_signature, to_signature),
        )
    }

    /// `suspend_device`, `reactivate_device` or `revoke_device` (the `message`).
    pub fn set_device_status<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        message: &str,
        device: DeviceId,
        reason: ReasonCode,
    ) -> anyhow::Result<Called<DeviceResult<()>>> {
        transact(chain, caller, &self.0, message, (device, reason))
    }

    /// `link_divs`.
    pub fn link_divs<C: Chain>(
        &self,
        chain: &mut C,
        owner: &Actor,
        device: DeviceId,
        link: DivsLink,
    ) -> anyhow::Result<Called<DeviceResult<()>>> {
        transact(chain, owner, &self.0, "link_divs", (device, link))
    }

    /// `device`.
    pub fn device<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        device: DeviceId,
    ) -> anyhow::Result<DeviceResult<DeviceRecord>> {
        query(chain, asker, &self.0, "device", device)
    }

    /// `device_keys` (I.2 steps 1-2).
    pub fn device_keys<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        device: DeviceId,
    ) -> anyhow::Result<DeviceResult<KeySet>> {
        query(chain, asker, &self.0, "device_keys", device)
    }

    /// `verify_device_key` (I.2 steps 4-5).
    pub fn verify_device_key<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        device: DeviceId,
        key: Ed25519PublicKey,
    ) -> anyhow::Result<DeviceResult<bool>> {
        query(chain, asker, &self.0, "verify_device_key", (device, key))
    }

    /// `verify_signature`: whether `signature` of `message` is the device's.
    pub fn verify_signature<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        device: DeviceId,
        message: &[u8],
        signature: Ed25519Signature,
    ) -> anyhow::Result<DeviceResult<bool>> {
        let args = (device, message, signature);
        query(chain, asker, &self.0, "verify_signature", args)
    }

    /// `key_at`: the device's keys valid at block time `at`.
    pub fn key_at<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        device: DeviceId,
        at: u64,
    ) -> anyhow::Result<DeviceResult<DeviceKeyEpoch>> {
        query(chain, asker, &self.0, "key_at", (device, at))
    }

    /// `key_history`.
    pub fn key_history<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        device: DeviceId,
        start: u32,
        limit: u32,
    ) -> anyhow::Result<DeviceResult<Vec<DeviceKeyEpoch>>> {
        query(chain, asker, &self.0, "key_history", (device, start, limit))
    }

    /// `devices_of`.
    pub fn devices_of<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        owner: UserId,
        start: u32,
        limit: u32,
    ) -> anyhow::Result<Vec<DeviceId>> {
        query(chain, asker, &self.0, "devices_of", (owner, start, limit))
    }

    /// `device_count`.
    pub fn device_count<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        owner: UserId,
    ) -> anyhow::Result<u32> {
        query(chain, asker, &self.0, "device_count", owner)
    }
}

/// The resource registry's messages.
#[derive(Clone, Debug)]
pub struct ResourceClient(pub Deployed);

impl ResourceClient {
    /// Deploys a registry administered by `admin`, trusting `devices`, suspending providers
    /// at `fault_threshold` faults.
    pub fn deploy<C: Chain>(
        chain: &mut C,
        admin: &Actor,
        devices: &DeviceClient,
        fault_threshold: u32,
    ) -> anyhow::Result<Self> {
        let args = (devices.0.address, fault_threshold).encode();
        Ok(Self(chain.deploy(
            admin,
            "resource_registry",
            "new",
            &args,
        )?))
    }

    /// `register_provider`.
    pub fn register_provider<C: Chain>(
        &self,
        chain: &mut C,
        admin: &Actor,
        provider: AccountId,
    ) -> anyhow::Result<Called<ResourceResult<()>>> {
        transact(chain, admin, &self.0, "register_provider", provider)
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
            "suspend_provider",
            (provider, reason),
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
            "reactivate_provider",
            (provider, reason),
        )
    }

    /// `register_resource`.
    pub fn register_resource<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        registration: &ResourceRegistration,
    ) -> anyhow::Result<Called<ResourceResult<()>>> {
        transact(chain, caller, &self.0, "register_resource", registration)
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
            "verify_resource",
            (resource, computed),
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
            "report_fault",
            (resource, reporter, computed),
        )
    }

    /// `resource`.
    pub fn resource<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        resource: ResourceId,
    ) -> anyhow::Result<ResourceResult<ResourceRecord>> {
        query(chain, asker, &self.0, "resource", resource)
    }

    /// `provider`.
    pub fn provider<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        provider: AccountId,
    ) -> anyhow::Result<ResourceResult<ProviderRecord>> {
        query(chain, asker, &self.0, "provider", provider)
    }

    /// `resources_of` (SeR-1).
    pub fn resources_of<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        owner: UserId,
    ) -> anyhow::Result<Vec<ResourceId>> {
        query(chain, asker, &self.0, "resources_of", (owner, 0u32, 50u32))
    }

    /// `resources_by_pu` (SeR-1).
    pub fn resources_by_pu<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        pu: DeviceId,
    ) -> anyhow::Result<Vec<ResourceId>> {
        query(chain, asker, &self.0, "resources_by_pu", (pu, 0u32, 50u32))
    }
}

/// The sharing contract's messages.
#[derive(Clone, Debug)]
pub struct SharingClient(pub Deployed);

impl SharingClient {
    /// Deploys a sharing contract trusting `resources` (and its registries).
    pub fn deploy<C: Chain>(
        chain: &mut C,
        deployer: &Actor,
        resources: &ResourceClient,
    ) -> anyhow::Result<Self> {
        let args = resources.0.address.encode();
        Ok(Self(chain.deploy(
            deployer,
            "sharing_policy",
            "new",
            &args,
        )?))
    }

    /// `create_policy`.
    pub fn create_policy<C: Chain>(
        &self,
        chain: &mut C,
        owner: &Actor,
        owner_id: UserId,
        terms: &PolicyTerms,
    ) -> anyhow::Result<Called<SharingResult<u64>>> {
        transact(chain, owner, &self.0, "create_policy", (owner_id, terms))
    }

    /// `update_policy`.
    pub fn update_policy<C: Chain>(
        &self,
        chain: &mut C,
        owner: &Actor,
        policy: u64,
        terms: &PolicyTerms,
    ) -> anyhow::Result<Called<SharingResult<u32>>> {
        transact(chain, owner, &self.0, "update_policy", (policy, terms))
    }

    /// `suspend_policy`, `reactivate_policy` or `revoke_policy` (the `message`).
    pub fn set_policy_status<C: Chain>(
        &self,
        chain: &mut C,
        owner: &Actor,
        message: &str,
        policy: u64,
    ) -> anyhow::Result<Called<SharingResult<()>>> {
        transact(chain, owner, &self.0, message, policy)
    }

    /// `revoke_agreement`.
    pub fn revoke_agreement<C: Chain>(
        &self,
        chain: &mut C,
        owner: &Actor,
        agreement: u64,
    ) -> anyhow::Result<Called<SharingResult<()>>> {
        transact(chain, owner, &self.0, "revoke_agreement", agreement)
    }

    /// `accept_policy`, paying `price`.
    pub fn accept_policy<C: Chain>(
        &self,
        chain: &mut C,
        requester: &Actor,
        acceptance: &Acceptance,
        price: u128,
    ) -> anyhow::Result<Called<SharingResult<u64>>> {
        transact_paying(
            chain,
            requester,
            &self.0,
            "accept_policy",
            acceptance,
            price,
        )
    }

    /// `access` (I.5.1 step 4).
    pub fn access<C: Chain>(
        &self,
        chain: &mut C,
        holder: &Actor,
        agreement: u64,
        resource: ResourceId,
        permission: Permissions,
        window: Option<Window>,
    ) -> anyhow::Result<Called<SharingResult<u32>>> {
        transact(
            chain,
            holder,
            &self.0,
            "access",
            (agreement, resource, permission, window),
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
    ) -> anyhow::Result<Called<SharingResult<u64>>> {
        transact(
            chain,
            owner,
            &self.0,
            "grant_device",
            (pu, cu, temporary_key, permissions, expires_at),
        )
    }

    /// `revoke_grant`.
    pub fn revoke_grant<C: Chain>(
        &self,
        chain: &mut C,
        owner: &Actor,
        grant: u64,
    ) -> anyhow::Result<Called<SharingResult<()>>> {
        transact(chain, owner, &self.0, "revoke_grant", grant)
    }

    /// `open_private_transfer` (I.5.2 step 3).
    pub fn open_private_transfer<C: Chain>(
        &self,
        chain: &mut C,
        owner: &Actor,
        resource: ResourceId,
        participants: PrivateParam,
    ) -> anyhow::Result<Called<SharingResult<u64>>> {
        transact(
            chain,
            owner,
            &self.0,
            "open_private_transfer",
            (resource, participants),
        )
    }

    /// `acknowledge_private_transfer` (I.5.2 step 4).
    pub fn acknowledge_private_transfer<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        transfer: u64,
        as_db: DeviceId,
    ) -> anyhow::Result<Called<SharingResult<()>>> {
        transact(
            chain,
            caller,
            &self.0,
            "acknowledge_private_transfer",
            (transfer, as_db),
        )
    }

    /// `complete_private_transfer` (I.5.2 step 5).
    pub fn complete_private_transfer<C: Chain>(
        &self,
        chain: &mut C,
        caller: &Actor,
        transfer: u64,
        as_db: DeviceId,
        computed: &Multihash,
    ) -> anyhow::Result<Called<SharingResult<()>>> {
        transact(
            chain,
            caller,
            &self.0,
            "complete_private_transfer",
            (transfer, as_db, computed),
        )
    }

    /// `policy`.
    pub fn policy<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        policy: u64,
    ) -> anyhow::Result<SharingResult<Policy>> {
        query(chain, asker, &self.0, "policy", policy)
    }

    /// `policy_version`.
    pub fn policy_version<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        policy: u64,
        version: u32,
    ) -> anyhow::Result<SharingResult<PolicyVersion>> {
        query(chain, asker, &self.0, "policy_version", (policy, version))
    }

    /// `agreement`.
    pub fn agreement<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        agreement: u64,
    ) -> anyhow::Result<SharingResult<Agreement>> {
        query(chain, asker, &self.0, "agreement", agreement)
    }

    /// `access_record`.
    pub fn access_record<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        agreement: u64,
        index: u32,
    ) -> anyhow::Result<SharingResult<AccessRecord>> {
        query(chain, asker, &self.0, "access_record", (agreement, index))
    }

    /// `catalogue` (I.5.1 step 2).
    pub fn catalogue<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        agreement: u64,
    ) -> anyhow::Result<SharingResult<Vec<ResourceId>>> {
        query(chain, asker, &self.0, "catalogue", agreement)
    }

    /// `grant`.
    pub fn grant<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        grant: u64,
    ) -> anyhow::Result<SharingResult<DeviceGrant>> {
        query(chain, asker, &self.0, "grant", grant)
    }

    /// `grant_valid`: `Ok` while the grant holds for `key`, else why not.
    pub fn grant_valid<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        grant: u64,
        key: Ed25519PublicKey,
    ) -> anyhow::Result<SharingResult<()>> {
        query(chain, asker, &self.0, "grant_valid", (grant, key))
    }

    /// `private_transfer`.
    pub fn private_transfer<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        transfer: u64,
    ) -> anyhow::Result<SharingResult<PrivateTransfer>> {
        query(chain, asker, &self.0, "private_transfer", transfer)
    }
}

/// The DIVS ledger's messages.
#[derive(Clone, Debug)]
pub struct DivsClient(pub Deployed);

impl DivsClient {
    /// Deploys a ledger of instance `instance`, administered by `admin`.
    pub fn deploy<C: Chain>(
        chain: &mut C,
        admin: &Actor,
        instance: [u8; 32],
    ) -> anyhow::Result<Self> {
        Ok(Self(chain.deploy(
            admin,
            "divs_ledger",
            "new",
            &instance.encode(),
        )?))
    }

    /// `add_authority`.
    pub fn add_authority<C: Chain>(
        &self,
        chain: &mut C,
        admin: &Actor,
        authority: &Actor,
        certificate_hash: [u8; 32],
    ) -> anyhow::Result<Called<DivsResult<()>>> {
        let args = (
            authority.account,
            authority.keys.signing_public(),
            certificate_hash,
        );
        transact(chain, admin, &self.0, "add_authority", args)
    }

    /// `remove_authority`.
    pub fn remove_authority<C: Chain>(
        &self,
        chain: &mut C,
        admin: &Actor,
        authority: AccountId,
    ) -> anyhow::Result<Called<DivsResult<()>>> {
        transact(chain, admin, &self.0, "remove_authority", authority)
    }

    /// `endorse`: one entry, signatures verified in the contract.
    pub fn endorse<C: Chain>(
        &self,
        chain: &mut C,
        authority: &Actor,
        endorsement: &Endorsement,
    ) -> anyhow::Result<Called<DivsResult<(u64, EntryAddress)>>> {
        transact(chain, authority, &self.0, "endorse", endorsement)
    }

    /// `endorse_batch`: signatures stored for off-chain checks.
    pub fn endorse_batch<C: Chain>(
        &self,
        chain: &mut C,
        authority: &Actor,
        endorsements: &[Endorsement],
    ) -> anyhow::Result<Called<DivsResult<(u64, u32)>>> {
        transact(chain, authority, &self.0, "endorse_batch", endorsements)
    }

    /// `assign_ue`: the admin makes `authority` responsible for the UE's updates.
    pub fn assign_ue<C: Chain>(
        &self,
        chain: &mut C,
        admin: &Actor,
        ue: Ed25519PublicKey,
        authority: AccountId,
    ) -> anyhow::Result<Called<DivsResult<()>>> {
        transact(chain, admin, &self.0, "assign_ue", (ue, authority))
    }

    /// `entry`.
    pub fn entry<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        tx_id: u64,
    ) -> anyhow::Result<DivsResult<Entry>> {
        query(chain, asker, &self.0, "entry", tx_id)
    }

    /// `latest`.
    pub fn latest<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        ue: Ed25519PublicKey,
    ) -> anyhow::Result<DivsResult<Entry>> {
        query(chain, asker, &self.0, "latest", ue)
    }

    /// `partial` (7.2.3).
    pub fn partial<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        tx_id: u64,
    ) -> anyhow::Result<DivsResult<PartialAnswer>> {
        query(chain, asker, &self.0, "partial", tx_id)
    }

    /// `head`: entry count and chain head.
    pub fn head<C: Chain>(&self, chain: &mut C, asker: &Actor) -> anyhow::Result<(u64, [u8; 32])> {
        query(chain, asker, &self.0, "head", ())
    }

    /// `entries`: one page.
    pub fn entries<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        start: u64,
        limit: u32,
    ) -> anyhow::Result<Vec<Entry>> {
        query(chain, asker, &self.0, "entries", (start, limit))
    }

    /// `authority`.
    pub fn authority<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
        account: AccountId,
    ) -> anyhow::Result<DivsResult<Authority>> {
        query(chain, asker, &self.0, "authority", account)
    }

    /// `entry_address`.
    pub fn entry_address<C: Chain>(
        &self,
        chain: &mut C,
        asker: &Actor,
    ) -> anyhow::Result<EntryAddress> {
        query(chain, asker, &self.0, "entry_address", ())
    }
}
