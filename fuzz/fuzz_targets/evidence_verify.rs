//! Evidence bundle verification: arbitrary bytes, decoded as a bundle, never panic the
//! verifier, and never verify under trust anchors whose secret keys the input cannot know.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scale::Decode;
use std::sync::OnceLock;
use vssi_sdk::evidence::{EvidenceBundle, TrustAnchors};
use vssi_sdk::keys::KeyPair;

fn anchors() -> &'static TrustAnchors {
    static ANCHORS: OnceLock<TrustAnchors> = OnceLock::new();
    ANCHORS.get_or_init(|| {
        // Fresh random keys: no input was made with their secrets.
        TrustAnchors {
            registrars: vec![KeyPair::generate().signing_public()],
            authorities: vec![([1; 32], KeyPair::generate().signing_public())],
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(bundle) = EvidenceBundle::decode(&mut &data[..]) else {
        return;
    };
    assert!(bundle.verify(anchors()).is_err(), "a bundle verified under keys it was not made with");
});
