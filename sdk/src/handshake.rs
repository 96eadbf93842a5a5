//! The three-message mutual authentication of F.743.24 I.2 between a requester's CU and an
//! owner's PU, with a temporary key pair for the session.
//!
//! - M1 (CU → PU, sealed to PU1's registered X25519 key): CU ID, the CU's signing key, the
//!   CU's signature, a random nonce. The PU checks the signature and then the ledger: the
//!   key must be the registered key of an active CU/MCU (steps 3-5).
//! - M2 (PU → CU, sealed to the CU's registered X25519 key): PU ID, a fresh temporary key
//!   pair's public halves, nonce+1, signed by the temporary key and by PU1's registered key
//!   (steps 6-7; the root key certifies the temporary one and is never exposed by it).
//! - M3 (CU → PU, sealed to the temporary X25519 key): CU ID, nonce+2, the CU's signature
//!   (step 8).
//!
//! Signed contents come from `shared_types::payload` (domain-tagged, bound to the device
//! registry's address). Sealing is HPKE ([`crate::encryption::seal_message`]), with the
//! message's domain tag as associated data so a message cannot be replayed as another.
//! Every key sealed to is checked first ([`verify::x25519_key_acceptable`]): a registered
//! or temporary key of small order ends the handshake with [`HandshakeError::UnusableKey`].
use crate::encryption::{open_message, seal_message};
use crate::ledger::{DeviceRecord, Ledger, LedgerError};
use crate::KeyPair;
use rand_core::{OsRng, RngCore};
use scale::{Decode, Encode};
use shared_types::{
    payload::{self, domain},
    verify, AccountBytes, DeviceId, DeviceKind, Ed25519PublicKey, Ed25519Signature, KeySet,
    X25519PublicKey,
};

/// Why a handshake step failed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HandshakeError {
    /// The peer device is not on the ledger.
    #[error("device not registered")]
    UnknownDevice,
    /// The peer device or its owner is suspended or revoked (or the owner is unknown), or the
    /// device is of a kind that may not take this role.
    #[error("device or its owner not active, or device of the wrong kind")]
    DeviceNotUsable,
    /// The key presented is not the one on the ledger (I.2 step 5).
    #[error("the presented key is not the registered key")]
    KeyNotOnLedger,
    /// The message could not be opened: not for us, or tampered with.
    #[error("message cannot be decrypted (tampered or not for this session)")]
    Undecryptable,
    /// The message decrypted but is not well formed.
    #[error("malformed message")]
    Malformed,
    /// A signature does not verify.
    #[error("signature does not verify")]
    BadSignature,
    /// The message names other devices than this session's.
    #[error("message for another session")]
    WrongPeer,
    /// The nonce is not the expected one (replay or reordering).
    #[error("unexpected nonce")]
    WrongNonce,
    /// A key to seal to (the peer's registered X25519 key, or PU1's temporary one) is of
    /// small order or not a canonical curve point: no secret could be agreed with it.
    #[error("the peer's encryption key is of small order or not a curve point")]
    UnusableKey,
    /// The ledger could not be asked.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

#[derive(Encode, Decode)]
struct Request {
    cu: DeviceId,
    cu_key: Ed25519PublicKey,
    pu: DeviceId,
    nonce: u64,
    signature: Ed25519Signature,
}

#[derive(Encode, Decode)]
struct Answer {
    pu: DeviceId,
    temporary: KeySet,
    cu: DeviceId,
    nonce: u64,
    temporary_signature: Ed25519Signature,
    pu_signature: Ed25519Signature,
}

#[derive(Encode, Decode)]
struct Confirm {
    cu: DeviceId,
    pu: DeviceId,
    nonce: u64,
    signature: Ed25519Signature,
}

fn open<T: Decode>(keys: &KeyPair, tag: &[u8], sealed: &[u8]) -> Result<T, HandshakeError> {
    let plain = open_message(keys, tag, sealed).map_err(|_| HandshakeError::Undecryptable)?;
    T::decode(&mut &plain[..]).map_err(|_| HandshakeError::Malformed)
}

/// Seals to `recipient`, which comes from the ledger or the peer: refused if it is of small
/// order (every shared secret with it is zero, or known to anyone) or off the curve.
fn seal(
    recipient: &X25519PublicKey,
    tag: &[u8],
    message: impl Encode,
) -> Result<Vec<u8>, HandshakeError> {
    if !verify::x25519_key_acceptable(recipient) {
        return Err(HandshakeError::UnusableKey);
    }
    seal_message(recipient, tag, &message.encode()).map_err(|_| HandshakeError::UnusableKey)
}

/// A registered device as one side of a handshake knows itself.
pub struct DeviceIdentity<'a> {
    /// The device registry both devices are registered in.
    pub registry: AccountBytes,
    /// This device's ID.
    pub id: DeviceId,
    /// This device's registered key pairs.
    pub keys: &'a KeyPair,
}

