# TinyCBOR 0.6 for the RMM firmware (encoder only) and for host tests
# (encoder + parser + validation + pretty-printer).
#
# Include from the top-level Makefile after FW_CFLAGS, OUT, BUILD,
# CROSS_COMPILE and CC are set:
#     include third_party/tinycbor.mk
#
# Provides:
#   TINYCBOR_INC       include flags for code using <cbor.h>
#   TINYCBOR_LIB       $(OUT)/tinycbor/libtinycbor.a         (firmware, encoder only)
#   TINYCBOR_HOST_LIB  $(BUILD)/host/tinycbor/libtinycbor.a  (host, gcc)
# Knobs:
#   TINYCBOR_FW_PARSER=1   also put the parser into the firmware library
#                          (cborparser.c is freestanding-clean; off by default)
#   THIRD_PARTY_SANITIZE   sanitizer flags for the host libraries
#
# The firmware library is built with NDEBUG (tinycbor's asserts would pull in
# picolibc's __assert_func and its stdio) and CBOR_NO_FLOATING_POINT (no
# <math.h>, no half-float helpers). Files that need FILE*/stdio or malloc
# (cborpretty_stdio.c, cbortojson.c, open_memstream.c, cborparser_dup_string.c)
# are never in the firmware library. No configuration header is needed.

# Include guard: the top-level Makefile may include this already while
# run.sh or a command line adds it again with -f.
ifndef ATOLL_TINYCBOR_MK
ATOLL_TINYCBOR_MK := 1

# Wherever this is included, it does not change make's default goal.
TINYCBOR_SAVED_GOAL := $(.DEFAULT_GOAL)

TINYCBOR_MK_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
TINYCBOR_SRC    ?= $(BUILD)/third_party/tinycbor
TINYCBOR_VER    := $(shell sed -n 's/^CBOR_VER=//p' scripts/deps.sh 2>/dev/null)
TINYCBOR_STAMP  := $(BUILD)/third_party/.tinycbor-$(TINYCBOR_VER).stamp

TINYCBOR_INC      := -I$(TINYCBOR_SRC)/src
TINYCBOR_LIB      := $(OUT)/tinycbor/libtinycbor.a
TINYCBOR_HOST_LIB := $(BUILD)/host/tinycbor/libtinycbor.a

TINYCBOR_FW_PARSER ?= 0
TINYCBOR_MODULES := cborencoder cborencoder_close_container_checked cborerrorstrings \
                    $(if $(filter 1,$(TINYCBOR_FW_PARSER)),cborparser)
TINYCBOR_HOST_MODULES := cborencoder cborencoder_close_container_checked cborencoder_float \
                         cborerrorstrings cborparser cborparser_dup_string cborparser_float \
                         cborvalidation cborpretty cborpretty_stdio

TINYCBOR_PICOLIBC ?= $(if $(PICOLIBC),$(PICOLIBC),/usr/lib/picolibc/aarch64-linux-gnu)
TINYCBOR_AR       ?= $(CROSS_COMPILE)ar
HOST_CC           ?= gcc
HOST_AR           ?= ar
THIRD_PARTY_SANITIZE ?= -fsanitize=address,undefined -fno-sanitize-recover=all

TINYCBOR_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -ffreestanding -fno-builtin -nostdinc \
                   -isystem $(TINYCBOR_PICOLIBC)/include -isystem $(shell $(CC) -print-file-name=include) \
                   -mgeneral-regs-only -mstrict-align -mno-outline-atomics -fno-pie -fno-pic \
                   -fno-common -ffunction-sections -fdata-sections -fno-stack-protector \
                   -fno-asynchronous-unwind-tables -fno-unwind-tables -MMD -MP \
                   -DNDEBUG -DCBOR_NO_FLOATING_POINT $(TINYCBOR_INC)
TINYCBOR_HOST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -fno-common $(THIRD_PARTY_SANITIZE) \
                        -MMD -MP $(TINYCBOR_INC)

TINYCBOR_OBJS      := $(patsubst %,$(OUT)/tinycbor/obj/%.o,$(TINYCBOR_MODULES))
TINYCBOR_HOST_OBJS := $(patsubst %,$(BUILD)/host/tinycbor/obj/%.o,$(TINYCBOR_HOST_MODULES))

# Objects also depend on a file holding their flags, rewritten only when the
# flags change (e.g. THIRD_PARTY_SANITIZE=): then they rebuild.
tinycbor_same = $(and $(findstring x$(strip $(1))x,x$(strip $(2))x),$(findstring x$(strip $(2))x,x$(strip $(1))x))
tinycbor_flags = $(if $(call tinycbor_same,$(file <$(1)),$(2)),,$(shell mkdir -p $(dir $(1)))$(file >$(1),$(2)))

$(OUT)/tinycbor/obj/.cflags: FORCE
	$(call tinycbor_flags,$@,$(CC) $(TINYCBOR_CFLAGS))

$(BUILD)/host/tinycbor/obj/.cflags: FORCE
	$(call tinycbor_flags,$@,$(HOST_CC) $(TINYCBOR_HOST_CFLAGS))

.PHONY: FORCE
FORCE:

$(TINYCBOR_STAMP):
	@mkdir -p $(BUILD)
	flock $(BUILD)/.deps.lock bash scripts/deps.sh

$(OUT)/tinycbor/obj/%.o: $(TINYCBOR_SRC)/src/%.c $(OUT)/tinycbor/obj/.cflags | $(TINYCBOR_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $(patsubst $(BUILD)/third_party/%,%,$<)"
	$(Q)$(CC) $(TINYCBOR_CFLAGS) -c $< -o $@

$(BUILD)/host/tinycbor/obj/%.o: $(TINYCBOR_SRC)/src/%.c $(BUILD)/host/tinycbor/obj/.cflags | $(TINYCBOR_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $(patsubst $(BUILD)/third_party/%,%,$<)"
	$(Q)$(HOST_CC) $(TINYCBOR_HOST_CFLAGS) -c $< -o $@

$(TINYCBOR_LIB): $(TINYCBOR_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(TINYCBOR_AR) rcsD $@ $^

$(TINYCBOR_HOST_LIB): $(TINYCBOR_HOST_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(HOST_AR) rcsD $@ $^

# Sources unpacked by deps.sh are never remade by make.
$(patsubst %,$(TINYCBOR_SRC)/src/%.c,$(sort $(TINYCBOR_MODULES) $(TINYCBOR_HOST_MODULES))): | $(TINYCBOR_STAMP) ;

-include $(TINYCBOR_OBJS:.o=.d) $(TINYCBOR_HOST_OBJS:.o=.d)

.DEFAULT_GOAL := $(TINYCBOR_SAVED_GOAL)

endif # ATOLL_TINYCBOR_MK
