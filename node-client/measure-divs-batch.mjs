// Measures divs_ledger on a running substrate-contracts-node, with the node's own weights:
// `endorse` (two ed25519 verifications in the contract) against `endorse_batch` (signatures
// stored, checked off chain), the weight per batched endorsement, the largest batch one
// extrinsic may carry under the runtime's normal-dispatch limits, and then submits that
// batch as a real transaction and checks it was included and every entry appended.
//
// Usage: node measure-divs-batch.mjs   (VSSI_NODE_URL, default ws://127.0.0.1:9944;
// bundles from ../target/contracts, endorsements from the e2e-tests example divs_batch).
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Abi } from '@polkadot/api-contract';
import { Keyring } from '@polkadot/keyring';
import { compactStripLength, compactToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const url = process.env.VSSI_NODE_URL ?? 'ws://127.0.0.1:9944';
const bundle = JSON.parse(readFileSync(`${root}target/contracts/divs_ledger.contract`, 'utf8'));
const abi = new Abi(bundle);
const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
const GENEROUS = { refTime: 1_000_000_000_000n, proofSize: 4_000_000n };
// Storage deposit limit of every call: the runtime's default (1024 items) is below a batch's.
const DEPOSIT_LIMIT = 100_000_000_000_000_000n;

const normal = api.consts.system.blockWeights.perClass.normal;
const maxBlock = normal.maxTotal.unwrap();
const maxExtrinsic = normal.maxExtrinsic.unwrap();
const maxLength = api.consts.system.blockLength.max.normal.toNumber();

/** Submits a signed extrinsic; resolves with its events once it is in a block. */
function submit(label, tx) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(alice, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        const detail = dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule) : {};
        reject(new Error(`${label}: ${detail.section}.${detail.name} ${dispatchError.toString()}`));
      } else if (status.isInBlock) {
        resolve({ block: status.asInBlock.toHex(), events });
      }
    }).catch(reject);
  });
}

/** Dry-runs a call: the node's weights for it, and whether the contract reverted. */
async function dryRun(contract, data) {
  // Hex: polkadot.js takes a Uint8Array for Bytes as already length-prefixed.
  const r = await api.call.contractsApi.call(alice.address, contract, 0, null, DEPOSIT_LIMIT, u8aToHex(data));
  // Flags bit 0: the contract reverted (returned an error).
  const ok = r.result.isOk && (r.result.asOk.flags.bits.toNumber() & 1) === 0;
  if (process.env.VSSI_DEBUG && r.result.isOk) console.error(data.length, r.result.asOk.data.toHex());
  return { ok, refTime: r.gasRequired.refTime.toBigInt(), proofSize: r.gasRequired.proofSize.toBigInt() };
}

/** Call data of a message: selector and SCALE arguments, without the length prefix `toU8a` adds. */
function message(label, args = []) {
  return compactStripLength(abi.findMessage(label).toU8a(args))[1];
}

const salt = u8aToHex(new TextEncoder().encode(`measure-${Date.now()}`));
const instance = u8aToHex(api.genesisHash);
const deployed = await submit('instantiate', api.tx.contracts.instantiateWithCode(
  0, GENEROUS, null, bundle.source.wasm, abi.findConstructor('new').toU8a([instance]), salt));
const contract = deployed.events.find(({ event }) => api.events.contracts.Instantiated.is(event)).event.data.contract.toString();
const contractHex = u8aToHex(api.createType('AccountId', contract).toU8a());
const now = (await api.query.timestamp.now()).toBigInt();

// The contract refuses batches above its MAX_BATCH (1300): one per extrinsic at most.
const MAX = Number(process.env.VSSI_MAX_BATCH ?? 1300);
const generated = JSON.parse(execFileSync('cargo', [
  'run', '--release', '--quiet', '-p', 'e2e-tests', '--example', 'divs_batch', '--',
  contractHex, u8aToHex(alice.publicKey), String(MAX + 1), String(now),
], { cwd: root, maxBuffer: 1 << 30 }).toString());
// Not `.map(hexToU8a)`: its second parameter, the bit length, would get the index.
const endorsements = generated.endorsements.map((hex) => hexToU8a(hex));

