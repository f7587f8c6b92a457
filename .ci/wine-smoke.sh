#!/usr/bin/env bash
# Smoke test of cunjing.exe under Debian's Wine and Xvfb (make windows-smoke):
# the CLI creates a demo post and reads it back, then the window opens on it
# and a screenshot is taken (docs/img/windows-wine.png). With an installer
# (make windows-smoke passes bin/cunjing-setup.exe): it refuses Windows 7,
# installs silently per user on Windows 10 (program, shortcuts, file types),
# the installed program runs, and the silent uninstall removes the program
# but leaves the data folder.
set -euo pipefail
cd "$(dirname "$0")/.."
exe=${1:-cunjing.exe}
setup=${2:-}
prefix=$(mktemp -d)
trap 'WINEPREFIX=$prefix /usr/lib/wine/wineserver -k 2>/dev/null || true; rm -rf "$prefix"' EXIT
# winemenubuilder would turn Start-menu shortcuts into ~/.local .desktop files.
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES=winemenubuilder.exe=d
wine=/usr/lib/wine/wine64
xvfb-run -a "$wine" wineboot --init >/dev/null 2>&1 || true
# Wine links the user's Desktop and Documents to $HOME: make them folders of
# the prefix, so shortcuts land (and are checked) there, not in ~.
user=$prefix/drive_c/users/$(id -un)
for d in Desktop Documents Downloads Music Pictures Videos; do
	if [ -L "$user/$d" ]; then rm "$user/$d" && mkdir "$user/$d"; fi
done
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
# Backups on Windows: the folder's lock (LockFileEx on .cunjing-backup.lock)
# is let go and its file removed after each backup, and rotation keeps
# the newest two; the folder then holds the two backups and nothing else.
for i in 1 2 3; do
	xvfb-run -a "$wine" "$exe" backup --db 'C:\post.db' --to 'C:\stick' --keep 2 --plaintext >"$prefix/backup.log" 2>&1 ||
		{ echo "wine: backup $i failed:"; cat "$prefix/backup.log"; exit 1; }
done
left=$(ls -A "$prefix/drive_c/stick")
[ "$(echo "$left" | grep -c '^cunjing-backup-.*\.db$')" = 2 ] && [ "$(echo "$left" | wc -l)" = 2 ] ||
	{ echo "wine: the backup folder holds:"; echo "$left"; exit 1; }
cat > "$prefix/shot.sh" <<SH
#!/bin/bash
"$wine" "$PWD/$exe" --db 'C:\post.db' >/dev/null 2>&1 &
sleep 25
import -window root -crop 1290x730+0+0 +repage png:docs/img/windows-wine.png
SH
chmod +x "$prefix/shot.sh"
xvfb-run -a -s "-screen 0 1366x768x24" "$prefix/shot.sh"
if [ -n "$setup" ]; then
	winuser='C:\users\'$(id -un)
	inst=$user/AppData/Local/Programs/cunjing
	data=$user/AppData/Local/cunjing
	# Debian's Wine 8.0 prefix says it is Windows 7: the installer refuses.
	rc=0; xvfb-run -a "$wine" "$setup" /S >/dev/null 2>&1 || rc=$?
	/usr/lib/wine/wineserver -w
	[ "$rc" = 2 ] || { echo "installer on Windows 7: exit $rc, want 2 (refused)"; exit 1; }
	[ ! -e "$inst" ] || { echo "installer on Windows 7 installed something"; exit 1; }
	"$wine" winecfg -v win10
	rc=0; xvfb-run -a "$wine" "$setup" /S >/dev/null 2>&1 || rc=$?
	/usr/lib/wine/wineserver -w
	[ "$rc" = 0 ] || { echo "installer: exit $rc"; exit 1; }
	for f in "$inst/cunjing.exe" "$inst/uninstall.exe" "$user/Desktop/村警通.lnk" \
		"$user/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/村警通.lnk"; do
		[ -s "$f" ] || { echo "installer: missing $f"; exit 1; }
	done
	for ext in .cjbak:cunjing.backup .cjpair:cunjing.pairing; do
		"$wine" reg query "HKCU\\Software\\Classes\\${ext%%:*}" 2>/dev/null | grep -q "${ext#*:}" ||
			{ echo "installer: no file type ${ext%%:*}"; exit 1; }
	done
	"$wine" reg query 'HKCU\Software\Classes\cunjing.backup\shell\open\command' 2>/dev/null |
		grep -qF 'AppData\Local\Programs\cunjing\cunjing.exe" "%1"' || { echo "installer: .cjbak does not open cunjing.exe FILE"; exit 1; }
	# The installed program makes a post in the data folder.
	mkdir -p "$data"
	"$wine" "$winuser\AppData\Local\Programs\cunjing\cunjing.exe" demo --db "$winuser\AppData\Local\cunjing\cunjing.db" --houses 20 >"$prefix/installed-demo.log" 2>&1 || { echo "installed program failed:"; cat "$prefix/installed-demo.log"; exit 1; }
	[ -s "$data/cunjing.db" ] || { echo "installed program: no database"; exit 1; }
	# The software renderer (when the installer carries it, make
	# mesa-windows): on an X server without GLX, Wine's own OpenGL cannot
	# make a context, as on a PC without a usable driver. cunjing.exe's
	# OpenGL check then fails with GLFW's WGL error and it starts its copy
	# in software\, beside Mesa's opengl32.dll, which draws the window.
	# (opengl32=n,b: Wine loads a program's own opengl32.dll, as Windows
	# does, and its built-in one where there is none.)
	if [ -f "$inst/software/opengl32.dll" ]; then
		[ -s "$inst/software/cunjing.exe" ] && [ -s "$user/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/村警通（兼容模式）.lnk" ] ||
			{ echo "installer: software renderer incomplete"; exit 1; }
		cat > "$prefix/nogl.sh" <<SH
