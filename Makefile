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
# LeakSanitizer's hook, in every program: its check off only where it
# cannot stop the world (tests/lsan_hook.c).
SANOBJ   = build/tests/lsan_hook.o
endif
# The chain tools are linked -static-pie (so ASLR stays): the dynamic
# loader and glibc's start-up are most of a chain's cost, paid once per tool,
# and static musl pays neither (docs/performance.md).  nsinfo is linked
# -static-pie against glibc: it reads user names from /etc/passwd (lib/subid),
# not through NSS, and the loader's pages and stack were most of its peak
# memory and of a 16 KiB stack.  STATIC=0 links the tools dynamically
# against glibc; sanitizer builds cannot be static and are glibc's.
# Static non-PIE was measured against -static-pie on musl (bench/run.sh's
# nopie rows): ≈ 2,000 instructions and under one page fault less per exec,
# no difference in time; ASLR stays (docs/performance.md).
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
GLIBC_LINK = $(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(CHAIN_LDFLAGS) -o $@ $< $(SANOBJ) $(LIB)

LIBSRC  := $(wildcard lib/*.c)
LIBOBJ  := $(LIBSRC:lib/%.c=build/lib/%.o)
LIB     := build/libnslab.a
# A tool is tools/NAME.c, or a folder tools/NAME/ of files with a main.c
# (nsinfo: one file per mode).
TOOLS   := $(sort $(patsubst tools/%.c,%,$(wildcard tools/*.c)) \
		$(patsubst tools/%/main.c,%,$(wildcard tools/*/main.c)))
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
build/glibc/bin/%: tools/%.c $(LIB) $(SANOBJ) lib/*.h build/.flags
	@mkdir -p $(@D)
	$(GLIBC_LINK)

build/musl/bin/%: tools/%.c build/musl/libnslab.a lib/*.h build/.flags
	@mkdir -p $(@D)
	$(MUSL_LINK)

build/glibc/floor/%: bench/floor/%.c bench/floor/floor.h $(LIB) $(SANOBJ) build/.flags
	@mkdir -p $(@D)
	$(GLIBC_LINK)

build/musl/floor/%: bench/floor/%.c bench/floor/floor.h build/musl/libnslab.a build/.flags
	@mkdir -p $(@D)
	$(MUSL_LINK)

# bin/'s chain tools are one program (lib/multicall.h): each tools/TOOL.c
# compiled with -Dmain=TOOL_main, a generated table of the names
# (build/nslab/), and bin/TOOL hard links to the one file.  Hard links, not
# symlinks to a bin/nslab: every name in bin/ stays a tool, with its page
# and its completion; `cp -a` keeps them one file, and a plain copy still
# runs, as a program that execs.  The name run picks the tool; when a
# tool's command is a tool of the same file, it runs in the same process
# (nslab(7), ONE PROGRAM, MANY NAMES).  build/LIBC/bin/TOOL, one program per
# tool, stays for bench/.
build/nslab/tools.h: FORCE
	@mkdir -p $(@D)
	@{ echo '/* Generated by the Makefile: the chain tools of the one program. */'; \
	   for t in $(CHAIN); do echo "int $${t}_main(int argc, char *argv[]);"; done; } \
	   >$@.new && { cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@; }

build/nslab/main.c: build/nslab/tools.h
	@{ echo '/* Generated by the Makefile: the one program of the chain tools. */'; \
	   echo '#include "multicall.h"'; echo '#include "tools.h"'; \
	   echo 'static const struct multicall_tool tools[] = {'; \
	   for t in $(CHAIN); do echo "	{ \"$$t\", $${t}_main },"; done; \
	   echo '};'; echo 'int main(int argc, char *argv[]);'; \
	   echo 'int main(int argc, char *argv[])'; echo '{'; \
	   echo '	return multicall_main(argc, argv, tools, (int)(sizeof(tools) / sizeof(tools[0])));'; \
	   echo '}'; } >$@

# A tool of one file or of a folder (tools/NAME/*.c, its main in main.c):
# $(MC_TOOL) is NAME, the first component of the object's stem.
MC_SRC       := $(wildcard $(CHAIN:%=tools/%.c) $(CHAIN:%=tools/%/*.c))
MC_GLIBC_OBJ := $(MC_SRC:tools/%.c=build/glibc/nslab/%.o) build/glibc/nslab/main.o
MC_MUSL_OBJ  := $(MC_SRC:tools/%.c=build/musl/nslab/%.o) build/musl/nslab/main.o
MC_TOOL       = $(firstword $(subst /, ,$*))
MC_FLAGS      = -Itools/$(MC_TOOL) -include build/nslab/tools.h -Dmain=$(MC_TOOL)_main

build/glibc/nslab/%.o: tools/%.c build/nslab/tools.h lib/*.h $(wildcard tools/*/*.h) build/.flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(MC_FLAGS) -c -o $@ $<

build/glibc/nslab/main.o: build/nslab/main.c lib/*.h build/.flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Ibuild/nslab $(CFLAGS) -c -o $@ $<

build/musl/nslab/%.o: tools/%.c build/nslab/tools.h lib/*.h $(wildcard tools/*/*.h) build/.flags build/musl/include/.done
	@mkdir -p $(@D)
	$(MUSL_CC) $(CPPFLAGS) $(MUSL_CPPFLAGS) $(CFLAGS) $(MC_FLAGS) -c -o $@ $<

