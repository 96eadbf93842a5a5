//! `vssi`: the SDK on the command line, for operators and device integrators. Keys, video
//! hashes and resource IDs, capture attestations, signature checks, authorization codes,
//! DIVS data bundles and evidence bundles; everything offline. Binary values are hex on the
//! command line and in files (SCALE-encoded where they are structures). It signs only
//! statements the builders of `shared_types::payload` make (one subcommand each), never
//! bytes it is handed.
use anyhow::{bail, ensure, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use scale::{Decode, Encode};
use serde_json::json;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use vssi_sdk::authcode::{AuthorizationCode, Presentation};
use vssi_sdk::divs::{
    sign_data, verify_bundle, DataBundle, ExportedLedger, LedgerAnchors, SigningTime,
};
use vssi_sdk::evidence::{EvidenceBundle, TrustAnchors};
use vssi_sdk::hashing::{multihash_file, resource_id};
use vssi_sdk::shared_types::{
    verify, AgreementId, DeviceId, Ed25519PublicKey, Ed25519Signature, EntryAddress, HashAlgorithm,
    Multihash, Registries, ResourceId, TimeSpan, TxId, UserId,
};
use vssi_sdk::{requests, KeyPair};

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
        /// Where to write the key file (JSON, secret: written readable by its owner only).
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
        /// The user the PU captures for, its owner (user ID, hex).
        #[arg(long)]
        owner: String,
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
        agreement: AgreementId,
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
    /// Checks a code's owner signature (and the CU's presentation of it, if given) offline.
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
        /// The CU's presentation (hex, from `authcode present`) ...
        #[arg(long, requires = "cu_public")]
        presentation: Option<String>,
        /// ... and the CU's public key (hex).
        #[arg(long, requires = "presentation")]
        cu_public: Option<String>,
    },
    /// The CU presents a code to one store, answering its challenge, for one resource and
    /// the code's window; prints the presentation (SCALE, hex).
    Present {
        /// The CU's key file.
        #[arg(long)]
        key: PathBuf,
        /// The code (hex).
        #[arg(long)]
        code: String,
        /// The sharing_policy contract (32 bytes hex).
        #[arg(long)]
        sharing: String,
        /// The store's account (32 bytes hex).
        #[arg(long)]
        store: String,
        /// The store's challenge (16 bytes hex).
        #[arg(long)]
        challenge: String,
        /// The resource asked for (hex), one of the code's.
        #[arg(long)]
        resource: String,
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
        tx_id: TxId,
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
    /// first against the authorities and the head given here (nothing in the file is
    /// trusted).
    Verify {
        /// The bundle (hex, or a file holding it).
        #[arg(long)]
        bundle: String,
        /// The exported ledger (file with SCALE hex).
        #[arg(long)]
        export: PathBuf,
        /// A trusted DIVS authority as ACCOUNT:KEY (both hex); repeat for several.
        #[arg(long = "authority", required = true)]
        authorities: Vec<String>,
        /// The entry count of the trusted head: the ledger's `head` at a block you trust.
        #[arg(long)]
        count: u64,
        /// The hash-chain head (32 bytes hex) of that same answer.
        #[arg(long)]
        head: String,
        /// When the data was observed or its hash anchored (ms since the Unix epoch), from
        /// a source you trust: validity is judged then, not at the UE's claimed time.
        #[arg(long)]
        observed_at: Option<u64>,
    },
}

#[derive(Subcommand)]
enum EvidenceCommand {
    /// Verifies an evidence bundle (file with SCALE hex) against the deployment, keys and
    /// ledger head you trust (nothing in the file is trusted).
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
        /// The deployment's identity_registry address (32 bytes hex).
        #[arg(long)]
        identity_registry: String,
        /// The deployment's device_registry address (32 bytes hex).
        #[arg(long)]
        device_registry: String,
        /// The deployment's resource_registry address (32 bytes hex).
        #[arg(long)]
        resource_registry: String,
        /// The deployment's divs_ledger address (32 bytes hex).
        #[arg(long)]
        ledger: String,
        /// The entry count of the ledger's `head` at a block you trust.
        #[arg(long)]
        count: u64,
        /// The hash-chain head (32 bytes hex) of that same answer.
        #[arg(long)]
        head: String,
    },
}

/// The bytes to verify.
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
/// A trusted DIVS authority given as ACCOUNT:KEY (both hex).
fn authority(text: &str) -> Result<([u8; 32], Ed25519PublicKey)> {
    let (account, key) = text
        .split_once(':')
        .context("--authority: expected ACCOUNT:KEY")?;
    Ok((
        fixed("--authority account", account)?,
        Ed25519PublicKey(fixed("--authority key", key)?),
    ))
}

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

