//! The `vssi` command line, run as a user runs it: round trips against the library, and
//! clear errors (exit status 1, one `error:` line, never a panic) on bad input.
use std::path::Path;
use std::process::{Command, Output};
use vssi_sdk::hashing::{multihash_bytes, resource_id};
use vssi_sdk::shared_types::{payload, DeviceId, HashAlgorithm, TimeSpan, UserId};

fn vssi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vssi"))
        .args(args)
        .output()
        .expect("the vssi binary runs")
}

fn ok(args: &[&str]) -> String {
    let out = vssi(args);
    assert!(
        out.status.success(),
        "vssi {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// Fails with exit status 1 and one clear `error:` line mentioning `expected`.
fn refused(args: &[&str], expected: &str) {
    let out = vssi(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "vssi {args:?}: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

fn field(json: &str, name: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    value[name].as_str().unwrap().to_owned()
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_owned()
}

fn args(owned: &[String]) -> Vec<&str> {
    owned.iter().map(String::as_str).collect()
}

#[test]
fn keys_sign_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let key = path(dir.path(), "key.json");
    let public = ok(&["keygen", "--out", &key]);
    assert_eq!(ok(&["public", "--key", &key]), public);
    refused(&["keygen", "--out", &key], "exists");
    let signing = field(&public, "signing_public");
    // The one statement `attest-capture` signs, rebuilt here by its builder.
    let (registry, pu, owner) = ([0x0d; 32], DeviceId([7; 32]), UserId([8; 32]));
    let multihash = multihash_bytes(b"video", HashAlgorithm::Sha2_256);
    let capture = TimeSpan { start: 1, end: 2 };
    let attest = |key: &str| {
        vec![
            "attest-capture".to_owned(),
            "--key".to_owned(),
            key.to_owned(),
            "--device-registry".to_owned(),
            hex::encode(registry),
            "--pu".to_owned(),
            hex::encode(pu.0),
            "--owner".to_owned(),
            hex::encode(owner.0),
            "--multihash".to_owned(),
            hex::encode(multihash.as_bytes()),
            "--start".to_owned(),
            "1".to_owned(),
            "--end".to_owned(),
            "2".to_owned(),
        ]
    };
    let signature = ok(&args(&attest(&key)));
    let statement = hex::encode(payload::capture_attestation(
        &registry, &pu, &owner, &multihash, &capture,
    ));
    let verify = |message: &str| {
        vssi(&[
            "verify",
            "--public",
            &signing,
            "--signature",
            &signature,
            "--hex",
            message,
        ])
    };
    assert!(verify(&statement).status.success());
    assert_eq!(verify("c0ffef").status.code(), Some(1));
    let short_key = [
        "verify",
        "--public",
        "abcd",
        "--signature",
        &signature,
        "--hex",
        "00",
    ];
    refused(&short_key, "2 bytes, expected 32");
    let not_hex = [
        "verify",
        "--public",
        "zz",
        "--signature",
        &signature,
        "--hex",
        "00",
    ];
    refused(&not_hex, "not hex");
    std::fs::write(dir.path().join("bad.json"), "{").unwrap();
    refused(
        &args(&attest(&path(dir.path(), "bad.json"))),
        "not a key file",
    );
    refused(&args(&attest(&path(dir.path(), "none.json"))), "reading");
}

#[test]
fn vssi_signs_no_bytes_it_is_handed() {
    // `sign` is gone: the only signatures are of statements the payload builders make.
    let dir = tempfile::tempdir().unwrap();
    let key = path(dir.path(), "key.json");
    ok(&["keygen", "--out", &key]);
    let out = vssi(&["sign", "--key", &key, "--hex", "c0ffee"]);
    assert_eq!(out.status.code(), Some(2), "clap's unknown subcommand");
    assert!(out.stdout.is_empty());
}

#[test]
fn keygen_writes_the_secret_key_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let key = path(dir.path(), "key.json");
    ok(&["keygen", "--out", &key]);
    let mode = std::fs::metadata(&key).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "key file mode {mode:o}");
    // Overwriting an existing, more open file also leaves it 0600.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    ok(&["keygen", "--out", &key, "--force"]);
    let mode = std::fs::metadata(&key).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "overwritten key file mode {mode:o}");
    // A symbolic link planted where the key goes is replaced, not followed: the file it
    // points to keeps its contents and its mode.
    let target = dir.path().join("someone-elses-file");
    std::fs::write(&target, b"not a key").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    ok(&["keygen", "--out", link.to_str().unwrap(), "--force"]);
    assert_eq!(std::fs::read(&target).unwrap(), b"not a key");
    let target_mode = std::fs::metadata(&target).unwrap().permissions().mode();
    assert_eq!(target_mode & 0o777, 0o644, "the link's target was chmodded");
    let written = std::fs::symlink_metadata(&link).unwrap();
    assert!(written.file_type().is_file() && written.permissions().mode() & 0o777 == 0o600);
}

