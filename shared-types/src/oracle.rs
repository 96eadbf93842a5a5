//! Who signed what, as the suite's registries answer it. The identity and device registries
//! hold the keys and the ed25519 code; the other contracts ask them across contracts
//! (keeping their own code under 64 KiB), and off-chain code and unit tests answer from
//! keys they hold.
use crate::{DeviceId, Ed25519Signature, TimeSpan, UserId};

/// Answers whether a registered user or device signed a statement with its key.
pub trait SignatureOracle {
    /// `Some(true)` when `signature` of `statement` verifies under the user's current key;
    /// `None` when the question could not be answered (unknown user, failed call).
    fn user_signed(
        &self,
        user: &UserId,
        statement: &[u8],
        signature: &Ed25519Signature,
    ) -> Option<bool>;

    /// As [`Self::user_signed`], for the device's key valid throughout `span` (from its
    /// start, or registration if later, to its end), while the device is in service.
    fn device_signed(
        &self,
        device: &DeviceId,
        span: &TimeSpan,
        statement: &[u8],
        signature: &Ed25519Signature,
    ) -> Option<bool>;
}
