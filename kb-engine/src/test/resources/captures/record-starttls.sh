#!/usr/bin/env bash
# Records openssl-starttls.pcap for the capture tests: openssl s_client -starttls smtp, imap and pop3
# against mailserver.py (Python's ssl module as the TLS server), which presents a leaf certificate
# without its issuing intermediate; SMTP and IMAP negotiate TLS 1.2 (the chain is visible), POP3 TLS
# 1.3; a fourth SMTP server refuses STARTTLS with 454. Captured by tcpdump on loopback.
# Needs root, openssl, python3 and tcpdump (Debian: openssl python3 tcpdump). Traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")"
ports=(${PORTS:-10587 10143 10110 12525})
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Example Mail Root" -keyout "$work/root.key" -out "$work/root.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=Example Mail Issuing" -keyout "$work/int.key" -out "$work/int.csr" 2>/dev/null
printf "basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign\n" > "$work/int.ext"
openssl x509 -req -in "$work/int.csr" -CA "$work/root.pem" -CAkey "$work/root.key" -CAcreateserial -days 3650 \
  -extfile "$work/int.ext" -out "$work/int.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=mail.example.test" -keyout "$work/leaf.key" -out "$work/leaf.csr" 2>/dev/null
printf "subjectAltName=DNS:mail.example.test\nextendedKeyUsage=serverAuth\n" > "$work/leaf.ext"
openssl x509 -req -in "$work/leaf.csr" -CA "$work/int.pem" -CAkey "$work/int.key" -CAcreateserial -days 3650 \
  -extfile "$work/leaf.ext" -out "$work/leaf.pem" 2>/dev/null
cp "$work/root.pem" openssl-starttls-root.pem

python3 mailserver.py "$work/leaf.pem" "$work/leaf.key" "${ports[@]}" &
sleep 1
tcpdump -i lo -U -Z root -w "$work/starttls.pcap" \
  "tcp port ${ports[0]} or tcp port ${ports[1]} or tcp port ${ports[2]} or tcp port ${ports[3]}" 2>/dev/null &
sleep 2
echo Q | timeout 5 openssl s_client -starttls smtp -connect "127.0.0.1:${ports[0]}" -servername mail.example.test -tls1_2 >/dev/null 2>&1 || true
echo Q | timeout 5 openssl s_client -starttls imap -connect "127.0.0.1:${ports[1]}" -servername mail.example.test -tls1_2 >/dev/null 2>&1 || true
echo Q | timeout 5 openssl s_client -starttls pop3 -connect "127.0.0.1:${ports[2]}" -servername mail.example.test >/dev/null 2>&1 || true
echo Q | timeout 5 openssl s_client -starttls smtp -connect "127.0.0.1:${ports[3]}" -servername mail.example.test >/dev/null 2>&1 || true
sleep 1.5
kill -INT $(jobs -p | tail -n 1) 2>/dev/null || true
sleep 1
cp "$work/starttls.pcap" openssl-starttls.pcap
echo "openssl-starttls.pcap: $(tshark -r openssl-starttls.pcap -Y 'tls.handshake.type==1' 2>/dev/null | wc -l) ClientHello(s)," \
  "$(tshark -r openssl-starttls.pcap -Y 'tls.handshake.type==11' 2>/dev/null | wc -l) Certificate message(s)"
