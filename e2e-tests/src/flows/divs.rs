//! Y.2247 on the ledger: UEs register their integrity verification parameters, DIVS
//! authorities endorse them with the network account status (7.2.1-7.2.2), UEs sign data,
//! and recipients verify it (7.2.3): 10.1 (consumer side) with tampered data, a termination
//! and data signed after it; 10.2 (aggregator side); a binding change, then an ownership
//! change by a second authority the operator makes responsible for the UE; a batch of
//! machine-type terminals (9.2) with an offline check of the exported ledger against the
//! head and authority keys read from the chain; and the evidence chain from a video of
//! F.743.24 I.4 to its endorsed camera, with its failure cases.
use super::registration::{user_id, Registered, Suite};
use super::resources::{upload_request, Uploaded, Video, MINUTE};
use super::{expect_ok, refused, value};
use crate::chain::{Actor, Chain};
use crate::clients::DivsClient;
use crate::ledger::ChainDivs;
use crate::transcript::{short, Transcript};
use anyhow::{anyhow, ensure};
use device_registry::DivsLink;
use divs_ledger::Error as DivsError;
use identity_registry::{KeyChangeKind, KeyEpoch};
use shared_types::{
    AccountState, AccountStatus, Endorsement, Entry, EntryAddress, EntryKind, ResourceId, TimeSpan,
    TxId, UserId,
};
use vssi_sdk::divs::{
    endorse, parameters_signed, verify_bundle, AggregatorReport, DivsError as Check,
    ExportedLedger, LedgerAnchors, Ue,
};
use vssi_sdk::evidence::{
    DeviceFacts, EvidenceBundle, EvidenceError, KeyChangeProof, KeyRotation, OwnerFacts,
    ResourceFacts, TrustAnchors,
};
use vssi_sdk::{hashing, KeyPair};

const DAY: u64 = 24 * 60 * MINUTE;

/// The deployed ledger and the Y.2247 parties.
pub struct Divs {
    /// The ledger.
    pub ledger: DivsClient,
    /// Its admin (the operator).
    pub operator: Actor,
    /// Its entry address.
    pub address: EntryAddress,
    /// The first DIVS authority (a DIVS AS of an operator).
    pub as1: Actor,
    /// A second DIVS authority sharing the ledger (8.4 RP-dd).
    pub as2: Actor,
    /// A data aggregator (SP).
    pub aggregator: Actor,
    /// A data consumer (service user).
    pub consumer: Actor,
}

impl Divs {
    fn lookup<'a, C: Chain>(&'a self, chain: &'a mut C, asker: &'a Actor) -> ChainDivs<'a, C> {
        ChainDivs {
            chain,
            asker,
            divs: &self.ledger,
        }
    }

    fn contract(&self) -> [u8; 32] {
        self.address.contract
    }
}

/// The network account status of a UE with a one-year contract from yesterday.
pub fn account_status<C: Chain>(chain: &mut C, contract: &str) -> AccountStatus {
    status_at(chain.now(), contract)
}

/// [`account_status`] at block time `now`.
pub fn status_at(now: u64, contract: &str) -> AccountStatus {
    AccountStatus {
        contract_id: hashing::sha256(contract.as_bytes()),
        valid_from: now.saturating_sub(DAY),
        terminates_at: now + 365 * DAY,
        region: Some(*b"CN"),
        state: AccountState::Active,
    }
}

/// Deploys the ledger and adds two authorities.
pub fn setup<C: Chain>(chain: &mut C, t: &mut Transcript, r: &Registered) -> anyhow::Result<Divs> {
    let instance = hashing::sha256(chain.backend().as_bytes());
    let ledger = DivsClient::deploy(chain, &r.operator, instance)?;
    let address = ledger.entry_address(chain, &r.operator)?;
    let (as1, as2) = (chain.actor("DIVS-AS1")?, chain.actor("DIVS-AS2")?);
    for authority in [&as1, &as2] {
        let certificate = hashing::sha256(format!("certificate of {}", authority.name).as_bytes());
        let added = ledger.add_authority(chain, &r.operator, authority, certificate)?;
        expect_ok(
            t,
            "Y.2247 8.1.3",
            "Operator",
            &format!(
                "adds {} with its endorsement key and certificate hash",
                authority.name
            ),
            &added,
            authority.account.as_ref(),
        )?;
    }
    Ok(Divs {
        ledger,
        operator: Actor {
            name: r.operator.name.clone(),
            account: r.operator.account,
            keys: r.operator.keys.clone(),
        },
        address,
        as1,
        as2,
        aggregator: chain.actor("Aggregator")?,
        consumer: chain.actor("Consumer")?,
    })
}

