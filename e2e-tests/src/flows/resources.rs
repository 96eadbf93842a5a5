//! F.743.24 I.4: Alice's VSS encrypts real generated video files, the cloud store registers
//! them on the ledger for her (SyR-1, SyR-2), Bob downloads and verifies a copy (SeR-15);
//! the store tampers with a copy of Alice's and one of Bob's (his own camera's): each owner
//! detects it and reports the store's fault, and two owners' faults suspend the store
//! (SyR-5). Refusals assert the typed error and unchanged state.
use super::registration::{user_id, Device, Registered};
use super::{expect_ok, refused};
use crate::chain::{Actor, Chain};
use crate::transcript::{short, Transcript};
use anyhow::{ensure, Context};
use rand_core::{OsRng, RngCore};
use resource_registry::{Error as ResourceError, ResourceRegistration};
use shared_types::{
    reason, AccountBytes, Classification, DeviceKind, HashAlgorithm, Multihash, ResourceContent,
    ResourceId, Status, TimeSpan,
};
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use vssi_sdk::{encryption, hashing, requests, segments::Segments};

/// Size of each generated video: enough to span many encryption chunks and segments.
pub const VIDEO_BYTES: usize = 24 << 20;
/// Segment size of the segment trees: 1 MiB.
pub const SEGMENT_BYTES: u32 = 1 << 20;
/// One minute of block time.
pub const MINUTE: u64 = 60_000;

/// A recorded, encrypted video as Alice's VSS holds it.
pub struct Video {
    /// Label in transcripts.
    pub label: String,
    /// The plaintext recording (stays with Alice).
    pub plain: PathBuf,
    /// The encrypted file that goes to storage.
    pub encrypted: PathBuf,
    /// Multihash of the encrypted file.
    pub multihash: Multihash,
    /// Segment tree of the encrypted file.
    pub segments: Segments,
    /// Resource ID: SHA-256(source device ID ‖ multihash).
    pub resource: ResourceId,
    /// When it was captured.
    pub capture: TimeSpan,
}

fn write_random_file(path: &Path, len: usize) -> anyhow::Result<()> {
    let mut out = BufWriter::new(fs::File::create(path)?);
    let mut block = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        let n = left.min(block.len());
        OsRng.fill_bytes(&mut block[..n]);
        out.write_all(&block[..n])?;
        left -= n;
    }
    out.flush()?;
    Ok(())
}

impl Video {
    /// Records `len` bytes of video at `source` (a PU, or a private DB for I.5.2), encrypts
    /// it to `recipient` (an X25519 key) and hashes it: I.4 step 1.
    pub fn record(
        dir: &Path,
        label: &str,
        len: usize,
        source: &Device,
        recipient: &shared_types::X25519PublicKey,
        capture: TimeSpan,
    ) -> anyhow::Result<Self> {
        let plain = dir.join(format!("{label}.raw"));
        let encrypted = dir.join(format!("{label}.enc"));
        write_random_file(&plain, len)?;
        encryption::encrypt(
            &mut fs::File::open(&plain)?,
            &mut BufWriter::new(fs::File::create(&encrypted)?),
            recipient,
        )?;
        let multihash = hashing::multihash_file(&encrypted, HashAlgorithm::Sha2_256, |_| {})?;
        let segments = Segments::build_file(&encrypted, SEGMENT_BYTES, 2, |_| {})?;
        Ok(Self {
            label: label.to_owned(),
            resource: hashing::resource_id(&source.id, &multihash),
            plain,
            encrypted,
            multihash,
            segments,
            capture,
        })
    }

    /// What Alice vouches for.
    pub fn content(&self, classification: Classification) -> anyhow::Result<ResourceContent> {
        Ok(ResourceContent {
            multihash: self.multihash.clone(),
            classification,
            size: fs::metadata(&self.encrypted)?.len(),
            capture: self.capture,
            segments: Some(self.segments.tree),
        })
    }
}

/// The cloud store's files, by resource.
pub struct CloudStorage {
    dir: tempfile::TempDir,
}

impl CloudStorage {
    fn new() -> anyhow::Result<Self> {
        Ok(Self {
            dir: tempfile::tempdir()?,
        })
    }

    /// The storage index the store appends to the record (I.4 step 2).
    pub fn location(resource: &ResourceId) -> Vec<u8> {
        format!("cloud://vssi-store/{}", hex::encode(resource.0)).into_bytes()
    }

