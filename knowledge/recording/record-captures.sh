#!/usr/bin/env bash
# Records the packet-capture samples (knowledge/**/samples/capture-*) from real TLS software:
# openssl s_server/s_client, nginx, curl, a Java (JSSE) client and the small peers in Peers.java.
# Everything runs inside a private network namespace (unshare -n) whose loopback has MTU 1500 and
# offloads off, so frames are Ethernet-sized like a real trace; no traffic leaves it.
#
# Needs root and, from Debian: openssl tcpdump tshark (dumpcap) nginx-light curl ethtool, and a JDK.
# Usage: sudo knowledge/recording/record-captures.sh            (re-records every sample)
#
# Each scenario writes <sample>/capture.pcap or .pcapng; case.yaml and expected.yaml are written by
# hand and describe what the recording must show.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"   # the sample folders (at NAME), a private loopback of MTU 1500, a scratch folder
peers() { timeout 20 java "$here/Peers.java" "$@"; }
servers=()
peer_server() { java "$here/Peers.java" "$@" & servers+=($!); sleep 1.5; }
client() { timeout 15 "$@" || true; }

# --- a private PKI: root -> intermediate -> leaves --------------------------------------------
cat > ca.cnf <<'EOF'
[ca]
default_ca = ca_default
[ca_default]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
[v3_ca]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_leaf]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = caIssuers;URI:http://pki.example.test/issuing.crt
EOF
touch index.txt; echo 1000 > serial
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Example Test Root CA" \
  -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout root.key -out root.pem 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=Example Test Issuing CA 1" -keyout int.key -out int.csr 2>/dev/null
openssl ca -batch -config ca.cnf -cert root.pem -keyfile root.key -extensions v3_ca -days 1825 \
  -in int.csr -out int.pem >/dev/null 2>&1
leaf() { # name, sans, [startdate enddate]
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -addext "subjectAltName=$2" -keyout "$1.key" -out "$1.csr" 2>/dev/null
  local dates=(-days 365)
  [ -n "${3:-}" ] && dates=(-startdate "$3" -enddate "$4")
  openssl ca -batch -config ca.cnf -cert int.pem -keyfile int.key -extensions v3_leaf "${dates[@]}" \
    -in "$1.csr" -out "$1.pem" >/dev/null 2>&1
  openssl x509 -in "$1.pem" -out "$1.pem"
  cat "$1.pem" int.pem > "$1.chain.pem"
}
leaf mail.example.test "DNS:mail.example.test,DNS:autodiscover.example.test"
leaf default.example.test "DNS:default.example.test"
leaf expired.example.test "DNS:mail.example.test" 20200101000000Z 20210101000000Z
mv expired.example.test.pem expired.pem; mv expired.example.test.key expired.key; mv expired.example.test.chain.pem expired.chain.pem

capture() { # file (.pcap uses tcpdump, .pcapng uses dumpcap), filter
  case "$1" in
    *.pcapng) dumpcap -q -i lo -f "$2" -w "$work/cap.pcapng" 2>/dev/null & ;;
    *) tcpdump -i lo -U -Z root -s 0 -w "$work/cap.pcap" "$2" 2>/dev/null & ;;
  esac
  cap_pid=$!
  cap_file=$1
  sleep 1.5
}
stop_capture() {
  sleep 1
  kill -INT "$cap_pid"; wait "$cap_pid" 2>/dev/null || true
  mkdir -p "$(dirname "$cap_file")"
  case "$cap_file" in *.pcapng) cp "$work/cap.pcapng" "$cap_file" ;; *) cp "$work/cap.pcap" "$cap_file" ;; esac
  echo "$cap_file: $(tshark -r "$cap_file" 2>/dev/null | wc -l) frames"
}
server() { openssl s_server -quiet -accept "127.0.0.1:$1" "${@:2}" >/dev/null 2>&1 & servers+=($!); sleep 0.7; }
stop_servers() { kill "${servers[@]}" 2>/dev/null || true; wait "${servers[@]}" 2>/dev/null || true; servers=(); sleep 0.3; }
reneg_server() { # TLS 1.2 s_server taking commands ("R": renegotiate asking for a client certificate) on fd 4
  rm -f ctl; mkfifo ctl
  openssl s_server -accept 127.0.0.1:443 -cert mail.example.test.pem -key mail.example.test.key -cert_chain int.pem \
    -tls1_2 -CAfile root.pem < ctl > /dev/null 2>&1 &
  servers+=($!)
  exec 4>ctl
  sleep 0.7
}
sslv2_hello() { # an SSL 2.0-format CLIENT-HELLO (RFC 5246 E.2) offering TLS 1.0: 9 cipher specs, 16-byte challenge
  exec 3<>"/dev/tcp/127.0.0.1/$1"
  printf '\x80\x34\x01\x03\x01\x00\x1b\x00\x00\x00\x10\x00\x00\x35\x00\x00\x2f\x00\x00\x0a\x00\x00\x05\x00\x00\x04\x00\x00\xff\x00\x00\x13\x00\x00\x0a\x00\x00\x09\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff' >&3
  timeout 2 cat <&3 >/dev/null 2>&1 || true
  exec 3<&- 3>&- || true
}