/// Registration and endorsement of one UE by `authority`, verified in the contract.
fn register_ue<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    d: &Divs,
    authority: &Actor,
    ue: &Ue,
    label: &str,
) -> anyhow::Result<TxId> {
    let for_authority = *authority.account.as_ref();
    let parameters = ue.parameters(&d.contract(), &for_authority);
    ensure!(
        parameters_signed(&d.contract(), &parameters, &for_authority),
        "UE signature"
    );
    t.step(
        "Y.2247 7.2.1",
        label,
        &format!(
            "generates its key pair, commits IMEI/ICCID/MSISDN, signs its parameters for {}",
            authority.name
        ),
        &format!("key {}", short(&parameters.public_key.0)),
    );
    let status = account_status(chain, label);
    let endorsement = endorse(
        &authority.keys,
        &d.contract(),
        parameters,
        status,
        EntryKind::Registration,
        None,
    );
    let called = d.ledger.endorse(chain, authority, &endorsement)?;
    expect_ok(
        t,
        "Y.2247 7.2.2",
        &authority.name,
        &format!("checks {label}'s signature, adds the account status, endorses (both signatures verified in the contract)"),
        &called,
        &parameters.public_key.0,
    )?;
    let (tx_id, address) = value(called.value)?;
    ensure!(address == d.address, "entry address {address:?}");
    t.step(
        "Y.2247 7.2.2",
        &authority.name,
        &format!("returns the transaction ID and entry address to {label}"),
        &format!(
            "tx {tx_id} at instance {} / ledger {}",
            short(&address.instance),
            short(&address.contract)
        ),
    );
    Ok(tx_id)
}

/// 10.1: data verification by the consumer, with tampering and termination.
pub fn consumer_side<C: Chain>(chain: &mut C, t: &mut Transcript, d: &Divs) -> anyhow::Result<()> {
    let ue = Ue::new(
        "35-209900-176148-1",
        "89860012345678901234",
        "+8613800138000",
    );
    let tx_id = register_ue(chain, t, d, &d.as1, &ue, "UE-1")?;
    let bundle = ue.sign_data(
        b"temperature=21.5C;humidity=40%".to_vec(),
        chain.now(),
        tx_id,
        d.address,
    );
    t.step(
        "Y.2247 10.1 steps 2-3",
        "UE-1 / Aggregator",
        "UE-1 signs collected data with its transaction ID and entry address; the aggregator forwards it",
        &format!("{} bytes", bundle.data.len()),
    );
    let verified = value(verify_bundle(
        &bundle,
        &mut d.lookup(chain, &d.consumer),
        None,
    ))?;
    ensure!(verified.governing.tx_id == tx_id, "governing entry");
    t.step(
        "Y.2247 10.1 step 4, 8.3",
        "Consumer",
        "fetches the endorsement by transaction ID, checks the authority's and UE's signatures and the validity",
        "verified",
    );
    let mut tampered = bundle.clone();
    tampered.data[0] ^= 0x01;
    let refused = verify_bundle(&tampered, &mut d.lookup(chain, &d.consumer), None);
    ensure!(
        refused == Err(Check::BadDataSignature),
        "tampered data: {refused:?}"
    );
    t.step(
        "Y.2247 10.1 step 4",
        "Consumer",
        "verifies data altered in transit",
        "rejected: signature does not verify",
    );

    // The contract is terminated; the authority that registered UE-1 appends the termination.
    chain.advance_time(chain.minute())?;
    let mut ended = account_status(chain, "UE-1");
    ended.terminates_at = chain.now();
    ended.state = AccountState::Terminated;
    let termination = endorse(
        &d.as1.keys,
        &d.contract(),
        ue.parameters(&d.contract(), d.as1.account.as_ref()),
        ended,
        EntryKind::Termination,
        Some(tx_id),
    );
    let called = d.ledger.endorse(chain, &d.as1, &termination)?;
    expect_ok(
        t,
        "Y.2247 7.2.2 (update)",
        "DIVS-AS1",
        "appends UE-1's contract termination, linked to its registration",
        &called,
        &ue.keys.signing_public().0,
    )?;
    let (termination_tx, _) = value(called.value)?;
    chain.advance_time(chain.minute())?;
    let late = ue.sign_data(
        b"temperature=22.0C".to_vec(),
        chain.now(),
        termination_tx,
        d.address,
    );
    let result = verify_bundle(&late, &mut d.lookup(chain, &d.consumer), None);
    ensure!(
        matches!(result, Err(Check::OutsideValidity { .. })),
        "data after termination: {result:?}"
    );
    t.step(
        "Y.2247 7.2.3",
        "Consumer",
        "verifies data UE-1 signed after its termination",
        "rejected: outside validity",
    );
    let again = value(verify_bundle(
        &bundle,
        &mut d.lookup(chain, &d.consumer),
        None,
    ))?;
    ensure!(
        again.governing.tx_id == tx_id,
        "the entry in force at signing not used"
    );
    let now = chain.now();
    let observed = verify_bundle(&bundle, &mut d.lookup(chain, &d.consumer), Some(now));
    ensure!(
        matches!(observed, Err(Check::OutsideValidity { .. })),
        "data first observed after the termination: {observed:?}"
    );
    let first = value(d.ledger.entry(chain, &d.consumer, tx_id)?)?;
    let partial = value(d.ledger.partial(chain, &d.consumer, tx_id)?)?;
    ensure!(
        first.kind == EntryKind::Registration && partial.state == AccountState::Terminated,
        "history"
    );
    t.step(
        "Y.2247 7.1, 7.2.3",
        "Consumer",
        "re-verifies the earlier data and reads both entries and the partial answer",
        &format!("valid (claimed signing time before termination {termination_tx}: entry {tx_id} in force); rejected when the consumer only knows it was observed now; entry {tx_id} still readable; partial: Terminated"),
    );
    Ok(())
}

