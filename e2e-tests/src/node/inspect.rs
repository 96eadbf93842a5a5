//! What a deployment tool reads of a chain: a contract already deployed, code hashes, the
//! genesis hash and the node's name.
use super::NodeChain;
use crate::chain::Deployed;
use ink::primitives::AccountId;
use scale::Decode;

impl NodeChain {
    /// A client's view of a contract already on chain: `contract`'s bundle metadata at
    /// `address`.
    pub fn attach(&self, contract: &str, address: AccountId) -> anyhow::Result<Deployed> {
        let bundle = self.bundle(contract)?;
        Ok(Deployed::new(
            contract,
            address,
            bundle.transcoder.metadata(),
        ))
    }

    /// The chain's genesis hash.
    pub fn genesis_hash(&self) -> [u8; 32] {
        self.api.genesis_hash().0
    }

    /// The code hash of the contract at `address`, if there is one.
    pub fn code_hash_at(&self, address: AccountId) -> anyhow::Result<Option<[u8; 32]>> {
        let raw = self.storage("Contracts", "ContractInfoOf", address)?;
        // ContractInfo starts with the trie ID, then the code hash.
        Ok(raw
            .map(|raw| <(Vec<u8>, [u8; 32])>::decode(&mut &raw[..]))
            .transpose()?
            .map(|(_, hash)| hash))
    }

    /// The node's chain name and its implementation's name and version.
    pub fn node_info(&self) -> anyhow::Result<(String, String)> {
        self.runtime.block_on(async {
            let chain = self.rpc.system_chain().await?;
            let node = format!(
                "{} {}",
                self.rpc.system_name().await?,
                self.rpc.system_version().await?
            );
            Ok((chain, node))
        })
    }
}