#[test]
fn hash_and_resource_id_match_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let video = dir.path().join("video.bin");
    let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&video, &bytes).unwrap();
    let video = video.to_str().unwrap();
    for (name, algorithm) in [
        ("sha2-256", HashAlgorithm::Sha2_256),
        ("blake2b-256", HashAlgorithm::Blake2b256),
    ] {
        let expected = multihash_bytes(&bytes, algorithm);
        assert_eq!(
            ok(&["hash", video, "--algorithm", name]),
            hex::encode(expected.as_bytes())
        );
    }
    let pu = DeviceId([7; 32]);
    let expected = resource_id(&pu, &multihash_bytes(&bytes, HashAlgorithm::Sha2_256));
    let pu_hex = hex::encode(pu.0);
    assert_eq!(
        ok(&["resource-id", "--pu", &pu_hex, "--file", video]),
        hex::encode(expected.0)
    );
    let multihash = ok(&["hash", video]);
    assert_eq!(
        ok(&["resource-id", "--pu", &pu_hex, "--multihash", &multihash]),
        hex::encode(expected.0)
    );
    refused(&["hash", &path(dir.path(), "missing.bin")], "missing.bin");
    refused(
        &["resource-id", "--pu", &pu_hex, "--multihash", "1205aa"],
        "--multihash",
    );
}

#[test]
fn authorization_code_issue_present_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (owner, cu) = (path(dir.path(), "owner.json"), path(dir.path(), "cu.json"));
    let owner_public = field(&ok(&["keygen", "--out", &owner]), "signing_public");
    let cu_public = field(&ok(&["keygen", "--out", &cu]), "signing_public");
    let sharing = "11".repeat(32);
    let (cu_id, pu_id, resource) = ("22".repeat(32), "33".repeat(32), "44".repeat(32));
    let code = ok(&[
        "authcode",
        "issue",
        "--key",
        &owner,
        "--sharing",
        &sharing,
        "--agreement",
        "4",
        "--cu",
        &cu_id,
        "--pu",
        &pu_id,
        "--resource",
        &resource,
        "--expires-at",
        "4102444800000",
    ]);
    let (store, challenge) = ("55".repeat(32), "66".repeat(16));
    let presentation = ok(&[
        "authcode",
        "present",
        "--key",
        &cu,
        "--code",
        &code,
        "--sharing",
        &sharing,
        "--store",
        &store,
        "--challenge",
        &challenge,
        "--resource",
        &resource,
    ]);
    let verify = |code: &str, sharing: &str, owner: &str, cu: Option<&str>| {
        let mut args = vec![
            "authcode",
            "verify",
            "--code",
            code,
            "--sharing",
            sharing,
            "--owner-public",
            owner,
        ];
        if let Some(cu) = cu {
            args.extend(["--presentation", &presentation, "--cu-public", cu]);
        }
        args.iter().map(|a| a.to_string()).collect::<Vec<_>>()
    };
    let args = verify(&code, &sharing, &owner_public, Some(&cu_public));
    let verified = ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        verified.starts_with("valid: agreement 4, 1 resource(s)"),
        "{verified}"
    );
    assert!(
        verified.contains(&format!(
            "presented to store {store} for resource {resource}"
        )),
        "{verified}"
    );
    let other_sharing = "12".repeat(32);
    for (args, expected) in [
        (
            verify(&code, &sharing, &cu_public, None),
            "not signed by this owner",
        ),
        (
            verify(&code, &other_sharing, &owner_public, None),
            "not signed by this owner",
        ),
        (
            verify(&code, &sharing, &owner_public, Some(&owner_public)),
            "presentation is not the CU's",
        ),
        (
            verify(&code[..code.len() - 2], &sharing, &owner_public, None),
            "malformed",
        ),
    ] {
        refused(
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
            expected,
        );
    }
}

#[test]
fn help_for_every_command() {
    for command in [
        &["--help"][..],
        &["keygen", "--help"],
        &["public", "--help"],
        &["hash", "--help"],
        &["resource-id", "--help"],
        &["verify", "--help"],
        &["attest-capture", "--help"],
        &["authcode", "issue", "--help"],
        &["authcode", "present", "--help"],
        &["authcode", "verify", "--help"],
        &["divs", "sign", "--help"],
        &["divs", "verify", "--help"],
        &["evidence", "verify", "--help"],
    ] {
        let out = vssi(command);
        assert!(out.status.success(), "{command:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage: vssi"),
            "{command:?}"
        );
    }
    assert_eq!(
        vssi(&["hash"]).status.code(),
        Some(2),
        "a missing argument is clap's usage error"
    );
}

