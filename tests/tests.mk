# TF-A, flash images, QEMU runs, unit tests and the test summary.
TFA_SRC  := $(TP)/tf-a
TFA_OUT  := $(BUILD)/tfa/$(PLATFORM)
TFA_BIN  := $(TFA_OUT)/$(PLATFORM)/debug
DEPS_STAMP := $(TP)/.arm-trusted-firmware-2.12.1+dfsg-1.stamp
TFA_MAKE := $(MAKE) -C $(TFA_SRC) CROSS_COMPILE=$(CROSS_COMPILE) ENABLE_RME=1 DEBUG=1 \
            LOG_LEVEL=40 $(PLAT_TFA_FLAGS) BUILD_BASE=$(abspath $(TFA_OUT))
QEMU     := qemu-system-aarch64
QEMU_ARGS = -M virt,virtualization=on,secure=on,gic-version=3,acpi=off \
            -cpu max,x-rme=on -m 2G -nographic -no-reboot -nic none

# Under the same lock as third_party/*.mk: two deps.sh at once (make -j in a
# fresh tree) unpack TF-A over each other and leave a stamped, broken tree.
$(DEPS_STAMP):
	@mkdir -p $(BUILD)
	@flock $(BUILD)/.deps.lock bash scripts/deps.sh

# Stock TF-A 2.12.1, built once per platform. Its makefile does not rebuild
# the fip when the RMM or BL33 changes, so each fip is re-packed by TF-A's
# own "fip" target after removing the old one (0.6 s).
$(TFA_OUT)/.built: $(DEPS_STAMP) | $(OUT)/rmm.img $(OUT)/nshost.bin
	@echo "  TF-A    $(PLATFORM) (stock 2.12.1, ENABLE_RME=1)"
	$(Q)mkdir -p $(TFA_OUT)
	$(Q)$(TFA_MAKE) RMM=$(abspath $(OUT)/rmm.img) BL33=$(abspath $(OUT)/nshost.bin) all >$(TFA_OUT).log 2>&1 \
		|| { tail -30 $(TFA_OUT).log; exit 1; }
	$(Q)touch $@

$(OUT)/fip.bin: $(OUT)/rmm.img $(OUT)/nshost.bin $(TFA_OUT)/.built
	@echo "  FIP     $@"
	$(Q)rm -f $(TFA_BIN)/fip.bin
	$(Q)$(TFA_MAKE) RMM=$(abspath $(OUT)/rmm.img) BL33=$(abspath $(OUT)/nshost.bin) fip >>$(TFA_OUT).log 2>&1 \
		|| { tail -30 $(TFA_OUT).log; exit 1; }
	$(Q)cp $(TFA_BIN)/fip.bin $@

$(OUT)/flash.bin: $(OUT)/fip.bin
	$(Q)dd if=/dev/zero of=$@ bs=1M count=64 status=none
	$(Q)dd if=$(TFA_BIN)/bl1.bin of=$@ bs=4096 conv=notrunc status=none
	$(Q)dd if=$< of=$@ seek=64 bs=4096 conv=notrunc status=none

run: deps
	$(Q)$(MAKE) --no-print-directory PLATFORM=qemu $(OUT)/flash.bin
	$(Q)mkdir -p $(BUILD)/run
	$(QEMU) $(QEMU_ARGS) -smp $(SMP) -bios $(OUT)/flash.bin | tee $(BUILD)/run/console.log
	@echo "---- the realm's attestation token, checked by tools/attest/cca_verify.py ----"
	$(Q)bash scripts/verify-token.sh $(BUILD)/run/console.log $(BUILD)/run/token $(OUT)/realm/payload.bin; \
		cat $(BUILD)/run/token.claims

# ---- tests ----
TEST_OUT := $(BUILD)/test

qemu-test: deps
	$(Q)$(MAKE) --no-print-directory PLATFORM=qemu build/qemu/flash.bin
	$(Q)mkdir -p $(TEST_OUT)
	$(Q)bash scripts/run-qemu.sh build/qemu/flash.bin 1 $(TEST_OUT)/qemu-smp1
	$(Q)bash scripts/verify-token.sh $(TEST_OUT)/qemu-smp1.log $(TEST_OUT)/token build/qemu/realm/payload.bin
	$(Q)bash scripts/run-qemu.sh build/qemu/flash.bin 4 $(TEST_OUT)/qemu-smp4

# The same conformance suite against the other granule-service variant.
qemu-test-variant: deps
	$(Q)$(MAKE) --no-print-directory PLATFORM=qemu SERVICE_granule=sparse build/qemu-granule-sparse/flash.bin
	$(Q)mkdir -p $(TEST_OUT)
	$(Q)bash scripts/run-qemu.sh build/qemu-granule-sparse/flash.bin 4 $(TEST_OUT)/qemu-sparse

