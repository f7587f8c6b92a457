#!/usr/bin/env bash
# build-deb.sh ARCH BINARY OUTDIR — packs a built cunjing binary as
# OUTDIR/cunjing_<version>_<ARCH>.deb for Debian-family desktops (UOS,
# Kylin, Debian, Ubuntu). Version from FyneApp.toml; dependencies of the
# binary from dpkg-shlibdeps (so the arm64 one names arm64 libraries);
# a CJK font (glyf TrueType, which the PDFs need) and Mesa's DRI drivers
# (llvmpipe, the software fallback) declared by hand. make deb runs it.
set -euo pipefail
arch=$1 bin=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' "$top/FyneApp.toml")
website=$(sed -n 's/^Website *= *"\(.*\)"/\1/p' "$top/FyneApp.toml")
# Reproducible: every date and mtime is the last commit's.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
install -D -m755 "$bin" "$root/usr/bin/cunjing"
install -D -m644 "$here/cn.cunjing.app.desktop" "$root/usr/share/applications/cn.cunjing.app.desktop"
install -D -m644 "$here/cunjing-mime.xml" "$root/usr/share/mime/packages/cunjing.xml"
for s in 48 64 128 256 512; do
	mkdir -p "$root/usr/share/icons/hicolor/${s}x$s/apps"
	convert "$top/assets/icon.png" -resize "${s}x$s" -depth 8 -strip "$root/usr/share/icons/hicolor/${s}x$s/apps/cn.cunjing.app.png"
done
doc=$root/usr/share/doc/cunjing
install -D -m644 "$here/copyright" "$doc/copyright"
gzip -9n -c "$top/docs/guide.md" > "$doc/guide.md.gz"
{
	echo "cunjing ($version) unstable; urgency=medium"
	echo
	echo "  * Release $version; the changes are in the project's git history."
	echo
	echo " -- cunjing authors <cunjing@cunjing.invalid>  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$doc/changelog.gz"
install -d "$root/usr/share/man/man1"
gzip -9n -c "$here/cunjing.1" > "$root/usr/share/man/man1/cunjing.1.gz"
find "$root" -type d -exec chmod 755 {} +
find "$root/usr/share" -type f -exec chmod 644 {} +

# Shared-library dependencies of the binary, for its own architecture.
mkdir -p "$work/debian"
printf 'Source: cunjing\n\nPackage: cunjing\nArchitecture: any\n' > "$work/debian/control"
shlibs=$(cd "$work" && dpkg-shlibdeps -O -e"$root/usr/bin/cunjing" 2>"$work/shlibdeps.err" | sed -n 's/^shlibs:Depends=//p') || {
	cat "$work/shlibdeps.err" >&2
	exit 1
}

mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: cunjing
Version: $version
Architecture: $arch
Maintainer: cunjing authors <cunjing@cunjing.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $shlibs, fonts-wqy-microhei | fonts-wqy-zenhei | fonts-arphic-uming | fonts-arphic-ukai
Recommends: libgl1-mesa-dri
Section: misc
Priority: optional
Homepage: $website
Description: village police post desktop app (村警通)
 Cunjing keeps a Chinese village police post's house maps with house
 numbers and fire-engine routes, households and residents, patrol rosters
 with lunar market days, and cost-of-fighting warning boards in one local
 SQLite file, prints them as PDF, and syncs them with the township police
 station peer to peer or by USB stick. The interface is Simplified Chinese
 (English available).
 .
 The database is kept in the user's config folder (~/.config/cunjing).
CONTROL
(cd "$root" && find usr -type f | LC_ALL=C sort | xargs md5sum) > "$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$out"
deb=$out/cunjing_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
