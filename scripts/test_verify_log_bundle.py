"""Tests of scripts/verify_log_bundle.py (standard library only):
`python3 -m unittest scripts/test_verify_log_bundle.py` from the repository root."""
import base64, contextlib, hashlib, io, json, os, struct, subprocess, sys, tempfile, unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import verify_log_bundle as v  # noqa: E402

# RFC 8032 §7.1 TEST 1, 2 and 3: (secret key, public key, message, signature), hex, from the RFC
# (cross-checked against several independent published copies, e.g. go.dedis.ch/kyber's eddsa tests).
RFC8032 = [
    ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065"
     "224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
    ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223"
     "ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
    ("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7"
     "db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
]

# RFC 6962 vectors (transparency-dev/merkle testonly/constants.go).
LEAVES = [bytes.fromhex(h) for h in
          ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]]
ROOTS = """e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d
fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125
aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77
d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7
4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4
76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef
ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c
5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328""".split()
H = {  # the proof hashes, abbreviated
    "96a2": "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "5f08": "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "6b47": "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    "bc1a": "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "ca85": "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    "d37e": "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "fac5": "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "6e34": "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "0ebc": "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    "b086": "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
}
INCLUSION = [(0, 8, "96a2 5f08 6b47"), (5, 8, "bc1a ca85 d37e"), (2, 3, "fac5"), (1, 5, "6e34 5f08 bc1a")]
CONSISTENCY = [(1, 8, "96a2 5f08 6b47"), (6, 8, "0ebc ca85 d37e"), (2, 5, "5f08 bc1a"), (6, 7, "0ebc b086 d37e")]


def hexes(names):
    return [bytes.fromhex(H[n]) for n in names.split()]


# --- a naive RFC 6962 (§2.1) tree, to build the test bundle independently of the script ---
def mth(leaves):
    if not leaves:
        return hashlib.sha256().digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1 << (len(leaves) - 1).bit_length() - 1
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def path(m, leaves):
    if len(leaves) <= 1:
        return []
    k = 1 << (len(leaves) - 1).bit_length() - 1
    return path(m, leaves[:k]) + [mth(leaves[k:])] if m < k else path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m, leaves, complete):
    if m == len(leaves):
        return [] if complete else [mth(leaves)]
    k = 1 << (len(leaves) - 1).bit_length() - 1
    if m <= k:
        return subproof(m, leaves[:k], complete) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def frontier(leaves):
    out, start = [], 0
    for size in v.frontier_sizes(len(leaves)):
        out.append(mth(leaves[start:start + size]))
        start += size
    return out


# --- keys, notes, checkpoints ---
def b64(raw):
    return base64.b64encode(raw).decode()


class Key:
    def __init__(self, name, seed_byte, key_type=0x01):
        self.name, self.seed, self.type = name, bytes([seed_byte]) * 32, key_type
        self.public = v.public_key(self.seed)
        self.id = v.key_id(name, key_type, self.public)
        self.vkey = f"{name}+{self.id.hex()}+{b64(bytes([key_type]) + self.public)}"

    def line(self, text):
        return f"\u2014 {self.name} {b64(self.id + v.sign(self.seed, text.encode()))}\n"

    def cosign_line(self, text, time=1767225600):
        signed = f"cosignature/v1\ntime {time}\n{text}".encode()
        return f"\u2014 {self.name} {b64(self.id + struct.pack('>Q', time) + v.sign(self.seed, signed))}\n"


LOG, OTHER, WITNESS = Key("example.org/log", 7), Key("example.org/log", 8), Key("witness.example", 9, 0x04)


def checkpoint_text(size, root, origin="example.org/log", time="2026-01-01T00:00:00Z"):
    return f"{origin}\n{size}\n{b64(root)}\ntime {time}\n"


def note(text, *keys):
    return text + "\n" + "".join(k.line(text) for k in keys)


