#!/usr/bin/env bash
# Records the capture fixtures of the capture reader's tests from real TLS software on loopback:
# openssl s_server answering two openssl s_client handshakes (one with SNI, one without), captured at
# once by tcpdump (pcap, microsecond and nanosecond) and dumpcap (pcapng; also on "any" for Linux
# cooked headers). Needs root, openssl, tcpdump and dumpcap (Debian: openssl tcpdump tshark).
# Traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")"
port=${PORT:-44330}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mail.example.test" \
  -addext "subjectAltName=DNS:mail.example.test" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
openssl s_server -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" -tls1_2 -quiet >/dev/null 2>&1 &
sleep 0.5

tcpdump -i lo -U -Z root -w "$work/us.pcap" "tcp port $port" 2>/dev/null &
tcpdump -i lo -U -Z root --time-stamp-precision=nano -w "$work/ns.pcap" "tcp port $port" 2>/dev/null &
dumpcap -q -i lo -f "tcp port $port" -w "$work/lo.pcapng" 2>/dev/null &
dumpcap -q -i any -f "tcp port $port" -w "$work/any.pcapng" 2>/dev/null &
sleep 2

echo | openssl s_client -connect "127.0.0.1:$port" -servername mail.example.test >/dev/null 2>&1 || true
echo | openssl s_client -connect "127.0.0.1:$port" -noservername >/dev/null 2>&1 || true
sleep 1.5
kill -INT $(jobs -p | tail -n 4) 2>/dev/null || true
sleep 1

cp "$work/us.pcap" openssl-lo.pcap
cp "$work/ns.pcap" openssl-lo-nanosecond.pcap
cp "$work/lo.pcapng" openssl-lo.pcapng
cp "$work/any.pcapng" openssl-any.pcapng
for f in openssl-lo.pcap openssl-lo-nanosecond.pcap openssl-lo.pcapng openssl-any.pcapng; do
  echo "$f: $(tshark -r "$f" 2>/dev/null | wc -l) frames, $(tshark -r "$f" -Y tls.handshake.type==1 2>/dev/null | wc -l) ClientHello(s)"
done

# The reference for the decoder tests: tshark's view of every TCP segment.
for f in openssl-lo.pcap openssl-lo.pcapng openssl-any.pcapng; do
  tshark -r "$f" -T fields -E separator=/t -e frame.number -e ip.src -e tcp.srcport -e ip.dst -e tcp.dstport \
    -e tcp.seq_raw -e tcp.ack_raw -e tcp.flags -e tcp.len > "$f.tcp.tsv" 2>/dev/null
done
