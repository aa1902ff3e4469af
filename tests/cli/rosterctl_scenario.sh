#!/usr/bin/env bash
# The walking skeleton's scenario through `rosterctl --json`, against a real
# rosterd, then bad input that must answer its error code and change nothing,
# then kill -9 and a restart that must keep everything.
# Usage: rosterctl_scenario.sh ROSTERD ROSTERCTL
set -euo pipefail
rosterd=$1 rosterctl=$2
dir=$(mktemp -d /tmp/roster-cli.XXXXXX)
pid=
start() {
  : >"$dir/log"
  # setpriv: rosterd dies with this script, even when a timeout kills it.
  setpriv --pdeathsig KILL "$rosterd" --listen 127.0.0.1:0 --data-dir "$dir/data" "$@" 2>"$dir/log" &
  pid=$!
  for _ in $(seq 200); do grep -q 'listening on' "$dir/log" && break; sleep 0.05; done
  address=$(sed -n 's/.*listening on \([^,]*\),.*/\1/p' "$dir/log")
  [[ -n $address ]] || { cat "$dir/log"; exit 1; }
}
trap '[[ -n $pid ]] && kill -9 $pid 2>/dev/null; rm -rf "$dir"' EXIT
failures=0 passes=0
token_file=$dir/data/service.token  # the service token rosterd writes on its first start

