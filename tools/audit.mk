# Unsafe-site audit (docs: ../shared/docs/safety.md; tool: tools/unsafe-audit).
# Include from the top-level Makefile after RMM_SRCS, FW_CFLAGS, PLATDEFS and
# RMM_INC are defined.
#   make audit            table of unsafe sites; fails on budget/allow-list/SAFETY
#   make audit-selftest   the tool's own tests
#   make audit-test       both, plus a mutation test; writes build/test/audit.result
# libclang's Python binding is Debian's python3-clang-14, installed for the
# system interpreter only.
AUDIT_PY      ?= /usr/bin/python3
AUDIT_DIR     := tools/unsafe-audit
AUDIT_BUDGETS := tools/audit-budgets.toml
AUDIT_CFLAGS   = $(FW_CFLAGS) $(PLATDEFS) $(RMM_DEFS) $(RMM_INC)
AUDIT_RESULT  := $(BUILD)/test/audit.result
# The kernel, the EL0 system-call stubs linked into services, every service
# source of every variant, and the generated IPC code.
AUDIT_SRCS     = $(RMM_SRCS) $(SVC_EL0_SRCS) $(sort $(wildcard services/*/*.c services/*/*/*.c)) $(IPC_GEN_SRCS)

.PHONY: audit audit-selftest audit-test

# Sources include the generated IPC and spec headers (none before they existed).
audit audit-test: $(IPC_GEN_HDRS) $(IPC_GEN_SRCS) $(SPEC_GEN_HDRS)

audit:
	$(Q)$(AUDIT_PY) $(AUDIT_DIR)/unsafe_audit.py --budgets $(AUDIT_BUDGETS) $(AUDIT_SRCS) -- $(AUDIT_CFLAGS)

audit-selftest:
	$(Q)$(AUDIT_PY) $(AUDIT_DIR)/tests/run.py

audit-test:
	$(Q)mkdir -p $(dir $(AUDIT_RESULT))
	$(Q)$(AUDIT_PY) $(AUDIT_DIR)/tests/run.py --result $(AUDIT_RESULT) --real \
		--budgets $(AUDIT_BUDGETS) $(AUDIT_SRCS) -- $(AUDIT_CFLAGS)
