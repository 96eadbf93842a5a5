//! ed25519 verification with `ed25519-zebra` (no_std), shared by the contracts and the SDK.
use crate::{Ed25519PublicKey, Ed25519Signature};
use curve25519_dalek::edwards::CompressedEdwardsY;

/// True when `signature` is a valid ed25519 signature of `message` under `key`
/// (ZIP-215 rules). A key that is not a valid curve point simply fails, and so does a key
/// of small order: ZIP-215 accepts signatures under such keys that anyone can make for any
/// message, so none is taken from them.
pub fn ed25519(key: &Ed25519PublicKey, signature: &Ed25519Signature, message: &[u8]) -> bool {
    let small_order = CompressedEdwardsY(key.0)
        .decompress()
        .is_none_or(|point| point.is_small_order());
    if small_order {
        return false;
    }
    let Ok(key) = ed25519_zebra::VerificationKey::try_from(key.0) else {
        return false;
    };
    key.verify(&ed25519_zebra::Signature::from_bytes(&signature.0), message)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The identity point, a small-order key, and a "signature" nobody had to sign:
    /// R = identity, s = 0 satisfies ZIP-215's cofactored equation for every message.
    const IDENTITY: [u8; 32] = {
        let mut bytes = [0u8; 32];
        bytes[0] = 1;
        bytes
    };
    const FORGED: [u8; 64] = {
        let mut bytes = [0u8; 64];
        bytes[0] = 1;
        bytes
    };

    #[test]
    fn signatures_under_small_order_keys_are_refused() {
        let zebra = ed25519_zebra::VerificationKey::try_from(IDENTITY).expect("a curve point");
        let forged = ed25519_zebra::Signature::from_bytes(&FORGED);
        assert!(
            zebra.verify(&forged, b"any message").is_ok(),
            "ZIP-215 accepts it"
        );
        assert!(!ed25519(
            &Ed25519PublicKey(IDENTITY),
            &Ed25519Signature(FORGED),
            b"any message"
        ));
    }
}
