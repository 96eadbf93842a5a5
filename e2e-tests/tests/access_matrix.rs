//! The access-control matrix, on the drink sandbox. [`RULES`] says, for every state-changing
//! message of every contract, which roles may call it. The whole story then runs on a
//! [`Guarded`] chain: right before each transaction the story makes, and which would
//! succeed, the same call (same arguments, same state) is made by every role that may not
//! make it and by an unknown account. Each must get the contract's typed error, revert, emit
//! nothing and leave the whole chain state as it was (same state root). So only the caller
//! differs from a call that works: the refusal can only come from access control.
//!
//! The other way round, an admin, registrar or authority the table allows to call a message
//! must not be refused with its access error (a dry run), so the table cannot allow more
//! than the contract does either. The test fails when a message of a bundle's metadata has
//! no rule, when a rule names no message, or when a rule was never exercised: a new message
//! cannot be forgotten.
use anyhow::{anyhow, bail, ensure};
use e2e_tests::{
    chain::{Actor, Chain, Deployed, Outcome},
    manifest::CONTRACTS,
    observed::{Observed, Observer},
    sandbox::{bundle_messages, SandboxChain},
    stories,
    transcript::Transcript,
};
use ink::primitives::AccountId;
use scale::DecodeAll;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

#[path = "access_matrix/states.rs"]
mod states;
use states::{Made, StateProbes, STATE_RULES};

/// Who may call a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// The contract's admin (the deployer, "Operator").
    Admin,
    /// An ISP registrar ("ISP").
    Registrar,
    /// A registered storage provider ("CloudStore").
    Provider,
    /// A DIVS authority ("DIVS-AS1", "DIVS-AS2").
    Authority,
    /// Only the user the call is about (its controller account): another user may not.
    /// When a call allowed to a subject is made by another role (a provider registering a
    /// user's resource), which user it is about is not known here, so no user is probed.
    Subject,
    /// Any account: the message is authorized by the signatures it carries, not by its
    /// caller (the replay tests cover those), or it changes nothing but the log
    /// (`verify_resource` records the caller's comparison).
    Anyone,
}
use Role::*;

/// A message, the roles that may call it, and the error every other caller gets (its
/// `Debug` form; empty where anyone may call).
struct Rule {
    contract: &'static str,
    message: &'static str,
    may_call: &'static [Role],
    refusal: &'static str,
}

const fn rule(
    contract: &'static str,
    message: &'static str,
    may_call: &'static [Role],
    refusal: &'static str,
) -> Rule {
    Rule {
        contract,
        message,
        may_call,
        refusal,
    }
}

