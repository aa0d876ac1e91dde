#!/usr/bin/env python3
"""Checks an `ntm export proof` bundle against a checkpoint you already hold, with no code of ours
(Python 3 standard library only; the formats are in docs/transparency-log.md):

    python3 scripts/verify_log_bundle.py --key VKEY --checkpoint OLD.txt [--witness WKEY]... BUNDLE.json

VKEY is the log's verifier key (`name+keyid+base64(0x01 || public key)`) or a file holding it.

What it proves, if it prints `ok`: both checkpoints are signed by VKEY; the new tree (RFC 6962)
begins with exactly the tree of the checkpoint you hold (consistency proof, and independently
the old tree's frontier extended by the bundle's events gives the new root); every new event's
hash recomputes from its fields and chains to its stream's previous event, which is either in the
bundle or a `stream_heads` event whose hash recomputes from its fields and whose inclusion in the
old tree, at its position, is proven.

Its limits: a compromised signing key can sign a second, different history; only witnesses
(`--witness`, cosignatures by keys the log does not hold) or an earlier checkpoint held by someone
else catch that. A bundle proves what is in the old tree, never what is absent from it: a stream
whose first bundle event is version 1 cannot be shown not to have existed before the old
checkpoint, nor a `stream_heads` event shown to be its stream's last event there. Nothing here
re-checks the other events inside the old tree (keep and check their export with
scripts/verify_export.py).
"""
import argparse, base64, binascii, hashlib, json, os, re, struct, sys


class Refused(Exception):
    """The first check that failed; the message names what and where."""


# --- Ed25519 (RFC 8032 §5.1), extended coordinates (X, Y, Z, T), x = X/Z, y = Y/Z, T = XY/Z ---
P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _add(a, b):
    A, B = (a[1] - a[0]) * (b[1] - b[0]) % P, (a[1] + a[0]) * (b[1] + b[0]) % P
    C, D_ = 2 * a[3] * b[3] * D % P, 2 * a[2] * b[2] % P
    E, F, G, H = B - A, D_ - C, D_ + C, B + A
    return (E * F % P, G * H % P, F * G % P, E * H % P)


def _mul(s, pt):
    q = (0, 1, 1, 0)
    while s:
        if s & 1:
            q = _add(q, pt)
        pt, s = _add(pt, pt), s >> 1
    return q


def _recover_x(y, sign):
    if y >= P:
        return None  # non-canonical encoding
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P:
        return None
    return P - x if (x & 1) != sign else x


_GY = 4 * pow(5, P - 2, P) % P
BASE = (_recover_x(_GY, 0), _GY, 1, _recover_x(_GY, 0) * _GY % P)


def _encode(pt):
    zinv = pow(pt[2], P - 2, P)
    x, y = pt[0] * zinv % P, pt[1] * zinv % P
    return (y | (x & 1) << 255).to_bytes(32, "little")


def _decode(s):
    y = int.from_bytes(s, "little")
    x = _recover_x(y & ((1 << 255) - 1), y >> 255)
    return None if x is None else (x, y & ((1 << 255) - 1), 1, x * (y & ((1 << 255) - 1)) % P)


def _hint(data):
    return int.from_bytes(hashlib.sha512(data).digest(), "little")


def _expand(seed):
    h = hashlib.sha512(seed).digest()
    return (int.from_bytes(h[:32], "little") & ((1 << 254) - 8)) | (1 << 254), h[32:]


def public_key(seed):
    return _encode(_mul(_expand(seed)[0], BASE))


def sign(seed, message):
    a, prefix = _expand(seed)
    r = _hint(prefix + message) % L
    R = _encode(_mul(r, BASE))
    s = (r + _hint(R + public_key(seed) + message) % L * a) % L
    return R + s.to_bytes(32, "little")


def verify(public, message, signature):
    if len(public) != 32 or len(signature) != 64:
        return False
    A, R, s = _decode(public), _decode(signature[:32]), int.from_bytes(signature[32:], "little")
    if A is None or R is None or s >= L:
        return False
    sb, rha = _mul(s, BASE), _add(R, _mul(_hint(signature[:32] + public + message) % L, A))
    return (sb[0] * rha[2] - rha[0] * sb[2]) % P == 0 and (sb[1] * rha[2] - rha[1] * sb[2]) % P == 0


# --- keys, signed notes, checkpoints (C2SP signed-note, tlog-checkpoint, tlog-cosignature) ---
def b64(text, what, size=None):
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise Refused(f"{what}: not base64")
    if base64.b64encode(raw).decode() != text:
        raise Refused(f"{what}: not canonical base64")
    if size is not None and len(raw) != size:
        raise Refused(f"{what}: {len(raw)} bytes, expected {size}")
    return raw


