# Spec-defined structures: tools/specgen.py turns spec/structs.toml into
# <dir>/spec/structs.h (explicit-offset structs, padding members and
# _Static_asserts). Kernel and services include <spec/structs.h> with
# -I<dir> (the directory the generated IPC code lives in).
#
# The includer sets SPEC_GEN_DIR before including this file (firmware:
# $(OUT)/gen). Objects that include the header list $(SPEC_GEN_HDRS) as a
# prerequisite, like $(IPC_GEN_HDRS).
#
#   SPEC_GEN_HDRS   $(SPEC_GEN_DIR)/spec/structs.h
#   spec-gen        generate it
#   specgen-test    run tools/specgen_test/run.sh; its last line ("N passed,
#                   N failed") goes to build/test/specgen.result
#
# Another output directory in the same make (host tests):
# $(eval $(call spec_gen_rule,DIR)) and $(call spec_gen_files,DIR).

ifeq ($(strip $(SPEC_GEN_DIR)),)
$(error spec/spec.mk: set SPEC_GEN_DIR before including it)
endif

spec_saved_default_goal := $(.DEFAULT_GOAL)

SPEC_TABLE := spec/structs.toml

# $(call spec_gen_files,DIR): the generated header under DIR
spec_gen_files = $(1)/spec/structs.h

# $(call spec_gen_rule,DIR): as ipc/ipc.mk's rule, the generator rewrites the
# header only when its content changes; the stamp records that it is up to
# date with the table, the second rule brings back a deleted header.
define spec_gen_rule
$(1)/spec/structs.stamp: $(SPEC_TABLE) tools/specgen.py
	$$(Q)python3 tools/specgen.py $(SPEC_TABLE) $(1)
	$$(Q)touch $$@
$(1)/spec/structs.h: $(1)/spec/structs.stamp
	$$(Q)test -e $$@ || python3 tools/specgen.py $(SPEC_TABLE) $(1)
spec-gen: $(1)/spec/structs.stamp $(1)/spec/structs.h
endef

SPEC_GEN_HDRS := $(call spec_gen_files,$(SPEC_GEN_DIR))
$(eval $(call spec_gen_rule,$(SPEC_GEN_DIR)))

.PHONY: spec-gen specgen-test
specgen-test:
	@mkdir -p build/test
	@bash -o pipefail -c 'bash tools/specgen_test/run.sh | tee build/test/specgen.log'; \
		rc=$$?; tail -n 1 build/test/specgen.log >build/test/specgen.result; exit $$rc

.DEFAULT_GOAL := $(spec_saved_default_goal)
