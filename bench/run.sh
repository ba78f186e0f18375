#!/usr/bin/env bash
# Whole-process timings of folio against whatever other readers are installed, side by side in
# one run. Prints a table of medians and ratios (and writes it to bench/out/results.md).
#
#   bash bench/run.sh            # 10k library, 100 KB and 2 MB documents
#   BIG=1 bash bench/run.sh      # also the 100k library (generates ~400 MB)
#
# Peers are optional: mdcat (cargo install mdcat), python3 -m rich.markdown (pip install rich),
# and cat as the floor. hyperfine (Debian: hyperfine) does the timing, /usr/bin/time (Debian:
# time) the peak memory. Whatever is missing is reported and left out.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
corpus=$out/corpus
mkdir -p "$out"

command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)"; exit 1; }
gen=../shared/bench/gen_corpus.py
if [ ! -f "$corpus/big.md" ] || { [ -n "${BIG:-}" ] && [ ! -d "$corpus/lib100k" ]; }; then
  echo "generating corpus in $corpus"
  python3 "$gen" "$corpus" ${BIG:+--big-lib}
fi

cargo build --release --quiet
folio=target/release/folio
width=100
runs=${RUNS:-10}

mdcat=$(command -v mdcat || true)
[ -z "$mdcat" ] && [ -x /opt/peers/bin/mdcat ] && mdcat=/opt/peers/bin/mdcat
rich=""
python3 -c "import rich" 2>/dev/null && rich="python3 -m rich.markdown"

