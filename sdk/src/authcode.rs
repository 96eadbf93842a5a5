//! Cloud-DB authorization codes of F.743.24 I.3: the owner signs a code scoped to one CU,
//! one PU, resources, an optional window, an expiry and a sharing agreement (step 2). The
//! code alone opens nothing: the requester's CU answers a cloud store's fresh challenge
//! with a [`Presentation`], its signature over the code's ID, that store, the challenge and
//! the one resource and window it asks for. The store ([`CodeStore`]) checks both
//! signatures, the request against the code and the agreement's state on the ledger
//! (step 3), takes each challenge once and serves each resource once per code, so what is
//! seen in transit cannot be replayed, taken to another store or stretched to more.
use crate::ledger::{Ledger, LedgerError};
use crate::KeyPair;
use rand_core::{OsRng, RngCore};
use scale::{Decode, Encode};
use shared_types::{
    payload, verify, AccountBytes, AgreementId, DeviceId, Ed25519PublicKey, Ed25519Signature,
    ResourceId, Timestamp, Window,
};
use std::collections::BTreeMap;

/// How long a store's challenge may be answered: one minute of block time.
pub const CHALLENGE_MS: Timestamp = 60_000;

/// An authorization code as the owner issues it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct AuthorizationCode {
    /// Random, so every code is distinct.
    pub code_id: [u8; 16],
    /// The sharing agreement it draws on.
    pub agreement: AgreementId,
    /// The only CU that may use it.
    pub cu: DeviceId,
    /// The PU whose video it opens.
    pub pu: DeviceId,
    /// The resources it opens.
    pub resources: Vec<ResourceId>,
    /// The part of each resource, if not all.
    pub window: Option<Window>,
    /// Block time after which it is void.
    pub expires_at: Timestamp,
    /// The owner's signature of [`payload::authorization_code`].
    pub signature: Ed25519Signature,
}

/// The CU's request to one store under a code: what it asks for, signed over
/// [`payload::authorization_code_presentation`].
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Presentation {
    /// The store's account, the only store it is for.
    pub store: AccountBytes,
    /// The store's challenge it answers.
    pub challenge: [u8; 16],
    /// The resource asked for, one of the code's.
    pub resource: ResourceId,
    /// The part asked for (`None`: the whole resource), inside the code's window.
    pub window: Option<Window>,
    /// The CU's signature.
    pub signature: Ed25519Signature,
}

/// Why a store refuses a code.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CodeError {
    /// The bytes are not a code.
    #[error("malformed authorization code")]
    Malformed,
    /// Past its expiry.
    #[error("the code expired")]
    Expired,
    /// The presentation names another store.
    #[error("the presentation is for another store")]
    WrongStore,
    /// The presentation answers no challenge this store has pending: replayed (each
    /// challenge is taken once), made up, or older than [`CHALLENGE_MS`].
    #[error("the presentation answers no pending challenge of this store")]
    UnknownChallenge,
    /// This store already served the resource under this code.
    #[error("the resource was already served under this code")]
    AlreadyServed,
    /// The agreement does not exist.
    #[error("unknown agreement")]
    UnknownAgreement,
    /// The agreement is revoked, its policy inactive, or its period over.
    #[error("the agreement is not usable now")]
    AgreementNotUsable,
    /// The owner's signature does not verify (forged or altered code).
    #[error("the code is not signed by the resources' owner")]
    Forged,
    /// The code or the request reaches beyond what the agreement or the code covers.
    #[error("outside the code's scope")]
    OutOfScope,
    /// The presenting CU is not the code's CU, not the requester's, or not active, or the
    /// presentation is not its signature (altered, or made by someone else).
    #[error("the code was not issued to this CU")]
    WrongDevice,
    /// The ledger could not be asked.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

