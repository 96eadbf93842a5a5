//! `#[ink::test]` unit tests: every message, every error variant, and for each refusal the
//! proof that neither state nor the event log changed.
use crate::identity_registry::IdentityRegistry;
use crate::{Error, KeyChange, KeyChangeKind, Suspender, UserRegistration};
use admin_role::{Admin, AdminError};
use ink::env::{test, DefaultEnvironment};
use ink::primitives::AccountId;
use interfaces::IdentityLookup;
use shared_types::{
    payload, reason, AccountBytes, Ed25519Signature, KeySet, Status, UserId, X25519PublicKey,
};
use vssi_sdk::requests::{self, UserTerms};
use vssi_sdk::KeyPair;

type Accounts = test::DefaultAccounts<DefaultEnvironment>;

fn accounts() -> Accounts {
    test::default_accounts::<DefaultEnvironment>()
}

fn call_as(account: AccountId) {
    test::set_caller::<DefaultEnvironment>(account);
}

fn this() -> AccountBytes {
    *test::callee::<DefaultEnvironment>().as_ref()
}

fn events() -> usize {
    test::recorded_events().count()
}

/// Admin = alice; registrar (ISP) = bob with key `isp`.
fn deploy() -> (IdentityRegistry, KeyPair) {
    let a = accounts();
    call_as(a.alice);
    let mut registry = IdentityRegistry::new();
    let isp = KeyPair::generate();
    registry.add_registrar(a.bob, isp.signing_public()).unwrap();
    (registry, isp)
}

/// The registration of `user` with `public` (signed by `keys`) through `registrar`, whose
/// attestation key is `isp`, for notice `[7; 32]` version 3.
fn registration_of(
    user: UserId,
    keys: &KeyPair,
    public: KeySet,
    controller: AccountId,
    registrar: AccountId,
    isp: &KeyPair,
) -> UserRegistration {
    let terms = UserTerms {
        user,
        keys: public,
        controller,
        registrar,
        notice_hash: [7; 32],
        notice_version: 3,
    };
    requests::user_registration(&this(), &terms, keys, isp)
}

/// The registration through the ISP (bob).
fn registration(
    user: UserId,
    keys: &KeyPair,
    controller: AccountId,
    isp: &KeyPair,
) -> UserRegistration {
    registration_of(user, keys, keys.public(), controller, accounts().bob, isp)
}

const ALICE_ID: UserId = UserId([0xa1; 32]);

/// Deploys, and the ISP registers the user ALICE_ID controlled by charlie.
fn with_user() -> (IdentityRegistry, KeyPair, KeyPair) {
    let (mut registry, isp) = deploy();
    let user = KeyPair::generate();
    call_as(accounts().bob);
    registry
        .register_user(registration(ALICE_ID, &user, accounts().charlie, &isp))
        .unwrap();
    (registry, isp, user)
}

/// Everything a refused call must leave as it was.
#[derive(Debug, PartialEq)]
struct Snapshot {
    user: Result<crate::UserRecord, Error>,
    history: Result<Vec<crate::KeyEpoch>, Error>,
    registrar: Option<shared_types::Ed25519PublicKey>,
    admin: (AccountId, Option<AccountId>),
    controller_nonce: Result<u32, Error>,
    events: usize,
}

fn snapshot(registry: &IdentityRegistry) -> Snapshot {
    Snapshot {
        user: registry.user(ALICE_ID),
        history: registry.key_history(ALICE_ID, 0, crate::MAX_PAGE),
        registrar: registry.registrar_key(accounts().bob),
        admin: (registry.admin(), registry.pending_admin()),
        controller_nonce: registry.controller_nonce(ALICE_ID),
        events: events(),
    }
}

/// `refused!(registry.message(args..) => Error::X)`: the call fails with exactly that error
/// and the registry's state and event log are unchanged.
macro_rules! refused {
    ($registry:ident . $message:ident ( $($arg:expr),* ) => $error:expr) => {{
        let before = snapshot(&$registry);
        assert_eq!($registry.$message($($arg),*), Err($error));
        assert_eq!(snapshot(&$registry), before, "state changed on refusal");
    }};
}

