//! Inputs an attacker controls must not crash a device or open more than was granted: a
//! small-order X25519 key in the registry or in an M2 (I.2 handshake), and an authorization
//! code's presentation seen in transit (I.3): replayed, taken to another store, stretched
//! to another resource or beyond its window.
use contract_fixtures::{device, user};
use scale::{Decode, Encode};
use std::collections::BTreeMap;
use vssi_sdk::authcode::{AuthorizationCode, CodeError, CodeStore, Presentation};
use vssi_sdk::encryption::{open_message, seal_message};
use vssi_sdk::handshake::{CuHandshake, DeviceIdentity, HandshakeError, PuHandshake};
use vssi_sdk::ledger::{AgreementView, DeviceRecord, Ledger, LedgerError, UserRecord};
use vssi_sdk::shared_types::{
    payload::{self, domain},
    AccountBytes, AgreementId, DeviceId, DeviceKind, Ed25519PublicKey, Ed25519Signature, KeySet,
    ResourceId, UserId, Window, X25519PublicKey,
};
use vssi_sdk::KeyPair;

const REGISTRY: AccountBytes = [0xde; 32];
const SHARING: AccountBytes = [0x5c; 32];
const PU: DeviceId = DeviceId([1; 32]);
const CU: DeviceId = DeviceId([2; 32]);
const ALICE: UserId = UserId([0xa1; 32]);
const BOB: UserId = UserId([0xb0; 32]);
const R1: ResourceId = ResourceId([0x71; 32]);
const R2: ResourceId = ResourceId([0x72; 32]);
/// u = 0, a point of order 2: every Diffie-Hellman with it is the all-zero secret.
const LOW_ORDER: X25519PublicKey = X25519PublicKey([0; 32]);

/// What the registries and sharing_policy would answer.
#[derive(Default)]
struct Chain {
    devices: BTreeMap<DeviceId, DeviceRecord>,
    users: BTreeMap<UserId, UserRecord>,
    agreements: BTreeMap<AgreementId, AgreementView>,
}

impl Ledger for Chain {
    fn device(&mut self, device: &DeviceId) -> Result<Option<DeviceRecord>, LedgerError> {
        Ok(self.devices.get(device).cloned())
    }
    fn user(&mut self, user: &UserId) -> Result<Option<UserRecord>, LedgerError> {
        Ok(self.users.get(user).cloned())
    }
    fn agreement(&mut self, agreement: AgreementId) -> Result<Option<AgreementView>, LedgerError> {
        Ok(self.agreements.get(&agreement).cloned())
    }
}

fn me(id: DeviceId, keys: &KeyPair) -> DeviceIdentity<'_> {
    DeviceIdentity {
        registry: REGISTRY,
        id,
        keys,
    }
}

/// PU1 (Alice's) and a CU (Bob's) registered with these keys, both owners active.
fn handshake_chain(pu: KeySet, cu: KeySet) -> Chain {
    let mut chain = Chain::default();
    chain.devices.insert(PU, device(ALICE, DeviceKind::Pu, pu));
    chain.devices.insert(CU, device(BOB, DeviceKind::Cu, cu));
    for (owner, controller) in [(ALICE, 0xa1), (BOB, 0xb0)] {
        let keys = KeyPair::generate().public();
        chain.users.insert(owner, user(keys, controller));
    }
    chain
}

#[test]
fn a_cu_registered_with_a_low_order_x25519_key_cannot_crash_the_pu() {
    let (pu, mallory) = (KeyPair::generate(), KeyPair::generate());
    // Mallory registers her CU with her own signing key and a small-order X25519 key.
    let cu_keys = KeySet {
        signing: mallory.signing_public(),
        encryption: LOW_ORDER,
    };
    let mut chain = handshake_chain(pu.public(), cu_keys);
    let (_, m1) = CuHandshake::start(me(CU, &mallory), PU, &mut chain).unwrap();
    let answer = PuHandshake::respond(me(PU, &pu), &m1, &mut chain);
    assert_eq!(answer.err(), Some(HandshakeError::UnusableKey));
}

