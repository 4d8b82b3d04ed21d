#!/bin/sh
# Benchmark (issue 15): packaging a tree of Debian's Python packages
# (/usr/lib/python3/dist-packages, or BENCH_TREE) with dlc's packer, on
# every core and on one (DLC_PACK_THREADS=1, the same bytes), against
# Info-ZIP's `zip -qrX` of the same tree; and `dlc build --all` with
# nothing changed on a copy of functions/. Wall time by hyperfine; CPU
# time (user+sys) from its export; peak RSS from GNU time. The packer is
# run as the hidden command a build runs (`dlc __pack SRC OUT TMPDIR`),
# so no build command or staging copy is in the figure. Prints a Markdown
# section for RESULTS.md.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
for DLC in "${BENCH_DLC:-}" "$top/build/dlc" "$top/build-check/dlc" "$top/dlc"; do
	[ -n "$DLC" ] && [ -x "$DLC" ] && break
done
[ -x "$DLC" ] || { echo "build dlc first (sh scripts/test.sh)"; exit 1; }
runs=${BENCH_RUNS:-5}
tree=${BENCH_TREE:-/usr/lib/python3/dist-packages}
work=$(mktemp -d "${TMPDIR:-/tmp}/dlc-bench-build.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# About 7,000 files and 100 MB at least: a few more Python packages if the
# machine has fewer (apt-get, as scripts/install-deps.sh does).
files=$(find "$tree" -type f | wc -l)
bytes=$(du -sb "$tree" | cut -f1)
if [ "$files" -lt 7000 ] || [ "$bytes" -lt 100000000 ]; then
	apt-get install -y -q python3-numpy python3-scipy python3-pandas python3-matplotlib \
		python3-sympy python3-botocore >/dev/null
	files=$(find "$tree" -type f | wc -l)
	bytes=$(du -sb "$tree" | cut -f1)
fi

mkdir "$work/t"
# Rounds alternate the three commands, so a neighbour's load on this shared
# machine falls on all of them alike; GNU time gives wall, CPU and peak RSS.
one() {	# LABEL CMD...: one timed run, a line "LABEL wall user sys maxrss"
	label=$1; shift
	rm -f "$work/dlc.zip" "$work/zip.zip"
	/usr/bin/time -f "$label %e %U %S %M" -a -o "$work/times" "$@" >/dev/null
}
: >"$work/times"
for i in $(seq 0 "$runs"); do	# round 0 warms the page cache; dropped below
	one dlc "$DLC" __pack "$tree" "$work/dlc.zip" "$work/t"
	one dlc1 env DLC_PACK_THREADS=1 "$DLC" __pack "$tree" "$work/dlc.zip" "$work/t"
	one zip sh -c "cd $tree && exec zip -qrX $work/zip.zip ."
done
"$DLC" __pack "$tree" "$work/dlc.zip" "$work/t" >/dev/null
DLC_PACK_THREADS=1 "$DLC" __pack "$tree" "$work/one.zip" "$work/t" >/dev/null
(cd "$tree" && zip -qrX "$work/zip.zip" .)
size_dlc=$(stat -c %s "$work/dlc.zip")
size_zip=$(stat -c %s "$work/zip.zip")
cmp "$work/dlc.zip" "$work/one.zip"
python3 -m zipfile -t "$work/dlc.zip" >/dev/null
unzip -tq "$work/dlc.zip" >/dev/null

# dlc build --all with nothing changed, on a copy of the repository's functions.
mkdir -p "$work/repo"
cp -R "$top/functions" "$work/repo/functions"
printf '[dlc]\nfunctions = functions\n' >"$work/repo/dlc.ini"
PATH="$top/tests/e2e/standin/bin:$PATH" PYTHONPATH="$top/tests/e2e/standin/py" \
	"$DLC" --config "$work/repo/dlc.ini" build --all >/dev/null 2>&1
hyperfine --warmup 3 --runs 30 --export-json "$work/all.json" -N \
	"$DLC --config $work/repo/dlc.ini build --all" >"$work/all.txt"
unchanged=$("$DLC" --config "$work/repo/dlc.ini" build --all | grep -c ' unchanged ')
mem_all=$(/usr/bin/time -f %M "$DLC" --config "$work/repo/dlc.ini" build --all 2>&1 >/dev/null | tail -1)

python3 - "$work/times" "$work/all.json" "$files" "$bytes" "$size_dlc" "$size_zip" \
	"$mem_all" "$unchanged" "$(nproc)" "$tree" <<'PY'
import json, statistics, sys
runs = {}
for n, line in enumerate(open(sys.argv[1])):
    label, wall, user, sys_, rss = line.split()
    runs.setdefault(label, []).append((float(wall), float(user) + float(sys_), int(rss)))
runs = {k: v[1:] for k, v in runs.items()}	# round 0 warmed the cache
a = json.load(open(sys.argv[2]))["results"][0]
files, nbytes, sd, sz, ma, unchanged = (int(x) for x in sys.argv[3:9])
cores, tree = sys.argv[9], sys.argv[10]
med = lambda k, i: statistics.median(r[i] for r in runs[k])
d, one, z = "dlc", "dlc1", "zip"
print("### Packaging %s (%d files, %.0f MB), %s cores, %d alternating rounds\n" % (
    tree, files, nbytes / 1e6, cores, len(runs[d])))
print("| median | dlc packer (every core) | dlc packer, 1 thread | zip -qrX | dlc / zip |")
print("|---|---|---|---|---|")
print("| wall | %.2f s | %.2f s | %.2f s | **%.2fx** (1 thread: %.2fx) |" % (
    med(d, 0), med(one, 0), med(z, 0), med(d, 0) / med(z, 0), med(one, 0) / med(z, 0)))
print("| CPU (user+sys) | %.2f s | %.2f s | %.2f s | %.2fx |" % (
    med(d, 1), med(one, 1), med(z, 1), med(d, 1) / med(z, 1)))
print("| peak RSS | %.1f MiB | %.1f MiB | %.1f MiB | |" % (
    med(d, 2) / 1024, med(one, 2) / 1024, med(z, 2) / 1024))
print("| zip size | %.1f MB | (same bytes) | %.1f MB | %.3fx |" % (sd / 1e6, sz / 1e6, sd / sz))
print("\nwall of every round (s): dlc %s; 1 thread %s; zip %s" % tuple(
    " ".join("%.2f" % r[0] for r in runs[k]) for k in (d, one, z)))
cpu = lambda x: x["user"] + x["system"]
print()
print("### dlc build --all, nothing changed (%d functions and layers)\n" % unchanged)
print("| wall, mean ± sd | min | CPU (user+sys) | peak RSS |")
print("|---|---|---|---|")
print("| %.1f ms ± %.1f | %.1f ms | %.1f ms | %.1f MiB |" % (
    a["mean"] * 1e3, a["stddev"] * 1e3, a["min"] * 1e3, cpu(a) * 1e3, ma / 1024))
PY
