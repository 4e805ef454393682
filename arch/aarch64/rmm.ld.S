/* Atoll RMM link map: linked at the platform's Realm DRAM window base. */
#include <arch/layout.h>

OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)
ENTRY(rmm_entry)

/*
 * Each service's code, constants and data form their own page-aligned
 * groups (the objects were prefixed .svc_<name> by services/services.mk),
 * so that issue 10 can map each service on its own. Their states are one
 * object in .svc_state whose members each start on a page of their own
 * (kernel/services.c).
 */
#define SVC_GROUP(n, kind, pat)						\
	. = ALIGN(GRANULE_SIZE);					\
	__svc_##n##_##kind##_start = .;					\
	pat								\
	. = ALIGN(GRANULE_SIZE);					\
	__svc_##n##_##kind##_end = .;
/* A service's text starts with its EL0 entry trampoline (arch/aarch64/el0_abi.S). */
#define SVC_TEXT(n)	SVC_GROUP(n, text, KEEP(*(.svc_##n.text.svc_entry)) *(.svc_##n.text .svc_##n.text.*))
/* struct svc_image (kernel/svc_el0.h): a service's groups and entry points as integers. */
#define SVC_LAYOUT(n)							\
	QUAD(__svc_##n##_text_start) QUAD(__svc_##n##_text_end)		\
	QUAD(__svc_##n##_rodata_start) QUAD(__svc_##n##_rodata_end)	\
	QUAD(__svc_##n##_data_start) QUAD(__svc_##n##_data_end)		\
	QUAD(__svc_##n##_bss_start) QUAD(__svc_##n##_bss_end)		\
	QUAD(n##_dispatch) QUAD(n##_init)
#define SVC_RODATA(n)	SVC_GROUP(n, rodata, *(.svc_##n.rodata .svc_##n.rodata.*))
#define SVC_DATA(n)	SVC_GROUP(n, data, *(.svc_##n.data .svc_##n.data.*))
#define SVC_BSS(n)	SVC_GROUP(n, bss, *(.svc_##n.bss .svc_##n.bss.*))

SECTIONS
{
	. = RMM_BASE;
	__text_start = .;
	.text : {
		KEEP(*(.text.entry))
		. = ALIGN(2048);
		KEEP(*(.text.vectors))
		*(.text .text.*)
		SVC_TEXT(granule)
		SVC_TEXT(realm)
		SVC_TEXT(attest)
	}
	. = ALIGN(GRANULE_SIZE);
	__text_end = .;

	__rodata_start = .;
	.rodata : {
		/* struct image_layout (arch/mmu.h): section bounds as plain integers. */
		rmm_image_layout = .;
		QUAD(__text_start) QUAD(__text_end)
		QUAD(__rodata_start) QUAD(__rodata_end)
		QUAD(__data_start) QUAD(__data_end)
		QUAD(__ro_after_boot_start) QUAD(__ro_after_boot_end)
		QUAD(__pgtables_start) QUAD(__pgtables_end)
		QUAD(__stacks_start) QUAD(__stacks_end)
		QUAD(__rmm_end)
		/* struct svc_images (kernel/svc_el0.h), in enum ipc_service order */
		rmm_svc_images = .;
		QUAD(__svc_state_start) QUAD(__svc_state_end)
		SVC_LAYOUT(granule)
		SVC_LAYOUT(realm)
		SVC_LAYOUT(attest)
		*(.rodata .rodata.*)
		SVC_RODATA(granule)
		SVC_RODATA(realm)
		SVC_RODATA(attest)
	}
	. = ALIGN(GRANULE_SIZE);
	__rodata_end = .;

	/*
	 * The configuration: written during cold boot, then remapped read-only
	 * (kernel/config.c). Its own pages, so nothing else shares that fate.
	 */
	__ro_after_boot_start = .;
	.ro_after_boot : ALIGN(GRANULE_SIZE) { *(.ro_after_boot) }
	. = ALIGN(GRANULE_SIZE);
	__ro_after_boot_end = .;

	__data_start = .;
	.data : {
		*(.data .data.*)
		SVC_DATA(granule)
		SVC_DATA(realm)
		SVC_DATA(attest)
	}
	. = ALIGN(16);
	__bss_start = .;
	.bss (NOLOAD) : {
		*(.bss .bss.*)
		SVC_BSS(granule)
		SVC_BSS(realm)
		SVC_BSS(attest)
		*(COMMON)
		. = ALIGN(GRANULE_SIZE);
		__svc_state_start = .;
		*(.svc_state)
		. = ALIGN(GRANULE_SIZE);
		__svc_state_end = .;
	}
	. = ALIGN(16);
	__bss_end = .;
	. = ALIGN(GRANULE_SIZE);
	__data_end = .;

	__pgtables_start = .;
	.pgtables (NOLOAD) : ALIGN(GRANULE_SIZE) { . += POOL_TABLES * GRANULE_SIZE; }
	. = ALIGN(GRANULE_SIZE);
	__pgtables_end = .;

	__stacks_start = .;
	.stacks (NOLOAD) : ALIGN(GRANULE_SIZE) { . += PLAT_MAX_CPUS * STACK_SLOT_SIZE; }
	. = ALIGN(GRANULE_SIZE);
	__stacks_end = .;
	__rmm_end = .;

	ASSERT(granule_dispatch != 0 && granule_init != 0 && realm_dispatch != 0 && realm_init != 0 &&
	       attest_dispatch != 0 && attest_init != 0, "a service entry point was not linked (make -u)")
	ASSERT(__rmm_end - RMM_BASE <= RMM_SIZE, "RMM image does not fit its Realm DRAM window")

	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) *(.interp) *(.dynamic) }
}
