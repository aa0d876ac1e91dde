"""Re-verifies `ntm export events` output (JSON lines), with no database and no code of
ours: `python3 scripts/verify_export.py events.jsonl`. The format is in docs/event-store.md."""
import hashlib, json, struct, sys

heads, previous, count = {}, None, 0
for line in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(line)
    fields = [e["stream_id"], str(e["stream_version"]), e["event_id"], e["event_type"],
              str(e["schema_version"]), e["effective_on"] or "", e["recorded_at"], e["metadata"], e["payload"]]
    data = b"".join(struct.pack(">I", len(f.encode())) + f.encode() for f in fields)
    prev, version = bytes.fromhex(e["prev_hash"]), e["stream_version"]
    last = heads.get(e["stream_id"])
    linked = (prev == last[1] and version == last[0] + 1) if last else (version > 1 or prev == bytes(32))
    in_order = previous is None or e["position"] == previous + 1
    if not (linked and in_order and hashlib.sha256(data + prev).hexdigest() == e["hash"]):
        sys.exit(f"broken: stream {e['stream_id']} version {version} (position {e['position']})")
    heads[e["stream_id"]], previous, count = (version, bytes.fromhex(e["hash"])), e["position"], count + 1
print(f"ok: {count} events in {len(heads)} streams")
