# Skiff build. One graph, everything cached under build/.
#
#   make run        install what is missing, build, boot http-hello in qemu and print its URL
#   make test       install, build, run every test (what CI runs)
#   make test-fast  unit + hosted tests only (no VM boots): the inner loop
#   make build      build/skiff.elf: shim + QuickJS + kernel and app bytecode, and the
#                   host's tapbridge (build/host/tapbridge)
#   make bench      the benchmarks (boot, devices, net, http, kv), side by side with a Linux guest
#
# Pipeline: Debian packages and npm packages → QuickJS from Debian's source
# package (sha256-verified, patched) → host qjsc → tsc --noEmit → esbuild bundles
# → qjsc bytecode as C → gcc (freestanding) → one PVH ELF.

SHELL := /bin/bash
.DEFAULT_GOAL := build
B := build

# ---- QuickJS, from Debian's source package -------------------------------------
QJS_VERSION := 2025.04.26
QJS_ORIG := quickjs_$(QJS_VERSION).orig.tar.xz
QJS_ORIG_SHA256 := ec81da5b3249ed648dbc7df4a1654988910e66a118d9b71cb63534216efcfbbe
QJS_SRC := $(B)/quickjs/quickjs-$(QJS_VERSION)
QJS_PATCHES := $(sort $(wildcard shim/quickjs/*.patch))
# apt with a private configuration: nothing under /etc or /var/lib/apt is touched.
APT_LOCAL := -o Dir::Etc::SourceList=$(CURDIR)/shim/quickjs/apt-sources.list \
             -o Dir::Etc::SourceParts=/dev/null \
             -o Dir::State::Lists=$(CURDIR)/$(B)/apt/lists \
             -o Dir::Cache=$(CURDIR)/$(B)/apt/cache \
             -o APT::Sandbox::User=root

# ---- toolchain for the guest ---------------------------------------------------
MUSL_INC := /usr/include/x86_64-linux-musl
MUSL_LIBC := /usr/lib/x86_64-linux-musl/libc.a
GCC_INC := $(shell gcc -print-file-name=include 2>/dev/null)
LIBGCC := $(shell gcc -print-libgcc-file-name 2>/dev/null)

# Freestanding x86-64, no red zone (interrupts and traps push onto the current
# stack), no PIC (the image is linked at 1 MiB and identity-mapped), SSE allowed
# (the boot code enables it before any C runs).
GUEST_CFLAGS := -O2 -g -ffreestanding -nostdinc -isystem $(MUSL_INC) -isystem $(GCC_INC) \
  -mno-red-zone -fno-pic -fno-pie -mcmodel=small -fno-stack-protector \
  -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
  -ffunction-sections -fdata-sections -fwrapv -fno-strict-aliasing
SHIM_CFLAGS := $(GUEST_CFLAGS) -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -Wno-cast-function-type \
  -Ishim/include -I$(QJS_SRC) -I$(B)/gen \
  -DSKIFF_QUICKJS_VERSION=\"$(subst .,-,$(QJS_VERSION))\"
# QuickJS with strict aliasing, as its own Makefile builds it (the shim keeps it off for its
# casts of packet buffers): 1.4 % fewer instructions per TCP round trip (bench/icount).
# heap_usable.h makes malloc_usable_size an inline read for QuickJS (shim/mm/heap.c's layout).
QJS_CFLAGS := $(GUEST_CFLAGS) -fstrict-aliasing -include shim/include/heap_usable.h -D_GNU_SOURCE -DCONFIG_VERSION=\"$(subst .,-,$(QJS_VERSION))\" \
  -DCONFIG_NO_ATOMICS -Wno-array-bounds -Wno-format-truncation -w

SHIM_C := $(shell find shim -name '*.c' | sort)
SHIM_S := $(shell find shim -name '*.S' | sort)
SHIM_H := $(shell find shim -name '*.h' | sort)
SHIM_OBJS := $(patsubst shim/%,$(B)/shim/%.o,$(SHIM_C) $(SHIM_S))
QJS_UNITS := quickjs libregexp libunicode cutils dtoa
QJS_OBJS := $(patsubst %,$(B)/guest-quickjs/%.o,$(QJS_UNITS))

TS_SOURCES := $(shell find kernel-ts apps -name '*.ts' -o -name '*.json' | sort)
HOST_TS := $(shell find host tests bench -name '*.ts' 2>/dev/null | sort)

FORCE:

.PHONY: FORCE build run test test-fast test-unit test-hosted test-vm bench deps typecheck \
        bundles quickjs tapbridge clean distclean

# ---- dependencies --------------------------------------------------------------
deps: $(B)/stamp/debian node_modules/.stamp

$(B)/stamp/debian: host/setup/debian_packages.sh
	@./host/setup/debian_packages.sh
	@mkdir -p $(@D) && touch $@

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# ---- QuickJS source: apt-get source with a private config, verify, extract, patch
$(B)/quickjs/$(QJS_ORIG): shim/quickjs/apt-sources.list | $(B)/stamp/debian
	@mkdir -p $(B)/apt/lists/partial $(B)/apt/cache/archives/partial $(B)/quickjs/download
	apt-get $(APT_LOCAL) -q update
	cd $(B)/quickjs/download && apt-get $(APT_LOCAL) -q source --download-only quickjs
	@test -f $(B)/quickjs/download/$(QJS_ORIG) || { echo "skiff: Debian's quickjs source is not version $(QJS_VERSION) (see shim/quickjs/apt-sources.list)" >&2; exit 1; }
	mv $(B)/quickjs/download/$(QJS_ORIG) $@.unverified
	@echo "$(QJS_ORIG_SHA256)  $@.unverified" | sha256sum -c --quiet - \
	  || { echo "skiff: $(QJS_ORIG) does not match the pinned sha256" >&2; exit 1; }
	mv $@.unverified $@

# The patch list as a file, rewritten only when it changes: taking a patch away re-extracts
# too (a removed file changes no timestamp).
$(B)/quickjs/patches.list: FORCE
	@mkdir -p $(@D)
	@echo "$(QJS_PATCHES)" | cmp -s - $@ || echo "$(QJS_PATCHES)" > $@

$(QJS_SRC)/.patched: $(B)/quickjs/$(QJS_ORIG) $(QJS_PATCHES) $(B)/quickjs/patches.list
	rm -rf $(QJS_SRC)
	tar -C $(B)/quickjs -xJf $<
	@for p in $(QJS_PATCHES); do echo "patch $$p"; patch -s -d $(QJS_SRC) -p1 < $$p || exit 1; done
	@touch $@

quickjs: $(QJS_SRC)/.patched

# The host qjsc, built from the same source: bytecode is exact to the QuickJS version.
$(B)/host/qjsc: $(QJS_SRC)/.patched
	@mkdir -p $(@D)
	$(MAKE) -s -C $(QJS_SRC) qjsc CONFIG_LTO= >/dev/null
	cp $(QJS_SRC)/qjsc $@

# The host qjs, from the same patched source: tests/unit/quickjs_upstream.test.ts runs QuickJS's
# own tests and ours (tests/fixtures/quickjs/) with it, so a patch that breaks the language fails.
$(B)/host/qjs: $(QJS_SRC)/.patched $(B)/host/qjsc
	@mkdir -p $(@D)
	$(MAKE) -s -C $(QJS_SRC) qjs CONFIG_LTO= >/dev/null
	cp $(QJS_SRC)/qjs $@

# The same qjs with every shape of a prototype hashing alike (SKIFF_SHAPE_HASH_COLLIDE, patch
# 0021): each shape lookup then meets candidates only its property comparison tells apart,
# which ordinary hashing almost never exercises. Built in a copy of the source.
$(B)/host/qjs-shape-collide: $(QJS_SRC)/.patched $(B)/host/qjsc
	@mkdir -p $(@D)
	rm -rf $(B)/quickjs-shape-collide && cp -r $(QJS_SRC) $(B)/quickjs-shape-collide
	$(MAKE) -s -C $(B)/quickjs-shape-collide clean >/dev/null
	sed -i '1i #define SKIFF_SHAPE_HASH_COLLIDE 1' $(B)/quickjs-shape-collide/quickjs.c
	$(MAKE) -s -C $(B)/quickjs-shape-collide qjs CONFIG_LTO= >/dev/null
	cp $(B)/quickjs-shape-collide/qjs $@

# ---- TypeScript: type-check, bundle, compile to bytecode -----------------------
$(B)/stamp/typecheck: $(TS_SOURCES) $(HOST_TS) tsconfig.json tsconfig.host.json node_modules/.stamp
	npx tsc --noEmit -p tsconfig.json
	npx tsc --noEmit -p tsconfig.host.json
	@mkdir -p $(@D) && touch $@

typecheck: $(B)/stamp/typecheck

$(B)/js/.stamp: $(TS_SOURCES) host/build/bundle.ts host/build/inline.ts node_modules/.stamp
	npx tsx host/build/bundle.ts --out $(B)/js
	@touch $@

bundles: $(B)/js/.stamp

$(B)/gen/bytecode.c: $(B)/js/.stamp $(B)/host/qjsc host/build/bytecode.ts
	npx tsx host/build/bytecode.ts --qjsc $(B)/host/qjsc --js $(B)/js --out $@

# ---- the guest image -----------------------------------------------------------
# QuickJS's flags as a file, rewritten only when they change: new flags rebuild its objects.
$(B)/guest-quickjs/cflags: FORCE
	@mkdir -p $(@D)
	@echo "$(QJS_CFLAGS)" | cmp -s - $@ || echo "$(QJS_CFLAGS)" > $@

$(B)/guest-quickjs/%.o: $(QJS_SRC)/.patched $(B)/guest-quickjs/cflags shim/include/heap_usable.h
	@mkdir -p $(@D)
	@echo "CC $*.c (QuickJS)"
	@gcc $(QJS_CFLAGS) -c $(QJS_SRC)/$*.c -o $@

$(B)/shim/%.c.o: shim/%.c $(SHIM_H) $(QJS_SRC)/.patched | $(B)/stamp/debian
	@mkdir -p $(@D)
	@echo "CC $<"
	@gcc $(SHIM_CFLAGS) -c $< -o $@

# gcc must not turn the libc's own loops into calls to memset/memcpy.
$(B)/shim/libc/%.c.o: SHIM_CFLAGS += -fno-builtin -fno-tree-loop-distribute-patterns

$(B)/shim/%.S.o: shim/%.S $(SHIM_H) | $(B)/stamp/debian
	@mkdir -p $(@D)
	@echo "AS $<"
	@gcc $(SHIM_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(B)/gen/bytecode.o: $(B)/gen/bytecode.c
	gcc $(SHIM_CFLAGS) -Wno-unused-const-variable -c $< -o $@

# musl's libc.a is linked last and only for libm: every symbol the shim defines
# itself (string, stdio, malloc…) is resolved before the archive is searched.
$(B)/skiff.sym.elf: $(SHIM_OBJS) $(QJS_OBJS) $(B)/gen/bytecode.o shim/link.ld
	ld -nostdlib -static -z noexecstack --gc-sections -T shim/link.ld -o $@ \
	  $(SHIM_OBJS) $(QJS_OBJS) $(B)/gen/bytecode.o $(MUSL_LIBC) $(LIBGCC)

$(B)/skiff.elf: $(B)/skiff.sym.elf
	strip -o $@ $<
	@echo "skiff: $@ is $$(stat -c %s $@) bytes (stripped)"

# ---- host tools -----------------------------------------------------------------
# tapbridge: a tap device ↔ UDP datagrams, so a hosted kernel can sit on a tap
# (`skiff run --hosted --net tap:IFNAME`, host/tapbridge/tapbridge.c). A Linux program.
HOST_CFLAGS := -O2 -g -std=gnu11 -Wall -Wextra -Werror

$(B)/host/tapbridge: host/tapbridge/tapbridge.c | $(B)/stamp/debian
	@mkdir -p $(@D)
	@echo "CC $<"
	@gcc $(HOST_CFLAGS) -o $@ $<

tapbridge: $(B)/host/tapbridge

# icount_plugin: a qemu TCG plugin counting guest instructions into shared memory, for
# bench/icount (deterministic A/B and a C-level guest profile). A Linux shared object.
$(B)/bench/icount_plugin.so: bench/icount/icount_plugin.c | $(B)/stamp/debian
	@mkdir -p $(@D)
	@echo "CC $<"
	@gcc $(HOST_CFLAGS) -shared -fPIC -fvisibility=hidden -o $@ $<

build: deps $(B)/stamp/typecheck $(B)/skiff.elf $(B)/host/tapbridge

# ---- running and testing -------------------------------------------------------
# make run [APP=name] [PORT=8080]: qemu's user-mode network, the host's 127.0.0.1:PORT
# forwarded to the guest's 8080 (no root); skiff run prints the URL.
APP ?= http-hello
PORT ?= 8080
run: build
	npx tsx host/bin/skiff.ts run $(APP) --net user:$(PORT):8080

test-unit: deps $(B)/host/qjs $(B)/host/qjs-shape-collide
	npx ava tests/unit

test-hosted: deps bundles
	npx ava tests/hosted

test-vm: build
	npx ava tests/vm

test-fast: deps $(B)/stamp/typecheck bundles $(B)/host/qjs $(B)/host/qjs-shape-collide
	npx ava tests/unit tests/hosted

test: build $(B)/host/qjs $(B)/host/qjs-shape-collide
	npx ava

bench: build
	npx tsx bench/boot/run.ts
	npx tsx bench/devices/run.ts
	npx tsx bench/net/run.ts
	npx tsx bench/http/run.ts
	npx tsx bench/kv/run.ts
	npx tsx bench/reload/run.ts

clean:
	rm -rf $(B)/shim $(B)/guest-quickjs $(B)/gen $(B)/js $(B)/stamp/typecheck $(B)/skiff*.elf $(B)/host/tapbridge

distclean:
	rm -rf $(B) node_modules
