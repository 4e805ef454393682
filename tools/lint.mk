# Static analysis with the real build flags: cppcheck and clang-tidy
# (configuration in .clang-tidy), over the kernel, every service source of
# every variant and the generated IPC code. Both must report nothing.
#   make lint        run both
#   make lint-test   same, writing build/test/lint.result ("N passed, N failed")
LINT_SRCS    = $(filter %.c,$(RMM_SRCS)) $(sort $(wildcard services/*/*.c services/*/*/*.c)) $(IPC_GEN_SRCS)
LINT_DEFS    = $(PLATDEFS) $(RMM_DEFS) $(filter -I% -D%,$(RMM_INC))
TIDY_FLAGS   = --target=aarch64-linux-gnu -std=c11 -ffreestanding -nostdinc \
               -isystem $(PICOLIBC)/include -isystem $(shell $(CC) -print-file-name=include) \
               -mgeneral-regs-only $(LINT_DEFS) $(MBEDTLS_INC) $(TINYCBOR_INC)
CPPCHECK_FLAGS = --enable=warning,style,performance,portability --std=c11 --inline-suppr \
               --error-exitcode=1 --quiet --suppress=missingIncludeSystem -D__aarch64__ -DCHAR_BIT=8 \
               $(filter-out -DSERVICE_GRANULE_VARIANT=%,$(LINT_DEFS)) -DSERVICE_GRANULE_VARIANT='"array"'

.PHONY: lint lint-test
lint: $(IPC_GEN_HDRS) $(IPC_GEN_SRCS) $(SPEC_GEN_HDRS)
	@echo "  CPPCHECK"
	$(Q)cppcheck $(CPPCHECK_FLAGS) $(LINT_SRCS)
	@echo "  CLANG-TIDY"
	$(Q)clang-tidy --quiet $(LINT_SRCS) -- $(TIDY_FLAGS)

lint-test: $(IPC_GEN_HDRS) $(IPC_GEN_SRCS) $(SPEC_GEN_HDRS)
	$(Q)mkdir -p $(TEST_OUT)
	$(Q)p=0; f=0; \
	if cppcheck $(CPPCHECK_FLAGS) $(LINT_SRCS) >$(TEST_OUT)/cppcheck.log 2>&1; then p=$$((p+1)); echo "  [lint] PASS cppcheck"; \
	else f=$$((f+1)); echo "  [lint] FAIL cppcheck"; head -20 $(TEST_OUT)/cppcheck.log; fi; \
	if clang-tidy --quiet $(LINT_SRCS) -- $(TIDY_FLAGS) >$(TEST_OUT)/clang-tidy.log 2>&1; then p=$$((p+1)); echo "  [lint] PASS clang-tidy"; \
	else f=$$((f+1)); echo "  [lint] FAIL clang-tidy"; grep -E "error|warning:" $(TEST_OUT)/clang-tidy.log | head -20; fi; \
	echo "$$p passed, $$f failed" >$(TEST_OUT)/lint.result