# 1. SNI-only listener that resets hellos without SNI (HTTP.sys behaviour), openssl behind it.
server 8443 -cert mail.example.test.pem -key mail.example.test.key -cert_chain int.pem -www
peer_server reset-no-sni 443 8443
capture "$(at capture-non-sni-reset)/capture.pcap" "tcp port 443"
client curl -sk --resolve mail.example.test:443:127.0.0.1 https://mail.example.test/ -o /dev/null || true
echo | client openssl s_client -connect 127.0.0.1:443 -noservername >/dev/null 2>&1 || true
sslv2_hello 443
peers get 443 mail.example.test || true
stop_capture; stop_servers

# 2. nginx with ssl_reject_handshake: no SNI (or an unknown name) gets an unrecognized_name alert.
mkdir -p nginx/logs
cat > nginx/nginx.conf <<EOF
daemon off; pid $work/nginx/nginx.pid; error_log $work/nginx/logs/error.log;
events {}
http {
  access_log off;
  server { listen 127.0.0.1:443 ssl default_server; ssl_reject_handshake on; }
  server { listen 127.0.0.1:443 ssl; server_name mail.example.test;
           ssl_certificate $work/mail.example.test.chain.pem; ssl_certificate_key $work/mail.example.test.key;
           location / { return 200 "ok\n"; } }
}
EOF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" & servers+=($!); sleep 1
capture "$(at capture-non-sni-nginx-alert)/capture.pcapng" "tcp port 443"
client curl -sk --resolve mail.example.test:443:127.0.0.1 https://mail.example.test/ -o /dev/null || true
echo | client openssl s_client -connect 127.0.0.1:443 -noservername >/dev/null 2>&1 || true
stop_capture; stop_servers

# 3. Near miss: the server answers hellos without SNI with its certificate (complete chain).
server 443 -cert mail.example.test.pem -key mail.example.test.key -cert_chain int.pem -www
capture "$(at capture-non-sni-near-miss-accepted)/capture.pcap" "tcp port 443"
echo | client openssl s_client -connect 127.0.0.1:443 -noservername >/dev/null 2>&1 || true
client curl -sk --resolve mail.example.test:443:127.0.0.1 https://mail.example.test/ -o /dev/null || true
stop_capture; stop_servers

# 4. Missing intermediate: only the leaf is sent; the Java client and curl still connect (no verification).
server 443 -cert mail.example.test.pem -key mail.example.test.key -www -tls1_2
capture "$(at capture-missing-intermediate)/capture.pcapng" "tcp port 443"
peers get 443 mail.example.test || true
echo | client openssl s_client -connect 127.0.0.1:443 -servername mail.example.test -CAfile root.pem -verify_return_error >/dev/null 2>&1 || true
stop_capture; stop_servers

# 5. Near miss: the whole chain is sent (leaf + intermediate); the root is given as a trusted root file.
server 443 -cert mail.example.test.pem -key mail.example.test.key -cert_chain int.pem -www -tls1_2
capture "$(at capture-missing-intermediate-near-miss-full-chain)/capture.pcap" "tcp port 443"
peers get 443 mail.example.test || true
stop_capture; stop_servers

# 6. Name mismatch: the server's only certificate names default.example.test; the client asks for mail.
server 443 -cert default.example.test.pem -key default.example.test.key -cert_chain int.pem -www -tls1_2
capture "$(at capture-name-mismatch)/capture.pcap" "tcp port 443"
echo | client openssl s_client -connect 127.0.0.1:443 -servername mail.example.test >/dev/null 2>&1 || true
stop_capture; stop_servers

# 7. Expired certificate (valid 2020 only), full chain.
server 443 -cert expired.pem -key expired.key -cert_chain int.pem -www -tls1_2
capture "$(at capture-expired)/capture.pcapng" "tcp port 443"
echo | client openssl s_client -connect 127.0.0.1:443 -servername mail.example.test -CAfile root.pem >/dev/null 2>&1 || true
stop_capture; stop_servers

