//! What a flow needs of a chain. Implemented by [`crate::sandbox::SandboxChain`]; a node
//! backend implements the same trait, so flows run unchanged on both.
use ink::metadata::InkProject;
use ink::primitives::AccountId;
use std::collections::BTreeMap;
use vssi_sdk::KeyPair;

/// A party of the flows: a chain account that signs transactions, and its application keys.
pub struct Actor {
    /// Name in transcripts (and the dev-account derivation on a node, e.g. `//Alice`).
    pub name: String,
    /// The chain account.
    pub account: AccountId,
    /// Application identity keys (ed25519 + X25519).
    pub keys: KeyPair,
}

/// A deployed contract and the labels of its messages, read from its metadata.
#[derive(Clone, Debug)]
pub struct Deployed {
    /// Crate name, e.g. `identity_registry`.
    pub name: String,
    /// Its address.
    pub address: AccountId,
    labels: BTreeMap<[u8; 4], String>,
}

impl Deployed {
    /// Records a deployment; labels come from the bundle's metadata.
    pub fn new(name: &str, address: AccountId, metadata: &InkProject) -> Self {
        let labels = metadata
            .spec()
            .messages()
            .iter()
            .filter_map(|m| Some((m.selector().to_bytes().try_into().ok()?, m.label().clone())))
            .collect();
        Self {
            name: name.to_owned(),
            address,
            labels,
        }
    }

    /// The label of the message `call` (call data: selector, then arguments) calls, for
    /// transcripts and metering; fails for a selector the contract does not have.
    pub fn label(&self, call: &[u8]) -> anyhow::Result<&str> {
        call.get(..4)
            .and_then(|selector| self.labels.get(selector))
            .map(String::as_str)
            .ok_or_else(|| {
                let selector = hex::encode(call.get(..4).unwrap_or(call));
                anyhow::anyhow!("{} has no message of selector 0x{selector}", self.name)
            })
    }

    /// The address as raw bytes, as signing payloads take it.
    pub fn address_bytes(&self) -> [u8; 32] {
        *self.address.as_ref()
    }
}

/// A contract event as emitted: its topics and SCALE data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmittedEvent {
    /// Topics; the first is the event's signature topic.
    pub topics: Vec<[u8; 32]>,
    /// The SCALE-encoded event.
    pub data: Vec<u8>,
}

/// What a contract call did.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The label of the message called (from the metadata, by selector).
    pub message: String,
    /// The raw return value (`ink::MessageResult<T>` encoded).
    pub data: Vec<u8>,
    /// The contract set the revert flag: nothing it wrote was kept.
    pub reverted: bool,
    /// Weight consumed: ref_time.
    pub ref_time: u64,
    /// Weight consumed: proof_size.
    pub proof_size: u64,
    /// Storage deposit: charged (positive) or refunded (negative), in plancks.
    pub storage_deposit: i128,
    /// Contract events this call emitted.
    pub events: Vec<EmittedEvent>,
    /// The block the transaction is in (for a query: the block it read).
    pub block: u64,
}

/// A chain the flows can run on.
pub trait Chain {
    /// A funded actor with fresh application keys.
    fn actor(&mut self, name: &str) -> anyhow::Result<Actor>;

    /// Deploys the bundle of crate `contract`, calling the constructor `constructor` (call
    /// data, as [`crate::calls::constructor_data`] makes it).
    fn deploy(
        &mut self,
        deployer: &Actor,
        contract: &str,
        constructor: &[u8],
    ) -> anyhow::Result<Deployed>;

    /// Uploads the code of bundle `bundle` without instantiating it, for an upgrade; returns
    /// its code hash.
    fn upload_code(&mut self, uploader: &Actor, bundle: &str) -> anyhow::Result<[u8; 32]>;

    /// Submits a transaction making the call `call` (call data, as
    /// [`crate::calls::message_data`] makes it) and sending `value` with it; its effects
    /// persist unless reverted.
    fn transact(
        &mut self,
        caller: &Actor,
        contract: &Deployed,
        call: &[u8],
        value: u128,
    ) -> anyhow::Result<Outcome>;

    /// Makes the call `call` without persisting anything (a read or a dry run).
    fn query(
        &mut self,
        caller: &Actor,
        contract: &Deployed,
        call: &[u8],
    ) -> anyhow::Result<Outcome>;

    /// Block time now, in milliseconds since the Unix epoch.
    fn now(&mut self) -> u64;

    /// Lets `ms` milliseconds of block time pass (a node backend waits for them).
    fn advance_time(&mut self, ms: u64) -> anyhow::Result<()>;

    /// What flows take as a minute when they let time pass: 60 000 ms where block time can
    /// be set, a second on a node, whose clock only runs (so a flow's waits stay short).
    fn minute(&self) -> u64 {
        60_000
    }

    /// The free balance of an account.
    fn balance(&mut self, account: AccountId) -> u128;

    /// Which backend this is, for transcripts.
    fn backend(&self) -> &'static str;
}
