//! Key histories: the keys of a user or a device are numbered epochs `0..=latest`, each valid
//! from its `valid_from` until the next one's. The identity and device registries look up the
//! epoch in force at a time with [`version_at`], so both answer "which key was valid when"
//! by the same search.
use crate::Timestamp;

/// The version of the epoch in force at `at`: the last of `0..=latest` whose start time
/// (`valid_from(version)`, not decreasing with the version) is at or before `at`; `None`
/// when epoch 0 starts after `at`. A binary search: O(log latest) calls of `valid_from`,
/// whose error (a missing epoch) is passed on.
pub fn version_at<E>(
    latest: u32,
    at: Timestamp,
    mut valid_from: impl FnMut(u32) -> Result<Timestamp, E>,
) -> Result<Option<u32>, E> {
    if valid_from(0)? > at {
        return Ok(None);
    }
    // Invariant: epoch `lo` started at or before `at`; epochs after `hi` started later.
    let (mut lo, mut hi) = (0u32, latest);
    while lo < hi {
        // Rounds up, so `lo = mid` always makes progress; lo < mid <= hi.
        let mid = hi.saturating_sub(hi.saturating_sub(lo) / 2);
        if valid_from(mid)? <= at {
            lo = mid;
        } else {
            hi = mid.saturating_sub(1);
        }
    }
    Ok(Some(lo))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn search(starts: &[Timestamp], at: Timestamp) -> Option<u32> {
        let latest = u32::try_from(starts.len() - 1).unwrap();
        version_at(latest, at, |v| Ok::<_, ()>(starts[v as usize])).unwrap()
    }

    #[test]
    fn boundaries_belong_to_the_epoch_they_start() {
        let starts = [10, 20, 20, 30];
        assert_eq!(search(&starts, 9), None);
        assert_eq!(search(&starts, 10), Some(0));
        assert_eq!(search(&starts, 19), Some(0));
        // Two rotations in one block: the later epoch is in force from that block on.
        assert_eq!(search(&starts, 20), Some(2));
        assert_eq!(search(&starts, 29), Some(2));
        assert_eq!(search(&starts, u64::MAX), Some(3));
        assert_eq!(search(&[10], 10), Some(0));
    }

    #[test]
    fn a_missing_epoch_is_the_lookups_error() {
        let answer = version_at(3, 50, |v| if v == 0 { Ok(0) } else { Err(v) });
        assert!(matches!(answer, Err(1..=3)));
    }

    proptest! {
        /// The search agrees with a scan for the last epoch started by `at`.
        #[test]
        fn agrees_with_a_linear_scan(
            mut starts in proptest::collection::vec(0u64..1_000, 1..40),
            at in 0u64..1_100,
        ) {
            starts.sort_unstable();
            let scan = starts
                .iter()
                .rposition(|&from| from <= at)
                .map(|v| u32::try_from(v).unwrap());
            let mut calls = Vec::new();
            let latest = u32::try_from(starts.len() - 1).unwrap();
            let found = version_at(latest, at, |v| {
                calls.push(v);
                Ok::<_, ()>(starts[v as usize])
            })
            .unwrap();
            prop_assert_eq!(found, scan);
            prop_assert!(calls.len() <= 8, "{} look-ups for {} epochs", calls.len(), starts.len());
        }
    }
}