/// Every state-changing message of the suite.
#[rustfmt::skip] // one message a line, as a table
const RULES: &[Rule] = &[
    rule("identity_registry", "Admin::propose_admin", &[Admin], "NotAdmin"),
    rule("identity_registry", "Admin::accept_admin", &[Subject], "NotPendingAdmin"),
    rule("identity_registry", "Admin::upgrade", &[Admin], "NotAdmin"),
    rule("identity_registry", "add_registrar", &[Admin], "NotAdmin"),
    rule("identity_registry", "remove_registrar", &[Admin], "NotAdmin"),
    rule("identity_registry", "reassign_registrar", &[Admin], "NotAdmin"),
    rule("identity_registry", "register_user", &[Registrar], "NotRegistrar"),
    rule("identity_registry", "rotate_user_key", &[Anyone], ""),
    rule("identity_registry", "change_controller", &[Registrar], "NotUserRegistrar"),
    rule("identity_registry", "recover_user", &[Registrar], "NotUserRegistrar"),
    rule("identity_registry", "suspend_user", &[Admin, Registrar], "NotUserRegistrar"),
    rule("identity_registry", "revoke_user", &[Admin, Registrar], "NotUserRegistrar"),
    rule("identity_registry", "reactivate_user", &[Admin, Registrar], "NotUserRegistrar"),
    rule("device_registry", "register_device", &[Registrar], "NotRegistrar"),
    rule("device_registry", "rotate_device_key", &[Anyone], ""),
    rule("device_registry", "transfer_device", &[Anyone], ""),
    rule("device_registry", "suspend_device", &[Registrar, Subject], "NotAuthorized"),
    rule("device_registry", "revoke_device", &[Registrar, Subject], "NotAuthorized"),
    rule("device_registry", "reactivate_device", &[Registrar, Subject], "NotAuthorized"),
    rule("device_registry", "link_divs", &[Subject], "NotAuthorized"),
    rule("resource_registry", "Admin::propose_admin", &[Admin], "NotAdmin"),
    rule("resource_registry", "Admin::accept_admin", &[Subject], "NotPendingAdmin"),
    rule("resource_registry", "Admin::upgrade", &[Admin], "NotAdmin"),
    rule("resource_registry", "register_provider", &[Admin], "NotAdmin"),
    rule("resource_registry", "suspend_provider", &[Admin], "NotAdmin"),
    rule("resource_registry", "reactivate_provider", &[Admin], "NotAdmin"),
    rule("resource_registry", "register_resource", &[Subject, Provider], "NotAuthorized"),
    rule("resource_registry", "verify_resource", &[Anyone], ""),
    rule("resource_registry", "report_fault", &[Subject], "NotController"),
    rule("sharing_policy", "create_policy", &[Subject], "NotController"),
    rule("sharing_policy", "update_policy", &[Subject], "NotController"),
    rule("sharing_policy", "suspend_policy", &[Subject], "NotController"),
    rule("sharing_policy", "reactivate_policy", &[Subject], "NotController"),
    rule("sharing_policy", "revoke_policy", &[Subject], "NotController"),
    rule("sharing_policy", "accept_policy", &[Subject], "NotController"),
    rule("sharing_policy", "revoke_agreement", &[Subject], "NotController"),
    rule("sharing_policy", "access", &[Subject], "NotAgreementHolder"),
    rule("sharing_policy", "grant_device", &[Subject], "NotController"),
    rule("sharing_policy", "revoke_grant", &[Subject], "NotController"),
    rule("sharing_policy", "open_private_transfer", &[Subject], "NotController"),
    rule("sharing_policy", "acknowledge_private_transfer", &[Subject], "NotController"),
    rule("sharing_policy", "complete_private_transfer", &[Subject], "NotController"),
    rule("divs_ledger", "Admin::propose_admin", &[Admin], "NotAdmin"),
    rule("divs_ledger", "Admin::accept_admin", &[Subject], "NotPendingAdmin"),
    rule("divs_ledger", "Admin::upgrade", &[Admin], "NotAdmin"),
    rule("divs_ledger", "add_authority", &[Admin], "NotAdmin"),
    rule("divs_ledger", "remove_authority", &[Admin], "NotAdmin"),
    rule("divs_ledger", "endorse", &[Authority], "NotAuthority"),
    rule("divs_ledger", "endorse_batch", &[Authority], "NotAuthority"),
    rule("divs_ledger", "assign_ue", &[Admin], "NotAdmin"),
];

/// One account of each role, by the name the story gives it, and two users.
const REPRESENTATIVES: [&str; 6] = ["Operator", "ISP", "CloudStore", "DIVS-AS1", "Alice", "Bob"];

fn role_of(name: &str) -> Role {
    match name {
        "Operator" => Admin,
        "ISP" => Registrar,
        "CloudStore" => Provider,
        "DIVS-AS1" | "DIVS-AS2" => Authority,
        _ => Subject,
    }
}

fn rule_for(contract: &str, message: &str) -> anyhow::Result<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.contract == contract && r.message == message)
        .ok_or_else(|| anyhow!("no access rule for {contract}::{message}: add it to RULES"))
}

/// Checks that a probed call was refused as the tables say: reverted, no event, the chain
/// state unchanged (`unchanged`), and the contract's typed error `refusal`.
fn check_refused(
    what: &str,
    contract: &Deployed,
    outcome: &Outcome,
    unchanged: bool,
    refusal: &str,
) -> anyhow::Result<()> {
    ensure!(
        outcome.reverted,
        "{what}: not refused (the call went through)"
    );
    ensure!(
        outcome.events.is_empty(),
        "{what}: refused but emitted events"
    );
    ensure!(unchanged, "{what}: refused but the chain state changed");
    let error =
        typed_error(&contract.name, outcome).map_err(|e| anyhow!("{what}: no typed error: {e}"))?;
    ensure!(
        error == refusal,
        "{what}: refused with {error}, not {refusal}"
    );
    Ok(())
}