#!/bin/bash
WINEDLLOVERRIDES="winemenubuilder.exe=d;opengl32=n,b" WINEDEBUG=+loaddll "$wine" "$winuser\\AppData\\Local\\Programs\\cunjing\\cunjing.exe" --db 'C:\post.db' > "$prefix/sw.log" 2>&1 &
sleep 50
import -window root -crop 1290x730+0+0 +repage png:"$prefix/sw.png"
SH
		chmod +x "$prefix/nogl.sh"
		xvfb-run -a -s "-screen 0 1366x768x24 -extension GLX" "$prefix/nogl.sh" || true
		/usr/lib/wine/wineserver -k || true
		grep -q 'PlatformError: WGL' "$prefix/sw.log" || { echo "no GLX: the OpenGL check did not meet the WGL error:"; grep -v trace: "$prefix/sw.log" | head -5; exit 1; }
		grep -q 'cunjing: starting .*software.cunjing.exe' "$prefix/sw.log" || { echo "no GLX: the software renderer was not started"; exit 1; }
		grep -qi 'software\\\\opengl32.dll.*native' "$prefix/sw.log" || { echo "software\\cunjing.exe did not load Mesa's opengl32.dll"; exit 1; }
		bright=$(convert "$prefix/sw.png" -colorspace gray -format '%[fx:int(100*mean)]' info:)
		[ "$bright" -gt 50 ] || { echo "software renderer: the window was not drawn (mean brightness $bright%)"; exit 1; }
		cp "$prefix/sw.png" /tmp/cunjing-wine-softpipe.png
		echo "wine software renderer: without GLX, cunjing.exe meets the WGL error and starts software\\cunjing.exe, which draws with Mesa softpipe (/tmp/cunjing-wine-softpipe.png)"
	fi
	sum=$(sha256sum < "$data/cunjing.db")
	"$wine" "$winuser\AppData\Local\Programs\cunjing\uninstall.exe" /S
	/usr/lib/wine/wineserver -w
	[ ! -e "$inst" ] || { echo "uninstaller left $inst"; ls -la "$inst"; exit 1; }
	[ ! -e "$user/Desktop/村警通.lnk" ] || { echo "uninstaller left the desktop shortcut"; exit 1; }
	[ -z "$(find "$user/AppData/Roaming/Microsoft/Windows/Start Menu" -name '村警通*')" ] || { echo "uninstaller left a Start-menu shortcut"; exit 1; }
	if "$wine" reg query 'HKCU\Software\Classes\.cjbak' >/dev/null 2>&1; then echo "uninstaller left .cjbak"; exit 1; fi
	[ "$(sha256sum < "$data/cunjing.db")" = "$sum" ] || { echo "uninstaller touched the database"; exit 1; }
	echo "wine installer test: refused on Windows 7; installed per user with shortcuts and file types; uninstalled, data folder kept"
fi
echo "wine smoke test: demo post created ($(stat -c %s "$db") bytes), window screenshot in docs/img/windows-wine.png"
