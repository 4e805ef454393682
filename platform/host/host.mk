# Host build of the whole monitor (issue 8, step 1): the kernel and the
# services compiled for x86-64 with gcc, ASan and UBSan, over a simulated
# machine (arch/host, platform/host): physical memory is an array, EL3
# (GTSI with a GPT, the RAK, the platform token) is simulated, threads play
# CPUs. The NS test host's conformance tests (tests/nshost/test_*.c) compile
# unchanged against it (tests/nshost/host_sim.c implements tests/nshost/host.h),
# and the realms they run are tests/realm/payload_sim.c on the simulated realm
# processor (arch/host/realm.c).
#
#   make host-conformance   build $(HOSTSIM_BIN) and run it; "N passed, N failed"
#                           goes to $(TEST_OUT)/host-conformance.result
#   make host-conformance SERVICE_granule=sparse
#                           the same over the sparse granule service
#                           ($(TEST_OUT)/host-conformance-sparse.result)
#   ATOLL_SIM_CPUS=n        run with n CPUs (default: the cores, at most 4)
#   ATOLL_SIM_LOG=1         the RMM's log lines on stderr
#
# Included from tests/tests.mk after tests/unit/svc.mk (host copies of the
# generated IPC code and spec structures in $(BUILD)/host/gen).

HOST_CC        ?= gcc
HOSTSIM_OUT    := $(BUILD)/host/sim$(if $(filter-out array,$(SERVICE_granule)),-granule-$(SERVICE_granule))
HOSTSIM_BIN    := $(HOSTSIM_OUT)/atoll-host
# The command the suite runs (a wrapper may be put in front: HOSTSIM_RUN="gdb --args ...").
HOSTSIM_RUN    ?= $(HOSTSIM_BIN)
# The suite's name in $(TEST_OUT): host-conformance, or host-conformance-<variant>.
HOSTSIM_SUITE  := host-conformance$(if $(filter-out array,$(SERVICE_granule)),-$(SERVICE_granule))
HOSTSIM_GEN    := $(BUILD)/host/gen
HOSTSIM_CPUS   ?= 4

# Every conformance test of the NS test host; the realm they run is tests/realm/payload_sim.c.
HOSTSIM_TESTS  := $(sort $(wildcard tests/nshost/test_*.c))

HOSTSIM_KERNEL := kernel/rec.c kernel/vcpu.c kernel/attest_boot.c kernel/boot.c \
                  kernel/boot_check.c kernel/config.c kernel/el3.c kernel/exception.c \
                  kernel/features.c kernel/gmem.c kernel/ipc.c kernel/kapi.c kernel/kstate.c \
                  kernel/log.c kernel/rmi.c kernel/rmi_ctrl.c kernel/s2.c kernel/services.c
HOSTSIM_ARCH   := arch/host/cpu.c arch/host/sysreg.c arch/host/mmu.c arch/host/copy.c \
                  arch/host/smc.c arch/host/realm.c platform/host/machine.c platform/host/pa.c
HOSTSIM_SVC    := $(SVC_SRCS_granule) $(SVC_SRCS_realm) $(SVC_SRCS_attest)
# Tests of the host build alone (fault injection in the simulated EL3) run after them.
HOSTSIM_NSHOST := tests/nshost/host_sim.c $(HOSTSIM_TESTS) $(sort $(wildcard tests/hostsim/test_*.c)) \
                  tests/realm/payload_sim.c tests/hostsim/record.c

HOSTSIM_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
                  $(COV_FLAGS)
HOSTSIM_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla \
                  -fno-common -pthread $(HOSTSIM_SAN) -MMD -MP \
                  -DPLAT_MAX_CPUS=$(PLAT_MAX_CPUS) -DPLAT_MAX_DRAM_BANKS=$(PLAT_MAX_DRAM_BANKS) \
                  -DRMM_BASE=$(PLAT_RMM_BASE) -DRMM_SIZE=$(PLAT_RMM_SIZE) \
                  -DSERVICE_GRANULE_VARIANT='"$(SERVICE_granule)"' -DHOSTSIM_CPUS=$(HOSTSIM_CPUS)