impl AuthorizationCode {
    /// The statement the owner signs.
    pub fn statement(&self, sharing: &AccountBytes) -> Vec<u8> {
        payload::authorization_code(
            sharing,
            &self.code_id,
            self.agreement,
            &self.cu,
            &self.pu,
            &self.resources,
            &self.window,
            self.expires_at,
        )
    }

    /// The owner issues a code (I.3 step 2).
    #[allow(clippy::too_many_arguments)] // the scope of the code
    pub fn issue(
        owner: &KeyPair,
        sharing: &AccountBytes,
        agreement: AgreementId,
        cu: DeviceId,
        pu: DeviceId,
        resources: Vec<ResourceId>,
        window: Option<Window>,
        expires_at: Timestamp,
    ) -> Self {
        let mut code_id = [0u8; 16];
        OsRng.fill_bytes(&mut code_id);
        let mut code = Self {
            code_id,
            agreement,
            cu,
            pu,
            resources,
            window,
            expires_at,
            signature: Ed25519Signature([0; 64]),
        };
        code.signature = owner.sign(&code.statement(sharing));
        code
    }

    /// The CU presents the code to `store`, answering its `challenge`, for `resource` (the
    /// part `window` of it).
    pub fn present(
        &self,
        cu: &KeyPair,
        sharing: &AccountBytes,
        store: AccountBytes,
        challenge: [u8; 16],
        resource: ResourceId,
        window: Option<Window>,
    ) -> Presentation {
        let mut presentation = Presentation {
            store,
            challenge,
            resource,
            window,
            signature: Ed25519Signature([0; 64]),
        };
        presentation.signature = cu.sign(&presentation.statement(self, sharing));
        presentation
    }

    /// Parses a code received as bytes.
    pub fn from_bytes(mut bytes: &[u8]) -> Result<Self, CodeError> {
        let code = Self::decode(&mut bytes).map_err(|_| CodeError::Malformed)?;
        if !bytes.is_empty() {
            return Err(CodeError::Malformed);
        }
        Ok(code)
    }

    /// True when the presentation asks for one of the code's resources, and for a part of
    /// it inside the code's window.
    fn covers(&self, presentation: &Presentation) -> bool {
        let inside = match (&self.window, &presentation.window) {
            (None, None) => true,
            (None, Some(asked)) => asked.is_ordered(),
            (Some(allowed), Some(asked)) => allowed.contains(asked),
            (Some(_), None) => false,
        };
        inside && self.resources.contains(&presentation.resource)
    }

    /// The ledger's part of the store's check (I.3 step 3): the owner's signature, the
    /// agreement, the scope, and the CU's signature of the presentation.
    fn check(
        &self,
        sharing: &AccountBytes,
        presentation: &Presentation,
        ledger: &mut impl Ledger,
    ) -> Result<(), CodeError> {
        let agreement = ledger
            .agreement(self.agreement)?
            .ok_or(CodeError::UnknownAgreement)?;
        if !agreement.usable {
            return Err(CodeError::AgreementNotUsable);
        }
        let owner = ledger.user(&agreement.owner)?.ok_or(CodeError::Forged)?;
        if !owner.status.is_active()
            || !verify::ed25519(
                &owner.keys.signing,
                &self.signature,
                &self.statement(sharing),
            )
        {
            return Err(CodeError::Forged);
        }
        let covered = self
            .resources
            .iter()
            .all(|r| agreement.resources.contains(r));
        if !covered || !self.covers(presentation) {
            return Err(CodeError::OutOfScope);
        }
        let cu = ledger.device(&self.cu)?.ok_or(CodeError::WrongDevice)?;
        let pu = ledger.device(&self.pu)?.ok_or(CodeError::OutOfScope)?;
        if pu.owner != agreement.owner {
            return Err(CodeError::OutOfScope);
        }
        if !cu.status.is_active()
            || cu.owner != agreement.requester
            || !presentation.verifies(self, sharing, &cu.keys.signing)
        {
            return Err(CodeError::WrongDevice);
        }
        Ok(())
    }
}

