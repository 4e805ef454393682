# libFuzzer target over the real services (granule, realm, attest) behind
# the fake kernel of the service unit tests, with invariant checks after
# every message (tests/fuzz/fuzz_services.c says which). Read after the
# top-level Makefile, which provides BUILD, Q, the services' sources
# (services/services.mk), the host IPC code rules (ipc/ipc.mk) and mbedTLS
# (third_party/mbedtls.mk):
#
#   make -f Makefile -f tests/fuzz/fuzz.mk fuzz-services   build $(FUZZ_BIN)
#   make -f Makefile -f tests/fuzz/fuzz.mk fuzz-test       20 s on tests/fuzz/corpus, then
#        replay every input under tests/fuzz/crashers/; "N passed, N failed" goes to
#        $(TEST_OUT)/fuzz.result (the run counts as one test, each crasher as one
#        more); exits non-zero if anything failed
#   make fuzz FUZZ_SECONDS=600
#        a long run (default 60 s) of the whole-monitor fuzzer (tests/fuzz/fuzz_rmi.mk);
#        FUZZ_TARGET=services: of this one (also `make fuzz-services-long`); the
#        corpus grows in $(FUZZ_OUT)/corpus, findings land in $(FUZZ_OUT)/artifacts/
#   make -f Makefile -f tests/fuzz/fuzz.mk fuzz-cov
#        source coverage of the services and generated code by both corpora
#
# Knobs: FUZZ_CC (clang-14), FUZZ_GRANULE (array | sparse: the granule
# service variant), FUZZ_MBEDTLS (host: the gcc-built $(MBEDTLS_HOST_LIB)
# the unit tests use, which links with clang's ASan runtime; clang: a
# clang-built copy), FUZZ_TEST_SECONDS (20), FUZZ_MAX_LEN (4096), FUZZ_ARGS (more libFuzzer flags,
# e.g. -fork=2), ATOLL_FUZZ_INJECT=all in the environment (also inject kapi
# failures the real kernel cannot produce), ATOLL_FUZZ_TRACE=1 (print every
# message; use it to read a crasher: $(FUZZ_BIN) <file>), ATOLL_FUZZ_LAX=1
# (tolerate the known findings of tests/fuzz/crashers/, to fuzz past them).

ifndef ATOLL_FUZZ_MK
ATOLL_FUZZ_MK := 1

FUZZ_SAVED_GOAL := $(.DEFAULT_GOAL)

FUZZ_CC           ?= clang-14
FUZZ_GRANULE      ?= array
FUZZ_MBEDTLS      ?= host
FUZZ_SECONDS      ?= 60
FUZZ_TEST_SECONDS ?= 20
FUZZ_MAX_LEN      ?= 4096
FUZZ_ARGS         ?=
TEST_OUT          ?= $(BUILD)/test

FUZZ_DIR := tests/fuzz
FUZZ_OUT := $(BUILD)/host/fuzz$(if $(filter-out array,$(FUZZ_GRANULE)),-$(FUZZ_GRANULE))$(if $(filter clang,$(FUZZ_MBEDTLS)),-mbedtls-clang)
FUZZ_GEN := $(BUILD)/host/gen
FUZZ_BIN := $(FUZZ_OUT)/fuzz-services
FUZZ_SVC_DIR := tests/unit/svc

ifeq ($(filter $(FUZZ_GRANULE),$(GRANULE_VARIANTS)),)
$(error FUZZ_GRANULE=$(FUZZ_GRANULE) is not one of: $(GRANULE_VARIANTS))
endif

# Host copies of the generated IPC code and spec structures, shared with tests/unit/svc.mk.
ifndef ATOLL_HOST_GEN_RULES
ATOLL_HOST_GEN_RULES := 1
$(eval $(call ipc_gen_rule,$(FUZZ_GEN)))
$(eval $(call spec_gen_rule,$(FUZZ_GEN)))
endif

FUZZ_SVCS    := granule realm attest
FUZZ_SCHEMAS := $(patsubst %,ipc/%.toml,$(FUZZ_SVCS))

