#!/usr/bin/env python3
"""Download benchmarks of the release binary, from a loopback server (issue 10).

A small server on 127.0.0.1 written here stands in for both the API (`GET
/v1/runwayml/assets/{id}` answers an asset whose `url` points back at it) and the file host
(`GET /file/{n}` sends n bytes from a file already in the page cache, with sendfile, optionally
at a limited rate). Then, all on this machine:

  throughput  `runway-assets download big -o DIR` (whole process: the lookup, the transfer, the
              fsync, the rename) against `curl -s -o FILE URL` followed by an fsync of FILE, for
              a 200 MiB file; median of --runs, alternating, the output deleted between runs.
  memory      peak RSS (ru_maxrss from wait4) of `download` for 200 MiB, 20 MiB and 1 KiB: the
              200 MiB figure minus the 1 KiB one is what the transfer costs (streamed: flat).
  TUI         in a 120x40 pseudo-terminal (../shared/bench/tui_metrics.py's Session, screen
              emulated by pyte): look up `big`, press `d` (the server sends 200 MiB at --rate
              MiB/s so the download lasts a while), then while it runs: `?` -> the help overlay
              on screen, timed, repeated; frames drawn per second over a stretch with no keys
              (counted as synchronized-update starts, ESC [?2026h); after "Saved" is on screen:
              CPU, wakeups and bytes written over --idle seconds.

Usage: python3 benches/download.py [--runs 5] [--size-mib 200] [--rate 40] [--idle 5] [--json]
       [--switch-interval 0.0002]
Needs python3 with pyte, curl, and target/release/runway-assets (cargo build --release). Loopback only.
"""
import argparse, json, os, pathlib, re, shutil, statistics, subprocess, sys, tempfile, time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT.parent / "shared" / "bench"))
sys.path.insert(0, str(ROOT / "benches"))
import tui_metrics as tm  # noqa: E402
from key_latency import add_switch_interval_option, precise_stamps, toggle_help  # noqa: E402
from loopback import LoopbackServer, answer, not_found  # noqa: E402

BIN = ROOT / "target" / "release" / "runway-assets"
MIB = 1 << 20


class Server(LoopbackServer):
    """API + file host on one loopback port."""

    def __init__(self, blob_path, rate_mib=None):
        self.blob_path, self.rate = blob_path, rate_mib
        super().__init__()

    def respond(self, conn, path):
        if path.startswith("/v1/runwayml/assets/"):
            size = {"big": self.size, "mid": 20 * MIB, "small": 1024}.get(path.rsplit("/", 1)[1], 1024)
            body = json.dumps({"assetId": path.rsplit("/", 1)[1], "name": f"{path.rsplit('/', 1)[1]}.bin",
                               "url": f"{self.base}/file/{size}", "fileSize": size,
                               "fileExtStandardized": "bin"}).encode()
            answer(conn, b"application/json", body)
        elif path.startswith("/file/"):
            n = int(path.split("/")[2])
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n"
                         b"Connection: close\r\n\r\n" % n)
            with open(self.blob_path, "rb") as f:
                sent, start = 0, time.perf_counter()
                step = MIB if self.rate else n
                while sent < n:
                    k = os.sendfile(conn.fileno(), f.fileno(), sent, min(step, n - sent))
                    if k <= 0:
                        break
                    sent += k
                    if self.rate:
                        ahead = sent / (self.rate * MIB) - (time.perf_counter() - start)
                        if ahead > 0:
                            time.sleep(ahead)
        else:
            not_found(conn)


def timed(cmd, env):
    """(wall seconds, peak RSS MiB) of one run of cmd. The peak is VmHWM read from /proc every
    few ms until the process ends (it only grows; the last read is within a few ms of the end).
    (wait4's ru_maxrss would count the Python image the child was forked from.)"""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    hwm = 0.0
    while p.poll() is None:
        try:
            hwm = max(hwm, tm.status_kib(p.pid, "VmHWM") / 1024)
        except Exception:
            pass
        time.sleep(0.003)
    wall = time.perf_counter() - t
    err = p.stderr.read().decode()
    if p.returncode != 0:
        raise RuntimeError(f"{cmd}: exit {p.returncode}: {err}")
    return wall, hwm


