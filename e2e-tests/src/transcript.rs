//! A readable record of a flow: each step with its seed clause, who acted and the outcome.
use crate::chain::Outcome;

/// Collected steps, echoed to stdout as they happen unless `quiet`.
#[derive(Default)]
pub struct Transcript {
    /// Every line so far.
    pub lines: Vec<String>,
    /// Collect without echoing (for the benchmark, which prints only its figures).
    pub quiet: bool,
}

impl Transcript {
    /// Records a step: `[clause] actor: what -> result`.
    pub fn step(&mut self, clause: &str, actor: &str, what: &str, result: &str) {
        let line = format!("[{clause}] {actor}: {what} -> {result}");
        if !self.quiet {
            println!("{line}");
        }
        self.lines.push(line);
    }

    /// Records a transaction step with its weight.
    pub fn tx(&mut self, clause: &str, actor: &str, what: &str, outcome: &Outcome) {
        let result = format!(
            "ok in block #{} ({} event(s); ref_time {}, proof_size {})",
            outcome.block,
            outcome.events.len(),
            outcome.ref_time,
            outcome.proof_size,
        );
        self.step(clause, actor, what, &result);
    }
}

/// The first bytes of an ID, for transcripts.
pub fn short(bytes: &[u8]) -> String {
    format!("0x{}…", hex::encode(&bytes[..4]))
}
