//! Application identity keys: ed25519 to sign (`ed25519-zebra`), X25519 to receive
//! encrypted data (`x25519-dalek`). One holder, two separate keys.
use ed25519_zebra::{SigningKey, VerificationKey};
use rand_core::OsRng;
use shared_types::{Ed25519PublicKey, Ed25519Signature, KeySet, X25519PublicKey};
use x25519_dalek::StaticSecret;

/// A user's, device's or authority's key pair set.
#[derive(Clone)]
pub struct KeyPair {
    signing: SigningKey,
    encryption: StaticSecret,
}

impl KeyPair {
    /// Fresh keys from the operating system's random source.
    pub fn generate() -> Self {
        Self {
            signing: SigningKey::new(OsRng),
            encryption: StaticSecret::random_from_rng(OsRng),
        }
    }

    /// Keys from their 32-byte secrets (a key file, or a well-known development key).
    pub fn from_secrets(signing: [u8; 32], encryption: [u8; 32]) -> Self {
        Self {
            signing: SigningKey::from(signing),
            encryption: StaticSecret::from(encryption),
        }
    }

    /// The 32-byte secrets (signing, encryption), for a key file.
    pub fn secrets(&self) -> ([u8; 32], [u8; 32]) {
        (self.signing.into(), self.encryption.to_bytes())
    }

    /// The public halves, as registered on chain.
    pub fn public(&self) -> KeySet {
        KeySet {
            signing: self.signing_public(),
            encryption: X25519PublicKey(x25519_dalek::PublicKey::from(&self.encryption).to_bytes()),
        }
    }

    /// The ed25519 verification key.
    pub fn signing_public(&self) -> Ed25519PublicKey {
        Ed25519PublicKey(VerificationKey::from(&self.signing).into())
    }

    /// The X25519 secret, for decryption inside this crate only.
    pub(crate) fn encryption_secret(&self) -> [u8; 32] {
        self.encryption.to_bytes()
    }

    /// Signs a payload built by `shared_types::payload`.
    pub fn sign(&self, payload: &[u8]) -> Ed25519Signature {
        Ed25519Signature(self.signing.sign(payload).to_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared_types::verify;

    #[test]
    fn keys_round_trip_through_their_secrets() {
        let keys = KeyPair::generate();
        let (signing, encryption) = keys.secrets();
        let again = KeyPair::from_secrets(signing, encryption);
        assert_eq!(again.public(), keys.public());
        assert_eq!(again.sign(b"x"), keys.sign(b"x"));
    }

    #[test]
    fn signatures_verify_only_for_their_key_and_message() {
        let a = KeyPair::generate();
        let b = KeyPair::generate();
        let sig = a.sign(b"statement");
        assert!(verify::ed25519(&a.signing_public(), &sig, b"statement"));
        assert!(!verify::ed25519(&b.signing_public(), &sig, b"statement"));
        assert!(!verify::ed25519(&a.signing_public(), &sig, b"statement."));
        assert_ne!(a.public().signing.0, a.public().encryption.0);
    }
}
