//! `vssi`: the SDK on the command line, for operators and device integrators. Keys, video
//! hashes and resource IDs, capture attestations, signatures, authorization codes, DIVS
//! data bundles and evidence bundles; everything offline. Binary values are hex on the
//! command line and in files (SCALE-encoded where they are structures).
use anyhow::{bail, ensure, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use scale::{Decode, Encode};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use vssi_sdk::authcode::AuthorizationCode;
use vssi_sdk::divs::{sign_data, verify_bundle, DataBundle, ExportedLedger};
use vssi_sdk::evidence::{EvidenceBundle, TrustAnchors};
use vssi_sdk::hashing::{multihash_file, resource_id};
use vssi_sdk::shared_types::{
    payload, verify, DeviceId, Ed25519PublicKey, Ed25519Signature, EntryAddress, HashAlgorithm,
    Multihash, ResourceId, TimeSpan,
};
use vssi_sdk::KeyPair;

#[derive(Parser)]
#[command(
    name = "vssi",
    version,
    about = "Offline tools of the VSSI/DIVS SDK: keys, hashes, signatures, codes, DIVS and evidence bundles"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generates a key file (ed25519 signing + X25519 encryption) and prints the public keys.
    Keygen {
        /// Where to write the key file (JSON, secret: keep it private).
        #[arg(long)]
        out: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Prints the public keys of a key file.
    Public {
        /// The key file.
        #[arg(long)]
        key: PathBuf,
    },
    /// Multihash of a (video) file, streamed with a progress bar.
    Hash {
        /// The file.
        file: PathBuf,
        /// Hash algorithm.
        #[arg(long, value_enum, default_value_t = Algorithm::Sha2_256)]
        algorithm: Algorithm,
    },
    /// Resource ID of a video (F.743.24 I.4 step 1): SHA-256(PU ID ‖ multihash).
    ResourceId {
        /// The PU's device ID (32 bytes hex).
        #[arg(long)]
        pu: String,
        /// The multihash (hex); or give --file to hash it.
        #[arg(long, conflicts_with = "file", required_unless_present = "file")]
        multihash: Option<String>,
        /// The encrypted video file to hash.
        #[arg(long)]
        file: Option<PathBuf>,
        /// Hash algorithm for --file.
        #[arg(long, value_enum, default_value_t = Algorithm::Sha2_256)]
        algorithm: Algorithm,
    },
    /// Signs bytes (a payload built by the SDK, given as hex or a file) with a key file.
    Sign {
        /// The key file.
        #[arg(long)]
        key: PathBuf,
        #[command(flatten)]
        message: Message,
    },
    /// Verifies an ed25519 signature over bytes.
    Verify {
        /// The signer's ed25519 public key (hex).
        #[arg(long)]
        public: String,
        /// The signature (hex, 64 bytes).
        #[arg(long)]
        signature: String,
        #[command(flatten)]
        message: Message,
    },
    /// A PU's capture attestation: its signature over (multihash, capture span).
    AttestCapture {
        /// The PU's key file.
        #[arg(long)]
        key: PathBuf,
        /// The device_registry contract the PU is registered in (32 bytes hex).
        #[arg(long)]
        device_registry: String,
        /// The PU's device ID (hex).
        #[arg(long)]
        pu: String,
        /// The video's multihash (hex).
        #[arg(long)]
        multihash: String,
        /// Capture start, ms since the Unix epoch.
        #[arg(long)]
        start: u64,
        /// Capture end, ms since the Unix epoch.
        #[arg(long)]
        end: u64,
    },
    /// Authorization codes of F.743.24 I.3.
    #[command(subcommand)]
    Authcode(AuthcodeCommand),
    /// Y.2247 data bundles: a UE signs data; a recipient verifies against an exported ledger.
    #[command(subcommand)]
    Divs(DivsCommand),
    /// Evidence bundles (video → camera → DIVS endorsement → owner).
    #[command(subcommand)]
    Evidence(EvidenceCommand),
}

#[derive(Subcommand)]
enum AuthcodeCommand {
    /// The owner issues a code; prints it (SCALE, hex).
    Issue {
        /// The owner's key file.
        #[arg(long)]
        key: PathBuf,
        /// The sharing_policy contract (32 bytes hex).
        #[arg(long)]
        sharing: String,
        /// The sharing agreement's ID.
        #[arg(long)]
        agreement: u64,
        /// The only CU that may use it (device ID hex).
        #[arg(long)]
        cu: String,
        /// The PU whose video it opens (device ID hex).
        #[arg(long)]
        pu: String,
        /// A resource it opens (hex); repeat for several.
        #[arg(long = "resource", required = true)]
        resources: Vec<String>,
        /// Void after this block time (ms since the Unix epoch).
        #[arg(long)]
        expires_at: u64,
    },
    /// Checks a code's owner signature (and the CU's countersignature, if given) offline.
    Verify {
        /// The code (hex).
        #[arg(long)]
        code: String,
        /// The sharing_policy contract (32 bytes hex).
        #[arg(long)]
        sharing: String,
        /// The owner's ed25519 public key (hex).
        #[arg(long)]
        owner_public: String,
        /// The CU's countersignature (hex) ...
        #[arg(long, requires = "cu_public")]
        countersignature: Option<String>,
        /// ... and the CU's public key (hex).
        #[arg(long, requires = "countersignature")]
        cu_public: Option<String>,
    },
    /// The CU countersigns a code when presenting it; prints the countersignature.
    Countersign {
        /// The CU's key file.
        #[arg(long)]
        key: PathBuf,
        /// The code (hex).
        #[arg(long)]
        code: String,
        /// The sharing_policy contract (32 bytes hex).
        #[arg(long)]
        sharing: String,
    },
}

#[derive(Subcommand)]
enum DivsCommand {
    /// A UE signs collected data (8.2); prints the bundle (SCALE, hex).
    Sign {
        /// The UE's key file.
        #[arg(long)]
        key: PathBuf,
        /// The data file.
        #[arg(long)]
        data: PathBuf,
        /// The UE's latest transaction ID.
        #[arg(long)]
        tx_id: u64,
        /// The ledger instance ID (32 bytes hex).
        #[arg(long)]
        instance: String,
        /// The divs_ledger contract (32 bytes hex).
        #[arg(long)]
        ledger: String,
        /// Signing time, ms since the Unix epoch (default: now).
        #[arg(long)]
        at: Option<u64>,
    },
    /// A recipient verifies a bundle (8.3) against an exported ledger, checking the export
    /// first.
    Verify {
        /// The bundle (hex, or a file holding it).
        #[arg(long)]
        bundle: String,
        /// The exported ledger (file with SCALE hex).
        #[arg(long)]
        export: PathBuf,
    },
}

#[derive(Subcommand)]
enum EvidenceCommand {
    /// Verifies an evidence bundle (file with SCALE hex) against trusted keys.
    Verify {
        /// The bundle file.
        #[arg(long)]
        bundle: PathBuf,
        /// A trusted registrar (ISP) key (hex); repeat for several.
        #[arg(long = "registrar", required = true)]
        registrars: Vec<String>,
        /// A trusted DIVS authority as ACCOUNT:KEY (both hex); repeat for several.
        #[arg(long = "authority", required = true)]
        authorities: Vec<String>,
    },
}

/// The bytes to sign or verify.
#[derive(clap::Args)]
#[group(required = true, multiple = false)]
struct Message {
    /// The bytes as hex.
    #[arg(long)]
    hex: Option<String>,
    /// A file holding the bytes.
    #[arg(long)]
    file: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Algorithm {
    #[value(name = "sha2-256")]
    Sha2_256,
    #[value(name = "sha2-512")]
    Sha2_512,
    #[value(name = "sha3-256")]
    Sha3_256,
    #[value(name = "blake2b-256")]
    Blake2b256,
}

impl From<Algorithm> for HashAlgorithm {
    fn from(a: Algorithm) -> Self {
        match a {
            Algorithm::Sha2_256 => Self::Sha2_256,
            Algorithm::Sha2_512 => Self::Sha2_512,
            Algorithm::Sha3_256 => Self::Sha3_256,
            Algorithm::Blake2b256 => Self::Blake2b256,
        }
    }
}

/// Hex (with or without `0x`) to bytes.
fn bytes(what: &str, text: &str) -> Result<Vec<u8>> {
    hex::decode(text.trim().trim_start_matches("0x")).with_context(|| format!("{what}: not hex"))
}

/// Hex to exactly `N` bytes.
fn fixed<const N: usize>(what: &str, text: &str) -> Result<[u8; N]> {
    let raw = bytes(what, text)?;
    let len = raw.len();
    raw.try_into()
        .map_err(|_| anyhow::anyhow!("{what}: {len} bytes, expected {N}"))
}

/// A SCALE value from hex, refusing trailing bytes.
fn decode<T: Decode>(what: &str, text: &str) -> Result<T> {
    let raw = bytes(what, text)?;
    let mut input = &raw[..];
    let value = T::decode(&mut input).map_err(|e| anyhow::anyhow!("{what}: malformed ({e})"))?;
    ensure!(input.is_empty(), "{what}: {} trailing bytes", input.len());
    Ok(value)
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn read_key(path: &Path) -> Result<KeyPair> {
    let file: serde_json::Value = serde_json::from_str(&read_text(path)?)
        .with_context(|| format!("{}: not a key file", path.display()))?;
    let secret = |field: &str| -> Result<[u8; 32]> {
        let text = file[field]
            .as_str()
            .with_context(|| format!("{}: no {field}", path.display()))?;
        fixed(field, text)
    };
    Ok(KeyPair::from_secrets(
        secret("signing_secret")?,
        secret("encryption_secret")?,
    ))
}

fn public_json(keys: &KeyPair) -> serde_json::Value {
    let public = keys.public();
    json!({
        "signing_public": hex::encode(public.signing.0),
        "encryption_public": hex::encode(public.encryption.0),
    })
}

fn message_bytes(message: &Message) -> Result<Vec<u8>> {
    match (&message.hex, &message.file) {
        (Some(hex), _) => bytes("--hex", hex),
        (_, Some(file)) => {
            std::fs::read(file).with_context(|| format!("reading {}", file.display()))
        }
        _ => bail!("give --hex or --file"),
    }
}

fn hash_with_progress(file: &Path, algorithm: HashAlgorithm) -> Result<Multihash> {
    let size = std::fs::metadata(file)
        .with_context(|| format!("reading {}", file.display()))?
        .len();
    let bar = ProgressBar::new(size).with_style(
        ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
        )
        .expect("a valid template"),
    );
    let multihash = multihash_file(file, algorithm, |done| bar.set_position(done))
        .with_context(|| format!("hashing {}", file.display()))?;
    bar.finish_and_clear();
    Ok(multihash)
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Keygen { out, force } => {
            ensure!(
                force || !out.exists(),
                "{} exists (--force to overwrite)",
                out.display()
            );
            let keys = KeyPair::generate();
            let (signing, encryption) = keys.secrets();
            let mut file = public_json(&keys);
            file["signing_secret"] = json!(hex::encode(signing));
            file["encryption_secret"] = json!(hex::encode(encryption));
            std::fs::write(&out, serde_json::to_string_pretty(&file)?)
                .with_context(|| format!("writing {}", out.display()))?;
            println!("{}", public_json(&keys));
        }
        Command::Public { key } => println!("{}", public_json(&read_key(&key)?)),
        Command::Hash { file, algorithm } => {
            let multihash = hash_with_progress(&file, algorithm.into())?;
            println!("{}", hex::encode(multihash.as_bytes()));
        }
        Command::ResourceId {
            pu,
            multihash,
            file,
            algorithm,
        } => {
            let pu = DeviceId(fixed("--pu", &pu)?);
            let multihash = match (multihash, file) {
                (Some(text), _) => Multihash::from_bytes(&bytes("--multihash", &text)?)
                    .map_err(|e| anyhow::anyhow!("--multihash: {e:?}"))?,
                (_, Some(file)) => hash_with_progress(&file, algorithm.into())?,
                _ => bail!("give --multihash or --file"),
            };
            println!("{}", hex::encode(resource_id(&pu, &multihash).0));
        }
        Command::Sign { key, message } => {
            let signature = read_key(&key)?.sign(&message_bytes(&message)?);
            println!("{}", hex::encode(signature.0));
        }
        Command::Verify {
            public,
            signature,
            message,
        } => {
            let public = Ed25519PublicKey(fixed("--public", &public)?);
            let signature = Ed25519Signature(fixed("--signature", &signature)?);
            ensure!(
                verify::ed25519(&public, &signature, &message_bytes(&message)?),
                "the signature does not verify"
            );
            println!("valid");
        }
        Command::AttestCapture {
            key,
            device_registry,
            pu,
            multihash,
            start,
            end,
        } => {
            let capture = TimeSpan { start, end };
            ensure!(capture.is_ordered(), "--start is after --end");
            let multihash = Multihash::from_bytes(&bytes("--multihash", &multihash)?)
                .map_err(|e| anyhow::anyhow!("--multihash: {e:?}"))?;
            let statement = payload::capture_attestation(
                &fixed("--device-registry", &device_registry)?,
                &DeviceId(fixed("--pu", &pu)?),
                &multihash,
                &capture,
            );
            println!("{}", hex::encode(read_key(&key)?.sign(&statement).0));
        }
        Command::Authcode(command) => authcode(command)?,
        Command::Divs(command) => divs(command)?,
        Command::Evidence(EvidenceCommand::Verify {
            bundle,
            registrars,
            authorities,
        }) => {
            let bundle: EvidenceBundle = decode("--bundle", &read_text(&bundle)?)?;
            let anchors = TrustAnchors {
                registrars: registrars
                    .iter()
                    .map(|r| fixed("--registrar", r).map(Ed25519PublicKey))
                    .collect::<Result<_>>()?,
                authorities: authorities
                    .iter()
                    .map(|a| {
                        let (account, key) = a
                            .split_once(':')
                            .context("--authority: expected ACCOUNT:KEY")?;
                        Ok((
                            fixed("--authority account", account)?,
                            Ed25519PublicKey(fixed("--authority key", key)?),
                        ))
                    })
                    .collect::<Result<_>>()?,
            };
            bundle
                .verify(&anchors)
                .map_err(|e| anyhow::anyhow!("evidence rejected: {e}"))?;
            println!(
                "valid: resource {} captured by PU {} endorsed in DIVS entry {}",
                hex::encode(bundle.resource.resource.0),
                hex::encode(bundle.resource.pu.0),
                bundle.endorsement.tx_id
            );
        }
    }
    Ok(())
}

fn authcode(command: AuthcodeCommand) -> Result<()> {
    match command {
        AuthcodeCommand::Issue {
            key,
            sharing,
            agreement,
            cu,
            pu,
            resources,
            expires_at,
        } => {
            let resources = resources
                .iter()
                .map(|r| fixed("--resource", r).map(ResourceId))
                .collect::<Result<_>>()?;
            let code = AuthorizationCode::issue(
                &read_key(&key)?,
                &fixed("--sharing", &sharing)?,
                agreement,
                DeviceId(fixed("--cu", &cu)?),
                DeviceId(fixed("--pu", &pu)?),
                resources,
                None,
                expires_at,
            );
            println!("{}", hex::encode(code.encode()));
        }
        AuthcodeCommand::Countersign { key, code, sharing } => {
            let code = AuthorizationCode::from_bytes(&bytes("--code", &code)?)?;
            let signature = code.countersign(&read_key(&key)?, &fixed("--sharing", &sharing)?);
            println!("{}", hex::encode(signature.0));
        }
        AuthcodeCommand::Verify {
            code,
            sharing,
            owner_public,
            countersignature,
            cu_public,
        } => {
            let code = AuthorizationCode::from_bytes(&bytes("--code", &code)?)?;
            let statement = code.statement(&fixed("--sharing", &sharing)?);
            let owner = Ed25519PublicKey(fixed("--owner-public", &owner_public)?);
            ensure!(
                verify::ed25519(&owner, &code.signature, &statement),
                "the code is not signed by this owner"
            );
            if let (Some(signature), Some(cu)) = (countersignature, cu_public) {
                let cu = Ed25519PublicKey(fixed("--cu-public", &cu)?);
                let signature = Ed25519Signature(fixed("--countersignature", &signature)?);
                ensure!(
                    verify::ed25519(&cu, &signature, &statement),
                    "the countersignature is not the CU's"
                );
            }
            let expired = if now_ms() > code.expires_at {
                " (expired)"
            } else {
                ""
            };
            println!(
                "valid: agreement {}, {} resource(s), expires at {}{expired}; the agreement's state is checked on the ledger by the store",
                code.agreement,
                code.resources.len(),
                code.expires_at
            );
        }
    }
    Ok(())
}

fn divs(command: DivsCommand) -> Result<()> {
    match command {
        DivsCommand::Sign {
            key,
            data,
            tx_id,
            instance,
            ledger,
            at,
        } => {
            let data =
                std::fs::read(&data).with_context(|| format!("reading {}", data.display()))?;
            let address = EntryAddress {
                instance: fixed("--instance", &instance)?,
                contract: fixed("--ledger", &ledger)?,
            };
            let keys = read_key(&key)?;
            let bundle = sign_data(&keys, data, at.unwrap_or_else(now_ms), tx_id, address);
            println!("{}", hex::encode(bundle.encode()));
        }
        DivsCommand::Verify { bundle, export } => {
            let text = if Path::new(&bundle).is_file() {
                read_text(Path::new(&bundle))?
            } else {
                bundle
            };
            let bundle: DataBundle = decode("--bundle", &text)?;
            let mut ledger: ExportedLedger = decode("--export", &read_text(&export)?)?;
            ledger
                .verify()
                .map_err(|e| anyhow::anyhow!("the exported ledger does not verify: {e}"))?;
            ensure!(
                ledger.address == bundle.address,
                "the bundle names another ledger than the export"
            );
            let verified = verify_bundle(&bundle, &mut ledger)
                .map_err(|e| anyhow::anyhow!("bundle rejected: {e}"))?;
            println!(
                "valid: signed at {} by UE key {}, endorsed in entry {} (latest entry {}, valid {}..{})",
                bundle.signed_at,
                hex::encode(verified.ue.0),
                bundle.tx_id,
                verified.governing.tx_id,
                verified.governing.status.valid_from,
                verified.governing.status.terminates_at
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
