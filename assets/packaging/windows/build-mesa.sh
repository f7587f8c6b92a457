#!/usr/bin/env bash
# build-mesa.sh CACHE — Mesa's software OpenGL for Windows (opengl32.dll and
# libgallium_wgl.dll: the Gallium WGL target with softpipe), cross-built
# from Debian 12's own mesa source package with Debian's mingw-w64 and
# meson, offline: no meson wrap is downloaded (zlib, zstd and the shader
# cache are off; the Windows build needs no expat). Debian has no LLVM for
# mingw, so llvmpipe cannot be built: softpipe it is (slower, OpenGL 3.3).
#
# Cached: CACHE/out holds the stripped DLLs and VERSION; a second run costs
# nothing. A cold build compiles ~900 files (about an hour on two busy
# cores): make mesa-windows runs it nice'd.
set -euo pipefail
cache=$1
here=$(cd "$(dirname "$0")" && pwd)
out=$cache/out
if [ -f "$out/opengl32.dll" ] && [ -f "$out/libgallium_wgl.dll" ]; then
	echo "mesa-windows: cached in $out ($(cat "$out/VERSION"))"
	exit 0
fi
# Debian's python3 has mako; a python earlier on PATH (pyenv) may not.
export PATH=/usr/bin:/bin:$PATH
mkdir -p "$cache"
cd "$cache"
if [ ! -d src ]; then
	apt-get source --download-only mesa
	dpkg-source -x --skip-patches mesa_*.dsc src
fi
# The first build of this configuration was made as build-probe (the
# spike); meson keeps absolute paths, so it is used where it is.
if [ ! -e build ] && [ -f build-probe/build.ninja ]; then
	ln -s build-probe build
fi
if [ ! -f build/build.ninja ]; then
	rm -rf build
	meson setup build src --cross-file "$here/mesa-cross-mingw64.ini" --wrap-mode=nodownload \
		--buildtype=release -Db_ndebug=true \
		-Dplatforms=windows -Dgallium-drivers=swrast -Dvulkan-drivers= -Dllvm=disabled \
		-Dshared-glapi=disabled -Dgles1=disabled -Dgles2=disabled -Degl=disabled -Dgbm=disabled -Dglx=disabled \
		-Dzlib=disabled -Dzstd=disabled -Dshader-cache=disabled -Dbuild-tests=false \
		-Dvalgrind=disabled -Dlibunwind=disabled -Dlmsensors=disabled
fi
ninja -C build src/gallium/targets/libgl-gdi/opengl32.dll src/gallium/targets/wgl/libgallium_wgl.dll
mkdir -p "$out"
for d in src/gallium/targets/libgl-gdi/opengl32.dll src/gallium/targets/wgl/libgallium_wgl.dll; do
	x86_64-w64-mingw32-strip -o "$out/$(basename "$d")" "build/$d"
done
echo "Mesa $(cat src/VERSION) softpipe (Debian $(dpkg-parsechangelog -l src/debian/changelog -S Version))" > "$out/VERSION"
echo "mesa-windows: $out: $(cat "$out/VERSION")"
x86_64-w64-mingw32-objdump -p "$out/opengl32.dll" "$out/libgallium_wgl.dll" | sed -n 's/^\tDLL Name: /  needs /p' | sort -u