/// The message's error in a refused call's return: `Ok(Err(error))` with nothing after it.
/// The messages of the `Admin` trait fail with its `AdminError`, the others with the
/// contract's `Error`.
fn typed_error(contract: &str, outcome: &Outcome) -> anyhow::Result<String> {
    fn decode<E: DecodeAll + Debug>(bytes: &[u8]) -> anyhow::Result<String> {
        Ok(format!("{:?}", E::decode_all(&mut &bytes[..])?))
    }
    let (message, data) = (&outcome.message, &outcome.data);
    let error = match &data[..] {
        [0, 1, error @ ..] => error,
        _ => bail!("not an Ok(Err(_)) message result: 0x{}", hex::encode(data)),
    };
    if message.starts_with("Admin::") {
        return decode::<admin_role::AdminError>(error);
    }
    match contract {
        "identity_registry" => decode::<identity_registry::Error>(error),
        "device_registry" => decode::<device_registry::Error>(error),
        "resource_registry" => decode::<resource_registry::Error>(error),
        "sharing_policy" => decode::<sharing_policy::Error>(error),
        "divs_ledger" => decode::<divs_ledger::Error>(error),
        other => bail!("unknown contract {other}"),
    }
}

/// What the sandbox is observed by: before each working transaction, it probes the same
/// call with the callers that may not make it.
struct Guard {
    /// Accounts of the actors the story made, by name.
    accounts: BTreeMap<String, AccountId>,
    unknown: Actor,
    /// (contract, message) → working calls probed.
    exercised: BTreeMap<(String, String), u32>,
    probes: u32,
    /// The same calls made again with the caller in another state.
    states: StateProbes,
}

/// The sandbox, guarded.
type Guarded = Observed<SandboxChain, Guard>;

fn guarded() -> anyhow::Result<Guarded> {
    let mut inner = SandboxChain::new();
    let unknown = inner.actor("an account nobody registered")?;
    Ok(Observed {
        inner,
        observer: Guard {
            accounts: BTreeMap::new(),
            unknown,
            exercised: BTreeMap::new(),
            probes: 0,
            states: StateProbes::default(),
        },
    })
}

impl Guard {
    /// The accounts that may not make `caller`'s call of `rule`.
    fn forbidden(&self, rule: &Rule, caller: &Actor) -> anyhow::Result<Vec<Actor>> {
        let own = role_of(&caller.name);
        ensure!(
            rule.may_call.contains(&own) || rule.may_call.contains(&Anyone),
            "{}::{} worked for {} ({own:?}), which RULES does not allow",
            rule.contract,
            rule.message,
            caller.name
        );
        if rule.may_call.contains(&Anyone) {
            return Ok(Vec::new());
        }
        let mut forbidden: Vec<Actor> = REPRESENTATIVES
            .iter()
            .filter_map(|name| Some((*name, *self.accounts.get(*name)?)))
            .filter(|(name, account)| {
                let role = role_of(name);
                let other_user = role == Subject && own == Subject;
                *account != caller.account && (other_user || !rule.may_call.contains(&role))
            })
            .map(|(name, account)| as_actor(name, account))
            .collect();
        forbidden.push(as_actor(&self.unknown.name, self.unknown.account));
        Ok(forbidden)
    }

    /// Makes the call `call` as each forbidden caller and checks every refusal.
    fn probe(
        &mut self,
        chain: &mut SandboxChain,
        caller: &Actor,
        contract: &Deployed,
        call: &[u8],
        value: u128,
    ) -> anyhow::Result<()> {
        let message = contract.label(call)?;
        let rule = rule_for(&contract.name, message)?;
        for stranger in self.forbidden(rule, caller)? {
            let what = format!("{}::{message} by {}", contract.name, stranger.name);
            let before = chain.state_root();
            let outcome = chain.transact(&stranger, contract, call, value)?;
            let after = chain.state_root();
            check_refused(&what, contract, &outcome, before == after, rule.refusal)?;
            self.probes += 1;
        }
        // And the other way: a role the table allows (one whose every member may call, not
        // a subject or a provider, which depend on the arguments) is not refused for its role.
        for (name, role) in [
            ("Operator", Admin),
            ("ISP", Registrar),
            ("DIVS-AS1", Authority),
        ] {
            let Some(&account) = self.accounts.get(name) else {
                continue;
            };
            if account == caller.account || !rule.may_call.contains(&role) {
                continue;
            }
            let outcome = chain.dry_run(&as_actor(name, account), contract, call, value)?;
            let refused = outcome.reverted
                && typed_error(&contract.name, &outcome).is_ok_and(|e| e == rule.refusal);
            ensure!(
                !refused,
                "{}::{message}: RULES lets {role:?} call it, but {name} is refused with {}",
                contract.name,
                rule.refusal
            );
        }
        *self
            .exercised
            .entry((contract.name.clone(), message.to_owned()))
            .or_default() += 1;
        Ok(())
    }
}

