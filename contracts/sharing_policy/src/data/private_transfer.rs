//! Private transfers between two private DBs (I.5.2, SeR-8, SeR-13, SeR-14).
use super::{ensure_device, next_id, SharingData};
use crate::errors::Error;
use crate::events::{Event, PrivateTransferUpdated};
use interfaces::device::DeviceRecord;
use interfaces::resource::ResourceRecord;
use shared_types::{Classification, DeviceId, DeviceKind, Multihash, ResourceId, TransferId};

/// The private parameter `PrivateParm{ID_DB1, ID_DB2}` of I.5.2 step 3: the only nodes that
/// may take part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct PrivateParam {
    /// The sender's private DB.
    pub db1: DeviceId,
    /// The recipient's private DB.
    pub db2: DeviceId,
}

/// Where a private transfer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum TransferState {
    /// Opened by the sender.
    Open,
    /// The recipient found its DB among the participants (I.5.2 step 4).
    Acknowledged,
    /// The recipient decrypted the file and its hash matched the ledger (step 5).
    Verified,
    /// The recipient's hash did not match the ledger: the file was tampered with.
    Mismatched,
}

/// A private transfer: only the resource ID (whose record holds the hash), the participants
/// and the state; no file, location, price or terms (SeR-8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct PrivateTransfer {
    /// The private resource.
    pub resource: ResourceId,
    /// The participants.
    pub participants: PrivateParam,
    /// Its state.
    pub state: TransferState,
}

impl SharingData {
    /// The private transfer.
    pub fn transfer(&self, transfer: TransferId) -> Result<PrivateTransfer, Error> {
        self.transfers.get(transfer).ok_or(Error::UnknownTransfer)
    }

    /// Opens a private transfer (I.5.2 step 3) of a private resource from its source DB to
    /// another active private DB. The contract checked the caller acts for the resource's
    /// owner; `resource_record` and `db2_record` come from the registries.
    pub fn open_transfer(
        &mut self,
        resource: ResourceId,
        resource_record: &ResourceRecord,
        participants: PrivateParam,
        db2_record: &DeviceRecord,
    ) -> Result<(TransferId, Event), Error> {
        if resource_record.content.classification != Classification::Private {
            return Err(Error::NotPrivate);
        }
        if resource_record.pu != participants.db1 {
            return Err(Error::SourceMismatch);
        }
        if participants.db1 == participants.db2 {
            return Err(Error::SameParticipant);
        }
        ensure_device(db2_record, &[DeviceKind::PrivateDb])?;
        let mut count = self.transfer_count;
        let transfer = next_id(&mut count)?;
        self.transfer_count = count;
        self.transfers.insert(
            transfer,
            &PrivateTransfer {
                resource,
                participants,
                state: TransferState::Open,
            },
        );
        Ok((
            transfer,
            Event::PrivateTransferUpdated(PrivateTransferUpdated {
                transfer,
                resource,
                state: TransferState::Open,
            }),
        ))
    }

    /// Moves a transfer on as its recipient DB (I.5.2 steps 4-5): acknowledges it when
    /// `computed` is `None`, otherwise records whether the decrypted file's multihash
    /// matches the ledger's (`ledger`). `acting_as` is the DB the caller acts for (checked
    /// by the contract), `db` its current record; it must be the recipient named in the
    /// private parameter, and active.
    pub fn advance_transfer(
        &mut self,
        transfer: TransferId,
        acting_as: DeviceId,
        db: &DeviceRecord,
        computed: Option<&Multihash>,
        ledger: &Multihash,
    ) -> Result<Event, Error> {
        let mut record = self.transfer(transfer)?;
        if acting_as != record.participants.db2 {
            return Err(Error::NotParticipant);
        }
        ensure_device(db, &[DeviceKind::PrivateDb])?;
        record.state = match (record.state, computed) {
            (TransferState::Open, None) => TransferState::Acknowledged,
            (TransferState::Acknowledged, Some(hash)) if hash == ledger => TransferState::Verified,
            (TransferState::Acknowledged, Some(_)) => TransferState::Mismatched,
            _ => return Err(Error::WrongTransferState),
        };
        self.transfers.insert(transfer, &record);
        Ok(Event::PrivateTransferUpdated(PrivateTransferUpdated {
            transfer,
            resource: record.resource,
            state: record.state,
        }))
    }
}
