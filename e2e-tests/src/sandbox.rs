//! The [`Chain`] on drink's in-process `MinimalSandbox` (pallet-contracts 31), deploying the
//! bundles that `scripts/dev build-contracts` writes to `target/contracts/`.
use crate::chain::{Actor, Chain, Deployed, EmittedEvent, Outcome};
use anyhow::{anyhow, bail, Context};
use drink::{
    minimal::{MinimalSandbox, MinimalSandboxRuntime},
    pallet_contracts::{self, Determinism, StorageDeposit},
    sandbox_api::prelude::{BalanceAPI, ContractAPI, SystemAPI, TimestampAPI},
    session::ContractBundle,
    AccountId32, Sandbox, Weight,
};
use ink::primitives::AccountId;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::PathBuf;
use vssi_sdk::KeyPair;

/// Balance given to every actor: enough for storage deposits of all flows.
const ACTOR_FUNDS: u128 = 1_000_000_000_000_000;
/// Gas limit of every call: far above what any block allows, so the sandbox reports what a
/// call weighs (even a batch too big for a block) instead of running out.
const CALL_GAS_LIMIT: Weight = Weight::from_parts(100_000_000_000_000, 256 << 20);
/// Block time the sandbox starts at: 2026-01-01T00:00:00Z, so timestamps look real.
const GENESIS_TIME: u64 = 1_767_225_600_000;

/// Where the bundles are: `$VSSI_BUNDLE_DIR`, else `target/contracts` of the workspace.
pub fn bundle_dir() -> PathBuf {
    std::env::var_os("VSSI_BUNDLE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/contracts"))
}

/// A message of a contract, as its bundle's metadata lists it.
pub struct BundleMessage {
    /// The message's label.
    pub label: String,
    /// Whether it may change state (`&mut self`).
    pub mutates: bool,
}

/// The messages of `contract`, from its bundle's metadata.
pub fn bundle_messages(contract: &str) -> anyhow::Result<Vec<BundleMessage>> {
    let path = bundle_dir().join(format!("{contract}.json"));
    let metadata: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?,
    )?;
    let list = metadata["spec"]["messages"]
        .as_array()
        .ok_or_else(|| anyhow!("{}: no messages", path.display()))?;
    Ok(list
        .iter()
        .map(|m| BundleMessage {
            label: m["label"].as_str().unwrap_or_default().to_owned(),
            mutates: m["mutates"].as_bool().unwrap_or_default(),
        })
        .collect())
}

/// The storage layout of bundle `bundle` (e.g. `identity_registry_v2`), as its metadata
/// describes it: the root struct with every field's key and type, each type written out in
/// full (metadata numbers types per build, so two builds' numbers say nothing). Code that
/// replaces a contract's must have the same layout, or it reads the old storage wrongly.
pub fn storage_layout(bundle: &str) -> anyhow::Result<serde_json::Value> {
    let path = bundle_dir().join(format!("{bundle}.json"));
    let metadata: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?,
    )?;
    let types: BTreeMap<u64, &serde_json::Value> = metadata["types"]
        .as_array()
        .ok_or_else(|| anyhow!("{}: no types", path.display()))?
        .iter()
        .filter_map(|t| Some((t["id"].as_u64()?, &t["type"])))
        .collect();
    let layout = &metadata["storage"];
    if layout.is_null() {
        bail!("{}: no storage layout", path.display());
    }
    Ok(written_out(layout, &types, &mut Vec::new()))
}

/// `value` with every type number (`ty` of a layout leaf, `type` of a field or parameter)
/// replaced by that type's definition, recursively; a type inside itself stays a number.
fn written_out(
    value: &serde_json::Value,
    types: &BTreeMap<u64, &serde_json::Value>,
    within: &mut Vec<u64>,
) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(name, field)| {
                    let id = field.as_u64().filter(|_| name == "ty" || name == "type");
                    let written = match id.and_then(|id| Some((id, *types.get(&id)?))) {
                        Some((id, ty)) if !within.contains(&id) => {
                            within.push(id);
                            let ty = written_out(ty, types, within);
                            within.pop();
                            ty
                        }
                        _ => written_out(field, types, within),
                    };
                    (name.clone(), written)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| written_out(item, types, within))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// An in-process chain.
pub struct SandboxChain {
    sandbox: MinimalSandbox,
    bundles: PathBuf,
    deployments: u32,
}

impl SandboxChain {
    /// A fresh sandbox reading bundles from [`bundle_dir`].
    pub fn new() -> Self {
        let mut sandbox = MinimalSandbox::default();
        sandbox.set_timestamp(GENESIS_TIME);
        Self {
            sandbox,
            bundles: bundle_dir(),
            deployments: 0,
        }
    }

    /// The root of the whole chain state, taken after clearing the block's events: equal
    /// roots mean nothing was written in between (what frame_support's
    /// `assert_storage_noop!` compares).
    pub fn state_root(&mut self) -> Vec<u8> {
        use drink::frame_support::__private::{storage_root, StateVersion};
        self.sandbox.reset_events();
        self.sandbox.execute_with(|| storage_root(StateVersion::V1))
    }

    /// The whole chain state, to go back to with [`Self::restore`].
    pub fn snapshot(&mut self) -> ink_sandbox::Snapshot {
        self.sandbox.take_snapshot()
    }

    /// Puts the chain back into the state of `snapshot`.
    pub fn restore(&mut self, snapshot: ink_sandbox::Snapshot) {
        self.sandbox.restore_snapshot(snapshot)
    }

