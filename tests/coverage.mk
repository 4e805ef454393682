# make coverage: line and branch coverage of kernel/ and services/ (issue 8)
# from every host-run test: the unit tests, the transport's tests, the
# service tests, the host build's conformance run (both granule variants)
# and both fuzz targets replaying their seed corpora and crashers (the
# whole-monitor one also a grown corpus: COV_RMI_CORPUS=<dir>). Each is built
# again with gcc --coverage into $(COV_OUT) (nothing of the normal build is
# touched), run, and gcovr reads the counts:
#   $(COV_OUT)/summary.txt   per file, lines and branches
#   $(COV_OUT)/index.html    per line
# The firmware itself is not instrumented: its code runs on the host through
# the host build, which is where these counts come from.

COV_OUT  := $(BUILD)/coverage
COV_MAKE := $(MAKE) --no-print-directory COV_FLAGS=--coverage TEST_OUT=$(COV_OUT)/test

$(COV_OUT)/fuzz-replay: tests/fuzz/replay_main.c $(FUZZ_SRCS) $(FUZZ_HDRS) $(MBEDTLS_HOST_LIB) $(TINYCBOR_HOST_LIB)
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@ (coverage)"
	$(Q)cd $(dir $@) && $(HOST_CC) $(patsubst -I%,-I$(TOP)/%,$(filter-out $(FUZZ_SAN),$(FUZZ_CFLAGS))) \
		-fsanitize=address,undefined -fno-sanitize-recover=all --coverage \
		$(addprefix $(TOP)/,$(filter %.c,$^)) $(addprefix $(TOP)/,$(filter %.a,$^)) $(FUZZ_WRAP) -o $(notdir $@)

# The whole-monitor fuzzer (tests/fuzz/fuzz_rmi.mk) without libFuzzer, on the
# host build's sources, an object per source (two files may share a name).
COV_RMI_SRCS := $(FUZZ_RMI_SRCS) $(patsubst %,$(HOSTSIM_GEN)/ipc/%.c,granule realm attest) \
                tests/fuzz/fuzz_rmi.c tests/fuzz/replay_main.c
COV_RMI_OBJS := $(patsubst %.c,$(COV_OUT)/rmi/%.o,$(COV_RMI_SRCS))
COV_RMI_CORPUS ?=
$(COV_OUT)/rmi/%.o: %.c $(call ipc_gen_files,$(HOSTSIM_GEN),h) $(call spec_gen_files,$(HOSTSIM_GEN))
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(filter-out -MMD -MP -fsanitize=% -fno-sanitize-recover=all,$(FUZZ_RMI_CFLAGS)) \
		$(FUZZ_RMI_INC) -fsanitize=address,undefined -fno-sanitize-recover=all --coverage -c $< -o $@
$(COV_OUT)/fuzz-rmi-replay: $(COV_RMI_OBJS) tests/fuzz/fuzz_rmi.ld $(MBEDTLS_HOST_LIB) $(TINYCBOR_HOST_LIB)
	@echo "  HOSTLD  $@ (coverage)"
	$(Q)$(HOST_CC) -fsanitize=address,undefined --coverage -pthread $(COV_RMI_OBJS) \
		$(MBEDTLS_HOST_LIB) $(TINYCBOR_HOST_LIB) -Wl,-T,tests/fuzz/fuzz_rmi.ld -o $@

.PHONY: coverage
coverage: deps
	$(Q)rm -rf $(COV_OUT) && mkdir -p $(COV_OUT)/test
	$(Q)$(COV_MAKE) unit UNIT_OUT=$(COV_OUT)/unit
	$(Q)$(COV_MAKE) ipc-unit IPCU_OUT=$(COV_OUT)/ipc-unit
	$(Q)$(COV_MAKE) svc-unit SVC_UNIT_OUT=$(COV_OUT)/svc
	$(Q)$(COV_MAKE) host-conformance HOSTSIM_OUT=$(COV_OUT)/sim
	$(Q)$(COV_MAKE) SERVICE_granule=sparse host-conformance HOSTSIM_OUT=$(COV_OUT)/sim-sparse
	$(Q)$(MAKE) --no-print-directory $(COV_OUT)/fuzz-replay
	$(Q)$(COV_OUT)/fuzz-replay tests/fuzz/corpus tests/fuzz/crashers >$(COV_OUT)/fuzz-replay.log 2>&1 \
		|| { tail -5 $(COV_OUT)/fuzz-replay.log; exit 1; }
	$(Q)tail -1 $(COV_OUT)/fuzz-replay.log | sed 's/^/  [coverage] /'
	$(Q)$(MAKE) --no-print-directory $(COV_OUT)/fuzz-rmi-replay
	$(Q)$(COV_OUT)/fuzz-rmi-replay tests/fuzz/corpus-rmi tests/fuzz/crashers-rmi $(COV_RMI_CORPUS) \
		>$(COV_OUT)/fuzz-rmi-replay.log 2>&1 || { tail -5 $(COV_OUT)/fuzz-rmi-replay.log; exit 1; }
	$(Q)tail -1 $(COV_OUT)/fuzz-rmi-replay.log | sed 's/^/  [coverage] /'
	$(Q)gcovr --root . --filter 'kernel/' --filter 'services/' --exclude-unreachable-branches \
		--txt $(COV_OUT)/summary.txt --branches \
		--html-details $(COV_OUT)/index.html --print-summary $(COV_OUT) \
		| tee $(COV_OUT)/totals.txt | sed 's/^/  [coverage] /'
	@echo "  [coverage] per file: $(COV_OUT)/summary.txt, per line: $(COV_OUT)/index.html"