#[ink::test]
fn admin_transfer_takes_two_steps() {
    let (mut registry, _) = deploy();
    let a = accounts();
    assert_eq!(registry.admin(), a.alice);
    call_as(a.django);
    assert_eq!(registry.propose_admin(a.django), Err(AdminError::NotAdmin));
    call_as(a.alice);
    registry.propose_admin(a.eve).unwrap();
    assert_eq!(registry.pending_admin(), Some(a.eve));
    call_as(a.django);
    let before = events();
    assert_eq!(registry.accept_admin(), Err(AdminError::NotPendingAdmin));
    assert_eq!((registry.admin(), events()), (a.alice, before));
    call_as(a.eve);
    registry.accept_admin().unwrap();
    assert_eq!((registry.admin(), registry.pending_admin()), (a.eve, None));
    assert_eq!(registry.accept_admin(), Err(AdminError::NotPendingAdmin));
}

#[ink::test]
fn registrars_are_managed_by_the_admin() {
    let (mut registry, isp) = deploy();
    let a = accounts();
    assert_eq!(registry.registrar_key(a.bob), Some(isp.signing_public()));
    assert_eq!(
        registry.add_registrar(a.bob, isp.signing_public()),
        Err(Error::RegistrarExists)
    );
    call_as(a.bob);
    assert_eq!(
        registry.add_registrar(a.eve, isp.signing_public()),
        Err(Error::NotAdmin)
    );
    assert_eq!(registry.remove_registrar(a.bob), Err(Error::NotAdmin));
    call_as(a.alice);
    registry.remove_registrar(a.bob).unwrap();
    assert_eq!(registry.registrar_key(a.bob), None);
    assert_eq!(
        registry.remove_registrar(a.bob),
        Err(Error::UnknownRegistrar)
    );
}

#[ink::test]
fn registrar_registers_a_user_with_both_signatures() {
    let (registry, isp, user) = with_user();
    let record = registry.user(ALICE_ID).unwrap();
    assert_eq!(record.keys, user.public());
    assert_eq!(record.controller, accounts().charlie);
    assert_eq!(
        (record.status, record.key_version, record.notice_version),
        (Status::Active, 0, 3)
    );
    assert_eq!(record.registrar_key, isp.signing_public());
    assert_eq!(registry.version(), 1);
    assert_eq!(events(), 2); // RegistrarAdded, UserRegistered
}

#[ink::test]
fn registration_refusals_leave_state_unchanged() {
    let (mut registry, isp) = deploy();
    let a = accounts();
    let user = KeyPair::generate();
    let good = registration(ALICE_ID, &user, a.charlie, &isp);

    call_as(a.charlie); // not a registrar
    refused!(registry.register_user(good.clone()) => Error::NotRegistrar);

    call_as(a.bob);
    let bad_pop = UserRegistration {
        proof_of_possession: Ed25519Signature([1; 64]),
        ..good.clone()
    };
    refused!(registry.register_user(bad_pop) => Error::InvalidProofOfPossession);
    // A proof signed by another key than the one registered.
    let other = KeyPair::generate();
    let wrong_key = UserRegistration {
        keys: other.public(),
        ..good.clone()
    };
    refused!(registry.register_user(wrong_key) => Error::InvalidProofOfPossession);
    let bad_attestation = UserRegistration {
        registrar_signature: user.sign(b"not the record"),
        ..good.clone()
    };
    refused!(registry.register_user(bad_attestation) => Error::InvalidRegistrarSignature);
    // The user's proof names the notice: another version breaks it.
    let other_notice = UserRegistration {
        notice_version: 4,
        ..good.clone()
    };
    refused!(registry.register_user(other_notice) => Error::InvalidProofOfPossession);
    // And the attestation must cover the notice the user accepted.
    let (controller, registrar): (&AccountBytes, &AccountBytes) =
        (a.charlie.as_ref(), a.bob.as_ref());
    let user_signed_4 = UserRegistration {
        notice_version: 4,
        proof_of_possession: user.sign(&payload::user_proof_of_possession(
            &this(),
            &ALICE_ID,
            &user.public(),
            controller,
            registrar,
            &[7; 32],
            4,
        )),
        ..good.clone()
    };
    refused!(registry.register_user(user_signed_4) => Error::InvalidRegistrarSignature);

    registry.register_user(good.clone()).unwrap();
    refused!(registry.register_user(good) => Error::UserExists);
}