/// An established session: the peer and the temporary key pair's public halves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The CU.
    pub cu: DeviceId,
    /// The PU.
    pub pu: DeviceId,
    /// The temporary public keys PU1 generated for this authorization (I.2 step 6).
    pub temporary: KeySet,
}

/// The CU's side after sending M1.
pub struct CuHandshake<'a> {
    me: DeviceIdentity<'a>,
    pu: DeviceId,
    pu_keys: KeySet,
    nonce: u64,
}

impl<'a> CuHandshake<'a> {
    /// I.2 steps 1-3: looks PU1's keys up on the ledger and builds M1.
    pub fn start(
        me: DeviceIdentity<'a>,
        pu: DeviceId,
        ledger: &mut impl Ledger,
    ) -> Result<(Self, Vec<u8>), HandshakeError> {
        let view = usable_peer(ledger, &pu, &[DeviceKind::Pu, DeviceKind::Ipu])?;
        let nonce = OsRng.next_u64() >> 2; // room for +1 and +2
        let cu_key = me.keys.signing_public();
        let statement = payload::handshake_request(&me.registry, &me.id, &cu_key, &pu, nonce);
        let m1 = Request {
            cu: me.id,
            cu_key,
            pu,
            nonce,
            signature: me.keys.sign(&statement),
        };
        let sealed = seal(&view.keys.encryption, domain::HANDSHAKE_REQUEST, m1)?;
        Ok((
            Self {
                me,
                pu,
                pu_keys: view.keys,
                nonce,
            },
            sealed,
        ))
    }

    /// I.2 step 8: checks M2 (PU1's registered key and the temporary key both signed it,
    /// nonce+1) and builds M3, sealed to the temporary key.
    pub fn confirm(self, m2: &[u8]) -> Result<(Session, Vec<u8>), HandshakeError> {
        let answer: Answer = open(self.me.keys, domain::HANDSHAKE_ANSWER, m2)?;
        if answer.pu != self.pu || answer.cu != self.me.id {
            return Err(HandshakeError::WrongPeer);
        }
        if Some(answer.nonce) != self.nonce.checked_add(1) {
            return Err(HandshakeError::WrongNonce);
        }
        let statement = payload::handshake_answer(
            &self.me.registry,
            &answer.pu,
            &answer.temporary.signing,
            &answer.temporary.encryption,
            &answer.cu,
            answer.nonce,
        );
        if !verify::ed25519(&self.pu_keys.signing, &answer.pu_signature, &statement)
            || !verify::ed25519(
                &answer.temporary.signing,
                &answer.temporary_signature,
                &statement,
            )
        {
            return Err(HandshakeError::BadSignature);
        }
        let nonce = self
            .nonce
            .checked_add(2)
            .ok_or(HandshakeError::WrongNonce)?;
        let statement = payload::handshake_confirm(
            &self.me.registry,
            &self.me.id,
            &self.pu,
            &answer.temporary.signing,
            nonce,
        );
        let m3 = Confirm {
            cu: self.me.id,
            pu: self.pu,
            nonce,
            signature: self.me.keys.sign(&statement),
        };
        let sealed = seal(&answer.temporary.encryption, domain::HANDSHAKE_CONFIRM, m3)?;
        Ok((
            Session {
                cu: self.me.id,
                pu: self.pu,
                temporary: answer.temporary,
            },
            sealed,
        ))
    }
}

/// The PU's side after answering with M2. Holds the temporary key pair.
pub struct PuHandshake<'a> {
    me: DeviceIdentity<'a>,
    cu: DeviceId,
    cu_key: Ed25519PublicKey,
    nonce: u64,
    temporary: KeyPair,
}