await submit('add_authority', api.tx.contracts.call(contract, 0, GENEROUS, DEPOSIT_LIMIT,
  u8aToHex(message('add_authority', [alice.address, generated.authority_key, u8aToHex(new Uint8Array(32))]))));

const batchData = (n) => u8aConcat(abi.findMessage('endorse_batch').selector, compactToU8a(n), ...endorsements.slice(0, n));
const single = await dryRun(contract, u8aConcat(abi.findMessage('endorse').selector, endorsements[MAX]));

const fits = (w, length) => w.ok && w.refTime <= maxExtrinsic.refTime.toBigInt()
  && w.proofSize <= maxExtrinsic.proofSize.toBigInt() && length <= maxLength;
const samples = [];
for (const n of [1, 100, 500, 1000]) {
  samples.push({ n, ...(await dryRun(contract, batchData(n))) });
}
const [a, b] = [samples[1], samples[3]];
const perEntry = (b.refTime - a.refTime) / BigInt(b.n - a.n);
const perEntryProof = (b.proofSize - a.proofSize) / BigInt(b.n - a.n);
// Largest n that fits one extrinsic: estimate from the slope, then confirm by dry runs.
let n = Math.min(MAX, Number((maxExtrinsic.refTime.toBigInt() - (a.refTime - perEntry * BigInt(a.n))) / perEntry));
let w = await dryRun(contract, batchData(n));
while (n > 1 && !fits(w, batchData(n).length + 200)) {
  n -= Math.max(1, Math.floor(n / 100));
  w = await dryRun(contract, batchData(n));
}
const largest = { n, ...w };

const included = await submit(`endorse_batch(${n})`, api.tx.contracts.call(contract, 0,
  { refTime: largest.refTime, proofSize: largest.proofSize }, DEPOSIT_LIMIT, u8aToHex(batchData(n))));
const head = await api.call.contractsApi.call(alice.address, contract, 0, null, null, u8aToHex(message('head')));
const count = api.createType('(u64,[u8;32])', head.result.asOk.data.slice(1))[0].toNumber();

const report = {
  node: (await api.rpc.system.version()).toString(),
  limits: {
    block_normal_ref_time: maxBlock.refTime.toString(),
    extrinsic_normal_ref_time: maxExtrinsic.refTime.toString(),
    extrinsic_normal_proof_size: maxExtrinsic.proofSize.toString(),
    block_normal_length: maxLength,
  },
  endorse_single: { ref_time: single.refTime.toString(), proof_size: single.proofSize.toString() },
  batch_samples: samples.map((s) => ({ n: s.n, ref_time: s.refTime.toString(), proof_size: s.proofSize.toString() })),
  per_endorsement: { ref_time: perEntry.toString(), proof_size: perEntryProof.toString() },
  largest_batch_per_extrinsic: { n: largest.n, ref_time: largest.refTime.toString(), proof_size: largest.proofSize.toString(), bytes: batchData(n).length },
  block_capacity_by_ref_time: Number((maxBlock.refTime.toBigInt() - (a.refTime - perEntry * BigInt(a.n))) / perEntry),
  submitted: { n, block: included.block, entries_on_ledger: count },
};
console.log(`endorse (2 in-contract ed25519 verifications): ref_time ${single.refTime}, proof_size ${single.proofSize}`);
for (const s of samples) console.log(`endorse_batch n=${s.n}: ref_time ${s.refTime}, proof_size ${s.proofSize}`);
console.log(`per batched endorsement: ref_time ${perEntry}, proof_size ${perEntryProof}`);
console.log(`largest batch in one extrinsic (normal max ${maxExtrinsic.refTime} ref_time): ${largest.n} (ref_time ${largest.refTime}, proof_size ${largest.proofSize}, ${batchData(n).length} bytes)`);
console.log(`block normal-dispatch capacity by ref_time (${maxBlock.refTime}): ${report.block_capacity_by_ref_time} endorsements`);
console.log(`submitted the batch of ${n}: included in block ${included.block}; ledger entries now ${count}`);
console.log(JSON.stringify(report));
await api.disconnect();
