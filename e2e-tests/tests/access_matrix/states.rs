//! The state dimension of the access matrix: right before a working transaction, the chain
//! is put into a state in which the same caller must no longer be served (its user suspended
//! or revoked, its registrar or authority removed, its provider suspended), the same call is
//! made, and the chain goes back to the state before. [`STATE_RULES`] says, for each message
//! and state, whether the call is refused and with which typed error, or must still work
//! (a protective action, such as a suspended owner suspending her own policy). Queries that
//! answer yes about a device are asked again with the device's owner suspended or revoked,
//! and must answer no.
use super::{as_actor, check_refused, role_of, Role};
use anyhow::{anyhow, bail, ensure};
use e2e_tests::{
    chain::{Actor, Chain, Deployed, Outcome},
    clients::{self, DeviceClient, DivsClient, IdentityClient, ResourceClient, StatusChange},
    flows::registration::user_id,
    sandbox::SandboxChain,
};
use ink::primitives::AccountId;
use scale::Decode;
use shared_types::{reason, DeviceId, UserId};
use std::collections::BTreeMap;

/// A state the caller is put in before its call is made again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    /// The calling user, suspended by the identity registry's admin.
    UserSuspended,
    /// The calling user, revoked by the identity registry's admin.
    UserRevoked,
    /// The calling registrar, removed by the identity registry's admin.
    RegistrarRemoved,
    /// The calling DIVS authority, removed by the ledger's admin.
    AuthorityRemoved,
    /// The calling storage provider, suspended by the resource registry's admin.
    ProviderSuspended,
    /// The owner of the device a query is about (not the caller), suspended by the identity
    /// registry's admin.
    OwnerSuspended,
    /// That owner, revoked by the identity registry's admin.
    OwnerRevoked,
}
use State::*;

impl State {
    /// Whether the state is about the caller's role (the owner states are about whoever
    /// owns the device asked about, whoever asks).
    fn applies_to(self, role: Role) -> bool {
        match self {
            UserSuspended | UserRevoked => role == Role::Subject,
            RegistrarRemoved => role == Role::Registrar,
            AuthorityRemoved => role == Role::Authority,
            ProviderSuspended => role == Role::Provider,
            OwnerSuspended | OwnerRevoked => true,
        }
    }
}

/// What the caller's call gets in the state.
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    /// Refused with this typed error (its `Debug` form).
    Refused(&'static str),
    /// Still works: an action that protects others must not depend on the caller's status.
    Works,
    /// A yes/no query that answered yes answers no (`Ok(false)`).
    AnswersNo,
}
use Expect::*;

/// A message, a state of its caller, and what the call gets in it.
pub struct StateRule {
    contract: &'static str,
    message: &'static str,
    state: State,
    expect: Expect,
}

const fn when(
    contract: &'static str,
    message: &'static str,
    state: State,
    expect: Expect,
) -> StateRule {
    StateRule {
        contract,
        message,
        state,
        expect,
    }
}

/// Every message whose caller's state matters, and what it gets in each state.
#[rustfmt::skip] // one (message, state) a line, as a table
pub const STATE_RULES: &[StateRule] = &[
    when("identity_registry", "register_user", RegistrarRemoved, Refused("NotRegistrar")),
    when("identity_registry", "suspend_user", RegistrarRemoved, Refused("NotUserRegistrar")),
    when("identity_registry", "revoke_user", RegistrarRemoved, Refused("NotUserRegistrar")),
    when("identity_registry", "reactivate_user", RegistrarRemoved, Refused("NotUserRegistrar")),
    when("identity_registry", "change_controller", RegistrarRemoved, Refused("NotUserRegistrar")),
    when("identity_registry", "recover_user", RegistrarRemoved, Refused("NotUserRegistrar")),
    when("device_registry", "suspend_device", UserSuspended, Works),
    when("device_registry", "revoke_device", UserSuspended, Works),
    when("device_registry", "reactivate_device", UserSuspended, Refused("OwnerNotActive")),
    when("device_registry", "link_divs", UserSuspended, Refused("OwnerNotActive")),
    when("device_registry", "link_divs", UserRevoked, Refused("OwnerNotActive")),
    when("device_registry", "verify_device_key", OwnerSuspended, AnswersNo),
    when("device_registry", "verify_device_key", OwnerRevoked, AnswersNo),
    when("resource_registry", "register_resource", UserSuspended, Refused("UserNotActive")),
    when("resource_registry", "register_resource", UserRevoked, Refused("UserNotActive")),
    when("resource_registry", "register_resource", ProviderSuspended, Refused("ProviderSuspended")),
    when("resource_registry", "report_fault", UserSuspended, Refused("UserNotActive")),
    when("sharing_policy", "create_policy", UserSuspended, Refused("UserNotActive")),
    when("sharing_policy", "create_policy", UserRevoked, Refused("UserNotActive")),
    when("sharing_policy", "update_policy", UserSuspended, Refused("UserNotActive")),
    when("sharing_policy", "reactivate_policy", UserSuspended, Refused("UserNotActive")),
    when("sharing_policy", "suspend_policy", UserSuspended, Works),
    when("sharing_policy", "suspend_policy", UserRevoked, Works),
    when("sharing_policy", "revoke_policy", UserSuspended, Works),
    when("sharing_policy", "revoke_policy", UserRevoked, Works),
    when("sharing_policy", "revoke_agreement", UserSuspended, Works),
    when("sharing_policy", "revoke_agreement", UserRevoked, Works),
    when("sharing_policy", "accept_policy", UserSuspended, Refused("UserNotActive")),
    when("sharing_policy", "access", UserSuspended, Refused("UserNotActive")),
    when("sharing_policy", "access", UserRevoked, Refused("UserNotActive")),
    when("sharing_policy", "grant_device", UserSuspended, Refused("UserNotActive")),
    when("sharing_policy", "revoke_grant", UserSuspended, Works),
    when("sharing_policy", "revoke_grant", UserRevoked, Works),
    when("sharing_policy", "open_private_transfer", UserSuspended, Refused("UserNotActive")),
    when("sharing_policy", "acknowledge_private_transfer", UserSuspended, Refused("UserNotActive")),
    when("sharing_policy", "complete_private_transfer", UserSuspended, Refused("UserNotActive")),
    when("divs_ledger", "endorse", AuthorityRemoved, Refused("NotAuthority")),
    when("divs_ledger", "endorse_batch", AuthorityRemoved, Refused("NotAuthority")),
];