/// 10.2: the aggregator verifies for the consumer and returns a signed result.
pub fn aggregator_side<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    d: &Divs,
) -> anyhow::Result<()> {
    let ue = Ue::new(
        "35-209900-176149-9",
        "89860012345678901235",
        "+8613800138001",
    );
    let tx_id = register_ue(chain, t, d, &d.as1, &ue, "UE-2")?;
    let bundle = ue.sign_data(b"meter=1532.7kWh".to_vec(), chain.now(), tx_id, d.address);
    let request = [0x42; 16];
    t.step(
        "Y.2247 10.2 steps 2-4",
        "Aggregator / Consumer",
        "the aggregator keeps UE-2's data and shares its description; the consumer asks for verification",
        &format!("request {}", short(&request)),
    );
    let report = AggregatorReport::make(
        &d.aggregator.keys,
        &bundle,
        request,
        &mut d.lookup(chain, &d.aggregator),
    );
    ensure!(report.verified, "aggregator could not verify");
    ensure!(
        report.check(&d.aggregator.keys.signing_public(), &d.contract(), &request),
        "report signature"
    );
    t.step(
        "Y.2247 10.2 steps 5-7",
        "Aggregator",
        "fetches the endorsement, verifies in its trusted environment, returns a signed result",
        "verified; the consumer checks the aggregator's signature",
    );
    let mut altered = bundle;
    altered.data.push(b'!');
    let report = AggregatorReport::make(
        &d.aggregator.keys,
        &altered,
        request,
        &mut d.lookup(chain, &d.aggregator),
    );
    ensure!(!report.verified, "altered data verified");
    t.step(
        "Y.2247 10.2 step 7",
        "Aggregator",
        "verifies an altered copy",
        "reports: not verified",
    );
    Ok(())
}

