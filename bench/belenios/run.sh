#!/usr/bin/env bash
# Belenios 2.0 (belenios-tool) side by side with Sceau at N ballots, in one run window.
#
#   bash bench/belenios/run.sh [N]          (default N = 2000)
#
# Order: Sceau (`npm run bench -- N 1 4`, native backend), Sceau at N/10 (its fixed costs), then a whole
# Belenios election (n = 5 trustees, threshold 3, one non-homomorphic question of 4 candidates, N voters,
# 2 shuffles, 3 partial decryptions, result, full verification), then Sceau at N again. Every Belenios phase runs under
# /usr/bin/time (wall, user, sys, peak RSS); the load average is read at the start of every phase.
# Prints the side-by-side table (Markdown) on stdout; raw figures stay in $OUT.
#
#   bash bench/belenios/run.sh --table DIR  (print the table again from a previous run's DIR)
#
# Environment: OUT=dir (default: a new /tmp/belenios-bench.XXXXXX), SCEAU=0 (Belenios only),
# KEEP=1 (keep the Belenios election directory, $OUT/election).
# Needs: belenios-tool 2.0 (Debian bookworm: apt-get install belenios-tool), GNU time (/usr/bin/time),
# node, and for Sceau a built native module (native/build/Release/sceau_group.node: npm run build:native).
set -euo pipefail