def key_id(name, key_type, public):
    return hashlib.sha256(name.encode() + b"\n" + bytes([key_type]) + public).digest()[:4]


def parse_vkey(text, key_type):
    """`name+keyid+base64(type || key)` -> (name, 4-byte id, public key); ValueError if malformed."""
    name, _, rest = text.strip().partition("+")
    hex_id, _, key = rest.partition("+")
    if not name or any(c.isspace() for c in name) or not re.fullmatch(r"[0-9a-f]{8}", hex_id):
        raise ValueError(f"malformed verifier key {text.strip()!r}")
    try:
        raw = b64(key, "key", 33)
    except Refused as e:
        raise ValueError(f"verifier key {text.strip()!r}: {e}")
    if raw[0] != key_type or key_id(name, key_type, raw[1:]).hex() != hex_id:
        raise ValueError(f"verifier key {text.strip()!r}: wrong type byte or key id")
    return name, bytes.fromhex(hex_id), raw[1:]


def open_note(note, what):
    """Signed note -> (text incl. final newline, [(name, signature bytes)])."""
    if not isinstance(note, str) or not note.endswith("\n") or "\n\n" not in note:
        raise Refused(f"{what}: not a signed note (text, blank line, signature lines)")
    split = note.rindex("\n\n")
    text, sigs = note[: split + 1], []
    for n, line in enumerate(note[split + 2 : -1].split("\n"), 1):
        m = re.fullmatch(r"\u2014 ([^ +]+) (\S+)", line)
        if not m:
            raise Refused(f"{what}: signature line {n} is not '\u2014 name base64'")
        sigs.append((m[1], b64(m[2], f"{what}: signature line {n}")))
    return text, sigs


def parse_checkpoint(text, what):
    m = re.fullmatch(r"([^\n]+)\n(0|[1-9][0-9]*)\n(\S+)\ntime \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n", text)
    if not m:
        raise Refused(f"{what}: text is not 'origin / size / base64 root / time RFC 3339' lines")
    return m[1], int(m[2]), b64(m[3], f"{what}: root hash", 32)


def check_signed(note, key, what):
    """The note's text, if it carries a valid signature by key; a bad one by key is refused."""
    name, kid, public = key
    text, sigs = open_note(note, what)
    mine = [s for n, s in sigs if n == name and s[:4] == kid]
    if not mine:
        raise Refused(f"{what}: no signature by key {name}+{kid.hex()}")
    for sig in mine:
        if len(sig) != 68 or not verify(public, text.encode(), sig[4:]):
            raise Refused(f"{what}: the signature by {name}+{kid.hex()} does not verify")
    return text


def check_cosigned(note, witness, what):
    name, kid, public = witness
    text, sigs = open_note(note, what)
    mine = [s for n, s in sigs if n == name and s[:4] == kid]
    if not mine:
        raise Refused(f"{what}: no cosignature by witness {name}+{kid.hex()}")
    for sig in mine:  # key id (4) || time, big-endian (8) || Ed25519 signature (64)
        signed = f"cosignature/v1\ntime {int.from_bytes(sig[4:12], 'big')}\n{text}".encode()
        if len(sig) != 76 or not verify(public, signed, sig[12:]):
            raise Refused(f"{what}: the cosignature by witness {name}+{kid.hex()} does not verify")


# --- RFC 6962 Merkle trees; proofs verified as RFC 9162 §2.1.3.2 and §2.1.4.2 ---
def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(index, size, leaf, proof, root):
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, proof):
    if first == 0:  # every tree extends the empty one
        return not proof and first_root == hashlib.sha256().digest()
    if first == second:
        return not proof and first_root == second_root
    if first > second or not proof:
        return False
    if first & (first - 1) == 0:
        proof = [first_root] + list(proof)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


def frontier_sizes(size):
    """The complete subtrees of a tree of `size` leaves, largest first (its binary decomposition)."""
    return [1 << b for b in range(size.bit_length() - 1, -1, -1) if size >> b & 1]


def frontier_root(stack):
    """Root of a tree given as its complete subtrees [(size, hash)], largest first: fold from the right."""
    if not stack:
        return hashlib.sha256().digest()
    root = stack[-1][1]
    for _, h in reversed(stack[:-1]):
        root = node_hash(h, root)
    return root


def append_leaf(stack, leaf):
    stack.append((1, leaf_hash(leaf)))
    while len(stack) > 1 and stack[-2][0] == stack[-1][0]:
        (size, left), (_, right) = stack[-2], stack.pop()
        stack[-1] = (2 * size, node_hash(left, right))


