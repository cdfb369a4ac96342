# SPDX-License-Identifier: MIT
# nslab build configuration; override on the command line (make PREFIX=/usr).
VERSION   = 0.1.0
PREFIX    = /usr/local
BINDIR    = $(PREFIX)/bin
MANPREFIX = $(PREFIX)/share/man

CC       ?= cc
CPPFLAGS += -D_GNU_SOURCE -DNSLAB_VERSION=\"$(VERSION)\" -Ilib
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2
LDFLAGS  ?=
STATIC    = 1
FUZZ_SECONDS = 30
