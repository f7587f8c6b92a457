#!/usr/bin/env bash
# make cross-check: the arm64 build of cunjing (for 飞腾/鲲鹏 PCs running UOS
# or Kylin) run under qemu-aarch64-static and compared with the amd64 build
# on the same work: a demo post made by each (info), one database read by
# both (dump), the same fire-engine route, and the same board PDF (its text
# and its pages drawn at 20 dpi).
set -euo pipefail
amd=$1 arm=$2
qemu=$(command -v qemu-aarch64-static) || { echo "cross-check: qemu-aarch64-static missing (apt-get install qemu-user-static)"; exit 1; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
export XDG_CONFIG_HOME=$w/config XDG_CACHE_HOME=$w/cache
a() { "$amd" "$@"; }
b() { "$qemu" "$arm" "$@"; }
fail=0
same() { # same WHAT FILE_A FILE_B
	if cmp -s "$2" "$3"; then echo "same  $1"; else echo "DIFF  $1"; diff "$2" "$3" | head -20; fail=1; fi
}

file "$arm" | grep -q 'ARM aarch64' || { echo "cross-check: $arm is not an arm64 binary"; exit 1; }
b version --json > "$w/version.arm"
grep -q '"arch": "arm64"' "$w/version.arm" || { echo "cross-check: the arm64 binary reports:"; cat "$w/version.arm"; exit 1; }
a version --json | sed 's/"amd64"/"ARCH"/' > "$w/version.a"
sed 's/"arm64"/"ARCH"/' "$w/version.arm" > "$w/version.b"
same "version --json (arch aside)" "$w/version.a" "$w/version.b"

# Each makes the same demo post; device keys are random, so compare what
# does not name the device.
a demo --db "$w/a.db" --seed 7 --today 2026-11-24 --houses 120 > /dev/null
b demo --db "$w/b.db" --seed 7 --today 2026-11-24 --houses 120 > /dev/null
a info --db "$w/a.db" --json | grep -v '"device_id"' > "$w/info.a"
b info --db "$w/b.db" --json | grep -v '"device_id"' > "$w/info.b"
same "demo → info --json (device_id aside)" "$w/info.a" "$w/info.b"

# Both read the one database made on amd64.
a dump --db "$w/a.db" > "$w/dump.a"
b dump --db "$w/a.db" > "$w/dump.b"
same "dump of one database ($(wc -l < "$w/dump.a") lines)" "$w/dump.a" "$w/dump.b"
# (sed quits at the first match: `| head -1` would kill it with SIGPIPE
# under pipefail.)
village=$(sed -n 's/^villages\t[^\t]*\tname\t"\(.*\)"\t.*/\1/p;T;q' "$w/dump.a")
for house in 2 17 58; do
	a route --db "$w/a.db" --village "$village" --to "$house" --json > "$w/route.a"
	b route --db "$w/a.db" --village "$village" --to "$house" --json > "$w/route.b"
	same "route to $village $house ($(grep -c . "$w/route.a") lines)" "$w/route.a" "$w/route.b"
done
venue=$(sed -n 's/^venues\t\([^\t]*\)\t.*/\1/p;T;q' "$w/dump.a")
cp "$w/a.db" "$w/a2.db" # printing notes the print in the database
a print board --db "$w/a.db" --venue "$venue" --size a3 --out "$w/board.a.pdf" --quiet
b print board --db "$w/a2.db" --venue "$venue" --size a3 --out "$w/board.b.pdf" --quiet
pdftotext -layout "$w/board.a.pdf" "$w/board.a.txt"
pdftotext -layout "$w/board.b.pdf" "$w/board.b.txt"
same "print board (A3, PDF text, $(wc -c < "$w/board.a.txt") bytes)" "$w/board.a.txt" "$w/board.b.txt"
pdftoppm -r 20 -png -singlefile "$w/board.a.pdf" "$w/board.a"
pdftoppm -r 20 -png -singlefile "$w/board.b.pdf" "$w/board.b"
same "print board (A3, page drawn at 20 dpi)" "$w/board.a.png" "$w/board.b.png"
if [ "$fail" = 0 ]; then echo "cross-check: arm64 under qemu matches amd64"; else echo "cross-check: FAILED"; fi
exit $fail
