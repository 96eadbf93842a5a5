//! The load generator: many transactions signed first, then submitted through a window,
//! and followed into blocks (`scripts/dev throughput`).
use super::rpc::{call_tx, with_margin};
use super::NodeChain;
use crate::chain::Deployed;
use anyhow::{anyhow, ensure};
use drink::Weight;
use ink::primitives::AccountId;
use std::time::Duration;
use subxt::{config::DefaultExtrinsicParamsBuilder, PolkadotConfig};

/// One transaction of a load: `caller` makes the call `call` on `contract`.
pub struct LoadCall<'a> {
    /// The calling account (an actor of this connection).
    pub caller: AccountId,
    /// The contract called.
    pub contract: &'a Deployed,
    /// The call data, as [`crate::calls::message_data`] makes it.
    pub call: Vec<u8>,
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
            let data = &call.call;
            let message = call.contract.label(data)?;
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
            let kind = (call.contract.name.as_str(), message);
            let gas_limit = match gas.entry(kind) {
                Entry::Occupied(known) => *known.get(),
                Entry::Vacant(new) => {
                    let dry =
                        self.dry_run_call(call.caller, call.contract.address, 0, *limit, data)?;
                    let returned = dry.result.map_err(|e| anyhow!("{message}: {e}"))?;
                    ensure!(!returned.did_revert(), "{message} reverts in its dry run");
                    *new.insert(with_margin(dry.gas_required, LOAD_GAS_MARGIN_PERCENT))
                }
            };
            let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new()
                .nonce(*nonce)
                .build();
            *nonce = nonce.saturating_add(1);
            let tx = call_tx(call.contract, 0, gas_limit, *limit, data);
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
}
