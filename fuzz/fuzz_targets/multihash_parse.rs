//! Multihash parsing: arbitrary bytes never panic; what parses keeps its bytes, agrees with
//! its SCALE decoding, and re-wraps to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scale::{Decode, Encode};
use shared_types::Multihash;

fuzz_target!(|data: &[u8]| {
    let parsed = Multihash::from_bytes(data);
    if let Ok(multihash) = &parsed {
        assert_eq!(multihash.as_bytes(), data);
        let rewrapped = Multihash::wrap(multihash.algorithm(), multihash.digest())
            .expect("a parsed digest has its algorithm's length");
        assert_eq!(&rewrapped, multihash);
    }
    // The same bytes as a SCALE `Vec<u8>` decode exactly when they parse.
    let decoded = Multihash::decode(&mut &data.to_vec().encode()[..]);
    assert_eq!(decoded.ok(), parsed.ok());
});