#[ink::test]
fn rotation_needs_old_and_new_key_and_is_single_use() {
    let (mut registry, _, old) = with_user();
    let new = KeyPair::generate();
    let statement = payload::user_key_rotation(&this(), &ALICE_ID, 0, &new.public());
    let (old_sig, new_sig) = (old.sign(&statement), new.sign(&statement));

    refused!(registry.rotate_user_key(ALICE_ID, new.public(), new_sig, new_sig) => Error::InvalidOldKeySignature);
    refused!(registry.rotate_user_key(ALICE_ID, new.public(), old_sig, old_sig) => Error::InvalidNewKeySignature);
    let same = payload::user_key_rotation(&this(), &ALICE_ID, 0, &old.public());
    refused!(registry.rotate_user_key(ALICE_ID, old.public(), old.sign(&same), old.sign(&same)) => Error::KeyUnchanged);
    refused!(registry.rotate_user_key(UserId([9; 32]), new.public(), old_sig, new_sig) => Error::UnknownUser);

    test::set_block_timestamp::<DefaultEnvironment>(5_000);
    registry
        .rotate_user_key(ALICE_ID, new.public(), old_sig, new_sig)
        .unwrap();
    let record = registry.user(ALICE_ID).unwrap();
    assert_eq!((record.keys, record.key_version), (new.public(), 1));

    // Replaying the same rotation fails, and so does a statement for the used key version.
    refused!(registry.rotate_user_key(ALICE_ID, new.public(), old_sig, new_sig) => Error::InvalidOldKeySignature);
    let third = KeyPair::generate();
    let replay = payload::user_key_rotation(&this(), &ALICE_ID, 0, &third.public());
    refused!(registry.rotate_user_key(ALICE_ID, third.public(), new.sign(&replay), third.sign(&replay)) => Error::InvalidOldKeySignature);
}

#[ink::test]
fn key_history_answers_which_key_was_valid_when() {
    let (mut registry, _, k0) = with_user(); // registered at t = 0
    let mut keys = vec![k0];
    for (version, t) in [(0u32, 1_000u64), (1, 2_000), (2, 2_000), (3, 7_000)] {
        test::set_block_timestamp::<DefaultEnvironment>(t);
        let next = KeyPair::generate();
        let statement = payload::user_key_rotation(&this(), &ALICE_ID, version, &next.public());
        let current = keys.last().unwrap();
        registry
            .rotate_user_key(
                ALICE_ID,
                next.public(),
                current.sign(&statement),
                next.sign(&statement),
            )
            .unwrap();
        keys.push(next);
    }
    let at = |t| registry.key_at(ALICE_ID, t).unwrap().keys;
    assert_eq!(at(0), keys[0].public());
    assert_eq!(at(999), keys[0].public());
    assert_eq!(at(1_000), keys[1].public());
    assert_eq!(at(2_000), keys[3].public()); // two rotations in one block: the later one
    assert_eq!(at(6_999), keys[3].public());
    assert_eq!(at(u64::MAX), keys[4].public());

    let history = registry.key_history(ALICE_ID, 0, 100).unwrap();
    assert_eq!(history.len(), 5);
    assert_eq!(history[1].valid_from, 1_000);
    assert_eq!(history[1].valid_until, Some(2_000));
    assert_eq!(history[4].valid_until, None);
    assert_eq!(registry.key_history(ALICE_ID, 3, 1).unwrap().len(), 1);
    assert_eq!(registry.key_history(ALICE_ID, 9, 1).unwrap().len(), 0);
    assert_eq!(
        registry.key_history(UserId([9; 32]), 0, 1),
        Err(Error::UnknownUser)
    );
    assert_eq!(registry.key_at(UserId([9; 32]), 0), Err(Error::UnknownUser));
}

#[ink::test]
fn no_key_before_registration() {
    test::set_block_timestamp::<DefaultEnvironment>(10_000);
    let (registry, _, _) = with_user();
    assert_eq!(registry.key_at(ALICE_ID, 9_999), Err(Error::NoKeyAtTime));
}