# ---------------------------------------------------------------- table
table() {
node --input-type=module - "$1" <<'JS'
import { readFileSync, existsSync } from 'node:fs';
const out = process.argv[2];
const meta = readFileSync(`${out}/meta.txt`, 'utf8');
const N = Number(/^N: (\d+)/m.exec(meta)[1]);
const B = {};
for (const line of readFileSync(`${out}/belenios.tsv`, 'utf8').trim().split('\n')) {
  const [name, wall, user, sys, rss, l1] = line.split(/\s+/);
  B[name] = { wall: +wall, cpu: +user + +sys, rss: +rss, load: +l1 };
}
const sceau = (tag) => {
  const f = `${out}/sceau-${tag}.jsonl`;
  if (!existsSync(f)) return null;
  const S = {};
  for (const l of readFileSync(f, 'utf8').split('\n')) {
    if (!l.startsWith('{')) continue;
    const j = JSON.parse(l);
    S[j.phase] = { wall: j.seconds, cpu: j.cpuSeconds, rss: j.peakRssMiB };
  }
  return Object.keys(S).length ? S : null;
};
const runs = ['before', 'after'].map(sceau).filter(Boolean);
const small = sceau('small');
const SMALL = small ? Number(/sceau-small: machine: .*?; (\d+) voters/m.exec(meta)?.[1] ?? NaN) : NaN;
const sum = (xs) => xs.reduce((a, x) => ({ wall: a.wall + x.wall, cpu: a.cpu + x.cpu }), { wall: 0, cpu: 0 });
const diff = (a, b) => ({ wall: a.wall - b.wall, cpu: a.cpu - b.cpu, derived: true });
const b = (...names) => sum(names.map((n) => B[n]));
const s = (S, ...names) => sum(names.map((n) => S[n]));
const f1 = (x) => x.toFixed(1);
const rx = (r) => `${r.toFixed(r < 10 ? 1 : 0)}×`;
const f2 = (x) => x.toFixed(2);
const ms = (cpu) => (cpu * 1000 / N).toFixed(cpu * 1000 / N < 10 ? 2 : 1);

const L = B['tally.encrypted'];                                   // load the board, check every ballot
const LOADN = Number(/^LOADN: (\d+)/m.exec(meta)[1]);
const perLoad = { wall: B['baseline.load'].wall / LOADN, cpu: B['baseline.load'].cpu / LOADN };
const scale = (x, k) => ({ wall: x.wall * k, cpu: x.cpu * k });
const minus = (a, ...bs) => bs.reduce((acc, x) => ({ wall: acc.wall - x.wall, cpu: acc.cpu - x.cpu }), a);

console.log(`Belenios, every command as run (N = ${N}; /usr/bin/time; CPU = user + sys, the process and its children):\n`);
console.log('| Belenios phase | wall s | CPU s | CPU ms / ballot | CPU / wall | peak RSS MiB | load average (1 min) at start |');
console.log('|---|---|---|---|---|---|---|');
for (const [k, v] of Object.entries(B)) console.log(`| ${k} | ${f1(v.wall)} | ${f1(v.cpu)} | ${ms(v.cpu)} | ${f2(v.cpu / v.wall)} | ${Math.round(v.rss / 1024)} | ${v.load} |`);
console.log(`\nOne generate-ballot process that stops before the encryption (baseline.load / ${LOADN}: refused for an empty choice list): ${f2(perLoad.wall)} s wall, ${f2(perLoad.cpu)} CPU s; the net ballot creation below subtracts ${N} of them.`);
console.log(`Parsing and checking the ${N} public credentials (one membership test each; baseline.creds − one command): ${f1(B['baseline.creds'].cpu - perLoad.cpu)} CPU s, part of every command below that reads the ballots.`);
console.log(`Every tally command of belenios-tool 2.0 (compute-encrypted-tally, shuffle, decrypt-threshold, compute-result) re-reads the board and re-checks every ballot before its own work; tally.encrypted does nothing else, so "net" below = command − tally.encrypted (${f1(L.cpu)} CPU s).\n`);

const sh = b('shuffle.1', 'shuffle.2');
const shNet = minus(sh, L, L);
const shCheck = minus(B['verify.V2.shuffle2'], B['verify.V0.ballots']);
const dec = b('decrypt.1', 'decrypt.2', 'decrypt.3');
const decNet = minus(dec, L, L, L);
const res = B['result'];
const resNet = minus(res, L);
const gen = B['ballots.generate'];
const genNet = minus(gen, scale(perLoad, N));
const tallyRaw = b('verify.V2.shuffle2', 'tally.encrypted', 'shuffle.1', 'shuffle.2', 'decrypt.1', 'decrypt.2', 'decrypt.3', 'result');
const tallyNet = minus(tallyRaw, L, L, L, L, L, L, L);
const rows = [
  ['ballot creation (Sceau: simulate, incl. its key ceremony; Belenios: generate-ballot, one process per ballot)', ['simulate'], gen, genNet],
  ['ballot checks at import (Belenios: `election verify` of the board of ballots, V0)', ['import'], B['verify.V0.ballots'], null],
  ['shuffles, 2 rounds, proofs (Belenios: `election shuffle` ×2)', null, sh, shNet],
  ['shuffles: each proof checked (Belenios: V2 − V0)', null, { ...shCheck, d: 1 }, null],
  ['**shuffles, 2 rounds, proved and each checked**', ['shuffles'], { ...sum([sh, shCheck]), d: 1 }, sum([shNet, shCheck])],
  ['**partial decryptions ×3 with proofs** (Sceau: each checked by the board; Belenios: `decrypt-threshold` checks its own proofs)', ['decryption 3', 'decryption 4', 'decryption 5'], dec, decNet],
  ['**counting** (Sceau: partials checked again, combination, decoding, PV; Belenios: `compute-result`: partials checked, combination, decoding)', ['counting'], res, resNet],
  ['**tally, import to counting** (Belenios: V2 + encrypted tally + 2 shuffles + 3 decryptions + result)', ['import', 'shuffles', 'decryption 3', 'decryption 4', 'decryption 5', 'counting'], tallyRaw, tallyNet],
  ['**full verification** (Sceau: `sceau verify`; Belenios: `election verify` of the final board, V4)', ['verification'], B['verify.V4.final'], null],
];
const tags = runs.length === 2 ? 'run before / run after Belenios' : runs.length === 1 ? 'one run' : 'not run';
console.log(`Side by side (Sceau: ${tags}; Sceau ms / ballot and the ratios use the mean of its runs; (d): includes a difference of two measured commands):\n`);
console.log('| phase | Sceau wall s | Sceau CPU s | Sceau CPU ms / ballot | Belenios wall s | Belenios CPU s | Belenios CPU ms / ballot | Belenios / Sceau, CPU | Belenios net CPU ms / ballot (d) | net / Sceau |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const [label, sp, bv, net] of rows) {
  let sw = '—', sc = '—', sm = '—', ratio = '—', nratio = '—', mean = null;
  if (sp === null) { sw = sc = sm = ratio = nratio = '(in the row below)'; }
  else if (runs.length) {
    const xs = runs.map((S) => s(S, ...sp));
    sw = xs.map((x) => f1(x.wall)).join(' / ');
    sc = xs.map((x) => f1(x.cpu)).join(' / ');
    mean = xs.reduce((a, x) => a + x.cpu, 0) / xs.length;
    sm = ms(mean);
    ratio = rx(bv.cpu / mean);
    if (net) nratio = rx(net.cpu / mean);
  }
  const d = bv.d ? ' (d)' : '';
  console.log(`| ${label} | ${sw} | ${sc} | ${sm} | ${f1(bv.wall)}${d} | ${f1(bv.cpu)}${d} | ${ms(bv.cpu)} | ${ratio} | ${net ? ms(net.cpu) : '—'} | ${net ? nratio : '—'} |`);
}
if (small && runs.length) {
  const m = (ph) => (runs.reduce((a, S) => a + S[ph].cpu, 0) / runs.length - small[ph].cpu) / (N - SMALL) * 1000;
  console.log(`\nSceau's fixed costs: a run at ${SMALL} ballots in the same window gives the marginal CPU ms per ballot, (CPU(${N}) − CPU(${SMALL})) / ${N - SMALL}: ` +
    ['simulate', 'import', 'shuffles', 'counting', 'verification'].map((ph) => `${ph} ${m(ph).toFixed(2)}`).join(', ') +
    `, decryption ×3 ${(m('decryption 3') + m('decryption 4') + m('decryption 5')).toFixed(2)} (simulate at ${SMALL}: ${f1(small.simulate.cpu)} CPU s, mostly the key ceremony and start-up).`);
}
console.log('\nNot in the side-by-side rows (Belenios only): setup (credentials, threshold keys 5 / 3, election) ' +
  `${f1(b('setup.credentials', 'setup.trustees', 'setup.election').cpu)} CPU s (Sceau's key ceremony is inside "simulate"); ` +
  `appending the ballots to the board one add-event per ballot ${f1(B['ballots.archive'].cpu)} CPU s (bookkeeping, no check); ` +
  `V1 (board checked after shuffle 1) ${f1(B['verify.V1.shuffle1'].cpu)} CPU s, so shuffle 1's check = V1 − V0 = ${f1(B['verify.V1.shuffle1'].cpu - B['verify.V0.ballots'].cpu)} CPU s.`);
console.log('\n' + meta.trim().split('\n').map((l) => `    ${l}`).join('\n'));
JS
}

