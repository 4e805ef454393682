# Benchmarks (issue 9, docs/performance.md): instructions per RMI call under
# QEMU -icount shift=0, footprint, IPC cost. Included from tests/tests.mk.
#
#   make bench                   build the benchmark host, boot it with stock TF-A
#                                and $(OUT)/rmm.img on one CPU, write
#                                build/bench/results.{csv,md,svg}
#   make bench RMM_IMG=<path>    the same against another RMM v1.0 image
#   make bench BENCH_OUT=<dir>   another output directory (side-by-side runs)
#   make bench BENCH_RUNS=21     calls per row (default 51; medians)
#   make bench BENCH_BASELINE=<dir>  also the change of every row against an earlier
#                                run's output directory (e.g. BENCH_OUT of another image)
#   make bench BENCH_PROFILE=1   also count the RMM's instructions in memcpy/memset
#                                per call (slower: about a minute)
#   make -f Makefile -f tests/bench/bench.mk BENCH_STANDALONE=1 bench
#                                the same before tests/tests.mk includes this file
#
# The benchmark host is a second BL33: tests/bench/*.c|S plus the NS test
# host runtime (tests/nshost/start.S, host.c) compiled from where they live,
# built twice: BENCH_RUNS calls per row for the measurement, 3 for the
# traced run that splits EL3 from the RMM (scripts/bench/run.py). Each fip is
# packed with TF-A's own fiptool from bl2.bin/bl31.bin of the normal TF-A
# build ($(TFA_BIN)); TF-A's build directory is never written.

BENCH_OUT     ?= $(BUILD)/bench
BENCH_RUNS    ?= 51
BENCH_TRACE_RUNS := 3
BENCH_TIMEOUT ?= 120
RMM_IMG       ?= $(OUT)/rmm.img
# Atoll's own image: its ELF gives symbols (IPC calls), sections and stacks.
BENCH_IS_ATOLL := $(filter $(abspath $(OUT)/rmm.img),$(abspath $(RMM_IMG)))

BENCH_HOST_SRCS := tests/nshost/start.S tests/nshost/host.c tests/bench/bench.c tests/bench/bench_smc.S \
                   tests/bench/realm_blob.S
BENCH_REALM_BIN := $(BENCH_OUT)/realm/payload.bin
BENCH_HOST_DEFS := -DNS_BASE=$(PLAT_NS_BASE) -DNS_UART=$(PLAT_NS_UART) -DNS_DTB=$(PLAT_NS_DTB)
BENCH_FIPTOOL   := $(TFA_SRC)/tools/fiptool/fiptool
# TF-A's bl1/bl2/bl31 come from the normal TF-A build (tests/tests.mk); once it
# exists the benchmark does not ask make to bring the normal images up to date.
BENCH_TFA       := $(if $(wildcard $(TFA_OUT)/.built),,$(TFA_OUT)/.built)

.PHONY: bench bench-run bench-host bench-ipc-host FORCE
BENCH_MAKE = $(MAKE) --no-print-directory $(if $(BENCH_STANDALONE),-f Makefile -f tests/bench/bench.mk)

bench: deps
	$(Q)$(BENCH_MAKE) PLATFORM=qemu bench-run

bench-host: $(BENCH_OUT)/main/bench-host.bin $(BENCH_OUT)/trace/bench-host.bin

# ---- the benchmark host, once per number of runs ($(1): main|trace, $(2): runs) ----
define bench_host
$(BENCH_OUT)/$(1)/runs.$(2):
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)rm -f $(BENCH_OUT)/$(1)/runs.*
	$$(Q)touch $$@

$(BENCH_OUT)/$(1)/obj/%.c.o: %.c $(BENCH_OUT)/$(1)/runs.$(2)
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$< [bench $(1)]"
	$$(Q)$$(CC) $$(FW_CFLAGS) -Wno-missing-prototypes $$(BENCH_HOST_DEFS) -DBENCH_RUNS=$(2)u \
		-Itests/nshost -c $$< -o $$@

$(BENCH_OUT)/$(1)/obj/%.S.o: %.S
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(FW_ASFLAGS) $$(BENCH_HOST_DEFS) -DBENCH_REALM_BIN='"$(BENCH_REALM_BIN)"' -c $$< -o $$@

$(BENCH_OUT)/$(1)/obj/tests/bench/realm_blob.S.o: $(BENCH_REALM_BIN)

$(BENCH_OUT)/$(1)/bench-host.elf: $(patsubst %,$(BENCH_OUT)/$(1)/obj/%.o,$(BENCH_HOST_SRCS)) \
		$(BENCH_OUT)/bench-host.ld
	@echo "  LD      $$@"
	$$(Q)$$(CC) $$(FW_LDFLAGS) -T $(BENCH_OUT)/bench-host.ld \
		$(patsubst %,$(BENCH_OUT)/$(1)/obj/%.o,$(BENCH_HOST_SRCS)) -lc -lgcc -o $$@

