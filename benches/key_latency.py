"""Timing a key in a TUI session (../shared/bench/tui_metrics.py's Session): `?` -> the help
overlay on screen, then `?` again to close it, over and over while something else happens.

The session's reader thread stamps each chunk of output as it reads it, but only once it holds
Python's GIL; while the main thread parses a big frame with pyte that took up to the default
switch interval (5 ms) and read as key latency. `precise_stamps` shortens the interval: a stamp
can only come late, never early, so this hides no latency (BENCHMARKS.md, "A key while a picture
loads").
"""
import sys
import time

PRECISE_SWITCH_INTERVAL = 0.0002


def add_switch_interval_option(ap):
    """`--switch-interval SECONDS` on an argparse parser, for `precise_stamps`."""
    ap.add_argument("--switch-interval", type=float, default=PRECISE_SWITCH_INTERVAL,
                    help="Python's thread switch interval in seconds (0: Python's default, 0.005)")


def precise_stamps(interval=PRECISE_SWITCH_INTERVAL):
    """Python's thread switch interval in seconds; 0 keeps Python's default (0.005)."""
    if interval > 0:
        sys.setswitchinterval(interval)


def toggle_help(s, help_re, limit, go_on, settle=0.0):
    """Up to `limit` times while go_on(): `?` -> the help on screen (timed, ms), `?` -> it gone
    (waited for), then `settle` seconds of output read before the next key."""
    lat = []
    while go_on() and len(lat) < limit:
        t = s.send_keys([b"?"])
        shown = s.pump(t + 5, help_re)
        if shown is None:
            break
        lat.append((shown - t) * 1000)
        s.send_keys([b"?"])
        end = time.perf_counter() + 5
        while help_re.search(s.screen.text(full=True)) and time.perf_counter() < end:
            s.pump(time.perf_counter() + 0.005)
        if settle:
            s.pump(time.perf_counter() + settle)
    return lat
