#!/usr/bin/env bash
# Records two fixtures for the capture tests, from real openssl peers on loopback (tcpdump):
#   openssl-renegotiations.pcap  one TLS 1.2 connection renegotiated four times from both sides:
#                                the server ("R" typed into s_server), then the client ("R" typed into
#                                s_client), twice each, with data sent between them; each is taken up.
#   openssl-psk.pcap             a full TLS 1.2 PSK handshake (s_server -psk -nocert, s_client -psk):
#                                ServerHello, ServerHelloDone, ClientKeyExchange and no Certificate -
#                                not a resumed session.
# SSL 3.0 cannot be recorded here: Debian's OpenSSL 3 is built without it.
# Needs root, openssl and tcpdump (Debian: openssl tcpdump). Traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")"
port=${PORT:-44333}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mail.example.test" \
  -addext "subjectAltName=DNS:mail.example.test" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

# 1. Renegotiations from both sides on one connection.
mkfifo "$work/srv" "$work/cli"
openssl s_server -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" -tls1_2 -client_renegotiation < "$work/srv" > "$work/srv.log" 2>&1 &
exec 4>"$work/srv"
sleep 0.5
tcpdump -i lo -U -Z root -w "$work/reneg.pcap" "tcp port $port" 2>/dev/null &
dump=$!
sleep 2
openssl s_client -connect "127.0.0.1:$port" -servername mail.example.test -tls1_2 < "$work/cli" > "$work/cli.log" 2>&1 &
client=$!
exec 5>"$work/cli"
sleep 1
echo "hello from the client" >&5; sleep 0.5
echo R >&4; sleep 0.8                     # the server renegotiates
echo "after the server's renegotiation" >&5; sleep 0.5
echo R >&5; sleep 0.8                     # the client renegotiates (s_server -client_renegotiation allows it)
echo "after the client's renegotiation" >&4; sleep 0.5
echo R >&4; sleep 0.8
echo R >&5; sleep 0.8
echo "last words" >&5; sleep 0.5
exec 5>&-; sleep 0.5
kill "$client" 2>/dev/null || true
exec 4>&-
sleep 1
kill -INT "$dump"; wait "$dump" 2>/dev/null || true
cp "$work/reneg.pcap" openssl-renegotiations.pcap
kill $(jobs -p) 2>/dev/null || true; sleep 0.5

# 2. A full PSK handshake, no certificate at all.
openssl s_server -accept "127.0.0.1:$port" -nocert -psk 00112233445566778899aabbccddeeff -psk_identity exkb -tls1_2 \
  -cipher PSK-AES128-GCM-SHA256 -quiet >/dev/null 2>&1 &
sleep 0.5
tcpdump -i lo -U -Z root -w "$work/psk.pcap" "tcp port $port" 2>/dev/null &
dump=$!
sleep 2
echo hello | openssl s_client -connect "127.0.0.1:$port" -psk 00112233445566778899aabbccddeeff -psk_identity exkb -tls1_2 \
  -cipher PSK-AES128-GCM-SHA256 >/dev/null 2>&1 || true
sleep 1
kill -INT "$dump"; wait "$dump" 2>/dev/null || true
cp "$work/psk.pcap" openssl-psk.pcap

echo "openssl-renegotiations.pcap: $(tshark -r openssl-renegotiations.pcap 2>/dev/null | wc -l) frames;" \
  "openssl-psk.pcap: $(tshark -r openssl-psk.pcap -Y 'tls.handshake.type==11' 2>/dev/null | wc -l) Certificate message(s)"
