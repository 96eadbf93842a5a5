//! A chain with an observer: every call passes through to the inner chain, and the observer
//! sees each call made and each outcome. What a wrapper does around calls (metering, the
//! access matrix's probes) is written as an [`Observer`]; the passing-through is written
//! once, here.
use crate::chain::{Actor, Chain, Deployed, Outcome};
use ink::primitives::AccountId;

/// What an [`Observed`] chain tells its observer. Every method does nothing by default.
pub trait Observer<C> {
    /// An actor was made.
    fn actor_made(&mut self, _actor: &Actor) {}

    /// A contract was deployed.
    fn deployed(&mut self, _contract: &Deployed) {}

    /// A transaction is about to be submitted; `chain` is the inner chain, in the state
    /// the transaction will find.
    fn before_transaction(
        &mut self,
        _chain: &mut C,
        _caller: &Actor,
        _contract: &Deployed,
        _call: &[u8],
        _value: u128,
    ) -> anyhow::Result<()> {
        Ok(())
    }

    /// A query is about to be made, as [`Observer::before_transaction`].
    fn before_query(
        &mut self,
        _chain: &mut C,
        _caller: &Actor,
        _contract: &Deployed,
        _call: &[u8],
    ) -> anyhow::Result<()> {
        Ok(())
    }

    /// A call was made: a transaction (`transaction`) or a query.
    fn called(&mut self, _contract: &Deployed, _outcome: &Outcome, _transaction: bool) {}
}

/// `inner`, observed by `observer`.
pub struct Observed<C, O> {
    /// The chain the calls go to.
    pub inner: C,
    /// What sees them.
    pub observer: O,
}

impl<C: Chain, O: Observer<C>> Chain for Observed<C, O> {
    fn actor(&mut self, name: &str) -> anyhow::Result<Actor> {
        let actor = self.inner.actor(name)?;
        self.observer.actor_made(&actor);
        Ok(actor)
    }

    fn deploy(
        &mut self,
        deployer: &Actor,
        contract: &str,
        constructor: &[u8],
    ) -> anyhow::Result<Deployed> {
        let deployed = self.inner.deploy(deployer, contract, constructor)?;
        self.observer.deployed(&deployed);
        Ok(deployed)
    }

    fn upload_code(&mut self, uploader: &Actor, bundle: &str) -> anyhow::Result<[u8; 32]> {
        self.inner.upload_code(uploader, bundle)
    }

    fn transact(
        &mut self,
        caller: &Actor,
        contract: &Deployed,
        call: &[u8],
        value: u128,
    ) -> anyhow::Result<Outcome> {
        self.observer
            .before_transaction(&mut self.inner, caller, contract, call, value)?;
        let outcome = self.inner.transact(caller, contract, call, value)?;
        self.observer.called(contract, &outcome, true);
        Ok(outcome)
    }

    fn query(
        &mut self,
        caller: &Actor,
        contract: &Deployed,
        call: &[u8],
    ) -> anyhow::Result<Outcome> {
        self.observer
            .before_query(&mut self.inner, caller, contract, call)?;
        let outcome = self.inner.query(caller, contract, call)?;
        self.observer.called(contract, &outcome, false);
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
