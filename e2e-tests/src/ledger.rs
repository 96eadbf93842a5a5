//! The SDK's look-ups ([`Ledger`] for F.743.24, [`DivsLookup`] for Y.2247) answered by the
//! deployed contracts on any [`Chain`], so the SDK's handshake, authorization-code and DIVS
//! checks run against the sandbox or a node alike.
use crate::chain::{Actor, Chain};
use crate::clients::DivsClient;
use crate::flows::registration::Suite;
use device_registry::Error as DeviceError;
use divs_ledger::Error as DivsError;
use identity_registry::Error as IdentityError;
use shared_types::{
    AccountBytes, AgreementId, DeviceId, Ed25519PublicKey, Entry, Status, TxId, UserId,
};
use sharing_policy::Error as SharingError;
use std::fmt::Debug;
use vssi_sdk::divs::{DivsError as LookupError, DivsLookup};
use vssi_sdk::ledger::{AgreementView, DeviceRecord, Ledger, LedgerError, UserRecord};

/// Queries the suite as `asker`.
pub struct ChainLedger<'a, C: Chain> {
    /// The chain.
    pub chain: &'a mut C,
    /// Who asks (queries cost nothing and change nothing).
    pub asker: &'a Actor,
    /// The deployed contracts.
    pub suite: &'a Suite,
}

fn failed(e: impl Debug) -> LedgerError {
    LedgerError(format!("{e:?}"))
}

/// `Ok(Some)` for a record, `Ok(None)` for the contract's "unknown" error, else an error.
fn found<T, E: PartialEq + Debug>(
    answer: anyhow::Result<Result<T, E>>,
    unknown: E,
) -> Result<Option<T>, LedgerError> {
    match answer.map_err(failed)? {
        Ok(record) => Ok(Some(record)),
        Err(e) if e == unknown => Ok(None),
        Err(e) => Err(failed(e)),
    }
}

/// The DIVS ledger's entries and authorities, queried as `asker`.
pub struct ChainDivs<'a, C: Chain> {
    /// The chain.
    pub chain: &'a mut C,
    /// Who asks.
    pub asker: &'a Actor,
    /// The ledger.
    pub divs: &'a DivsClient,
}

fn divs_found<T>(
    answer: anyhow::Result<Result<T, DivsError>>,
    unknown: DivsError,
) -> Result<Option<T>, LookupError> {
    found(answer, unknown).map_err(|e| LookupError::Lookup(e.0))
}

impl<C: Chain> DivsLookup for ChainDivs<'_, C> {
    fn entry(&mut self, tx_id: TxId) -> Result<Option<Entry>, LookupError> {
        let answer = self.divs.entry(self.chain, self.asker, tx_id);
        divs_found(answer, DivsError::UnknownEntry)
    }

    fn latest(&mut self, ue: &Ed25519PublicKey) -> Result<Option<Entry>, LookupError> {
        let answer = self.divs.latest(self.chain, self.asker, *ue);
        divs_found(answer, DivsError::UnknownUe)
    }

    fn authority_key(
        &mut self,
        authority: &AccountBytes,
    ) -> Result<Option<Ed25519PublicKey>, LookupError> {
        let answer = self
            .divs
            .authority(self.chain, self.asker, (*authority).into());
        Ok(divs_found(answer, DivsError::UnknownAuthority)?.map(|a| a.key))
    }
}

impl<C: Chain> Ledger for ChainLedger<'_, C> {
    fn device(&mut self, device: &DeviceId) -> Result<Option<DeviceRecord>, LedgerError> {
        let answer = self.suite.devices.device(self.chain, self.asker, *device);
        found(answer, DeviceError::UnknownDevice)
    }

    fn user(&mut self, user: &UserId) -> Result<Option<UserRecord>, LedgerError> {
        let answer = self.suite.identity.user(self.chain, self.asker, *user);
        found(answer, IdentityError::UnknownUser)
    }

    fn agreement(&mut self, agreement: AgreementId) -> Result<Option<AgreementView>, LedgerError> {
        let sharing = &self.suite.sharing;
        let answer = sharing.agreement(self.chain, self.asker, agreement);
        let Some(record) = found(answer, SharingError::UnknownAgreement)? else {
            return Ok(None);
        };
        let policy = sharing
            .policy(self.chain, self.asker, record.policy)
            .map_err(failed)?
            .map_err(failed)?;
        let version = sharing
            .policy_version(self.chain, self.asker, record.policy, record.version)
            .map_err(failed)?
            .map_err(failed)?;
        let now = self.chain.now();
        Ok(Some(AgreementView {
            owner: policy.owner,
            requester: record.requester,
            resources: version.terms.resources,
            usable: record.status == Status::Active
                && policy.status == Status::Active
                && version.terms.period.contains_instant(now),
        }))
    }
}
