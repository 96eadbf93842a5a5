//! Authorization-code parsing: arbitrary bytes never panic; what parses is exactly its
//! encoding, and its signed statement can be built and checked.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scale::Encode;
use vssi_sdk::authcode::AuthorizationCode;

fuzz_target!(|data: &[u8]| {
    if let Ok(code) = AuthorizationCode::from_bytes(data) {
        assert_eq!(code.encode(), data, "a parsed code is not its own encoding");
        let statement = code.statement(&[7; 32]);
        assert!(!statement.is_empty());
    }
});