#[ink::test]
fn status_changes_follow_the_lifecycle() {
    let (mut registry, _, user) = with_user();
    let a = accounts();

    call_as(a.django); // neither the user's registrar nor the admin
    refused!(registry.suspend_user(ALICE_ID, reason::KEY_COMPROMISE) => Error::NotUserRegistrar);

    call_as(a.bob);
    refused!(registry.reactivate_user(ALICE_ID, reason::RESOLVED) => Error::StatusUnchanged);
    registry
        .suspend_user(ALICE_ID, reason::KEY_COMPROMISE)
        .unwrap();
    let record = registry.user(ALICE_ID).unwrap();
    assert_eq!(
        (record.status, record.status_reason),
        (Status::Suspended, reason::KEY_COMPROMISE)
    );

    // A suspended user cannot rotate keys.
    let new = KeyPair::generate();
    let statement = payload::user_key_rotation(&this(), &ALICE_ID, 0, &new.public());
    refused!(registry.rotate_user_key(ALICE_ID, new.public(), user.sign(&statement), new.sign(&statement)) => Error::UserNotActive);

    registry
        .reactivate_user(ALICE_ID, reason::RESOLVED)
        .unwrap();
    call_as(a.alice); // the admin may act too
    registry
        .revoke_user(ALICE_ID, reason::POLICY_VIOLATION)
        .unwrap();
    assert_eq!(registry.user(ALICE_ID).unwrap().status, Status::Revoked);
    refused!(registry.reactivate_user(ALICE_ID, reason::RESOLVED) => Error::UserRevoked);
    assert_eq!(
        registry.suspend_user(UserId([9; 32]), 0),
        Err(Error::UnknownUser)
    );
}

#[ink::test]
fn another_registrar_cannot_submit_a_proof_of_possession_made_for_the_isp() {
    let (mut registry, isp) = deploy();
    let a = accounts();
    let rogue = KeyPair::generate();
    registry
        .add_registrar(a.eve, rogue.signing_public())
        .unwrap();
    let user = KeyPair::generate();
    let genuine = registration(ALICE_ID, &user, a.charlie, &isp);
    // Eve takes the user's proof (made for bob) and attests the record herself.
    let front_run = UserRegistration {
        proof_of_possession: genuine.proof_of_possession,
        ..registration_of(ALICE_ID, &user, user.public(), a.charlie, a.eve, &rogue)
    };
    call_as(a.eve);
    refused!(registry.register_user(front_run) => Error::InvalidProofOfPossession);
    // The ISP attesting another notice than the one the user signed for.
    call_as(a.bob);
    let other_notice = UserRegistration {
        notice_version: 4,
        registrar_signature: isp.sign(&payload::registrar_attestation(
            &this(),
            &ALICE_ID,
            &user.public(),
            a.charlie.as_ref(),
            &[7; 32],
            4,
        )),
        ..genuine.clone()
    };
    refused!(registry.register_user(other_notice) => Error::InvalidProofOfPossession);
    registry.register_user(genuine).unwrap();
}

#[ink::test]
fn small_order_encryption_keys_are_refused_at_registration_and_rotation() {
    let (mut registry, isp) = deploy();
    let a = accounts();
    let user = KeyPair::generate();
    let weak = KeySet {
        signing: user.signing_public(),
        encryption: X25519PublicKey([0; 32]),
    };
    call_as(a.bob);
    let weak_registration = registration_of(ALICE_ID, &user, weak, a.charlie, a.bob, &isp);
    refused!(registry.register_user(weak_registration) => Error::WeakEncryptionKey);

    registry
        .register_user(registration(ALICE_ID, &user, a.charlie, &isp))
        .unwrap();
    let new = KeyPair::generate();
    let weak = KeySet {
        signing: new.signing_public(),
        encryption: X25519PublicKey([0; 32]),
    };
    let statement = payload::user_key_rotation(&this(), &ALICE_ID, 0, &weak);
    refused!(registry.rotate_user_key(ALICE_ID, weak, user.sign(&statement), new.sign(&statement)) => Error::WeakEncryptionKey);
}