#[test]
fn a_pu_registered_with_a_low_order_x25519_key_cannot_crash_the_cu() {
    let (mallory, cu) = (KeyPair::generate(), KeyPair::generate());
    let pu_keys = KeySet {
        signing: mallory.signing_public(),
        encryption: LOW_ORDER,
    };
    let mut chain = handshake_chain(pu_keys, cu.public());
    let started = CuHandshake::start(me(CU, &cu), PU, &mut chain);
    assert_eq!(started.err(), Some(HandshakeError::UnusableKey));
}

#[test]
fn a_pu_answering_with_a_low_order_temporary_key_cannot_crash_the_cu() {
    let (mallory, cu) = (KeyPair::generate(), KeyPair::generate());
    let mut chain = handshake_chain(mallory.public(), cu.public());
    let (cu_side, m1) = CuHandshake::start(me(CU, &cu), PU, &mut chain).unwrap();
    // Mallory owns PU1: she opens M1 and answers with a temporary "key" of small order,
    // signed by her registered key and by the temporary signing key she made.
    let plain = open_message(&mallory, domain::HANDSHAKE_REQUEST, &m1).unwrap();
    let (cu_id, _, pu_id, nonce, _): (DeviceId, Ed25519PublicKey, DeviceId, u64, Ed25519Signature) =
        Decode::decode(&mut &plain[..]).unwrap();
    let temporary_signer = KeyPair::generate();
    let temporary = KeySet {
        signing: temporary_signer.signing_public(),
        encryption: LOW_ORDER,
    };
    let statement = payload::handshake_answer(
        &REGISTRY,
        &pu_id,
        &temporary.signing,
        &temporary.encryption,
        &cu_id,
        nonce + 1,
    );
    let answer = (
        pu_id,
        temporary,
        cu_id,
        nonce + 1,
        temporary_signer.sign(&statement),
        mallory.sign(&statement),
    );
    let m2 = seal_message(
        &cu.public().encryption,
        domain::HANDSHAKE_ANSWER,
        &answer.encode(),
    )
    .unwrap();
    assert_eq!(
        cu_side.confirm(&m2).err(),
        Some(HandshakeError::UnusableKey)
    );
}

/// Alice's PU1 video R1 and R2, Bob's agreement 0 over both, Bob's CU.
struct Sharing {
    chain: Chain,
    alice: KeyPair,
    cu: KeyPair,
}

fn sharing() -> Sharing {
    let (alice, cu) = (KeyPair::generate(), KeyPair::generate());
    let mut chain = Chain::default();
    chain.devices.insert(
        PU,
        device(ALICE, DeviceKind::Pu, KeyPair::generate().public()),
    );
    chain
        .devices
        .insert(CU, device(BOB, DeviceKind::Cu, cu.public()));
    chain.users.insert(ALICE, user(alice.public(), 0xa1));
    chain.agreements.insert(
        AgreementId(0),
        AgreementView {
            owner: ALICE,
            requester: BOB,
            resources: vec![R1, R2],
            usable: true,
        },
    );
    Sharing { chain, alice, cu }
}

const STORE_A: AccountBytes = [0x5a; 32];
const STORE_B: AccountBytes = [0x5b; 32];
const NOW: u64 = 50;
const EXPIRES: u64 = 1_000_000;

/// Alice's code for Bob's CU: R1 and R2, segments 0-7, until [`EXPIRES`].
fn code(s: &Sharing) -> AuthorizationCode {
    let window = Some(Window::segments(0, 7));
    AuthorizationCode::issue(
        &s.alice,
        &SHARING,
        AgreementId(0),
        CU,
        PU,
        vec![R1, R2],
        window,
        EXPIRES,
    )
}

/// Bob's CU presents `code` at `store` for R1, segments 2-3, answering a fresh challenge.
fn presented(
    s: &Sharing,
    store: &mut CodeStore,
    id: AccountBytes,
    code: &AuthorizationCode,
) -> Presentation {
    let challenge = store.challenge(NOW);
    code.present(
        &s.cu,
        &SHARING,
        id,
        challenge,
        R1,
        Some(Window::segments(2, 3)),
    )
}

/// `store` refuses `presentation` with `expected` and is left as it was.
fn refused(
    s: &mut Sharing,
    store: &mut CodeStore,
    code: &AuthorizationCode,
    presentation: &Presentation,
    expected: CodeError,
) {
    let before = store.clone();
    assert_eq!(
        store.redeem(code, presentation, NOW, &mut s.chain),
        Err(expected)
    );
    assert_eq!(*store, before, "a refused presentation changed the store");
}