# 8. TLS 1.3 with only the leaf: the certificates are encrypted, so nothing may be claimed about the chain.
server 443 -cert mail.example.test.pem -key mail.example.test.key -www
capture "$(at capture-tls13-near-miss-encrypted)/capture.pcap" "tcp port 443"
client curl -sk --resolve mail.example.test:443:127.0.0.1 https://mail.example.test/ -o /dev/null || true
peers get 443 mail.example.test || true
stop_capture; stop_servers

# 9. Renegotiation deadlock: the server asks for a client certificate by renegotiating ("R") while the
#    body of a large POST is arriving; the Java client keeps sending without reading, never answers,
#    and the server gives up and closes. s_server reads its stdin commands only during a connection,
#    so "R" is written once the upload is under way.
reneg_server
capture "$(at capture-renegotiation-deadlock)/capture.pcap" "tcp port 443"
(peers post 443 2000000 || true) &
post=$!
sleep 2; echo R >&4; sleep 1.5
stop_servers; exec 4>&-
wait "$post" 2>/dev/null || true
stop_capture; rm -f ctl

# 10. Near miss: the same renegotiation, but curl reads while it sends and answers it (with no
#     certificate); the upload carries on.
dd if=/dev/urandom of=body.bin bs=1k count=600 2>/dev/null
reneg_server
capture "$(at capture-renegotiation-near-miss-answered)/capture.pcap" "tcp port 443"
(curl -sk --limit-rate 160k --max-time 6 --resolve mail.example.test:443:127.0.0.1 --data-binary @body.bin \
  https://mail.example.test/Microsoft-Server-ActiveSync -o /dev/null || true) &
post=$!
sleep 1.5; echo R >&4
wait "$post" 2>/dev/null || true
stop_servers; exec 4>&-
stop_capture; rm -f ctl

# 11. Outlook Anywhere: only TLS on 443 carrying application data.
server 443 -cert mail.example.test.pem -key mail.example.test.key -cert_chain int.pem -www -tls1_2
capture "$(at capture-outlook-https)/capture.pcapng" "tcp"
client curl -sk --resolve mail.example.test:443:127.0.0.1 https://mail.example.test/rpc/rpcproxy.dll -o /dev/null || true
peers get 443 mail.example.test || true
stop_capture; stop_servers

# 12. Near miss: the same client also talks plain RPC (port 135) to the server.
server 443 -cert mail.example.test.pem -key mail.example.test.key -cert_chain int.pem -www -tls1_2
peer_server plain 135
capture "$(at capture-outlook-near-miss-plain-rpc)/capture.pcap" "tcp"
peers plain-client 135 || true
client curl -sk --resolve mail.example.test:443:127.0.0.1 https://mail.example.test/ -o /dev/null || true
stop_capture; stop_servers
# 13. Without SNI the server presents its default certificate (another name); with SNI the right one.
server 443 -cert default.example.test.pem -key default.example.test.key -cert_chain int.pem -www -tls1_2 \
  -servername mail.example.test -cert2 mail.example.test.pem -key2 mail.example.test.key
capture "$(at capture-name-mismatch-default-cert-no-sni)/capture.pcapng" "tcp port 443"
echo | client openssl s_client -connect 127.0.0.1:443 -noservername >/dev/null 2>&1 || true
client curl -sk --resolve mail.example.test:443:127.0.0.1 https://mail.example.test/ -o /dev/null || true
stop_capture; stop_servers

# 14. Near miss for the renegotiation deadlock: the client certificate is requested in the initial
#     handshake (-verify), so there is nothing to renegotiate mid-request.
server 443 -cert mail.example.test.pem -key mail.example.test.key -cert_chain int.pem -www -tls1_2 -verify 1 -CAfile root.pem
capture "$(at capture-renegotiation-near-miss-initial-request)/capture.pcap" "tcp port 443"
client curl -sk --resolve mail.example.test:443:127.0.0.1 --data-binary @body.bin https://mail.example.test/ -o /dev/null || true
stop_capture; stop_servers

# The private root goes beside every capture: a certificate file in the evidence is a trusted root
# for the case (like --trust FILE), so complete chains are recognised as complete.
for d in $(find "$knowledge" -type d -path "*/samples/capture-*"); do cp root.pem "$d/trusted-root.pem"; done
echo "recorded."
