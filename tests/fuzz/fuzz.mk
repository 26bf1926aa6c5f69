# fuzz.mk - libFuzzer targets: every tests/fuzz/fuzz_<name>.c, built with
# clang against the project's sources, each run FUZZ_SECONDS with its seed
# corpus (tests/fuzz/corpus/<name>/). Run from the top of the tree:
#
#   make fuzz                          build, then run each target 60 s
#   make fuzz FUZZ_SECONDS=20          ... 20 s each (CI)
#   make fuzz FUZZ_TARGETS="tls dns"   only these
#   make -f tests/fuzz/fuzz.mk build   build only
#   make -f tests/fuzz/fuzz.mk replay  run each target once over its corpus
#
# The library sources (the FUZZ_MODULES folders of src/) are compiled with
# -fsanitize=fuzzer-no-link,address,undefined into $(FUZZ_BUILD)/ and
# archived; each target links the archive with -fsanitize=fuzzer, so it pulls
# in only the modules it uses. Undefined behaviour aborts (no recovery), so
# it counts as a crash. Any crash fails the run; tests/fuzz/run.sh says
# where the reproducer was saved.

FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_MODULES ?= base capture decode dissect flow field geo query output
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))

FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  := -std=c11 -g -O1 -fno-omit-frame-pointer -Isrc -D_GNU_SOURCE \
                -DWT_VERSION='"fuzz"' $(shell pkg-config --cflags libcrypto 2>/dev/null)
FUZZ_LDLIBS  := $(shell pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto) -lmaxminddb -lm -pthread

FUZZ_SRCS := $(sort $(foreach m,$(FUZZ_MODULES),$(shell find src/$(m) -name '*.c' ! -name '*.bpf.c' 2>/dev/null)))
FUZZ_OBJS := $(FUZZ_SRCS:%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_LIB  := $(FUZZ_BUILD)/libwiretop-fuzz.a
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

.PHONY: run build replay
run: build
	FUZZ_BUILD=$(FUZZ_BUILD) tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

build: $(FUZZ_BINS)

replay: build
	FUZZ_BUILD=$(FUZZ_BUILD) tests/fuzz/run.sh 0 $(FUZZ_TARGETS)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -MMD -MP -MF $@.d -o $@ $< $(FUZZ_LIB) $(FUZZ_LDLIBS)

-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
