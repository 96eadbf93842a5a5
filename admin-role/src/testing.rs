//! Test support shared by the contracts' unit tests (std only): the refusal assertion and an
//! admin handover. Here rather than in contract-fixtures so that divs_ledger, which the
//! device registry embeds, can use them without depending on the registries.
use crate::AdminRole;
use ink::primitives::AccountId;

/// Asserts that `$call` fails with exactly `$error` and that `$snapshot(&$data)`, the state
/// the test watches, is the same before and after.
#[macro_export]
macro_rules! assert_refused {
    ($snapshot:ident, $data:expr, $call:expr => $error:expr) => {{
        let before = $snapshot(&$data);
        assert_eq!($call.map(|_| ()), Err($error));
        assert_eq!($snapshot(&$data), before, "state changed on refusal");
    }};
}

/// Hands `role` over from `admin` to `successor`: both steps.
pub fn hand_over(role: &mut AdminRole, admin: AccountId, successor: AccountId) {
    role.propose(admin, successor).unwrap();
    role.accept(successor).unwrap();
}
