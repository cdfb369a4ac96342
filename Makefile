# SPDX-License-Identifier: MIT
# nslab: see README.md.  `make`, `make check`, `make demo`, `make install`.
include config.mk

ifeq ($(WERROR),1)
CFLAGS += -Werror
endif
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
STATIC   = 0
endif
# The chain tools are linked -static-pie (so ASLR stays): the dynamic
# loader and glibc's start-up are most of a chain's cost, paid once per tool,
# and static musl pays neither (docs/performance.md).  nsinfo is linked
# -static-pie against glibc: it reads user names from /etc/passwd (lib/subid),
# not through NSS, and the loader's pages and stack were most of its peak
# memory and of a 16 KiB stack.  STATIC=0 links the tools dynamically
# against glibc; sanitizer builds cannot be static and are glibc's.
ifeq ($(STATIC),1)
CHAIN_LDFLAGS = -static-pie
else
override LIBC = glibc
endif
ifeq ($(filter $(LIBC),musl glibc),)
$(error LIBC=$(LIBC): say musl or glibc)
endif

# musl: Debian's musl-gcc knows neither -static-pie (its specs always name
# Scrt1.o and the dynamic linker, and pass ld none of -static-pie's flags)
# nor the kernel's uapi headers.  So say to ld what -static-pie means and
# link musl's rcrt1.o, which relocates the program itself; and give the
# compiler the kernel's headers alone (build/musl/include: linux, asm,
# asm-generic), never glibc's.
MUSL_LIBDIR := $(shell $(MUSL_CC) -\#\#\# -x c /dev/null -o /dev/null 2>&1 | \
		tr ' ' '\n' | tr -d '"' | sed -n 's,/Scrt1\.o$$,,p' | head -n 1)