# --- a synthetic log: 20 events in 4 streams; the auditor holds the checkpoint at 7 ---
def event(position, stream, version, prev, n):
    e = {"position": position, "stream_id": stream, "stream_version": version,
         "event_id": f"00000000-0000-4000-8000-{position:012d}", "event_type": "ReadingRecorded",
         "schema_version": 1, "effective_on": None if n % 3 == 0 else "2026-01-02",
         "recorded_at": f"2026-01-02T10:00:{position:02d}.123456Z",
         "metadata": json.dumps({"actor": "tester", "n": n}), "payload": json.dumps({"value": n, "note": "é"}),
         "prev_hash": prev.hex()}
    e["hash"] = rehash(e).hex()
    return e


def rehash(e):
    fields = [e["stream_id"], str(e["stream_version"]), e["event_id"], e["event_type"], str(e["schema_version"]),
              e["effective_on"] or "", e["recorded_at"], e["metadata"], e["payload"]]
    data = b"".join(struct.pack(">I", len(f.encode())) + f.encode() for f in fields)
    return hashlib.sha256(data + bytes.fromhex(e["prev_hash"])).digest()


STREAMS = ["locality/a", "locality/b", "locality/a", "locality/c", "locality/b", "locality/a", "locality/a",  # old
           "locality/b", "locality/d", "locality/a", "locality/d", "locality/c", "locality/b", "locality/d",
           "locality/a", "locality/d", "locality/b", "locality/a", "locality/d", "locality/b"]
OLD, NEW = 7, 20


def make_log():
    events, heads = [], {}
    for i, stream in enumerate(STREAMS):
        version, prev = heads.get(stream, (0, bytes(32)))
        e = event(i + 1, stream, version + 1, prev, i)
        events.append(e)
        heads[stream] = (version + 1, bytes.fromhex(e["hash"]))
    return events


def head_entry(head, events, old=OLD):
    """A stream_heads entry: the event `head` and its inclusion proof in the tree of events[:old]."""
    leaves = [bytes.fromhex(e["hash"]) for e in events[:old]]
    return {"event": dict(head), "inclusion_proof": [b64(h) for h in path(head["position"] - 1, leaves)]}


def make_bundle(events, old=OLD, new=NEW):
    leaves = [bytes.fromhex(e["hash"]) for e in events]
    old_text, new_text = checkpoint_text(old, mth(leaves[:old])), checkpoint_text(new, mth(leaves[:new]))
    stream_heads, seen = [], set()
    for e in events[old:new]:
        if e["stream_id"] not in seen and e["stream_version"] > 1:
            head = [h for h in events[:old] if h["stream_id"] == e["stream_id"]][-1]
            stream_heads.append(head_entry(head, events, old))
        seen.add(e["stream_id"])
    bundle = {"format": "ntm-proof-bundle/1", "old_checkpoint": note(old_text, LOG),
              "new_checkpoint": note(new_text, LOG),
              "consistency_proof": [b64(h) for h in subproof(old, leaves[:new], True)] if old else [],
              "old_frontier": [b64(h) for h in frontier(leaves[:old])], "stream_heads": stream_heads,
              "events": [json.dumps(e) for e in events[old:new]]}
    return bundle, note(old_text, LOG)


def flip(b64_text):
    raw = bytearray(base64.b64decode(b64_text))
    raw[0] ^= 1
    return b64(bytes(raw))


