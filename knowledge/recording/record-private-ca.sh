#!/usr/bin/env bash
# Records the healthy controls of an organisation's own CA, and the Autodiscover client-certificate
# captures, from real TLS software: openssl s_server as the server, openssl s_client and curl as
# clients that verify against the organisation's root (so every one of them connects). Everything runs
# inside a private network namespace (unshare -n) whose loopback has MTU 1500 and offloads off; no
# traffic leaves it.
#
#   capture-private-two-tier       Active Directory CS style two-tier CA: the server sends its
#                                  certificate and the issuing CA, not the root (RFC 5246 7.4.2)
#   capture-private-one-tier       a one-tier CA: the server certificate is issued by the root itself,
#                                  and only the server certificate is sent
#   capture-public-style-chain     a three-level chain as public CAs issue them (root, issuing CA with
#                                  a long EV-style subject, leaf with AIA), root not sent
#   capture-autodiscover-cert-request  autodiscover.example.test asks every client for a certificate in
#                                  the initial handshake (s_server -verify); curl has none and carries on
#   capture-autodiscover-near-miss-no-request  the same host without the request
#
# The roots are written beside the captures as root.pem for the samples that give them (the *-trusted
# sample folders copy the capture and add the root). Needs root and, from Debian: openssl tcpdump
# tshark curl ethtool. Usage: sudo knowledge/recording/record-private-ca.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"   # the sample folders (at NAME), a private loopback of MTU 1500, a scratch folder
servers=()
client() { timeout 15 "$@" || true; }
server() { openssl s_server -quiet -accept "127.0.0.1:$1" "${@:2}" >/dev/null 2>&1 & servers+=($!); sleep 0.7; }
stop_servers() { kill "${servers[@]}" 2>/dev/null || true; wait "${servers[@]}" 2>/dev/null || true; servers=(); sleep 0.3; }
capture() { tcpdump -i lo -U -Z root -s 0 -w "$work/cap.pcap" "$2" 2>/dev/null & cap_pid=$!; cap_file=$1; sleep 1.5; }
stop_capture() {
  sleep 1
  kill -INT "$cap_pid"; wait "$cap_pid" 2>/dev/null || true
  mkdir -p "$(dirname "$cap_file")"
  cp "$work/cap.pcap" "$cap_file"
  echo "$cap_file: $(tshark -r "$cap_file" 2>/dev/null | wc -l) frames"
}
verify_clients() { # host, root: both clients verify the chain against the root and must connect
  echo | client openssl s_client -connect 127.0.0.1:443 -servername "$1" -CAfile "$2" -verify_return_error \
    -verify_hostname "$1" 2>&1 | grep -q "Verify return code: 0 (ok)" || { echo "s_client did not verify $1" >&2; exit 1; }
  client curl -s --cacert "$2" --resolve "$1:443:127.0.0.1" "https://$1/" -o /dev/null || { echo "curl failed for $1" >&2; exit 1; }
}

cat > ext.cnf <<'EOF'
[ca]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[issuing]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = caIssuers;URI:http://pki.example.test/root.crt
[leaf]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:mail.example.test,DNS:autodiscover.example.test
authorityInfoAccess = caIssuers;URI:http://pki.example.test/issuing.crt
EOF
root() { # name, subject
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "$2" -addext "basicConstraints=critical,CA:true" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -addext "subjectKeyIdentifier=hash" -keyout "$1.key" -out "$1.pem" 2>/dev/null
}
issue() { # name, subject, issuer, extensions section
  openssl req -newkey rsa:2048 -nodes -subj "$2" -keyout "$1.key" -out "$1.csr" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -days 825 -sha256 \
    -extfile ext.cnf -extensions "$4" -out "$1.pem" 2>/dev/null
}

