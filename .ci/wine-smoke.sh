#!/usr/bin/env bash
# Smoke test of cunjing.exe under Debian's Wine and Xvfb (make windows-smoke):
# the CLI creates a demo post and reads it back, then the window opens on it
# and a screenshot is taken (docs/img/windows-wine.png).
set -euo pipefail
cd "$(dirname "$0")/.."
exe=${1:-cunjing.exe}
prefix=$(mktemp -d)
trap 'WINEPREFIX=$prefix /usr/lib/wine/wineserver -k 2>/dev/null || true; rm -rf "$prefix"' EXIT
export WINEPREFIX=$prefix WINEDEBUG=-all
wine=/usr/lib/wine/wine64
xvfb-run -a "$wine" wineboot --init >/dev/null 2>&1 || true
# Debian 12's Wine 8.0 has no bcryptprimitives.dll, which every Go >= 1.22
# program loads at start (real Windows 10/11 has it): a tiny test-only shim.
x86_64-w64-mingw32-gcc -shared -o "$prefix/drive_c/windows/system32/bcryptprimitives.dll" .ci/wine/bcryptprimitives.c -ladvapi32
# Wine has no Chinese font; a Windows PC has SimHei/Microsoft YaHei. Give
# it one under its own name, so the test shows the font search at work.
cp /usr/share/fonts/truetype/wqy/wqy-microhei.ttc "$prefix/drive_c/windows/Fonts/"
db="$prefix/drive_c/post.db"
xvfb-run -a "$wine" "$exe" demo --db 'C:\post.db' --houses 40 >/dev/null 2>&1
test -s "$db" || { echo "wine: demo database was not created"; exit 1; }
xvfb-run -a "$wine" "$exe" info --db 'C:\post.db' --json > "$prefix/info.json" 2>/dev/null || true
cat > "$prefix/shot.sh" <<SH
#!/bin/bash
"$wine" "$PWD/$exe" --db 'C:\post.db' >/dev/null 2>&1 &
sleep 25
import -window root -crop 1290x730+0+0 +repage png:docs/img/windows-wine.png
SH
chmod +x "$prefix/shot.sh"
xvfb-run -a -s "-screen 0 1366x768x24" "$prefix/shot.sh"
echo "wine smoke test: demo post created ($(stat -c %s "$db") bytes), window screenshot in docs/img/windows-wine.png"
