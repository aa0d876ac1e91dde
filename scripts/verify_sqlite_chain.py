"""Re-computes every hash chain of an ntm-tracker SQLite file, with no code of ours:
`python3 scripts/verify_sqlite_chain.py ntm.db`. The format is in docs/event-store.md."""
import hashlib, sqlite3, struct, sys, uuid
from datetime import datetime, timezone

heads, expected_position = {}, 1
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT position, stream_id, stream_version, event_id, event_type, schema_version,"
    " effective_on, recorded_at, metadata, payload, prev_hash, hash FROM events ORDER BY position")
for pos, stream, version, eid, etype, schema, eff, rec, meta, payload, prev, stored in rows:
    at = datetime.fromisoformat(rec).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    fields = [stream, str(version), str(uuid.UUID(bytes=eid)), etype, str(schema), eff or "", at, meta, payload]
    data = b"".join(struct.pack(">I", len(f.encode())) + f.encode() for f in fields)
    last_version, last_hash = heads.get(stream, (0, bytes(32)))
    ok = (pos == expected_position and version == last_version + 1 and prev == last_hash
          and hashlib.sha256(data + prev).digest() == stored)
    if not ok:
        sys.exit(f"broken: stream {stream} version {version} (position {pos})")
    heads[stream], expected_position = (version, stored), pos + 1
print(f"ok: {expected_position - 1} events in {len(heads)} streams")