if [ "${1:-}" = --table ]; then TABLE_ONLY=$2; N=0; else TABLE_ONLY=; N=${1:-2000}; fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
if [ -n "$TABLE_ONLY" ]; then table "$TABLE_ONLY"; exit 0; fi
OUT=${OUT:-$(mktemp -d /tmp/belenios-bench.XXXXXX)}
mkdir -p "$OUT"
TSV="$OUT/belenios.tsv"
META="$OUT/meta.txt"
: > "$TSV"
: > "$META"

need() { command -v "$1" >/dev/null 2>&1 || { echo "missing: $1 ($2)" >&2; exit 2; }; }
need belenios-tool "apt-get install belenios-tool"
need node "Node >= 20"
[ -x /usr/bin/time ] || { echo "missing: /usr/bin/time (apt-get install time)" >&2; exit 2; }

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

{
  echo "date: $(date -Is)"
  echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), nproc $(nproc), $(uname -sr)"
  echo "belenios-tool: $(belenios-tool --version) ($(dpkg-query -W -f='${Package} ${Version}' belenios-tool 2>/dev/null || echo 'not from dpkg'))"
  echo "libgmp: $(dpkg-query -W -f='${Version}' libgmp10 2>/dev/null || echo '?')"
  echo "node: $(node --version)"
  echo "sceau: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?') (working tree as found; not checked for local edits)"
  echo "N: $N"
  echo "LOADN: $(( N / 10 > 20 ? N / 10 : 20 ))"
} >> "$META"

