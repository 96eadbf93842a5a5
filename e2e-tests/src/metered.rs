//! A [`Chain`] observed by [`Costs`], which records what each successful call cost, per
//! contract and message: the figures of the demo's weights table and of the benchmark.
use crate::chain::{Chain, Deployed, Outcome};
use crate::observed::{Observed, Observer};
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

/// What calls cost, per (contract, message). Reverted calls are not recorded: a refusal
/// costs less than the work.
#[derive(Debug, Default)]
pub struct Costs(pub BTreeMap<(String, String), Cost>);

impl<C> Observer<C> for Costs {
    fn called(&mut self, contract: &Deployed, outcome: &Outcome, transaction: bool) {
        if !outcome.reverted {
            self.0
                .entry((contract.name.clone(), outcome.message.clone()))
                .or_default()
                .record(outcome, transaction);
        }
    }
}

/// A chain, metered.
pub type Metered<C> = Observed<C, Costs>;

impl<C: Chain> Metered<C> {
    /// Meters `inner` from now on.
    pub fn new(inner: C) -> Self {
        Observed {
            inner,
            observer: Costs::default(),
        }
    }

    /// The cost of `contract`'s message `label` (its metadata label), if it was called
    /// successfully.
    pub fn cost(&self, contract: &str, label: &str) -> Option<Cost> {
        self.observer
            .0
            .get(&(contract.to_owned(), label.to_owned()))
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
        for ((contract, message), cost) in self.observer.0.iter().filter(|(_, c)| c.transaction) {
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
