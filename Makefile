# cunjing — two commands on a fresh Debian 12 machine (as root):
#   make run    installs what is missing, builds, opens the app on a demo post
#   make test   installs what is missing, checks formatting, vet, staticcheck, runs every test,
#               then the date-sensitive tests at a spread of fixed dates (datecheck);
#               under 10 minutes on 2 cores from a cold build cache: 6 min 36 s (642 CPU-s) at the end of
#               session 23 on its machine; 10 min 6 s on session 19's slower one; CI took 4 min 35 s for
#               session 22's code (docs/BENCHMARKS.md)
#   make race   the packages with goroutines (sync, store, the window) under -race
SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(HOME)/go/bin:$(PATH)
# FTS5 (resident name search) is not in go-sqlite3 by default.
export GOFLAGS := -tags=sqlite_fts5
export LANG := zh_CN.UTF-8

APT_PKGS := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev xvfb xauth imagemagick poppler-utils \
	fonts-wqy-microhei fonts-droid-fallback fonts-dejavu-core gcc-mingw-w64-x86-64 syncthing syncthing-discosrv syncthing-relaysrv gdal-bin
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
DEMO_DB ?= $(HOME)/.config/cunjing/cunjing.db
BIN := bin/cunjing

.PHONY: bench-softpipe county-screenshots mesa-windows deb deps-arm64 linux-amd64 linux-arm64 cross-check windows-installer all deps build run test check unit race datecheck bench train-digits demo windows windows-smoke headless fuzz crashtest screenshots goldens clean

all: build

