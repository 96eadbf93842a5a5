//! The [`Chain`] on a running substrate-contracts-node (0.42, pallet-contracts 38), over
//! subxt: every flow that runs on the sandbox runs here unchanged.
//!
//! - Each actor is a fresh sr25519 account funded by `//Alice`, so every party signs with
//!   its own key.
//! - A transaction is first dry-run (`ContractsApi_call`) for its return value, gas and
//!   weight, then submitted with the gas it needs and awaited in a block; its events are the
//!   block's `Contracts::ContractEmitted` of that extrinsic. A call the dry run says reverts
//!   is still submitted, so the refusal happens on chain, and must fail there too.
//! - Block time is the node's clock (instant seal stamps blocks with system time), which
//!   cannot be moved: [`Chain::advance_time`] waits, then seals a block (a remark) so dry
//!   runs see the new time; flows take a second as their
//!   [`Chain::minute`]. (libfaketime cannot shift the clock: it deadlocks with the node's
//!   jemalloc.) [`Chain::now`] is this machine's clock, which the next block will carry.
use crate::chain::{constructor_data, Actor, Chain, Deployed, EmittedEvent, Outcome};
use anyhow::{anyhow, bail, ensure, Context};
use drink::{pallet_contracts::ExecReturnValue, session::ContractBundle, Weight};
use ink::primitives::AccountId;
use scale::{Decode, Encode, Input};
use std::path::PathBuf;
use std::time::Duration;
use subxt::{
    backend::{legacy::LegacyRpcMethods, rpc::RpcClient},
    config::{substrate::BlakeTwo256, DefaultExtrinsicParamsBuilder, Hasher},
    dynamic::Value,
    tx::{Payload, TxStatus},
    OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::{dev, Keypair};
use vssi_sdk::{hashing, KeyPair};

/// Balance given to every actor (the dev accounts hold 2^60).
const ACTOR_FUNDS: u128 = 1_000_000_000_000_000;
/// Added to the dry run's gas: the block the transaction lands in is not the one it was
/// dry-run against.
const GAS_MARGIN_PERCENT: u64 = 10;

/// The node's RPC address: `$VSSI_NODE_URL`, else the port `scripts/dev node` uses.
pub fn node_url() -> String {
    std::env::var("VSSI_NODE_URL").unwrap_or_else(|_| "ws://127.0.0.1:9944".to_owned())
}

/// A connection to a node, acting for the flows.
pub struct NodeChain {
    runtime: tokio::runtime::Runtime,
    api: OnlineClient<PolkadotConfig>,
    rpc: LegacyRpcMethods<PolkadotConfig>,
    faucet: Keypair,
    signers: Vec<(AccountId, Keypair)>,
    bundles: PathBuf,
    /// Number of the block the last transaction landed in.
    pub last_block: u32,
}

/// The part of `ContractResult` a client needs; the runtime's events that follow are not
/// decoded (their type belongs to the runtime).
struct DryRun<R> {
    gas_required: Weight,
    gas_consumed: Weight,
    /// Charged (positive) or refunded (negative).
    storage_deposit: i128,
    /// The value, or the dispatch error (its leading bytes) and the debug message.
    result: Result<R, String>,
}

impl<R: Decode> Decode for DryRun<R> {
    fn decode<I: Input>(input: &mut I) -> Result<Self, scale::Error> {
        let gas_consumed = Weight::decode(input)?;
        let gas_required = Weight::decode(input)?;
        // `StorageDeposit`: 0 = Refund, 1 = Charge.
        let storage_deposit = match <(u8, u128)>::decode(input)? {
            (0, refund) => i128::try_from(refund).map_or(i128::MIN, |r| -r),
            (_, charge) => i128::try_from(charge).unwrap_or(i128::MAX),
        };
        let debug_message = Vec::<u8>::decode(input)?;
        let result = match u8::decode(input)? {
            0 => Ok(R::decode(input)?),
            _ => {
                // A DispatchError; its leading bytes (variant, module index, error index)
                // are enough to name it.
                let mut error = [0u8; 6];
                input.read(&mut error)?;
                Err(format!(
                    "dispatch error 0x{} {}",
                    hex::encode(error),
                    String::from_utf8_lossy(&debug_message)
                ))
            }
        };
        Ok(Self {
            gas_required,
            gas_consumed,
            storage_deposit,
            result,
        })
    }
}

/// A transaction in a block.
struct Included {
    /// All events of the extrinsic.
    events: Vec<subxt::events::EventDetails<PolkadotConfig>>,
    /// Its dispatch error, if it failed.
    failure: Option<String>,
}

impl Included {
    fn success(self, what: &str) -> anyhow::Result<Self> {
        match &self.failure {
            Some(failure) => bail!("{what} failed on chain: {failure}"),
            None => Ok(self),
        }
    }
}

/// `InstantiateReturnValue`: the constructor's return and the new address.
#[derive(Decode)]
struct Instantiated {
    result: ExecReturnValue,
    account_id: [u8; 32],
}

fn account_of(keypair: &Keypair) -> AccountId {
    AccountId::from(keypair.public_key().0)
}

fn address(account: AccountId) -> Value {
    Value::unnamed_variant("Id", [Value::from_bytes(account)])
}

fn weight_value(weight: Weight) -> Value {
    Value::named_composite([
        ("ref_time", Value::u128(weight.ref_time().into())),
        ("proof_size", Value::u128(weight.proof_size().into())),
    ])
}

/// `Contracts::call` of `data` on `contract`.
fn call_tx(
    contract: &Deployed,
    value: u128,
    gas_limit: Weight,
    deposit_limit: u128,
    data: &[u8],
) -> subxt::tx::DefaultPayload<subxt::ext::scale_value::Composite<()>> {
    subxt::dynamic::tx(
        "Contracts",
        "call",
        vec![
            address(contract.address),
            Value::u128(value),
            weight_value(gas_limit),
            Value::unnamed_variant("Some", [Value::u128(deposit_limit)]),
            Value::from_bytes(data),
        ],
    )
}

/// `weight` plus `percent` of it.
fn with_margin(weight: Weight, percent: u64) -> Weight {
    let add = |v: u64| v.saturating_add(v / 100 * percent);
    Weight::from_parts(add(weight.ref_time()), add(weight.proof_size()))
}

/// One transaction of a load: `caller` calls `message(args)` on `contract`.
pub struct LoadCall<'a> {
    /// The calling account (an actor of this connection).
    pub caller: AccountId,
    /// The contract called.
    pub contract: &'a Deployed,
    /// The message.
    pub message: &'static str,
    /// Its SCALE-encoded arguments.
    pub args: Vec<u8>,
}

