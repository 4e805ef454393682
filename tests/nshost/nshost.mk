# NS test host (BL33): bare-metal C at NS-EL2, linked at the platform's BL33 address.
NSHOST_SRCS := tests/nshost/start.S tests/nshost/host.c tests/nshost/payload_blob.S \
               $(sort $(wildcard tests/nshost/test_*.c))
REALM_SRCS  := tests/realm/start.S tests/realm/vectors.S tests/realm/payload.c
REALM_OBJS  := $(patsubst %,$(OUT)/realm/%.o,$(REALM_SRCS))
REALM_BIN   := $(OUT)/realm/payload.bin
NSHOST_OBJS := $(patsubst %,$(OUT)/nshost/%.o,$(NSHOST_SRCS))
NSHOST_DEFS := -DNS_BASE=$(PLAT_NS_BASE) -DNS_UART=$(PLAT_NS_UART) -DNS_DTB=$(PLAT_NS_DTB) -DNS_GICD=$(PLAT_NS_GICD) -DNS_GICR=$(PLAT_NS_GICR) \
               $(if $(filter faulty,$(SERVICE_attest)),-DNSHOST_CONTAINMENT)

nshost: $(OUT)/nshost.bin

$(OUT)/nshost/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(FW_CFLAGS) -Wno-missing-prototypes $(NSHOST_DEFS) -Itests/nshost -c $< -o $@

$(OUT)/nshost/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(FW_ASFLAGS) $(NSHOST_DEFS) -DREALM_PAYLOAD_BIN='"$(REALM_BIN)"' -c $< -o $@

$(OUT)/nshost/tests/nshost/payload_blob.S.o: $(REALM_BIN)

# The realm test payload: bare-metal C at R-EL1, loaded by the NS host with DATA_CREATE.
$(OUT)/realm/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< [realm]"
	$(Q)$(CC) $(FW_CFLAGS) -Os -c $< -o $@

$(OUT)/realm/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(FW_ASFLAGS) -c $< -o $@

$(REALM_BIN): $(REALM_OBJS) tests/realm/realm.ld
	$(Q)$(CC) $(FW_LDFLAGS) -T tests/realm/realm.ld $(REALM_OBJS) -lc -lgcc -o $(OUT)/realm/payload.elf
	$(Q)$(OBJCOPY) -O binary $(OUT)/realm/payload.elf $@

$(OUT)/nshost.ld: tests/nshost/nshost.ld.S platform/$(PLATFORM)/platform.mk
	@mkdir -p $(dir $@)
	$(Q)$(CC) -E -P -x assembler-with-cpp $(NSHOST_DEFS) $< -o $@

$(OUT)/nshost.elf: $(NSHOST_OBJS) $(OUT)/nshost.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(FW_LDFLAGS) -T $(OUT)/nshost.ld $(NSHOST_OBJS) -lc -lgcc -o $@

$(OUT)/nshost.bin: $(OUT)/nshost.elf
	$(Q)$(OBJCOPY) -O binary $< $@

-include $(NSHOST_OBJS:.o=.d)
