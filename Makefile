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
# The chain tools are linked -static-pie: exec and the dynamic loader are most
# of a chain's start-up, paid once per tool (docs/performance.md).  nsinfo
# stays dynamic, since it looks up user names through NSS.  STATIC=0 to turn
# it off; sanitizer builds cannot be static.
ifeq ($(STATIC),1)
CHAIN_LDFLAGS = -static-pie
endif

LIBSRC  := $(wildcard lib/*.c)
LIBOBJ  := $(LIBSRC:lib/%.c=build/lib/%.o)
LIB     := lib/libnslab.a
TOOLS   := $(patsubst tools/%.c,%,$(wildcard tools/*.c))
BINS    := $(TOOLS:%=bin/%)
MANS    := $(wildcard docs/man/*.1 docs/man/*.7)
# C programs the test suites use: unit tests of lib/ and small helpers.
TESTSRC := $(wildcard tests/unit_*.c tests/helpers/*.c)
TESTBIN := $(TESTSRC:tests/%.c=build/tests/%)
# C programs of examples/ (the articles' own programs, written in C).
EXSRC   := $(wildcard examples/*.c)
EXBIN   := $(EXSRC:examples/%.c=build/examples/%)

all: $(BINS)

# Rebuild everything when the flags change (make SAN=1 after a plain make).
build/.flags: FORCE
	@mkdir -p build
	@echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(CHAIN_LDFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(CHAIN_LDFLAGS)' > $@

build/lib/%.o: lib/%.c lib/*.h build/.flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

bin/%: tools/%.c $(LIB) lib/*.h build/.flags
	@mkdir -p bin
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(if $(filter nsinfo,$*),,$(CHAIN_LDFLAGS)) -o $@ $< $(LIB)

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
