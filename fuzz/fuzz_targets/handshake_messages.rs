//! The I.2 handshake on attacker-chosen input: no input panics either side. The first byte
//! picks what the input is: the plaintext of M1, M2 or M3, sealed properly to its recipient
//! so that decoding and handling are reached (not only decryption); the raw sealed bytes of
//! one of them; or the X25519 key the ledger holds for the PU or for the CU, with which a
//! genuine handshake is run (refused with `UnusableKey` exactly when the key is of small
//! order or not a canonical curve point).
#![no_main]
use contract_fixtures::{device, user};
use libfuzzer_sys::fuzz_target;
use shared_types::{
    payload::domain, verify, AccountBytes, AgreementId, DeviceId, DeviceKind, KeySet, UserId,
    X25519PublicKey,
};
use std::sync::OnceLock;
use vssi_sdk::encryption::seal_message;
use vssi_sdk::handshake::{CuHandshake, DeviceIdentity, HandshakeError, PuHandshake};
use vssi_sdk::ledger::{AgreementView, DeviceRecord, Ledger, LedgerError, UserRecord};
use vssi_sdk::KeyPair;

const REGISTRY: AccountBytes = [0xde; 32];
const PU: DeviceId = DeviceId([1; 32]);
const CU: DeviceId = DeviceId([2; 32]);

/// The two registered devices and their owner, as the registries would answer.
struct Devices {
    pu: KeySet,
    cu: KeySet,
}

impl Ledger for Devices {
    fn device(&mut self, id: &DeviceId) -> Result<Option<DeviceRecord>, LedgerError> {
        let owner = UserId([0; 32]);
        Ok(match *id {
            PU => Some(device(owner, DeviceKind::Pu, self.pu)),
            CU => Some(device(owner, DeviceKind::Cu, self.cu)),
            _ => None,
        })
    }
    /// Both devices' owner, active (the handshake refuses devices of inactive owners).
    fn user(&mut self, _: &UserId) -> Result<Option<UserRecord>, LedgerError> {
        Ok(Some(user(keys().0.public(), 0)))
    }
    fn agreement(&mut self, _: AgreementId) -> Result<Option<AgreementView>, LedgerError> {
        Ok(None)
    }
}

fn keys() -> &'static (KeyPair, KeyPair) {
    static KEYS: OnceLock<(KeyPair, KeyPair)> = OnceLock::new();
    KEYS.get_or_init(|| (KeyPair::generate(), KeyPair::generate()))
}

fn me(id: DeviceId, keys: &KeyPair) -> DeviceIdentity<'_> {
    DeviceIdentity {
        registry: REGISTRY,
        id,
        keys,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, input)) = data.split_first() else {
        return;
    };
    let (pu, cu) = keys();
    let mut ledger = Devices {
        pu: pu.public(),
        cu: cu.public(),
    };
    let sealed = |to: &X25519PublicKey, tag| seal_message(to, tag, input).expect("a real key");
    match mode % 6 {
        // M1 plaintext, sealed to PU1.
        0 => {
            let _ = PuHandshake::respond(
                me(PU, pu),
                &sealed(&ledger.pu.encryption, domain::HANDSHAKE_REQUEST),
                &mut ledger,
            );
        }
        // M2 plaintext, sealed to the CU, in answer to a real M1.
        1 => {
            let (cu_side, _) = CuHandshake::start(me(CU, cu), PU, &mut ledger).expect("M1");
            let _ = cu_side.confirm(&sealed(&ledger.cu.encryption, domain::HANDSHAKE_ANSWER));
        }
        // M3 plaintext, sealed to this session's temporary key.
        2 => {
            let (_, m1) = CuHandshake::start(me(CU, cu), PU, &mut ledger).expect("M1");
            let (pu_side, _) = PuHandshake::respond(me(PU, pu), &m1, &mut ledger).expect("M2");
            let temporary = pu_side.temporary_keys().encryption;
            let _ = pu_side.finish(&sealed(&temporary, domain::HANDSHAKE_CONFIRM));
        }
        // Raw bytes as each sealed message.
        3 => {
            let _ = PuHandshake::respond(me(PU, pu), input, &mut ledger);
            let (cu_side, m1) = CuHandshake::start(me(CU, cu), PU, &mut ledger).expect("M1");
            let _ = cu_side.confirm(input);
            let (pu_side, _) = PuHandshake::respond(me(PU, pu), &m1, &mut ledger).expect("M2");
            let _ = pu_side.finish(input);
        }
        // The ledger's X25519 key for PU1 (mode 4: the CU seals M1 to it) or for the CU
        // (mode 5: PU1 seals M2 to it).
        mode => {
            let mut key = [0u8; 32];
            let len = input.len().min(32);
            key[..len].copy_from_slice(&input[..len]);
            let key = X25519PublicKey(key);
            let usable = verify::x25519_key_acceptable(&key);
            if mode == 4 {
                ledger.pu.encryption = key;
                let started = CuHandshake::start(me(CU, cu), PU, &mut ledger);
                assert_eq!(started.is_ok(), usable);
                if let Err(e) = started {
                    assert_eq!(e, HandshakeError::UnusableKey);
                }
            } else {
                let (_, m1) = CuHandshake::start(me(CU, cu), PU, &mut ledger).expect("M1");
                ledger.cu.encryption = key;
                let answered = PuHandshake::respond(me(PU, pu), &m1, &mut ledger);
                assert_eq!(answered.is_ok(), usable);
                if let Err(e) = answered {
                    assert_eq!(e, HandshakeError::UnusableKey);
                }
            }
        }
    }
});
