// A dApp frontend's view of a deployment, as a test (node:test): polkadot.js reads the
// deployment manifest and our metadata, registers a storage provider in resource_registry
// (the admin's write), reads the record back, decodes the emitted event, and sees a
// non-admin refused with the contract's typed error.
//
// Usage: VSSI_MANIFEST=<node dir>/deployment.json node --test client-test.mjs
// (scripts/dev client-test deploys or recognises the deployment first).
import { ApiPromise, WsProvider } from '@polkadot/api';
import { ContractPromise } from '@polkadot/api-contract';
import { Keyring } from '@polkadot/keyring';
import { mnemonicGenerate } from '@polkadot/util-crypto';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

const manifest = JSON.parse(readFileSync(process.env.VSSI_MANIFEST, 'utf8'));
let api;
let registry;
const keyring = new Keyring({ type: 'sr25519' });
const admin = keyring.addFromUri('//Alice');
const newcomer = keyring.addFromUri(mnemonicGenerate());

/** Options of a dry run: no gas limit to speak of, no deposit limit. */
const dryRunOptions = () => ({
  gasLimit: api.registry.createType('WeightV2', { refTime: 500_000_000_000n, proofSize: 5_000_000n }),
  storageDepositLimit: null,
});

/** Dry-runs `message`; returns its decoded `Result` and the gas it needs. */
async function query(contract, caller, message, ...args) {
  const { result, output, gasRequired } = await contract.query[message](caller, dryRunOptions(), ...args);
  assert.ok(result.isOk, `${message} trapped: ${result.toString()}`);
  return { output: output.toJSON(), gasRequired };
}

/** Submits `message` and resolves with the block and the decoded contract events. */
function submit(contract, signer, gasLimit, message, ...args) {
  return new Promise((resolve, reject) => {
    contract.tx[message]({ gasLimit, storageDepositLimit: null }, ...args)
      .signAndSend(signer, (result) => {
        if (result.dispatchError) reject(new Error(result.dispatchError.toString()));
        else if (result.status.isInBlock) {
          resolve({ block: result.status.asInBlock.toHex(), events: result.contractEvents ?? [] });
        }
      })
      .catch(reject);
  });
}

before(async () => {
  api = await ApiPromise.create({ provider: new WsProvider(manifest.chain.url), noInitWarn: true });
  const entry = manifest.contracts.resource_registry;
  registry = new ContractPromise(api, JSON.parse(readFileSync(entry.metadata, 'utf8')), entry.address);
});

after(async () => api?.disconnect());

test('the manifest names contracts live on this chain with the manifest code hashes', async () => {
  assert.equal(api.genesisHash.toHex(), manifest.chain.genesis_hash);
  for (const [name, entry] of Object.entries(manifest.contracts)) {
    const info = await api.query.contracts.contractInfoOf(entry.address);
    assert.ok(info.isSome, `${name} not on chain`);
    assert.equal(info.unwrap().codeHash.toHex(), entry.code_hash, name);
  }
});

test('the admin registers a storage provider; the record reads back and the event decodes', async () => {
  const dry = await query(registry, admin.address, 'registerProvider', newcomer.address);
  assert.deepEqual(dry.output, { ok: { ok: null } });
  const { events } = await submit(registry, admin, dry.gasRequired, 'registerProvider', newcomer.address);
  const registered = events.find((e) => e.event.identifier.endsWith('ProviderRegistered'));
  assert.ok(registered, `no ProviderRegistered among ${events.map((e) => e.event.identifier)}`);
  assert.equal(registered.args[0].toString(), newcomer.address);

  const { output } = await query(registry, admin.address, 'provider', newcomer.address);
  assert.equal(output.ok.ok.status, 'Active');
  assert.equal(output.ok.ok.faults, 0);
  console.log(`# provider ${newcomer.address} registered and read back: ${JSON.stringify(output.ok.ok)}`);
});

test('a non-admin is refused with NotAdmin and nothing changes', async () => {
  const stranger = keyring.addFromUri(mnemonicGenerate());
  const before = await query(registry, admin.address, 'provider', stranger.address);
  const refused = await query(registry, newcomer.address, 'registerProvider', stranger.address);
  assert.deepEqual(refused.output, { ok: { err: 'NotAdmin' } });
  const afterwards = await query(registry, admin.address, 'provider', stranger.address);
  assert.deepEqual(afterwards.output, before.output);
  assert.deepEqual(before.output, { ok: { err: 'UnknownProvider' } });
});
