# SPDX-License-Identifier: MIT
# nslab build configuration; override on the command line (make PREFIX=/usr).
VERSION   = 0.3.0
PREFIX    = /usr/local
BINDIR    = $(PREFIX)/bin
MANPREFIX = $(PREFIX)/share/man
DOCDIR    = $(PREFIX)/share/doc/nslab
COMPDIR   = $(PREFIX)/share/bash-completion/completions

CC       ?= cc
CPPFLAGS += -D_GNU_SOURCE -DNSLAB_VERSION=\"$(VERSION)\" -Ilib
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2
LDFLAGS  ?=
STATIC    = 1
# The C library the chain tools (every tools/*.c but nsinfo) link against:
# musl, -static-pie, when musl-gcc is found (Debian: musl-tools); glibc
# otherwise, or with LIBC=glibc.  A static musl program starts in a fraction
# of static glibc's time (docs/performance.md).  nsinfo, the tests, the
# examples and SAN=1 builds always use glibc.
MUSL_CC   = musl-gcc
LIBC     := $(if $(shell command -v $(MUSL_CC) 2>/dev/null),musl,glibc)
FUZZ_SECONDS = 30