impl<'a> PuHandshake<'a> {
    /// I.2 steps 4-7: opens M1, checks the CU's signature and its key on the ledger,
    /// generates the temporary key pair and builds M2, sealed to the CU's registered key.
    pub fn respond(
        me: DeviceIdentity<'a>,
        m1: &[u8],
        ledger: &mut impl Ledger,
    ) -> Result<(Self, Vec<u8>), HandshakeError> {
        let request: Request = open(me.keys, domain::HANDSHAKE_REQUEST, m1)?;
        if request.pu != me.id {
            return Err(HandshakeError::WrongPeer);
        }
        let statement = payload::handshake_request(
            &me.registry,
            &request.cu,
            &request.cu_key,
            &request.pu,
            request.nonce,
        );
        if !verify::ed25519(&request.cu_key, &request.signature, &statement) {
            return Err(HandshakeError::BadSignature);
        }
        let view = usable_peer(ledger, &request.cu, &[DeviceKind::Cu, DeviceKind::Mcu])?;
        if view.keys.signing != request.cu_key {
            return Err(HandshakeError::KeyNotOnLedger);
        }
        let nonce = request
            .nonce
            .checked_add(1)
            .ok_or(HandshakeError::WrongNonce)?;
        let temporary = KeyPair::generate();
        let temporary_keys = temporary.public();
        let statement = payload::handshake_answer(
            &me.registry,
            &me.id,
            &temporary_keys.signing,
            &temporary_keys.encryption,
            &request.cu,
            nonce,
        );
        let m2 = Answer {
            pu: me.id,
            temporary: temporary_keys,
            cu: request.cu,
            nonce,
            temporary_signature: temporary.sign(&statement),
            pu_signature: me.keys.sign(&statement),
        };
        let sealed = seal(&view.keys.encryption, domain::HANDSHAKE_ANSWER, m2)?;
        Ok((
            Self {
                me,
                cu: request.cu,
                cu_key: request.cu_key,
                nonce: request.nonce,
                temporary,
            },
            sealed,
        ))
    }

    /// The temporary public keys of this session (to grant on chain, SeR-7).
    pub fn temporary_keys(&self) -> KeySet {
        self.temporary.public()
    }

    /// Ends I.2: opens M3 with the temporary key and checks the CU's signature and nonce+2.
    pub fn finish(self, m3: &[u8]) -> Result<Session, HandshakeError> {
        let confirm: Confirm = open(&self.temporary, domain::HANDSHAKE_CONFIRM, m3)?;
        if confirm.cu != self.cu || confirm.pu != self.me.id {
            return Err(HandshakeError::WrongPeer);
        }
        if Some(confirm.nonce) != self.nonce.checked_add(2) {
            return Err(HandshakeError::WrongNonce);
        }
        let temporary = self.temporary.public();
        let statement = payload::handshake_confirm(
            &self.me.registry,
            &self.cu,
            &self.me.id,
            &temporary.signing,
            confirm.nonce,
        );
        if !verify::ed25519(&self.cu_key, &confirm.signature, &statement) {
            return Err(HandshakeError::BadSignature);
        }
        Ok(Session {
            cu: self.cu,
            pu: self.me.id,
            temporary,
        })
    }
}