# The RMM side: the firmware's include path with the host arch headers first.
HOSTSIM_RMM_INC := -Iarch/host/include -Iarch/aarch64/include -Ikernel/include -Ikernel/svc_include \
                   -Iplatform/host -Iipc/include -I$(HOSTSIM_GEN) \
                   $(SVC_INC_granule) $(SVC_INC_realm) -Iservices/attest \
                   $(MBEDTLS_HOST_INC) $(TINYCBOR_INC)
# The NS host side sees its own headers and the machine's interface only.
HOSTSIM_NS_INC  := -Itests/nshost -Iplatform/host -DNSHOST_SIM

HOSTSIM_RMM_OBJS := $(patsubst %,$(HOSTSIM_OUT)/rmm/%.o,$(HOSTSIM_KERNEL) $(HOSTSIM_ARCH) $(HOSTSIM_SVC)) \
                    $(patsubst %,$(HOSTSIM_OUT)/rmm/gen/%.c.o,granule realm attest)
HOSTSIM_NS_OBJS  := $(patsubst %,$(HOSTSIM_OUT)/ns/%.o,$(HOSTSIM_NSHOST))

$(HOSTSIM_OUT)/rmm/%.c.o: %.c platform/host/host.mk $(call ipc_gen_files,$(HOSTSIM_GEN),h) $(call spec_gen_files,$(HOSTSIM_GEN)) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(HOSTSIM_CFLAGS) -Wmissing-prototypes $(HOSTSIM_RMM_INC) -c $< -o $@

$(HOSTSIM_OUT)/rmm/gen/%.c.o: $(HOSTSIM_GEN)/ipc/%.c $(call ipc_gen_files,$(HOSTSIM_GEN),h) $(call spec_gen_files,$(HOSTSIM_GEN))
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOSTSIM_CFLAGS) $(HOSTSIM_RMM_INC) -c $< -o $@

# Tests run in the order they are written, as on the firmware (no toplevel reordering).
$(HOSTSIM_OUT)/ns/%.c.o: %.c platform/host/host.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $< [ns]"
	$(Q)$(HOST_CC) $(HOSTSIM_CFLAGS) -fno-toplevel-reorder $(HOSTSIM_NS_INC) -c $< -o $@

$(HOSTSIM_BIN): $(HOSTSIM_RMM_OBJS) $(HOSTSIM_NS_OBJS) $(MBEDTLS_HOST_LIB) $(TINYCBOR_HOST_LIB)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOSTSIM_SAN) -pthread $^ -o $@

.PHONY: host-sim host-conformance
host-sim: $(HOSTSIM_BIN)

host-conformance: $(HOSTSIM_BIN)
	$(Q)mkdir -p $(TEST_OUT)
	$(Q)log=$(TEST_OUT)/$(HOSTSIM_SUITE).log; res=$(TEST_OUT)/$(HOSTSIM_SUITE).result; \
		timeout 120 $(HOSTSIM_RUN) >$$log 2>&1; rc=$$?; \
		tail -1 $$log | sed 's/^/  [$(HOSTSIM_SUITE)] /'; \
		line=$$(sed -n 's/^host: \([0-9]* passed, [0-9]* failed\)$$/\1/p' $$log | tail -1); \
		if [ $$rc -ne 0 ] || [ -z "$$line" ]; then \
			echo "  [$(HOSTSIM_SUITE)] exit status $$rc (sanitizer report or crash: see $$log)"; \
			tail -30 $$log; \
			p=$$(echo "$$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p'); \
			echo "$${p:-0} passed, 1 failed" >$$res; exit 1; \
		fi; \
		echo "$$line" >$$res

-include $(HOSTSIM_RMM_OBJS:.o=.d) $(HOSTSIM_NS_OBJS:.o=.d)