impl StateRule {
    /// Its key in [`StateProbes::exercised`].
    pub fn key(&self) -> (String, String, State) {
        (
            self.contract.to_owned(),
            self.message.to_owned(),
            self.state,
        )
    }
}

impl std::fmt::Display for StateRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (contract, message, state) = (self.contract, self.message, self.state);
        match self.expect {
            Refused(error) => write!(
                f,
                "{contract}::{message} when {state:?}: refused with {error}"
            ),
            Works => write!(f, "{contract}::{message} when {state:?}: still works"),
            AnswersNo => write!(f, "{contract}::{message} when {state:?}: answers false"),
        }
    }
}

/// How a probed call is made.
#[derive(Clone, Copy)]
pub enum Made {
    /// As a transaction sending this value.
    Transaction(u128),
    /// As a query.
    Query,
}

/// The state probes of one run: the suite's contracts as the story deploys them, and what
/// was probed.
#[derive(Default)]
pub struct StateProbes {
    /// The first deployment of each contract: the suite's (later ones are the story's
    /// "another instance" replays).
    suite: BTreeMap<String, Deployed>,
    /// (contract, message, state) → probes made.
    pub exercised: BTreeMap<(String, String, State), u32>,
    /// Probes made.
    pub probes: u32,
}

impl StateProbes {
    /// Records a deployment.
    pub fn deployed(&mut self, contract: &Deployed) {
        self.suite
            .entry(contract.name.clone())
            .or_insert_with(|| contract.clone());
    }

    fn suite(&self, contract: &str) -> anyhow::Result<&Deployed> {
        self.suite
            .get(contract)
            .ok_or_else(|| anyhow!("{contract} is not deployed"))
    }

    /// The admin of one of the suite's contracts, as an actor that can sign for it here.
    fn admin_of(&self, chain: &mut SandboxChain, contract: &str) -> anyhow::Result<Actor> {
        let deployed = self.suite(contract)?;
        let nobody = as_actor("anyone", AccountId::from([0; 32]));
        let (admin, _) = clients::admin_role(chain, deployed, &nobody)?;
        Ok(as_actor("the admin", admin))
    }

    /// The owner of the device a device_registry call's arguments start with.
    fn device_owner(&self, chain: &mut SandboxChain, call: &[u8]) -> anyhow::Result<UserId> {
        let device = DeviceId::decode(&mut call.get(4..).unwrap_or_default())?;
        let registry = DeviceClient(self.suite("device_registry")?.clone());
        let nobody = as_actor("anyone", AccountId::from([0; 32]));
        let record = registry
            .device(chain, &nobody, device)?
            .map_err(|e| anyhow!("DeviceLookup::device: {e:?}"))?;
        Ok(record.owner)
    }

