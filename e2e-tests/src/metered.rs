//! A [`Chain`] that passes every call on and records what each successful one cost, per
//! contract and message: the figures of the demo's weights table and of the benchmark.
use crate::chain::{Actor, Chain, Deployed, Outcome};
use ink::primitives::AccountId;
use std::collections::BTreeMap;

/// What calls of one message cost: the largest figures over its successful calls, and the
/// smallest ref_time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cost {
    /// Successful calls seen.
    pub calls: u32,
    /// Called in a transaction at least once (else only queried).
    pub transaction: bool,
    /// Largest ref_time.
    pub ref_time: u64,
    /// Smallest ref_time (the cheapest path through the message).
    pub cheapest_ref_time: u64,
    /// Largest proof_size.
    pub proof_size: u64,
    /// Largest storage deposit charged (negative: only refunds seen).
    pub storage_deposit: i128,
}

impl Cost {
    fn record(&mut self, outcome: &Outcome, transaction: bool) {
        if self.calls == 0 {
            self.storage_deposit = outcome.storage_deposit;
            self.cheapest_ref_time = outcome.ref_time;
        }
        self.calls = self.calls.saturating_add(1);
        self.transaction |= transaction;
        self.ref_time = self.ref_time.max(outcome.ref_time);
        self.cheapest_ref_time = self.cheapest_ref_time.min(outcome.ref_time);
        self.proof_size = self.proof_size.max(outcome.proof_size);
        self.storage_deposit = self.storage_deposit.max(outcome.storage_deposit);
    }
}

/// `inner`, metered. Reverted calls are not recorded: a refusal costs less than the work.
pub struct Metered<C> {
    /// The chain the calls go to.
    pub inner: C,
    /// (contract, message) → cost.
    pub costs: BTreeMap<(String, String), Cost>,
}

impl<C: Chain> Metered<C> {
    /// Meters `inner` from now on.
    pub fn new(inner: C) -> Self {
        Self {
            inner,
            costs: BTreeMap::new(),
        }
    }

    fn record(&mut self, contract: &Deployed, outcome: &Outcome, transaction: bool) {
        if !outcome.reverted {
            self.costs
                .entry((contract.name.clone(), outcome.message.clone()))
                .or_default()
                .record(outcome, transaction);
        }
    }

    /// The cost of `contract`'s `message`, if it was called successfully.
    pub fn cost(&self, contract: &str, message: &str) -> Option<Cost> {
        self.costs
            .get(&(contract.to_owned(), message.to_owned()))
            .copied()
    }

    /// The transactions' weights as a text table, for transcripts.
    pub fn weights_table(&self) -> String {
        let mut table = format!(
            "weights on {} (max over successful transactions)\n{:<40} {:>5} {:>16} {:>11}\n",
            self.inner.backend(),
            "contract::message",
            "calls",
            "ref_time",
            "proof_size"
        );
        for ((contract, message), cost) in self.costs.iter().filter(|(_, c)| c.transaction) {
            table.push_str(&format!(
                "{:<40} {:>5} {:>16} {:>11}\n",
                format!("{contract}::{message}"),
                cost.calls,
                cost.ref_time,
                cost.proof_size
            ));
        }
        table
    }
}

impl<C: Chain> Chain for Metered<C> {
    fn actor(&mut self, name: &str) -> anyhow::Result<Actor> {
        self.inner.actor(name)
    }

    fn deploy(
        &mut self,
        deployer: &Actor,
        contract: &str,
        constructor: &str,
        args: &[u8],
    ) -> anyhow::Result<Deployed> {
        self.inner.deploy(deployer, contract, constructor, args)
    }

    fn upload_code(&mut self, uploader: &Actor, bundle: &str) -> anyhow::Result<[u8; 32]> {
        self.inner.upload_code(uploader, bundle)
    }

    fn transact(
        &mut self,
        caller: &Actor,
        contract: &Deployed,
        message: &str,
        args: &[u8],
        value: u128,
    ) -> anyhow::Result<Outcome> {
        let outcome = self
            .inner
            .transact(caller, contract, message, args, value)?;
        self.record(contract, &outcome, true);
        Ok(outcome)
    }

    fn query(
        &mut self,
        caller: &Actor,
        contract: &Deployed,
        message: &str,
        args: &[u8],
    ) -> anyhow::Result<Outcome> {
        let outcome = self.inner.query(caller, contract, message, args)?;
        self.record(contract, &outcome, false);
        Ok(outcome)
    }

    fn now(&mut self) -> u64 {
        self.inner.now()
    }

    fn advance_time(&mut self, ms: u64) -> anyhow::Result<()> {
        self.inner.advance_time(ms)
    }

    fn minute(&self) -> u64 {
        self.inner.minute()
    }

    fn balance(&mut self, account: AccountId) -> u128 {
        self.inner.balance(account)
    }

    fn backend(&self) -> &'static str {
        self.inner.backend()
    }
}
