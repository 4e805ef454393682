# mbedTLS 3.6 (crypto only) for the RMM firmware and for host tests.
#
# Include from the top-level Makefile after FW_CFLAGS, OUT, BUILD,
# CROSS_COMPILE and CC are set:
#     include third_party/mbedtls.mk
#
# Provides:
#   MBEDTLS_INC       include flags + config selection for code using mbedTLS
#   MBEDTLS_HOST_INC  same for host code (adds -DATOLL_MBEDTLS_HOST: heap stats)
#   MBEDTLS_LIB       $(OUT)/mbedtls/libmbedcrypto.a         (firmware)
#   MBEDTLS_HOST_LIB  $(BUILD)/host/mbedtls/libmbedcrypto.a  (host, gcc)
# Knobs:
#   MBEDTLS_OPT           firmware optimisation (default -O2; -Os saves ~6 KB)
#   THIRD_PARTY_SANITIZE  sanitizer flags for the host libraries
#                         (default ASan+UBSan, like the unit tests; empty = off)
#
# The sources come from build/third_party/mbedtls (scripts/deps.sh). The
# configuration is third_party/mbedtls_config.h. Only the library files the
# configuration needs are built; they are compiled with their own flags (the
# project's -Werror set is not applied to third-party code).

# Include guard: the top-level Makefile may include this already while
# run.sh or a command line adds it again with -f.
ifndef ATOLL_MBEDTLS_MK
ATOLL_MBEDTLS_MK := 1

# Wherever this is included, it does not change make's default goal.
MBEDTLS_SAVED_GOAL := $(.DEFAULT_GOAL)

MBEDTLS_MK_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
MBEDTLS_SRC    ?= $(BUILD)/third_party/mbedtls
MBEDTLS_VER    := $(shell sed -n 's/^MBEDTLS_VER=//p' scripts/deps.sh 2>/dev/null)
MBEDTLS_STAMP  := $(BUILD)/third_party/.mbedtls-$(MBEDTLS_VER).stamp

MBEDTLS_INC      := -I$(MBEDTLS_SRC)/include -I$(MBEDTLS_MK_DIR) '-DMBEDTLS_CONFIG_FILE=<mbedtls_config.h>'
MBEDTLS_HOST_INC := $(MBEDTLS_INC) -DATOLL_MBEDTLS_HOST
MBEDTLS_LIB      := $(OUT)/mbedtls/libmbedcrypto.a
MBEDTLS_HOST_LIB := $(BUILD)/host/mbedtls/libmbedcrypto.a

# library/*.c needed by mbedtls_config.h (every other file compiles to nothing).
MBEDTLS_MODULES := asn1parse asn1write bignum bignum_core constant_time ecdsa ecp \
                   ecp_curves hmac_drbg md memory_buffer_alloc platform platform_util \
                   sha256 sha512

MBEDTLS_PICOLIBC ?= $(if $(PICOLIBC),$(PICOLIBC),/usr/lib/picolibc/aarch64-linux-gnu)
MBEDTLS_AR       ?= $(CROSS_COMPILE)ar
MBEDTLS_OPT      ?= -O2
HOST_CC          ?= gcc
HOST_AR          ?= ar
THIRD_PARTY_SANITIZE ?= -fsanitize=address,undefined -fno-sanitize-recover=all

# Firmware: same code-generation flags as FW_CFLAGS, none of its -W/-Werror.
MBEDTLS_CFLAGS := -std=c99 $(MBEDTLS_OPT) -g -Wall -Wextra -ffreestanding -fno-builtin -nostdinc \
                  -isystem $(MBEDTLS_PICOLIBC)/include -isystem $(shell $(CC) -print-file-name=include) \
                  -mgeneral-regs-only -mstrict-align -mno-outline-atomics -fno-pie -fno-pic \
                  -fno-common -ffunction-sections -fdata-sections -fno-stack-protector \
                  -fno-asynchronous-unwind-tables -fno-unwind-tables -MMD -MP $(MBEDTLS_INC)
MBEDTLS_HOST_CFLAGS := -std=c99 -O2 -g -Wall -Wextra -fno-common $(THIRD_PARTY_SANITIZE) \
                       -MMD -MP $(MBEDTLS_HOST_INC)

MBEDTLS_OBJS      := $(patsubst %,$(OUT)/mbedtls/obj/%.o,$(MBEDTLS_MODULES))
MBEDTLS_HOST_OBJS := $(patsubst %,$(BUILD)/host/mbedtls/obj/%.o,$(MBEDTLS_MODULES))

# Objects also depend on a file holding their flags, rewritten only when the
# flags change (e.g. MBEDTLS_OPT=-Os, THIRD_PARTY_SANITIZE=): then they rebuild.
mbedtls_same = $(and $(findstring x$(strip $(1))x,x$(strip $(2))x),$(findstring x$(strip $(2))x,x$(strip $(1))x))
mbedtls_flags = $(if $(call mbedtls_same,$(file <$(1)),$(2)),,$(shell mkdir -p $(dir $(1)))$(file >$(1),$(2)))

$(OUT)/mbedtls/obj/.cflags: FORCE
	$(call mbedtls_flags,$@,$(CC) $(MBEDTLS_CFLAGS))

$(BUILD)/host/mbedtls/obj/.cflags: FORCE
	$(call mbedtls_flags,$@,$(HOST_CC) $(MBEDTLS_HOST_CFLAGS))

.PHONY: FORCE
FORCE:

$(MBEDTLS_STAMP):
	@mkdir -p $(BUILD)
	flock $(BUILD)/.deps.lock bash scripts/deps.sh

$(OUT)/mbedtls/obj/%.o: $(MBEDTLS_SRC)/library/%.c $(OUT)/mbedtls/obj/.cflags | $(MBEDTLS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $(patsubst $(BUILD)/third_party/%,%,$<)"
	$(Q)$(CC) $(MBEDTLS_CFLAGS) -c $< -o $@

$(BUILD)/host/mbedtls/obj/%.o: $(MBEDTLS_SRC)/library/%.c $(BUILD)/host/mbedtls/obj/.cflags | $(MBEDTLS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $(patsubst $(BUILD)/third_party/%,%,$<)"
	$(Q)$(HOST_CC) $(MBEDTLS_HOST_CFLAGS) -c $< -o $@

$(MBEDTLS_LIB): $(MBEDTLS_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(MBEDTLS_AR) rcsD $@ $^

$(MBEDTLS_HOST_LIB): $(MBEDTLS_HOST_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(HOST_AR) rcsD $@ $^

# Sources unpacked by deps.sh are never remade by make.
$(patsubst %,$(MBEDTLS_SRC)/library/%.c,$(MBEDTLS_MODULES)): | $(MBEDTLS_STAMP) ;

-include $(MBEDTLS_OBJS:.o=.d) $(MBEDTLS_HOST_OBJS:.o=.d)

.DEFAULT_GOAL := $(MBEDTLS_SAVED_GOAL)

endif # ATOLL_MBEDTLS_MK
