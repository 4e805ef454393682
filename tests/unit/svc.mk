# Per-service unit tests (CMocka, host gcc, ASan + UBSan): each service is
# built from its own sources exactly as services/services.mk picks them
# (include path + variant source), against the fake kernel in
# tests/unit/svc/fake_kernel.c. Included from tests/tests.mk after
# tests/unit/unit.mk.
#
#   make svc-unit    build and run them all; "N passed, N failed" goes to
#                    $(TEST_OUT)/svc-unit.result (scripts/run-unit.sh)
#
# Binaries ($(BUILD)/host/svc/):
#   test_granule_array, test_granule_sparse  one source, both variants
#   test_granule_diff   array and sparse linked side by side (each variant is
#                       partially linked and keeps only its descriptor
#                       symbol global), random ops against a reference model
#   test_realm          realm + real granule (array) and attest services
#   test_attest         attestation service (mbedTLS, host build)
#   test_fake_kernel    the fake's own lease and transport rules

ifndef ATOLL_SVC_UNIT_MK
ATOLL_SVC_UNIT_MK := 1

SVC_UNIT_SAVED_GOAL := $(.DEFAULT_GOAL)

HOST_CC     ?= gcc
HOST_LD     ?= ld
HOST_OBJCOPY ?= objcopy
TEST_OUT    ?= $(BUILD)/test

SVC_UNIT_DIR := tests/unit/svc
SVC_UNIT_OUT := $(BUILD)/host/svc
SVC_UNIT_GEN := $(BUILD)/host/gen

# Host copies of the generated IPC code (ipc/ipc.mk). Another fragment may
# have defined the same rules: define them once.
ifndef ATOLL_HOST_GEN_RULES
ATOLL_HOST_GEN_RULES := 1
$(eval $(call ipc_gen_rule,$(SVC_UNIT_GEN)))
endif
SVC_UNIT_GEN_HDRS := $(call ipc_gen_files,$(SVC_UNIT_GEN),h)

SVC_UNIT_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
                   -Wmissing-prototypes -Wvla -fsanitize=address,undefined \
                   -fno-sanitize-recover=all -Iipc/include -I$(SVC_UNIT_GEN) \
                   -Ikernel/svc_include -I$(SVC_UNIT_DIR) \
                   $(shell pkg-config --cflags cmocka 2>/dev/null)
SVC_UNIT_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# Everything a test binary's sources may include.
SVC_UNIT_HDRS := $(wildcard $(SVC_UNIT_DIR)/*.h services/*/*.h services/*/*/*.h) \
                 ipc/include/ipc/ipc.h kernel/svc_include/kernel/svc_api.h \
                 $(SVC_UNIT_GEN_HDRS) $(SVC_UNIT_DIR)/../svc.mk

svc_gen = $(patsubst %,$(SVC_UNIT_GEN)/ipc/%.c,$(1))
# -Wl,--wrap=<s>_handle_<op> for every op of the given services (handler_count.h).
svc_wrap = $(foreach s,$(1),$(foreach o,$(shell sed -n 's/^name = "\([a-z0-9_]*\)".*/\1/p' ipc/$(s).toml),-Wl,--wrap=$(s)_handle_$(o)))

# Granule service sources of variant $(1), as services/services.mk builds them.
svc_granule_srcs = services/granule/handlers.c services/granule/common.c \
                   services/granule/$(1)/gstore.c
svc_granule_inc  = -Iservices/granule/$(1) -Iservices/granule

# ---- test binaries: name -> sources, flags, libraries ----
SVC_UNIT_SRCS_granule_array  := $(SVC_UNIT_DIR)/test_granule.c $(SVC_UNIT_DIR)/fake_kernel.c \
                                $(SVC_UNIT_DIR)/wrap_granule.c $(call svc_granule_srcs,array) \
                                $(call svc_gen,granule)
SVC_UNIT_FLAGS_granule_array := $(call svc_granule_inc,array) -DGRANULE_VARIANT_ARRAY \
                                $(call svc_wrap,granule)

