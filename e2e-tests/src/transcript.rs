//! A readable record of a flow: each step with its seed clause, who acted and the outcome.
use crate::chain::Outcome;

/// Collected steps, echoed to stdout as they happen.
#[derive(Default)]
pub struct Transcript {
    /// Every line so far.
    pub lines: Vec<String>,
}

impl Transcript {
    /// Records a step: `[clause] actor: what -> result`.
    pub fn step(&mut self, clause: &str, actor: &str, what: &str, result: &str) {
        let line = format!("[{clause}] {actor}: {what} -> {result}");
        println!("{line}");
        self.lines.push(line);
    }

    /// Records a transaction step with its weight.
    pub fn tx(&mut self, clause: &str, actor: &str, what: &str, outcome: &Outcome) {
        let result = format!(
            "ok (ref_time {}, proof_size {}, {} event(s))",
            outcome.ref_time,
            outcome.proof_size,
            outcome.events.len()
        );
        self.step(clause, actor, what, &result);
    }
}

/// The first bytes of an ID, for transcripts.
pub fn short(bytes: &[u8]) -> String {
    format!("0x{}…", hex::encode(&bytes[..4]))
}
