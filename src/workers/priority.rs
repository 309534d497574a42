//! Background threads yield to the UI's: on a busy 2-core machine a key is drawn before the
//! next chunk is written, the next history line parsed or the next picture decoded, not after.

/// Lowers the calling thread's priority (nice 10); the rest of the process keeps its own.
/// Raising one's own nice value is always allowed; a failure leaves the priority as it was.
pub fn yield_to_the_ui() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority has no memory-safety preconditions; on Linux, `who == 0` with
    // PRIO_PROCESS names the calling thread only.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}
