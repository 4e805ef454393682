# Per-service unit tests (CMocka, host gcc, ASan + UBSan): each service is
# built from the sources and include path services/services.mk gives it,
# against the fake kernel tests/unit/svc/fake_kernel.c. Included from
# tests/tests.mk after tests/unit/unit.mk (needs services/services.mk,
# ipc/ipc.mk and third_party/mbedtls.mk, which the Makefile includes first).
#
#   make svc-unit    build and run them all; "N passed, N failed" goes to
#                    $(TEST_OUT)/svc-unit.result (scripts/run-unit.sh)
#   make svc-unit SVC_UNIT_KNOWN_BUGS=1
#                    also build the tests of known service bugs (they fail
#                    until the bug is fixed; each says which in a comment)
#
# Binaries ($(BUILD)/host/svc/):
#   test_granule_array, test_granule_sparse  one source, both variants
#   test_granule_diff   both variants in one binary (each partially linked,
#                       only its descriptor symbol left global), random ops
#                       in lock step against a reference model
#   test_realm          realm service + the real granule (array) and attest
#                       services behind the fake transport
#   test_attest         attestation service (host mbedTLS)
#   test_fake_kernel    the fake's own lease and transport rules

ifndef ATOLL_SVC_UNIT_MK
ATOLL_SVC_UNIT_MK := 1

SVC_UNIT_SAVED_GOAL := $(.DEFAULT_GOAL)

HOST_CC      ?= gcc
HOST_OBJCOPY ?= objcopy
TEST_OUT     ?= $(BUILD)/test

SVC_UNIT_DIR := tests/unit/svc
SVC_UNIT_OUT := $(BUILD)/host/svc$(if $(SVC_UNIT_KNOWN_BUGS),-known-bugs)
SVC_UNIT_GEN := $(BUILD)/host/gen

# Host copies of the generated IPC code (ipc/ipc.mk) and spec structures
# (spec/spec.mk); defined once even if another fragment also wants them.
ifndef ATOLL_HOST_GEN_RULES
ATOLL_HOST_GEN_RULES := 1
$(eval $(call ipc_gen_rule,$(SVC_UNIT_GEN)))
$(eval $(call spec_gen_rule,$(SVC_UNIT_GEN)))
endif

SVC_UNIT_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
                   -Wmissing-prototypes -Wvla -fsanitize=address,undefined \
                   -fno-sanitize-recover=all -Iipc/include -I$(SVC_UNIT_GEN) \
                   -Ikernel/svc_include -I$(SVC_UNIT_DIR) \
                   $(if $(SVC_UNIT_KNOWN_BUGS),-DSVC_UNIT_KNOWN_BUGS) \
                   $(shell pkg-config --cflags cmocka 2>/dev/null) $(COV_FLAGS)