#[ink::test]
fn a_removed_registrar_loses_its_users_and_the_admin_reassigns_them() {
    let (mut registry, _, _) = with_user();
    let a = accounts();
    let other = KeyPair::generate();
    call_as(a.alice);
    registry
        .add_registrar(a.eve, other.signing_public())
        .unwrap();
    registry.remove_registrar(a.bob).unwrap();
    call_as(a.bob);
    refused!(registry.revoke_user(ALICE_ID, reason::POLICY_VIOLATION) => Error::NotUserRegistrar);
    refused!(registry.reassign_registrar(ALICE_ID, a.eve) => Error::NotAdmin);

    call_as(a.alice);
    refused!(registry.reassign_registrar(UserId([9; 32]), a.eve) => Error::UnknownUser);
    refused!(registry.reassign_registrar(ALICE_ID, a.django) => Error::UnknownRegistrar);
    registry.reassign_registrar(ALICE_ID, a.eve).unwrap();
    assert_eq!(registry.user(ALICE_ID).unwrap().registrar, a.eve);
    refused!(registry.reassign_registrar(ALICE_ID, a.eve) => Error::RegistrarUnchanged);
    call_as(a.eve);
    registry
        .suspend_user(ALICE_ID, reason::KEY_COMPROMISE)
        .unwrap();
}

#[ink::test]
fn only_who_suspended_a_user_or_the_admin_lifts_the_suspension() {
    let (mut registry, _, _) = with_user();
    let a = accounts();
    call_as(a.alice);
    registry
        .suspend_user(ALICE_ID, reason::POLICY_VIOLATION)
        .unwrap();
    assert_eq!(
        registry.user(ALICE_ID).unwrap().suspended_by,
        Some(crate::Suspender::Admin)
    );
    call_as(a.bob);
    refused!(registry.reactivate_user(ALICE_ID, reason::RESOLVED) => Error::NotSuspender);
    // A registrar's suspension: the admin may lift it too.
    call_as(a.alice);
    registry
        .reactivate_user(ALICE_ID, reason::RESOLVED)
        .unwrap();
    call_as(a.bob);
    registry
        .suspend_user(ALICE_ID, reason::KEY_COMPROMISE)
        .unwrap();
    call_as(a.alice);
    registry
        .reactivate_user(ALICE_ID, reason::RESOLVED)
        .unwrap();
    assert_eq!(registry.user(ALICE_ID).unwrap().suspended_by, None);
}

/// The user's signature of a change of ALICE_ID's controller to `to` under `nonce`.
fn controller_change(user: &KeyPair, nonce: u32, to: AccountId) -> Ed25519Signature {
    user.sign(&payload::user_controller_change(
        &this(),
        &ALICE_ID,
        accounts().bob.as_ref(),
        nonce,
        to.as_ref(),
    ))
}

#[ink::test]
fn a_controller_change_needs_the_users_key_and_the_registrars_call_and_is_single_use() {
    let (mut registry, isp, user) = with_user();
    let a = accounts();
    let signed = controller_change(&user, 0, a.django);

    for caller in [a.django, a.alice] {
        // Neither another account nor the admin approves in the registrar's place.
        call_as(caller);
        refused!(registry.change_controller(ALICE_ID, a.django, signed) => Error::NotUserRegistrar);
    }
    call_as(a.bob);
    refused!(registry.change_controller(UserId([9; 32]), a.django, signed) => Error::UnknownUser);
    // The registrar alone: its own key's signature, or the user's for another nonce.
    refused!(registry.change_controller(ALICE_ID, a.django, isp.sign(b"approved")) => Error::InvalidUserSignature);
    let next_nonce = controller_change(&user, 1, a.django);
    refused!(registry.change_controller(ALICE_ID, a.django, next_nonce) => Error::InvalidUserSignature);
    refused!(registry.change_controller(ALICE_ID, a.eve, signed) => Error::InvalidUserSignature);
    let same = controller_change(&user, 0, a.charlie);
    refused!(registry.change_controller(ALICE_ID, a.charlie, same) => Error::ControllerUnchanged);

    registry
        .change_controller(ALICE_ID, a.django, signed)
        .unwrap();
    assert_eq!(registry.user(ALICE_ID).unwrap().controller, a.django);
    assert_eq!(registry.controller_nonce(ALICE_ID), Ok(1));
    refused!(registry.change_controller(ALICE_ID, a.django, signed) => Error::InvalidUserSignature);

    // Back under nonce 1, then the used nonce-0 statement cannot move it again.
    registry
        .change_controller(ALICE_ID, a.charlie, controller_change(&user, 1, a.charlie))
        .unwrap();
    refused!(registry.change_controller(ALICE_ID, a.django, signed) => Error::InvalidUserSignature);

    registry
        .suspend_user(ALICE_ID, reason::KEY_COMPROMISE)
        .unwrap();
    let while_suspended = controller_change(&user, 2, a.django);
    refused!(registry.change_controller(ALICE_ID, a.django, while_suspended) => Error::UserNotActive);
    call_as(a.alice);
    registry
        .reactivate_user(ALICE_ID, reason::RESOLVED)
        .unwrap();
    registry.remove_registrar(a.bob).unwrap();
    call_as(a.bob);
    refused!(registry.change_controller(ALICE_ID, a.django, while_suspended) => Error::NotUserRegistrar);
}

