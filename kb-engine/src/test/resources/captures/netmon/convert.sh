#!/usr/bin/env bash
# Writes the Network Monitor fixtures from the real loopback recordings beside this folder, with
# Wireshark's own NetMon writer (editcap, Debian package wireshark-common): -F netmon2 (2.x, "GMBU")
# and -F netmon1 (1.x, "RTSS", millisecond time stamps). Only Ethernet-framed captures convert
# (NetMon has no Linux cooked header). NetmonAgreementTest converts every bundled capture the same way
# at test time; these files serve the damage tests, which need no tool.
set -euo pipefail
cd "$(dirname "$0")"
for f in openssl-lo openssl-renegotiations openssl-starttls; do
  editcap -F netmon2 "../$f.pcap" "$f.netmon2.cap"
  editcap -F netmon1 "../$f.pcap" "$f.netmon1.cap"
done

# NetMon 2.1, whose every frame names its media type after its bytes: editcap writes it for a capture
# with more than one link type. openssl-lo.pcap merged with a raw-IP copy of itself an hour later (the
# same packets without their Ethernet header): editcap writes the 28 Ethernet frames, then stops at the
# first raw-IP one, which NetMon cannot carry, and closes the file with its frame table.
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 - ../openssl-lo.pcap "$work/raw.pcap" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
out = bytearray(d[:20] + struct.pack('<I', 101)); i = 24
while i + 16 <= len(d):
    sec, usec, incl, orig = struct.unpack('<IIII', d[i:i + 16]); pkt = d[i + 16 + 14:i + 16 + incl]; i += 16 + incl
    out += struct.pack('<IIII', sec + 3600, usec, len(pkt), orig - 14) + pkt
open(sys.argv[2], 'wb').write(out)
PY
mergecap -F pcapng -w "$work/mixed.pcapng" ../openssl-lo.pcap "$work/raw.pcap"
editcap -F netmon2 "$work/mixed.pcapng" openssl-lo.netmon21.cap 2>/dev/null || true
[ "$(head -c 6 openssl-lo.netmon21.cap | od -An -tx1 | tr -d ' ')" = 474d42550102 ]   # GMBU, version 2.1