#[test]
fn a_presentation_seen_in_transit_cannot_be_replayed() {
    let mut s = sharing();
    let mut store = CodeStore::new(STORE_A, SHARING);
    let code = code(&s);
    let presentation = presented(&s, &mut store, STORE_A, &code);
    // Eve sees code and presentation go by. Moved to a fresh challenge of her own, it is
    // not the CU's signature.
    let mut fresh = presentation.clone();
    fresh.challenge = store.challenge(NOW);
    refused(&mut s, &mut store, &code, &fresh, CodeError::WrongDevice);
    assert_eq!(
        store.redeem(&code, &presentation, NOW, &mut s.chain),
        Ok(())
    );
    // Presented again as it was: the challenge is taken.
    refused(
        &mut s,
        &mut store,
        &code,
        &presentation,
        CodeError::UnknownChallenge,
    );
    // And even Bob's CU gets R1 once under this code.
    let again = presented(&s, &mut store, STORE_A, &code);
    refused(&mut s, &mut store, &code, &again, CodeError::AlreadyServed);
}

#[test]
fn a_presentation_to_one_store_is_refused_by_another_store() {
    let mut s = sharing();
    let (mut store_a, mut store_b) = (
        CodeStore::new(STORE_A, SHARING),
        CodeStore::new(STORE_B, SHARING),
    );
    let code = code(&s);
    let for_a = presented(&s, &mut store_a, STORE_A, &code);
    // Eve takes it to store B, as it is, then renamed to B and answering B's challenge.
    refused(&mut s, &mut store_b, &code, &for_a, CodeError::WrongStore);
    let mut renamed = for_a.clone();
    renamed.store = STORE_B;
    renamed.challenge = store_b.challenge(NOW);
    refused(
        &mut s,
        &mut store_b,
        &code,
        &renamed,
        CodeError::WrongDevice,
    );
    assert_eq!(store_a.redeem(&code, &for_a, NOW, &mut s.chain), Ok(()));
}

#[test]
fn a_presentation_for_one_resource_cannot_fetch_another() {
    let mut s = sharing();
    let mut store = CodeStore::new(STORE_A, SHARING);
    let code = code(&s);
    // Bob's CU asked for R1; Eve asks for R2, which the code also covers, with it.
    let mut other = presented(&s, &mut store, STORE_A, &code);
    other.resource = R2;
    refused(&mut s, &mut store, &code, &other, CodeError::WrongDevice);
}

#[test]
fn a_request_outside_the_codes_window_is_refused() {
    let mut s = sharing();
    let mut store = CodeStore::new(STORE_A, SHARING);
    let code = code(&s);
    // Eve widens the window Bob's CU asked for (2-3) to the code's (0-7); Bob's CU itself
    // asks for more than 0-7, in other units, or the whole video.
    let mut widened = presented(&s, &mut store, STORE_A, &code);
    widened.window = Some(Window::segments(0, 7));
    refused(&mut s, &mut store, &code, &widened, CodeError::WrongDevice);
    for window in [Some(Window::segments(6, 8)), Some(Window::time(0, 7)), None] {
        let challenge = store.challenge(NOW);
        let beyond = code.present(&s.cu, &SHARING, STORE_A, challenge, R1, window);
        refused(&mut s, &mut store, &code, &beyond, CodeError::OutOfScope);
    }
}

#[test]
fn a_presentation_after_expiry_or_a_lapsed_challenge_is_refused() {
    let mut s = sharing();
    let mut store = CodeStore::new(STORE_A, SHARING);
    let code = code(&s);
    let presentation = presented(&s, &mut store, STORE_A, &code);
    let before = store.clone();
    assert_eq!(
        store.redeem(&code, &presentation, EXPIRES + 1, &mut s.chain),
        Err(CodeError::Expired)
    );
    let lapsed = NOW + vssi_sdk::authcode::CHALLENGE_MS + 1;
    assert_eq!(
        store.redeem(&code, &presentation, lapsed, &mut s.chain),
        Err(CodeError::UnknownChallenge)
    );
    assert_eq!(store, before);
    let made_up = Presentation {
        challenge: [0x99; 16],
        ..presentation
    };
    refused(
        &mut s,
        &mut store,
        &code,
        &made_up,
        CodeError::UnknownChallenge,
    );
}
