# Host unit tests (CMocka), built with ASan and UBSan.
HOST_CC     ?= gcc
UNIT_OUT    := $(BUILD)/host/unit
UNIT_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined \
               -fno-sanitize-recover=all -Iarch/host/include -Ikernel/include \
               -Iipc/include -I$(BUILD)/host/gen -DPLAT_MAX_CPUS=32 -DPLAT_MAX_DRAM_BANKS=8 \
               $(COV_FLAGS)
UNIT_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# test name -> sources under test
UNIT_TESTS := boot_check features
UNIT_SRCS_boot_check := kernel/boot_check.c
UNIT_SRCS_features   := kernel/features.c kernel/boot_check.c

.SECONDEXPANSION:
$(UNIT_OUT)/test_%: tests/unit/test_%.c $$(UNIT_SRCS_$$*) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) $^ $(UNIT_LIBS) -o $@

unit: $(addprefix $(UNIT_OUT)/test_,$(UNIT_TESTS))
	$(Q)mkdir -p $(TEST_OUT)
	$(Q)bash scripts/run-unit.sh $(TEST_OUT)/unit $^
