#!/usr/bin/env python3
"""Rewrites the "Test vectors" section of docs/venue-code.md from
crates/vaora-core/tests/vectors/venue-code-v1.json (run after
`VAORA_WRITE_VECTORS=1 cargo test -p vaora-core --test venue_code_vectors`)."""
import json
from pathlib import Path

root = Path(__file__).resolve().parent.parent
doc = root / "docs/venue-code.md"
data = json.loads((root / "crates/vaora-core/tests/vectors/venue-code-v1.json").read_text())
marker = "## Test vectors\n"
head = doc.read_text().split(marker)[0]
key = data["key_ring"]["keys"][0]
out = [head, marker, f"""
Issuer seed (Ed25519 private key) `{data['issuer_seed_hex']}`, key id {key['id']},
public key `{key['public_key']}`, valid {key['not_before']} to {key['not_after']};
revoked posters: {json.dumps(data['key_ring']['revoked_posters'])}.
Machine-readable copy: `crates/vaora-core/tests/vectors/venue-code-v1.json`.
The test `venue_code_vectors_reproduce_exactly` re-issues each code from its
fields and checks payload, text, QR version and outcome, and that this page
quotes each text.
"""]
for v in data["vectors"]:
    fields = ", ".join(f"{k} `{json.dumps(x, ensure_ascii=False)}`" for k, x in v["fields"].items())
    out.append(f"\n### {v['name']}\n\nFields: {fields}\n\n")
    out.append(f"Payload ({len(v['payload_hex']) // 2} bytes, hex):\n\n```\n{v['payload_hex']}\n```\n\n")
    out.append(f"Text (QR version {v['qr_version_at_m']} at M):\n\n```\n{v['text']}\n```\n\n")
    if v["scanned_text"]:
        out.append(f"Scanned instead (one character changed):\n\n```\n{v['scanned_text']}\n```\n\n")
    out.append(f"Scanned on {v['scanned_on']}: **{v['expected']}**.\n")
doc.write_text("".join(out))