# Containment (issue 10): the image with the misbehaving attestation and
# realm services (SERVICE_attest=faulty SERVICE_realm=faulty) runs the
# containment test first, then the whole suite, then the quarantine test,
# in one boot; the RMM's console must account for every stop.
CONTAIN_OUT := build/qemu-attest-faulty-realm-faulty
qemu-test-containment: deps
	$(Q)$(MAKE) --no-print-directory PLATFORM=qemu SERVICE_attest=faulty SERVICE_realm=faulty $(CONTAIN_OUT)/flash.bin
	$(Q)mkdir -p $(TEST_OUT)
	$(Q)bash scripts/run-qemu.sh $(CONTAIN_OUT)/flash.bin 2 $(TEST_OUT)/qemu-contain
	$(Q)bash scripts/check-containment.sh $(TEST_OUT)/qemu-contain

# The service isolation check refuses a deliberate violation.
isolation-test: $(SVC_OBJS)
	$(Q)mkdir -p $(TEST_OUT)
	$(Q)CC="$(CC)" LD="$(LD)" OBJCOPY="$(OBJCOPY)" NM="$(CROSS_COMPILE)nm" \
		SVC_CFLAGS="$(SVC_CFLAGS)" ALLOWED="$(SVC_ALLOWED_UNDEF)" \
		bash scripts/test-isolation.sh $(TEST_OUT)/isolation $(SVC_OBJS)

third-party-test: deps
	$(Q)mkdir -p $(TEST_OUT)
	$(Q)bash third_party/test/run.sh $(TEST_OUT)/third-party >$(TEST_OUT)/third-party.log 2>&1; \
		tail -1 $(TEST_OUT)/third-party.log | sed 's/^/  [third-party] /'

# The independent verifier and RIM predictor (Debian's python3-cbor2/cryptography).
attest-py-test:
	$(Q)mkdir -p $(TEST_OUT)
	$(Q)/usr/bin/python3 tools/attest/test_attest.py >$(TEST_OUT)/attest-py.log 2>&1; \
		tail -1 $(TEST_OUT)/attest-py.log | sed 's/^/  /'; \
		tail -1 $(TEST_OUT)/attest-py.log | sed -n 's/^attest-py: //p' >$(TEST_OUT)/attest-py.result

# The FVP model cannot run here: prove the FVP image links into a TF-A fip.
fvp-fip: deps
	$(Q)$(MAKE) --no-print-directory PLATFORM=fvp build/fvp/fip.bin
	$(Q)mkdir -p $(TEST_OUT)
	$(Q)bash scripts/check-fip.sh build/fvp/fip.bin build/fvp/rmm.img $(TEST_OUT)/fvp-fip

include tests/unit/unit.mk
include tests/unit/ipc.mk
include tests/unit/svc.mk
include platform/host/host.mk

test: deps
	$(Q)rm -rf $(TEST_OUT) && mkdir -p $(TEST_OUT)
	-$(Q)$(MAKE) --no-print-directory unit
	-$(Q)$(MAKE) --no-print-directory ipc-unit
	-$(Q)$(MAKE) --no-print-directory svc-unit
	-$(Q)$(MAKE) --no-print-directory fuzz-test
	-$(Q)$(MAKE) --no-print-directory fuzz-rmi-test
	-$(Q)$(MAKE) --no-print-directory host-conformance
	-$(Q)$(MAKE) --no-print-directory SERVICE_granule=sparse host-conformance
	-$(Q)$(MAKE) --no-print-directory ipcgen-test >$(TEST_OUT)/ipcgen.out 2>&1; tail -1 $(TEST_OUT)/ipcgen.out | sed 's/^/  [ipcgen] /'
	-$(Q)$(MAKE) --no-print-directory specgen-test >$(TEST_OUT)/specgen.out 2>&1; tail -1 $(TEST_OUT)/specgen.out | sed 's/^/  [specgen] /'
	-$(Q)$(MAKE) --no-print-directory audit-test
	-$(Q)$(MAKE) --no-print-directory lint-test
	-$(Q)$(MAKE) --no-print-directory isolation-test
	-$(Q)$(MAKE) --no-print-directory third-party-test
	-$(Q)$(MAKE) --no-print-directory attest-py-test
	-$(Q)$(MAKE) --no-print-directory qemu-test
	-$(Q)$(MAKE) --no-print-directory qemu-test-variant
	-$(Q)$(MAKE) --no-print-directory qemu-test-containment
	-$(Q)$(MAKE) --no-print-directory fvp-fip
	$(Q)python3 scripts/summary.py $(TEST_OUT) unit ipc-unit svc-unit fuzz fuzz-rmi host-conformance host-conformance-sparse ipcgen specgen audit lint isolation third-party \
		attest-py qemu-smp1 token qemu-smp4 qemu-sparse qemu-contain fvp-fip

include tests/bench/bench.mk
include tests/fuzz/fuzz.mk
include tests/fuzz/fuzz_rmi.mk
include tests/coverage.mk