# expect EXIT_CODE EXPECTED_JSON -- rosterctl arguments...
# Writes print the revision they answered (C7); the expectations below leave
# it out, and the C7 part checks it.
without_revision() { sed -E 's/,"revision":[0-9]+//'; }
raw_json() { "$rosterctl" --connect "$address" --token-file "$token_file" --json "$@" || true; }
json() { raw_json "$@" | without_revision; }
id_of() { local out; out=$(json "$@"); [[ $out =~ ^\{\"id\":([0-9]+)\}$ ]] && echo "${BASH_REMATCH[1]}"; }
expect() {
  local want_rc=$1 want=$2; shift 3
  local got rc=0
  got=$("$rosterctl" --connect "$address" --token-file "$token_file" --json "$@" | without_revision) ||
    rc=$?
  if [[ $rc != "$want_rc" || $got != "$want" ]]; then
    echo "FAIL: rosterctl $*"; echo "  want ($want_rc): $want"; echo "  got  ($rc): $got"
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}
# expect_error CODE -- rosterctl arguments...: only the code is compared.
expect_error() {
  local code=$1; shift 2
  local got rc=0
  got=$("$rosterctl" --connect "$address" --token-file "$token_file" --json "$@") || rc=$?
  if [[ $rc != 1 || $got != '{"error":{"code":"'"$code"'","message":'* ]]; then
    echo "FAIL: rosterctl $*"; echo "  want error $code"; echo "  got  ($rc): $got"
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}

start
expect 0 '{"ok":true}' -- ping
expect 0 '{"id":1}' -- user add alice alice@example.org
expect 0 '{"id":2}' -- user add bob bob@example.org
expect 0 '{"id":3}' -- --as alice team create "Data Science"
expect 0 '{"id":4}' -- --as alice team invite 3 bob --view-datasets --view-code
unread=$("$rosterctl" --connect "$address" --token-file "$token_file" --json --as bob inbox)
[[ $unread == *'"unread":1}' ]] && passes=$((passes + 1)) || { echo "FAIL: bob's inbox: $unread"; failures=$((failures + 1)); }
expect_error permission_denied -- --as alice invite accept 4
expect 0 '{"ok":true}' -- --as bob invite accept 4
expect 0 '{"id":7}' -- --as alice project create P
expect 0 '{"ok":true}' -- --as alice project grant 7 --team 3 --level edit
expect 0 '{"allowed":true}' -- check bob 7 view_files

echo "# bad input answers its code and changes nothing"
expect_error not_found -- --as alice team invite 3 nobody
expect_error invalid_argument -- user add carol not-an-email
expect_error invalid_argument -- --as alice team create "$(printf 'x%.0s' $(seq 129))"
expect_error already_exists -- user add ALICE other@example.org
expect_error unauthenticated -- --as ghost team show 3
expect_error invitation_not_pending -- --as bob invite accept 4
expect_error manager_cannot_leave -- --as alice team leave 3
# No refusal above consumed an id: carol gets the next one after the project (7).
expect 0 '{"id":8}' -- user add carol carol@example.org

echo "# kill -9, restart: everything acknowledged is there"
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
start
expect 0 '{"allowed":true}' -- check bob 7 view_files
expect_error already_exists -- user add carol carol2@example.org
expect 0 '{"ok":true}' -- --as bob team leave 3
expect 0 '{"allowed":false}' -- check bob 7 view_files

echo "# team management: T2 T3 T4 T6 T8 T9"
expect 0 '{"id":9}' -- --as alice team create ops
expect_error permission_denied -- --as alice team add 9 carol
expect 0 '{"ok":true}' -- --as alice team set 9 --admission direct --name Operations
expect 0 '{"ok":true}' -- --as alice team add 9 carol --view-code
expect 0 '{"ok":false,"results":[{"user":"bob"},{"error":{"code":"not_found","message":"no such user"},"user":"ghost"}]}' -- --as alice team add 9 bob ghost
expect 0 '{"teams":[{"icon":"","id":3,"members":1,"name":"Data Science"},{"icon":"","id":9,"members":3,"name":"Operations"}]}' -- team list
expect_error permission_denied -- --as carol team remove 9 bob
expect 0 '{"ok":true}' -- --as alice team admin 9 carol on
expect 0 '{"ok":true}' -- --as carol team remove 9 bob
expect_error permission_denied -- --as carol team transfer 9 carol
expect 0 '{"ok":true}' -- --as alice team transfer 9 carol
expect_error manager_cannot_leave -- --as carol team leave 9
expect 0 '{"ok":true}' -- --as carol team delete 9
expect_error not_found -- --as alice team show 9
expect 0 '{"teams":[{"icon":"","id":3,"members":1,"name":"Data Science"}]}' -- team list

echo "# inbox: I7 I9"
expect_error invitation_not_pending -- --as alice invite remind 4
fresh=$(id_of --as alice team invite 3 carol)
expect 0 '{"ok":true}' -- --as alice invite remind "$fresh"
expect_error too_soon -- --as alice invite remind "$fresh"
expect 0 '{"ok":true}' -- --as bob inbox read 5
expect_error not_found -- --as bob inbox read 424242
expect 0 '{"ok":true}' -- --as bob inbox read --all

echo "# users: U2 U3"
expect 0 '{"email":"bob@example.org","id":2,"name":"bob","removed":false,"role":"standard","team_manager":false,"tenant":0,"tenant_admin":false,"username":"bob"}' -- --as alice user show bob
expect_error permission_denied -- --as alice user role bob admin
expect 0 '{"ok":true}' -- user role bob read_only
expect 0 '{"ok":true}' -- user team-manager bob on
expect 0 '{"email":"bob@example.org","id":2,"name":"bob","removed":false,"role":"read_only","team_manager":true,"tenant":0,"tenant_admin":false,"username":"bob"}' -- user show 2
expect_error invalid_argument -- user role bob emperor

echo "# projects: P1 P2 P5-P8 C3 C4"
# json ARGS...: rosterctl's output; id_of ARGS...: the id it printed.
# expect_match PATTERN -- ARGS...: the output matches the glob PATTERN (? for [ and ]).
expect_match() {
  local pattern=$1; shift 2
  local got; got=$(json "$@")
  if [[ $got == $pattern ]]; then passes=$((passes + 1)); else
    echo "FAIL: rosterctl $*"; echo "  want match: $pattern"; echo "  got: $got"; failures=$((failures + 1)); fi
}
dana=$(id_of user add dana dana@example.org)
genomes=$(id_of --as alice project create Genomes --kind dataset)
[[ -n $dana && -n $genomes ]] || { echo "FAIL: no ids"; exit 1; }
expect 0 '{"projects":[{"id":7,"kind":"project","name":"P","owner":1},{"id":'$genomes',"kind":"dataset","name":"Genomes","owner":1}]}' -- --as alice project list
inv=$(id_of --as alice project invite "$genomes" dana --level edit --download)
expect 0 '{"ok":true}' -- --as dana invite accept "$inv"
expect 0 '{"allowed":true}' -- check dana "$genomes" launch_runs
expect 0 '{"ok":true}' -- --as alice project set-level "$genomes" user:dana --level view
expect 0 '{"allowed":false}' -- check dana "$genomes" launch_runs
expect 0 '{"basis":"grants","caps":[],"download":true,"grants":[{"counted":true,"download":true,"kind":"user","levels":{"project":"view"},"note":"direct grant","subject":'$dana',"upload":false}],"levels":{"project":"view"},"policy":"highest","upload":false}' -- explain dana "$genomes"
expect 0 '{"collaborators":[{"download":true,"kind":"user","levels":{"project":"view"},"name":"dana","status":"accepted","subject":'$dana',"upload":false}]}' -- --as dana project collaborators "$genomes"
expect 0 '{"projects":[{"id":'$genomes',"kind":"dataset","name":"Genomes","owner":1}]}' -- lookup projects dana
expect 0 '{"projects":[]}' -- lookup projects dana --action launch_runs
expect 0 '{"users":[1,'$dana']}' -- lookup users "$genomes" view_outputs
expect_error permission_denied -- --as dana project delete "$genomes"
expect_error permission_denied -- --as dana project owner "$genomes" dana
expect 0 '{"ok":true}' -- --as alice project owner "$genomes" dana
expect 0 '{"id":'$genomes',"kind":"dataset","name":"Genomes","owner":'$dana',"policy":"highest","schema":"simple"}' -- --as dana project show "$genomes"
expect_match '{"events":?{"actor":1,"time":"20*","what":"handed the project from user alice to user dana"}?}' -- --as dana project activity "$genomes" --limit 1
expect_error invalid_argument -- --as dana project revoke "$genomes" alice
expect 0 '{"ok":true}' -- --as dana project revoke "$genomes" user:alice
expect 0 '{"allowed":false}' -- check alice "$genomes" view_outputs
expect 0 '{"ok":true}' -- --as dana project delete "$genomes"
expect_error not_found -- --as dana project show "$genomes"
expect 0 '{"projects":[]}' -- --as dana project list

echo "# P3 schemas: categories and a custom one from a file"
C=$(id_of --as alice project create Cats --schema categories)
expect 0 '{"ok":true}' -- --as alice project grant "$C" --team 3 --level project=viewer --level flow=contributor
expect 0 '{"allowed":true}' -- check alice "$C" manage_team
cat >"$dir/lab.json" <<'JSON'
{"categories": [{"name": "lab", "levels": [{"name": "reader", "actions": ["read_samples"]}]}]}
JSON
L=$(id_of --as alice project create Lab --schema "$dir/lab.json")
expect 0 '{"allowed":true}' -- check alice "$L" read_samples
echo '{"categories": []}' >"$dir/bad.json"
expect_error invalid_argument -- --as alice project create Bad --schema "$dir/bad.json"
expect_error invalid_argument -- --as alice project create Bad --schema "$dir/missing.json"

echo "# I8 bulk invitations, U5 e-mail invitees"
P=$(id_of --as alice project create Bulk)
# carol already has a pending invitation to team 3 (see the inbox part).
expect_match '{"results":?{"error":{"code":"already_invited",*},"invitee":"carol","target":"team:3"},{"id":*,"invitee":"erin@example.org","target":"team:3"},{"error":{"code":"not_found","message":"no user '"'ghost'"'"},"invitee":"ghost","target":"team:3"},{"id":*,"invitee":"carol","target":"project:'$P'"},{"id":*,"invitee":"erin@example.org","target":"project:'$P'"},{"error":{"code":"not_found",*},"invitee":"ghost","target":"project:'$P'"}?}' -- --as alice invite bulk --target team:3 --target project:"$P" --invitee carol --invitee erin@example.org --invitee ghost --level view --view-code
expect_error invalid_argument -- --as alice invite bulk --target group:3 --invitee carol
erin=$(id_of user add erin erin@example.org)
expect_match '{"invitations":?{*"inviter":1,*},{*"inviter":1,*}?,*"unread":2}' -- --as erin inbox

echo "# C7 revisions: writes print theirs, reads take --at-least-revision"
revision_of() { local out; out=$(raw_json "$@"); [[ $out =~ \"revision\":([0-9]+)\}$ ]] && echo "${BASH_REMATCH[1]}"; }
r1=$(revision_of user add rev1 rev1@example.org)
r2=$(revision_of --as alice team create Revisions)
if [[ -n $r1 && -n $r2 && $r2 -gt $r1 ]]; then passes=$((passes + 1)); else
  echo "FAIL: writes print growing revisions: got '$r1' then '$r2'"; failures=$((failures + 1)); fi
read_out=$(raw_json --at-least-revision "$r2" check alice 7 view_files)
if [[ $read_out == '{"allowed":true}' ]]; then passes=$((passes + 1)); else
  echo "FAIL: a read at a reached revision: got $read_out"; failures=$((failures + 1)); fi
expect_error revision_not_reached -- --at-least-revision 999999999 check alice 7 view_files
expect_error revision_not_reached -- --at-least-revision 999999999 explain alice 7

echo "# C8 watch: every change after a revision, one JSON line each, flushed as it comes"
# wait_for_line FILE PATTERN: within five seconds, a line of FILE matches.
wait_for_line() {
  for _ in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
  return 1
}
setpriv --pdeathsig KILL "$rosterctl" --connect "$address" --token-file "$token_file" --json \
  watch --from "$r1" >"$dir/watch.out" &
watch_pid=$!
if wait_for_line "$dir/watch.out" '"name":"Revisions"'; then passes=$((passes + 1)); else
  echo "FAIL: watch --from $r1 did not print the team made at $r2"; failures=$((failures + 1)); fi
first=$(head -n 1 "$dir/watch.out")
if [[ $first == *'"kind":"team"'* && $first == *"\"revision\":$r2"* ]]; then passes=$((passes + 1)); else
  echo "FAIL: the first change after $r1: $first"; failures=$((failures + 1)); fi
expect_match '{"id":*}' -- user add watched watched@example.org
# The line is there while the watch still runs: each line is flushed.
if wait_for_line "$dir/watch.out" '"username":"watched"'; then passes=$((passes + 1)); else
  echo "FAIL: watch did not print the user added while it ran"; cat "$dir/watch.out"; failures=$((failures + 1)); fi
kill "$watch_pid"; wait "$watch_pid" 2>/dev/null || true
if grep -vq '^{.*}$' "$dir/watch.out"; then
  echo "FAIL: watch printed a line that is not one JSON object"; failures=$((failures + 1)); else passes=$((passes + 1)); fi
expect_error revision_not_reached -- watch --from 999999999
expect_error invalid_argument -- --as alice watch

echo "# P9 expiring access: --expires takes a time or a duration; the collaborator list shows it"
expect_match '{"id":*}' -- user add temp temp@example.org
expect_match '{"id":*}' -- --as alice project invite 7 temp --level view --expires 30d
expect_match '{"id":*}' -- user add fixed fixed@example.org
expect_match '{"id":*}' -- --as alice project invite 7 fixed --level view --expires 2099-01-02T03:04:05.678+01:00
collaborators=$(json --as alice project collaborators 7)
if [[ $collaborators == *'"expires":"2099-01-02T02:04:05.678Z"'* ]]; then passes=$((passes + 1)); else
  echo "FAIL: the collaborator list does not show the expiry: $collaborators"; failures=$((failures + 1)); fi
expect_error invalid_argument -- --as alice project invite 7 temp --level view --expires 2001-01-01T00:00:00Z
expect_error invalid_argument -- --as alice project invite 7 temp --level view --expires soon
expect_error invalid_argument -- --as alice project grant 7 --team 3 --level view --expires 12x
# A team membership too: the invitation and the member list show its end.
tinv=$(id_of --as alice team invite 3 temp --expires 2099-01-02T03:04:05Z)
inbox=$(json --as temp inbox)
if [[ $inbox == *'"expires":"2099-01-02T03:04:05.000Z"'* ]]; then passes=$((passes + 1)); else
  echo "FAIL: the team invitation does not show the membership's end: $inbox"; failures=$((failures + 1)); fi
expect 0 '{"ok":true}' -- --as temp invite accept "$tinv"
members=$(json --as alice team show 3)
if [[ $members == *'"expires":"2099-01-02T03:04:05.000Z"'* ]]; then passes=$((passes + 1)); else
  echo "FAIL: team show does not show the membership's end: $members"; failures=$((failures + 1)); fi
expect_error invalid_argument -- --as alice team invite 3 fixed --expires 2001-01-01T00:00:00Z
expect_error invalid_argument -- --as alice team add 3 fixed --expires later

echo "# N1 tenants: names, users that carry theirs, deletion only when empty"
acme=$(id_of tenant create acme)
[[ -n $acme ]] || { echo "FAIL: tenant create"; failures=$((failures + 1)); }
expect_error already_exists -- tenant create ACME
expect_error invalid_argument -- tenant create 12345
expect_error invalid_argument -- tenant delete default
wile=$(id_of user add wile wile@example.org --tenant acme)
expect_match '{*"tenant":'"$acme"',"tenant_admin":false,"username":"wile"}' -- user show wile
expect_error not_found -- user add road road@example.org --tenant nowhere
expect_error already_exists -- user add wile other@example.org --tenant "$acme"
expect_match '{"tenants":?{"id":0,"name":"default",*},{"id":'"$acme"',"name":"acme","projects":0,"teams":0,"users":1}?}' -- tenant list
expect_error tenant_not_empty -- tenant delete acme
expect 0 '{"ok":true}' -- tenant rename acme "Acme Corp"
expect 0 '{"ok":true}' -- user remove wile
expect 0 '{"ok":true}' -- tenant delete "acme corp"
expect_error not_found -- tenant delete "$acme"

echo "# N2 N3 a team is its tenant's: others find nothing, and it admits only its own"
initech=$(id_of tenant create initech)
expect_match '{"id":*}' -- user add milton milton@example.org --tenant initech
stapler=$(id_of --as milton team create stapler)
[[ -n $initech && -n $stapler ]] || { echo "FAIL: no ids"; failures=$((failures + 1)); }
expect_error not_found -- --as alice team show "$stapler"
expect_error not_found -- --as milton team invite "$stapler" bob
expect_error not_found -- --as milton team invite "$stapler" bob@example.org
teams=$(json --as alice team list)
if [[ $teams != *'"name":"stapler"'* ]]; then passes=$((passes + 1)); else
  echo "FAIL: alice lists another tenant's team: $teams"; failures=$((failures + 1)); fi
expect_match '{"teams":?{"icon":"","id":'"$stapler"',"members":1,"name":"stapler"}?}' -- --as milton team list
expect_error not_found -- --as alice project invite 7 milton --level view
ginv=$(id_of --as alice project invite 7 milton@example.org --level view)
expect 0 '{"ok":true}' -- --as milton invite accept "$ginv"
collaborators=$(json --as alice project collaborators 7)
if [[ $collaborators == *'"guest":true,"invitation"'* || $collaborators == *'"guest":true,"kind":"user","levels":{"project":"view"},"name":"milton"'* ]]; then
  passes=$((passes + 1)); else
  echo "FAIL: the collaborator list does not mark the guest: $collaborators"; failures=$((failures + 1)); fi
expect_match '{"id":7,*}' -- --as milton project show 7
expect_error not_found -- --as milton project show "$genomes"
expect_error not_found -- --as milton user show alice
expect_match '{*"username":"milton"}' -- --as milton user show milton

echo "# N4 a tenant admin administers its tenant's users, teams and projects, and nothing else"
expect_error permission_denied -- --as milton user tenant-admin milton on
expect_error not_found -- --as milton user tenant-admin bob on
expect 0 '{"ok":true}' -- user tenant-admin milton on
expect_match '{*"tenant_admin":true,"username":"milton"}' -- user show milton
peter=$(id_of --as milton user add peter peter@example.org)
expect_match '{*"tenant":'"$initech"',"tenant_admin":false,"username":"peter"}' -- user show peter
tps=$(id_of --as peter project create "TPS reports")
expect_error not_found -- --as milton user add lumbergh lumbergh@example.org --tenant default
expect_error permission_denied -- --as milton user add lumbergh lumbergh@example.org --role admin
expect 0 '{"ok":true}' -- --as milton user role peter read_only
expect_error permission_denied -- --as milton user role peter admin
expect_error exceeds_platform_role -- --as milton user tenant-admin peter on
expect_error not_found -- --as milton user role bob read_only
expect_match '{"allowed":true*}' -- check milton "$tps" view_outputs
expect_match '{*"basis":"tenant_admin"*}' -- explain milton "$tps"
expect 0 '{"ok":true}' -- --as milton project owner "$tps" milton
expect_match '{"allowed":false*}' -- check milton 7 view_files
expect_error not_found -- --as milton project delete "$genomes"
expect 0 '{"ok":true}' -- user tenant-admin milton off
expect_error permission_denied -- --as milton user remove peter

echo "# N5 a tenant's token acts only on its tenant and on its projects' guests"
kill -TERM "$pid"; wait "$pid" || true
tenant_token=initech-0123456789abcdef
printf 'admin %s\ntenant initech %s\n' "$(cat "$dir/data/service.token")" "$tenant_token" >"$dir/tokens"
echo "$tenant_token" >"$dir/initech.token"
start --tokens-file "$dir/tokens"
token_file=$dir/initech.token
samir=$(id_of user add samir samir@example.org || true)
[[ -n $samir ]] || { echo "FAIL: a tenant token adds no user"; failures=$((failures + 1)); }
expect_match '{*"tenant":'"$initech"',*"username":"samir"}' -- --as milton user show samir
expect_error not_found -- user add nina nina@example.org --tenant default
expect_error permission_denied -- user show samir
expect_error not_found -- --as alice inbox
expect 0 '{"allowed":true}' -- check milton "$tps" view_outputs
expect_error not_found -- check milton 7 view_files
expect_error not_found -- check alice "$tps" view_outputs
expect_error permission_denied -- tenant list
token_file=$dir/data/service.token

echo "# every command prints for people too"
# human ARGS...: exits 0 and prints something, with no JSON.
human() {
  local got rc=0
  got=$("$rosterctl" --connect "$address" --token-file "$token_file" "$@") || rc=$?
  if [[ $rc != 0 || -z $got || $got == '{'* ]]; then
    echo "FAIL (human): rosterctl $*"; echo "  got ($rc): $got"; failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}
H=$(id_of --as alice project create Human)
human ping
human tenant list
human user show alice
human team list
human --as alice team show 3
human user add frank frank@example.org
human --as alice team invite 3 frank --view-code
human --as erin inbox
human --as erin inbox read --all
human --as alice project list
human --as alice project show "$H"
human --as alice project invite "$H" erin --level view
human --as alice project grant "$H" --team 3 --level view
human --as alice project set-level "$H" team:3 --level edit
human --as alice project collaborators "$H"
human --as alice project activity "$H"
human check alice "$H" view_outputs
human explain alice "$H"
human lookup projects alice
human lookup users "$H" view_outputs
human --as alice invite bulk --target project:"$H" --invitee carol --level view
# People read names, not ids (issue: hardening, "Output for people").
human_has() {
  local want=$1; shift 2
  local got; got=$("$rosterctl" --connect "$address" --token-file "$token_file" "$@" 2>&1) || true
  if [[ $got == *"$want"* ]]; then passes=$((passes + 1)); else
    echo "FAIL (human): rosterctl $* does not show '$want'"; echo "  got: $got"; failures=$((failures + 1)); fi
}
human_has "team 3 Data Science" -- --as erin inbox
human_has "alice" -- --as erin inbox
human_has "frank" -- --as alice team show 3
human_has "erin" -- --as alice team show 3
human_has "alice" -- lookup users "$H" view_outputs
human --as alice project revoke "$H" team:3
human --as alice project delete "$H"

echo "# U4 user removal"
keep=$(id_of --as dana project create Keep)
expect_error permission_denied -- --as alice user remove dana
expect_error owns_projects -- user remove dana
expect 0 '{"ok":true}' -- --as dana project delete "$keep"
expect 0 '{"ok":true}' -- user remove dana
expect_error unauthenticated -- --as dana project list
expect_error not_found -- user remove nobody

echo "# backup: a relative DIR is taken from rosterctl's directory"
pushd "$dir" >/dev/null
expect 0 '{"directory":"'"$dir"'/snap","ok":true}' -- backup snap
expect_error already_exists -- backup snap
popd >/dev/null
[[ -s $dir/snap/data.mdb && -s $dir/snap/service.token ]] && passes=$((passes + 1)) ||
  { echo "FAIL: the backup holds no data.mdb and service.token"; failures=$((failures + 1)); }

echo "# hardening: usage errors under --json, --as everywhere, limits, schema files, text"
expect_error invalid_argument -- ping --no-such-flag
expect_error invalid_argument -- --as bob inbox --limit -1
expect_error invalid_argument -- --as bob inbox --limit 0
expect_error invalid_argument -- --as bob inbox --limit 1001
expect_error invalid_argument -- --as alice project activity 7 --limit 1001
expect_error invalid_argument -- --as alice backup "$dir/as-alice"
expect_error invalid_argument -- --as alice check bob 7 view_files
expect_error permission_denied -- --as alice user add zed zed@example.org
root=$(id_of user add root root@example.org --role admin)
expect_match '{"id":*}' -- --as "$root" user add zed zed@example.org
expect_error invalid_argument -- user add 123 digits@example.org
: >"$dir/empty.json"
expect_error invalid_argument -- --as alice project create Empty --schema "$dir/empty.json"
expect_error invalid_argument -- --as alice project create Folder --schema "$dir"
expect_error invalid_argument -- --as alice team create $'\xc0\xaf'
expect_error invalid_argument -- --as alice team create $'left\xe2\x80\xaeright'
# A refusal that quotes a byte that is not UTF-8 quotes U+FFFD instead.
fffd=$'\xef\xbf\xbd'
expect_match "{\"error\":{\"code\":\"invalid_argument\",\"message\":\"no action '$fffd'*" -- check alice 7 $'\xff'
echo "# rosterd refuses settings that make no sense, naming them"
if timeout 10 "$rosterd" --listen 127.0.0.1:0 --data-dir "$dir/ttl" --invitation-ttl-hours 0 2>"$dir/ttl.log"; then
  echo "FAIL: rosterd started with --invitation-ttl-hours 0"; failures=$((failures + 1))
elif grep -q 'invitation-ttl-hours' "$dir/ttl.log"; then passes=$((passes + 1)); else
  echo "FAIL: rosterd's refusal does not name the setting:"; cat "$dir/ttl.log"; failures=$((failures + 1)); fi

kill -TERM "$pid"; wait "$pid" && passes=$((passes + 1)) || { echo "FAIL: rosterd did not stop cleanly"; failures=$((failures + 1)); }
pid=
echo "$passes passed, $failures failed"
[[ $failures == 0 ]]