# ---------------------------------------------------------------- Sceau
sceau() { # $1 = before | small | after, $2 = number of ballots
  local tag=$1 n=$2
  if [ "${SCEAU:-1}" = 0 ]; then return; fi
  if [ ! -f "$REPO/native/build/Release/sceau_group.node" ]; then
    echo "sceau-$tag: native/build/Release/sceau_group.node is missing: Sceau not run (build it with npm run build:native)" | tee -a "$META" >&2
    return
  fi
  echo "sceau-$tag load average at start: $(loadavg); commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?'); $(date +%H:%M:%S)" >> "$META"
  log "Sceau ($tag): npm run bench -- $n 1 4, SCEAU_BACKEND=native"
  (cd "$REPO" && SCEAU_BACKEND=native /usr/bin/time -f '%e %U %S %M' -o "$OUT/sceau-$tag.time" \
      npm run --silent bench -- "$n" 1 4) > "$OUT/sceau-$tag.jsonl" 2> "$OUT/sceau-$tag.err"
  echo "sceau-$tag: $(grep -m1 '^machine' "$OUT/sceau-$tag.err" || true)" >> "$META"
  echo "sceau-$tag: $(grep -m1 '^load average at the end' "$OUT/sceau-$tag.err" || true)" >> "$META"
  echo "sceau-$tag whole process (npm + tsx + bench; wall user sys maxrssKB): $(cat "$OUT/sceau-$tag.time")" >> "$META"
}

# ---------------------------------------------------------------- Belenios
E="$OUT/election"
rm -rf "$E"; mkdir -p "$E/ballots"
export BELENIOS_USE_URANDOM=1     # as Belenios's own demo scripts do
LOADN=$(( N / 10 > 20 ? N / 10 : 20 ))
SMALL=$(( N / 10 > 20 ? N / 10 : 20 ))
export E N LOADN
GROUP=RFC-3526-2048               # the only 2.0 group with an embedding for non-homomorphic questions
export GROUP

# phase NAME FUNCTION: runs the function in a child bash under /usr/bin/time, appends
# NAME wall user sys maxrssKB load1 load5 load15 to belenios.tsv.
phase() {
  local name=$1 fn=$2 la
  la=$(loadavg)
  log "Belenios: $name (load $la)"
  if ! /usr/bin/time -f '%e %U %S %M' -o "$OUT/t.tmp" bash -c "set -euo pipefail; cd \"\$E\"; $(declare -f "$fn"); $fn"; then
    echo "Belenios phase $name failed; the end of $E/stderr.log:" >&2
    tail -n 5 "$E/stderr.log" >&2
    exit 1
  fi
  printf '%s %s %s\n' "$name" "$(tail -n1 "$OUT/t.tmp")" "$la" >> "$TSV"
}
bt() { belenios-tool "$@" 2>>"$E/stderr.log"; }
export -f bt

