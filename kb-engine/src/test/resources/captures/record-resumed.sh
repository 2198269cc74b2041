#!/usr/bin/env bash
# Records openssl-resumed.pcap for the capture tests: openssl s_server (TLS 1.2) and two openssl
# s_client connections, the second resuming the first one's session (-sess_out, then -sess_in), so
# the second handshake is abbreviated and carries no certificates. Captured by tcpdump on loopback.
# Needs root, openssl and tcpdump (Debian: openssl tcpdump). Traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")"
port=${PORT:-44331}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mail.example.test" \
  -addext "subjectAltName=DNS:mail.example.test" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
openssl s_server -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" -tls1_2 -quiet >/dev/null 2>&1 &
sleep 0.5
tcpdump -i lo -U -Z root -w "$work/resumed.pcap" "tcp port $port" 2>/dev/null &
sleep 2
echo | openssl s_client -connect "127.0.0.1:$port" -servername mail.example.test -sess_out "$work/session.pem" >/dev/null 2>&1 || true
echo | openssl s_client -connect "127.0.0.1:$port" -servername mail.example.test -sess_in "$work/session.pem" >/dev/null 2>&1 || true
sleep 1.5
kill -INT $(jobs -p | tail -n 1) 2>/dev/null || true
sleep 1
cp "$work/resumed.pcap" openssl-resumed.pcap
echo "openssl-resumed.pcap: $(tshark -r openssl-resumed.pcap -Y 'tls.handshake.type==11' 2>/dev/null | wc -l) Certificate message(s)" \
  "in $(tshark -r openssl-resumed.pcap -Y 'tls.handshake.type==1' 2>/dev/null | wc -l) handshakes"