/// Keys of a key file written by `vssi keygen`.
fn key_of(file: &str) -> vssi_sdk::KeyPair {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let secret = |name: &str| -> [u8; 32] {
        hex::decode(json[name].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap()
    };
    vssi_sdk::KeyPair::from_secrets(secret("signing_secret"), secret("encryption_secret"))
}

#[test]
fn divs_bundle_signed_by_the_ue_verifies_against_an_exported_ledger() {
    use scale::Encode;
    use vssi_sdk::divs::{endorse, ExportedLedger, Ue};
    use vssi_sdk::shared_types::{AccountState, AccountStatus, EntryAddress, EntryKind};

    let dir = tempfile::tempdir().unwrap();
    let ue_file = path(dir.path(), "ue.json");
    ok(&["keygen", "--out", &ue_file]);
    let ue = Ue::with_keys(key_of(&ue_file), "imei", "iccid", "msisdn");
    let (ledger, authority_account) = ([0xd1; 32], [0xa1; 32]);
    // The authority the verifier trusts (from its certificate), given on the command line.
    let authority = vssi_sdk::KeyPair::generate();
    let address = EntryAddress {
        instance: [0x1e; 32],
        contract: ledger,
    };
    let status = AccountStatus {
        contract_id: [0xc0; 32],
        valid_from: 1_000,
        terminates_at: 2_000,
        region: None,
        state: AccountState::Active,
    };
    let mut export = ExportedLedger {
        address,
        entries: Vec::new(),
    };
    let endorsement = endorse(
        &authority,
        &ledger,
        ue.parameters(&ledger, &authority_account),
        status,
        EntryKind::Registration,
        None,
    );
    let tx_id = export.append(authority_account, endorsement, None, 1_000);
    let (count, head) = export.head();
    let trusted = format!(
        "{}:{}",
        hex::encode(authority_account),
        hex::encode(authority.signing_public().0)
    );
    let export_file = dir.path().join("ledger.hex");
    std::fs::write(&export_file, hex::encode(export.encode())).unwrap();
    std::fs::write(dir.path().join("reading.txt"), b"meter=1532.7kWh").unwrap();

    let sign = |at: &str| {
        ok(&[
            "divs",
            "sign",
            "--key",
            &ue_file,
            "--data",
            &path(dir.path(), "reading.txt"),
            "--tx-id",
            &tx_id.to_string(),
            "--instance",
            &hex::encode(address.instance),
            "--ledger",
            &hex::encode(ledger),
            "--at",
            at,
        ])
    };
    let export_path = export_file.to_str().unwrap();
    let verify = |bundle: &str, extra: &[&str]| {
        let count = count.to_string();
        let head = hex::encode(head);
        let mut args = vec![
            "divs",
            "verify",
            "--bundle",
            bundle,
            "--export",
            export_path,
            "--count",
            &count,
            "--head",
            &head,
        ];
        args.extend_from_slice(extra);
        vssi(&args)
    };
    let verified = ok(&[
        "divs",
        "verify",
        "--bundle",
        &sign("1500"),
        "--export",
        export_path,
        "--authority",
        &trusted,
        "--count",
        &count.to_string(),
        "--head",
        &hex::encode(head),
    ]);
    assert!(
        verified.starts_with("valid: signed at 1500 (claimed by the UE)"),
        "{verified}"
    );
    // Observed at 2500, after the period: refused whatever the UE claims; at 1800, trusted.
    let observed = verify(
        &sign("1500"),
        &["--authority", &trusted, "--observed-at", "1800"],
    );
    assert!(
        String::from_utf8_lossy(&observed.stdout).starts_with("valid: observed at 1800 (trusted"),
        "{observed:?}"
    );
    let late = verify(
        &sign("1500"),
        &["--authority", &trusted, "--observed-at", "2500"],
    );
    assert!(
        String::from_utf8_lossy(&late.stderr).contains("outside"),
        "{late:?}"
    );
    // An authority the verifier does not trust, or none given, does not verify.
    let stranger = format!(
        "{}:{}",
        hex::encode(authority_account),
        hex::encode(vssi_sdk::KeyPair::generate().signing_public().0)
    );
    let untrusted = verify(&sign("1500"), &["--authority", &stranger]);
    assert!(
        String::from_utf8_lossy(&untrusted.stderr)
            .contains("authority's signature does not verify"),
        "{untrusted:?}"
    );
    assert_eq!(verify(&sign("1500"), &[]).status.code(), Some(2));
    refused(
        &[
            "divs",
            "verify",
            "--bundle",
            &sign("2500"),
            "--export",
            export_path,
            "--authority",
            &trusted,
            "--count",
            &count.to_string(),
            "--head",
            &hex::encode(head),
        ],
        "outside",
    );
    // The data comes first, after its one-byte length: alter its first byte.
    let signed = sign("1500");
    let tampered = format!("{}ff{}", &signed[..2], &signed[4..]);
    refused(
        &[
            "divs",
            "verify",
            "--bundle",
            &tampered,
            "--export",
            export_path,
            "--authority",
            &trusted,
            "--count",
            &count.to_string(),
            "--head",
            &hex::encode(head),
        ],
        "rejected",
    );
    export.entries[0].status.terminates_at = 3_000;
    std::fs::write(&export_file, hex::encode(export.encode())).unwrap();
    refused(
        &[
            "divs",
            "verify",
            "--bundle",
            &sign("1500"),
            "--export",
            export_path,
            "--authority",
            &trusted,
            "--count",
            &count.to_string(),
            "--head",
            &hex::encode(head),
        ],
        "exported ledger does not verify",
    );
}
