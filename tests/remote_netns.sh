#!/usr/bin/env bash
# `host` and `join --follow` across a real network link that is cut and
# restored: loopback never loses a packet, so the idle timeout, the
# reconnect and the catch-up after a drop are only exercised here.
#
# Two network namespaces joined by a veth pair stand for the candidate's and
# the interviewer's machines. The link is slowed for the whole run (netem
# delay, or a token-bucket rate limit on kernels without netem), then cut
# for longer than the QUIC idle timeout (netem 100% loss, or an nftables
# drop) while the shared file changes twice; the last change must arrive
# once the link is back, with the same `join` process still running.
# A ticket whose secret was altered must be refused first, without using up
# the invitation.
#
# Needs root (namespaces, tc); installs iproute2 and, without netem,
# nftables. Run from anywhere: tests/remote_netns.sh (REMOTE_NETNS_CUT_SECONDS
# sets how long the link stays cut; 8 by default).
set -euo pipefail
cd "$(dirname "$0")/.."

# Longer than the QUIC idle timeout (6 s), so both ends see the drop.
CUT_SECONDS="${REMOTE_NETNS_CUT_SECONDS:-8}"
# The guest's backoff tops out at 5 s and a handshake may take 10 s, so a
# reconnect can take up to about 15 s after the link is back.
RECONNECT_TIMEOUT=40

started=$SECONDS
failed=0
pass() { echo "PASS: $*"; }
fail() {
  echo "FAIL: $*"
  failed=1
}

if [ "$(id -u)" -ne 0 ]; then
  echo "FAIL: remote_netns needs root for network namespaces"
  exit 1
fi