impl Presentation {
    /// The statement the CU signs.
    pub fn statement(&self, code: &AuthorizationCode, sharing: &AccountBytes) -> Vec<u8> {
        payload::authorization_code_presentation(
            sharing,
            &code.code_id,
            &self.store,
            &self.challenge,
            &self.resource,
            &self.window,
        )
    }

    /// True when `cu_key` signed this presentation of `code`.
    pub fn verifies(
        &self,
        code: &AuthorizationCode,
        sharing: &AccountBytes,
        cu_key: &Ed25519PublicKey,
    ) -> bool {
        verify::ed25519(cu_key, &self.signature, &self.statement(code, sharing))
    }
}

/// A cloud store's side of I.3 step 3: its account, the sharing_policy contract its codes
/// name, the challenges it handed out (until they lapse) and the (code ID, resource) pairs
/// it served (until the code expires; after that the code is refused as expired anyway).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeStore {
    identity: AccountBytes,
    sharing: AccountBytes,
    challenges: BTreeMap<[u8; 16], Timestamp>,
    served: BTreeMap<([u8; 16], ResourceId), Timestamp>,
}

impl CodeStore {
    /// The store with account `identity`, taking codes of the sharing_policy `sharing`.
    pub fn new(identity: AccountBytes, sharing: AccountBytes) -> Self {
        Self {
            identity,
            sharing,
            challenges: BTreeMap::new(),
            served: BTreeMap::new(),
        }
    }

    /// A fresh challenge for a CU about to present a code, answerable for [`CHALLENGE_MS`]
    /// from `now`. Forgets lapsed challenges and expired codes.
    pub fn challenge(&mut self, now: Timestamp) -> [u8; 16] {
        self.challenges.retain(|_, lapses| *lapses >= now);
        self.served.retain(|_, expires| *expires >= now);
        let mut challenge = [0u8; 16];
        OsRng.fill_bytes(&mut challenge);
        self.challenges
            .insert(challenge, now.saturating_add(CHALLENGE_MS));
        challenge
    }

