#!/usr/bin/env python3
"""Scrolling the Account list at key-repeat speed against a slow server, measured from outside.

Starts `runway-assets serve-demo` with RUNWAY_ASSETS_DEMO_PAGE_DELAY_MS (150 by default) unless
--base is given, then runs the release binary in a 120x40 pseudo-terminal (the Session of
../shared/bench/tui_metrics.py, screen emulated by pyte) with a fresh HOME and cache:
Tab, `2`, then `j` every --interval seconds (33 ms: 30 rows/s) until the selection should be on
the last of the 1,050 listed rows. It reports, per run:

  lost_keys        `j` presses that did not move the selection (it sat on the last loaded row
                   while the next page was on its way): the selection ends this far short
  loading_seen     of the screens sampled just before each next key, how many showed the
                   "Loading more…" line (it is only on screen when the loaded rows run out)
  selected_not_asset  samples whose highlighted row was not an asset row (e.g. the loading line)
  max_stall_ms     the longest time from a `j` until the selection next moves on screen (a run
                   of lost keys stalls until a page comes and the next key moves it); p50/p99
  rss_first_page_mib / hwm_first_page_mib  VmRSS / VmHWM as the first page's rows appear
  hwm_after_mib    VmHWM after scrolling through all the rows (and rss_after_mib)
  extra_mib        hwm_after - hwm_first_page: what the 1,050 rows cost
  idle_cpu_ms / idle_wakeups / idle_bytes  over --idle seconds, --settle s after the last row

The selected row is read from the detail pane (the selected asset's ID, `asset:xxxxxxxx`,
matched against the server's own listing) and the highlighted row (cyan background).
Usage: python3 benches/scroll_paging.py [--runs 3] [--delay 150] [--interval 0.033] [--json]
"""
import argparse, bisect, json, os, pathlib, queue, re, shutil, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT.parent / "shared" / "bench"))
import tui_metrics as tm  # noqa: E402

BIN = ROOT / "target" / "release" / "runway-assets"
ACCOUNT = "demo@example.com"
TOKEN = "demo-token"
ROWS = 1050
ID_RE = re.compile(r"asset:([0-9a-f]{8})")


def listed_ids(base):
    """The server's order: the uuid prefix of each of the 1,050 listed assets."""
    keys = []
    for offset in range(0, ROWS, 50):
        req = urllib.request.Request(f"{base}/v1/runwayml/assets/?offset={offset}&limit=50&email={ACCOUNT}",
                                     headers={"Authorization": f"Bearer {TOKEN}"})
        with urllib.request.urlopen(req) as r:
            for item in json.load(r):
                keys.append(ID_RE.search(item["assetId"]).group(1))
    assert len(keys) == ROWS and len(set(keys)) == ROWS, "uuid prefixes must identify the rows"
    return {k: i for i, k in enumerate(keys)}


def selected_index(screen_text, index_of):
    m = ID_RE.search(screen_text)  # the detail's "Asset ID" line (the history is empty)
    return index_of.get(m.group(1)) if m else None


def highlighted_rows(session):
    """Text of the list pane's highlighted rows (focused selection: cyan background)."""
    sc = session.screen.screen
    rows = []
    for y in range(sc.lines):
        line = sc.buffer[y]
        if line[1].bg not in ("default", "black"):  # Color::Cyan: "00cdcd" in pyte
            rows.append("".join(line[x].data for x in range(1, 47)).rstrip())
    return rows