p_credentials() {
  UUID=$(bt setup generate-token)
  echo "$UUID" > uuid
  bt setup generate-credentials --uuid "$UUID" --group "$GROUP" --count "$N" > /dev/null
  mv ./*.pubcreds public_creds.json
  mv ./*.privcreds private_creds.txt
}
p_trustees() { # Pedersen threshold key establishment: 5 trustees, 3 needed to decrypt
  tk() { bt setup generate-trustee-key-threshold --group "$GROUP" "$@"; }
  for _ in 1 2 3 4 5; do tk --step 1; done
  cat ./*.cert > certs.jsons
  tk --certs certs.jsons --step 2
  for u in ./*.key; do tk --certs certs.jsons --key "$u" --step 3 --threshold 3; done > polynomials.jsons
  tk --certs certs.jsons --step 4 --polynomials polynomials.jsons
  for u in ./*.key; do b=${u%.key}; tk --certs certs.jsons --key "$u" --step 5 < "$b.vinput" > "$b.voutput"; done
  cat ./*.voutput | tk --certs certs.jsons --step 6 --polynomials polynomials.jsons > threshold.json
}
p_election() {
  : > public_keys.jsons           # no "Single" (server) key: the 5 threshold trustees only
  bt setup make-trustees
  cat > template.json <<'JSON'
{"description":"Sceau side-by-side benchmark","name":"Bench","questions":[{"type":"NonHomomorphic","value":{"question":"Q","answers":["A","B","C","D"]}}],"administrator":"bench","credential_authority":"bench"}
JSON
  bt setup make-election --uuid "$(cat uuid)" --group "$GROUP" --template template.json
  bt archive init
}
p_load() { # fixed cost of one generate-ballot process: the same command, refused for an empty choice list
           # (it opens the election, checks the threshold parameters, derives the credential, computes g^sk,
           # then stops before the encryption: Array.map2 of the questions and the empty list), LOADN times
  head -n1 private_creds.txt | cut -d' ' -f2 > ballots/cred.tmp
  echo '[]' > ballots/empty.tmp
  for _ in $(seq "$LOADN"); do bt election generate-ballot --dir . --privcred ballots/cred.tmp --ballot ballots/empty.tmp > /dev/null || true; done
  rm -f ballots/cred.tmp ballots/empty.tmp
}
p_creds() { # once: compute-ballot-summary before any ballot, which parses and checks the N public credentials
  bt election compute-ballot-summary > /dev/null
}
p_ballots() { # each voter's ballot, created by belenios-tool (one process per ballot), one-hot over 4
  i=0
  while read -r id cred; do
    echo "$cred" > ballots/cred.tmp
    case $((i % 4)) in 0) v='[[1,0,0,0]]';; 1) v='[[0,1,0,0]]';; 2) v='[[0,0,1,0]]';; 3) v='[[0,0,0,1]]';; esac
    echo "$v" > ballots/vote.tmp
    bt election generate-ballot --dir . --privcred ballots/cred.tmp --ballot ballots/vote.tmp > "ballots/$id.json"
    i=$((i+1))
  done < private_creds.txt
  rm -f ballots/cred.tmp ballots/vote.tmp
}
p_archive() { # appending each ballot to the public board (add-event does not check the ballot)
  while read -r id _; do bt archive add-event --type=Ballot < "ballots/$id.json"; done < private_creds.txt
}
p_verify() { bt election verify; }
p_encrypted_tally() {
  bt archive add-event --type=EndBallots < /dev/null
  bt election compute-encrypted-tally | bt archive add-event --type=EncryptedTally
}
p_shuffle1() { bt election shuffle --trustee-id=1 | bt archive add-event --type=Shuffle; }
p_shuffle2() {
  bt election shuffle --trustee-id=2 | bt archive add-event --type=Shuffle
  bt archive add-event --type=EndShuffles < /dev/null
}
dec() { # trustee $1 = position in threshold.json (the certs in `ls *.cert` order)
  local u; u=$(ls ./*.key | sed -n "${1}p")
  bt election decrypt-threshold --key "$u" --decryption-key "${u%.key}.dkey" --trustee-id "$1" | bt archive add-event --type=PartialDecryption
}
p_decrypt1() { dec 1; }
p_decrypt2() { dec 2; }
p_decrypt3() { dec 3; }
export -f dec
p_result() { bt election compute-result | tee result.json | bt archive add-event --type=Result; }

sceau before "$N"
sceau small "$SMALL"

echo "belenios load average at start: $(loadavg); $(date +%H:%M:%S)" >> "$META"
log "Belenios: N = $N, group $GROUP, workdir $E"
phase setup.credentials p_credentials
phase setup.trustees p_trustees
phase setup.election p_election
phase baseline.load p_load
phase baseline.creds p_creds
phase ballots.generate p_ballots
phase ballots.archive p_archive
phase verify.V0.ballots p_verify
phase tally.encrypted p_encrypted_tally
phase shuffle.1 p_shuffle1
phase verify.V1.shuffle1 p_verify
phase shuffle.2 p_shuffle2
phase verify.V2.shuffle2 p_verify
phase decrypt.1 p_decrypt1
phase decrypt.2 p_decrypt2
phase decrypt.3 p_decrypt3
phase result p_result
phase verify.V4.final p_verify
echo "belenios load average at end: $(loadavg); $(date +%H:%M:%S)" >> "$META"
echo "belenios result: $(head -c 200 "$E/result.json")..." >> "$META"
node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).result[0];const c=[0,0,0,0];for(const b of r)b.forEach((x,i)=>c[i]+=x);console.log("belenios counted: "+r.length+" ballots, per candidate "+c.join(" / "))' "$E/result.json" >> "$META"
grep -c 'all checks passed' "$E/stderr.log" | sed 's/^/belenios "all checks passed" lines (expect 4: V0, V1, V2, V4): /' >> "$META"
echo "archive size: $(du -k "$E"/*.bel | cut -f1) KiB" >> "$META"

sceau after "$N"

[ "${KEEP:-0}" = 1 ] || rm -rf "$E"
table "$OUT" | tee "$OUT/table.md"
echo "raw figures in $OUT" >&2