/// A binding change (new SIM) by the registering authority, then an ownership change by a
/// second authority the operator makes responsible for the UE, each appended and linked.
pub fn binding_and_ownership<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    d: &Divs,
) -> anyhow::Result<()> {
    let ue = Ue::new(
        "35-209900-176150-7",
        "89860012345678901236",
        "+8613800138002",
    );
    let tx_id = register_ue(chain, t, d, &d.as1, &ue, "UE-3")?;
    let rebound = Ue::with_keys(
        ue.keys.clone(),
        "35-209900-176150-7",
        "89860099999999999999",
        "+8613900139002",
    );
    let change = endorse(
        &d.as1.keys,
        &d.contract(),
        rebound.parameters(&d.contract(), d.as1.account.as_ref()),
        account_status(chain, "UE-3"),
        EntryKind::BindingChange,
        Some(tx_id),
    );
    let called = d.ledger.endorse(chain, &d.as1, &change)?;
    expect_ok(
        t,
        "Y.2247 7.2.2 (binding change)",
        "DIVS-AS1",
        "appends UE-3's new ICCID/MSISDN binding, signed again by UE-3",
        &called,
        &ue.keys.signing_public().0,
    )?;
    let (binding_tx, _) = value(called.value)?;
    let key = ue.keys.signing_public();
    let assigned = d.ledger.assign_ue(chain, &d.operator, key, d.as2.account)?;
    expect_ok(
        t,
        "Y.2247 8.4 RP-dd",
        "Operator",
        "makes DIVS-AS2 (the new owner's operator) responsible for UE-3",
        &assigned,
        &key.0,
    )?;
    // The ownership change keeps the parameters UE-3 signed for DIVS-AS1: no new signature.
    let owned = endorse(
        &d.as2.keys,
        &d.contract(),
        change.parameters,
        account_status(chain, "UE-3 new owner"),
        EntryKind::OwnershipChange,
        Some(binding_tx),
    );
    let called = d.ledger.endorse(chain, &d.as2, &owned)?;
    expect_ok(
        t,
        "Y.2247 7.2.2 (ownership change)",
        "DIVS-AS2",
        "appends UE-3's change of owner (new network contract), keeping the parameters UE-3 signed",
        &called,
        &ue.keys.signing_public().0,
    )?;
    let latest = value(
        d.ledger
            .latest(chain, &d.consumer, ue.keys.signing_public())?,
    )?;
    let middle = value(d.ledger.entry(chain, &d.consumer, binding_tx)?)?;
    ensure!(
        latest.kind == EntryKind::OwnershipChange
            && latest.previous == Some(binding_tx)
            && middle.previous == Some(tx_id),
        "links"
    );
    ensure!(
        middle.parameters.identity
            != value(d.ledger.entry(chain, &d.consumer, tx_id)?)?
                .parameters
                .identity,
        "binding"
    );
    t.step(
        "Y.2247 7.1",
        "Consumer",
        "follows UE-3's entries from the latest back",
        "ownership → binding → registration, none overwritten",
    );

    // A replay of the ownership change, now that it is no longer the latest entry's successor.
    let observe = |chain: &mut C| d.ledger.head(chain, &d.consumer);
    refused(
        chain,
        t,
        "Y.2247 7.1 refusal",
        "DIVS-AS2",
        "appends the same ownership change again",
        observe,
        |chain| d.ledger.endorse(chain, &d.as2, &owned),
        DivsError::InvalidAuthoritySignature,
    )?;
    refused(
        chain,
        t,
        "Y.2247 8.4 refusal",
        "DIVS-AS1",
        "appends its binding change again, for a UE now in DIVS-AS2's charge",
        observe,
        |chain| d.ledger.endorse(chain, &d.as1, &change),
        DivsError::NotUeAuthority,
    )?;
    let stranger = chain.actor("Stranger")?;
    let bogus = endorse(
        &stranger.keys,
        &d.contract(),
        Ue::new("x", "y", "z").parameters(&d.contract(), stranger.account.as_ref()),
        account_status(chain, "x"),
        EntryKind::Registration,
        None,
    );
    refused(
        chain,
        t,
        "Y.2247 8.1.2 refusal",
        "Stranger",
        "endorses a UE without being an authority",
        observe,
        |chain| d.ledger.endorse(chain, &stranger, &bogus),
        DivsError::NotAuthority,
    )?;
    refused(
        chain,
        t,
        "Y.2247 7.2.2 refusal",
        "DIVS-AS1",
        "registers UE-3 a second time",
        observe,
        |chain| {
            let again = endorse(
                &d.as1.keys,
                &d.contract(),
                ue.parameters(&d.contract(), d.as1.account.as_ref()),
                account_status(chain, "UE-3"),
                EntryKind::Registration,
                None,
            );
            d.ledger.endorse(chain, &d.as1, &again)
        },
        DivsError::AlreadyRegistered,
    )?;
    Ok(())
}

/// What a batch cost.
#[derive(Clone, Copy, Debug)]
pub struct BatchCost {
    /// Entries in the batch.
    pub entries: u32,
    /// ref_time of the whole call.
    pub ref_time: u64,
    /// proof_size of the whole call.
    pub proof_size: u64,
}

impl std::fmt::Display for BatchCost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let per = |total: u64| total / u64::from(self.entries.max(1));
        write!(
            f,
            "batch of {}: ref_time {} ({} per entry), proof_size {} ({} per entry)",
            self.entries,
            self.ref_time,
            per(self.ref_time),
            self.proof_size,
            per(self.proof_size)
        )
    }
}

