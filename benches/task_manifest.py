#!/usr/bin/env python3
"""`runway-assets task - --json` for 1,000 asset IDs against the same two requests per ID
(the asset, then its task) made by sequential curl calls, against the embedded demo server.

    cargo build --release && python3 benches/task_manifest.py [--runs 3] [--ids 1000]

Prints one line per measurement and a Markdown table row for BENCHMARKS.md. Loopback only; the
task cache is a fresh empty folder for every run, so every task is fetched.
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(os.environ.get("RUNWAY_ASSETS_BIN", ROOT / "target" / "release" / "runway-assets"))
TOKEN = "demo-token"


def timed(cmd, stdin_data=None, env=None):
    start = time.perf_counter()
    done = subprocess.run(cmd, input=stdin_data, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    return (time.perf_counter() - start) * 1000, done


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ids", type=int, default=1000)
    args = parser.parse_args()
    server = subprocess.Popen([str(BIN), "serve-demo"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        base = server.stdout.readline().strip()
        if not base.startswith("http://127.0.0.1:"):
            sys.exit(f"the demo server did not start: {base!r}")
        home = tempfile.mkdtemp(prefix="task-manifest-")
        env = dict(os.environ, USEAPI_TOKEN=TOKEN, USEAPI_BASE_URL=base, HOME=home,
                   XDG_CONFIG_HOME=f"{home}/config", XDG_CACHE_HOME=f"{home}/cache")
        listed = subprocess.run([str(BIN), "list", "--account", "demo@example.com", "--limit", "1050", "--json"], env=env, capture_output=True,
                                text=True, check=True).stdout
        generated = [json.loads(line) for line in listed.splitlines() if line.strip()]
        generated = [a for a in generated if a.get("taskId")]
        picked = [generated[i % len(generated)] for i in range(args.ids)]
        ids = "".join(a["assetId"] + "\n" for a in picked)
        ours, curls = [], []
        for run in range(args.runs):
            run_env = dict(env, XDG_CACHE_HOME=f"{home}/cache-{run}")
            ms, done = timed([str(BIN), "task", "-", "--json"], stdin_data=ids.encode(), env=run_env)
            lines = [l for l in done.stdout.decode().splitlines() if l.strip()]
            if len(lines) != args.ids:
                sys.exit(f"task - printed {len(lines)} lines for {args.ids} IDs (exit {done.returncode}): "
                         f"{done.stderr.decode()[:400]}")
            ours.append(ms)
            script = "".join(
                f"curl -s -H 'Authorization: Bearer {TOKEN}' '{base}/v1/runwayml/assets/{quote(a['assetId'])}' >/dev/null\n"
                f"curl -s -H 'Authorization: Bearer {TOKEN}' '{base}/v1/runwayml/tasks/{quote(a['taskId'])}' >/dev/null\n"
                for a in picked)
            script_file = pathlib.Path(home) / "curls.sh"
            script_file.write_text(script)
            ms, _ = timed(["sh", str(script_file)])
            curls.append(ms)
            print(f"run {run + 1}: task - {ours[-1]:.0f} ms, {2 * args.ids} sequential curls {curls[-1]:.0f} ms",
                  file=sys.stderr)
        ours_ms, curl_ms = statistics.median(ours), statistics.median(curls)
        print(f"| `task - --json` for {args.ids} asset IDs (demo server) | {ours_ms:.0f} ms | "
              f"{2 * args.ids} sequential curls: {curl_ms:.0f} ms | {curl_ms / ours_ms:.1f}× faster "
              f"(target ≥ 30×) | median of {args.runs} |")
    finally:
        server.stdin.close()
        server.wait(timeout=30)


def quote(text):
    from urllib.parse import quote as q
    return q(text, safe="")


if __name__ == "__main__":
    main()
