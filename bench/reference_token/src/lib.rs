//! An ERC-20-style token: the reference every ink! developer knows, measured beside the
//! suite's messages (`scripts/dev bench`). Balances and allowances in mappings, checked
//! arithmetic, typed errors, an event per change.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub use self::reference_token::{ReferenceToken, ReferenceTokenRef};

#[ink::contract]
mod reference_token {
    use ink::storage::Mapping;

    /// Why a call was refused.
    #[derive(Debug, PartialEq, Eq, scale::Encode, scale::Decode, scale_info::TypeInfo)]
    pub enum Error {
        /// The sender's balance is below the amount.
        InsufficientBalance,
        /// The spender's allowance is below the amount.
        InsufficientAllowance,
        /// The recipient's balance would overflow.
        Overflow,
    }

    /// Tokens moved.
    #[ink(event)]
    pub struct Transfer {
        /// Sender (none when minted).
        #[ink(topic)]
        from: Option<AccountId>,
        /// Recipient.
        #[ink(topic)]
        to: AccountId,
        /// Amount.
        value: Balance,
    }

    /// An allowance set.
    #[ink(event)]
    pub struct Approval {
        /// Owner.
        #[ink(topic)]
        owner: AccountId,
        /// Spender.
        #[ink(topic)]
        spender: AccountId,
        /// New allowance.
        value: Balance,
    }

    /// The token.
    #[ink(storage)]
    pub struct ReferenceToken {
        total_supply: Balance,
        balances: Mapping<AccountId, Balance>,
        allowances: Mapping<(AccountId, AccountId), Balance>,
    }

    impl ReferenceToken {
        /// Mints `total_supply` to the caller.
        #[ink(constructor)]
        pub fn new(total_supply: Balance) -> Self {
            let caller = Self::env().caller();
            let mut balances = Mapping::default();
            balances.insert(caller, &total_supply);
            Self::env().emit_event(Transfer {
                from: None,
                to: caller,
                value: total_supply,
            });
            Self {
                total_supply,
                balances,
                allowances: Mapping::default(),
            }
        }

        /// All tokens.
        #[ink(message)]
        pub fn total_supply(&self) -> Balance {
            self.total_supply
        }

        /// `owner`'s balance.
        #[ink(message)]
        pub fn balance_of(&self, owner: AccountId) -> Balance {
            self.balances.get(owner).unwrap_or_default()
        }

        /// What `spender` may still move of `owner`'s tokens.
        #[ink(message)]
        pub fn allowance(&self, owner: AccountId, spender: AccountId) -> Balance {
            self.allowances.get((owner, spender)).unwrap_or_default()
        }

        /// Moves `value` from the caller to `to`.
        ///
        /// # Errors
        /// `InsufficientBalance`, `Overflow`.
        ///
        /// # Events
        /// `Transfer`.
        #[ink(message)]
        pub fn transfer(&mut self, to: AccountId, value: Balance) -> Result<(), Error> {
            let from = self.env().caller();
            self.move_tokens(from, to, value)
        }

        /// Lets `spender` move up to `value` of the caller's tokens.
        ///
        /// # Events
        /// `Approval`.
        #[ink(message)]
        pub fn approve(&mut self, spender: AccountId, value: Balance) -> Result<(), Error> {
            let owner = self.env().caller();
            self.allowances.insert((owner, spender), &value);
            self.env().emit_event(Approval {
                owner,
                spender,
                value,
            });
            Ok(())
        }

        /// Moves `value` from `from` to `to` under the caller's allowance.
        ///
        /// # Errors
        /// `InsufficientAllowance`, `InsufficientBalance`, `Overflow`.
        ///
        /// # Events
        /// `Transfer`.
        #[ink(message)]
        pub fn transfer_from(
            &mut self,
            from: AccountId,
            to: AccountId,
            value: Balance,
        ) -> Result<(), Error> {
            let spender = self.env().caller();
            let allowance = self.allowance(from, spender);
            let left = allowance
                .checked_sub(value)
                .ok_or(Error::InsufficientAllowance)?;
            self.move_tokens(from, to, value)?;
            self.allowances.insert((from, spender), &left);
            Ok(())
        }

        /// On an error the message reverts, so a debit without its credit is never kept.
        fn move_tokens(
            &mut self,
            from: AccountId,
            to: AccountId,
            value: Balance,
        ) -> Result<(), Error> {
            let from_balance = self
                .balance_of(from)
                .checked_sub(value)
                .ok_or(Error::InsufficientBalance)?;
            self.balances.insert(from, &from_balance);
            // Read after the debit: a transfer to oneself nets to zero.
            let to_balance = self
                .balance_of(to)
                .checked_add(value)
                .ok_or(Error::Overflow)?;
            self.balances.insert(to, &to_balance);
            self.env().emit_event(Transfer {
                from: Some(from),
                to,
                value,
            });
            Ok(())
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[ink::test]
        fn transfers_move_balances_and_refuse_overdrafts() {
            let accounts = ink::env::test::default_accounts::<ink::env::DefaultEnvironment>();
            let mut token = ReferenceToken::new(100);
            assert_eq!(token.transfer(accounts.bob, 30), Ok(()));
            assert_eq!(token.balance_of(accounts.alice), 70);
            assert_eq!(token.balance_of(accounts.bob), 30);
            assert_eq!(
                token.transfer(accounts.bob, 71),
                Err(Error::InsufficientBalance)
            );
            assert_eq!(token.balance_of(accounts.alice), 70);
        }
    }
}
