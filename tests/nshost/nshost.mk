# NS test host (BL33): bare-metal C at NS-EL2, linked at the platform's BL33 address.
NSHOST_SRCS := tests/nshost/start.S tests/nshost/host.c $(sort $(wildcard tests/nshost/test_*.c))
NSHOST_OBJS := $(patsubst %,$(OUT)/nshost/%.o,$(NSHOST_SRCS))
NSHOST_DEFS := -DNS_BASE=$(PLAT_NS_BASE) -DNS_UART=$(PLAT_NS_UART) -DNS_DTB=$(PLAT_NS_DTB)

nshost: $(OUT)/nshost.bin

$(OUT)/nshost/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(FW_CFLAGS) -Wno-missing-prototypes $(NSHOST_DEFS) -Itests/nshost -c $< -o $@

$(OUT)/nshost/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(FW_ASFLAGS) $(NSHOST_DEFS) -c $< -o $@

$(OUT)/nshost.ld: tests/nshost/nshost.ld.S platform/$(PLATFORM)/platform.mk
	@mkdir -p $(dir $@)
	$(Q)$(CC) -E -P -x assembler-with-cpp $(NSHOST_DEFS) $< -o $@

$(OUT)/nshost.elf: $(NSHOST_OBJS) $(OUT)/nshost.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(FW_LDFLAGS) -T $(OUT)/nshost.ld $(NSHOST_OBJS) -lc -lgcc -o $@

$(OUT)/nshost.bin: $(OUT)/nshost.elf
	$(Q)$(OBJCOPY) -O binary $< $@

-include $(NSHOST_OBJS:.o=.d)
