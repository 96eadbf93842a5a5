//! Cloud-DB authorization codes of F.743.24 I.3: the owner signs a code scoped to one CU,
//! one PU, resources, an optional window, an expiry and a sharing agreement (step 2); the
//! requester's CU countersigns it when presenting it; the cloud store checks both
//! signatures and the agreement's state on the ledger (step 3).
use crate::ledger::{Ledger, LedgerError};
use crate::KeyPair;
use rand_core::{OsRng, RngCore};
use scale::{Decode, Encode};
use shared_types::{
    payload, verify, AccountBytes, DeviceId, Ed25519Signature, ResourceId, Timestamp, Window,
};

/// An authorization code as the owner issues it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct AuthorizationCode {
    /// Random, so every code is distinct.
    pub code_id: [u8; 16],
    /// The sharing agreement it draws on.
    pub agreement: u64,
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

/// Why a store refuses a code.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CodeError {
    /// The bytes are not a code.
    #[error("malformed authorization code")]
    Malformed,
    /// Past its expiry.
    #[error("the code expired")]
    Expired,
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
    /// The presenting CU is not the code's CU, not the requester's, or not active.
    #[error("the code was not issued to this CU")]
    WrongDevice,
    /// The ledger could not be asked.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

impl AuthorizationCode {
    /// The statement the owner signs and the CU countersigns.
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
        agreement: u64,
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

    /// The CU's countersignature, presented with the code.
    pub fn countersign(&self, cu: &KeyPair, sharing: &AccountBytes) -> Ed25519Signature {
        cu.sign(&self.statement(sharing))
    }

    /// Parses a code received as bytes.
    pub fn from_bytes(mut bytes: &[u8]) -> Result<Self, CodeError> {
        let code = Self::decode(&mut bytes).map_err(|_| CodeError::Malformed)?;
        if !bytes.is_empty() {
            return Err(CodeError::Malformed);
        }
        Ok(code)
    }

    /// The cloud store's check (I.3 step 3) of a request for `resource` presented with
    /// `countersignature`, at block time `now`.
    pub fn check(
        &self,
        sharing: &AccountBytes,
        countersignature: &Ed25519Signature,
        resource: &ResourceId,
        now: Timestamp,
        ledger: &mut impl Ledger,
    ) -> Result<(), CodeError> {
        if now > self.expires_at {
            return Err(CodeError::Expired);
        }
        let agreement = ledger
            .agreement(self.agreement)?
            .ok_or(CodeError::UnknownAgreement)?;
        if !agreement.usable {
            return Err(CodeError::AgreementNotUsable);
        }
        let owner = ledger.user(&agreement.owner)?.ok_or(CodeError::Forged)?;
        let statement = self.statement(sharing);
        if !owner.active || !verify::ed25519(&owner.signing, &self.signature, &statement) {
            return Err(CodeError::Forged);
        }
        let covered = self
            .resources
            .iter()
            .all(|r| agreement.resources.contains(r));
        if !covered || !self.resources.contains(resource) {
            return Err(CodeError::OutOfScope);
        }
        let cu = ledger.device(&self.cu)?.ok_or(CodeError::WrongDevice)?;
        let pu = ledger.device(&self.pu)?.ok_or(CodeError::OutOfScope)?;
        if pu.owner != agreement.owner {
            return Err(CodeError::OutOfScope);
        }
        if !cu.active
            || cu.owner != agreement.requester
            || !verify::ed25519(&cu.keys.signing, countersignature, &statement)
        {
            return Err(CodeError::WrongDevice);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{AgreementView, DeviceView, MemoryLedger, UserView};
    use shared_types::{DeviceKind, UserId};

    const SHARING: AccountBytes = [0x5c; 32];
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
        let device = |keys: &KeyPair, kind, owner| DeviceView {
            keys: keys.public(),
            kind,
            owner,
            active: true,
        };
        ledger
            .devices
            .insert(PU, device(&KeyPair::generate(), DeviceKind::Pu, ALICE));
        ledger.devices.insert(CU, device(&cu, DeviceKind::Cu, BOB));
        ledger.users.insert(
            ALICE,
            UserView {
                signing: alice.signing_public(),
                active: true,
            },
        );
        ledger.agreements.insert(
            0,
            AgreementView {
                owner: ALICE,
                requester: BOB,
                resources: vec![R1, R2],
                usable: true,
            },
        );
        let code = AuthorizationCode::issue(&alice, &SHARING, 0, CU, PU, vec![R1], None, 100);
        let code = AuthorizationCode::from_bytes(&code.encode()).unwrap();
        let counter = code.countersign(&cu, &SHARING);
        assert_eq!(
            code.check(&SHARING, &counter, &R1, 100, &mut ledger),
            Ok(())
        );
        assert_eq!(
            code.check(&SHARING, &counter, &R1, 101, &mut ledger),
            Err(CodeError::Expired)
        );
        assert_eq!(
            code.check(&SHARING, &counter, &R2, 50, &mut ledger),
            Err(CodeError::OutOfScope)
        );
        let stolen = code.countersign(&KeyPair::generate(), &SHARING);
        assert_eq!(
            code.check(&SHARING, &stolen, &R1, 50, &mut ledger),
            Err(CodeError::WrongDevice)
        );
        let mut widened = code.clone();
        widened.resources.push(R2);
        assert_eq!(
            widened.check(
                &SHARING,
                &widened.countersign(&cu, &SHARING),
                &R2,
                50,
                &mut ledger
            ),
            Err(CodeError::Forged)
        );
        let forged = AuthorizationCode::issue(
            &KeyPair::generate(),
            &SHARING,
            0,
            CU,
            PU,
            vec![R1],
            None,
            100,
        );
        assert_eq!(
            forged.check(
                &SHARING,
                &forged.countersign(&cu, &SHARING),
                &R1,
                50,
                &mut ledger
            ),
            Err(CodeError::Forged)
        );
        ledger.agreements.get_mut(&0).unwrap().usable = false;
        assert_eq!(
            code.check(&SHARING, &counter, &R1, 50, &mut ledger),
            Err(CodeError::AgreementNotUsable)
        );
        assert_eq!(
            AuthorizationCode::from_bytes(&[1, 2, 3]),
            Err(CodeError::Malformed)
        );
    }
}
