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
//!
//! Here the connection and the [`Chain`]; in [`rpc`] the node's RPC and extrinsic plumbing,
//! in [`load`] the load generator, in [`inspect`] what a deployment tool reads of a chain.
mod inspect;
mod load;
mod rpc;

use crate::chain::{Actor, Chain, Deployed, Outcome};
use anyhow::{anyhow, bail, ensure, Context};
use drink::{session::ContractBundle, Weight};
use ink::primitives::AccountId;
pub use load::{LoadCall, LoadReport};
use rpc::{
    account_of, address, call_tx, contract_events, weight_value, with_margin, DryRun, Instantiated,
};
use scale::Encode;
use std::path::PathBuf;
use std::time::Duration;
use subxt::{
    backend::{legacy::LegacyRpcMethods, rpc::RpcClient},
    config::{substrate::BlakeTwo256, Hasher},
    dynamic::Value,
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

    fn bundle(&self, contract: &str) -> anyhow::Result<ContractBundle> {
        let path = self.bundles.join(format!("{contract}.contract"));
        ContractBundle::load(&path)
            .map_err(|e| anyhow!("{e:?}"))
            .with_context(|| format!("loading {}", path.display()))
    }

    fn signer(&self, account: AccountId) -> anyhow::Result<&Keypair> {
        self.signers
            .iter()
            .find(|(a, _)| *a == account)
            .map(|(_, k)| k)
            .ok_or_else(|| anyhow!("no signer for {account:?}: not an actor of this chain"))
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
        data: &[u8],
        value: u128,
        persist: bool,
    ) -> anyhow::Result<Outcome> {
        let message = contract.label(data)?;
        let deposit_limit = self.deposit_limit(caller.account, value)?;
        let dry =
            self.dry_run_call(caller.account, contract.address, value, deposit_limit, data)?;
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
            data,
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
        data: &[u8],
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
            data,
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
                Value::from_bytes(data),
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
        constructor: &[u8],
    ) -> anyhow::Result<Deployed> {
        let bundle = self.bundle(contract)?;
        let metadata = bundle.transcoder.metadata();
        let address = self
            .instantiate(deployer, &bundle, constructor)
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
        call: &[u8],
        value: u128,
    ) -> anyhow::Result<Outcome> {
        self.call(caller, contract, call, value, true)
    }

    fn query(
        &mut self,
        caller: &Actor,
        contract: &Deployed,
        call: &[u8],
    ) -> anyhow::Result<Outcome> {
        self.call(caller, contract, call, 0, false)
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
