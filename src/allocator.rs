//! Tuning of mimalloc, the binary's allocator, for the interactive reader.
//!
//! mimalloc gives the pages it frees back to the system only after a delay (1 s), and only on
//! a later call into it. Parsing and laying out a big article in the reader's jobs frees much
//! short-lived memory (pulldown-cmark's tree per piece, the rows of each block before they are
//! packed, highlighting's scratch) across several threads, and with the delay it all stayed
//! resident: the reader holding the 2 MB big.md peaked at 53 MB, and at 38 MB with freed pages
//! given back at once (bench/RESULTS.md). One-shot commands keep the delay: for `print` the
//! same setting saved 3 MB and cost 26 ms of system time on big.md.

/// `mi_option_purge_delay` in mimalloc.h (the same place in mimalloc 2 and 3);
/// libmimalloc-sys names only some of the options.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Makes mimalloc give freed pages back to the system at once (the reader: its peak memory
/// counts, its work is in jobs).
pub(crate) fn purge_at_once() {
    // SAFETY: sets an integer option, which mimalloc reads atomically from any thread; every
    // value is valid for it (0: at once).
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_option_set_is_the_purge_delay() {
        // Its default is a second; no other option of mimalloc defaults to 1000.
        // SAFETY: reads an integer option.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(delay, 1000, "option {}", super::PURGE_DELAY);
    }
}
