# Atoll: a microkernel Realm Management Monitor for Arm CCA.
#   make             firmware: build/$(PLATFORM)/rmm.img (+ rmm.elf, rmm.map; fip.bin on fvp)
#   make run         boot stock TF-A + Atoll + the NS test host on QEMU
#   make test        unit tests + QEMU tests + FVP packaging; ends "N passed, N failed"
#   make deps        install/fetch everything (run implicitly by run/test)
#   make audit       unsafe-site counts against tools/audit-budgets.toml
#   make SERVICE_granule=sparse ...   swap a service implementation
PLATFORM      ?= qemu
CROSS_COMPILE ?= aarch64-linux-gnu-
SMP           ?= 4
V             ?= 0

# Service implementations (research builds swap them): see services/services.mk.
SERVICE_granule ?= array
# standard, or faulty: test variants for the containment tests (services/services.mk)
SERVICE_attest  ?= standard
SERVICE_realm   ?= standard

TOP   := $(CURDIR)
BUILD := build
# A non-default service variant builds into its own tree.
OUT   := $(BUILD)/$(PLATFORM)$(if $(filter-out array,$(SERVICE_granule)),-granule-$(SERVICE_granule))$(if $(filter faulty,$(SERVICE_attest)),-attest-faulty)$(if $(filter faulty,$(SERVICE_realm)),-realm-faulty)
TP    := $(BUILD)/third_party
Q     := $(if $(filter 1,$(V)),,@)

include platform/$(PLATFORM)/platform.mk

CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
OBJDUMP := $(CROSS_COMPILE)objdump
SIZE    := $(CROSS_COMPILE)size

PICOLIBC := /usr/lib/picolibc/aarch64-linux-gnu
PLATDEFS := -DPLAT_MAX_CPUS=$(PLAT_MAX_CPUS) -DPLAT_MAX_DRAM_BANKS=$(PLAT_MAX_DRAM_BANKS) \
            -DRMM_BASE=$(PLAT_RMM_BASE) -DRMM_SIZE=$(PLAT_RMM_SIZE)

# Freestanding firmware flags shared by the RMM and the NS test host.
FW_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wvla -ffreestanding -fno-builtin -nostdinc \
             -isystem $(PICOLIBC)/include -isystem $(shell $(CC) -print-file-name=include) \
             -mgeneral-regs-only -mstrict-align -mno-outline-atomics -fno-pie -fno-pic \
             -fno-common -ffunction-sections -fdata-sections -fno-stack-protector \
             -fno-asynchronous-unwind-tables -MMD -MP
FW_ASFLAGS := -D__ASSEMBLY__ -MMD -MP
FW_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--gc-sections -Wl,--fatal-warnings \
              -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments -L$(PICOLIBC)/lib

include third_party/mbedtls.mk

include third_party/tinycbor.mk

# Generated IPC code (structs, validators, stubs, dispatch) from ipc/*.toml.
GEN         := $(OUT)/gen
IPC_GEN_DIR := $(GEN)
include ipc/ipc.mk

# Spec-defined structures (explicit-offset structs) from spec/structs.toml.
SPEC_GEN_DIR := $(GEN)
include spec/spec.mk

include services/services.mk

RMM_INC := -Iarch/aarch64/include -Ikernel/include -Ikernel/svc_include \
           -Iipc/include -I$(GEN) $(foreach s,$(SERVICES),$(SVC_INC_$(s)))
RMM_SRCS := arch/aarch64/head.S arch/aarch64/vectors.S arch/aarch64/smc.S \
            arch/aarch64/copy_nofault.S arch/aarch64/fault.c arch/aarch64/mmu.c \
            arch/aarch64/realm_entry.S arch/aarch64/fpsimd.S arch/aarch64/sve.S arch/aarch64/string.S kernel/rec.c kernel/vcpu.c kernel/attest_boot.c \
            kernel/boot.c kernel/boot_check.c kernel/config.c kernel/el3.c kernel/exception.c \
            kernel/features.c kernel/gmem.c kernel/ipc.c kernel/kapi.c kernel/kstate.c kernel/log.c kernel/pa.c \
            kernel/rmi.c kernel/rmi_ctrl.c kernel/s2.c kernel/services.c kernel/svc_el0.c platform/common/pl011.c
# The kernel links the client stubs of the interfaces it calls.
RMM_GEN_SRCS := granule realm attest
RMM_OBJS := $(patsubst %,$(OUT)/rmm/%.o,$(RMM_SRCS)) \
            $(patsubst %,$(OUT)/rmm/gen/%.c.o,$(RMM_GEN_SRCS))
PLATDEFS += -DSERVICE_GRANULE_VARIANT='"$(SERVICE_granule)"'
# The firmware runs its services at EL0 (kernel/svc_el0.h); the host twin calls them directly.
RMM_DEFS := -DSVC_EL0

.PHONY: all rmm nshost run test deps unit qemu-test fvp-fip clean distclean help attest-py-test
# On the FVP the image is also packed into a TF-A fip (the model cannot run here).
.DEFAULT_GOAL := all
all: rmm $(if $(filter fvp,$(PLATFORM)),$(OUT)/fip.bin)

help:
	@sed -n '2,6p' Makefile

rmm: $(OUT)/rmm.img

# The kernel links the client side only (servers live in the services).
$(OUT)/rmm/gen/%.c.o: $(GEN)/ipc/%.c $(IPC_GEN_HDRS) $(SPEC_GEN_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(FW_CFLAGS) $(PLATDEFS) $(RMM_INC) -D$(shell echo $* | tr a-z A-Z)_CLIENT_ONLY -c $< -o $@

$(OUT)/rmm/%.c.o: %.c $(IPC_GEN_HDRS) $(SPEC_GEN_HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(FW_CFLAGS) $(PLATDEFS) $(RMM_DEFS) $(RMM_INC) -c $< -o $@

$(OUT)/rmm/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(FW_ASFLAGS) $(PLATDEFS) $(RMM_INC) -c $< -o $@

$(OUT)/rmm.ld: arch/aarch64/rmm.ld.S arch/aarch64/include/arch/layout.h platform/$(PLATFORM)/platform.mk
	@mkdir -p $(dir $@)
	$(Q)$(CC) -E -P -x assembler-with-cpp -D__ASSEMBLY__ $(PLATDEFS) $(RMM_INC) $< -o $@

$(OUT)/rmm.elf: $(RMM_OBJS) $(SVC_OBJS) $(OUT)/rmm.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(FW_LDFLAGS) $(foreach s,$(SERVICES),-Wl,-u,$(s)_dispatch -Wl,-u,$(s)_init) \
		-T $(OUT)/rmm.ld -Wl,-Map=$(OUT)/rmm.map $(RMM_OBJS) $(SVC_OBJS) -lc -lgcc -o $@

$(OUT)/rmm.img: $(OUT)/rmm.elf
	@echo "  BIN     $@"
	$(Q)$(OBJCOPY) -O binary $< $@
	$(Q)$(SIZE) $< | tail -1 | awk '{printf "  SIZE    text %d, data %d, bss %d (rmm.elf)\n", $$1, $$2, $$3}'

include tests/nshost/nshost.mk
include tests/tests.mk

deps:
	@bash scripts/deps.sh

clean:
	rm -rf $(BUILD)/qemu* $(BUILD)/fvp $(BUILD)/host $(BUILD)/tfa $(BUILD)/test $(BUILD)/bench

distclean:
	rm -rf $(BUILD)

-include $(RMM_OBJS:.o=.d)
include tools/audit.mk
include tools/lint.mk
