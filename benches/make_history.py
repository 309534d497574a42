#!/usr/bin/env python3
"""Writes a history.jsonl of N entries (distinct assets, oldest first) built from the sample
assets in assets/, for measuring start-up and memory at a given history size.
Usage: make_history.py N OUT_PATH"""
import datetime, json, pathlib, sys, uuid

n, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
root = pathlib.Path(__file__).resolve().parent.parent / "assets"
samples = [json.loads(p.read_text()) for p in sorted(root.glob("*.json"))]
out.parent.mkdir(parents=True, exist_ok=True)
with out.open("w") as f:
    for i in range(n):
        asset = dict(samples[i % len(samples)])
        u = str(uuid.UUID(int=i + 1))
        asset["id"] = u
        asset["assetId"] = f"user:1000000001-runwayml:demo@example.com-asset:{u}"
        asset["name"] = f"bench asset {i:06d} {asset.get('name', '')}"
        when = datetime.datetime.fromtimestamp(1_790_000_000 + i * 60, datetime.timezone.utc)
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        f.write(json.dumps({"assetId": asset["assetId"], "lookedUpAt": stamp, "asset": asset}, separators=(",", ":")) + "\n")
