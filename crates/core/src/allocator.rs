//! The page's allocator: the standard one (dlmalloc on wasm32) with the small blocks freed kept
//! by size, and handed out again without asking it.
//!
//! Parsing a draft allocates a string per name and per text, a map per object and a list per
//! array, and drops them all at the end of the keystroke: a SuperOffice draft is some fifty
//! allocations and as many frees a keystroke. dlmalloc has no cache of freed blocks (glibc's
//! malloc has one, per thread): with it in glibc's place, a native raw-view keystroke took 17-32 %
//! more instructions (PERFORMANCE.md). Here a block of up to [`LARGEST`] bytes is rounded up to a
//! multiple of 16, and once freed goes on the list for its size, from which the next allocation of
//! that size is taken: a few instructions each way. Each list keeps at most [`KEPT`] blocks, and
//! what is over goes back to dlmalloc: whatever the draft, at most 1,024 blocks of each of the 16
//! sizes (2.2 MB if every list were full) stay set aside.
//!
//! Only where the page runs, single-threaded wasm32 (no `atomics`): native builds (the CLI, the
//! tests) keep the system allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;

/// The largest block kept by size, in bytes.
const LARGEST: usize = 256;
/// The sizes kept: 16, 32, …, [`LARGEST`].
const CLASSES: usize = LARGEST / 16;
/// At most this many freed blocks a size.
const KEPT: usize = 1024;

/// The allocator (see the module's documentation).
pub struct Kept {
    lists: UnsafeCell<[List; CLASSES]>,
}

#[derive(Clone, Copy)]
struct List {
    /// The last block freed: its first word points to the one freed before it (or is null).
    head: *mut u8,
    len: usize,
}

// SAFETY: only built for wasm32 without the `atomics` feature, where there is one thread.
unsafe impl Sync for Kept {}

impl Kept {
    pub const fn new() -> Kept {
        Kept {
            lists: UnsafeCell::new(
                [List {
                    head: std::ptr::null_mut(),
                    len: 0,
                }; CLASSES],
            ),
        }
    }
}

impl Default for Kept {
    fn default() -> Self {
        Kept::new()
    }
}

/// The size class of a layout (its index in the lists), if it is kept by size.
#[inline]
fn class(layout: Layout) -> Option<usize> {
    (layout.size() <= LARGEST && layout.align() <= 16)
        .then(|| layout.size().max(1).div_ceil(16) - 1)
}

/// The layout a block of class `c` is allocated with.
#[inline]
fn class_layout(c: usize) -> Layout {
    // SAFETY: a non-zero multiple of 16 at most LARGEST, with a power-of-two alignment.
    unsafe { Layout::from_size_align_unchecked((c + 1) * 16, 16) }
}

// SAFETY: every block handed out is either the system allocator's, for the layout asked, or a
// block of at least the size and alignment asked (its class's), taken from a list only blocks of
// that class are put on; a block is on a list only while nothing else holds it.
unsafe impl GlobalAlloc for Kept {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(c) = class(layout) else {
            return unsafe { System.alloc(layout) };
        };
        let list = unsafe { &mut (*self.lists.get())[c] };
        if list.head.is_null() {
            return unsafe { System.alloc(class_layout(c)) };
        }
        let block = list.head;
        list.head = unsafe { block.cast::<*mut u8>().read() };
        list.len -= 1;
        block
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(c) = class(layout) else {
            return unsafe { System.dealloc(ptr, layout) };
        };
        let list = unsafe { &mut (*self.lists.get())[c] };
        if list.len >= KEPT {
            return unsafe { System.dealloc(ptr, class_layout(c)) };
        }
        unsafe { ptr.cast::<*mut u8>().write(list.head) };
        list.head = ptr;
        list.len += 1;
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if class(layout).is_none() {
            // The system allocator knows when its memory is zero already (fresh pages).
            return unsafe { System.alloc_zeroed(layout) };
        }
        let block = unsafe { self.alloc(layout) };
        if !block.is_null() {
            // A kept block holds what was written in it before.
            unsafe { block.write_bytes(0, layout.size()) };
        }
        block
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size`, rounded up to the alignment, does not
        // overflow.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (class(layout), class(new)) {
            // The block already holds the new size.
            (Some(old), Some(wanted)) if old == wanted => ptr,
            (None, None) => unsafe { System.realloc(ptr, layout, new_size) },
            _ => {
                let moved = unsafe { self.alloc(new) };
                if !moved.is_null() {
                    unsafe {
                        std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                }
                moved
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_reused_by_size_and_hold_what_is_written() {
        let kept = Kept::new();
        unsafe {
            let small = Layout::from_size_align(24, 8).unwrap();
            let a = kept.alloc(small);
            a.write_bytes(0xab, 24);
            kept.dealloc(a, small);
            // The same class (17 to 32 bytes) gets the same block back.
            let b = kept.alloc(Layout::from_size_align(32, 16).unwrap());
            assert_eq!(a, b);
            // Grown within its class it stays; grown past it, it moves with its bytes.
            b.write_bytes(0xcd, 32);
            let c = kept.realloc(b, Layout::from_size_align(32, 16).unwrap(), 20);
            assert_eq!(c, b);
            let d = kept.realloc(c, Layout::from_size_align(20, 16).unwrap(), 1000);
            assert!((0..20).all(|i| *d.add(i) == 0xcd));
            let e = kept.realloc(d, Layout::from_size_align(1000, 16).unwrap(), 8);
            assert!((0..8).all(|i| *e.add(i) == 0xcd));
            kept.dealloc(e, Layout::from_size_align(8, 16).unwrap());
            // Over-aligned layouts are the system's.
            let big_align = Layout::from_size_align(64, 64).unwrap();
            let f = kept.alloc(big_align);
            assert_eq!(f as usize % 64, 0);
            kept.dealloc(f, big_align);
        }
    }

    #[test]
    fn zeroed_blocks_are_zero_though_kept_ones_were_written() {
        let kept = Kept::new();
        unsafe {
            for layout in [
                Layout::from_size_align(40, 8).unwrap(),
                Layout::from_size_align(4096, 8).unwrap(),
            ] {
                let a = kept.alloc(layout);
                a.write_bytes(0xee, layout.size());
                kept.dealloc(a, layout);
                let b = kept.alloc_zeroed(layout);
                assert!((0..layout.size()).all(|i| *b.add(i) == 0));
                kept.dealloc(b, layout);
            }
        }
    }

    #[test]
    fn a_list_keeps_at_most_its_share() {
        let kept = Kept::new();
        let layout = Layout::from_size_align(48, 8).unwrap();
        unsafe {
            let blocks: Vec<*mut u8> = (0..KEPT + 10).map(|_| kept.alloc(layout)).collect();
            let distinct: std::collections::HashSet<_> = blocks.iter().collect();
            assert_eq!(distinct.len(), blocks.len());
            for block in blocks {
                kept.dealloc(block, layout);
            }
            assert_eq!((*kept.lists.get())[class(layout).unwrap()].len, KEPT);
        }
    }
}