CRTBEGIN := $(if $(MUSL_LIBDIR),$(shell $(MUSL_CC) -print-file-name=crtbeginS.o))
CRTEND   := $(if $(MUSL_LIBDIR),$(shell $(MUSL_CC) -print-file-name=crtendS.o))
ifeq ($(LIBC)$(MUSL_LIBDIR),musl)
$(error LIBC=musl: $(MUSL_CC) not found or not musl's wrapper (Debian: apt-get install musl-tools), or say LIBC=glibc)
endif
UAPI_ASM := $(firstword $(wildcard /usr/include/$(shell $(CC) -print-multiarch 2>/dev/null)/asm) /usr/include/asm)
MUSL_CPPFLAGS = -isystem build/musl/include
MUSL_LDFLAGS  = -static-pie -nostartfiles -Wl,-static,-pie,--no-dynamic-linker,-z,text
MUSL_LINK = $(MUSL_CC) $(CPPFLAGS) $(MUSL_CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(MUSL_LDFLAGS) \
	$(MUSL_LIBDIR)/rcrt1.o $(MUSL_LIBDIR)/crti.o $(CRTBEGIN) \
	-o $@ $< build/musl/libnslab.a -lc $(CRTEND) $(MUSL_LIBDIR)/crtn.o
GLIBC_LINK = $(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(CHAIN_LDFLAGS) -o $@ $< $(LIB)

LIBSRC  := $(wildcard lib/*.c)
LIBOBJ  := $(LIBSRC:lib/%.c=build/lib/%.o)
LIB     := lib/libnslab.a
TOOLS   := $(patsubst tools/%.c,%,$(wildcard tools/*.c))
# Every tool but nsinfo chain-loads, and is built the same way.
CHAIN   := $(filter-out nsinfo,$(TOOLS))
MUSL_LIBOBJ := $(LIBSRC:lib/%.c=build/musl/lib/%.o)
BINS    := $(TOOLS:%=bin/%)
MANS    := $(wildcard docs/man/*.1 docs/man/*.7)
# C programs the test suites use: unit tests of lib/ and small helpers.
TESTSRC := $(wildcard tests/unit_*.c tests/helpers/*.c)
TESTBIN := $(TESTSRC:tests/%.c=build/tests/%)
# C programs of examples/ (the articles' own programs, written in C).
EXSRC   := $(wildcard examples/*.c)
EXBIN   := $(EXSRC:examples/%.c=build/examples/%)

all: $(BINS)
	@echo 'nslab: $(CHAIN) linked $(if $(CHAIN_LDFLAGS),-static-pie,dynamically) against $(LIBC)$(if $(filter musl,$(LIBC)), ($(MUSL_CC)),$(if $(MUSL_LIBDIR),, ($(MUSL_CC) not found; Debian: musl-tools))); nsinfo $(if $(CHAIN_LDFLAGS),-static-pie,dynamically) against glibc'

# Rebuild everything when the flags change (make SAN=1 after a plain make).
# The first two words say how bin/'s chain tools were linked (test_build).
build/.flags: FORCE
	@mkdir -p build
	@echo '$(LIBC) $(if $(CHAIN_LDFLAGS),static-pie,dynamic) $(MUSL_CC) $(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(CHAIN_LDFLAGS) $(MUSL_LDFLAGS)' | cmp -s - $@ || \
		echo '$(LIBC) $(if $(CHAIN_LDFLAGS),static-pie,dynamic) $(MUSL_CC) $(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(CHAIN_LDFLAGS) $(MUSL_LDFLAGS)' > $@

build/lib/%.o: lib/%.c lib/*.h build/.flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

# The kernel's uapi headers, alone, for musl-gcc.
build/musl/include/.done: build/.flags
	rm -rf $(@D)
	mkdir -p $(@D)
	ln -s /usr/include/linux $(@D)/linux
	ln -s $(UAPI_ASM) $(@D)/asm
	ln -s /usr/include/asm-generic $(@D)/asm-generic
	touch $@

build/musl/lib/%.o: lib/%.c lib/*.h build/.flags build/musl/include/.done
	@mkdir -p $(@D)
	$(MUSL_CC) $(CPPFLAGS) $(MUSL_CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/musl/libnslab.a: $(MUSL_LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(MUSL_LIBOBJ)

# Each chain tool, and each floor of bench/, built with either libc (bench/
# compares the two); bin/ holds the LIBC one.
build/glibc/bin/%: tools/%.c $(LIB) lib/*.h build/.flags
	@mkdir -p $(@D)
	$(GLIBC_LINK)

build/musl/bin/%: tools/%.c build/musl/libnslab.a lib/*.h build/.flags
	@mkdir -p $(@D)
	$(MUSL_LINK)

build/glibc/floor/%: bench/floor/%.c bench/floor/floor.h $(LIB) build/.flags
	@mkdir -p $(@D)
	$(GLIBC_LINK)

build/musl/floor/%: bench/floor/%.c bench/floor/floor.h build/musl/libnslab.a build/.flags
	@mkdir -p $(@D)
	$(MUSL_LINK)

$(CHAIN:%=bin/%): bin/%: build/$(LIBC)/bin/%
	@mkdir -p bin
	cp $< $@

bin/nsinfo: tools/nsinfo.c $(LIB) lib/*.h build/.flags
	@mkdir -p bin
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(CHAIN_LDFLAGS) -o $@ $< $(LIB)

build/tests/%: tests/%.c $(LIB) lib/*.h $(wildcard tests/*.h) build/.flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) -lpthread

build/examples/%: examples/%.c $(LIB) lib/*.h build/.flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB)

# check, demo, bench and fuzz first make sure the system has what they need
# (prereqs.txt, read by tests/prereqs.sh: installs it as root, else says what
# is missing and stops with 2), then build: never a wall of failing suites.
check:
	@tests/prereqs.sh build check $(if $(filter 1,$(SAN)),san)
	@$(MAKE) --no-print-directory check-run

check-run: all $(TESTBIN) $(EXBIN)
	@tests/run.sh

demo:
	@tests/prereqs.sh build demo
	@$(MAKE) --no-print-directory demo-run

demo-run: all $(TESTBIN) $(EXBIN)
	@examples/demo.sh

bench:
	@tests/prereqs.sh build bench
	@$(MAKE) --no-print-directory bench-run

bench-run: all
	@bench/run.sh

fuzz:
	@tests/prereqs.sh build fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1 $(DESTDIR)$(MANPREFIX)/man7
	for t in $(TOOLS); do install -m 0755 bin/$$t $(DESTDIR)$(BINDIR)/$$t; done
	for m in $(MANS); do \
		s=$${m##*.}; install -m 0644 $$m $(DESTDIR)$(MANPREFIX)/man$$s/; done

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(BINDIR)/$$t; done
	for m in $(MANS); do \
		s=$${m##*.}; rm -f $(DESTDIR)$(MANPREFIX)/man$$s/$${m##*/}; done

clean:
	rm -rf bin build $(LIB)

.PHONY: all check check-run demo demo-run bench bench-run fuzz install uninstall clean FORCE
.SECONDARY:
