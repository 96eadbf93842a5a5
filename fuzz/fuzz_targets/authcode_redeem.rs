//! A cloud store redeeming an authorization code (I.3 step 3). The input is a list of
//! (offset, xor) edits applied to the encoding of one valid (code, presentation) pair, made
//! here with its own keys for a store with the presentation's challenge pending. Whatever
//! still decodes must not panic the store, and if the store accepts it, it is the pair as
//! made: every byte of both is signed (the code by the owner, the request by the CU).
#![no_main]
use contract_fixtures::{device, user};
use libfuzzer_sys::fuzz_target;
use scale::{Decode, Encode};
use shared_types::{AgreementId, DeviceId, DeviceKind, ResourceId, UserId, Window};
use std::sync::OnceLock;
use vssi_sdk::authcode::{AuthorizationCode, CodeStore, Presentation};
use vssi_sdk::ledger::{AgreementView, DeviceRecord, Ledger, LedgerError, UserRecord};
use vssi_sdk::KeyPair;

const SHARING: [u8; 32] = [0x5c; 32];
const STORE: [u8; 32] = [0x5e; 32];
const ALICE: UserId = UserId([0xa1; 32]);
const BOB: UserId = UserId([0xb0; 32]);
const PU: DeviceId = DeviceId([1; 32]);
const CU: DeviceId = DeviceId([2; 32]);
const R1: ResourceId = ResourceId([0x71; 32]);
const R2: ResourceId = ResourceId([0x72; 32]);
const NOW: u64 = 50;

/// Alice's PU, Bob's CU, Alice, and Bob's agreement 0 over R1 and R2.
struct Chain {
    pu: DeviceRecord,
    cu: DeviceRecord,
    alice: UserRecord,
}

impl Ledger for Chain {
    fn device(&mut self, device: &DeviceId) -> Result<Option<DeviceRecord>, LedgerError> {
        Ok(match *device {
            PU => Some(self.pu.clone()),
            CU => Some(self.cu.clone()),
            _ => None,
        })
    }
    fn user(&mut self, user: &UserId) -> Result<Option<UserRecord>, LedgerError> {
        Ok((*user == ALICE).then(|| self.alice.clone()))
    }
    fn agreement(&mut self, agreement: AgreementId) -> Result<Option<AgreementView>, LedgerError> {
        Ok((agreement == AgreementId(0)).then(|| AgreementView {
            owner: ALICE,
            requester: BOB,
            resources: vec![R1, R2],
            usable: true,
        }))
    }
}

struct Valid {
    chain: Chain,
    store: CodeStore,
    pair: (AuthorizationCode, Presentation),
    encoded: Vec<u8>,
}

fn valid() -> &'static Valid {
    static VALID: OnceLock<Valid> = OnceLock::new();
    VALID.get_or_init(|| {
        let (alice, cu) = (KeyPair::generate(), KeyPair::generate());
        let mut chain = Chain {
            pu: device(ALICE, DeviceKind::Pu, KeyPair::generate().public()),
            cu: device(BOB, DeviceKind::Cu, cu.public()),
            alice: user(alice.public(), 0xa1),
        };
        let window = Some(Window::segments(0, 7));
        let code = AuthorizationCode::issue(
            &alice,
            &SHARING,
            AgreementId(0),
            CU,
            PU,
            vec![R1, R2],
            window,
            100,
        );
        let mut store = CodeStore::new(STORE, SHARING);
        let challenge = store.challenge(NOW);
        let asked = Some(Window::segments(2, 3));
        let presentation = code.present(&cu, &SHARING, STORE, challenge, R1, asked);
        let pair = (code, presentation);
        let mut trial = store.clone();
        assert_eq!(
            trial.redeem(&pair.0, &pair.1, NOW, &mut chain),
            Ok(()),
            "the made pair"
        );
        let encoded = pair.encode();
        Valid {
            chain,
            store,
            pair,
            encoded,
        }
    })
}

fuzz_target!(|edits: &[u8]| {
    let made = valid();
    let mut bytes = made.encoded.clone();
    for edit in edits.chunks_exact(3) {
        let offset = usize::from(u16::from_le_bytes([edit[0], edit[1]])) % bytes.len();
        bytes[offset] ^= edit[2];
    }
    let Ok(pair) = <(AuthorizationCode, Presentation)>::decode(&mut &bytes[..]) else {
        return;
    };
    let mut chain = Chain {
        pu: made.chain.pu.clone(),
        cu: made.chain.cu.clone(),
        alice: made.chain.alice.clone(),
    };
    let mut store = made.store.clone();
    if store.redeem(&pair.0, &pair.1, NOW, &mut chain).is_ok() {
        assert_eq!(
            pair, made.pair,
            "a changed code or presentation was accepted"
        );
    } else {
        assert_eq!(store, made.store, "a refusal changed the store");
    }
});
