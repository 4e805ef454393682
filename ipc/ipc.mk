# IPC code generation: tools/ipcgen.py turns ipc/<service>.toml (format:
# ipc/SCHEMA.md) into <dir>/ipc/<service>.h and <dir>/ipc/<service>.c.
#
# The includer sets IPC_GEN_DIR before including this file (firmware:
# $(OUT)/gen, host: $(BUILD)/host/gen) and compiles with -I$(IPC_GEN_DIR)
# -Iipc/include, so code says #include <ipc/<service>.h>. Objects that include
# a generated header need it before their first build: give them
# "| $(IPC_GEN_HDRS)" as an order-only prerequisite (-MMD tracks it after).
#
#   IPC_SCHEMAS    ipc/*.toml except ipc/example.toml (the generator's test schema)
#   IPC_GEN_SRCS   $(IPC_GEN_DIR)/ipc/<service>.c for each schema
#   IPC_GEN_HDRS   $(IPC_GEN_DIR)/ipc/<service>.h for each schema
#   ipc-gen        generate them all
#   ipcgen-test    run tools/ipcgen_test/run.sh; its last line ("N passed,
#                  N failed") goes to build/test/ipcgen.result
#
# A second output directory in the same make (e.g. host tests next to the
# firmware): $(eval $(call ipc_gen_rule,DIR)) and $(call ipc_gen_files,DIR,c).

ifeq ($(strip $(IPC_GEN_DIR)),)
$(error ipc/ipc.mk: set IPC_GEN_DIR before including it)
endif

# Including this file does not change the includer's default goal.
ipc_saved_default_goal := $(.DEFAULT_GOAL)

IPC_SCHEMAS := $(filter-out ipc/example.toml,$(wildcard ipc/*.toml))
IPCGEN_DEPS := tools/ipcgen.py ipc/include/ipc/ipc.h

# $(call ipc_gen_files,DIR,EXT): DIR/ipc/<service>.EXT for every schema
ipc_gen_files = $(patsubst ipc/%.toml,$(1)/ipc/%.$(2),$(IPC_SCHEMAS))

# $(call ipc_gen_rule,DIR): generate DIR/ipc/<service>.h and .c. The
# generator rewrites a file only when its content changes, so what includes
# an unchanged output is not rebuilt; the .stamp records that the outputs
# are up to date with the schema, and the second rule regenerates an output
# that was deleted. Naming all three as prerequisites of ipc-gen keeps make
# from treating them as intermediate files and deleting them.
define ipc_gen_rule
$(1)/ipc/%.stamp: ipc/%.toml $$(IPCGEN_DEPS)
	$$(Q)python3 tools/ipcgen.py $$< $(1)
	$$(Q)touch $$@
$(1)/ipc/%.h $(1)/ipc/%.c: $(1)/ipc/%.stamp
	$$(Q)test -e $(1)/ipc/$$*.h -a -e $(1)/ipc/$$*.c || python3 tools/ipcgen.py ipc/$$*.toml $(1)
ipc-gen: $(foreach e,stamp h c,$(call ipc_gen_files,$(1),$(e)))
endef

IPC_GEN_SRCS := $(call ipc_gen_files,$(IPC_GEN_DIR),c)
IPC_GEN_HDRS := $(call ipc_gen_files,$(IPC_GEN_DIR),h)
$(eval $(call ipc_gen_rule,$(IPC_GEN_DIR)))

.PHONY: ipc-gen ipcgen-test
ipcgen-test:
	@mkdir -p build/test
	@bash -o pipefail -c 'bash tools/ipcgen_test/run.sh | tee build/test/ipcgen.log'; \
		rc=$$?; tail -n 1 build/test/ipcgen.log >build/test/ipcgen.result; exit $$rc

.DEFAULT_GOAL := $(ipc_saved_default_goal)