def curl_fsync(url, out):
    t = time.perf_counter()
    subprocess.run(["curl", "-s", "-o", str(out), url], check=True)
    fd = os.open(out, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)
    return time.perf_counter() - t


def throughput(a, server, env, work):
    size = a.size_mib * MIB
    ours_dir, curl_out = work / "ours", work / "curl.bin"
    ours, curl = [], []
    for _ in range(a.runs + 1):  # the first of each is a warm-up
        shutil.rmtree(ours_dir, ignore_errors=True)
        ours.append(timed([str(BIN), "download", "big", "-o", str(ours_dir)], env)[0])
        assert (ours_dir / "big.bin").stat().st_size == size
        curl_out.unlink(missing_ok=True)
        curl.append(curl_fsync(f"{server.base}/file/{size}", curl_out))
        assert curl_out.stat().st_size == size
    ours, curl = statistics.median(ours[1:]), statistics.median(curl[1:])
    mem = {}
    for name in ("small", "mid", "big"):
        shutil.rmtree(ours_dir, ignore_errors=True)
        mem[name] = max(timed([str(BIN), "download", name, "-o", str(ours_dir)], env)[1] for _ in range(2))
    shutil.rmtree(ours_dir, ignore_errors=True)
    curl_out.unlink(missing_ok=True)
    return {"ours_s": ours, "curl_fsync_s": curl, "ours_mib_s": a.size_mib / ours, "curl_mib_s": a.size_mib / curl,
            "ratio": curl / ours, "peak_rss_1kib_mib": mem["small"], "peak_rss_20mib_mib": mem["mid"],
            "peak_rss_200mib_mib": mem["big"], "extra_rss_mib": mem["big"] - mem["small"]}


