//! The node's RPC and extrinsic plumbing: dry runs, runtime API calls, submission and
//! inclusion, storage reads, and the SCALE shapes of their answers.
use super::NodeChain;
use crate::chain::{Deployed, EmittedEvent};
use anyhow::{anyhow, bail};
use drink::{pallet_contracts::ExecReturnValue, Weight};
use ink::primitives::AccountId;
use scale::{Decode, Encode, Input};
use subxt::{
    config::DefaultExtrinsicParamsBuilder,
    dynamic::Value,
    tx::{Payload, TxStatus},
    PolkadotConfig,
};
use subxt_signer::sr25519::Keypair;

/// The part of `ContractResult` a client needs; the runtime's events that follow are not
/// decoded (their type belongs to the runtime).
pub(super) struct DryRun<R> {
    pub(super) gas_required: Weight,
    pub(super) gas_consumed: Weight,
    /// Charged (positive) or refunded (negative).
    pub(super) storage_deposit: i128,
    /// The value, or the dispatch error (its leading bytes) and the debug message.
    pub(super) result: Result<R, String>,
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
pub(super) struct Included {
    /// All events of the extrinsic.
    pub(super) events: Vec<subxt::events::EventDetails<PolkadotConfig>>,
    /// Its dispatch error, if it failed.
    pub(super) failure: Option<String>,
}

impl Included {
    pub(super) fn success(self, what: &str) -> anyhow::Result<Self> {
        match &self.failure {
            Some(failure) => bail!("{what} failed on chain: {failure}"),
            None => Ok(self),
        }
    }
}

/// `InstantiateReturnValue`: the constructor's return and the new address.
#[derive(Decode)]
pub(super) struct Instantiated {
    pub(super) result: ExecReturnValue,
    pub(super) account_id: [u8; 32],
}

pub(super) fn account_of(keypair: &Keypair) -> AccountId {
    AccountId::from(keypair.public_key().0)
}

pub(super) fn address(account: AccountId) -> Value {
    Value::unnamed_variant("Id", [Value::from_bytes(account)])
}

pub(super) fn weight_value(weight: Weight) -> Value {
    Value::named_composite([
        ("ref_time", Value::u128(weight.ref_time().into())),
        ("proof_size", Value::u128(weight.proof_size().into())),
    ])
}

/// `Contracts::call` of `data` on `contract`.
pub(super) fn call_tx(
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
pub(super) fn with_margin(weight: Weight, percent: u64) -> Weight {
    let add = |v: u64| v.saturating_add(v / 100 * percent);
    Weight::from_parts(add(weight.ref_time()), add(weight.proof_size()))
}

/// The `ContractEmitted` events of `contract` among an extrinsic's events.
pub(super) fn contract_events(
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

impl NodeChain {
    /// The best block: reads must see the last transaction, and subxt's `at_latest` is the
    /// finalized block, which lags it by the node's finalization delay.
    pub(super) async fn best(&self) -> anyhow::Result<subxt::utils::H256> {
        self.rpc
            .chain_get_block_hash(None)
            .await?
            .ok_or_else(|| anyhow!("the node has no best block"))
    }

    pub(super) fn runtime_call<R: Decode>(
        &self,
        function: &str,
        args: Vec<u8>,
    ) -> anyhow::Result<R> {
        self.runtime.block_on(async {
            let at = self.api.runtime_api().at(self.best().await?);
            Ok(at.call_raw::<R>(function, Some(&args)).await?)
        })
    }

    /// Signs and submits `call`, waits for its block and returns the extrinsic's events and
    /// its dispatch error, if it failed (the caller decides what a failure means).
    pub(super) fn submit(
        &mut self,
        signer: &Keypair,
        call: &impl Payload,
    ) -> anyhow::Result<Included> {
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
    pub(super) fn dry_run_call(
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

    /// The raw value of a storage map entry keyed by an account, at the best block.
    pub(super) fn storage(
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

    /// Reads a free balance from `System::Account`.
    pub(super) fn free_balance(&self, account: AccountId) -> anyhow::Result<u128> {
        // AccountInfo: nonce, consumers, providers, sufficients (u32 each), then free.
        Ok(match self.storage("System", "Account", account)? {
            Some(raw) => <([u32; 4], u128)>::decode(&mut &raw[..])?.1,
            None => 0,
        })
    }

    /// Number of the node's best block.
    pub fn best_block(&self) -> anyhow::Result<u32> {
        self.runtime
            .block_on(async { Ok(self.api.blocks().at(self.best().await?).await?.number()) })
    }
}
