#!/usr/bin/env bash
# Records draft-hello.pcap for the capture tests: openssl s_client (a real client) against two tiny
# servers written here in Python that answer its ClientHello with a hand-written ServerHello, then close:
#   port 44341  a ServerHello of TLS 1.3 draft 18 (version 0x7f12, the draft layout without session id
#               and compression method, as servers of 2016-2017 sent it)
#   port 44342  a ServerHello cut short inside its extensions (its length says more than is there), which
#               no reader can parse: it must be a problem with its frame, never "unanswered"
# Needs root, openssl, python3 and tcpdump (Debian: openssl python3 tcpdump). Traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/hello.py" <<'EOF'
import socket, struct, sys, os
port, kind = int(sys.argv[1]), sys.argv[2]
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", port)); s.listen(1)
c, _ = s.accept()
c.recv(65536)
random = bytes(range(32))
if kind == "draft":
    ext = struct.pack(">HH", 51, 36) + struct.pack(">HH", 29, 32) + os.urandom(32)   # key_share: x25519
    body = struct.pack(">H", 0x7f12) + random + struct.pack(">H", 0x1301) + struct.pack(">H", len(ext)) + ext
else:
    body = struct.pack(">H", 0x0303) + random + b"\x00" + struct.pack(">H", 0xc02f) + b"\x00" + struct.pack(">H", 40) + b"\xff\x01\x00\x01\x00"
hs = b"\x02" + struct.pack(">I", len(body))[1:] + body
c.sendall(b"\x16\x03\x03" + struct.pack(">H", len(hs)) + hs)
c.close()
EOF
tcpdump -i lo -U -Z root -w "$work/draft.pcap" "tcp port 44341 or tcp port 44342" 2>/dev/null &
dump=$!
sleep 2
for p in "44341 draft" "44342 broken"; do
  set -- $p
  python3 "$work/hello.py" "$1" "$2" &
  sleep 0.5
  echo | timeout 5 openssl s_client -connect "127.0.0.1:$1" -servername mail.example.test >/dev/null 2>&1 || true
  wait $! 2>/dev/null || true
done
sleep 1
kill -INT "$dump"; wait "$dump" 2>/dev/null || true
cp "$work/draft.pcap" draft-hello.pcap
echo "draft-hello.pcap: $(tshark -r draft-hello.pcap -Y 'tls.handshake.type==2' 2>/dev/null | wc -l) ServerHello(s)"