    /// Puts `caller` (or, for the owner states, the owner of the device `call` is about)
    /// into `state` by its admin's transaction; `None` where the state does not apply to
    /// this caller (an account that is no registered user).
    fn enter(
        &self,
        chain: &mut SandboxChain,
        caller: &Actor,
        state: State,
        call: &[u8],
    ) -> anyhow::Result<Option<Outcome>> {
        let identity =
            || Ok::<_, anyhow::Error>(IdentityClient(self.suite("identity_registry")?.clone()));
        let outcome = match state {
            UserSuspended | UserRevoked | OwnerSuspended | OwnerRevoked => {
                let change = if matches!(state, UserSuspended | OwnerSuspended) {
                    StatusChange::Suspend
                } else {
                    StatusChange::Revoke
                };
                let user = if matches!(state, UserSuspended | UserRevoked) {
                    user_id(caller)
                } else {
                    self.device_owner(chain, call)?
                };
                let admin = self.admin_of(chain, "identity_registry")?;
                identity()?
                    .set_user_status(chain, &admin, change, user, reason::UNSPECIFIED)?
                    .outcome
            }
            RegistrarRemoved => {
                let admin = self.admin_of(chain, "identity_registry")?;
                identity()?
                    .remove_registrar(chain, &admin, caller.account)?
                    .outcome
            }
            AuthorityRemoved => {
                let admin = self.admin_of(chain, "divs_ledger")?;
                DivsClient(self.suite("divs_ledger")?.clone())
                    .remove_authority(chain, &admin, caller.account)?
                    .outcome
            }
            ProviderSuspended => {
                let admin = self.admin_of(chain, "resource_registry")?;
                ResourceClient(self.suite("resource_registry")?.clone())
                    .suspend_provider(chain, &admin, caller.account, reason::UNSPECIFIED)?
                    .outcome
            }
        };
        Ok((!outcome.reverted).then_some(outcome))
    }

    /// Makes `caller`'s working call `call` again in every state the table names for its
    /// message, each from the state the chain is in now, and checks what it gets; the chain
    /// is back in the state it was in afterwards.
    pub fn probe(
        &mut self,
        chain: &mut SandboxChain,
        caller: &Actor,
        contract: &Deployed,
        call: &[u8],
        made: Made,
    ) -> anyhow::Result<()> {
        // The states are entered in the suite's contracts: a call to another instance (the
        // story's replays to a second registry) depends on none of them.
        if self.suite.get(&contract.name).map(|d| d.address) != Some(contract.address) {
            return Ok(());
        }
        let message = contract.label(call)?;
        let role = role_of(&caller.name);
        let rules = STATE_RULES
            .iter()
            .filter(|r| r.contract == contract.name && r.message == message)
            .filter(|r| r.state.applies_to(role));
        for rule in rules {
            let before = chain.snapshot();
            let probed = match made {
                Made::Transaction(value) => {
                    self.probe_in(chain, rule, caller, contract, call, value)
                }
                Made::Query => self.ask_in(chain, rule, caller, contract, call),
            };
            chain.restore(before);
            if probed? {
                let key = (contract.name.clone(), message.to_owned(), rule.state);
                *self.exercised.entry(key).or_default() += 1;
                self.probes += 1;
            }
        }
        Ok(())
    }

    /// One probe; `false` where the state does not apply to the caller.
    fn probe_in(
        &self,
        chain: &mut SandboxChain,
        rule: &StateRule,
        caller: &Actor,
        contract: &Deployed,
        call: &[u8],
        value: u128,
    ) -> anyhow::Result<bool> {
        let what = format!(
            "{}::{} by {} when {:?}",
            contract.name, rule.message, caller.name, rule.state
        );
        if self.enter(chain, caller, rule.state, call)?.is_none() {
            return Ok(false);
        }
        let root = chain.state_root();
        let outcome = chain.transact(caller, contract, call, value)?;
        match rule.expect {
            Works => ensure!(!outcome.reverted, "{what}: refused, but it must still work"),
            Refused(refusal) => {
                let unchanged = chain.state_root() == root;
                check_refused(&what, contract, &outcome, unchanged, refusal)?;
            }
            AnswersNo => bail!("{what}: a state-changing message cannot answer no"),
        }
        Ok(true)
    }

    /// One probe of a yes/no query; `false` where it did not answer yes before (a no in
    /// the state would prove nothing).
    fn ask_in(
        &self,
        chain: &mut SandboxChain,
        rule: &StateRule,
        caller: &Actor,
        contract: &Deployed,
        call: &[u8],
    ) -> anyhow::Result<bool> {
        let what = format!(
            "{}::{} by {} when {:?}",
            contract.name, rule.message, caller.name, rule.state
        );
        ensure!(
            matches!(rule.expect, AnswersNo),
            "{what}: a query can only answer no"
        );
        if yes_no(&chain.query(caller, contract, call)?.data) != Some(true) {
            return Ok(false);
        }
        ensure!(
            self.enter(chain, caller, rule.state, call)?.is_some(),
            "{what}: the state could not be entered"
        );
        let answer = yes_no(&chain.query(caller, contract, call)?.data);
        ensure!(answer == Some(false), "{what}: answered {answer:?}, not no");
        Ok(true)
    }
}

/// The answer of a query returning `Result<bool, _>`: `Some` for `Ok(b)`, `None` otherwise.
fn yes_no(data: &[u8]) -> Option<bool> {
    match data {
        [0, 0, answer] => Some(*answer != 0),
        _ => None,
    }
}