/// Registrations of `n` fresh machine-type terminals for `ledger`, signed by each for the
/// authority with chain account `account` and endorsed by its key `authority`, at block
/// time `now`.
pub fn terminals(
    authority: &KeyPair,
    account: &[u8; 32],
    ledger: &[u8; 32],
    now: u64,
    n: u32,
    tag: &str,
) -> Vec<Endorsement> {
    (0..n)
        .map(|i| {
            let ue = Ue::new(
                &format!("imei-{tag}-{i}"),
                &format!("iccid-{tag}-{i}"),
                &format!("msisdn-{tag}-{i}"),
            );
            let status = status_at(now, &format!("{tag}-{i}"));
            endorse(
                authority,
                ledger,
                ue.parameters(ledger, account),
                status,
                EntryKind::Registration,
                None,
            )
        })
        .collect()
}

/// 9.2: one batch of `n` terminals; refusals of a bad batch; the whole ledger exported and
/// checked offline.
pub fn batch<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    d: &Divs,
    n: u32,
) -> anyhow::Result<BatchCost> {
    let endorsements = terminals(
        &d.as1.keys,
        d.as1.account.as_ref(),
        &d.contract(),
        chain.now(),
        n,
        "mtc",
    );
    let observe = |chain: &mut C| d.ledger.head(chain, &d.consumer);
    let mut twice = endorsements[..endorsements.len().min(10)].to_vec();
    twice.push(endorsements[0]);
    refused(
        chain,
        t,
        "Y.2247 9.2 refusal",
        "DIVS-AS1",
        "submits a batch naming one terminal twice",
        observe,
        |chain| d.ledger.endorse_batch(chain, &d.as1, &twice),
        DivsError::DuplicateInBatch,
    )?;
    let called = d.ledger.endorse_batch(chain, &d.as1, &endorsements)?;
    expect_ok(
        t,
        "Y.2247 9.2",
        "DIVS-AS1",
        &format!("endorses {n} machine-type terminals in one batch (signatures stored, checked off chain)"),
        &called,
        d.as1.account.as_ref(),
    )?;
    let (first, count) = value(called.value)?;
    ensure!(count == n, "count {count}");
    let backend = chain.backend();
    t.step(
        "Y.2247 9.2",
        backend,
        &format!("weighs the batch of {n}"),
        &format!(
            "ref_time {} ({} per entry), proof_size {}; tx IDs {first}..{}",
            called.outcome.ref_time,
            called.outcome.ref_time / u64::from(n),
            called.outcome.proof_size,
            first.0 + u64::from(n) - 1
        ),
    );
    let export = export(chain, d)?;
    let anchors = anchors(chain, d)?;
    let checked = value(export.verify(&anchors))?;
    ensure!(checked.unendorsed().is_empty(), "unendorsed batch entries");
    t.step(
        "Y.2247 7.1",
        "Auditor",
        "exports every entry, reads the head and the authorities' keys from the chain, recomputes the hash chain and every signature offline",
        &format!(
            "{} entries, head {} matches",
            export.entries.len(),
            short(&anchors.head)
        ),
    );
    let mut forged = export.clone();
    let last = forged.entries.len() - 1;
    forged.entries[last].status.terminates_at += 1;
    ensure!(
        forged.verify(&anchors).err() == Some(Check::BrokenChain(TxId(last as u64))),
        "forged export verified"
    );
    let mut truncated = export.clone();
    truncated.entries.pop();
    ensure!(
        truncated.verify(&anchors).err() == Some(Check::UntrustedHead),
        "truncated export verified"
    );
    t.step(
        "Y.2247 7.1",
        "Auditor",
        "checks an export with one altered entry, and one without its last entry",
        &format!("rejected: chain breaks at entry {last}; does not end at the chain's head"),
    );
    Ok(BatchCost {
        entries: n,
        ref_time: called.outcome.ref_time,
        proof_size: called.outcome.proof_size,
    })
}

/// The ledger, page by page, read by the consumer.
pub fn export<C: Chain>(chain: &mut C, d: &Divs) -> anyhow::Result<ExportedLedger> {
    export_ledger(chain, &d.ledger, &d.consumer)
}

