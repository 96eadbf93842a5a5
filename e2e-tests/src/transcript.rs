//! A readable record of a flow: each step with its seed clause, who acted and the outcome.
use crate::chain::Outcome;
use std::collections::BTreeMap;

/// Collected steps, echoed to stdout as they happen.
#[derive(Default)]
pub struct Transcript {
    /// Every line so far.
    pub lines: Vec<String>,
    /// Per message called in a successful transaction: (calls, max ref_time, max proof_size).
    pub weights: BTreeMap<String, (u32, u64, u64)>,
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
            "ok in block #{} ({} event(s); ref_time {}, proof_size {})",
            outcome.block,
            outcome.events.len(),
            outcome.ref_time,
            outcome.proof_size,
        );
        self.step(clause, actor, what, &result);
        let entry = self.weights.entry(outcome.message.clone()).or_default();
        *entry = (
            entry.0.saturating_add(1),
            entry.1.max(outcome.ref_time),
            entry.2.max(outcome.proof_size),
        );
    }

    /// The weights table: every message with a successful transaction in this transcript.
    pub fn weights_table(&self, backend: &str) -> String {
        let mut table = format!(
            "weights on {backend} (max over calls)\n{:<30} {:>5} {:>16} {:>11}\n",
            "message", "calls", "ref_time", "proof_size"
        );
        for (message, (calls, ref_time, proof_size)) in &self.weights {
            table.push_str(&format!(
                "{message:<30} {calls:>5} {ref_time:>16} {proof_size:>11}\n"
            ));
        }
        table
    }
}

/// The first bytes of an ID, for transcripts.
pub fn short(bytes: &[u8]) -> String {
    format!("0x{}…", hex::encode(&bytes[..4]))
}