# Each service from the sources and include path services/services.mk gives it.
FUZZ_GRANULE_SRCS := $(subst /$(SERVICE_granule)/,/$(FUZZ_GRANULE)/,$(SVC_SRCS_granule))
FUZZ_GRANULE_INC  := $(subst services/granule/$(SERVICE_granule),services/granule/$(FUZZ_GRANULE),$(SVC_INC_granule))

FUZZ_SRCS := $(FUZZ_DIR)/fuzz_services.c $(FUZZ_SVC_DIR)/fake_kernel.c \
             $(patsubst %,$(FUZZ_OUT)/wrap_%.c,$(FUZZ_SVCS)) \
             $(SVC_SRCS_realm) $(FUZZ_GRANULE_SRCS) $(SVC_SRCS_attest) \
             $(patsubst %,$(FUZZ_GEN)/ipc/%.c,$(FUZZ_SVCS))
FUZZ_HDRS = $(wildcard $(FUZZ_DIR)/*.h $(FUZZ_SVC_DIR)/*.h services/*/*.h services/*/*/*.h \
              ipc/include/ipc/*.h) kernel/svc_include/kernel/svc_api.h \
            $(patsubst %,$(FUZZ_GEN)/ipc/%.h,$(FUZZ_SVCS)) $(call spec_gen_files,$(FUZZ_GEN)) \
            $(FUZZ_OUT)/fuzz_layout_gen.h

# Every ipc_call() goes through the checker; every handler through a counter (handler_count.h).
FUZZ_WRAP := -Wl,--wrap=ipc_call \
             $(foreach s,$(FUZZ_SVCS),$(foreach o,$(shell sed -n 's/^name = "\([a-z0-9_]*\)".*/\1/p' \
                 ipc/$(s).toml),-Wl,--wrap=$(s)_handle_$(o)))

FUZZ_SAN    := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
               -fsanitize-coverage-ignorelist=$(FUZZ_DIR)/coverage-ignore.txt
FUZZ_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
               -Wmissing-prototypes -Wvla -fno-omit-frame-pointer $(FUZZ_SAN) \
               -Iipc/include -I$(FUZZ_GEN) -Ikernel/svc_include -I$(FUZZ_SVC_DIR) -I$(FUZZ_DIR) \
               -I$(FUZZ_OUT) $(SVC_INC_realm) $(FUZZ_GRANULE_INC) -Iservices/attest \
               $(MBEDTLS_HOST_INC) $(TINYCBOR_INC) -DGRANULE_VARIANT_$(shell echo $(FUZZ_GRANULE) | tr a-z- A-Z_)

ifeq ($(FUZZ_MBEDTLS),clang)
# mbedTLS built by clang with ASan+UBSan (no coverage instrumentation: hashing is not the target).
FUZZ_MBEDTLS_LIB := $(patsubst %,$(FUZZ_OUT)/mbedtls/%.o,$(MBEDTLS_MODULES))
$(FUZZ_OUT)/mbedtls/%.o: $(MBEDTLS_SRC)/library/%.c | $(MBEDTLS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $(patsubst $(BUILD)/third_party/%,%,$<)"
	$(Q)$(FUZZ_CC) -std=c99 -O2 -g -fno-common -fsanitize=address,undefined \
		-fno-sanitize-recover=all $(MBEDTLS_HOST_INC) -c $< -o $@
else
FUZZ_MBEDTLS_LIB := $(MBEDTLS_HOST_LIB)
endif

$(FUZZ_OUT)/wrap_%.c: $(FUZZ_GEN)/ipc/%.h $(FUZZ_SVC_DIR)/gen_wraps.py
	@mkdir -p $(dir $@)
	$(Q)python3 $(FUZZ_SVC_DIR)/gen_wraps.py $< $* $@

$(FUZZ_OUT)/fuzz_layout_gen.h: $(FUZZ_DIR)/gen_layout.py $(FUZZ_SCHEMAS)
	@mkdir -p $(dir $@)
	$(Q)python3 $(FUZZ_DIR)/gen_layout.py $@ $(FUZZ_SCHEMAS)

# One compiler run (the sources are small), like the unit-test binaries.
$(FUZZ_BIN): $(FUZZ_SRCS) $(FUZZ_HDRS) $(FUZZ_MBEDTLS_LIB) $(TINYCBOR_HOST_LIB) $(FUZZ_DIR)/fuzz.mk $(FUZZ_DIR)/coverage-ignore.txt
	@mkdir -p $(dir $@)
	@echo "  FUZZLD  $@ (granule: $(FUZZ_GRANULE))"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SRCS) $(FUZZ_MBEDTLS_LIB) $(TINYCBOR_HOST_LIB) $(FUZZ_WRAP) -o $@

# The same binary with source-based coverage, to see what a corpus reaches.
$(FUZZ_OUT)/fuzz-services-cov: $(FUZZ_SRCS) $(FUZZ_HDRS) $(FUZZ_MBEDTLS_LIB) $(TINYCBOR_HOST_LIB) $(FUZZ_DIR)/fuzz.mk
	@mkdir -p $(dir $@)
	@echo "  FUZZLD  $@ (source coverage)"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fprofile-instr-generate -fcoverage-mapping $(FUZZ_SRCS) \
		$(FUZZ_MBEDTLS_LIB) $(TINYCBOR_HOST_LIB) $(FUZZ_WRAP) -o $@

FUZZ_RUN = bash $(FUZZ_DIR)/run.sh
FUZZ_LLVM_SUFFIX ?= -14

FUZZ_TARGET ?= rmi

.PHONY: fuzz-services fuzz-test fuzz fuzz-services-long fuzz-cov
fuzz-services: $(FUZZ_BIN)

fuzz-test: $(FUZZ_BIN)
	$(Q)mkdir -p $(TEST_OUT)
	$(Q)$(FUZZ_RUN) test $(FUZZ_BIN) $(FUZZ_OUT) $(TEST_OUT) $(FUZZ_TEST_SECONDS) $(FUZZ_MAX_LEN) $(FUZZ_ARGS)

fuzz: fuzz-$(FUZZ_TARGET)-long

fuzz-services-long: $(FUZZ_BIN)
	$(Q)$(FUZZ_RUN) long $(FUZZ_BIN) $(FUZZ_OUT) $(TEST_OUT) $(FUZZ_SECONDS) $(FUZZ_MAX_LEN) $(FUZZ_ARGS)

# Line/branch coverage of the services and the generated code by the seed
# corpus plus whatever `make fuzz` has grown in $(FUZZ_OUT)/corpus.
fuzz-cov: $(FUZZ_OUT)/fuzz-services-cov
	$(Q)mkdir -p $(FUZZ_OUT)/corpus
	$(Q)rm -f $(FUZZ_OUT)/cov.profraw
	$(Q)LLVM_PROFILE_FILE=$(FUZZ_OUT)/cov.profraw $< -runs=0 $(FUZZ_OUT)/corpus $(FUZZ_DIR)/corpus \
		>$(FUZZ_OUT)/cov.log 2>&1
	$(Q)llvm-profdata$(FUZZ_LLVM_SUFFIX) merge -sparse $(FUZZ_OUT)/cov.profraw -o $(FUZZ_OUT)/cov.profdata
	$(Q)llvm-cov$(FUZZ_LLVM_SUFFIX) report $< -instr-profile=$(FUZZ_OUT)/cov.profdata \
		$(SVC_SRCS_realm) $(FUZZ_GRANULE_SRCS) $(SVC_SRCS_attest) \
		$(patsubst %,$(FUZZ_GEN)/ipc/%.c,$(FUZZ_SVCS))
	@echo "  per line: llvm-cov$(FUZZ_LLVM_SUFFIX) show $< -instr-profile=$(FUZZ_OUT)/cov.profdata <file>"

.DEFAULT_GOAL := $(FUZZ_SAVED_GOAL)

endif # ATOLL_FUZZ_MK