SVC_UNIT_SRCS_granule_sparse  := $(SVC_UNIT_DIR)/test_granule.c $(SVC_UNIT_DIR)/fake_kernel.c \
                                 $(SVC_UNIT_DIR)/wrap_granule.c $(call svc_granule_srcs,sparse) \
                                 $(call svc_gen,granule)
SVC_UNIT_FLAGS_granule_sparse := $(call svc_granule_inc,sparse) -DGRANULE_VARIANT_SPARSE \
                                 $(call svc_wrap,granule)

SVC_UNIT_SRCS_granule_diff  := $(SVC_UNIT_DIR)/test_granule_diff.c $(SVC_UNIT_DIR)/fake_kernel.c \
                               $(SVC_UNIT_OUT)/obj/gvariant_array.o \
                               $(SVC_UNIT_OUT)/obj/gvariant_sparse.o
SVC_UNIT_FLAGS_granule_diff := -Iservices/granule

SVC_UNIT_SRCS_realm  := $(SVC_UNIT_DIR)/test_realm.c $(SVC_UNIT_DIR)/fake_kernel.c \
                        $(SVC_UNIT_DIR)/wrap_realm.c $(SVC_UNIT_DIR)/wrap_granule.c \
                        $(SVC_UNIT_DIR)/wrap_attest.c services/realm/realm.c \
                        $(call svc_granule_srcs,array) services/attest/measure.c \
                        $(call svc_gen,realm granule attest) $(MBEDTLS_HOST_LIB)
SVC_UNIT_FLAGS_realm := -Iservices/realm $(call svc_granule_inc,array) -Iservices/attest \
                        $(MBEDTLS_HOST_INC) $(call svc_wrap,realm granule attest)

SVC_UNIT_SRCS_attest  := $(SVC_UNIT_DIR)/test_attest.c $(SVC_UNIT_DIR)/fake_kernel.c \
                         $(SVC_UNIT_DIR)/wrap_attest.c services/attest/measure.c \
                         $(call svc_gen,attest) $(MBEDTLS_HOST_LIB)
SVC_UNIT_FLAGS_attest := -Iservices/attest $(MBEDTLS_HOST_INC) $(call svc_wrap,attest)

SVC_UNIT_SRCS_fake_kernel  := $(SVC_UNIT_DIR)/test_fake_kernel.c $(SVC_UNIT_DIR)/fake_kernel.c
SVC_UNIT_FLAGS_fake_kernel :=

SVC_UNIT_TESTS := granule_array granule_sparse granule_diff realm attest fake_kernel
SVC_UNIT_BINS  := $(addprefix $(SVC_UNIT_OUT)/test_,$(SVC_UNIT_TESTS))

# One compiler run per binary: sources (.c), objects and libraries in order.
define svc_unit_bin
$(SVC_UNIT_OUT)/test_$(1): $$(SVC_UNIT_SRCS_$(1)) $$(SVC_UNIT_HDRS) | $$(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	@echo "  HOSTCC  $$@"
	$$(Q)$$(HOST_CC) $$(SVC_UNIT_CFLAGS) $$(SVC_UNIT_FLAGS_$(1)) $$(SVC_UNIT_SRCS_$(1)) \
		$$(SVC_UNIT_LIBS) -o $$@
endef
$(foreach t,$(SVC_UNIT_TESTS),$(eval $(call svc_unit_bin,$(t))))

# One granule variant as a single object whose only global definition is its
# descriptor gvariant_<variant> (gvariant.c), so both variants can be linked
# into test_granule_diff (like services/services.mk isolates a service).
$(SVC_UNIT_OUT)/obj/gvariant_%.o: $(SVC_UNIT_DIR)/gvariant.c services/granule/%/gstore.c \
		$(call svc_gen,granule) $(SVC_UNIT_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@ (granule: $*)"
	$(Q)$(HOST_CC) $(SVC_UNIT_CFLAGS) $(call svc_granule_inc,$*) -DGVARIANT_NAME=gvariant_$* \
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