json=$out/json
mkdir -p "$json"
rm -f "$json"/*.json

# bench NAME CMD... : one hyperfine run per command, exported for the table.
bench() {
  local name=$1; shift
  hyperfine --style none --warmup 2 --runs "$runs" -N --export-json "$json/$name.json" "$@" >/dev/null 2>&1 \
    || hyperfine --style none --warmup 2 --runs "$runs" --export-json "$json/$name.json" "$@" >/dev/null
}

for doc in medium big; do
  f=$corpus/$doc.md
  cmds=("$folio print $f --width $width --color always" "cat $f")
  [ -n "$mdcat" ] && cmds+=("$mdcat --ansi --columns $width $f")
  [ -n "$rich" ] && cmds+=("$rich -c -w $width $f")
  bench "print-$doc" "${cmds[@]}"
done

# The same print against mdcat, interleaved round by round (bench/pair.py): on a machine whose
# speed drifts, the per-round ratio holds still where hyperfine's batches do not.
pairline=""
if [ -n "$mdcat" ]; then
  for doc in medium big; do
    f=$corpus/$doc.md
    rounds=${PAIR_ROUNDS:-100}
    [ "$doc" = big ] && rounds=$(( (rounds + 4) / 5 ))
    p=$(python3 bench/pair.py "$rounds" "folio=$folio print $f --width $width --color always" \
          "mdcat=$mdcat --ansi --columns $width $f" | sed -n 1p)
    pairline="$pairline print $doc.md, $p;"
  done
fi

# `folio list` with its cache in a folder of its own: cold (the cache deleted before each run,
# against cat of the files) and warm (against find, which only lists them).
list_cache="$PWD/$out/list-cache"
list="env XDG_CACHE_HOME=$list_cache $folio list"
bench list-10k --prepare "rm -rf $list_cache" "$list $corpus/lib10k" "sh -c 'cat $corpus/lib10k/*.md'"
bench list-10k-warm "$list $corpus/lib10k" "find $corpus/lib10k -name '*.md'"
if [ -d "$corpus/lib100k" ]; then
  bench list-100k --prepare "rm -rf $list_cache" "$list $corpus/lib100k" \
    "sh -c 'find $corpus/lib100k -name \"*.md\" -exec cat {} +'"
  bench list-100k-warm "$list $corpus/lib100k" "find $corpus/lib100k -name '*.md'"
fi

# Full-text search (`folio search`), with its index in a cache folder of its own: built from
# scratch, then a query with nothing changed beside `find` (which only lists the files), then
# with one file changed.
cache="$PWD/$out/search-cache"
search="env XDG_CACHE_HOME=$cache $folio search"
one=$(ls "$corpus/lib10k" | sed -n 1p)  # sed reads it all: no SIGPIPE under pipefail
runs_all=$runs; runs=3
bench search-index-10k --prepare "rm -rf $cache" "$search trait $corpus/lib10k"
runs=$runs_all
bench search-10k "$search 'async trait' $corpus/lib10k" "find $corpus/lib10k -name '*.md'"
bench search-10k-one-changed --prepare "touch $corpus/lib10k/$one" \
  "$search 'async trait' $corpus/lib10k"
if [ -d "$corpus/lib100k" ]; then
  bench search-100k "$search 'async trait' $corpus/lib100k" "find $corpus/lib100k -name '*.md'"
fi

# Peak memory (max resident set) of single runs.
mem() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1; }
memline=""
if [ -x /usr/bin/time ]; then
  memline="folio print big.md: $(mem $folio print "$corpus/big.md" --width $width --color always) KB"
  memline="$memline; folio list lib10k: $(mem $folio list "$corpus/lib10k") KB"
  [ -d "$corpus/lib100k" ] && memline="$memline; folio list lib100k: $(mem $folio list "$corpus/lib100k") KB"
  [ -n "$mdcat" ] && memline="$memline; mdcat big.md: $(mem "$mdcat" --ansi --columns $width "$corpus/big.md") KB"
fi

# First screen in tmux at 120x40 against less (../shared/bench/tui_first_frame.sh: a fresh
# tmux server per run, until the article's second heading shows; median of 5), and the
# reader's peak memory 3 s after opening big.md. folio runs with a private state folder.
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
fenv="env HOME=$state XDG_STATE_HOME=$state/s XDG_CACHE_HOME=$state/c XDG_CONFIG_HOME=$state/cfg"
ttff=../shared/bench/tui_first_frame.sh
screenline=""
if command -v tmux >/dev/null && [ -f "$ttff" ]; then
  for doc in medium big; do
    f=$PWD/$corpus/$doc.md
    # The second heading of the article, as the reader shows it.
    second=$(grep -m2 '^#' "$f" | tail -n 1 | sed 's/^#* *//')
    a=$(bash "$ttff" -n 5 "$second" "$fenv $PWD/$folio $f" | sed -n 's/^median: \([0-9]*\) ms.*/\1/p')
    b=$(bash "$ttff" -n 5 "$second" "less $f" | sed -n 's/^median: \([0-9]*\) ms.*/\1/p')
    screenline="$screenline first screen $doc.md: folio $a ms, less $b ms;"
  done
  sock="reader-mem-$$"
  tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 40 "$fenv $PWD/$folio $PWD/$corpus/big.md"
  sleep 3
  pid=$(tmux -L "$sock" display-message -p '#{pane_pid}')
  hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  tmux -L "$sock" kill-server
  screenline="$screenline reader holding big.md (3 s after opening): peak $hwm KB, now $rss KB"
fi

python3 - "$json" "$memline" "$screenline" "$pairline" <<'PY' | tee "$out/results.md"
import json, os, sys
folder, memline, screenline, pairline = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
print("| work | command | median (ms) | ratio to folio |")
print("|---|---|---:|---:|")
for name in sorted(os.listdir(folder)):
    results = json.load(open(os.path.join(folder, name)))["results"]
    base = results[0]["median"]
    for r in results:
        cmd = r["command"].replace("bench/out/corpus/", "")
        print(f"| {name[:-5]} | `{cmd}` | {r['median'] * 1000:.1f} | {r['median'] / base:.2f} |")
if pairline:
    print()
    print(f"Interleaved against mdcat:{pairline}")
if memline:
    print()
    print(f"Peak memory (max RSS): {memline}")
if screenline:
    print()
    print(f"Interactive:{screenline}")
PY