/// What a load did: every transaction submitted, and where each ended up.
#[derive(Debug)]
pub struct LoadReport {
    /// Transactions submitted.
    pub submitted: usize,
    /// Found in a block with `ExtrinsicSuccess`.
    pub succeeded: usize,
    /// Found in a block with `ExtrinsicFailed`.
    pub failed: usize,
    /// Blocks they landed in: first and last number.
    pub blocks: (u32, u32),
    /// The most of them one block held.
    pub busiest_block: usize,
    /// From the first submission to the block holding the last one.
    pub seconds: f64,
}

/// Gas added to a load kind's dry run: later calls of the kind may weigh a little more.
const LOAD_GAS_MARGIN_PERCENT: u64 = 50;
/// A load is given up when no block holds any of its transactions for this long.
const LOAD_STALL: Duration = Duration::from_secs(60);

impl NodeChain {
    /// Connects to [`node_url`], reading bundles from [`crate::sandbox::bundle_dir`].
    pub fn connect() -> anyhow::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let url = node_url();
        let (api, rpc) = runtime
            .block_on(async {
                let rpc = RpcClient::from_insecure_url(&url).await?;
                let api = OnlineClient::<PolkadotConfig>::from_rpc_client(rpc.clone()).await?;
                Ok::<_, subxt::Error>((api, LegacyRpcMethods::new(rpc)))
            })
            .with_context(|| {
                format!("connecting to {url} (start it with scripts/dev node start)")
            })?;
        Ok(Self {
            runtime,
            api,
            rpc,
            faucet: dev::alice(),
            signers: Vec::new(),
            bundles: crate::sandbox::bundle_dir(),
            last_block: 0,
        })
    }

    /// Submits `calls` without waiting for each: at most `window` are outstanding at a time,
    /// each with the gas its (contract, message)'s first call needs in a dry run plus
    /// [`LOAD_GAS_MARGIN_PERCENT`], nonces counted locally. The best blocks are followed until
    /// every transaction is found in one; fails if they stop coming for [`LOAD_STALL`] (a
    /// transaction lost).
    pub fn submit_load(&mut self, calls: &[LoadCall], window: usize) -> anyhow::Result<LoadReport> {
        use std::collections::{btree_map::Entry, BTreeMap, HashMap};
        let mut gas: BTreeMap<(&str, &str), Weight> = BTreeMap::new();
        // Per caller: its storage deposit limit and next nonce.
        let mut callers: BTreeMap<AccountId, (u128, u64)> = BTreeMap::new();
        let mut signed = Vec::with_capacity(calls.len());
        for call in calls {
            let data = call.contract.call_data(call.message, &call.args)?;
            let (limit, nonce) = match callers.entry(call.caller) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(new) => {
                    let account = subxt::utils::AccountId32(*call.caller.as_ref());
                    let next = self
                        .runtime
                        .block_on(self.rpc.system_account_next_index(&account))?;
                    new.insert((self.deposit_limit(call.caller, 0)?, next))
                }
            };
            let kind = (call.contract.name.as_str(), call.message);
            let gas_limit = match gas.entry(kind) {
                Entry::Occupied(known) => *known.get(),
                Entry::Vacant(new) => {
                    let dry =
                        self.dry_run_call(call.caller, call.contract.address, 0, *limit, &data)?;
                    let returned = dry.result.map_err(|e| anyhow!("{}: {e}", call.message))?;
                    ensure!(
                        !returned.did_revert(),
                        "{} reverts in its dry run",
                        call.message
                    );
                    *new.insert(with_margin(dry.gas_required, LOAD_GAS_MARGIN_PERCENT))
                }
            };
            let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new()
                .nonce(*nonce)
                .build();
            *nonce = nonce.saturating_add(1);
            let tx = call_tx(call.contract, 0, gas_limit, *limit, &data);
            let signer = self.signer(call.caller)?;
            signed.push(self.api.tx().create_signed_offline(&tx, signer, params)?);
        }
        let first_block = self.best_block()?;
        let (api, rpc) = (&self.api, &self.rpc);
        self.runtime.block_on(async {
            let mut waiting: HashMap<_, ()> = signed.iter().map(|tx| (tx.hash(), ())).collect();
            let mut blocks = api.blocks().subscribe_best().await?;
            let mut report = LoadReport {
                submitted: 0,
                succeeded: 0,
                failed: 0,
                blocks: (0, 0),
                busiest_block: 0,
                seconds: 0.0,
            };
            let started = std::time::Instant::now();
            let mut seen = first_block;
            while report.succeeded + report.failed < signed.len() {
                while report.submitted < signed.len()
                    && report.submitted - (report.succeeded + report.failed) < window
                {
                    signed[report.submitted].submit().await?;
                    report.submitted += 1;
                }
                let best = tokio::time::timeout(LOAD_STALL, blocks.next())
                    .await
                    .map_err(|_| {
                        anyhow!(
                            "no block for {LOAD_STALL:?}: {} transactions lost",
                            waiting.len()
                        )
                    })?
                    .ok_or_else(|| anyhow!("the block subscription ended"))??;
                // The subscription may skip blocks under load: read every one in between.
                for number in seen.saturating_add(1)..=best.number() {
                    let hash = rpc
                        .chain_get_block_hash(Some(number.into()))
                        .await?
                        .ok_or_else(|| anyhow!("no block #{number}"))?;
                    let block = api.blocks().at(hash).await?;
                    let mut ours = 0;
                    for extrinsic in block.extrinsics().await?.iter() {
                        if waiting.remove(&extrinsic.hash()).is_none() {
                            continue;
                        }
                        ours += 1;
                        let failed = extrinsic.events().await?.iter().any(|event| {
                            event.is_ok_and(|e| {
                                e.pallet_name() == "System" && e.variant_name() == "ExtrinsicFailed"
                            })
                        });
                        if failed {
                            report.failed += 1;
                        } else {
                            report.succeeded += 1;
                        }
                    }
                    if ours > 0 {
                        if report.blocks.0 == 0 {
                            report.blocks.0 = number;
                        }
                        report.blocks.1 = number;
                        report.busiest_block = report.busiest_block.max(ours);
                    }
                }
                seen = seen.max(best.number());
            }
            report.seconds = started.elapsed().as_secs_f64();
            Ok(report)
        })
    }

    /// Sends `amount` from the faucet (`//Alice`) to `account`.
    ///
    /// # Errors
    /// The transfer's error; when the faucet cannot afford `amount`, one that says so: a
    /// long-lived dev chain spends //Alice's prefunded balance run by run.
    pub fn fund(&mut self, account: AccountId, amount: u128) -> anyhow::Result<()> {
        let transfer = subxt::dynamic::tx(
            "Balances",
            "transfer_keep_alive",
            vec![address(account), Value::u128(amount)],
        );
        let faucet = self.faucet.clone();
        let result = self
            .submit(&faucet, &transfer)
            .and_then(|outcome| outcome.success("transfer_keep_alive"));
        if let Err(error) = result {
            let left = self.free_balance(account_of(&faucet))?;
            if left <= amount {
                bail!(
                    "the faucet //Alice has {left} left, not enough for {amount}: this dev \
                     chain's prefunded balance is spent (scripts/dev node reset starts a \
                     fresh chain): {error}"
                );
            }
            return Err(error);
        }
        Ok(())
    }

    /// A well-known development account (`//Alice`, `//Bob`, …: prefunded on a dev chain)
    /// with application keys derived from its name, as public as the account's own seed.
    /// For deployments on a local dev node only.
    pub fn dev_actor(&mut self, name: &str) -> anyhow::Result<Actor> {
        let uri: subxt_signer::SecretUri = format!("//{name}").parse()?;
        let keypair = Keypair::from_uri(&uri).map_err(|e| anyhow!("{e:?}"))?;
        let account = account_of(&keypair);
        let seed = |purpose: &str| {
            hashing::sha256(format!("vssi-divs dev key //{name} {purpose}").as_bytes())
        };
        if !self.signers.iter().any(|(a, _)| *a == account) {
            self.signers.push((account, keypair));
        }
        Ok(Actor {
            name: name.to_owned(),
            account,
            keys: KeyPair::from_secrets(seed("signing"), seed("encryption")),
        })
    }

    /// A client's view of a contract already on chain: `contract`'s bundle metadata at
    /// `address`.
    pub fn attach(&self, contract: &str, address: AccountId) -> anyhow::Result<Deployed> {
        let bundle = self.bundle(contract)?;
        Ok(Deployed::new(
            contract,
            address,
            bundle.transcoder.metadata(),
        ))
    }

    fn bundle(&self, contract: &str) -> anyhow::Result<ContractBundle> {
        let path = self.bundles.join(format!("{contract}.contract"));
        ContractBundle::load(&path)
            .map_err(|e| anyhow!("{e:?}"))
            .with_context(|| format!("loading {}", path.display()))
    }

    /// The chain's genesis hash.
    pub fn genesis_hash(&self) -> [u8; 32] {
        self.api.genesis_hash().0
    }

    /// The code hash of the contract at `address`, if there is one.
    pub fn code_hash_at(&self, address: AccountId) -> anyhow::Result<Option<[u8; 32]>> {
        let raw = self.storage("Contracts", "ContractInfoOf", address)?;
        // ContractInfo starts with the trie ID, then the code hash.
        Ok(raw
            .map(|raw| <(Vec<u8>, [u8; 32])>::decode(&mut &raw[..]))
            .transpose()?
            .map(|(_, hash)| hash))
    }

    /// The raw value of a storage map entry keyed by an account, at the best block.
    fn storage(
        &self,
        pallet: &str,
        entry: &str,
        account: AccountId,
    ) -> anyhow::Result<Option<Vec<u8>>> {
        let key = subxt::dynamic::storage(pallet, entry, vec![Value::from_bytes(account)]);
        self.runtime.block_on(async {
            let bytes = self.api.storage().address_bytes(&key)?;
            Ok(self
                .api
                .storage()
                .at(self.best().await?)
                .fetch_raw(bytes)
                .await?)
        })
    }

    /// The node's chain name and its implementation's name and version.
    pub fn node_info(&self) -> anyhow::Result<(String, String)> {
        self.runtime.block_on(async {
            let chain = self.rpc.system_chain().await?;
            let node = format!(
                "{} {}",
                self.rpc.system_name().await?,
                self.rpc.system_version().await?
            );
            Ok((chain, node))
        })
    }

    /// The best block: reads must see the last transaction, and subxt's `at_latest` is the
    /// finalized block, which lags it by the node's finalization delay.
    async fn best(&self) -> anyhow::Result<subxt::utils::H256> {
        self.rpc
            .chain_get_block_hash(None)
            .await?
            .ok_or_else(|| anyhow!("the node has no best block"))
    }

    fn signer(&self, account: AccountId) -> anyhow::Result<&Keypair> {
        self.signers
            .iter()
            .find(|(a, _)| *a == account)
            .map(|(_, k)| k)
            .ok_or_else(|| anyhow!("no signer for {account:?}: not an actor of this chain"))
    }

    fn runtime_call<R: Decode>(&self, function: &str, args: Vec<u8>) -> anyhow::Result<R> {
        self.runtime.block_on(async {
            let at = self.api.runtime_api().at(self.best().await?);
            Ok(at.call_raw::<R>(function, Some(&args)).await?)
        })
    }

    /// Signs and submits `call`, waits for its block and returns the extrinsic's events and
    /// its dispatch error, if it failed (the caller decides what a failure means).
    fn submit(&mut self, signer: &Keypair, call: &impl Payload) -> anyhow::Result<Included> {
        let (included, block) = self.runtime.block_on(async {
            // The pool-aware nonce: the default reads it at the finalized block, which lags
            // the instant-sealed best block by the node's finalization delay.
            let account = subxt::utils::AccountId32(signer.public_key().0);
            let nonce = self.rpc.system_account_next_index(&account).await?;
            let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new()
                .nonce(nonce)
                .build();
            let mut progress = self
                .api
                .tx()
                .sign_and_submit_then_watch(call, signer, params)
                .await?;
            while let Some(status) = progress.next().await {
                match status? {
                    TxStatus::InBestBlock(in_block) | TxStatus::InFinalizedBlock(in_block) => {
                        let block = self.api.blocks().at(in_block.block_hash()).await?;
                        let events = in_block.fetch_events().await?;
                        let mut included = Included {
                            events: Vec::new(),
                            failure: None,
                        };
                        for event in events.iter() {
                            let event = event?;
                            if event.pallet_name() == "System"
                                && event.variant_name() == "ExtrinsicFailed"
                            {
                                let error = subxt::error::DispatchError::decode_from(
                                    event.field_bytes(),
                                    self.api.metadata(),
                                )?;
                                included.failure = Some(error.to_string());
                            }
                            included.events.push(event);
                        }
                        return Ok::<_, anyhow::Error>((included, block.number()));
                    }
                    TxStatus::Error { message }
                    | TxStatus::Invalid { message }
                    | TxStatus::Dropped { message } => bail!("transaction not included: {message}"),
                    _ => {}
                }
            }
            bail!("the node closed the subscription before the transaction was in a block")
        })?;
        self.last_block = block;
        Ok(included)
    }

    /// Dry-runs a call of `data` on `dest`.
    fn dry_run_call(
        &self,
        origin: AccountId,
        dest: AccountId,
        value: u128,
        deposit_limit: u128,
        data: &[u8],
    ) -> anyhow::Result<DryRun<ExecReturnValue>> {
        let args = (
            origin,
            dest,
            value,
            None::<Weight>,
            Some(deposit_limit),
            data,
        )
            .encode();
        self.runtime_call("ContractsApi_call", args)
    }

    /// The storage deposit limit of a call. Without one the runtime applies its default of
    /// 1024 items, which a batch of endorsements exceeds. The limit must stay within what
    /// the caller can spend while keeping its account alive; half its free balance does.
    fn deposit_limit(&self, caller: AccountId, value: u128) -> anyhow::Result<u128> {
        Ok(self.free_balance(caller)?.saturating_sub(value) / 2)
    }

    fn call(
        &mut self,
        caller: &Actor,
        contract: &Deployed,
        message: &str,
        args: &[u8],
        value: u128,
        persist: bool,
    ) -> anyhow::Result<Outcome> {
        let data = contract.call_data(message, args)?;
        let deposit_limit = self.deposit_limit(caller.account, value)?;
        let dry = self.dry_run_call(
            caller.account,
            contract.address,
            value,
            deposit_limit,
            &data,
        )?;
        let returned = dry.result.map_err(|e| anyhow!("{message} trapped: {e}"))?;
        let mut outcome = Outcome {
            message: message.to_owned(),
            reverted: returned.did_revert(),
            data: returned.data,
            ref_time: dry.gas_consumed.ref_time(),
            proof_size: dry.gas_consumed.proof_size(),
            storage_deposit: dry.storage_deposit,
            events: Vec::new(),
            block: self.last_block.into(),
        };
        if !persist {
            return Ok(outcome);
        }
        let tx = call_tx(
            contract,
            value,
            with_margin(dry.gas_required, GAS_MARGIN_PERCENT),
            deposit_limit,
            &data,
        );
        let signer = self.signer(caller.account)?.clone();
        let included = self.submit(&signer, &tx)?;
        match (&included.failure, outcome.reverted) {
            (None, false) => {}
            (Some(failure), true) if failure.contains("ContractReverted") => {}
            (failure, _) => bail!(
                "{message}: the dry run {} but the transaction {}",
                if outcome.reverted {
                    "reverted"
                } else {
                    "succeeded"
                },
                failure.as_deref().unwrap_or("succeeded")
            ),
        }
        outcome.events = contract_events(&included.events, contract.address)?;
        outcome.block = self.last_block.into();
        Ok(outcome)
    }

    /// Uploads and instantiates a bundle; returns the address.
    fn instantiate(
        &mut self,
        deployer: &Actor,
        bundle: &ContractBundle,
        data: Vec<u8>,
    ) -> anyhow::Result<AccountId> {
        // A fresh salt: the same code may be deployed again on a persistent chain.
        let mut salt = [0u8; 16];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut salt);
        let code = (0u8, &bundle.wasm); // Code::Upload
        let args = (
            deployer.account,
            0u128,
            None::<Weight>,
            None::<u128>,
            code,
            &data,
            &salt[..],
        )
            .encode();
        let dry: DryRun<Instantiated> = self.runtime_call("ContractsApi_instantiate", args)?;
        let instantiated = dry
            .result
            .map_err(|e| anyhow!("instantiation failed: {e}"))?;
        ensure!(
            !instantiated.result.did_revert(),
            "the constructor reverted"
        );
        let tx = subxt::dynamic::tx(
            "Contracts",
            "instantiate_with_code",
            vec![
                Value::u128(0),
                weight_value(with_margin(dry.gas_required, GAS_MARGIN_PERCENT)),
                Value::unnamed_variant("None", []),
                Value::from_bytes(&bundle.wasm),
                Value::from_bytes(&data),
                Value::from_bytes(salt),
            ],
        );
        let signer = self.signer(deployer.account)?.clone();
        let included = self
            .submit(&signer, &tx)?
            .success("instantiate_with_code")?;
        let address = AccountId::from(instantiated.account_id);
        let found = included.events.iter().any(|e| {
            e.pallet_name() == "Contracts"
                && e.variant_name() == "Instantiated"
                && e.field_bytes().get(32..64) == Some(&instantiated.account_id[..])
        });
        ensure!(found, "no Instantiated event for the dry run's address");
        Ok(address)
    }

    /// Number of the node's best block.
    pub fn best_block(&self) -> anyhow::Result<u32> {
        self.runtime
            .block_on(async { Ok(self.api.blocks().at(self.best().await?).await?.number()) })
    }

    /// Reads a free balance from `System::Account`.
    fn free_balance(&self, account: AccountId) -> anyhow::Result<u128> {
        // AccountInfo: nonce, consumers, providers, sufficients (u32 each), then free.
        Ok(match self.storage("System", "Account", account)? {
            Some(raw) => <([u32; 4], u128)>::decode(&mut &raw[..])?.1,
            None => 0,
        })
    }
}