/// Writes a secret file with mode 0600. An existing file is replaced only with `force`,
/// and then removed first: a new file is created exclusively, so a symbolic link planted at
/// `path` is neither followed nor given the secret.
fn write_secret(path: &Path, force: bool, contents: &[u8]) -> std::io::Result<()> {
    if force {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    file.write_all(contents)
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
            let mut json = public_json(&keys);
            json["signing_secret"] = json!(hex::encode(signing));
            json["encryption_secret"] = json!(hex::encode(encryption));
            write_secret(&out, force, serde_json::to_string_pretty(&json)?.as_bytes())
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
            owner,
            multihash,
            start,
            end,
        } => {
            let capture = TimeSpan { start, end };
            ensure!(capture.is_ordered(), "--start is after --end");
            let multihash = Multihash::from_bytes(&bytes("--multihash", &multihash)?)
                .map_err(|e| anyhow::anyhow!("--multihash: {e:?}"))?;
            let signature = requests::capture_attestation(
                &fixed("--device-registry", &device_registry)?,
                &DeviceId(fixed("--pu", &pu)?),
                &UserId(fixed("--owner", &owner)?),
                &multihash,
                &capture,
                &read_key(&key)?,
            );
            println!("{}", hex::encode(signature.0));
        }
        Command::Authcode(command) => authcode(command)?,
        Command::Divs(command) => divs(command)?,
        Command::Evidence(EvidenceCommand::Verify {
            bundle,
            registrars,
            authorities,
            identity_registry,
            device_registry,
            resource_registry,
            ledger,
            count,
            head,
        }) => {
            let bundle: EvidenceBundle = decode("--bundle", &read_text(&bundle)?)?;
            let anchors = TrustAnchors {
                registrars: registrars
                    .iter()
                    .map(|r| fixed("--registrar", r).map(Ed25519PublicKey))
                    .collect::<Result<_>>()?,
                registries: Registries {
                    identity: fixed("--identity-registry", &identity_registry)?,
                    devices: fixed("--device-registry", &device_registry)?,
                    resources: fixed("--resource-registry", &resource_registry)?,
                },
                ledger: fixed("--ledger", &ledger)?,
                divs: LedgerAnchors {
                    authorities: authorities
                        .iter()
                        .map(|a| authority(a))
                        .collect::<Result<_>>()?,
                    count,
                    head: fixed("--head", &head)?,
                },
            };
            bundle
                .verify(&anchors)
                .map_err(|e| anyhow::anyhow!("evidence rejected: {e}"))?;
            let endorsement = bundle.entries.first().map_or(TxId(0), |e| e.tx_id);
            println!(
                "valid: resource {} captured by PU {} endorsed in DIVS entry {} (ledger head {count})",
                hex::encode(bundle.resource.resource.0),
                hex::encode(bundle.resource.pu.0),
                endorsement
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
        AuthcodeCommand::Present {
            key,
            code,
            sharing,
            store,
            challenge,
            resource,
        } => {
            let code = AuthorizationCode::from_bytes(&bytes("--code", &code)?)?;
            let presentation = code.present(
                &read_key(&key)?,
                &fixed("--sharing", &sharing)?,
                fixed("--store", &store)?,
                fixed("--challenge", &challenge)?,
                ResourceId(fixed("--resource", &resource)?),
                code.window,
            );
            println!("{}", hex::encode(presentation.encode()));
        }
        AuthcodeCommand::Verify {
            code,
            sharing,
            owner_public,
            presentation,
            cu_public,
        } => {
            let code = AuthorizationCode::from_bytes(&bytes("--code", &code)?)?;
            let sharing = fixed("--sharing", &sharing)?;
            let owner = Ed25519PublicKey(fixed("--owner-public", &owner_public)?);
            ensure!(
                verify::ed25519(&owner, &code.signature, &code.statement(&sharing)),
                "the code is not signed by this owner"
            );
            let mut presented = String::new();
            if let (Some(presentation), Some(cu)) = (presentation, cu_public) {
                let presentation: Presentation = decode("--presentation", &presentation)?;
                let cu = Ed25519PublicKey(fixed("--cu-public", &cu)?);
                ensure!(
                    presentation.verifies(&code, &sharing, &cu),
                    "the presentation is not the CU's"
                );
                presented = format!(
                    ", presented to store {} for resource {}",
                    hex::encode(presentation.store),
                    hex::encode(presentation.resource.0)
                );
            }
            let expired = if now_ms() > code.expires_at {
                " (expired)"
            } else {
                ""
            };
            println!(
                "valid: agreement {}, {} resource(s), expires at {}{expired}{presented}; the store checks its challenge and the agreement's state on the ledger",
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
        DivsCommand::Verify {
            bundle,
            export,
            authorities,
            count,
            head,
            observed_at,
        } => {
            let text = if Path::new(&bundle).is_file() {
                read_text(Path::new(&bundle))?
            } else {
                bundle
            };
            let bundle: DataBundle = decode("--bundle", &text)?;
            let ledger: ExportedLedger = decode("--export", &read_text(&export)?)?;
            let anchors = LedgerAnchors {
                authorities: authorities
                    .iter()
                    .map(|a| authority(a))
                    .collect::<Result<_>>()?,
                count,
                head: fixed("--head", &head)?,
            };
            let mut lookup = ledger
                .verify(&anchors)
                .map_err(|e| anyhow::anyhow!("the exported ledger does not verify: {e}"))?;
            ensure!(
                ledger.address == bundle.address,
                "the bundle names another ledger than the export"
            );
            let verified = verify_bundle(&bundle, &mut lookup, observed_at)
                .map_err(|e| anyhow::anyhow!("bundle rejected: {e}"))?;
            let time = match verified.time {
                SigningTime::Claimed(at) => format!("signed at {at} (claimed by the UE)"),
                SigningTime::Trusted(at) => format!(
                    "observed at {at} (trusted; the UE claims {})",
                    bundle.signed_at
                ),
            };
            println!(
                "valid: {time} by UE key {}, endorsed in entry {} (entry {} in force, valid {}..{})",
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