/// The peer's ledger record, if the peer is active, of one of `kinds`, and its owner is an
/// active user: a device of a suspended or revoked owner takes part in no handshake.
fn usable_peer(
    ledger: &mut impl Ledger,
    device: &DeviceId,
    kinds: &[DeviceKind],
) -> Result<DeviceRecord, HandshakeError> {
    let record = ledger
        .device(device)?
        .ok_or(HandshakeError::UnknownDevice)?;
    let owner_active = ledger
        .user(&record.owner)?
        .is_some_and(|owner| owner.status.is_active());
    if record.status.is_active() && owner_active && kinds.contains(&record.kind) {
        Ok(record)
    } else {
        Err(HandshakeError::DeviceNotUsable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::MemoryLedger;
    use contract_fixtures::{device, user};
    use shared_types::{Status, UserId};

    const REGISTRY: AccountBytes = [0xde; 32];
    const PU: DeviceId = DeviceId([1; 32]);
    const CU: DeviceId = DeviceId([2; 32]);
    const PU_OWNER: UserId = UserId([3; 32]);
    const CU_OWNER: UserId = UserId([4; 32]);

    fn ledger(pu: &KeyPair, cu: &KeyPair) -> MemoryLedger {
        let mut ledger = MemoryLedger::default();
        ledger
            .devices
            .insert(PU, device(PU_OWNER, DeviceKind::Pu, pu.public()));
        ledger
            .devices
            .insert(CU, device(CU_OWNER, DeviceKind::Cu, cu.public()));
        for (owner, controller) in [(PU_OWNER, 3), (CU_OWNER, 4)] {
            let keys = KeyPair::generate().public();
            ledger.users.insert(owner, user(keys, controller));
        }
        ledger
    }

    #[test]
    fn a_device_of_an_inactive_or_unknown_owner_takes_part_in_no_handshake() {
        let (pu, cu) = (KeyPair::generate(), KeyPair::generate());
        let mut l = ledger(&pu, &cu);
        let (_, m1) = CuHandshake::start(me(CU, &cu), PU, &mut l).unwrap();
        // Each side refuses because of the PEER's owner: the other owner stays active.
        for (owner, active) in [(PU_OWNER, false), (CU_OWNER, true)] {
            l.users.get_mut(&owner).unwrap().status = status(active);
        }
        assert_eq!(
            CuHandshake::start(me(CU, &cu), PU, &mut l).err(),
            Some(HandshakeError::DeviceNotUsable)
        );
        assert!(PuHandshake::respond(me(PU, &pu), &m1, &mut l).is_ok());
        for (owner, active) in [(PU_OWNER, true), (CU_OWNER, false)] {
            l.users.get_mut(&owner).unwrap().status = status(active);
        }
        assert_eq!(
            PuHandshake::respond(me(PU, &pu), &m1, &mut l).err(),
            Some(HandshakeError::DeviceNotUsable)
        );
        assert!(CuHandshake::start(me(CU, &cu), PU, &mut l).is_ok());
        // An owner the identity registry does not know, on either side.
        for owner in [PU_OWNER, CU_OWNER] {
            let mut unknown = ledger(&pu, &cu);
            unknown.users.remove(&owner);
            let refused = if owner == PU_OWNER {
                CuHandshake::start(me(CU, &cu), PU, &mut unknown).err()
            } else {
                PuHandshake::respond(me(PU, &pu), &m1, &mut unknown).err()
            };
            assert_eq!(refused, Some(HandshakeError::DeviceNotUsable));
        }
    }

    fn status(active: bool) -> Status {
        if active {
            Status::Active
        } else {
            Status::Suspended
        }
    }

    fn me(id: DeviceId, keys: &KeyPair) -> DeviceIdentity<'_> {
        DeviceIdentity {
            registry: REGISTRY,
            id,
            keys,
        }
    }

    #[test]
    fn both_sides_agree_on_the_session() {
        let (pu, cu) = (KeyPair::generate(), KeyPair::generate());
        let mut l = ledger(&pu, &cu);
        let (cu_side, m1) = CuHandshake::start(me(CU, &cu), PU, &mut l).unwrap();
        let (pu_side, m2) = PuHandshake::respond(me(PU, &pu), &m1, &mut l).unwrap();
        let temporary = pu_side.temporary_keys();
        let (cu_session, m3) = cu_side.confirm(&m2).unwrap();
        let pu_session = pu_side.finish(&m3).unwrap();
        assert_eq!(cu_session, pu_session);
        assert_eq!(pu_session.temporary, temporary);
    }

    #[test]
    fn impostors_tampering_and_replays_fail() {
        let (pu, cu, eve) = (
            KeyPair::generate(),
            KeyPair::generate(),
            KeyPair::generate(),
        );
        let mut l = ledger(&pu, &cu);
        // Eve claims to be the CU with her own key: the ledger has another key.
        let (_, m1) = CuHandshake::start(me(CU, &eve), PU, &mut l).unwrap();
        assert_eq!(
            PuHandshake::respond(me(PU, &pu), &m1, &mut l).err(),
            Some(HandshakeError::KeyNotOnLedger)
        );
        // A tampered M2 does not open.
        let (cu_side, m1) = CuHandshake::start(me(CU, &cu), PU, &mut l).unwrap();
        let (_, mut m2) = PuHandshake::respond(me(PU, &pu), &m1, &mut l).unwrap();
        m2[40] ^= 1;
        assert_eq!(
            cu_side.confirm(&m2).err(),
            Some(HandshakeError::Undecryptable)
        );
        // An M3 of an earlier session does not open under this session's temporary key.
        let (cu_side, m1) = CuHandshake::start(me(CU, &cu), PU, &mut l).unwrap();
        let (first, m2) = PuHandshake::respond(me(PU, &pu), &m1, &mut l).unwrap();
        let (_, old_m3) = cu_side.confirm(&m2).unwrap();
        first.finish(&old_m3).unwrap();
        let (_, m1) = CuHandshake::start(me(CU, &cu), PU, &mut l).unwrap();
        let (second, _) = PuHandshake::respond(me(PU, &pu), &m1, &mut l).unwrap();
        assert_eq!(
            second.finish(&old_m3).err(),
            Some(HandshakeError::Undecryptable)
        );
        // An M2 of an earlier session, replayed to the CU of a new one, answers the old nonce.
        let (old_session, m1) = CuHandshake::start(me(CU, &cu), PU, &mut l).unwrap();
        let (_, old_m2) = PuHandshake::respond(me(PU, &pu), &m1, &mut l).unwrap();
        old_session.confirm(&old_m2).unwrap();
        let (new_session, _) = CuHandshake::start(me(CU, &cu), PU, &mut l).unwrap();
        assert_eq!(
            new_session.confirm(&old_m2).err(),
            Some(HandshakeError::WrongNonce)
        );
        // M1 replayed as M3 (another message type) does not open either.
        let (_, m1) = CuHandshake::start(me(CU, &cu), PU, &mut l).unwrap();
        assert!(CuHandshake::start(me(CU, &cu), DeviceId([9; 32]), &mut l).is_err());
        assert_eq!(
            PuHandshake::respond(me(PU, &eve), &m1, &mut l).err(),
            Some(HandshakeError::Undecryptable)
        );
    }
}
