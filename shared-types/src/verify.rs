//! ed25519 verification with `ed25519-zebra` (no_std), shared by the contracts and the SDK.
use crate::{Ed25519PublicKey, Ed25519Signature};

/// True when `signature` is a valid ed25519 signature of `message` under `key`
/// (ZIP-215 rules). A key that is not a valid curve point simply fails.
pub fn ed25519(key: &Ed25519PublicKey, signature: &Ed25519Signature, message: &[u8]) -> bool {
    let Ok(key) = ed25519_zebra::VerificationKey::try_from(key.0) else {
        return false;
    };
    key.verify(&ed25519_zebra::Signature::from_bytes(&signature.0), message)
        .is_ok()
}
