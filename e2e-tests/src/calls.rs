//! Typed calls: a message or a constructor as the contract's own call builder makes it (the
//! `*Ref` types of its `ink-as-dependency` build, or `contract_ref!` for an ink! trait), so a
//! wrong argument or return type does not compile. Encoded as ink_e2e encodes them: the
//! selector and the arguments of the builder's execution input.
use ink::codegen::ContractCallBuilder;
use ink::env::call::{
    state,
    utils::{ReturnType, Set, Unset},
    Call, CallBuilder, CreateBuilder, ExecutionInput, FromAccountId, LimitParamsV2,
};
use ink::env::DefaultEnvironment;
use ink::primitives::{AccountId, Hash};
use scale::Encode;

/// The environment of every contract of the suite.
pub type Env = DefaultEnvironment;

/// A call of a message returning `R`, as a contract's call builder makes it.
pub type Message<Args, R> =
    CallBuilder<Env, Set<Call<Env>>, Set<ExecutionInput<Args>>, Set<ReturnType<R>>>;

/// A call of a constructor of `ContractRef`, as its `*Ref::new` makes it (code hash,
/// endowment and salt are the chain's business).
pub type Constructor<ContractRef, Args, R> = CreateBuilder<
    Env,
    ContractRef,
    Unset<Hash>,
    Set<LimitParamsV2<Env>>,
    Unset<u128>,
    Set<ExecutionInput<Args>>,
    Unset<state::Salt>,
    Set<ReturnType<R>>,
>;

/// The call data of `message`: its selector, then its SCALE-encoded arguments.
pub fn message_data<Args: Encode, R>(message: Message<Args, R>) -> Vec<u8> {
    message.params().exec_input().encode()
}

/// The call data of `constructor`, as [`message_data`].
pub fn constructor_data<ContractRef, Args: Encode, R>(
    constructor: Constructor<ContractRef, Args, R>,
) -> Vec<u8> {
    constructor
        .code_hash(Hash::default())
        .endowment(0)
        .salt_bytes(Vec::<u8>::new())
        .params()
        .exec_input()
        .encode()
}

/// The call builder of contract `Contract` deployed at `address`: its messages, each
/// returning a [`Message`].
pub fn call_builder<Contract>(address: AccountId) -> <Contract as ContractCallBuilder>::Type
where
    Contract: ContractCallBuilder,
    <Contract as ContractCallBuilder>::Type: FromAccountId<Env>,
{
    FromAccountId::from_account_id(address)
}
