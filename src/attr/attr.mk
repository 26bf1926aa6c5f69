# attr.mk - process attribution: the eBPF half, built only when the tools
# are here (clang, bpftool, libbpf, kernel BTF); without them src/attr/bpf.c
# compiles to a stub that says so and attribution falls back at run time.
#   make NO_BPF=1        build without eBPF even when the tools are present
#
# Included by the top Makefile before its first rule: keep `all` the default.
.DEFAULT_GOAL := all

ATTR_GEN     := $(BUILD)/gen
ATTR_BTF     ?= /sys/kernel/btf/vmlinux
ATTR_CLANG   ?= $(shell command -v clang 2>/dev/null)
ATTR_BPFTOOL ?= $(firstword $(shell command -v bpftool 2>/dev/null) \
                            $(wildcard /usr/sbin/bpftool /usr/local/sbin/bpftool))
ATTR_LIBBPF  := $(shell pkg-config --exists libbpf 2>/dev/null && echo yes)
ATTR_ARCH    := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' \
                  -e 's/ppc64le/powerpc/' -e 's/riscv64/riscv/' -e 's/s390x/s390/')

ifeq ($(NO_BPF),)
ifneq ($(and $(ATTR_CLANG),$(ATTR_BPFTOOL),$(ATTR_LIBBPF),$(wildcard $(ATTR_BTF))),)
ATTR_HAVE_BPF := yes
endif
endif

ifeq ($(ATTR_HAVE_BPF),yes)
CPPFLAGS += -DWT_HAVE_BPF
LDLIBS   += $(shell pkg-config --libs libbpf) -lelf -lz
ATTR_BPF_CFLAGS := -O2 -g -target bpf -D__TARGET_ARCH_$(ATTR_ARCH) -Wall \
                   -I$(ATTR_GEN) -Isrc/attr/bpf $(shell pkg-config --cflags libbpf)

$(ATTR_GEN)/vmlinux.h:
	@mkdir -p $(dir $@)
	$(ATTR_BPFTOOL) btf dump file $(ATTR_BTF) format c > $@.tmp && mv $@.tmp $@

$(ATTR_GEN)/attr.bpf.o: src/attr/bpf/attr.bpf.c src/attr/bpf/attr_event.h $(ATTR_GEN)/vmlinux.h
	$(ATTR_CLANG) $(ATTR_BPF_CFLAGS) -c $< -o $@

$(ATTR_GEN)/attr.skel.h: $(ATTR_GEN)/attr.bpf.o
	$(ATTR_BPFTOOL) gen skeleton $< name attr_skel > $@.tmp && mv $@.tmp $@

$(BUILD)/src/attr/bpf.o: $(ATTR_GEN)/attr.skel.h
endif

# Live-test driver and benchmark: plain programs over the library.
ATTR_LIBA := $(BUILD)/libwiretop.a

$(BUILD)/live/attr_driver: tests/live/attr_driver.c $(ATTR_LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(ATTR_LIBA) $(LDFLAGS) $(LDLIBS)

$(BUILD)/bench/attr_bench: bench/attr_bench.c $(ATTR_LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(ATTR_LIBA) $(LDFLAGS) $(LDLIBS)

tests: $(BUILD)/live/attr_driver $(BUILD)/bench/attr_bench
bench: $(BUILD)/bench/attr_bench