    /// Makes the call `data` sending `value`, and keeps nothing of it.
    pub fn dry_run(
        &mut self,
        caller: &Actor,
        contract: &Deployed,
        data: &[u8],
        value: u128,
    ) -> anyhow::Result<Outcome> {
        self.sandbox
            .dry_run(|sandbox| call(sandbox, caller, contract, data, value))
    }

    fn bundle(&self, contract: &str) -> anyhow::Result<ContractBundle> {
        let path = self.bundles.join(format!("{contract}.contract"));
        ContractBundle::load(&path)
            .map_err(|e| anyhow!("{e:?}"))
            .with_context(|| {
                format!(
                    "loading {} (run scripts/dev build-contracts)",
                    path.display()
                )
            })
    }
}

impl Default for SandboxChain {
    fn default() -> Self {
        Self::new()
    }
}

fn to_sandbox(account: AccountId) -> AccountId32 {
    AccountId32::new(*account.as_ref())
}

/// Makes the call `data` on `sandbox`; whether the effects persist is the caller's choice.
fn call(
    sandbox: &mut MinimalSandbox,
    caller: &Actor,
    contract: &Deployed,
    data: &[u8],
    value: u128,
) -> anyhow::Result<Outcome> {
    let message = contract.label(data)?;
    // Only this call's events: the sandbox keeps a block's events until told otherwise.
    sandbox.reset_events();
    let result = sandbox.call_contract(
        to_sandbox(contract.address),
        value,
        data.to_vec(),
        to_sandbox(caller.account),
        CALL_GAS_LIMIT,
        None,
        Determinism::Enforced,
    );
    let value = result
        .result
        .map_err(|e| anyhow!("{message} trapped: {e:?}"))?;
    let events = result
        .events
        .unwrap_or_default()
        .into_iter()
        .filter_map(|record| {
            let event: pallet_contracts::Event<MinimalSandboxRuntime> =
                record.event.try_into().ok()?;
            match event {
                pallet_contracts::Event::ContractEmitted { data, .. } => Some(EmittedEvent {
                    topics: record.topics.iter().map(|t| t.0).collect(),
                    data,
                }),
                _ => None,
            }
        })
        .collect();
    Ok(Outcome {
        message: message.to_owned(),
        reverted: value.did_revert(),
        data: value.data,
        ref_time: result.gas_consumed.ref_time(),
        proof_size: result.gas_consumed.proof_size(),
        storage_deposit: match result.storage_deposit {
            StorageDeposit::Charge(charge) => i128::try_from(charge).unwrap_or(i128::MAX),
            StorageDeposit::Refund(refund) => i128::try_from(refund).map_or(i128::MIN, |r| -r),
        },
        events,
        block: sandbox.block_number().into(),
    })
}

impl Chain for SandboxChain {
    fn actor(&mut self, name: &str) -> anyhow::Result<Actor> {
        let account: [u8; 32] = Sha256::digest(format!("vssi-e2e actor {name}")).into();
        self.sandbox
            .mint_into(&AccountId32::new(account), ACTOR_FUNDS)
            .map_err(|e| anyhow!("funding {name}: {e:?}"))?;
        Ok(Actor {
            name: name.to_owned(),
            account: account.into(),
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
        self.deployments += 1;
        let result = self.sandbox.deploy_contract(
            bundle.wasm.clone(),
            0,
            constructor.to_vec(),
            self.deployments.to_le_bytes().to_vec(),
            to_sandbox(deployer.account),
            MinimalSandbox::default_gas_limit(),
            None,
        );
        let value = result
            .result
            .map_err(|e| anyhow!("deploying {contract}: {e:?}"))?;
        if value.result.did_revert() {
            bail!("deploying {contract}: constructor reverted");
        }
        let address: [u8; 32] = *value.account_id.as_ref();
        Ok(Deployed::new(contract, address.into(), metadata))
    }

    fn upload_code(&mut self, uploader: &Actor, bundle: &str) -> anyhow::Result<[u8; 32]> {
        let wasm = self.bundle(bundle)?.wasm.clone();
        let uploaded = self
            .sandbox
            .upload_contract(
                wasm,
                to_sandbox(uploader.account),
                None,
                Determinism::Enforced,
            )
            .map_err(|e| anyhow!("uploading {bundle}: {e:?}"))?;
        Ok(uploaded.code_hash.into())
    }

    fn transact(
        &mut self,
        caller: &Actor,
        contract: &Deployed,
        call: &[u8],
        value: u128,
    ) -> anyhow::Result<Outcome> {
        self::call(&mut self.sandbox, caller, contract, call, value)
    }

    fn query(
        &mut self,
        caller: &Actor,
        contract: &Deployed,
        call: &[u8],
    ) -> anyhow::Result<Outcome> {
        self.dry_run(caller, contract, call, 0)
    }

    fn now(&mut self) -> u64 {
        self.sandbox.get_timestamp()
    }

    fn advance_time(&mut self, ms: u64) -> anyhow::Result<()> {
        let now = self.sandbox.get_timestamp();
        self.sandbox.set_timestamp(now.saturating_add(ms));
        Ok(())
    }

    fn balance(&mut self, account: AccountId) -> u128 {
        self.sandbox.free_balance(&to_sandbox(account))
    }

    fn backend(&self) -> &'static str {
        "drink sandbox (pallet-contracts 31)"
    }
}