def one_run(base, index_of, a):
    home = pathlib.Path(tempfile.mkdtemp(prefix="runway-scroll-"))
    env = {k: os.environ[k] for k in ("PATH", "USER", "LOGNAME", "SHELL", "TMPDIR") if k in os.environ}
    env.update(LANG="C.UTF-8", TERM="xterm-256color", COLUMNS="120", LINES="40", HOME=str(home),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"), USEAPI_TOKEN=TOKEN)
    argv = [str(a.bin), "--base-url", base, "--account", ACCOUNT]
    s = tm.Session(argv, 120, 40, env, None, True, True)
    r = {}
    try:
        s.spawn()
        if s.pump(s.t0 + 10, re.compile("No lookups yet")) is None:
            raise RuntimeError("no first frame:\n" + s.screen.text(full=True))
        s.send_keys(tm.parse_keys("<tab>"))
        s.pump(time.perf_counter() + 0.3)
        first = next(k for k, i in index_of.items() if i == 0)
        t2 = s.send_keys([b"2"])
        t = s.pump(t2 + 10, re.compile(f"asset:{first}"))
        if t is None:
            raise RuntimeError("first page not shown:\n" + s.screen.text(full=True))
        r["first_page_ms"] = (t - t2) * 1000
        tree = tm.proc_tree(s.pid)
        r["rss_first_page_mib"] = tm.tree_mem_mib(tree, "VmRSS")
        r["hwm_first_page_mib"] = tm.tree_mem_mib(tree, "VmHWM")

        # j every interval; between keys, follow the selection chunk by chunk
        sent = []            # when each j was written
        sel = {"index": 0, "moves": []}  # the selection on screen, and when it moved
        samples = loading_seen = not_asset = 0
        start = time.perf_counter() + a.interval
        for k in range(1, ROWS):
            follow(s, start + (k - 1) * a.interval, index_of, sel)
            # the screen just before the next key
            if k > 1:
                samples += 1
                loading_seen += "Loading" in s.screen.text(full=True)
                hl = highlighted_rows(s)
                if len(hl) != 1 or "Loading" in hl[0] or not hl[0].strip():
                    not_asset += 1
            sent.append(s.send_keys([b"j"]))
        follow(s, time.perf_counter() + 3, index_of, sel, stop_at=ROWS - 1)
        t_end = time.perf_counter()
        s.pump(t_end + 0.3)
        text = s.screen.text(full=True)
        # a key's stall: from its write until the selection next moves on screen
        moves = sel["moves"]
        stalls = [((moves[bisect.bisect_left(moves, t)] if bisect.bisect_left(moves, t) < len(moves) else t_end) - t)
                  * 1000 for t in sent]
        r.update(keys=len(sent), final_index=sel["index"], lost_keys=(ROWS - 1) - sel["index"], samples=samples,
                 loading_seen=loading_seen, selected_not_asset=not_asset, max_stall_ms=max(stalls),
                 p50_stall_ms=statistics.median(stalls), p99_stall_ms=sorted(stalls)[int(len(stalls) * 0.99) - 1],
                 end_line="newest 1,050" in text or "End of the list" in text)
        tree = tm.proc_tree(s.pid)
        r["rss_after_mib"] = tm.tree_mem_mib(tree, "VmRSS")
        r["hwm_after_mib"] = tm.tree_mem_mib(tree, "VmHWM")
        r["extra_mib"] = r["hwm_after_mib"] - r["hwm_first_page_mib"]
        # idle after paging
        s.pump(time.perf_counter() + a.settle)
        tree = tm.proc_tree(s.pid)
        b0, _ = s.counters()
        cpu0, w0 = tm.tree_cpu_ns(tree), tm.tree_wakeups(tree)
        s.pump(time.perf_counter() + a.idle)
        tree = tm.proc_tree(s.pid)
        cpu1, w1 = tm.tree_cpu_ns(tree), tm.tree_wakeups(tree)
        b1, _ = s.counters()
        r.update(idle_cpu_ms=(cpu1 - cpu0) / 1e6, idle_wakeups=w1 - w0, idle_bytes=b1 - b0)
        r["screen"] = s.screen.text(full=True)
        s.quit(tm.parse_keys("<c-c>"), 3)
    finally:
        s.close()
        shutil.rmtree(home, ignore_errors=True)
    return r


def follow(s, deadline, index_of, sel, stop_at=None):
    """Feeds output until deadline, noting when the selection on screen moves."""
    while True:
        now = time.perf_counter()
        if now >= deadline or (stop_at is not None and sel["index"] >= stop_at):
            return
        try:
            t, data = s.q.get(timeout=min(0.005, deadline - now))
        except queue.Empty:
            continue
        if data is None:
            raise RuntimeError("the app exited")
        s.screen.feed(data)
        i = selected_index(s.screen.text(), index_of)
        if i is not None and i != sel["index"]:
            sel["index"] = i
            sel["moves"].append(t)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", type=pathlib.Path, default=BIN)
    ap.add_argument("--base", help="a running serve-demo (else one is started with --delay)")
    ap.add_argument("--delay", type=int, default=150, help="ms each list page waits on the demo server")
    ap.add_argument("--interval", type=float, default=0.033, help="s between two j presses")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--idle", type=float, default=10.0)
    ap.add_argument("--settle", type=float, default=1.0)
    ap.add_argument("--show-screen", action="store_true")
    a = ap.parse_args()
    sys.setswitchinterval(0.0005)
    server = None
    base = a.base
    if base is None:
        env = dict(os.environ, RUNWAY_ASSETS_DEMO_PAGE_DELAY_MS=str(a.delay))
        server = subprocess.Popen([str(a.bin), "serve-demo"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, env=env)
        base = server.stdout.readline().strip()
    try:
        index_of = listed_ids(base)
        runs = []
        for n in range(a.runs):
            r = one_run(base, index_of, a)
            screen = r.pop("screen")
            if a.show_screen:
                print(screen, file=sys.stderr)
            print(f"run {n + 1}: " + " ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}"
                                              for k, v in r.items()), file=sys.stderr, flush=True)
            runs.append(r)
    finally:
        if server:
            server.stdin.close()
            server.wait(timeout=10)
    median = {k: statistics.median(r[k] for r in runs) for k in runs[0] if not isinstance(runs[0][k], bool)}
    worst = {k: max(r[k] for r in runs) for k in ("lost_keys", "loading_seen", "selected_not_asset",
                                                    "max_stall_ms", "extra_mib", "idle_cpu_ms", "idle_wakeups",
                                                    "idle_bytes")}
    print(json.dumps({"delay_ms": a.delay, "interval_s": a.interval, "idle_s": a.idle, "runs": runs, "median": median,
                      "worst": worst}, separators=(",", ":")))


if __name__ == "__main__":
    main()
