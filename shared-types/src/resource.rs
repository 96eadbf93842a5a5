//! What describes a video resource (F.743.24 I.4) and what a sharing policy grants over it
//! (I.5.1): classification, time spans, segment trees, windows and permissions.
use crate::{Multihash, Timestamp};
use alloc::vec::Vec;
use scale::{Decode, Encode};
use scale_info::TypeInfo;

/// How a resource may be shared (F.743.24 7.2): general data goes to cloud storage and is
/// shared under policies; private data stays in the owner's private DB (I.5.2).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub enum Classification {
    /// Stored by a cloud storage provider, shareable under a policy.
    General,
    /// Kept in the owner's private DB, shared only by private transfer.
    Private,
}

/// A closed interval of block time, in milliseconds since the Unix epoch.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub struct TimeSpan {
    /// First instant inside.
    pub start: Timestamp,
    /// Last instant inside.
    pub end: Timestamp,
}

impl TimeSpan {
    /// True when `start <= end`.
    pub fn is_ordered(&self) -> bool {
        self.start <= self.end
    }

    /// True when `at` lies inside.
    pub fn contains_instant(&self, at: Timestamp) -> bool {
        self.start <= at && at <= self.end
    }

    /// True when `inner` lies entirely inside.
    pub fn contains(&self, inner: &TimeSpan) -> bool {
        self.start <= inner.start && inner.end <= self.end
    }
}

/// The Merkle tree over fixed-size segments of the encrypted file, so one segment can be
/// checked without the whole file (the SDK builds the tree and its proofs).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub struct SegmentTree {
    /// Root of the tree.
    pub root: [u8; 32],
    /// Bytes per segment (the last may be shorter).
    pub segment_size: u32,
    /// Number of segments.
    pub segments: u32,
}

/// The content facts of a resource that its owner vouches for.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub struct ResourceContent {
    /// Multihash of the encrypted file.
    pub multihash: Multihash,
    /// General or private.
    pub classification: Classification,
    /// Size of the encrypted file in bytes.
    pub size: u64,
    /// When the video was captured.
    pub capture: TimeSpan,
    /// Optional segment tree of the encrypted file.
    pub segments: Option<SegmentTree>,
}

/// What a [`Window`] counts in.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub enum WindowUnit {
    /// Capture time, in milliseconds since the Unix epoch.
    Time,
    /// Segment indices of the resource's segment tree.
    Segments,
}

/// A part of one resource: capture time or segments `first..=last`. (A struct rather than
/// an enum with data: the SCALE derive of such enums casts in ways the contracts' clippy
/// profile denies.)
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub struct Window {
    /// What the bounds count.
    pub unit: WindowUnit,
    /// First instant or segment inside.
    pub first: u64,
    /// Last instant or segment inside.
    pub last: u64,
}

impl Window {
    /// Capture time `start..=end`.
    pub const fn time(start: Timestamp, end: Timestamp) -> Self {
        Self {
            unit: WindowUnit::Time,
            first: start,
            last: end,
        }
    }

    /// Segments `first..=last`.
    pub const fn segments(first: u64, last: u64) -> Self {
        Self {
            unit: WindowUnit::Segments,
            first,
            last,
        }
    }

    /// True when `first <= last`.
    pub const fn is_ordered(&self) -> bool {
        self.first <= self.last
    }

    /// True when `inner` counts in the same unit, is ordered and lies inside this window.
    pub fn contains(&self, inner: &Window) -> bool {
        self.unit == inner.unit
            && inner.is_ordered()
            && self.first <= inner.first
            && inner.last <= self.last
    }
}

/// What a policy allows, as a set of flags.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub struct Permissions(pub u8);

impl Permissions {
    /// Watch the video (streamed).
    pub const VIEW: Self = Self(1);
    /// Download a copy.
    pub const DOWNLOAD: Self = Self(2);
    /// Share it on under a policy of one's own.
    pub const RESHARE: Self = Self(4);
    /// Every flag defined above.
    pub const ALL: Self = Self(7);

    /// Both sets together.
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// True when every flag of `other` is set here.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// True when only defined flags are set and at least one is.
    pub const fn is_valid(self) -> bool {
        self.0 != 0 && Self::ALL.contains(self)
    }
}

/// One version of a sharing policy's terms (F.743.24 I.5.1 step 1; SeR-5, SeR-6, SeR-7).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "ink", derive(ink::storage::traits::StorageLayout))]
pub struct PolicyTerms {
    /// The resources it covers, all of one owner.
    pub resources: Vec<crate::ResourceId>,
    /// Usage period: when accepted agreements may be used.
    pub period: TimeSpan,
    /// Usable range inside each resource; `None` for the whole resource.
    pub window: Option<Window>,
    /// What requesters may do.
    pub permissions: Permissions,
    /// Price in the chain's smallest unit, paid to the owner on acceptance (ABVSSI-11).
    pub price: u128,
    /// Hash of the human-readable terms kept off chain.
    pub terms_hash: [u8; 32],
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A window contains exactly the ordered windows of its kind within its bounds.
        #[test]
        fn windows_nest(a in 0u64..100, b in 0u64..100, c in 0u64..100, d in 0u64..100) {
            let outer = Window::segments(a, b);
            prop_assert_eq!(outer.contains(&Window::segments(c, d)), a <= c && c <= d && d <= b);
            prop_assert!(!outer.contains(&Window::time(c, d)));
            let outer = Window::time(a, b);
            prop_assert_eq!(outer.contains(&Window::time(c, d)), a <= c && c <= d && d <= b);
        }
    }

    #[test]
    fn permissions_are_flags() {
        let view_download = Permissions::VIEW.union(Permissions::DOWNLOAD);
        assert!(view_download.contains(Permissions::VIEW));
        assert!(!view_download.contains(Permissions::RESHARE));
        assert!(view_download.is_valid());
        assert!(!Permissions(0).is_valid());
        assert!(!Permissions(8).is_valid());
    }
}