build/musl/nslab/main.o: build/nslab/main.c lib/*.h build/.flags build/musl/include/.done
	@mkdir -p $(@D)
	$(MUSL_CC) $(CPPFLAGS) $(MUSL_CPPFLAGS) -Ibuild/nslab $(CFLAGS) -c -o $@ $<

build/glibc/nslab/nslab: $(MC_GLIBC_OBJ) $(LIB) $(SANOBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) $(CHAIN_LDFLAGS) -o $@ $(MC_GLIBC_OBJ) $(SANOBJ) $(LIB)

build/musl/nslab/nslab: $(MC_MUSL_OBJ) build/musl/libnslab.a
	$(MUSL_CC) $(CFLAGS) $(LDFLAGS) $(MUSL_LDFLAGS) \
		$(MUSL_LIBDIR)/rcrt1.o $(MUSL_LIBDIR)/crti.o $(CRTBEGIN) \
		-o $@ $(MC_MUSL_OBJ) build/musl/libnslab.a -lc $(CRTEND) $(MUSL_LIBDIR)/crtn.o

$(CHAIN:%=bin/%): build/$(LIBC)/nslab/nslab
	@mkdir -p bin
	ln -f $< $@

NSINFO_SRC := $(wildcard tools/nsinfo/*.c)
bin/nsinfo: $(NSINFO_SRC) tools/nsinfo/nsinfo.h $(LIB) $(SANOBJ) lib/*.h build/.flags
	@mkdir -p bin
	$(CC) $(CPPFLAGS) -Itools/nsinfo $(CFLAGS) $(LDFLAGS) $(CHAIN_LDFLAGS) -o $@ $(NSINFO_SRC) $(SANOBJ) $(LIB)

build/tests/lsan_hook.o: tests/lsan_hook.c build/.flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/tests/%: tests/%.c $(LIB) $(SANOBJ) lib/*.h $(wildcard tests/*.h) build/.flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(LDFLAGS) -o $@ $< $(SANOBJ) $(LIB) -lpthread

build/examples/%: examples/%.c $(LIB) $(SANOBJ) lib/*.h build/.flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(SANOBJ) $(LIB)

# check, demo, bench and fuzz first make sure the system has what they need
# (prereqs.txt, read by tests/prereqs.sh: installs it as root, else says what
# is missing and stops with 2), then build: never a wall of failing suites.
# What tests/prereqs.sh fetched for an ordinary user (build/prereqs/bin)
# comes after the system's commands on PATH; set in the environment of the
# make that builds, so that its $(shell musl-gcc ...) sees it too.
WITH_PREREQS = if [ -d build/prereqs/bin ]; then PATH=$$PATH:$(CURDIR)/build/prereqs/bin; fi;
check:
	@tests/prereqs.sh build check $(if $(filter 1,$(SAN)),san)
	@$(WITH_PREREQS) $(MAKE) --no-print-directory check-run

check-run: all $(TESTBIN) $(EXBIN)
	@tests/run.sh

demo:
	@tests/prereqs.sh build demo
	@$(WITH_PREREQS) $(MAKE) --no-print-directory demo-run

demo-run: all $(TESTBIN) $(EXBIN)
	@examples/demo.sh

bench:
	@tests/prereqs.sh build bench
	@$(WITH_PREREQS) $(MAKE) --no-print-directory bench-run

bench-run: all build/tests/helpers/tcp_sink
	@bench/run.sh
	@sh bench/connect.sh

fuzz:
	@tests/prereqs.sh build fuzz
	@$(WITH_PREREQS) FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh

# What make install puts under $(DOCDIR), in the tree's own shape so that
# the README's and the guides' relative links still lead somewhere: the
# release's files, docs/ (the guides), and examples/.
DOCS     := README.md NEWS LICENSE
GUIDES   := $(wildcard docs/*.md)
EXAMPLES := $(wildcard examples/*.sh examples/*.c)
# The listener the bitbake example connects to: a test helper in the tree,
# a source beside the examples once installed (examples/transcript.sh
# builds it there).
EXHELPERS := tests/helpers/tcp_sink.c

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1 $(DESTDIR)$(MANPREFIX)/man7 \
		$(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(COMPDIR)
	# The chain tools are one file (lib/multicall.h): installed once under
	# the first name, linked under the others (install unlinks what it
	# replaces, so an older install's links are not written through).
	install -m 0755 bin/$(firstword $(CHAIN)) $(DESTDIR)$(BINDIR)/$(firstword $(CHAIN))
	for t in $(wordlist 2,$(words $(CHAIN)),$(CHAIN)); do \
		ln -f $(DESTDIR)$(BINDIR)/$(firstword $(CHAIN)) $(DESTDIR)$(BINDIR)/$$t; done
	for t in $(filter-out $(CHAIN),$(TOOLS)); do install -m 0755 bin/$$t $(DESTDIR)$(BINDIR)/$$t; done
	# The pages carry the version of this build, from config.mk alone.
	for m in $(MANS); do s=$${m##*.}; \
		sed 's/^\(\.TH .*"nslab\)[^"]*"/\1 $(VERSION)"/' $$m >$(DESTDIR)$(MANPREFIX)/man$$s/$${m##*/} && \
		chmod 0644 $(DESTDIR)$(MANPREFIX)/man$$s/$${m##*/}; done
	for d in $(DOCS); do install -m 0644 $$d $(DESTDIR)$(DOCDIR)/; done
	for g in $(GUIDES); do install -m 0644 $$g $(DESTDIR)$(DOCDIR)/docs/; done
	for e in $(EXAMPLES); do \
		case $$e in *.sh) mode=0755;; *) mode=0644;; esac; \
		install -m $$mode $$e $(DESTDIR)$(DOCDIR)/examples/; done
	for e in $(EXHELPERS); do install -m 0644 $$e $(DESTDIR)$(DOCDIR)/examples/; done
	# bash-completion loads a command's completion from a file of its name.
	for t in $(TOOLS); do install -m 0644 completion/nslab.bash $(DESTDIR)$(COMPDIR)/$$t; done

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(BINDIR)/$$t $(DESTDIR)$(COMPDIR)/$$t; done
	for m in $(MANS); do \
		s=$${m##*.}; rm -f $(DESTDIR)$(MANPREFIX)/man$$s/$${m##*/}; done
	for d in $(DOCS) $(GUIDES) $(EXAMPLES); do rm -f $(DESTDIR)$(DOCDIR)/$$d; done
	for e in $(EXHELPERS); do rm -f $(DESTDIR)$(DOCDIR)/examples/$${e##*/}; done
	-rmdir $(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null

# make dist: nslab-VERSION.tar.gz of the files git tracks, as they are in the
# work tree, under one directory nslab-VERSION/; written to OUTDIR.
DIST   = nslab-$(VERSION)
OUTDIR = .
dist:
	@git rev-parse --is-inside-work-tree >/dev/null 2>&1 || \
		{ echo 'make dist: needs the git checkout (it packs the files git tracks)' >&2; exit 2; }
	git ls-files -z | tar --null -T - --transform 's,^,$(DIST)/,' --owner=0 --group=0 \
		--numeric-owner --mtime='$(shell git log -1 --format=%cI 2>/dev/null)' -czf $(OUTDIR)/$(DIST).tar.gz
	@echo "$(OUTDIR)/$(DIST).tar.gz"

# make deb: an installable nslab_VERSION_ARCH.deb, built with dpkg-deb from
# what make install writes with PREFIX=/usr.  Depends is computed from the
# binaries (dpkg-shlibdeps: none when all are static); uidmap is recommended
# for usernsselfmap --subids.
DEBARCH = $(shell dpkg --print-architecture 2>/dev/null)
DEB     = nslab_$(VERSION)_$(DEBARCH).deb
deb: all
	rm -rf build/deb && mkdir -p build/deb/root/DEBIAN build/deb/shlibs/debian
	$(MAKE) -s install PREFIX=/usr DESTDIR=$(CURDIR)/build/deb/root
	# As Debian ships them: binaries stripped, man pages compressed.
	# One file for the chain tools, stripped once: the links stay links.
	strip --strip-unneeded $(addprefix build/deb/root/usr/bin/,$(firstword $(CHAIN)) $(filter-out $(CHAIN),$(TOOLS)))
	gzip -9n build/deb/root/usr/share/man/man*/*
	install -m 0644 packaging/copyright build/deb/root/usr/share/doc/nslab/copyright
	printf 'Source: nslab\n' >build/deb/shlibs/debian/control
	cd build/deb/shlibs && dpkg-shlibdeps -O $(addprefix ../root/usr/bin/,$(TOOLS)) \
		2>/dev/null | sed -n 's/^shlibs:Depends=//p' >../depends
	# Static binaries depend on nothing: then no Depends line at all.
	sed -e 's/@VERSION@/$(VERSION)/' -e 's/@ARCH@/$(DEBARCH)/' \
		-e "s/@DEPENDS@/$$(cat build/deb/depends)/" -e '/^Depends: *$$/d' \
		-e "s/@SIZE@/$$(du -sk build/deb/root/usr | cut -f1)/" \
		packaging/control >build/deb/root/DEBIAN/control
	dpkg-deb --root-owner-group -Zxz --build build/deb/root $(OUTDIR)/$(DEB) >/dev/null
	@echo "$(OUTDIR)/$(DEB)"

clean:
	rm -rf bin build $(DIST).tar.gz $(DEB)

.PHONY: all check check-run demo demo-run bench bench-run fuzz install uninstall dist deb clean FORCE
.SECONDARY:
