# libFuzzer target over the whole monitor (issue 8 item 3): the host build's
# kernel and services (platform/host/host.mk) under clang with ASan, UBSan
# and coverage, driven by sequences of RMI calls and scripted realm exits,
# with the invariant checker of tests/fuzz/fuzz_rmi.c after every call.
# Included from tests/tests.mk after platform/host/host.mk and tests/fuzz/fuzz.mk.
#
#   make fuzz-rmi                      build $(FUZZ_RMI_BIN)
#   make fuzz-rmi-test                 $(FUZZ_TEST_SECONDS) s from tests/fuzz/corpus-rmi, then
#                                      every input of tests/fuzz/crashers-rmi/;
#                                      "N passed, N failed" in $(TEST_OUT)/fuzz-rmi.result
#   make fuzz FUZZ_SECONDS=N           a long run (also make fuzz-rmi-long); the corpus grows in
#                                      $(FUZZ_RMI_OUT)/corpus, findings in $(FUZZ_RMI_OUT)/artifacts
#   make fuzz-rmi-corpus               write the hand-made seeds (tests/fuzz/make_rmi_corpus.py) and
#                                      the conformance tests' recordings (tests/hostsim/record.c:
#                                      corpus-rmi/conformance-<test>)
#
# Knobs: FUZZ_GRANULE (array | sparse), FUZZ_ARGS (more libFuzzer flags),
# ATOLL_FUZZ_TRACE=1 (print every call: $(FUZZ_RMI_BIN) <file>).

FUZZ_RMI_OUT  := $(BUILD)/host/fuzz-rmi$(if $(filter-out array,$(FUZZ_GRANULE)),-$(FUZZ_GRANULE))
FUZZ_RMI_BIN  := $(FUZZ_RMI_OUT)/fuzz-rmi
FUZZ_RMI_MAX_LEN ?= 8192

FUZZ_RMI_SVC  := $(FUZZ_GRANULE_SRCS) $(SVC_SRCS_realm) $(SVC_SRCS_attest)
FUZZ_RMI_SRCS := $(HOSTSIM_KERNEL) $(HOSTSIM_ARCH) $(FUZZ_RMI_SVC)
FUZZ_RMI_INC  := -Iarch/host/include -Iarch/aarch64/include -Ikernel/include -Ikernel/svc_include \
                 -Iplatform/host -Iipc/include -I$(HOSTSIM_GEN) \
                 $(FUZZ_GRANULE_INC) $(SVC_INC_realm) -Iservices/attest \
                 $(MBEDTLS_HOST_INC) $(TINYCBOR_INC)
FUZZ_RMI_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla \
                   -fno-common -pthread -fno-omit-frame-pointer \
                   -fsanitize=address,undefined -fno-sanitize-recover=all \
                   -DPLAT_MAX_CPUS=$(PLAT_MAX_CPUS) -DPLAT_MAX_DRAM_BANKS=$(PLAT_MAX_DRAM_BANKS) \
                   -DRMM_BASE=$(PLAT_RMM_BASE) -DRMM_SIZE=$(PLAT_RMM_SIZE) \
                   -DSERVICE_GRANULE_VARIANT='"$(FUZZ_GRANULE)"' -DHOSTSIM_CPUS=1 -MMD -MP
# Coverage feedback from the kernel and the services; the simulation and the harness run uninstrumented.
FUZZ_RMI_COV  := -fsanitize=fuzzer-no-link

FUZZ_RMI_OBJS := $(patsubst %,$(FUZZ_RMI_OUT)/rmm/%.o,$(FUZZ_RMI_SRCS)) \
                 $(patsubst %,$(FUZZ_RMI_OUT)/rmm/gen/%.c.o,granule realm attest)

$(FUZZ_RMI_OUT)/rmm/kernel/%.c.o $(FUZZ_RMI_OUT)/rmm/services/%.c.o: FUZZ_RMI_EXTRA = $(FUZZ_RMI_COV)
$(FUZZ_RMI_OUT)/rmm/%.c.o: %.c tests/fuzz/fuzz_rmi.mk $(call ipc_gen_files,$(HOSTSIM_GEN),h) $(call spec_gen_files,$(HOSTSIM_GEN)) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_RMI_CFLAGS) $(FUZZ_RMI_EXTRA) -Wmissing-prototypes $(FUZZ_RMI_INC) -c $< -o $@

$(FUZZ_RMI_OUT)/rmm/gen/%.c.o: $(HOSTSIM_GEN)/ipc/%.c $(call ipc_gen_files,$(HOSTSIM_GEN),h) $(call spec_gen_files,$(HOSTSIM_GEN))
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_RMI_CFLAGS) $(FUZZ_RMI_COV) $(FUZZ_RMI_INC) -c $< -o $@

$(FUZZ_RMI_OUT)/fuzz_rmi.o: tests/fuzz/fuzz_rmi.c tests/fuzz/fuzz_rmi.mk $(call spec_gen_files,$(HOSTSIM_GEN)) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_RMI_CFLAGS) -Wmissing-prototypes $(FUZZ_RMI_INC) -c $< -o $@

$(FUZZ_RMI_BIN): $(FUZZ_RMI_OBJS) $(FUZZ_RMI_OUT)/fuzz_rmi.o tests/fuzz/fuzz_rmi.ld $(FUZZ_MBEDTLS_LIB) $(TINYCBOR_HOST_LIB)
	@echo "  FUZZLD  $@ (granule: $(FUZZ_GRANULE))"
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -pthread $(FUZZ_RMI_OBJS) $(FUZZ_RMI_OUT)/fuzz_rmi.o \
		$(FUZZ_MBEDTLS_LIB) $(TINYCBOR_HOST_LIB) -Wl,-T,tests/fuzz/fuzz_rmi.ld -o $@

FUZZ_RMI_RUN = FUZZ_TAG=fuzz-rmi FUZZ_SEEDS=tests/fuzz/corpus-rmi FUZZ_CRASHERS=tests/fuzz/crashers-rmi \
               bash $(FUZZ_DIR)/run.sh

.PHONY: fuzz-rmi fuzz-rmi-test fuzz-rmi-long fuzz-rmi-corpus
fuzz-rmi: $(FUZZ_RMI_BIN)

fuzz-rmi-test: $(FUZZ_RMI_BIN)
	$(Q)mkdir -p $(TEST_OUT)
	$(Q)$(FUZZ_RMI_RUN) test $(FUZZ_RMI_BIN) $(FUZZ_RMI_OUT) $(TEST_OUT) $(FUZZ_TEST_SECONDS) $(FUZZ_RMI_MAX_LEN) $(FUZZ_ARGS)

fuzz-rmi-long: $(FUZZ_RMI_BIN)
	$(Q)$(FUZZ_RMI_RUN) long $(FUZZ_RMI_BIN) $(FUZZ_RMI_OUT) $(TEST_OUT) $(FUZZ_SECONDS) $(FUZZ_RMI_MAX_LEN) $(FUZZ_ARGS)

fuzz-rmi-corpus: $(HOSTSIM_BIN)
	$(Q)python3 tests/fuzz/make_rmi_corpus.py tests/fuzz/corpus-rmi
	$(Q)rm -f tests/fuzz/corpus-rmi/conformance-*
	$(Q)ATOLL_SIM_RECORD=tests/fuzz/corpus-rmi ATOLL_SIM_CPUS=2 $(HOSTSIM_BIN) >/dev/null
	$(Q)find tests/fuzz/corpus-rmi -name 'conformance-*' -empty -delete
	@echo "  [fuzz-rmi] seeds: $$(ls tests/fuzz/corpus-rmi | wc -l) in tests/fuzz/corpus-rmi"

-include $(FUZZ_RMI_OBJS:.o=.d) $(FUZZ_RMI_OUT)/fuzz_rmi.d
