# sandbox.mk - the seccomp half of src/sandbox needs libseccomp; without it
# src/sandbox/seccomp.c compiles to a stub and --doctor says so.
#   make NO_SECCOMP=1    build without seccomp even when libseccomp is present
#
# Included by the top Makefile (and tests/fuzz/fuzz.mk) before its first rule.

ifeq ($(NO_SECCOMP),)
SANDBOX_SECCOMP := $(shell pkg-config --exists libseccomp 2>/dev/null && echo yes)
endif

ifeq ($(SANDBOX_SECCOMP),yes)
CPPFLAGS += -DWT_HAVE_SECCOMP $(shell pkg-config --cflags libseccomp)
LDLIBS   += $(shell pkg-config --libs libseccomp)
endif