/// `ledger`, page by page, read by `asker`.
pub fn export_ledger<C: Chain>(
    chain: &mut C,
    ledger: &DivsClient,
    asker: &Actor,
) -> anyhow::Result<ExportedLedger> {
    let (count, _) = ledger.head(chain, asker)?;
    let mut entries: Vec<Entry> = Vec::new();
    while (entries.len() as u64) < count {
        let page = ledger.entries(
            chain,
            asker,
            TxId(entries.len() as u64),
            divs_ledger::MAX_PAGE,
        )?;
        ensure!(!page.is_empty(), "export stalled at {}", entries.len());
        entries.extend(page);
    }
    Ok(ExportedLedger {
        address: ledger.entry_address(chain, asker)?,
        entries,
    })
}

/// What an auditor trusts to check an export: the head and the authorities' keys, read from
/// the chain now.
pub fn anchors<C: Chain>(chain: &mut C, d: &Divs) -> anyhow::Result<LedgerAnchors> {
    let (count, head) = d.ledger.head(chain, &d.consumer)?;
    let mut authorities = Vec::new();
    for authority in [&d.as1, &d.as2] {
        let record = value(d.ledger.authority(chain, &d.consumer, authority.account)?)?;
        authorities.push((*authority.account.as_ref(), record.key));
    }
    Ok(LedgerAnchors {
        authorities,
        count,
        head,
    })
}

/// The evidence bundle of `resource`, read from the chain by `asker`: its record in
/// `suite.resources`, the PU's keys when the capture started (its key history), the owner's
/// record and key rotations, and the ledger's entries from the DIVS entry those PU keys were
/// linked to (which must be in `ledger`) to the ledger's head now, with the link before them.
pub fn evidence_bundle<C: Chain>(
    chain: &mut C,
    asker: &Actor,
    suite: &Suite,
    ledger: &DivsClient,
    resource: ResourceId,
) -> anyhow::Result<EvidenceBundle> {
    let record = value(suite.resources.resource(chain, asker, resource)?)?;
    // The PU's keys when the capture started (a capture before the PU's registration was
    // signed by the keys it was registered with), and their DIVS link.
    let registered_at = value(suite.devices.device(chain, asker, record.pu)?)?.registered_at;
    let device = value(suite.devices.key_at(
        chain,
        asker,
        record.pu,
        record.content.capture.start.max(registered_at),
    )?)?;
    let link = device
        .divs
        .ok_or_else(|| anyhow!("the PU's keys at capture time are not linked to a DIVS entry"))?;
    ensure!(
        link.ledger == ledger.0.address,
        "the PU is linked to another DIVS ledger"
    );
    let (count, _) = ledger.head(chain, asker)?;
    let first = link.tx_id.0;
    let before = match first.checked_sub(1) {
        Some(previous) => value(ledger.entry(chain, asker, TxId(previous))?)?.link,
        None => [0; 32],
    };
    let mut entries: Vec<Entry> = Vec::new();
    let mut next = first;
    while next < count {
        let page = ledger.entries(chain, asker, TxId(next), divs_ledger::MAX_PAGE)?;
        ensure!(!page.is_empty(), "the ledger's entries stalled at {next}");
        next += page.len() as u64;
        entries.extend(page);
    }
    // Entries appended since the head was read are left to a later bundle.
    entries.truncate(count.saturating_sub(first) as usize);
    Ok(EvidenceBundle {
        registries: suite.registries(),
        resource: ResourceFacts {
            resource,
            owner: record.owner,
            pu: record.pu,
            content: record.content,
            pu_signature: record.pu_signature,
            registered_by: *record.registered_by.as_ref(),
            owner_signature: record.owner_signature,
        },
        device: DeviceFacts {
            keys: device.keys,
            divs: Some((*link.ledger.as_ref(), link.tx_id)),
        },
        owner: owner_facts(chain, asker, suite, record.owner, record.registered_at)?,
        divs: ledger.entry_address(chain, asker)?,
        before,
        entries,
    })
}

/// What an auditor of `r`'s evidence trusts: the deployment's addresses, the ISP's key, and
/// the DIVS authorities' keys and the ledger's head read from the chain now.
pub fn evidence_anchors<C: Chain>(
    chain: &mut C,
    r: &Registered,
    d: &Divs,
) -> anyhow::Result<TrustAnchors> {
    Ok(TrustAnchors {
        registrars: vec![r.isp.keys.signing_public()],
        registries: r.suite.registries(),
        ledger: d.contract(),
        divs: anchors(chain, d)?,
    })
}