SVC_UNIT_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# What any test binary's sources may include.
SVC_UNIT_HDRS = $(wildcard $(SVC_UNIT_DIR)/*.h services/*/*.h services/*/*/*.h ipc/include/ipc/*.h) \
                kernel/svc_include/kernel/svc_api.h $(call ipc_gen_files,$(SVC_UNIT_GEN),h) \
                $(call spec_gen_files,$(SVC_UNIT_GEN)) tests/unit/svc.mk

svc_gen = $(patsubst %,$(SVC_UNIT_GEN)/ipc/%.c,$(1))
# Counting wrappers of every handler (handler_count.h): generated source + link flags.
svc_wrap_src = $(patsubst %,$(SVC_UNIT_OUT)/wrap_%.c,$(1))
svc_wrap = $(foreach s,$(1),$(foreach o,$(shell sed -n 's/^name = "\([a-z0-9_]*\)".*/\1/p' \
               ipc/$(s).toml),-Wl,--wrap=$(s)_handle_$(o)))

# Granule variant $(1): the sources and include path services/services.mk
# uses for SERVICE_granule=$(1).
svc_granule_srcs = $(subst /$(SERVICE_granule)/,/$(1)/,$(SVC_SRCS_granule))
svc_granule_inc  = $(subst services/granule/$(SERVICE_granule),services/granule/$(1),$(SVC_INC_granule))

# ---- test binaries: sources (in link order), extra flags ----
SVC_UNIT_SRCS_granule_array  = $(SVC_UNIT_DIR)/test_granule.c $(SVC_UNIT_DIR)/fake_kernel.c \
                               $(call svc_wrap_src,granule) $(call svc_granule_srcs,array) \
                               $(call svc_gen,granule)
SVC_UNIT_FLAGS_granule_array = $(call svc_granule_inc,array) -DGRANULE_VARIANT_ARRAY \
                               $(call svc_wrap,granule)

SVC_UNIT_SRCS_granule_sparse  = $(SVC_UNIT_DIR)/test_granule.c $(SVC_UNIT_DIR)/fake_kernel.c \
                                $(call svc_wrap_src,granule) $(call svc_granule_srcs,sparse) \
                                $(call svc_gen,granule)
SVC_UNIT_FLAGS_granule_sparse = $(call svc_granule_inc,sparse) -DGRANULE_VARIANT_SPARSE \
                                $(call svc_wrap,granule)

SVC_UNIT_SRCS_granule_diff  = $(SVC_UNIT_DIR)/test_granule_diff.c $(SVC_UNIT_DIR)/fake_kernel.c \
                              $(SVC_UNIT_OUT)/obj/gvariant_array.o \
                              $(SVC_UNIT_OUT)/obj/gvariant_sparse.o
SVC_UNIT_FLAGS_granule_diff = -Iservices/granule

SVC_UNIT_SRCS_realm  = $(SVC_UNIT_DIR)/test_realm.c $(SVC_UNIT_DIR)/fake_kernel.c \
                       $(call svc_wrap_src,realm granule attest) $(SVC_SRCS_realm) \
                       $(call svc_granule_srcs,array) $(SVC_SRCS_attest) \
                       $(call svc_gen,realm granule attest) $(MBEDTLS_HOST_LIB) $(TINYCBOR_HOST_LIB)
SVC_UNIT_FLAGS_realm = $(SVC_INC_realm) $(call svc_granule_inc,array) -Iservices/attest \
                       $(MBEDTLS_HOST_INC) $(TINYCBOR_INC) $(call svc_wrap,realm granule attest)

SVC_UNIT_SRCS_attest  = $(SVC_UNIT_DIR)/test_attest.c $(SVC_UNIT_DIR)/fake_kernel.c \
                        $(call svc_wrap_src,attest) $(SVC_SRCS_attest) $(call svc_gen,attest) \
                        $(MBEDTLS_HOST_LIB) $(TINYCBOR_HOST_LIB)
SVC_UNIT_FLAGS_attest = -Iservices/attest $(MBEDTLS_HOST_INC) $(TINYCBOR_INC) $(call svc_wrap,attest)

SVC_UNIT_SRCS_fake_kernel  = $(SVC_UNIT_DIR)/test_fake_kernel.c $(SVC_UNIT_DIR)/fake_kernel.c
SVC_UNIT_FLAGS_fake_kernel =

SVC_UNIT_TESTS := granule_array granule_sparse granule_diff realm attest fake_kernel
SVC_UNIT_BINS  := $(addprefix $(SVC_UNIT_OUT)/test_,$(SVC_UNIT_TESTS))

# One compiler run per binary (the sources are small).
define svc_unit_bin
$(SVC_UNIT_OUT)/test_$(1): $$(SVC_UNIT_SRCS_$(1)) $$(SVC_UNIT_HDRS) | $$(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	@echo "  HOSTCC  $$@"
	$$(Q)$$(HOST_CC) $$(SVC_UNIT_CFLAGS) $$(SVC_UNIT_FLAGS_$(1)) $$(SVC_UNIT_SRCS_$(1)) \
		$$(SVC_UNIT_LIBS) -o $$@
endef
$(foreach t,$(SVC_UNIT_TESTS),$(eval $(call svc_unit_bin,$(t))))

$(SVC_UNIT_OUT)/wrap_%.c: $(SVC_UNIT_GEN)/ipc/%.h $(SVC_UNIT_DIR)/gen_wraps.py
	@mkdir -p $(dir $@)
	$(Q)python3 $(SVC_UNIT_DIR)/gen_wraps.py $< $* $@

# One granule variant as a single relocatable object whose only global
# definition is its descriptor gvariant_<variant> (gvariant.c), so both
# variants link into one binary (the way services/services.mk isolates a
# service object).
.SECONDEXPANSION:
$(SVC_UNIT_OUT)/obj/gvariant_%.o: $(SVC_UNIT_DIR)/gvariant.c $$(call svc_granule_srcs,$$*) \
		$(call svc_gen,granule) $$(SVC_UNIT_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(SVC_UNIT_CFLAGS) $(call svc_granule_inc,$*) -DGVARIANT_NAME=gvariant_$* -DGVARIANT_IS_$* \
		-r -nostdlib $(SVC_UNIT_DIR)/gvariant.c $(call svc_granule_srcs,$*) \
		$(call svc_gen,granule) -o $@.tmp
	$(Q)$(HOST_OBJCOPY) --keep-global-symbol=gvariant_$* $@.tmp $@
	$(Q)rm -f $@.tmp

.PHONY: svc-unit
svc-unit: $(SVC_UNIT_BINS)
	$(Q)mkdir -p $(TEST_OUT)
	$(Q)bash scripts/run-unit.sh $(TEST_OUT)/svc-unit $^

.DEFAULT_GOAL := $(SVC_UNIT_SAVED_GOAL)

endif # ATOLL_SVC_UNIT_MK
