# Arm FVP Base RevC + TF-A 2.12.1 (ENABLE_RME=1): Realm DRAM window
# = ARM_REALM_BASE (0xFDC00000), 32 MB - 4 KB; shared page 0xFFBFF000.
# The model cannot run here; the build proves the image links into a fip.
PLAT_RMM_BASE      := 0xFDC00000
PLAT_RMM_SIZE      := 0x01FFF000
PLAT_MAX_CPUS      := 32
PLAT_MAX_DRAM_BANKS := 8
PLAT_NS_BASE       := 0x88000000
PLAT_NS_UART       := 0x1C090000
PLAT_TFA_FLAGS     := PLAT=fvp FVP_HW_CONFIG_DTS=fdts/fvp-base-gicv3-psci-1t.dts
PLAT_NS_DTB        := 0x82000000
PLAT_NS_GICD       := 0x2F000000
PLAT_NS_GICR       := 0x2F100000