# --- the four checks of docs/transparency-log.md "The proof bundle" ---
def field(obj, name, kind, where):
    value = obj.get(name) if isinstance(obj, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise Refused(f"{where}: field {name!r} missing or not {getattr(kind, '__name__', 'of the right type')}")
    return value


def hex32(obj, name, where):
    value = field(obj, name, str, where)
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise Refused(f"{where}: field {name!r} is not 64 lower-case hex digits")
    return bytes.fromhex(value)


def hashes(obj, name, where):
    """A JSON list of base64 32-byte hashes."""
    out = []
    for i, h in enumerate(field(obj, name, list, where)):
        if not isinstance(h, str):
            raise Refused(f"{where}: {name}[{i}] is not a base64 string")
        out.append(b64(h, f"{where}: {name}[{i}]", 32))
    return out


def check_checkpoints(bundle, held_note, key, witnesses):
    """1. Both checkpoints signed by key, the old one equal to the held one, same origin, no shrinking."""
    held = check_signed(held_note, key, "your checkpoint")
    old = check_signed(field(bundle, "old_checkpoint", str, "bundle"), key, "bundle old_checkpoint")
    if old != held:
        raise Refused("bundle old_checkpoint: its text differs from the checkpoint you hold")
    new_note = field(bundle, "new_checkpoint", str, "bundle")
    new = check_signed(new_note, key, "bundle new_checkpoint")
    (origin, old_size, old_root) = parse_checkpoint(old, "bundle old_checkpoint")
    (new_origin, new_size, new_root) = parse_checkpoint(new, "bundle new_checkpoint")
    if new_origin != origin:
        raise Refused(f"bundle new_checkpoint: origin {new_origin!r} differs from {origin!r}")
    if new_size < old_size:
        raise Refused(f"bundle new_checkpoint: size {new_size} is smaller than the old size {old_size} (truncated log)")
    for witness in witnesses:
        check_cosigned(new_note, witness, "bundle new_checkpoint")
    return (old_size, old_root), (new_size, new_root)


def check_consistency(bundle, old, new):
    """2. The consistency proof shows the new tree extends the old one."""
    proof = hashes(bundle, "consistency_proof", "bundle")
    if not verify_consistency(old[0], new[0], old[1], new[1], proof):
        raise Refused(f"consistency_proof: does not prove the tree of {new[0]} extends the tree of {old[0]}")


def parse_event(item, where):
    """A line of `ntm export events` (JSON text or already an object), its fields type-checked;
    adds "prev" and "hash_bytes", the hashes as bytes."""
    try:
        e = json.loads(item) if isinstance(item, str) else item
    except ValueError:
        raise Refused(f"{where}: not JSON")
    if not isinstance(e, dict):
        raise Refused(f"{where}: not a JSON object")
    e = dict(e)
    field(e, "position", int, where)
    for name in ("stream_id", "event_id", "event_type", "recorded_at", "metadata", "payload"):
        field(e, name, str, where)
    field(e, "stream_version", int, where), field(e, "schema_version", int, where)
    if e.get("effective_on") is not None:
        field(e, "effective_on", str, where)
    e["prev"], e["hash_bytes"] = hex32(e, "prev_hash", where), hex32(e, "hash", where)
    return e


def parse_events(bundle, old_size):
    events = []
    for i, item in enumerate(field(bundle, "events", list, "bundle")):
        e = parse_event(item, f"events[{i}]")
        if e["position"] != old_size + 1 + i:
            raise Refused(f"events[{i}]: position {e['position']}, expected {old_size + 1 + i} (positions not dense)")
        events.append(e)
    return events


def check_frontier_and_leaves(bundle, old, new, events):
    """3. The frontier gives the old root; the frontier plus exactly these events gives the new root."""
    frontier = hashes(bundle, "old_frontier", "bundle")
    sizes = frontier_sizes(old[0])
    if len(frontier) != len(sizes):
        raise Refused(f"old_frontier: {len(frontier)} hashes, a tree of {old[0]} has {len(sizes)} complete subtrees")
    stack = list(zip(sizes, frontier))
    if frontier_root(stack) != old[1]:
        raise Refused("old_frontier: does not combine to the old checkpoint's root")
    if len(events) != new[0] - old[0]:
        raise Refused(f"events: {len(events)} events, the checkpoints differ by {new[0] - old[0]}")
    for e in events:
        append_leaf(stack, e["hash_bytes"])
    if frontier_root(stack) != new[1]:
        raise Refused("events: the old frontier extended by these events does not give the new checkpoint's root")


def event_hash(e):
    """As scripts/verify_export.py and docs/event-store.md."""
    fields = [e["stream_id"], str(e["stream_version"]), e["event_id"], e["event_type"],
              str(e["schema_version"]), e["effective_on"] or "", e["recorded_at"], e["metadata"], e["payload"]]
    data = b"".join(struct.pack(">I", len(f.encode())) + f.encode() for f in fields)
    return hashlib.sha256(data + e["prev"]).digest()


def check_events(bundle, old, events):
    """4. Every hash recomputes, the stream_heads events' too, and those are proven in the old tree;
    every stream's chain links to the bundle or to its stream_heads event."""
    heads = {}
    for i, h in enumerate(field(bundle, "stream_heads", list, "bundle")):
        if not isinstance(h, dict):
            raise Refused(f"stream_heads[{i}]: not a JSON object")
        head = parse_event(h.get("event"), f"stream_heads[{i}] event")
        proof = hashes(h, "inclusion_proof", f"stream_heads[{i}]")
        stream, version, pos = head["stream_id"], head["stream_version"], head["position"]
        where = f"stream_heads[{i}] (stream {stream} version {version} at position {pos})"
        if stream in heads:
            raise Refused(f"{where}: a second entry for stream {stream}")
        if event_hash(head) != head["hash_bytes"]:
            raise Refused(f"{where}: hash does not recompute from its fields")
        if not (1 <= pos <= old[0]
                and verify_inclusion(pos - 1, old[0], leaf_hash(head["hash_bytes"]), proof, old[1])):
            raise Refused(f"{where}: inclusion of position {pos} in the old tree of {old[0]} is not proven")
        heads[stream] = (version, head["hash_bytes"])
    last, used = {}, set()
    for e in events:
        stream, version = e["stream_id"], e["stream_version"]
        where = f"event at position {e['position']} (stream {stream} version {version})"
        if event_hash(e) != e["hash_bytes"]:
            raise Refused(f"{where}: hash does not recompute from its fields")
        if stream in last:
            if (version, e["prev"]) != (last[stream][0] + 1, last[stream][1]):
                raise Refused(f"{where}: does not link to the stream's previous event in the bundle")
        elif version == 1:
            if e["prev"] != bytes(32):
                raise Refused(f"{where}: version 1 does not link to 32 zero bytes")
        else:
            if stream not in heads:
                raise Refused(f"{where}: no stream_heads entry for its previous event")
            h_version, h_hash = heads[stream]
            if (version, e["prev"]) != (h_version + 1, h_hash):
                raise Refused(f"{where}: does not link to its stream_heads entry")
            used.add(stream)
        last[stream] = (version, e["hash_bytes"])
    unused = sorted(set(heads) - used)
    if unused:
        raise Refused(f"stream_heads entry for stream {unused[0]}: no event of the bundle links to it")
    return len(last)


def verify_bundle(bundle, held_note, key, witnesses=()):
    """All four checks in order; the `ok` line, or Refused naming the first failure."""
    if field(bundle, "format", str, "bundle") != "ntm-proof-bundle/1":
        raise Refused(f"bundle: format {bundle['format']!r} is not 'ntm-proof-bundle/1'")
    old, new = check_checkpoints(bundle, held_note, key, witnesses)
    check_consistency(bundle, old, new)
    events = parse_events(bundle, old[0])
    check_frontier_and_leaves(bundle, old, new, events)
    streams = check_events(bundle, old, events)
    return (f"ok: the log of {new[0]} events extends the checkpoint of {old[0]} events unchanged; "
            f"{len(events)} new events checked in {streams} streams")


def _no_duplicate_keys(pairs):
    if len({k for k, _ in pairs}) != len(pairs):
        raise ValueError("duplicate key in a JSON object")
    return dict(pairs)


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--key", required=True, help="the log's verifier key, or a file holding it")
    parser.add_argument("--checkpoint", required=True, help="the signed checkpoint you hold (OLD.txt)")
    parser.add_argument("--witness", action="append", default=[], help="a witness verifier key (type 0x04), or a file")
    parser.add_argument("bundle", help="the proof bundle (BUNDLE.json)")
    args = parser.parse_args(argv)
    try:
        key = parse_vkey(read(args.key) if os.path.isfile(args.key) else args.key, 0x01)
        witnesses = [parse_vkey(read(w) if os.path.isfile(w) else w, 0x04) for w in args.witness]
        held, bundle_text = read(args.checkpoint), read(args.bundle)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: {e}", file=sys.stderr)
        return 2
    try:
        try:
            bundle = json.loads(bundle_text, object_pairs_hook=_no_duplicate_keys)
        except ValueError as e:
            raise Refused(f"bundle: not JSON ({e})")
        if not isinstance(bundle, dict):
            raise Refused("bundle: not a JSON object")
        print(verify_bundle(bundle, held, key, witnesses))
        return 0
    except Refused as e:
        print(f"refused: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