class Ed25519(unittest.TestCase):
    def test_rfc8032_vectors_sign_and_verify(self):
        for secret, public, message, signature in RFC8032:
            secret, public, message, signature = map(bytes.fromhex, (secret, public, message, signature))
            self.assertEqual(v.public_key(secret), public)
            self.assertEqual(v.sign(secret, message), signature)
            self.assertTrue(v.verify(public, message, signature))
            for bit in (0, 8 * 32 + 3, 8 * 63 + 7):  # in R, in S, the top bit of S
                bad = bytearray(signature)
                bad[bit // 8] ^= 1 << bit % 8
                self.assertFalse(v.verify(public, message, bytes(bad)))
            self.assertFalse(v.verify(public, message + b"x", signature))

    def test_rejects_s_not_reduced_and_non_canonical_points(self):
        secret, public, message, signature = map(bytes.fromhex, RFC8032[0])
        s = int.from_bytes(signature[32:], "little")
        self.assertFalse(v.verify(public, message, signature[:32] + (s + v.L).to_bytes(32, "little")))
        non_canonical_y = (v.P + 1).to_bytes(32, "little")  # y = 1 encoded as p + 1
        self.assertFalse(v.verify(non_canonical_y, message, signature))
        self.assertFalse(v.verify(public, message, non_canonical_y + signature[32:]))
        self.assertFalse(v.verify(public[:31], message, signature))

    def test_non_canonical_encodings_of_a_point_refused(self):
        # With A the identity, [S]B = R + [k]A holds for R = [S]B whatever k: the canonical
        # encoding (y = 1) verifies, y = p + 1 and "x = -0" (sign bit set) must not.
        s = 12345
        signature = v._encode(v._mul(s, v.BASE)) + s.to_bytes(32, "little")
        self.assertTrue(v.verify((1).to_bytes(32, "little"), b"m", signature))
        self.assertFalse(v.verify((v.P + 1).to_bytes(32, "little"), b"m", signature))
        self.assertFalse(v.verify((1 | 1 << 255).to_bytes(32, "little"), b"m", signature))


class Merkle(unittest.TestCase):
    def test_roots(self):
        for size, root in enumerate(ROOTS):
            self.assertEqual(mth(LEAVES[:size]).hex(), root)
            stack = []
            for leaf in LEAVES[:size]:
                v.append_leaf(stack, leaf)
            self.assertEqual(v.frontier_root(stack).hex(), root)
            self.assertEqual(v.frontier_root(list(zip(v.frontier_sizes(size), frontier(LEAVES[:size])))).hex(), root)

    def test_inclusion(self):
        for index, size, proof in INCLUSION:
            root, leaf = bytes.fromhex(ROOTS[size]), v.leaf_hash(LEAVES[index])
            self.assertEqual(path(index, LEAVES[:size]), hexes(proof))
            self.assertTrue(v.verify_inclusion(index, size, leaf, hexes(proof), root))
            self.assertFalse(v.verify_inclusion(index, size, leaf, hexes(proof)[:-1], root))
            self.assertFalse(v.verify_inclusion(index, size, v.leaf_hash(b"x"), hexes(proof), root))
            self.assertFalse(v.verify_inclusion(index ^ 1, size, leaf, hexes(proof), root))
        self.assertTrue(v.verify_inclusion(0, 1, v.leaf_hash(LEAVES[0]), [], bytes.fromhex(ROOTS[1])))
        self.assertFalse(v.verify_inclusion(1, 1, v.leaf_hash(LEAVES[0]), [], bytes.fromhex(ROOTS[1])))

    def test_consistency(self):
        for first, second, proof in CONSISTENCY:
            r1, r2 = bytes.fromhex(ROOTS[first]), bytes.fromhex(ROOTS[second])
            self.assertEqual(subproof(first, LEAVES[:second], True), hexes(proof))
            self.assertTrue(v.verify_consistency(first, second, r1, r2, hexes(proof)))
            self.assertFalse(v.verify_consistency(first, second, r2, r2, hexes(proof)))
            self.assertFalse(v.verify_consistency(first, second, r1, r1, hexes(proof)))
            self.assertFalse(v.verify_consistency(first, second, r1, r2, hexes(proof)[:-1]))
            self.assertFalse(v.verify_consistency(first, second, r1, r2, hexes(proof) + hexes("d37e")))
        for first in range(9):  # every pair against the naive PROOF(m, D[n])
            for second in range(first, 9):
                r1, r2 = bytes.fromhex(ROOTS[first]), bytes.fromhex(ROOTS[second])
                proof = subproof(first, LEAVES[:second], True) if first else []
                self.assertTrue(v.verify_consistency(first, second, r1, r2, proof), (first, second))
        self.assertFalse(v.verify_consistency(3, 3, bytes.fromhex(ROOTS[3]), bytes.fromhex(ROOTS[4]), []))
        r = [bytes.fromhex(h) for h in ROOTS]
        self.assertFalse(v.verify_consistency(0, 4, r[1], r[4], []))  # the empty tree's root is SHA-256("")
        self.assertFalse(v.verify_consistency(0, 4, r[0], r[4], [r[4]]))  # and its proof is empty
        self.assertFalse(v.verify_consistency(5, 2, r[5], r[2], hexes("5f08 bc1a")))  # shrinking
        self.assertFalse(v.verify_consistency(2, 5, r[2], r[5], []))


class Bundle(unittest.TestCase):
    def setUp(self):
        self.events = make_log()
        self.bundle, self.held = make_bundle(self.events)

    def run_check(self, witnesses=()):
        """(exit code, stdout, stderr) of the script's main on the current bundle and held checkpoint."""
        with tempfile.TemporaryDirectory() as tmp:
            bundle, held = os.path.join(tmp, "bundle.json"), os.path.join(tmp, "old.txt")
            with open(bundle, "w", encoding="utf-8") as f:
                json.dump(self.bundle, f)
            with open(held, "w", encoding="utf-8", newline="") as f:
                f.write(self.held)
            args = ["--key", LOG.vkey, "--checkpoint", held, bundle]
            for w in witnesses:
                args += ["--witness", w]
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = v.main(args)
            return code, out.getvalue(), err.getvalue()

    def assertRefused(self, *words, witnesses=()):
        code, out, err = self.run_check(witnesses)
        self.assertEqual(code, 1, err)
        self.assertEqual(out, "")
        self.assertTrue(err.startswith("refused: "), err)
        for word in words:
            self.assertIn(word, err)

    def set_event(self, position, **changes):
        """Change an exported event's fields (its stored hash kept)."""
        i = position - OLD - 1
        e = json.loads(self.bundle["events"][i])
        e.update(changes)
        self.bundle["events"][i] = json.dumps(e)

    def test_accepted(self):
        self.assertEqual(len(self.bundle["stream_heads"]), 3)  # a, b, c began before 7; d after
        code, out, err = self.run_check()
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(out, "ok: the log of 20 events extends the checkpoint of 7 events unchanged; "
                              "13 new events checked in 4 streams\n")

    def test_accepted_with_event_objects_and_from_empty_and_unchanged(self):
        self.bundle["events"] = [json.loads(e) for e in self.bundle["events"]]
        self.assertEqual(self.run_check()[0], 0)
        self.bundle, self.held = make_bundle(self.events, old=0)
        self.assertEqual(self.run_check()[1], "ok: the log of 20 events extends the checkpoint of 0 events "
                                              "unchanged; 20 new events checked in 4 streams\n")
        self.bundle, self.held = make_bundle(self.events, old=OLD, new=OLD)
        self.assertEqual(self.run_check()[0], 0)

    def test_payload_changed(self):
        self.set_event(12, payload=json.dumps({"value": 999, "note": "é"}))
        self.assertRefused("position 12", "locality/c", "hash does not recompute")

    def test_payload_changed_and_rehashed(self):
        e = json.loads(self.bundle["events"][-1])
        e["payload"] = "{}"
        e["hash"] = rehash(e).hex()
        self.bundle["events"][-1] = json.dumps(e)
        self.assertRefused("events:", "does not give the new checkpoint's root")

    def test_event_dropped(self):
        del self.bundle["events"][4]
        self.assertRefused("events[4]", "position 13, expected 12", "not dense")

    def test_last_event_dropped(self):
        self.bundle["events"].pop()
        self.assertRefused("events: 12 events, the checkpoints differ by 13")

    def test_stream_head_for_no_event(self):
        self.bundle, self.held = make_bundle(self.events, new=9)  # events 8 (locality/b) and 9 (locality/d)
        self.bundle["stream_heads"].append(head_entry(self.events[3], self.events))  # locality/c, proven
        self.assertRefused("stream_heads entry for stream locality/c", "no event of the bundle links to it")

    def test_stream_head_twice(self):
        self.bundle["stream_heads"].append(self.bundle["stream_heads"][0])
        self.assertRefused("stream_heads[3]", "a second entry for stream locality/b")

    def test_new_checkpoint_signed_by_another_key(self):
        text = v.open_note(self.bundle["new_checkpoint"], "")[0]
        self.bundle["new_checkpoint"] = note(text, OTHER)
        self.assertRefused("new_checkpoint", f"no signature by key {LOG.name}+{LOG.id.hex()}")

    def test_bad_signature_by_the_key(self):
        text, sigs = v.open_note(self.bundle["new_checkpoint"], "")
        self.bundle["new_checkpoint"] = text + "\n" + LOG.line(text.replace("20", "21", 1))
        self.assertRefused("new_checkpoint", "does not verify")

    def test_unknown_signature_lines_ignored(self):
        self.bundle["new_checkpoint"] += OTHER.line("anything").replace(OTHER.name, "someone.else")
        self.assertEqual(self.run_check()[0], 0)

    def test_held_checkpoint_forked(self):
        forked_root = hashlib.sha256(b"another history").digest()
        self.held = note(checkpoint_text(OLD, forked_root), LOG)
        self.assertRefused("old_checkpoint", "differs from the checkpoint you hold")

    def test_held_checkpoint_not_signed_by_the_key(self):
        self.held = note(v.open_note(self.held, "")[0], OTHER)
        self.assertRefused("your checkpoint", "no signature")

    def test_truncated(self):
        leaves = [bytes.fromhex(e["hash"]) for e in self.events]
        self.bundle["new_checkpoint"] = note(checkpoint_text(5, mth(leaves[:5])), LOG)
        self.assertRefused("size 5 is smaller than the old size 7")

    def test_other_origin(self):
        text = checkpoint_text(NEW, mth([bytes.fromhex(e["hash"]) for e in self.events]), origin="elsewhere")
        self.bundle["new_checkpoint"] = note(text, LOG)
        self.assertRefused("origin 'elsewhere'")

    def test_stream_head_inclusion_proof_wrong(self):
        head = self.bundle["stream_heads"][1]
        head["inclusion_proof"][0] = flip(head["inclusion_proof"][0])
        self.assertRefused(f"stream_heads[1] (stream {head['event']['stream_id']}", "inclusion", "not proven")

    def test_stream_head_payload_changed(self):
        head = self.bundle["stream_heads"][0]["event"]  # locality/b version 2, position 5
        head["payload"] = json.dumps({"value": 999, "note": "é"})
        self.assertRefused("stream_heads[0]", "locality/b version 2 at position 5", "hash does not recompute")

    def test_stream_head_fields_changed_and_rehashed(self):
        head = self.bundle["stream_heads"][1]["event"]  # locality/a version 4, position 7
        head["recorded_at"], head["metadata"] = "2026-01-02T09:59:59.000000Z", json.dumps({"actor": "forger"})
        head["hash"] = rehash(head).hex()
        self.assertRefused("stream_heads[1]", "locality/a version 4 at position 7",
                           "inclusion of position 7 in the old tree of 7 is not proven")

    def test_stream_head_changed_and_rehashed_so_the_next_event_would_link(self):
        # A forged head with a consistent hash: the next event could be made to link to it,
        # but the head is refused before any linking, as it is not in the old tree.
        head = self.bundle["stream_heads"][2]["event"]  # locality/c version 1, position 4
        head["payload"] = "{}"
        head["hash"] = rehash(head).hex()
        self.assertRefused("stream_heads[2]", "locality/c", "not proven")

    def test_stream_head_from_the_new_part_of_the_log(self):
        self.bundle["stream_heads"][0] = head_entry(self.events[7], self.events, NEW)  # position 8 > 7
        self.assertRefused("stream_heads[0]", "position 8", "old tree of 7", "not proven")

    def test_stream_head_not_the_previous_version(self):
        self.bundle["stream_heads"][0] = head_entry(self.events[1], self.events)  # locality/b version 1, not 2
        self.assertRefused("position 8", "locality/b version 3", "does not link to its stream_heads entry")

    def test_stream_head_malformed(self):
        del self.bundle["stream_heads"][0]["event"]["prev_hash"]
        self.assertRefused("stream_heads[0] event", "prev_hash")
        self.bundle["stream_heads"][0] = {"inclusion_proof": []}
        self.assertRefused("stream_heads[0] event", "not a JSON object")

    def test_stream_head_missing(self):
        stream = self.bundle["stream_heads"].pop(0)["event"]["stream_id"]
        self.assertRefused(f"stream {stream}", "no stream_heads entry")

    def test_chain_broken_inside_the_bundle(self):
        e = json.loads(self.bundle["events"][-1])  # locality/b version 6 -> pretend it is version 7
        e["stream_version"] += 1
        e["hash"] = rehash(e).hex()
        self.bundle, self.held = make_bundle(self.events[:-1] + [e])
        self.assertRefused("position 20", "does not link to the stream's previous event")

    def test_version_1_not_linking_to_zero_bytes(self):
        e = self.events[8]  # locality/d version 1
        e["prev_hash"] = "11" * 32
        e["hash"] = rehash(e).hex()
        self.bundle, self.held = make_bundle(self.events[:9], new=9)
        self.assertRefused("position 9", "locality/d version 1", "does not link to 32 zero bytes")

    def test_consistency_proof_hash_flipped(self):
        self.bundle["consistency_proof"][1] = flip(self.bundle["consistency_proof"][1])
        self.assertRefused("consistency_proof", "does not prove")

    def test_frontier_not_matching(self):
        self.bundle["old_frontier"][0] = flip(self.bundle["old_frontier"][0])
        self.assertRefused("old_frontier", "does not combine to the old checkpoint's root")

    def test_malformed_base64_and_format(self):
        self.bundle["old_frontier"][0] = self.bundle["old_frontier"][0][:-2]
        self.assertRefused("old_frontier[0]", "base64")
        self.bundle["format"] = "ntm-proof-bundle/2"
        self.assertRefused("format")

    def test_witness_cosignature_missing(self):
        self.assertRefused("new_checkpoint", f"no cosignature by witness {WITNESS.name}", witnesses=[WITNESS.vkey])

    def test_witness_cosignature_accepted_and_bad_one_refused(self):
        text = v.open_note(self.bundle["new_checkpoint"], "")[0]
        self.bundle["new_checkpoint"] += WITNESS.cosign_line(text)
        self.assertEqual(self.run_check([WITNESS.vkey])[0], 0)
        self.bundle["new_checkpoint"] = note(text, LOG) + WITNESS.cosign_line(text.replace("20", "19", 1))
        self.assertRefused(f"cosignature by witness {WITNESS.name}", "does not verify", witnesses=[WITNESS.vkey])

    def test_command_line(self):
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "verify_log_bundle.py")
        with tempfile.TemporaryDirectory() as tmp:
            paths = {name: os.path.join(tmp, name) for name in ("bundle.json", "old.txt", "vkey")}
            contents = {"bundle.json": json.dumps(self.bundle), "old.txt": self.held, "vkey": LOG.vkey + "\n"}
            for name, content in contents.items():
                with open(paths[name], "w", encoding="utf-8", newline="") as f:
                    f.write(content)
            run = lambda key, held=paths["old.txt"]: subprocess.run(
                [sys.executable, script, "--key", key, "--checkpoint", held, paths["bundle.json"]],
                capture_output=True, text=True)
            ok = run(paths["vkey"])  # the key read from a file
            self.assertEqual((ok.returncode, ok.stderr), (0, ""))
            self.assertTrue(ok.stdout.startswith("ok: the log of 20 events"))
            self.assertEqual(run(LOG.vkey, os.path.join(tmp, "missing.txt")).returncode, 2)  # unreadable file
            self.assertEqual(run("not-a-key").returncode, 2)
            self.assertEqual(run(WITNESS.vkey).returncode, 2)  # a 0x04 key is not a log key
            self.held = self.held.replace("\n7\n", "\n6\n")  # the held note's signature now fails
            with open(paths["old.txt"], "w", encoding="utf-8", newline="") as f:
                f.write(self.held)
            bad = run(LOG.vkey)
            self.assertEqual(bad.returncode, 1)
            self.assertTrue(bad.stderr.startswith("refused: your checkpoint"), bad.stderr)
            usage = subprocess.run([sys.executable, script, paths["bundle.json"]], capture_output=True, text=True)
            self.assertEqual(usage.returncode, 2)
            self.assertIn("usage:", usage.stderr)


if __name__ == "__main__":
    unittest.main()
