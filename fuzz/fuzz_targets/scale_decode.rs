//! SCALE decoding of every type in shared-types: the first byte picks the type, the rest is
//! its encoding. Whatever decodes must re-encode to bytes that decode to the same value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scale::{Decode, Encode};
use shared_types::*;

fn round_trip<T: Decode + Encode + PartialEq + std::fmt::Debug>(mut input: &[u8]) {
    if let Ok(value) = T::decode(&mut input) {
        let encoded = value.encode();
        let again = T::decode(&mut &encoded[..]).expect("a value's encoding decodes");
        assert_eq!(again, value, "decode(encode(x)) != x");
    }
}

/// One `round_trip::<T>` per type, chosen by the selector byte.
macro_rules! by_selector {
    ($selector:expr, $input:expr, $($ty:ty),+ $(,)?) => {{
        let types: &[fn(&[u8])] = &[$(round_trip::<$ty>),+];
        types[usize::from($selector) % types.len()]($input)
    }};
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else {
        return;
    };
    by_selector!(
        selector,
        input,
        AccountState,
        AccountStatus,
        Endorsement,
        EndorsementBatch,
        Entry,
        EntryAddress,
        EntryKind,
        IdentityCommitment,
        PartialAnswer,
        SignatureAlgorithm,
        UeIdentity,
        UeParameters,
        DeviceId,
        Ed25519PublicKey,
        Ed25519Signature,
        ResourceId,
        SerialCommitment,
        UserId,
        X25519PublicKey,
        HashAlgorithm,
        Multihash,
        MultihashError,
        KeySet,
        Classification,
        Permissions,
        PolicyTerms,
        ResourceContent,
        SegmentTree,
        TimeSpan,
        Window,
        WindowUnit,
        DeviceKind,
        Status,
    );
});
