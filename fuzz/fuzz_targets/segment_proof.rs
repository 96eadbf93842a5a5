//! Segment inclusion proofs: arbitrary proofs, indices and segments against a real tree
//! never panic, and never prove a segment the file does not have.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use vssi_sdk::segments::{verify_segment, Segments};

const SEGMENT_SIZE: u32 = 4;
const FILE: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

fn tree() -> &'static Segments {
    static TREE: OnceLock<Segments> = OnceLock::new();
    TREE.get_or_init(|| {
        Segments::build(&mut &FILE[..], SEGMENT_SIZE, 1, |_| {}).expect("a tree of a small file")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&index, rest)) = data.split_first() else {
        return;
    };
    let Some((&segment_len, rest)) = rest.split_first() else {
        return;
    };
    let (segment, proof) = rest.split_at(usize::from(segment_len).min(rest.len()));
    let index = u32::from(index);
    let segments = tree();
    if verify_segment(&segments.tree, index, segment, proof) {
        let start = index as usize * SEGMENT_SIZE as usize;
        let real = &FILE[start..FILE.len().min(start + SEGMENT_SIZE as usize)];
        assert_eq!(segment, real, "a forged segment was proven");
    }
});
