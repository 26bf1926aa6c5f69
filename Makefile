# wiretop - plain make + pkg-config. Objects live under $(BUILD)/.
#   make            build $(BUILD)/wiretop
#   make check      install missing packages (as root), build, run every test (tests/run.sh)
#   make asan-check the whole test suite under ASan + UBSan (build-asan/)
#   make fuzz       libFuzzer targets (clang), each run FUZZ_SECONDS
#   make bench      benchmarks (bench/run.sh)
#   make run        install missing -dev packages (as root), build, start
#   make install / uninstall / setcap   (PREFIX, DESTDIR honoured)

VERSION := 0.1.0
BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc

PKGS        := libpcap ncursesw libcrypto libcares libmaxminddb
PKG_CFLAGS  := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lpcap -lncursesw -ltinfo -lcrypto -lcares -lmaxminddb)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wcast-qual -Wwrite-strings -Wundef -Wno-unused-parameter
ifdef WERROR
WARN += -Werror
endif
OPT ?= -O2 -g
ifdef SAN
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDSAN := -fsanitize=address,undefined
endif

CPPFLAGS += -Isrc -I$(BUILD)/gen -D_GNU_SOURCE -DWT_VERSION='"$(VERSION)"'
CFLAGS   += -std=c11 $(OPT) $(WARN) -MMD -MP $(PKG_CFLAGS) -pthread
LDFLAGS  += $(LDSAN) -pthread
LDLIBS   += $(PKG_LIBS) -lm

# Optional modules add sources, flags and libraries here (e.g. eBPF).
EXTRA_OBJS :=
-include src/attr/attr.mk
-include src/sandbox/sandbox.mk

LIB_SRCS := $(filter-out src/main.c,$(shell find src -name '*.c' ! -name '*.bpf.c' | sort))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(EXTRA_OBJS)
MAIN_OBJ := $(BUILD)/src/main.o
LIB      := $(BUILD)/libwiretop.a
BIN      := $(BUILD)/wiretop

TEST_SRCS := $(sort $(wildcard tests/unit/test_*.c))
TEST_BINS := $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TEST_HELPERS := $(filter-out $(TEST_SRCS),$(wildcard tests/unit/*.c))

.PHONY: all check asan asan-check fuzz bench run install uninstall setcap clean deps test-deps tests
all: $(BIN)

$(BIN): $(MAIN_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(LIB): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The test's own source last: with several sources -MMD writes one .d for
# the binary, from the last one compiled, and that must be the test's (it
# names what the test includes, such as tests/tui/tui_demo.c).
$(BUILD)/tests/%: tests/unit/%.c $(TEST_HELPERS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/unit -o $@ $(TEST_HELPERS) $< $(LIB) $(LDFLAGS) $(LDLIBS)

tests: $(BIN) $(TEST_BINS)

# The packages come first and the build in a new make: the pkg-config
# flags above were read before they were installed.
check: test-deps
	$(MAKE) --no-print-directory tests
	BUILD=$(BUILD) tests/run.sh

asan:
	$(MAKE) BUILD=build-asan SAN=1 tests

# What does not depend on the build runs in `check` only: the .deb (built
# from the sources with its own flags, tests/cli/package.sh) and the golden
# expectations against tshark (tests/golden/run.sh).
asan-check:
	WIRETOP_TEST_DEB=0 WIRETOP_SANITIZED=1 $(MAKE) BUILD=build-asan SAN=1 check

fuzz:
	$(MAKE) -f tests/fuzz/fuzz.mk

$(BUILD)/bench/ui_bench: bench/ui_bench.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/tui -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)

$(BUILD)/bench/snapshot_bench: bench/snapshot_bench.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)

bench: $(BIN) $(BUILD)/bench/ui_bench $(BUILD)/bench/snapshot_bench
	bench/run.sh $(BIN)

deps:
	scripts/install-deps.sh

test-deps:
	scripts/install-deps.sh --test

run: deps
	$(MAKE) all
	scripts/run.sh $(BIN)

install: $(BIN)
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/wiretop
	install -D -m 0644 docs/wiretop.1 $(DESTDIR)$(PREFIX)/share/man/man1/wiretop.1
	install -D -m 0644 completions/wiretop.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/wiretop
	install -D -m 0644 completions/_wiretop $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_wiretop

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/wiretop $(DESTDIR)$(PREFIX)/share/man/man1/wiretop.1 \
	      $(DESTDIR)$(PREFIX)/share/bash-completion/completions/wiretop \
	      $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_wiretop

setcap: $(BIN)
	setcap cap_net_raw,cap_net_admin,cap_bpf,cap_perfmon=eip $(BIN)

clean:
	rm -rf build build-asan build-fuzz .test-cache

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