# deps installs only what is missing, so a second run costs nothing.
# installed: is package $$p installed (for any architecture: `dpkg -s` refuses
# a name installed for both amd64 and arm64, as make deb's cross-build does).
installed = dpkg-query -W -f '$${db:Status-Status}\n' $$p 2>/dev/null | grep -qx installed
deps:
	@command -v go >/dev/null || { echo "Go 1.26+ is required at /usr/local/go (https://go.dev/dl); Debian 12's golang is too old"; exit 1; }
	@missing=$$(for p in $(APT_PKGS); do $(installed) || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		if [ "$$(id -u)" != 0 ]; then SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@go mod download

build: deps
	go build -o $(BIN) .

# run: opens the window on the demo post, creating it on first run. With
# no display (a server, CI) it starts a virtual one so the command still works.
run: build
	@if [ ! -f "$(DEMO_DB)" ]; then mkdir -p "$$(dirname "$(DEMO_DB)")" && $(BIN) demo --db "$(DEMO_DB)"; fi
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
		echo "no display: running under Xvfb (xvfb-run)"; \
		xvfb-run -a -s "-screen 0 1366x768x24" $(BIN) --db "$(DEMO_DB)"; \
	else \
		$(BIN) --db "$(DEMO_DB)"; \
	fi

test: deps check unit datecheck

# The test targets build with Fyne's own `ci` tag: fyne.io/fyne/v2/app then
# uses its software driver, so the OpenGL and GLFW bindings (go-gl), D-Bus,
# the tray and the desktop portal are not compiled at all. go-gl's cgo
# bindings alone cost 157 CPU-seconds from cold at any -O level (measured in
# docs/BENCHMARKS.md): a fresh clone's make test spent a sixth of its time
# on code no test runs (the window's tests use fyne.io/fyne/v2/test). Every
# file of cunjing compiles the same under both tags: vet and staticcheck
# still check all of it; `make build` compiles the GL driver.
# C (SQLite) is compiled at -O1 without debug info: 22 CPU-seconds against
# 63 at Go's default -O2 -g. Builds for users (build, run, windows) keep -O2.
TEST_CGO_CFLAGS := -O1 -g0
check unit race datecheck: export CGO_CFLAGS := $(TEST_CGO_CFLAGS)
check unit race datecheck: export GOFLAGS := -tags=sqlite_fts5,ci

check:
	@fmt=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$fmt" ]; then echo "gofmt needed:"; echo "$$fmt"; exit 1; fi
	go vet ./...
	go vet -tags=sqlite_fts5,nogui .
	go run $(STATICCHECK) ./...

# Fyne and Mesa write caches under XDG dirs; keep tests off the user's.
# Go's build cache also defaults to $XDG_CACHE_HOME/go-build, so it is
# pinned first: otherwise every test target compiles everything again
# from an empty cache.
# unit shares its compiled packages with vet and staticcheck; -race would
# compile everything a second time (about 500 CPU-seconds from cold), so it
# has its own target.
# In make test, check has already vetted every package, test files
# included, with the same tags and go vet's whole set of analyzers: go
# test's own vet pass (a subset of them, with facts of its own for every
# dependency, so nothing of check's is reused) would compute it all again
# from cold (docs/BENCHMARKS.md). make unit on its own keeps it.
test: UNIT_VET := -vet=off
# In make test, unit also keeps the test binaries of datecheck's suites (in
# DATECHECK_BIN, linked as go test links any other: .ci/datecheck --unit),
# and datecheck runs those instead of linking them again (about 35
# CPU-seconds). Every package still runs under go test at the real date.
test: export DATECHECK_BIN := $(CURDIR)/bin/datecheck
unit:
	@tmp=$$(mktemp -d); \
	export GOCACHE=$$(go env GOCACHE) XDG_CONFIG_HOME=$$tmp/config XDG_CACHE_HOME=$$tmp/cache; \
	if [ -n "$$DATECHECK_BIN" ]; then .ci/datecheck --unit $(UNIT_VET) -timeout 15m; \
	else go test $(UNIT_VET) -timeout 15m ./...; fi; \
	rc=$$?; rm -rf $$tmp; exit $$rc

# race: the data race detector over everything that starts goroutines —
# the sync engine and BEP sessions, the store's writers, and the window's
# background work. Run it before merging work on those; not in make test
# (it would break its 10-minute budget).
race: deps
	@tmp=$$(mktemp -d); \
	GOCACHE=$$(go env GOCACHE) XDG_CONFIG_HOME=$$tmp/config XDG_CACHE_HOME=$$tmp/cache go test -race -timeout 25m ./sync/... ./store/... ./app/...; \
	rc=$$?; rm -rf $$tmp; exit $$rc

# datecheck: the date-sensitive tests (rosters, patrol logs, compliance,
# dashboards, freshness, backups) again with "today" set to a Monday, a
# Friday, month ends, 2028-02-29, New Year, the lunar New Year and a leave's
# last day (unit runs them on the real date). A failure names the date.
datecheck:
	.ci/datecheck

bench: deps
	go test -run '^$$' -bench . -benchtime 1x -count 3 ./store/
	go test -run '^$$' -bench 'DayOfWork|StationImport$$|StationImportTownship' -benchtime 1x -count 2 ./sync/ ./sync/bep/

demo: build
	$(BIN) demo --db demo.db

# train-digits: retrain the house-number recogniser of maps/trace
# (maps/trace/digits/weights.bin, and weights.txt saying what it came from)
# on synthetic handwriting drawn with these Debian fonts; fonts-dkg-handwriting
# is held out of training and only measured on. Seeded; the gradient is summed
# by two goroutines in a fixed order, so the same fonts give the same bytes
# (checked twice: a second run wrote an identical weights.bin, before -overcut
# 0.24 and again with it, sha256 a58cac4b…, on 2026-12-05, in a separate
# worktree). Measured: 4.9 minutes of training, 7.6 for the whole target,
# on 2 quiet cores (28 minutes under a load of 10).
DIGIT_FONTS := fonts-humor-sans fonts-comic-neue fonts-breip fonts-femkeklaver fonts-bwht \
	fonts-kristi fonts-tlwg-purisa-ttf fonts-sjfonts fonts-dustin fonts-ecolier-court fonts-nanum-extra \
	fonts-rufscript fonts-seto fonts-kaushanscript fonts-klee fonts-yusei-magic fonts-yozvox-yozfont-new-kana \
	fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-dkg-handwriting
train-digits: deps
	@missing=$$(for p in $(DIGIT_FONTS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		if [ "$$(id -u)" != 0 ]; then SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	nice -n 10 go run ./maps/trace/digits/cmd/traindigits -seed 23 -numbers 20000 -sheets 80 -epochs 6 -augment 0.8 -overcut 0.24

# goldens: redraw the reviewed images every print type is compared with
# (print/testdata/golden, poppler at ≤ 36 dpi, wqy-microhei). Look at each
# changed PNG before committing it: the commit is the review.
goldens: deps
	go test -count=1 -run '^TestGolden$$' ./print/ -update
	@git status --short print/testdata/golden

# deb: bin/cunjing_<version>_amd64.deb and _arm64.deb for Debian-family
# desktops (UOS, Kylin, Debian, Ubuntu; arm64 for 飞腾/鲲鹏 PCs), each with
# its SHA-256 sum, checked by lintian (warnings and errors fail; no tag is
# suppressed: assets/packaging/linux/lintian-suppress is empty, pedantic
# lintian says only info tags). The binaries are hardened as Debian builds
# its own: PIE, full RELRO, fortified C. The arm64 one is a cgo
# cross-build with Debian's gcc-aarch64-linux-gnu against the arm64 X11
# and GL/GLES headers and libraries (multiarch: deps-arm64 adds the
# architecture to dpkg; only these targets do). A cold arm64 build
# compiles SQLite and GLFW again: nice'd.
VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
DEB_APT := dpkg-dev lintian imagemagick
ARM64_APT := gcc-aarch64-linux-gnu libc6-dev-arm64-cross libgl1-mesa-dev:arm64 libgles-dev:arm64 \
	libx11-dev:arm64 libxcursor-dev:arm64 libxrandr-dev:arm64 libxinerama-dev:arm64 libxi-dev:arm64 libxxf86vm-dev:arm64
LINUX_CGO := CGO_CFLAGS="-O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong"
LINUX_BUILD := go build -tags sqlite_fts5 -buildmode=pie -trimpath \
	-ldflags '-s -w -linkmode=external -extldflags "-Wl,-z,relro -Wl,-z,now"'
ARM64_ENV := CGO_ENABLED=1 GOOS=linux GOARCH=arm64 CC=aarch64-linux-gnu-gcc PKG_CONFIG_PATH=/usr/lib/aarch64-linux-gnu/pkgconfig

deps-arm64: deps
	@dpkg --print-foreign-architectures | grep -qx arm64 || { dpkg --add-architecture arm64 && apt-get update -qq; }
	@missing=$$(for p in $(ARM64_APT); do $(installed) || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "installing: $$missing"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi

linux-amd64: deps
	$(LINUX_CGO) nice -n 10 $(LINUX_BUILD) -o bin/linux-amd64/cunjing .
linux-arm64: deps-arm64
	$(LINUX_CGO) $(ARM64_ENV) nice -n 19 $(LINUX_BUILD) -o bin/linux-arm64/cunjing .

deb: linux-amd64 linux-arm64
	@missing=$$(for p in $(DEB_APT); do $(installed) || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "installing: $$missing"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi
	@for a in amd64 arm64; do \
		assets/packaging/linux/build-deb.sh $$a bin/linux-$$a/cunjing bin && \
		(cd bin && sha256sum cunjing_$(VERSION)_$$a.deb > cunjing_$(VERSION)_$$a.deb.sha256) || exit 1; \
	done
	lintian --fail-on error,warning --suppress-tags-from-file assets/packaging/linux/lintian-suppress \
		bin/cunjing_$(VERSION)_amd64.deb bin/cunjing_$(VERSION)_arm64.deb

# cross-check: the arm64 binary under qemu-aarch64-static against the amd64
# one on the same work — demo, info, dump, route, print board (PDF text and
# pages). Not in make test: a cold arm64 build alone takes most of its
# 10-minute budget.
cross-check: linux-amd64 linux-arm64
	@missing=$$(for p in qemu-user-static poppler-utils file; do $(installed) || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "installing: $$missing"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi
	.ci/cross-check.sh bin/linux-amd64/cunjing bin/linux-arm64/cunjing

# windows cross-builds cunjing.exe with mingw-w64 (no console window). The
# icon and version resources come from FyneApp.toml (go-winres writes a
# .syso the linker picks up; it is generated, not committed).
WIN_VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
windows: deps
	go run github.com/tc-hib/go-winres@v0.3.3 simply --arch amd64 --manifest gui \
		--icon assets/icon.png --product-name "村警通 cunjing" --file-description "村警通 村警务室工作软件" \
		--product-version $(WIN_VERSION) --file-version $(WIN_VERSION) --original-filename cunjing.exe --out rsrc
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		go build -ldflags "-s -w -H windowsgui" -o cunjing.exe .

# mesa-windows: Mesa's software OpenGL for Windows (opengl32.dll +
# libgallium_wgl.dll, Gallium WGL with softpipe) from Debian's mesa source
# package, with mingw-w64 and meson, offline; cached in MESA_CACHE. It
# draws the window where the graphics driver has no OpenGL 2.1 (old Intel
# graphics, virtual machines, Remote Desktop): windows-smoke shows Wine's
# own OpenGL failing on an X server without GLX and the copy of cunjing.exe
# beside these DLLs drawing. The source needs deb-src lines in the apt
# sources (added here if missing and not cached).
MESA_CACHE ?= $(HOME)/.cache/cunjing-mesa
MESA_APT := gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 meson ninja-build bison flex python3-mako dpkg-dev
mesa-windows:
	@missing=$$(for p in $(MESA_APT); do $(installed) || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "installing: $$missing"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi
	@if [ ! -d $(MESA_CACHE)/src ] && ! apt-get source --print-uris mesa >/dev/null 2>&1; then \
		sed -i 's/^Types: deb$$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources && apt-get update -qq; fi
	nice -n 19 assets/packaging/windows/build-mesa.sh $(MESA_CACHE)

# windows-installer: bin/cunjing-setup.exe (NSIS, Debian's nsis: per user
# without administrator rights, Chinese, refuses Windows 7/8 and 32-bit;
# version from FyneApp.toml) and bin/cunjing-setup.exe.sha256 beside it.
# With mesa-windows cached, it carries the software renderer in software\.
windows-installer: windows
	@p=nsis; $(installed) || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nsis
	@mkdir -p bin
	convert assets/icon.png -define icon:auto-resize=256,64,48,32,16 bin/cunjing.ico
	@[ -f $(MESA_CACHE)/out/opengl32.dll ] || echo "windows-installer: no software renderer in it (make mesa-windows first: a cold build takes about an hour)"
	makensis -V2 -INPUTCHARSET UTF8 -DVERSION=$(WIN_VERSION) -DEXE=$(CURDIR)/cunjing.exe -DICON=$(CURDIR)/bin/cunjing.ico \
		$(if $(wildcard $(MESA_CACHE)/out/opengl32.dll),-DMESA=$(MESA_CACHE)/out) \
		-DOUTFILE=$(CURDIR)/bin/cunjing-setup.exe assets/packaging/windows/cunjing.nsi
	cd bin && sha256sum cunjing-setup.exe > cunjing-setup.exe.sha256

# windows-smoke runs cunjing.exe under Debian's Wine and Xvfb (CLI + window),
# then the installer: silent install into the user's folders, the
# installed program, silent uninstall (the data folder stays), and the
# refusal on Windows 7.
windows-smoke: windows-installer
	@p=wine64; $(installed) || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wine64
	.ci/wine-smoke.sh cunjing.exe bin/cunjing-setup.exe

# headless: the station node without GUI (no GL libraries needed).
headless: deps
	go build -tags=sqlite_fts5,nogui -o bin/cunjing-node .

# crashtest: SIGKILL a writer 500 times at random moments; every reopen must
# pass integrity_check and keep every acknowledged write (docs/RELIABILITY.md).
crashtest: deps
	CUNJING_CRASHTEST=$${CRASH_RUNS:-500} CUNJING_CRASH_RESULT=$(CURDIR)/crashtest.out \
		go test -run 'TestCrashHarness' -count=1 -v -timeout 60m ./store/ | tail -5
	@cat crashtest.out

# fuzz: every go test -fuzz target (decoders of outside data) for FUZZTIME each.
FUZZTIME ?= 30s
fuzz: deps
	@for pkg in $$(go list ./...); do \
		for t in $$(go test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "== $$pkg $$t"; \
			go test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

# screenshots: the real window under Xvfb, every area captured for docs/guide.md,
# at the window's own size (kit.MaxWindow: what a 1366×768 screen shows whole).
# screenshots: the demo post (guide-*.png; both villages georeferenced,
# so the station's 地图 has 全镇) and the station 城关派出所 paired
# with it, after one USB-stick round trip post → station → post → station
# (both sides hold the other's signed receipt: 同步 says each has received
# everything), each area and every 同步 tab, from the real window. The
# demo's month of patrol logs ends today, as the window's clock does (a
# demo pinned to a past day showed 0 % of this month's patrols done, and
# the station flagged its post, from the next month on).
SHOTS := /tmp/cunjing-shots
screenshots: build
	@rm -rf $(SHOTS) && mkdir -p $(SHOTS)/stick
	@$(BIN) demo --db $(SHOTS)/post.db >/dev/null
	@$(BIN) map georef --db $(SHOTS)/post.db --village 张庄村 --datum wgs84 --point 0,0=114.35,34.81 --point 200,0=114.352188,34.81 --point 0,150=114.35,34.811352 >/dev/null
	@$(BIN) map georef --db $(SHOTS)/post.db --village 李家屯 --datum wgs84 --point 0,0=114.362,34.806 --point 200,0=114.364188,34.806 --point 0,150=114.362,34.807352 >/dev/null
	@$(BIN) map trace --db $(SHOTS)/post.db --village 李家屯 maps/trace/testdata/sheet-1.jpg >/dev/null
	@$(BIN) init --db $(SHOTS)/station.db --role station --name 城关派出所 >/dev/null
	@$(BIN) pair --db $(SHOTS)/post.db "$$($(BIN) id --db $(SHOTS)/station.db --json | sed -n 's/.*"code": "\(.*\)".*/\1/p')" >/dev/null
	@$(BIN) pair --db $(SHOTS)/station.db "$$($(BIN) id --db $(SHOTS)/post.db --json | sed -n 's/.*"code": "\(.*\)".*/\1/p')" >/dev/null
	@for db in post station post station; do $(BIN) exchange --db $(SHOTS)/$$db.db --dir $(SHOTS)/stick >/dev/null || exit 1; done
	xvfb-run -a -s "-screen 0 1366x768x24" $(BIN) screenshots --db $(SHOTS)/post.db --out docs/img --prefix guide-
	xvfb-run -a -s "-screen 0 1366x768x24" $(BIN) screenshots --db $(SHOTS)/station.db --out docs/img --prefix station-
	@$(MAKE) --no-print-directory county-screenshots
	@for f in docs/img/guide-*.png docs/img/station-*.png; do convert "$$f" -resize 1000x -colors 128 "$$f"; done

# The map editor's frame time on Mesa's software renderers under Xvfb:
# llvmpipe (what a Linux PC without a GPU driver uses) and softpipe (what
# the Windows installer carries, make mesa-windows), in the same run.
bench-softpipe: build
	@rm -rf /tmp/cunjing-fb && mkdir -p /tmp/cunjing-fb && $(BIN) demo --db /tmp/cunjing-fb/post.db --today 2026-11-24 >/dev/null 2>&1
	@for d in llvmpipe softpipe; do LIBGL_ALWAYS_SOFTWARE=1 GALLIUM_DRIVER=$$d xvfb-run -a -s "-screen 0 1366x768x24" $(BIN) framebench --db /tmp/cunjing-fb/post.db --frames 30 --label $$d 2>/dev/null || exit 1; done

# The county's window over a copy of the screenshots' station (a station
# reports to one county: the copy pairs with a fresh one each time), one
# stick round trip station → county → station → county.
county-screenshots: build
	@rm -rf $(SHOTS)/county.db* $(SHOTS)/cstation.db* $(SHOTS)/stick2 && mkdir -p $(SHOTS)/stick2
	@for f in $(SHOTS)/station.db $(SHOTS)/station.db-wal $(SHOTS)/station.db-shm; do [ ! -e $$f ] || cp $$f $(SHOTS)/c$${f#$(SHOTS)/}; done
	@[ ! -d $(SHOTS)/station.db.sync ] || cp -r $(SHOTS)/station.db.sync $(SHOTS)/cstation.db.sync
	@$(BIN) init --db $(SHOTS)/county.db --role county --name 城关县公安局 >/dev/null
	@$(BIN) pair --db $(SHOTS)/cstation.db "$$($(BIN) id --db $(SHOTS)/county.db --json | sed -n 's/.*"code": "\(.*\)".*/\1/p')" >/dev/null
	@$(BIN) pair --db $(SHOTS)/county.db "$$($(BIN) id --db $(SHOTS)/cstation.db --json | sed -n 's/.*"code": "\(.*\)".*/\1/p')" >/dev/null
	@for db in cstation county cstation county; do $(BIN) exchange --db $(SHOTS)/$$db.db --dir $(SHOTS)/stick2 >/dev/null || exit 1; done
	xvfb-run -a -s "-screen 0 1366x768x24" $(BIN) screenshots --db $(SHOTS)/county.db --out docs/img --prefix county-
	@for f in docs/img/county-*.png; do convert "$$f" -resize 1000x -colors 128 "$$f"; done

clean:
	rm -rf bin cunjing.exe