install_packages() {
  echo "remote_netns: installing $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
command -v ip >/dev/null && command -v tc >/dev/null || install_packages iproute2

cargo build --locked --bin mlsd-studio
bin="$PWD/target/debug/mlsd-studio"

ns_a="mlsd-a-$$"
ns_b="mlsd-b-$$"
# Interface names are limited to 15 characters.
veth_a="mlsda$$"
veth_b="mlsdb$$"
addr_a=10.77.0.1
addr_b=10.77.0.2
dir="$(mktemp -d)"
shared="$dir/shared.mlsd"
copy="$dir/copy.mlsd"
host_pid=""
join_pid=""

cleanup() {
  local status=$?
  for pid in $join_pid $host_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  # Deleting a namespace leaves its processes running; anything still in
  # these two was started here.
  for ns in "$ns_a" "$ns_b"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
      kill "$pid" 2>/dev/null || true
    done
    ip netns del "$ns" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
    for log in "$dir"/*.log; do
      [ -e "$log" ] || continue
      echo "----- $(basename "$log")"
      cat "$log"
    done
  fi
  rm -rf "$dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Not for background processes: `$!` would be the function's subshell, and
# killing it would leave the program running.
in_a() { ip netns exec "$ns_a" "$@"; }
in_b() { ip netns exec "$ns_b" "$@"; }

ip netns add "$ns_a"
ip netns add "$ns_b"
ip link add "$veth_a" netns "$ns_a" type veth peer name "$veth_b" netns "$ns_b"
in_a ip addr add "$addr_a/24" dev "$veth_a"
in_b ip addr add "$addr_b/24" dev "$veth_b"
for ns in "$ns_a" "$ns_b"; do
  ip netns exec "$ns" ip link set lo up
done
in_a ip link set "$veth_a" up
in_b ip link set "$veth_b" up

# The slow link and the cut, both ways: netem when the kernel has it,
# otherwise a rate limit and an nftables drop on the candidate's side (which
# drops what comes in as well as what goes out).
if in_a tc qdisc add dev "$veth_a" root netem delay 50ms 2>/dev/null; then
  in_b tc qdisc add dev "$veth_b" root netem delay 50ms
  slow="netem delay 50ms each way"
  cut_link() {
    in_a tc qdisc replace dev "$veth_a" root netem loss 100%
    in_b tc qdisc replace dev "$veth_b" root netem loss 100%
  }
  restore_link() {
    in_a tc qdisc replace dev "$veth_a" root netem delay 50ms
    in_b tc qdisc replace dev "$veth_b" root netem delay 50ms
  }
else
  command -v nft >/dev/null || install_packages nftables
  in_a tc qdisc add dev "$veth_a" root tbf rate 1mbit burst 32kbit latency 400ms
  in_b tc qdisc add dev "$veth_b" root tbf rate 1mbit burst 32kbit latency 400ms
  slow="tbf rate 1mbit each way (no netem in this kernel)"
  cut_link() {
    in_a nft -f - <<EOF
table inet mlsd_cut {
  chain out { type filter hook output priority 0; oifname "$veth_a" drop; }
  chain in { type filter hook input priority 0; iifname "$veth_a" drop; }
}
EOF
  }
  restore_link() { in_a nft delete table inet mlsd_cut; }
fi
echo "remote_netns: link $addr_a <-> $addr_b, slowed with $slow"

# Step 1's answer in the shared file, replaced atomically: host re-reads the
# file when its time stamp changes and must never see it half written.
set_answer() {
  sed '0,/answer: "[^"]*"/s//answer: "'"$1"'"/' "$shared" >"$shared.tmp"
  mv "$shared.tmp" "$shared"
}

# Waits up to $1 seconds for the copy to hold $2, failing early when the
# following join has stopped.
wait_for_copy() {
  local deadline=$((SECONDS + $1))
  while ! grep -qF "$2" "$copy" 2>/dev/null; do
    if [ -n "$join_pid" ] && ! kill -0 "$join_pid" 2>/dev/null; then
      return 1
    fi
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

"$bin" reference ad-click-prediction -o "$shared" >/dev/null

# Created here, so the ticket wait below never looks before the host's
# shell has opened it.
: >"$dir/host.out"

ip netns exec "$ns_a" "$bin" host "$shared" --no-relay --bind "$addr_a:0" --name candidate \
  >"$dir/host.out" 2>"$dir/host.log" &
host_pid=$!
deadline=$((SECONDS + 20))
ticket=""
while [ -z "$ticket" ]; do
  if ! kill -0 "$host_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    fail "host printed no ticket within 20 s"
    exit 1
  fi
  # Only a whole first line counts.
  if [ "$(wc -l <"$dir/host.out")" -ge 1 ]; then
    ticket="$(head -n 1 "$dir/host.out")"
  else
    sleep 0.1
  fi
done
case "$ticket" in
  mlsd1*) pass "host printed a ticket" ;;
  *)
    fail "host's first line is not a ticket: $ticket"
    exit 1
    ;;
esac

# A damaged ticket is refused before anything is sent.
if in_b "$bin" join "${ticket:0:20}" --snapshot "$dir/damaged.mlsd" --no-relay \
  --timeout 20 >/dev/null 2>"$dir/join-damaged.log"; then
  fail "join accepted a ticket cut short"
else
  pass "join refuses a ticket cut short"
fi

# Another secret: one character near the end of the ticket, where the
# secret is encoded, changed to another base32 letter.
at=$((${#ticket} - 6))
char="${ticket:at:1}"
[ "$char" = a ] && other=b || other=a
wrong="${ticket:0:at}$other${ticket:at+1}"
if in_b "$bin" join "$wrong" --snapshot "$dir/wrong.mlsd" --no-relay --timeout 20 \
  >/dev/null 2>"$dir/join-wrong.log"; then
  fail "join with a wrong secret exited 0"
elif [ -e "$dir/wrong.mlsd" ]; then
  fail "join with a wrong secret wrote a snapshot"
elif ! grep -q "secret is wrong" "$dir/host.log"; then
  fail "host did not log turning away a wrong secret"
else
  pass "a wrong secret is turned away and join exits non-zero"
fi

ip netns exec "$ns_b" "$bin" join "$ticket" --snapshot "$copy" --follow --no-relay --timeout 30 \
  --name interviewer >"$dir/join.out" 2>"$dir/join.log" &
join_pid=$!

first="netns-first-$$"
if wait_for_copy 30 'answer: '; then
  pass "join wrote the candidate's session"
else
  fail "join wrote no session within 30 s"
  exit 1
fi
set_answer "$first"
if wait_for_copy 20 "$first"; then
  pass "a change to the shared file reached the copy"
else
  fail "the change did not reach the copy within 20 s"
  exit 1
fi

second="netns-second-$$"
final="netns-final-$$"
cut_link
cut_at=$SECONDS
sleep 2
set_answer "$second"
sleep 2
set_answer "$final"
left=$((CUT_SECONDS - (SECONDS - cut_at)))
[ "$left" -le 0 ] || sleep "$left"
if grep -qF "$final" "$copy"; then
  fail "the final answer arrived while the link was cut"
fi
restore_link
restored_ms=$(date +%s%3N)
echo "remote_netns: link cut for $((SECONDS - cut_at)) s, now restored"

if wait_for_copy "$RECONNECT_TIMEOUT" "$final"; then
  waited_ms=$(($(date +%s%3N) - restored_ms))
  pass "the final answer arrived $((waited_ms / 1000)).$(printf %03d $((waited_ms % 1000))) s after the link came back"
else
  fail "the final answer did not arrive within $RECONNECT_TIMEOUT s of the link coming back"
fi
if kill -0 "$join_pid" 2>/dev/null; then
  pass "the same join process is still following"
else
  fail "join --follow stopped"
fi
joins="$(grep -c ' joined (' "$dir/host.log" || true)"
drops="$(grep -c ' is disconnected: ' "$dir/host.log" || true)"
if [ "$joins" -ge 2 ] && [ "$drops" -ge 1 ]; then
  pass "host logged the drop and the second join ($joins joins, $drops drops)"
else
  fail "host logged $joins joins and $drops drops; expected at least 2 and 1"
fi
if grep -q '^Disconnected' "$dir/join.log"; then
  pass "join logged the drop"
else
  fail "join did not log the drop"
fi

if [ "$failed" -ne 0 ]; then
  echo "remote_netns: FAILED after $((SECONDS - started)) s"
  exit 1
fi
echo "remote_netns: all passed in $((SECONDS - started)) s"