    /// Where the store keeps a resource's file.
    pub fn path(&self, resource: &ResourceId) -> PathBuf {
        self.dir.path().join(hex::encode(resource.0))
    }

    fn store(&self, video: &Video) -> anyhow::Result<()> {
        fs::copy(&video.encrypted, self.path(&video.resource))?;
        Ok(())
    }

    /// A download: a copy of the stored file in `into`.
    pub fn download(&self, resource: &ResourceId, into: &Path) -> anyhow::Result<PathBuf> {
        let copy = into.join(format!("download-{}", hex::encode(&resource.0[..4])));
        fs::copy(self.path(resource), &copy).context("the store has no such file")?;
        Ok(copy)
    }

    /// Flips one byte of the stored file: what a faulty or malicious store serves.
    fn corrupt(&self, resource: &ResourceId) -> anyhow::Result<()> {
        let path = self.path(resource);
        let mut bytes = fs::read(&path)?;
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x01;
        fs::write(path, bytes)?;
        Ok(())
    }
}

/// Everything after I.4.
pub struct Uploaded {
    /// Alice's working directory (recordings, encrypted files) and Bob's downloads.
    pub workdir: tempfile::TempDir,
    /// The cloud store's files.
    pub storage: CloudStorage,
    /// The two registered videos; the first is intact, the second's stored copy was
    /// tampered with.
    pub videos: Vec<Video>,
}

/// The registration the cloud store submits for Alice, carrying her signature.
pub fn upload_request(
    r: &Registered,
    video: &Video,
    signer: &Actor,
) -> anyhow::Result<ResourceRegistration> {
    upload_request_for(r, &r.alice, &r.pu1, video, signer)
}

/// The registration the cloud store submits for `owner`'s video from `pu`, signed by
/// `signer` (the owner, or someone forging her).
pub fn upload_request_for(
    r: &Registered,
    owner: &Actor,
    pu: &Device,
    video: &Video,
    signer: &Actor,
) -> anyhow::Result<ResourceRegistration> {
    let registry = r.suite.resources.0.address_bytes();
    let devices = r.suite.devices.0.address_bytes();
    let unsigned = ResourceRegistration {
        resource: video.resource,
        owner: user_id(owner),
        pu: pu.id,
        provider: Some(r.cloud.account),
        location: CloudStorage::location(&video.resource),
        owner_signature: None,
        pu_signature: None,
        content: video.content(Classification::General)?,
    };
    let submitter: &AccountBytes = r.cloud.account.as_ref();
    let signed = requests::with_owner_signature(unsigned, &registry, submitter, &signer.keys);
    Ok(requests::with_capture_attestation(
        signed, &devices, &pu.keys,
    ))
}