    /// Checks `code` as presented at block time `now`; if every check passes, takes the
    /// challenge and records the resource as served under the code. A refusal changes
    /// nothing.
    pub fn redeem(
        &mut self,
        code: &AuthorizationCode,
        presentation: &Presentation,
        now: Timestamp,
        ledger: &mut impl Ledger,
    ) -> Result<(), CodeError> {
        if now > code.expires_at {
            return Err(CodeError::Expired);
        }
        if presentation.store != self.identity {
            return Err(CodeError::WrongStore);
        }
        let pending = self
            .challenges
            .get(&presentation.challenge)
            .is_some_and(|lapses| now <= *lapses);
        if !pending {
            return Err(CodeError::UnknownChallenge);
        }
        let served = (code.code_id, presentation.resource);
        if self.served.contains_key(&served) {
            return Err(CodeError::AlreadyServed);
        }
        code.check(&self.sharing, presentation, ledger)?;
        self.challenges.remove(&presentation.challenge);
        self.served.insert(served, code.expires_at);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{AgreementView, MemoryLedger};
    use contract_fixtures::{device, user};
    use shared_types::{DeviceKind, UserId};

    const SHARING: AccountBytes = [0x5c; 32];
    const STORE: AccountBytes = [0x5e; 32];
    const ALICE: UserId = UserId([0xa1; 32]);
    const BOB: UserId = UserId([0xb0; 32]);
    const PU: DeviceId = DeviceId([1; 32]);
    const CU: DeviceId = DeviceId([2; 32]);
    const R1: ResourceId = ResourceId([0x71; 32]);
    const R2: ResourceId = ResourceId([0x72; 32]);

    #[test]
    fn the_store_accepts_exactly_the_issued_scope() {
        let (alice, cu) = (KeyPair::generate(), KeyPair::generate());
        let mut ledger = MemoryLedger::default();
        let pu = KeyPair::generate().public();
        ledger.devices.insert(PU, device(ALICE, DeviceKind::Pu, pu));
        ledger
            .devices
            .insert(CU, device(BOB, DeviceKind::Cu, cu.public()));
        ledger.users.insert(ALICE, user(alice.public(), 0xa1));
        ledger.agreements.insert(
            AgreementId(0),
            AgreementView {
                owner: ALICE,
                requester: BOB,
                resources: vec![R1, R2],
                usable: true,
            },
        );
        let mut store = CodeStore::new(STORE, SHARING);
        let window = Some(Window::segments(0, 7));
        let code = AuthorizationCode::issue(
            &alice,
            &SHARING,
            AgreementId(0),
            CU,
            PU,
            vec![R1],
            window,
            100,
        );
        let code = AuthorizationCode::from_bytes(&code.encode()).unwrap();
        let mut present = |code: &AuthorizationCode, signer: &KeyPair, resource, window| {
            let challenge = store.challenge(50);
            code.present(signer, &SHARING, STORE, challenge, resource, window)
        };
        let asked = present(&code, &cu, R1, Some(Window::segments(2, 3)));
        let beyond = present(&code, &cu, R1, Some(Window::segments(2, 8)));
        let other = present(&code, &cu, R2, window);
        let stolen = present(&code, &KeyPair::generate(), R1, window);
        let mut widened = code.clone();
        widened.resources.push(R2);
        let widened_asked = present(&widened, &cu, R2, window);
        let forged = AuthorizationCode::issue(
            &KeyPair::generate(),
            &SHARING,
            AgreementId(0),
            CU,
            PU,
            vec![R1],
            window,
            100,
        );
        let forged_asked = present(&forged, &cu, R1, window);
        let before = store.clone();
        for (code, presentation, now, expected) in [
            (&code, &asked, 101, CodeError::Expired),
            (&code, &beyond, 50, CodeError::OutOfScope),
            (&code, &other, 50, CodeError::OutOfScope),
            (&code, &stolen, 50, CodeError::WrongDevice),
            (&widened, &widened_asked, 50, CodeError::Forged),
            (&forged, &forged_asked, 50, CodeError::Forged),
        ] {
            assert_eq!(
                store.redeem(code, presentation, now, &mut ledger),
                Err(expected)
            );
            assert_eq!(store, before, "a refusal changed the store");
        }
        assert_eq!(store.redeem(&code, &asked, 50, &mut ledger), Ok(()));
        ledger.agreements.get_mut(&AgreementId(0)).unwrap().usable = false;
        let challenge = store.challenge(50);
        let later = code.present(&cu, &SHARING, STORE, challenge, R1, window);
        // Served once per resource: checked before the ledger.
        assert_eq!(
            store.redeem(&code, &later, 50, &mut ledger),
            Err(CodeError::AlreadyServed)
        );
        let fresh = AuthorizationCode::issue(
            &alice,
            &SHARING,
            AgreementId(0),
            CU,
            PU,
            vec![R1],
            None,
            100,
        );
        let fresh_asked = fresh.present(&cu, &SHARING, STORE, challenge, R1, None);
        assert_eq!(
            store.redeem(&fresh, &fresh_asked, 50, &mut ledger),
            Err(CodeError::AgreementNotUsable)
        );
        assert_eq!(
            AuthorizationCode::from_bytes(&[1, 2, 3]),
            Err(CodeError::Malformed)
        );
    }

    #[test]
    fn challenges_lapse_and_served_codes_are_forgotten_once_expired() {
        let mut store = CodeStore::new(STORE, SHARING);
        let challenge = store.challenge(0);
        store.served.insert(([1; 16], R1), 10);
        store.challenge(CHALLENGE_MS + 1);
        assert!(!store.challenges.contains_key(&challenge));
        assert!(store.served.is_empty());
    }
}
