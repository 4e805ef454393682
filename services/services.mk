# Services: each is compiled on its own, partially linked into one object
# whose sections are renamed .svc_<name>.* (own linker groups, see
# arch/aarch64/rmm.ld.S) and whose only global symbols are its entry points.
# The isolation check then refuses any undefined symbol outside the allowed
# interface (ipc, kernel/svc_api.h, a few libc string functions).
#
#   make SERVICE_granule=<variant>   choose an implementation (services/granule/<variant>/)
SERVICES        := granule realm attest
GRANULE_VARIANTS := $(patsubst services/granule/%/gstore.c,%,$(wildcard services/granule/*/gstore.c))
ifeq ($(filter $(SERVICE_granule),$(GRANULE_VARIANTS)),)
$(error SERVICE_granule=$(SERVICE_granule) is not one of: $(GRANULE_VARIANTS))
endif

SVC_GEN := $(OUT)/gen
# Services see ipc/, the generated interfaces and spec structures (<spec/structs.h>,
# spec/spec.mk) and the kernel's service-facing header only.
SVC_CFLAGS = $(FW_CFLAGS) -Iipc/include -I$(SVC_GEN) -Ikernel/svc_include

SVC_SRCS_granule := services/granule/handlers.c services/granule/common.c \
                    services/granule/$(SERVICE_granule)/gstore.c
SVC_GENS_granule := granule
SVC_INC_granule  := -Iservices/granule/$(SERVICE_granule) -Iservices/granule
SVC_EXPORTS_granule := granule_dispatch granule_ops granule_ops_count granule_init granule_table_words

SVC_SRCS_realm := services/realm/realm.c services/realm/rtt.c services/realm/rec.c \
                  services/realm/measure.c services/realm/gran.c
SVC_GENS_realm := realm granule attest
SVC_INC_realm  := -Iservices/realm
SVC_EXPORTS_realm := realm_dispatch realm_ops realm_ops_count realm_init

SVC_SRCS_attest := services/attest/measure.c services/attest/token.c
SVC_GENS_attest := attest
SVC_INC_attest  := -Iservices/attest $(MBEDTLS_INC) $(TINYCBOR_INC)
SVC_LIBS_attest := $(MBEDTLS_LIB) $(TINYCBOR_LIB)
SVC_EXPORTS_attest := attest_dispatch attest_ops attest_ops_count attest_init

# SERVICE_realm=faulty, SERVICE_attest=faulty: the real service behind a
# wrapper of its dispatcher that misbehaves on a trigger
# (tests/svc_variants/<name>_faulty.c; the containment tests only).
define svc_faulty
ifeq ($$(SERVICE_$(1)),faulty)
SVC_SRCS_$(1) += tests/svc_variants/$(1)_faulty.c
SVC_DEFS_$(1) := -D$(1)_dispatch=$(1)_dispatch_real -DRMM_BASE=$$(PLAT_RMM_BASE)
else ifneq ($$(SERVICE_$(1)),standard)
$$(error SERVICE_$(1)=$$(SERVICE_$(1)) is not one of: standard faulty)
endif
endef
$(foreach s,realm attest,$(eval $(call svc_faulty,$(s))))

# Services run at EL0 (issue 10): each links its own copy of the string
# routines and of the system-call stubs (arch/aarch64/el0_abi.S), so a
# service object has no undefined symbol at all; the calls of
# kernel/svc_api.h and ipc_call() are SVCs into the kernel.
SVC_EL0_SRCS := arch/aarch64/el0_abi.S arch/aarch64/string.S
SVC_EL0_LIBS := $(PICOLIBC)/lib/libc.a
SVC_ALLOWED_UNDEF :=

SVC_OBJS := $(foreach s,$(SERVICES),$(OUT)/svc/$(s).o)

define svc_rules
$(OUT)/svc/$(1)/%.c.o: %.c $$(IPC_GEN_HDRS) $$(SPEC_GEN_HDRS)
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$< [svc $(1)]"
	$$(Q)$$(CC) $$(SVC_CFLAGS) $$(SVC_INC_$(1)) $$(SVC_DEFS_$(1)) -c $$< -o $$@

# Generated code of other services' interfaces: client side only.
$(OUT)/svc/$(1)/gen/%.c.o: $(SVC_GEN)/ipc/%.c $$(IPC_GEN_HDRS)
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(SVC_CFLAGS) $$(SVC_DEFS_$(1)) $$(if $$(filter $$*,$(1)),,-D$$(shell echo $$* | tr a-z A-Z)_CLIENT_ONLY) -c $$< -o $$@

$(OUT)/svc/$(1)/%.S.o: %.S
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(FW_ASFLAGS) -Ikernel/include -c $$< -o $$@

SVC_OBJS_$(1) := $$(patsubst %,$(OUT)/svc/$(1)/%.o,$$(SVC_SRCS_$(1))) \
                 $$(patsubst %,$(OUT)/svc/$(1)/gen/%.c.o,$$(SVC_GENS_$(1))) \
                 $$(patsubst %,$(OUT)/svc/$(1)/%.o,$$(SVC_EL0_SRCS))

$(OUT)/svc/$(1).o: $$(SVC_OBJS_$(1)) $$(SVC_LIBS_$(1)) scripts/svc-isolation.sh
	@echo "  SVC     $$@ ($(1)$(if $(SERVICE_$(1)),: $(SERVICE_$(1))))"
	$$(Q)$$(LD) -r --gc-sections $$(foreach e,$$(SVC_EXPORTS_$(1)) svc_el0_start,-u $$(e)) -o $$@.tmp $$(SVC_OBJS_$(1)) $$(SVC_LIBS_$(1)) $(SVC_EL0_LIBS)
	$$(Q)$$(OBJCOPY) --strip-unneeded --prefix-alloc-sections=.svc_$(1) \
		$$(foreach e,$$(SVC_EXPORTS_$(1)),--keep-global-symbol=$$(e)) $$@.tmp $$@.tmp2
	$$(Q)rm -f $$@.tmp
	$$(Q)bash scripts/svc-isolation.sh $(1) $$@.tmp2 $(CROSS_COMPILE)nm $$(SVC_ALLOWED_UNDEF)
	$$(Q)mv $$@.tmp2 $$@

-include $$(SVC_OBJS_$(1):.o=.d)
endef
$(foreach s,$(SERVICES),$(eval $(call svc_rules,$(s))))
