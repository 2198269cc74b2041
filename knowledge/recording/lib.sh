# Shared by the recording scripts, sourced after `set -euo pipefail` and `here=` (this folder): finds a
# sample's folder (at NAME), moves the script into a private network namespace whose loopback has MTU
# 1500 and offloads off (frames Ethernet-sized like a real trace; no traffic leaves it), and enters a
# scratch folder removed on exit with every background job.
knowledge=$(dirname "$here")
# A sample's folder, wherever it is filed: causes/ID/samples/NAME, or samples/NAME for a healthy control.
at() {
  local d; d=$(find "$knowledge" -type d -path "*/samples/$1" -print -quit)
  echo "${d:-$knowledge/samples/$1}"
}

if [ "${IN_NETNS:-}" != 1 ]; then
  exec unshare -n env IN_NETNS=1 bash "$0" "$@"
fi
ip link set lo up mtu 1500
ethtool -K lo tso off gso off gro off >/dev/null 2>&1 || echo "warning: ethtool missing, segments may be larger than 1500" >&2

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; sleep 0.3; rm -rf "$work"' EXIT
cd "$work"
