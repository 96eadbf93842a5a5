//! Test support shared by the contracts' unit tests (std only): the refusal assertion and an
//! admin handover. Here rather than in contract-fixtures so that divs_ledger, which the
//! device registry embeds, can use them without depending on the registries.
use crate::AdminData;
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

/// Hands the role in `admin_data` over from `admin` to `successor`: both steps.
pub fn hand_over(admin_data: &mut AdminData, admin: AccountId, successor: AccountId) {
    admin_data.propose(admin, successor).unwrap();
    admin_data.accept(successor).unwrap();
}
