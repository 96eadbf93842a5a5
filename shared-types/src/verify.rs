//! ed25519 verification with `ed25519-zebra` (no_std), and the X25519 key check, shared by
//! the contracts and the SDK.
use crate::{Ed25519PublicKey, Ed25519Signature, X25519PublicKey};
use curve25519_dalek::{edwards::CompressedEdwardsY, montgomery::MontgomeryPoint};

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

/// True when `key` is the canonical encoding of a Curve25519 point that is not of small
/// order: the only X25519 keys to register or seal to. A small-order key makes every
/// Diffie-Hellman with it the all-zero secret (x25519-dalek and HPKE then refuse, or anyone
/// knows the secret); a point on the twist or a non-canonical encoding (u >= p, top bit set)
/// is no key any honest party generates.
pub fn x25519_key_acceptable(key: &X25519PublicKey) -> bool {
    // u = -1 has no Edwards image (`None`); a twist point does not decompress (`None`).
    MontgomeryPoint(key.0)
        .to_edwards(0)
        .is_some_and(|point| !point.is_small_order() && point.to_montgomery().0 == key.0)
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

    /// The 32 little-endian bytes of a u-coordinate written in big-endian hex.
    fn u(big_endian_hex: &str) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        let digits = big_endian_hex.as_bytes();
        for (i, pair) in digits.rchunks(2).enumerate() {
            let pair = core::str::from_utf8(pair).expect("ascii");
            bytes[i] = u8::from_str_radix(pair, 16).expect("hex");
        }
        bytes
    }

    /// Every small-order u-coordinate of Curve25519 and its twist (the list libsodium
    /// refuses): 0, 1, the two points of order 8, p - 1, and p, p + 1 (encodings of 0 and 1).
    const SMALL_ORDER: [&str; 7] = [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000001",
        "00b8495f16056286fdb1329ceb8d09da6ac49ff1fae35616aeb8413b7c7aebe0",
        "57119fd0dd4e22d8868e1c58c45c44045bef839c55b1d0b1248c50a3bc959c5f",
        "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec",
        "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed",
        "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffee",
    ];

    #[test]
    fn small_order_x25519_keys_are_refused() {
        for hex in SMALL_ORDER {
            let mut key = u(hex);
            assert!(!x25519_key_acceptable(&X25519PublicKey(key)), "{hex}");
            // X25519 ignores the top bit (RFC 7748), so the same point with it set.
            key[31] |= 0x80;
            assert!(
                !x25519_key_acceptable(&X25519PublicKey(key)),
                "{hex} | 2^255"
            );
        }
    }

    #[test]
    fn the_curve25519_base_point_is_acceptable() {
        assert!(x25519_key_acceptable(&X25519PublicKey(u("09"))));
    }

    #[test]
    fn a_point_on_the_twist_is_refused() {
        // u = 2: 2^3 + 486662 * 2^2 + 2 is not a square mod 2^255 - 19.
        assert!(!x25519_key_acceptable(&X25519PublicKey(u("02"))));
    }

    #[test]
    fn a_non_canonical_encoding_of_a_good_key_is_refused() {
        // The base point u = 9 with the top bit set, which X25519 ignores.
        let mut key = u("09");
        key[31] |= 0x80;
        assert!(!x25519_key_acceptable(&X25519PublicKey(key)));
    }
}