/// The `ContractEmitted` events of `contract` among an extrinsic's events.
fn contract_events(
    events: &[subxt::events::EventDetails<PolkadotConfig>],
    contract: AccountId,
) -> anyhow::Result<Vec<EmittedEvent>> {
    let mut emitted = Vec::new();
    for event in events {
        if event.pallet_name() != "Contracts" || event.variant_name() != "ContractEmitted" {
            continue;
        }
        let (from, data) = <([u8; 32], Vec<u8>)>::decode(&mut event.field_bytes())?;
        // Events of contracts it called are the callee's, not this call's.
        if AccountId::from(from) == contract {
            emitted.push(EmittedEvent {
                topics: event.topics().iter().map(|t| t.0).collect(),
                data,
            });
        }
    }
    Ok(emitted)
}

impl Chain for NodeChain {
    fn actor(&mut self, name: &str) -> anyhow::Result<Actor> {
        let mut secret = [0u8; 32];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut secret);
        let keypair = Keypair::from_secret_key(secret).map_err(|e| anyhow!("{e:?}"))?;
        let account = account_of(&keypair);
        self.fund(account, ACTOR_FUNDS)
            .with_context(|| format!("funding {name}"))?;
        self.signers.push((account, keypair));
        Ok(Actor {
            name: name.to_owned(),
            account,
            keys: KeyPair::generate(),
        })
    }

    fn deploy(
        &mut self,
        deployer: &Actor,
        contract: &str,
        constructor: &str,
        args: &[u8],
    ) -> anyhow::Result<Deployed> {
        let bundle = self.bundle(contract)?;
        let metadata = bundle.transcoder.metadata();
        let data = constructor_data(metadata, constructor, args)?;
        let address = self
            .instantiate(deployer, &bundle, data)
            .with_context(|| format!("deploying {contract}"))?;
        Ok(Deployed::new(contract, address, metadata))
    }

    fn upload_code(&mut self, uploader: &Actor, bundle: &str) -> anyhow::Result<[u8; 32]> {
        let wasm = self.bundle(bundle)?.wasm.clone();
        let tx = subxt::dynamic::tx(
            "Contracts",
            "upload_code",
            vec![
                Value::from_bytes(&wasm),
                Value::unnamed_variant("None", []),
                Value::unnamed_variant("Enforced", []),
            ],
        );
        let signer = self.signer(uploader.account)?.clone();
        self.submit(&signer, &tx)?
            .success(&format!("upload_code of {bundle}"))?;
        // The code hash pallet-contracts keys code by. Uploading code the chain has already
        // (a second run on a persistent chain) succeeds without a CodeStored event.
        Ok(BlakeTwo256::hash(&wasm).0)
    }

    fn transact(
        &mut self,
        caller: &Actor,
        contract: &Deployed,
        message: &str,
        args: &[u8],
        value: u128,
    ) -> anyhow::Result<Outcome> {
        self.call(caller, contract, message, args, value, true)
    }

    fn query(
        &mut self,
        caller: &Actor,
        contract: &Deployed,
        message: &str,
        args: &[u8],
    ) -> anyhow::Result<Outcome> {
        self.call(caller, contract, message, args, 0, false)
    }

    fn now(&mut self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
    }

    fn advance_time(&mut self, ms: u64) -> anyhow::Result<()> {
        std::thread::sleep(Duration::from_millis(ms));
        // Seal a block, so that dry runs (which see the best block's time) see the new time.
        let remark = subxt::dynamic::tx("System", "remark", vec![Value::from_bytes(b"tick")]);
        let faucet = self.faucet.clone();
        self.submit(&faucet, &remark)?
            .success("the block after waiting")?;
        Ok(())
    }

    fn minute(&self) -> u64 {
        1_000
    }

    fn balance(&mut self, account: AccountId) -> u128 {
        self.free_balance(account).unwrap_or(0)
    }

    fn backend(&self) -> &'static str {
        "substrate-contracts-node 0.42 (pallet-contracts 38)"
    }
}