$(BENCH_OUT)/$(1)/bench-host.bin: $(BENCH_OUT)/$(1)/bench-host.elf
	$$(Q)$$(OBJCOPY) -O binary $$< $$@

# BL2 + BL31 of the normal TF-A build, the RMM under test, the benchmark host.
# QEMU's BL2 needs no config DTBs (the normal fip has none either).
$(BENCH_OUT)/$(1)/fip.bin: $(BENCH_OUT)/$(1)/bench-host.bin $(BENCH_OUT)/rmm.img $(BENCH_FIPTOOL) \
		| $(BENCH_TFA)
	$$(Q)rm -f $$@
	$$(Q)$(BENCH_FIPTOOL) create --tb-fw $(TFA_BIN)/bl2.bin --soc-fw $(TFA_BIN)/bl31.bin \
		--rmm-fw $(BENCH_OUT)/rmm.img --nt-fw $$< $$@ >/dev/null

$(BENCH_OUT)/$(1)/flash.bin: $(BENCH_OUT)/$(1)/fip.bin
	$$(Q)dd if=/dev/zero of=$$@ bs=1M count=64 status=none
	$$(Q)dd if=$(TFA_BIN)/bl1.bin of=$$@ bs=4096 conv=notrunc status=none
	$$(Q)dd if=$$< of=$$@ seek=64 bs=4096 conv=notrunc status=none

-include $(patsubst %,$(BENCH_OUT)/$(1)/obj/%.d,$(BENCH_HOST_SRCS))
endef
$(eval $(call bench_host,main,$(BENCH_RUNS)))
$(eval $(call bench_host,trace,$(BENCH_TRACE_RUNS)))

# The realm payload: one page of code at IPA 0 (R-EL1, MMU off).
$(BENCH_OUT)/realm/payload.elf: tests/bench/realm.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(FW_ASFLAGS) -c $< -o $(BENCH_OUT)/realm/realm.o
	$(Q)$(CC) -nostdlib -static -Wl,--build-id=none -Wl,-Ttext=0 -Wl,-e,_start \
		$(BENCH_OUT)/realm/realm.o -o $@

$(BENCH_REALM_BIN): $(BENCH_OUT)/realm/payload.elf
	$(Q)$(OBJCOPY) -O binary $< $@
	$(Q)test $$(stat -c %s $@) -le 4096 || { echo "$@: the realm payload must fit one page"; rm -f $@; exit 1; }

$(BENCH_OUT)/bench-host.ld: tests/nshost/nshost.ld.S platform/qemu/platform.mk
	@mkdir -p $(dir $@)
	$(Q)$(CC) -E -P -x assembler-with-cpp $(BENCH_HOST_DEFS) $< -o $@

# TF-A's fiptool, built by TF-A's own makefile in its source tree (the
# normal fip rule builds it too).
$(BENCH_FIPTOOL): | $(DEPS_STAMP)
	@mkdir -p $(TFA_OUT)
	$(Q)$(TFA_MAKE) RMM=$(abspath $(OUT)/rmm.img) BL33=$(abspath $(OUT)/nshost.bin) fiptool \
		>>$(TFA_OUT).log 2>&1 || { tail -30 $(TFA_OUT).log; exit 1; }

# A snapshot of the image under test (and of Atoll's ELF, when it matches
# the image), so that a concurrent rebuild of $(OUT) cannot mix two builds.
$(BENCH_OUT)/rmm.img: $(RMM_IMG) $(if $(BENCH_IS_ATOLL),$(OUT)/rmm.elf) FORCE
	@mkdir -p $(dir $@)
	$(Q)cp $(RMM_IMG) $@.tmp
	$(Q)rm -f $(BENCH_OUT)/rmm.elf
	$(if $(BENCH_IS_ATOLL),$(Q)cp $(OUT)/rmm.elf $(BENCH_OUT)/rmm.elf.tmp && \
		$(OBJCOPY) -O binary $(BENCH_OUT)/rmm.elf.tmp $(BENCH_OUT)/rmm.elf.bin && \
		if cmp -s $(BENCH_OUT)/rmm.elf.bin $@.tmp; then mv $(BENCH_OUT)/rmm.elf.tmp $(BENCH_OUT)/rmm.elf; \
		else echo "  BENCH   $(OUT)/rmm.elf does not match the image: no symbols"; fi; \
		rm -f $(BENCH_OUT)/rmm.elf.tmp $(BENCH_OUT)/rmm.elf.bin)
	$(Q)if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi
	@echo "  BENCH   RMM image $(RMM_IMG)"

FORCE:

# ---- IPC cost on the host (callgrind): kernel/ipc.c unchanged + generated code ----
BENCH_IPC_OUT  := $(BENCH_OUT)/ipc-host
BENCH_IPC_GEN  := $(BENCH_IPC_OUT)/gen
BENCH_IPC_GENC := $(patsubst %,$(BENCH_IPC_GEN)/ipc/%.c,granule realm attest)
BENCH_IPC_GENH := $(BENCH_IPC_GENC:.c=.h)
BENCH_HOST_CC  ?= gcc
# -O2 -fno-builtin as in the firmware: every memcpy/memset is a call, as on the target.
BENCH_IPC_CFLAGS := -std=c11 -O2 -g -fno-builtin -Wall -Wextra -Werror -Iarch/host/include \
                    -Ikernel/include -Iipc/include -I$(BENCH_IPC_GEN) -DPLAT_MAX_CPUS=$(PLAT_MAX_CPUS)

$(BENCH_IPC_GEN)/ipc/%.c $(BENCH_IPC_GEN)/ipc/%.h: ipc/%.toml tools/ipcgen.py ipc/include/ipc/ipc.h
	@mkdir -p $(BENCH_IPC_GEN)
	$(Q)python3 tools/ipcgen.py $< $(BENCH_IPC_GEN)

$(BENCH_IPC_OUT)/noop_handlers.c: $(BENCH_IPC_GENH) scripts/bench/gen_noop.py
	@mkdir -p $(dir $@)
	$(Q)python3 scripts/bench/gen_noop.py $@ $(BENCH_IPC_GENH) --skip realm_handle_activate

$(BENCH_IPC_OUT)/ipc_cost: tests/bench/ipc_cost.c kernel/ipc.c kernel/kstate.c arch/host/cpu.c \
		$(BENCH_IPC_OUT)/noop_handlers.c $(BENCH_IPC_GENC) $(BENCH_IPC_GENH) \
		$(wildcard kernel/include/kernel/*.h) ipc/include/ipc/ipc.h
	@echo "  HOSTCC  $@"
	$(Q)$(BENCH_HOST_CC) $(BENCH_IPC_CFLAGS) $(filter %.c,$^) -o $@

bench-ipc-host: $(BENCH_IPC_OUT)/ipc_cost
	$(Q)bash scripts/bench/ensure-valgrind.sh
	@echo "  IPC     callgrind: N calls through the transport vs N direct handler calls"
	$(Q)python3 scripts/bench/ipc_callgrind.py $< $(BENCH_IPC_OUT)

# The granule-table size function of each granule-service variant, for the host.
$(BENCH_OUT)/footprint/gtw_%: tests/bench/gtw.c services/granule/%/gstore.c services/granule/common.c \
		$(BENCH_IPC_GENH)
	@mkdir -p $(dir $@)
	$(Q)$(BENCH_HOST_CC) -std=c11 -O1 -Iservices/granule/$* -Iservices/granule -Iipc/include \
		-Ikernel/svc_include -I$(BENCH_IPC_GEN) $(filter %.c,$^) -o $@ \
		|| echo "  BENCH   $@ not built: no granule-table size for $*"

BENCH_VARIANTS := $(notdir $(patsubst %/,%,$(dir $(wildcard services/granule/*/gstore.c))))

# ---- the run ----
bench-run: $(BENCH_OUT)/main/flash.bin $(BENCH_OUT)/trace/flash.bin $(if $(BENCH_IS_ATOLL),$(OUT)/flash.bin) \
		$(patsubst %,$(BENCH_OUT)/footprint/gtw_%,$(BENCH_VARIANTS))
	$(Q)rm -f $(BENCH_IPC_OUT)/ipc.txt
	-$(Q)$(BENCH_MAKE) bench-ipc-host
	@echo "  QEMU    -icount shift=0 -smp 1, $(BENCH_RUNS) calls per row (timeout $(BENCH_TIMEOUT) s)"
	$(Q)python3 scripts/bench/run.py --out $(BENCH_OUT) --flash $(BENCH_OUT)/main/flash.bin \
		--trace-flash $(BENCH_OUT)/trace/flash.bin --trace-host-elf $(BENCH_OUT)/trace/bench-host.elf \
		--bl31-elf $(TFA_BIN)/bl31/bl31.elf --rmm-img $(BENCH_OUT)/rmm.img --rmm-label $(RMM_IMG) \
		$(if $(BENCH_IS_ATOLL),$$(test -f $(BENCH_OUT)/rmm.elf && echo --rmm-elf $(BENCH_OUT)/rmm.elf) \
			--smp-flash $(OUT)/flash.bin --smp 4) \
		--timeout $(BENCH_TIMEOUT) --cross $(CROSS_COMPILE) --ipc-host $(BENCH_IPC_OUT)/ipc.txt \
		$(foreach v,$(BENCH_VARIANTS),--gtw $(v)=$(BENCH_OUT)/footprint/gtw_$(v)) \
		$(if $(filter 1,$(BENCH_PROFILE)),--profile) $(if $(BENCH_BASELINE),--baseline $(BENCH_BASELINE))