/// An actor standing for `account` (only its account signs on the sandbox).
fn as_actor(name: &str, account: AccountId) -> Actor {
    Actor {
        name: name.to_owned(),
        account,
        keys: vssi_sdk::KeyPair::generate(),
    }
}

impl Observer<SandboxChain> for Guard {
    fn actor_made(&mut self, actor: &Actor) {
        self.accounts.insert(actor.name.clone(), actor.account);
    }

    fn deployed(&mut self, contract: &Deployed) {
        self.states.deployed(contract);
    }

    fn before_transaction(
        &mut self,
        chain: &mut SandboxChain,
        caller: &Actor,
        contract: &Deployed,
        call: &[u8],
        value: u128,
    ) -> anyhow::Result<()> {
        // Only calls that work are probed: a refused call's probes would prove nothing.
        if !chain.dry_run(caller, contract, call, value)?.reverted {
            self.probe(chain, caller, contract, call, value)?;
            let made = Made::Transaction(value);
            self.states.probe(chain, caller, contract, call, made)?;
        }
        Ok(())
    }

    fn before_query(
        &mut self,
        chain: &mut SandboxChain,
        caller: &Actor,
        contract: &Deployed,
        call: &[u8],
    ) -> anyhow::Result<()> {
        self.states
            .probe(chain, caller, contract, call, Made::Query)
    }
}

/// Every state-changing message named in the bundles' metadata.
fn mutable_messages() -> anyhow::Result<BTreeSet<(String, String)>> {
    let mut messages = BTreeSet::new();
    for contract in CONTRACTS {
        for m in bundle_messages(contract)? {
            if m.mutates {
                messages.insert((contract.to_owned(), m.label));
            }
        }
    }
    Ok(messages)
}

#[test]
fn every_state_changing_message_refuses_every_role_that_may_not_call_it() -> anyhow::Result<()> {
    let in_metadata = mutable_messages()?;
    let in_rules: BTreeSet<(String, String)> = RULES
        .iter()
        .map(|r| (r.contract.to_owned(), r.message.to_owned()))
        .collect();
    ensure!(
        in_metadata == in_rules,
        "RULES and the metadata differ:\n without a rule {:?}\n rules without a message {:?}",
        in_metadata.difference(&in_rules).collect::<Vec<_>>(),
        in_rules.difference(&in_metadata).collect::<Vec<_>>()
    );

    let mut chain = guarded()?;
    let mut t = Transcript {
        quiet: true,
        ..Transcript::default()
    };
    stories::full_story(&mut chain, &mut t, 20)?;

    let never: Vec<_> = in_rules
        .iter()
        .filter(|key| !chain.observer.exercised.contains_key(*key))
        .collect();
    ensure!(
        never.is_empty(),
        "rules never exercised by a working call: {never:?}"
    );
    for rule in RULES {
        let calls = chain.observer.exercised[&(rule.contract.to_owned(), rule.message.to_owned())];
        println!(
            "{}::{} ({calls} working calls probed): may call {:?}, others refused with {}",
            rule.contract,
            rule.message,
            rule.may_call,
            if rule.refusal.is_empty() {
                "— (signature-authorized)"
            } else {
                rule.refusal
            }
        );
    }
    let never: Vec<_> = STATE_RULES
        .iter()
        .map(|r| r.key())
        .filter(|key| !chain.observer.states.exercised.contains_key(key))
        .collect();
    ensure!(
        never.is_empty(),
        "state rules never exercised by a working call: {never:?}"
    );
    for rule in STATE_RULES {
        println!(
            "{rule} ({} probes)",
            chain.observer.states.exercised[&rule.key()]
        );
    }
    println!(
        "access matrix: {} messages x callers: {} refused probes; x states: {} (message, state) rules, {} probes; every refusal a typed error with the state unchanged",
        in_rules.len(),
        chain.observer.probes,
        STATE_RULES.len(),
        chain.observer.states.probes
    );
    Ok(())
}