def tui(a, server, env, work):
    home = work / "home"
    home.mkdir(exist_ok=True)
    env = dict(env, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"),
               TERM="xterm-256color", LANG="C.UTF-8")
    argv = [str(BIN), "--download-dir", str(work / "tui"), "--base-url", server.base]
    s = tm.Session(argv, 120, 40, env, None, True, True)
    frames = {"n": 0}
    feed = s.screen.feed

    def counting_feed(data):
        frames["n"] += data.count(b"\x1b[?2026h")
        feed(data)

    s.screen.feed = counting_feed
    r = {}
    help_re = re.compile(r"closes this help")
    try:
        s.spawn()
        if s.pump(s.t0 + 10, re.compile("No lookups yet")) is None:
            raise RuntimeError("no first frame:\n" + s.screen.text(full=True))
        s.send_keys([b"big\r"])
        if s.pump(time.perf_counter() + 10, re.compile("fresh from the server")) is None:
            raise RuntimeError("no asset:\n" + s.screen.text(full=True))
        s.send_keys([b"\t"])
        s.pump(time.perf_counter() + 0.3)
        r["key_to_frame_ms_no_download"] = statistics.median(toggle_help(s, help_re, a.keys, lambda: True, 0.1))
        started = s.send_keys([b"d"])
        if s.pump(started + 10, re.compile("↓ big.bin")) is None:
            raise RuntimeError("no progress:\n" + s.screen.text(full=True))
        # Frames a second from progress alone: a stretch with no keys.
        s.pump(time.perf_counter() + 0.5)
        f0, t0 = frames["n"], time.perf_counter()
        s.pump(t0 + 2.0)
        r["progress_frames_per_s"] = (frames["n"] - f0) / (time.perf_counter() - t0)
        # Keys while it runs: ? opens the help (timed), ? closes it (waited for, untimed).
        lat = toggle_help(s, help_re, a.keys, lambda: "↓ big.bin" in s.screen.text(full=True), 0.1)
        r.update(keys_during_download=len(lat), key_to_frame_ms_median=statistics.median(lat) if lat else None,
                 key_to_frame_ms_p90=sorted(lat)[int(len(lat) * 0.9)] if lat else None,
                 key_to_frame_ms_max=max(lat) if lat else None, within_16ms=sum(x <= 16 for x in lat))
        if s.pump(time.perf_counter() + 120, re.compile(r"Saved /")) is None:
            raise RuntimeError("not saved:\n" + s.screen.text(full=True))
        r["download_s"] = time.perf_counter() - started
        r["frames_during_download"] = frames["n"]
        s.pump(time.perf_counter() + 1.0)
        tree = tm.proc_tree(s.pid)
        b0, _ = s.counters()
        cpu0, w0 = tm.tree_cpu_ns(tree), tm.tree_wakeups(tree)
        s.pump(time.perf_counter() + a.idle)
        tree = tm.proc_tree(s.pid)
        cpu1, w1 = tm.tree_cpu_ns(tree), tm.tree_wakeups(tree)
        b1, _ = s.counters()
        r.update(idle_cpu_ms=(cpu1 - cpu0) / 1e6, idle_wakeups=w1 - w0, idle_bytes=b1 - b0)
        s.quit(tm.parse_keys("<c-c>"), 3)
    finally:
        s.close()
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--size-mib", type=int, default=200)
    ap.add_argument("--rate", type=int, default=40, help="MiB/s the file host sends at in the TUI run")
    ap.add_argument("--keys", type=int, default=20, help="keys timed during the TUI download")
    ap.add_argument("--idle", type=float, default=5.0)
    ap.add_argument("--json", action="store_true")
    add_switch_interval_option(ap)
    a = ap.parse_args()
    precise_stamps(a.switch_interval)
    work = pathlib.Path(tempfile.mkdtemp(prefix="runway-download-bench-", dir=os.environ.get("BENCH_DIR")))
    try:
        blob = work / "blob"
        with open(blob, "wb") as f:
            chunk = os.urandom(MIB)
            for _ in range(a.size_mib):
                f.write(chunk)
        env = {k: os.environ[k] for k in ("PATH", "USER", "LOGNAME", "TMPDIR") if k in os.environ}
        env.update(USEAPI_TOKEN="bench-token", HOME=str(work), XDG_CONFIG_HOME=str(work / ".config"))
        fast = Server(blob)
        fast.size = a.size_mib * MIB
        env_fast = dict(env, USEAPI_BASE_URL=fast.base)
        result = {"throughput": throughput(a, fast, env_fast, work)}
        print(json.dumps(result["throughput"]), file=sys.stderr)
        slow = Server(blob, a.rate)
        slow.size = a.size_mib * MIB
        result["tui"] = tui(a, slow, env, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if a.json:
        print(json.dumps(result))
        return
    t, u = result["throughput"], result["tui"]
    print(f"download {a.size_mib} MiB: {t['ours_s'] * 1000:.0f} ms ({t['ours_mib_s']:.0f} MiB/s); "
          f"curl -o + fsync: {t['curl_fsync_s'] * 1000:.0f} ms ({t['curl_mib_s']:.0f} MiB/s); "
          f"ours at {t['ratio'] * 100:.0f}% of curl's speed")
    print(f"peak RSS: 1 KiB {t['peak_rss_1kib_mib']:.1f} MiB, 20 MiB {t['peak_rss_20mib_mib']:.1f} MiB, "
          f"{a.size_mib} MiB {t['peak_rss_200mib_mib']:.1f} MiB (+{t['extra_rss_mib']:.1f} MiB)")
    print(f"TUI: progress frames/s {u['progress_frames_per_s']:.1f}; key -> frame during the download: median "
          f"{u['key_to_frame_ms_median']:.1f} ms, p90 {u['key_to_frame_ms_p90']:.1f} ms, max {u['key_to_frame_ms_max']:.1f} ms "
          f"({u['within_16ms']} of {u['keys_during_download']} keys within 16 ms; "
          f"{u['key_to_frame_ms_no_download']:.1f} ms median with no download); "
          f"idle {a.idle:.0f} s after: {u['idle_cpu_ms']:.1f} ms CPU, {u['idle_wakeups']} wakeups, {u['idle_bytes']} bytes")


if __name__ == "__main__":
    main()