/// I.4 steps 1-3 with the tampering case and the provider's suspension.
pub fn upload_and_verify<C: Chain>(
    chain: &mut C,
    t: &mut Transcript,
    r: &Registered,
) -> anyhow::Result<Uploaded> {
    let resources = &r.suite.resources;
    let alice_id = user_id(&r.alice);
    let registered = resources.register_provider(chain, &r.operator, r.cloud.account)?;
    expect_ok(
        t,
        "F.743.24 I.4 step 2",
        "Operator",
        "registers the cloud store as a storage provider",
        &registered,
        r.cloud.account.as_ref(),
    )?;

    let workdir = tempfile::tempdir()?;
    let storage = CloudStorage::new()?;
    let now = chain.now();
    let mut videos = Vec::new();
    for (i, label) in ["video-1", "video-2"].into_iter().enumerate() {
        let start = now.saturating_sub((2 - i as u64) * 10 * MINUTE);
        let capture = TimeSpan {
            start,
            end: start + 5 * MINUTE,
        };
        let alice_key = r.alice.keys.public().encryption;
        let video = Video::record(
            workdir.path(),
            label,
            VIDEO_BYTES,
            &r.pu1,
            &alice_key,
            capture,
        )?;
        t.step(
            "F.743.24 I.4 step 1",
            "Alice's VSS",
            &format!(
                "records {label} on PU1 ({} MiB), encrypts it with HPKE, hashes it",
                VIDEO_BYTES >> 20
            ),
            &format!(
                "multihash {}, resource ID {}, {} segments",
                short(video.multihash.as_bytes()),
                short(&video.resource.0),
                video.segments.tree.segments
            ),
        );
        storage.store(&video)?;
        videos.push(video);
    }

    let observe = |chain: &mut C| -> anyhow::Result<_> {
        Ok((
            resources.resources_of(chain, &r.operator, alice_id)?,
            resources.resource(chain, &r.operator, videos[0].resource)?,
        ))
    };
    let clause = "F.743.24 I.4 step 2 refusal";
    let good = upload_request(r, &videos[0], &r.alice)?;
    refused(
        chain,
        t,
        clause,
        "Bob",
        "writes Alice's resource record himself",
        observe,
        |chain| resources.register_resource(chain, &r.bob, &good),
        ResourceError::NotAuthorized,
    )?;
    let mut wrong_id = good.clone();
    wrong_id.resource = videos[1].resource;
    refused(
        chain,
        t,
        clause,
        "CloudStore",
        "registers video-1 under video-2's resource ID",
        observe,
        |chain| resources.register_resource(chain, &r.cloud, &wrong_id),
        ResourceError::ResourceIdMismatch,
    )?;
    let forged = upload_request(r, &videos[0], &r.bob)?;
    refused(
        chain,
        t,
        clause,
        "CloudStore",
        "registers video-1 with an owner signature by Bob",
        observe,
        |chain| resources.register_resource(chain, &r.cloud, &forged),
        ResourceError::InvalidOwnerSignature,
    )?;

    for video in &videos {
        let called =
            resources.register_resource(chain, &r.cloud, &upload_request(r, video, &r.alice)?)?;
        expect_ok(
            t,
            "F.743.24 I.4 step 2",
            "CloudStore",
            &format!(
                "registers {} (resource {}) for Alice with her signature, PU1's capture attestation and its storage index",
                video.label,
                short(&video.resource.0)
            ),
            &called,
            &video.resource.0,
        )?;
    }
    let ids: Vec<ResourceId> = videos.iter().map(|v| v.resource).collect();
    let by_owner = resources.resources_of(chain, &r.bob, alice_id)?;
    let by_pu = resources.resources_by_pu(chain, &r.bob, r.pu1.id)?;
    ensure!(
        by_owner == ids && by_pu == ids,
        "catalogue: {by_owner:?} / {by_pu:?}"
    );
    t.step(
        "F.743.24 SeR-1",
        "Bob's VSS",
        "reads Alice's catalogue by owner and by PU1",
        &format!("{} resource(s) each", ids.len()),
    );

    // Step 3: Bob downloads video-1 and verifies it against the ledger.
    let copy = storage.download(&videos[0].resource, workdir.path())?;
    let computed = hashing::multihash_file(&copy, HashAlgorithm::Sha2_256, |_| {})?;
    let called = resources.verify_resource(chain, &r.bob, videos[0].resource, &computed)?;
    ensure!(called.value == Ok(true), "intact copy: {:?}", called.value);
    expect_ok(
        t,
        "F.743.24 I.4 step 3",
        "Bob's CU",
        "downloads video-1, hashes it and records the comparison with the ledger",
        &called,
        &videos[0].resource.0,
    )?;

    // Bob's own camera: the store keeps one of his videos too.
    let bob_pu = Device::new(&r.bob, "PU-B", DeviceKind::Pu);
    let devices = &r.suite.devices;
    let called = devices.register_device(
        chain,
        &r.isp,
        &bob_pu.registration(&devices.0.address_bytes(), &r.bob),
    )?;
    expect_ok(
        t,
        "F.743.24 I.1.2 steps 6-7",
        "ISP",
        &format!(
            "registers Bob's camera PU-B (device {})",
            short(&bob_pu.id.0)
        ),
        &called,
        &bob_pu.id.0,
    )?;
    let bobs = Video::record(
        workdir.path(),
        "video-b",
        1 << 20,
        &bob_pu,
        &r.bob.keys.public().encryption,
        videos[1].capture,
    )?;
    storage.store(&bobs)?;
    let request = upload_request_for(r, &r.bob, &bob_pu, &bobs, &r.bob)?;
    let called = resources.register_resource(chain, &r.cloud, &request)?;
    expect_ok(
        t,
        "F.743.24 I.4 step 2",
        "CloudStore",
        &format!(
            "registers Bob's video-b (resource {}) with his signature",
            short(&bobs.resource.0)
        ),
        &called,
        &bobs.resource.0,
    )?;

    // The store tampers with its copies of video-2 and video-b: each owner finds out and
    // reports it, a fault of the store per owner.
    let mut reports = Vec::new();
    for (owner, video) in [(&r.alice, &videos[1]), (&r.bob, &bobs)] {
        storage.corrupt(&video.resource)?;
        let copy = storage.download(&video.resource, workdir.path())?;
        let computed = hashing::multihash_file(&copy, HashAlgorithm::Sha2_256, |_| {})?;
        let called = resources.verify_resource(chain, owner, video.resource, &computed)?;
        ensure!(
            called.value == Ok(false),
            "tampered copy: {:?}",
            called.value
        );
        let label = &video.label;
        expect_ok(
            t,
            "F.743.24 I.4 step 3, SeR-15",
            &owner.name,
            &format!(
                "downloads {label}, finds its hash differs from the ledger, records the mismatch"
            ),
            &called,
            &video.resource.0,
        )?;
        reports.push((owner, video, computed));
    }
    let (alice, video2, tampered) = &reports[0];
    let called = resources.report_fault(chain, alice, video2.resource, user_id(alice), tampered)?;
    expect_ok(
        t,
        "F.743.24 SyR-5",
        "Alice",
        "reports the store's copy of video-2, hers, as a fault",
        &called,
        r.cloud.account.as_ref(),
    )?;
    let observe_store = |chain: &mut C| resources.provider(chain, &r.operator, r.cloud.account);
    refused(
        chain,
        t,
        "F.743.24 SyR-5 refusal",
        "Bob",
        "reports Alice's copy of video-2, which he was never served",
        observe_store,
        |chain| resources.report_fault(chain, &r.bob, video2.resource, user_id(&r.bob), tampered),
        ResourceError::NotEntitled,
    )?;
    refused(
        chain,
        t,
        "F.743.24 SyR-5 refusal",
        "Alice",
        "reports video-2 again, to count a second fault alone",
        observe_store,
        |chain| resources.report_fault(chain, alice, video2.resource, user_id(alice), tampered),
        ResourceError::AlreadyReported,
    )?;
    let (bob, video_b, tampered) = &reports[1];
    let called = resources.report_fault(chain, bob, video_b.resource, user_id(bob), tampered)?;
    expect_ok(
        t,
        "F.743.24 SyR-5",
        "Bob",
        "reports the store's copy of video-b, his, as a fault",
        &called,
        r.cloud.account.as_ref(),
    )?;
    let provider = resources
        .provider(chain, &r.operator, r.cloud.account)?
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    ensure!(
        provider.status == Status::Suspended && provider.faults == 2,
        "provider after two faults: {provider:?}"
    );
    t.step(
        "F.743.24 SyR-5",
        "resource_registry",
        "counts the cloud store's faults",
        &format!(
            "{} faults from two owners: suspended automatically",
            provider.faults
        ),
    );

    let later = Video::record(
        workdir.path(),
        "video-3",
        1 << 20,
        &r.pu1,
        &r.alice.keys.public().encryption,
        videos[1].capture,
    )?;
    let request = upload_request(r, &later, &r.alice)?;
    refused(
        chain,
        t,
        "F.743.24 SyR-5 refusal",
        "CloudStore",
        "registers video-3 while suspended",
        observe,
        |chain| resources.register_resource(chain, &r.cloud, &request),
        ResourceError::ProviderSuspended,
    )?;
    let reactivated =
        resources.reactivate_provider(chain, &r.operator, r.cloud.account, reason::RESOLVED)?;
    expect_ok(
        t,
        "F.743.24 SyR-3",
        "Operator",
        "reactivates the repaired cloud store (faults reset)",
        &reactivated,
        r.cloud.account.as_ref(),
    )?;
    let suspended =
        resources.suspend_provider(chain, &r.operator, r.cloud.account, reason::UNSPECIFIED)?;
    expect_ok(
        t,
        "F.743.24 SyR-5",
        "Operator",
        "suspends the cloud store by hand (maintenance)",
        &suspended,
        r.cloud.account.as_ref(),
    )?;
    let reactivated =
        resources.reactivate_provider(chain, &r.operator, r.cloud.account, reason::RESOLVED)?;
    expect_ok(
        t,
        "F.743.24 SyR-5",
        "Operator",
        "reactivates it after maintenance",
        &reactivated,
        r.cloud.account.as_ref(),
    )?;
    Ok(Uploaded {
        workdir,
        storage,
        videos,
    })
}