/// The owner's facts for an evidence bundle: the attested record and the key changes
/// (rotations and registrar recoveries, as the key history authorized them) up to the keys
/// valid at `signed_at` (the block time the chain checked the upload statement).
fn owner_facts<C: Chain>(
    chain: &mut C,
    asker: &Actor,
    suite: &Suite,
    owner: UserId,
    signed_at: u64,
) -> anyhow::Result<OwnerFacts> {
    let user = value(suite.identity.user(chain, asker, owner)?)?;
    let mut epochs: Vec<KeyEpoch> = Vec::new();
    while epochs.len() as u64 <= u64::from(user.key_version) {
        let start = epochs.len() as u32;
        let page = value(suite.identity.key_history(
            chain,
            asker,
            owner,
            start,
            identity_registry::MAX_PAGE,
        )?)?;
        ensure!(!page.is_empty(), "the key history stalled at {start}");
        epochs.extend(page);
    }
    let rotations = epochs
        .iter()
        .skip(1)
        .take_while(|epoch| epoch.valid_from <= signed_at)
        .map(|epoch| {
            let change = epoch.authorized_by;
            let authorized = match change.kind {
                KeyChangeKind::Rotated => KeyChangeProof::Rotated {
                    signature: change.signature,
                },
                KeyChangeKind::Recovered => KeyChangeProof::Recovered {
                    registrar_key: change.signer,
                    controller: *change
                        .controller
                        .ok_or_else(|| anyhow!("a recovered key epoch names no controller"))?
                        .as_ref(),
                    signature: change.signature,
                },
                KeyChangeKind::Registered => {
                    return Err(anyhow!("a key epoch after the first is marked registered"))
                }
            };
            Ok(KeyRotation {
                keys: epoch.keys,
                authorized,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    // The attestation names the controller at registration, which may have changed since.
    let attested_controller = epochs[0]
        .authorized_by
        .controller
        .ok_or_else(|| anyhow!("the registered key epoch names no controller"))?;
    Ok(OwnerFacts {
        registered_keys: epochs[0].keys,
        controller: *attested_controller.as_ref(),
        notice_hash: user.notice_hash,
        notice_version: user.notice_version,
        registrar_key: user.registrar_key,
        registrar_signature: user.registrar_signature,
        rotations,
    })
}

fn evidence_of<C: Chain>(
    chain: &mut C,
    r: &Registered,
    d: &Divs,
    video: &Video,
) -> anyhow::Result<EvidenceBundle> {
    evidence_bundle(chain, &d.consumer, &r.suite, &d.ledger, video.resource)
}

/// The evidence chain of video-1 from the resources flow: PU1 is endorsed in DIVS with its
/// device key and linked; the bundle verifies offline; untrusted anchors, another
/// deployment, a forged resource, a capture after PU1's termination, and video-1's bundle
/// built before the termination (against the head after it) fail.
pub fn evidence<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    r: &Registered,
    d: &Divs,
    up: &Uploaded,
) -> anyhow::Result<()> {
    let pu1 = Ue::with_keys(
        r.pu1.keys.clone(),
        "35-209900-000001-0",
        "89860000000000000001",
        "+8613700000001",
    );
    let tx_id = register_ue(chain, t, d, &d.as1, &pu1, "Alice's PU1")?;
    let link = DivsLink {
        ledger: d.ledger.0.address,
        tx_id,
    };
    let linked = r.suite.devices.link_divs(chain, &r.alice, r.pu1.id, link)?;
    expect_ok(
        t,
        "F.743.24 I.1.2 + Y.2247 7.2.2",
        "Alice",
        "links PU1's device record to its DIVS entry",
        &linked,
        &r.pu1.id.0,
    )?;
    let video = &up.videos[0];
    let bundle = evidence_of(chain, r, d, video)?;
    let anchors = evidence_anchors(chain, r, d)?;
    value(bundle.verify(&anchors))?;
    t.step(
        "F.743.24 I.4 + Y.2247 8.3",
        "Auditor (offline)",
        "checks video-1's evidence: resource ID, PU1's capture signature, PU1's DIVS endorsement valid at capture, Alice's ISP attestation and her signed upload statement",
        "holds",
    );
    let mut untrusted = anchors.clone();
    untrusted.divs.authorities.clear();
    ensure!(
        bundle.verify(&untrusted) == Err(EvidenceError::UntrustedAuthority),
        "untrusted authority accepted"
    );
    let mut elsewhere = anchors.clone();
    elsewhere.registries.resources = d.contract();
    ensure!(
        bundle.verify(&elsewhere) == Err(EvidenceError::OtherDeployment),
        "evidence of another deployment accepted"
    );
    let mut forged = bundle.clone();
    forged.resource.content.multihash = up.videos[1].multihash.clone();
    ensure!(
        forged.verify(&anchors) == Err(EvidenceError::ResourceIdMismatch),
        "forged multihash accepted"
    );
    let mut no_isp = anchors.clone();
    no_isp.registrars.clear();
    ensure!(
        bundle.verify(&no_isp) == Err(EvidenceError::UntrustedRegistrar),
        "untrusted ISP accepted"
    );
    // Bob's genuine ISP attestation spliced in for Alice's: PU1 captured for Alice.
    let bob = user_id(&r.bob);
    let mut spliced = bundle.clone();
    spliced.resource.owner = bob;
    let now = chain.now();
    spliced.owner = owner_facts(chain, &d.consumer, &r.suite, bob, now)?;
    ensure!(
        spliced.verify(&anchors) == Err(EvidenceError::BadCaptureSignature),
        "video-1 claimed for Bob: {:?}",
        spliced.verify(&anchors)
    );
    let mut unsigned = bundle.clone();
    unsigned.resource.owner_signature = None;
    ensure!(
        unsigned.verify(&anchors) == Err(EvidenceError::MissingOwnerSignature),
        "evidence without the owner's upload statement accepted"
    );
    t.step(
        "F.743.24 I.4 + Y.2247 8.3",
        "Auditor (offline)",
        "checks it with no trusted authority, against another deployment's addresses, with a swapped multihash, with no trusted ISP, with Bob's attestation spliced in as owner, without Alice's upload signature",
        "each rejected",
    );

    // PU1's network contract ends; a video captured after that is not covered.
    let mut ended = account_status(chain, "Alice's PU1");
    ended.terminates_at = chain.now();
    ended.state = AccountState::Terminated;
    let termination = endorse(
        &d.as1.keys,
        &d.contract(),
        pu1.parameters(&d.contract(), d.as1.account.as_ref()),
        ended,
        EntryKind::Termination,
        Some(tx_id),
    );
    let called = d.ledger.endorse(chain, &d.as1, &termination)?;
    expect_ok(
        t,
        "Y.2247 7.2.2 (update)",
        "DIVS-AS1",
        "appends PU1's contract termination",
        &called,
        &r.pu1.keys.signing_public().0,
    )?;
    chain.advance_time(chain.minute())?;
    let now = chain.now();
    let late = Video::record(
        up.workdir.path(),
        "video-late",
        1 << 20,
        &r.pu1,
        &r.alice.keys.public().encryption,
        TimeSpan {
            start: now,
            end: now + MINUTE,
        },
    )?;
    let registered = r.suite.resources.register_resource(
        chain,
        &r.cloud,
        &upload_request(r, &late, &r.alice)?,
    )?;
    expect_ok(
        t,
        "F.743.24 I.4 step 2",
        "CloudStore",
        "registers video-late, captured by PU1 after its termination",
        &registered,
        &late.resource.0,
    )?;
    let anchors = evidence_anchors(chain, r, d)?;
    let late_bundle = evidence_of(chain, r, d, &late)?;
    ensure!(
        late_bundle.verify(&anchors) == Err(EvidenceError::CapturedOutsideValidity),
        "late capture accepted"
    );
    // Without the termination, the registration would be PU1's last entry.
    let mut cut = late_bundle.clone();
    cut.entries.retain(|e| e.kind != EntryKind::Termination);
    ensure!(
        cut.verify(&anchors) == Err(EvidenceError::Divs(Check::UntrustedHead)),
        "late capture accepted without the termination: {:?}",
        cut.verify(&anchors)
    );
    ensure!(
        bundle.verify(&anchors) == Err(EvidenceError::Divs(Check::UntrustedHead)),
        "a bundle built before the termination accepted against the head after it"
    );
    value(evidence_of(chain, r, d, video)?.verify(&anchors))?;
    t.step(
        "F.743.24 I.4 + Y.2247 7.2.3",
        "Auditor (offline)",
        "checks, against the ledger's head now, the evidence of video-late, the same without PU1's termination entry, video-1's evidence built before the termination, and video-1's rebuilt",
        "video-late rejected: captured after termination; without the termination, and the old bundle: not at the trusted head; video-1 rebuilt still holds (registration in force at capture)",
    );
    Ok(())
}
