# Host tests of the IPC transport: kernel/ipc.c compiled unchanged for the
# host (arch/host twins), a test service registry built from generated code
# (ipc/example.toml + tests/unit/ipc/*.toml), CMocka tests.
#
#   make ipc-unit    build and run; "N passed, N failed" -> $(TEST_OUT)/ipc-unit.result
#
# Binaries (in $(BUILD)/host/ipc-unit):
#   test_ipc            functional tests (ASan + UBSan)
#   test_ipc_conc       backpressure and the 4-CPU model, 4+ threads (ASan + UBSan)
#   test_ipc_conc_tsan  the same concurrency tests under ThreadSanitizer
# Included from tests/tests.mk; stand-alone: make -f Makefile -f tests/unit/ipc.mk ipc-unit

IPCU_BUILD    := $(or $(BUILD),build)
IPCU_TEST_OUT := $(or $(TEST_OUT),$(IPCU_BUILD)/test)
IPCU_OUT      := $(IPCU_BUILD)/host/ipc-unit
IPCU_GEN      := $(IPCU_BUILD)/host/ipc-test-gen
IPCU_CC       ?= $(or $(HOST_CC),gcc)

# Schemas: ipc/example.toml is service 1 (IPC_SVC_GRANULE); the test-only
# schemas add service-1 ops (tgran) and services 2 and 3 (tsvc2, tsvc3).
IPCU_SCHEMAS  := ipc/example.toml tests/unit/ipc/tgran.toml tests/unit/ipc/tsvc2.toml \
                 tests/unit/ipc/tsvc3.toml
IPCU_GEN_SRCS := $(foreach s,$(IPCU_SCHEMAS),$(IPCU_GEN)/ipc/$(basename $(notdir $(s))).c)
IPCU_GEN_HDRS := $(IPCU_GEN_SRCS:.c=.h)

IPCU_CFLAGS   := -std=c11 -g -O1 -Wall -Wextra -Werror -pthread -Iarch/host/include \
                 -Ikernel/include -Iipc/include -I$(IPCU_GEN) -Itests/unit/ipc \
                 -DPLAT_MAX_CPUS=32 $(COV_FLAGS)
IPCU_ASAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
IPCU_TSAN     := -fsanitize=thread -fno-sanitize-recover=all
IPCU_LIBS     := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# The code under test (unchanged) and the harness around it.
IPCU_SRCS     := kernel/ipc.c kernel/kstate.c kernel/log.c arch/host/cpu.c tests/unit/ipc/harness.c \
                 $(IPCU_GEN_SRCS)
IPCU_HDRS     := $(wildcard kernel/include/kernel/*.h) ipc/include/ipc/ipc.h \
                 arch/host/include/arch/cpu.h tests/unit/ipc/harness.h $(IPCU_GEN_HDRS)

IPCU_BINS     := $(IPCU_OUT)/test_ipc $(IPCU_OUT)/test_ipc_conc $(IPCU_OUT)/test_ipc_conc_tsan

# The generator rewrites an output only when its content changes.
$(IPCU_GEN)/.stamp: $(IPCU_SCHEMAS) tools/ipcgen.py ipc/include/ipc/ipc.h
	@mkdir -p $(IPCU_GEN)
	$(Q)for s in $(IPCU_SCHEMAS); do python3 tools/ipcgen.py $$s $(IPCU_GEN) || exit 1; done
	$(Q)touch $@
$(IPCU_GEN_SRCS) $(IPCU_GEN_HDRS): $(IPCU_GEN)/.stamp
	$(Q)test -e $@ || for s in $(IPCU_SCHEMAS); do python3 tools/ipcgen.py $$s $(IPCU_GEN) || exit 1; done

# cmocka comes with the setup (scripts/deps.sh), like for tests/unit/unit.mk.
$(IPCU_BINS): | $(DEPS_STAMP)

$(IPCU_OUT)/test_ipc: tests/unit/ipc/test_ipc.c $(IPCU_SRCS) $(IPCU_HDRS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(IPCU_CC) $(IPCU_CFLAGS) $(IPCU_ASAN) $(filter %.c,$^) $(IPCU_LIBS) -o $@

$(IPCU_OUT)/test_ipc_conc: tests/unit/ipc/test_ipc_conc.c $(IPCU_SRCS) $(IPCU_HDRS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(IPCU_CC) $(IPCU_CFLAGS) $(IPCU_ASAN) $(filter %.c,$^) $(IPCU_LIBS) -o $@

$(IPCU_OUT)/test_ipc_conc_tsan: tests/unit/ipc/test_ipc_conc.c $(IPCU_SRCS) $(IPCU_HDRS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(IPCU_CC) $(IPCU_CFLAGS) $(IPCU_TSAN) $(filter %.c,$^) $(IPCU_LIBS) -o $@

.PHONY: ipc-unit
ipc-unit: $(IPCU_BINS)
	$(Q)mkdir -p $(IPCU_TEST_OUT)
	$(Q)bash scripts/run-unit.sh $(IPCU_TEST_OUT)/ipc-unit $^