/// The signatures of a recovery of ALICE_ID from `key_version` to `new`'s keys and
/// controller `to`, naming the registrar key `named`: the new key's and `registrar`'s.
fn recovery(
    key_version: u32,
    new: &KeyPair,
    keys: KeySet,
    to: AccountId,
    named: &KeyPair,
    registrar: &KeyPair,
) -> (Ed25519Signature, Ed25519Signature) {
    let statement = payload::user_recovery(
        &this(),
        &ALICE_ID,
        key_version,
        &keys,
        to.as_ref(),
        &named.signing_public(),
    );
    (new.sign(&statement), registrar.sign(&statement))
}

#[ink::test]
fn recovery_needs_the_registrars_suspension_the_new_key_and_the_registrars_attestation() {
    let (mut registry, isp, stolen) = with_user(); // registered at t = 0
    let a = accounts();
    let new = KeyPair::generate();
    let (new_sig, isp_sig) = recovery(0, &new, new.public(), a.eve, &isp, &isp);

    // An active user is never taken over, nor one the admin suspended.
    call_as(a.bob);
    refused!(registry.recover_user(ALICE_ID, new.public(), a.eve, new_sig, isp_sig) => Error::UserNotSuspended);
    call_as(a.alice);
    registry
        .suspend_user(ALICE_ID, reason::POLICY_VIOLATION)
        .unwrap();
    call_as(a.bob);
    refused!(registry.recover_user(ALICE_ID, new.public(), a.eve, new_sig, isp_sig) => Error::NotSuspender);
    call_as(a.alice);
    registry
        .reactivate_user(ALICE_ID, reason::RESOLVED)
        .unwrap();
    call_as(a.bob);
    registry
        .suspend_user(ALICE_ID, reason::KEY_COMPROMISE)
        .unwrap();

    for caller in [a.django, a.alice] {
        call_as(caller);
        refused!(registry.recover_user(ALICE_ID, new.public(), a.eve, new_sig, isp_sig) => Error::NotUserRegistrar);
    }
    // Another registrar, with its own attestation of a key of its own.
    let rogue = KeyPair::generate();
    call_as(a.alice);
    registry
        .add_registrar(a.frank, rogue.signing_public())
        .unwrap();
    call_as(a.frank);
    let (rogue_new, rogue_sig) = recovery(0, &rogue, rogue.public(), a.frank, &rogue, &rogue);
    refused!(registry.recover_user(ALICE_ID, rogue.public(), a.frank, rogue_new, rogue_sig) => Error::NotUserRegistrar);
    call_as(a.bob);
    refused!(registry.recover_user(UserId([9; 32]), new.public(), a.eve, new_sig, isp_sig) => Error::UnknownUser);
    // The new key must sign, for this controller and naming this registrar's key.
    let (_, by_isp_only) = recovery(0, &isp, new.public(), a.eve, &isp, &isp);
    refused!(registry.recover_user(ALICE_ID, new.public(), a.eve, by_isp_only, by_isp_only) => Error::InvalidNewKeySignature);
    refused!(registry.recover_user(ALICE_ID, new.public(), a.django, new_sig, isp_sig) => Error::InvalidNewKeySignature);
    let rogue = KeyPair::generate();
    let (for_rogue, rogue_sig) = recovery(0, &new, new.public(), a.eve, &rogue, &rogue);
    refused!(registry.recover_user(ALICE_ID, new.public(), a.eve, for_rogue, rogue_sig) => Error::InvalidNewKeySignature);
    // And the registrar's attestation key, not any other.
    let (_, not_isp) = recovery(0, &new, new.public(), a.eve, &isp, &rogue);
    refused!(registry.recover_user(ALICE_ID, new.public(), a.eve, new_sig, not_isp) => Error::InvalidRegistrarSignature);
    let (same_new, same_isp) = recovery(0, &stolen, stolen.public(), a.eve, &isp, &isp);
    refused!(registry.recover_user(ALICE_ID, stolen.public(), a.eve, same_new, same_isp) => Error::KeyUnchanged);
    let weak = KeySet {
        encryption: X25519PublicKey([0; 32]),
        ..new.public()
    };
    let (weak_new, weak_isp) = recovery(0, &new, weak, a.eve, &isp, &isp);
    refused!(registry.recover_user(ALICE_ID, weak, a.eve, weak_new, weak_isp) => Error::WeakEncryptionKey);

    test::set_block_timestamp::<DefaultEnvironment>(5_000);
    let before = events();
    registry
        .recover_user(ALICE_ID, new.public(), a.eve, new_sig, isp_sig)
        .unwrap();
    // UserRecovered, and UserStatusChanged for whoever follows statuses.
    assert_eq!(events(), before + 2);
    let record = registry.user(ALICE_ID).unwrap();
    assert_eq!(
        (record.keys, record.key_version, record.controller),
        (new.public(), 1, a.eve)
    );
    assert_eq!(
        (record.status, record.suspended_by, record.status_reason),
        (Status::Active, None, reason::RESOLVED)
    );
    assert_eq!(registry.controller_nonce(ALICE_ID), Ok(1));
    let history = registry.key_history(ALICE_ID, 0, 2).unwrap();
    let record_signature = record.registrar_signature;
    assert_eq!(
        history[0].authorized_by,
        KeyChange {
            kind: KeyChangeKind::Registered,
            signer: isp.signing_public(),
            signature: record_signature,
            controller: Some(a.charlie),
        }
    );
    assert_eq!(history[0].valid_until, Some(5_000));
    assert_eq!(
        history[1].authorized_by,
        KeyChange {
            kind: KeyChangeKind::Recovered,
            signer: isp.signing_public(),
            signature: isp_sig,
            controller: Some(a.eve),
        }
    );
    assert_eq!(
        registry.key_at(ALICE_ID, 4_999).unwrap().keys,
        stolen.public()
    );
    assert_eq!(registry.key_at(ALICE_ID, 5_000).unwrap().keys, new.public());
    let message = b"signed after the recovery".to_vec();
    let verify = |registry: &IdentityRegistry, by: &KeyPair| {
        registry.verify_signature(ALICE_ID, message.clone(), by.sign(&message))
    };
    assert_eq!(verify(&registry, &stolen), Ok(false));
    assert_eq!(verify(&registry, &new), Ok(true));

    // The used statement cannot recover her again, even after another suspension.
    registry
        .suspend_user(ALICE_ID, reason::KEY_COMPROMISE)
        .unwrap();
    refused!(registry.recover_user(ALICE_ID, new.public(), a.eve, new_sig, isp_sig) => Error::InvalidNewKeySignature);
    call_as(a.alice);
    registry
        .revoke_user(ALICE_ID, reason::POLICY_VIOLATION)
        .unwrap();
    call_as(a.bob);
    let (new_sig, isp_sig) = recovery(1, &stolen, stolen.public(), a.eve, &isp, &isp);
    refused!(registry.recover_user(ALICE_ID, stolen.public(), a.eve, new_sig, isp_sig) => Error::UserRevoked);
    assert_eq!(
        registry.user(ALICE_ID).unwrap().suspended_by,
        None::<Suspender>
    );
}

#[ink::test]
fn a_reassignment_voids_the_controller_changes_signed_before_it() {
    let (mut registry, _, user) = with_user();
    let a = accounts();
    // Alice signs a change for her registrar (bob), which keeps it back.
    let kept_back = controller_change(&user, 0, a.django);
    call_as(a.alice);
    registry
        .add_registrar(a.eve, KeyPair::generate().signing_public())
        .unwrap();
    registry.reassign_registrar(ALICE_ID, a.eve).unwrap();
    registry.reassign_registrar(ALICE_ID, a.bob).unwrap();
    assert_eq!(registry.controller_nonce(ALICE_ID), Ok(2));
    // Assigned again, it cannot use the statement given before.
    call_as(a.bob);
    refused!(registry.change_controller(ALICE_ID, a.django, kept_back) => Error::InvalidUserSignature);
    registry
        .change_controller(ALICE_ID, a.django, controller_change(&user, 2, a.django))
        .unwrap();
}
