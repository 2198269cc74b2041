#!/usr/bin/env bash
# The README's "Serve" example, run by ServeTest against a service it started (KB_URL, KB_TOKEN, KB_CAPTURE).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
: "${KB_URL:=http://127.0.0.1:8427}" "${KB_TOKEN:=}"
: "${KB_CAPTURE:=$here/knowledge/causes/NON_SNI_CLIENT_REJECTED/samples/capture-non-sni-reset/capture.pcap}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cp "$KB_CAPTURE" "$work/trace.pcap"; cd "$work"

# one-shot: a case and its evidence in one request
curl -sf -H "Authorization: Bearer $KB_TOKEN" -F 'case={"symptoms":["bad username or password"]};type=application/json' -F evidence=@trace.pcap "$KB_URL/v1/diagnose?format=text"

# a guided case: open it, answer its next question, read the report for the ticket
curl -sf -H "Authorization: Bearer $KB_TOKEN" -H 'Content-Type: application/json' -d '{"symptoms":["hr=0x80072f0d"],"client":"Outlook for Mac 2011"}' "$KB_URL/v1/cases" > case.json
id="$(sed -n 's/^  "id" : "\([0-9a-f]*\)".*/\1/p' case.json)"
sed -n 's/^  "next_question" : {/next question:/p; s/^    "id" : "\(.*\)",/  \1/p' case.json | head -2
curl -sf -X PUT -H "Authorization: Bearer $KB_TOKEN" -H 'Content-Type: application/json' -d '{"value":"fails"}' "$KB_URL/v1/cases/$id/answers/handshake_without_sni" > /dev/null
curl -sf -H "Authorization: Bearer $KB_TOKEN" "$KB_URL/v1/cases/$id/report" | sed -n '/^| Status/,/^$/p'