# Two-tier: CN=Contoso Root CA -> CN=Contoso Issuing CA 01 -> mail.example.test
root ad-root "/DC=test/DC=contoso/CN=Contoso Root CA"
issue ad-issuing "/DC=test/DC=contoso/CN=Contoso Issuing CA 01" ad-root issuing
issue ad-leaf "/CN=mail.example.test" ad-issuing leaf
# One-tier: CN=Fabrikam Root CA -> mail.example.test
root one-root "/DC=test/DC=fabrikam/CN=Fabrikam Root CA"
issue one-leaf "/CN=mail.example.test" one-root leaf
# Public style: a root, an issuing CA with a long subject (an e-mail attribute, OU, locality), a leaf
root pub-root "/C=US/O=Example Trust Services LLC/CN=Example Global Root G2"
issue pub-issuing "/C=US/ST=Washington/L=Redmond/O=Example Trust Services LLC/OU=Certificate Operations, Server Authentication/CN=Example TLS RSA SHA256 Issuing CA 2026/emailAddress=pki-operations@trust.example.test" pub-root issuing
issue pub-leaf "/C=US/ST=Washington/L=Redmond/O=Contoso Ltd./CN=mail.example.test" pub-issuing leaf

# 1. Two-tier private CA, root not sent.
server 443 -cert ad-leaf.pem -key ad-leaf.key -cert_chain ad-issuing.pem -www -tls1_2
capture "$(at capture-private-two-tier)/capture.pcap" "tcp port 443"
verify_clients mail.example.test ad-root.pem
stop_capture; stop_servers
mkdir -p "$(at capture-private-two-tier-trusted)"; cp ad-root.pem "$(at capture-private-two-tier-trusted)/root.pem"
cp "$(at capture-private-two-tier)/capture.pcap" "$(at capture-private-two-tier-trusted)/capture.pcap"

# 2. One-tier private CA: the leaf alone, issued by the root.
server 443 -cert one-leaf.pem -key one-leaf.key -www -tls1_2
capture "$(at capture-private-one-tier)/capture.pcap" "tcp port 443"
verify_clients mail.example.test one-root.pem
stop_capture; stop_servers
mkdir -p "$(at capture-private-one-tier-trusted)"
cp one-root.pem "$(at capture-private-one-tier-trusted)/root.pem"
cp "$(at capture-private-one-tier)/capture.pcap" "$(at capture-private-one-tier-trusted)/capture.pcap"

# 3. Public-style three-level chain, root not sent.
server 443 -cert pub-leaf.pem -key pub-leaf.key -cert_chain pub-issuing.pem -www -tls1_2
capture "$(at capture-public-style-chain)/capture.pcap" "tcp port 443"
verify_clients mail.example.test pub-root.pem
stop_capture; stop_servers

# 4. The Autodiscover host asks for a client certificate in the initial handshake (TLS 1.2, so the
#    CertificateRequest is in clear); curl has none, sends an empty Certificate and carries on.
server 443 -cert ad-leaf.pem -key ad-leaf.key -cert_chain ad-issuing.pem -www -tls1_2 -verify 1 -CAfile ad-root.pem
capture "$(at capture-autodiscover-cert-request)/capture.pcap" "tcp port 443"
client curl -s --cacert ad-root.pem --resolve autodiscover.example.test:443:127.0.0.1 \
  https://autodiscover.example.test/autodiscover/autodiscover.xml -o /dev/null
stop_capture; stop_servers
cp ad-root.pem "$(at capture-autodiscover-cert-request)/root.pem"

# 5. Near miss: the same host without the request.
server 443 -cert ad-leaf.pem -key ad-leaf.key -cert_chain ad-issuing.pem -www -tls1_2
capture "$(at capture-autodiscover-near-miss-no-request)/capture.pcap" "tcp port 443"
client curl -s --cacert ad-root.pem --resolve autodiscover.example.test:443:127.0.0.1 \
  https://autodiscover.example.test/autodiscover/autodiscover.xml -o /dev/null
stop_capture; stop_servers
cp ad-root.pem "$(at capture-autodiscover-near-miss-no-request)/root.pem"

# The live servers of the same PKIs for the probe tests are started by the tests themselves
# (PrivateCaProbeTest writes these certificates again with Bouncy Castle).
