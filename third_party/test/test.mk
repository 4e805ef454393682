# Build rules for the third-party checks (third_party/test/run.sh drives them):
#   $(BUILD)/host/tp-test/test_third_party   host CMocka test (mbedTLS + TinyCBOR)
#   $(OUT)/tp-test/fw_link.elf                freestanding AArch64 link check
#   $(OUT)/tp-test/fw_kat.elf, fw_kat_neg.elf  known answers on the firmware
#                                             libraries, run under QEMU with
#                                             semihosting (picolibc crt0)
# Needs the top-level Makefile, third_party/mbedtls.mk and third_party/tinycbor.mk.

# Include guard: the top-level Makefile may include this already while
# run.sh or a command line adds it again with -f.
ifndef ATOLL_TP_TEST_MK
ATOLL_TP_TEST_MK := 1

# Wherever this is included, it does not change make's default goal.
TP_TEST_SAVED_GOAL := $(.DEFAULT_GOAL)

TP_TEST_DIR      := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
TP_TEST_HOST     := $(BUILD)/host/tp-test/test_third_party
TP_TEST_FW       := $(OUT)/tp-test/fw_link.elf
TP_TEST_CMOCKA   := $(shell pkg-config --cflags --libs cmocka 2>/dev/null || echo -lcmocka)
TP_TEST_HOST_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror $(THIRD_PARTY_SANITIZE) \
                       $(MBEDTLS_HOST_INC) $(TINYCBOR_INC)

$(TP_TEST_HOST): $(TP_TEST_DIR)/test_third_party.c $(MBEDTLS_HOST_LIB) $(TINYCBOR_HOST_LIB) $(TP_TEST_DIR)/test.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) $(TP_TEST_HOST_CFLAGS) $< $(MBEDTLS_HOST_LIB) $(TINYCBOR_HOST_LIB) $(TP_TEST_CMOCKA) -o $@

# The check object is built with the project's own FW_CFLAGS (-Werror): the
# library headers must be clean under them.
$(OUT)/tp-test/fw_link.o: $(TP_TEST_DIR)/fw_link.c $(TP_TEST_DIR)/test.mk | $(MBEDTLS_STAMP) $(TINYCBOR_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(FW_CFLAGS) $(MBEDTLS_INC) $(TINYCBOR_INC) -c $< -o $@

$(TP_TEST_FW): $(OUT)/tp-test/fw_link.o $(MBEDTLS_LIB) $(TINYCBOR_LIB)
	@echo "  LD      $@"
	$(Q)$(CC) $(FW_LDFLAGS) -Wl,-e,fw_entry -Wl,--no-undefined -Wl,-Map=$(@:.elf=.map) \
		$< $(MBEDTLS_LIB) $(TINYCBOR_LIB) -lc -lgcc -o $@

# Known-answer run of the firmware libraries: the test object uses FW_CFLAGS,
# the libraries are the firmware ones; only the harness (crt0, exit through
# semihosting) comes from picolibc's semihost flavour. Loaded at 0x40000000
# (QEMU virt RAM).
TP_TEST_KAT_LDFLAGS := -specs=$(PICOLIBC)/picolibc.specs --oslib=semihost -nostartfiles \
                       $(PICOLIBC)/lib/crt0-semihost.o -static -no-pie \
                       -Wl,--defsym=__flash=0x40000000 -Wl,--defsym=__flash_size=0x200000 \
                       -Wl,--defsym=__ram=0x40200000 -Wl,--defsym=__ram_size=0x200000

$(OUT)/tp-test/fw_kat.o: $(TP_TEST_DIR)/fw_kat.c $(TP_TEST_DIR)/test.mk | $(MBEDTLS_STAMP) $(TINYCBOR_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(FW_CFLAGS) $(MBEDTLS_INC) $(TINYCBOR_INC) -c $< -o $@

$(OUT)/tp-test/fw_kat_neg.o: $(TP_TEST_DIR)/fw_kat.c $(TP_TEST_DIR)/test.mk | $(MBEDTLS_STAMP) $(TINYCBOR_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $< (negative control)"
	$(Q)$(CC) $(FW_CFLAGS) -DFW_KAT_NEGATIVE $(MBEDTLS_INC) $(TINYCBOR_INC) -c $< -o $@

$(OUT)/tp-test/%.elf: $(OUT)/tp-test/%.o $(MBEDTLS_LIB) $(TINYCBOR_LIB)
	@echo "  LD      $@"
	$(Q)$(CC) $(TP_TEST_KAT_LDFLAGS) $< $(MBEDTLS_LIB) $(TINYCBOR_LIB) -o $@

-include $(OUT)/tp-test/fw_link.d $(OUT)/tp-test/fw_kat.d $(OUT)/tp-test/fw_kat_neg.d

.DEFAULT_GOAL := $(TP_TEST_SAVED_GOAL)

endif # ATOLL_TP_TEST_MK
