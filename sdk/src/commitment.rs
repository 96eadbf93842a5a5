//! Salted commitments: what goes on chain instead of a hardware serial.
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use shared_types::{payload::serial_commitment_preimage, SerialCommitment};

/// A fresh random salt; the owner keeps it with the serial.
pub fn random_salt() -> [u8; 32] {
    let mut salt = [0u8; 32];
    OsRng.fill_bytes(&mut salt);
    salt
}

/// SHA-256 of the serial's salted preimage.
pub fn serial_commitment(salt: &[u8; 32], serial: &[u8]) -> SerialCommitment {
    SerialCommitment(Sha256::digest(serial_commitment_preimage(salt, serial)).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salt_hides_and_binds_the_serial() {
        let salt = random_salt();
        let c = serial_commitment(&salt, b"SN-0001");
        assert_eq!(c, serial_commitment(&salt, b"SN-0001"));
        assert_ne!(c, serial_commitment(&salt, b"SN-0002"));
        assert_ne!(c, serial_commitment(&random_salt(), b"SN-0001"));
    }
}
