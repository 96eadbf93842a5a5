//! Prints, for one file, the throughput of `sha256sum` and of the SDK's streamed multihash
//! (SHA-256, one core), their ratio, the segment Merkle root on one and on two threads, and
//! the process's peak resident memory. Best of three runs each, the file in the page cache.
//! `scripts/dev bench-hash` runs it on a 1 GiB file.
use shared_types::HashAlgorithm;
use std::fs::File;
use std::process::Command;
use std::time::Instant;
use vssi_sdk::{hashing, segments::Segments};

const RUNS: usize = 3;

/// Peak resident set size in KiB (Linux `VmHWM`), if the platform tells.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The best wall time of `RUNS` runs of `run`, in seconds.
fn best(
    mut run: impl FnMut() -> Result<(), Box<dyn std::error::Error>>,
) -> Result<f64, Box<dyn std::error::Error>> {
    let mut best = f64::INFINITY;
    for _ in 0..RUNS {
        let started = Instant::now();
        run()?;
        best = best.min(started.elapsed().as_secs_f64());
    }
    Ok(best)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: hash_throughput <file>")?;
    let mib = std::fs::metadata(&path)?.len() as f64 / (1024.0 * 1024.0);
    std::io::copy(&mut File::open(&path)?, &mut std::io::sink())?; // into the page cache
    println!("file: {path} ({mib:.0} MiB)");

    let sha256sum = best(|| {
        let status = Command::new("sha256sum").arg(&path).output()?.status;
        if status.success() {
            Ok(())
        } else {
            Err("sha256sum failed".into())
        }
    })?;
    println!(
        "sha256sum:                     {sha256sum:.3} s, {:.0} MiB/s",
        mib / sha256sum
    );
    let mut digest = String::new();
    let sdk = best(|| {
        let multihash = hashing::multihash_file(path.as_ref(), HashAlgorithm::Sha2_256, |_| {})?;
        digest = hex::encode(multihash.digest());
        Ok(())
    })?;
    println!(
        "sdk multihash sha2-256:        {sdk:.3} s, {:.0} MiB/s (digest {digest})",
        mib / sdk
    );
    println!(
        "multihash / sha256sum:         {:.2}x (target >= 0.90x)",
        sha256sum / sdk
    );

    let mut roots = Vec::new();
    for threads in [1, 2] {
        let seconds = best(|| {
            Segments::build_file(path.as_ref(), 1 << 20, threads, |_| {})?;
            Ok(())
        })?;
        println!(
            "segment root, {threads} thread(s), 1 MiB: {seconds:.3} s, {:.0} MiB/s",
            mib / seconds
        );
        roots.push(seconds);
    }
    println!("segment root 2 threads / 1:    {:.2}x", roots[0] / roots[1]);
    if let Some(kib) = peak_rss_kib() {
        println!("peak resident memory:          {} MiB", kib / 1024);
    }
    Ok(())
}
