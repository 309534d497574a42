#!/usr/bin/env python3
"""A key typed while a picture is fetched and decoded (issue 11: "a key is drawn within 16 ms").

A small server on 127.0.0.1 written here answers `GET /v1/runwayml/assets/{id}` with an image
asset whose preview is a 3840x2160 JPEG it serves itself (`/pic/{id}.jpg`; the bytes are made
once by the embedded demo's file host, `runway-assets serve-demo`, and then served from memory, so
no picture is drawn while keys are timed). Every asset has its own ID, so each picture is fetched
and decoded afresh (the preview cache is keyed by asset).

In a 120x40 pseudo-terminal (../shared/bench/tui_metrics.py's Session, screen emulated by pyte),
`runway-assets --preview halfblocks` looks up asset after asset. As soon as an asset's fields are
on screen its picture is on its way; from then until the picture is drawn, `?` -> the help
overlay on screen is timed, `?` closes it, again and again. The same is timed with previews off
(`--preview off`) for contrast.

Usage: python3 benches/preview_keys.py [--assets 12] [--json] [--switch-interval 0.0002]
Needs python3 with pyte and target/release/runway-assets (cargo build --release). Loopback only.
"""
import argparse, json, os, pathlib, re, shutil, statistics, subprocess, sys, tempfile, time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT.parent / "shared" / "bench"))
sys.path.insert(0, str(ROOT / "benches"))
import tui_metrics as tm  # noqa: E402
from key_latency import add_switch_interval_option, precise_stamps, toggle_help  # noqa: E402
from loopback import LoopbackServer, answer, not_found  # noqa: E402

BIN = ROOT / "target" / "release" / "runway-assets"
DEMO_ASSET = "user:1000000001-runwayml:demo@example.com-asset:a1f0c7d9-5e2b-4a38-9d61-0b4e8c7f2a95"


def picture_4k():
    """A 3840x2160 JPEG drawn by the demo's file host."""
    p = subprocess.Popen([str(BIN), "serve-demo"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        base = p.stdout.readline().strip()
        req = urllib.request.Request(f"{base}/v1/runwayml/assets/{DEMO_ASSET}",
                                     headers={"Authorization": "Bearer demo-token"})
        asset = json.load(urllib.request.urlopen(req, timeout=10))
        preview = asset["previewUrls"][0]
        sep = "&" if "?" in preview else "?"
        return urllib.request.urlopen(f"{preview}{sep}size=3840x2160", timeout=30).read()
    finally:
        p.stdin.close()
        p.wait(10)


class Server(LoopbackServer):
    """API + file host on one loopback port."""

    def __init__(self, jpeg):
        self.jpeg = jpeg
        super().__init__()

    def respond(self, conn, path):
        if path.startswith("/v1/runwayml/assets/"):
            aid = path.rsplit("/", 1)[1]
            body = json.dumps({"assetId": aid, "name": f"{aid}.jpg", "mediaType": "image",
                               "updatedAt": "2026-12-01T00:00:00Z", "fileSize": len(self.jpeg),
                               "metadata": {"width": 3840, "height": 2160},
                               "url": f"{self.base}/pic/{aid}.jpg",
                               "previewUrls": [f"{self.base}/pic/{aid}.jpg"]}).encode()
            answer(conn, b"application/json", body)
        elif path.startswith("/pic/"):
            answer(conn, b"image/jpeg", self.jpeg)
        else:
            not_found(conn)


HELP = re.compile(r"closes this help")
# Half blocks drawn in the detail pane: the picture is on screen.
PICTURE = re.compile(r"▀{20}")


def session(server, work, preview, assets):
    home = work / preview
    home.mkdir()
    env = {k: os.environ[k] for k in ("PATH", "USER", "LOGNAME", "TMPDIR") if k in os.environ}
    env.update(USEAPI_TOKEN="bench-token", HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_CACHE_HOME=str(home / ".cache"), TERM="xterm-256color", LANG="C.UTF-8")
    argv = [str(BIN), "--base-url", server.base, "--preview", preview]
    s = tm.Session(argv, 120, 40, env, None, True, True)
    lat, pictures = [], 0
    try:
        s.spawn()
        if s.pump(s.t0 + 10, re.compile("No lookups yet")) is None:
            raise RuntimeError("no first frame:\n" + s.screen.text(full=True))
        for i in range(assets):
            name = f"pic{i:03d}"
            s.send_keys([b"\x15" + name.encode() + b"\r"])
            end = time.perf_counter() + 10
            while time.perf_counter() < end:
                screen = s.screen.text(full=True)
                if f"{name}.jpg" in screen and "fresh from the server" in screen:
                    break
                s.pump(time.perf_counter() + 0.002)
            else:
                raise RuntimeError("no asset:\n" + s.screen.text(full=True))
            # Out of the input (where ? is text); the picture is on its way: keys until it is
            # drawn (with previews off: three keys).
            s.send_keys([b"\t"])
            if preview == "off":
                lat += toggle_help(s, HELP, 3, lambda: True)
            else:
                lat += toggle_help(s, HELP, 50, lambda: not PICTURE.search(s.screen.text(full=True)))
                if s.pump(time.perf_counter() + 10, PICTURE) is not None:
                    pictures += 1
            # Esc: back to the input for the next ID.
            s.send_keys([b"\x1b"])
            s.pump(time.perf_counter() + 0.1)
        s.quit(tm.parse_keys("<c-c>"), 3)
    finally:
        s.close()
    return lat, pictures


def summary(lat):
    if not lat:
        return {"keys": 0}
    lat = sorted(lat)
    return {"keys": len(lat), "median_ms": statistics.median(lat), "p90_ms": lat[int(len(lat) * 0.9)],
            "max_ms": lat[-1], "within_16ms": sum(x <= 16 for x in lat)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--assets", type=int, default=12)
    ap.add_argument("--json", action="store_true")
    add_switch_interval_option(ap)
    a = ap.parse_args()
    precise_stamps(a.switch_interval)
    work = pathlib.Path(tempfile.mkdtemp(prefix="runway-preview-keys-", dir=os.environ.get("BENCH_DIR")))
    try:
        jpeg = picture_4k()
        server = Server(jpeg)
        during, pictures = session(server, work, "halfblocks", a.assets)
        without, _ = session(server, work, "off", a.assets)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {"jpeg_bytes": len(jpeg), "assets": a.assets, "pictures_drawn": pictures,
              "during_picture": summary(during), "previews_off": summary(without)}
    if a.json:
        print(json.dumps(result))
        return
    d, o = result["during_picture"], result["previews_off"]
    print(f"4K JPEG of {len(jpeg)} bytes, {a.assets} assets, {pictures} pictures drawn")
    print(f"? -> help while a picture is fetched and decoded: {d['keys']} keys, median {d.get('median_ms', 0):.1f} ms, "
          f"p90 {d.get('p90_ms', 0):.1f} ms, max {d.get('max_ms', 0):.1f} ms, {d.get('within_16ms', 0)} within 16 ms")
    print(f"the same with --preview off: {o['keys']} keys, median {o.get('median_ms', 0):.1f} ms, "
          f"p90 {o.get('p90_ms', 0):.1f} ms, max {o.get('max_ms', 0):.1f} ms")


if __name__ == "__main__":
    main()
