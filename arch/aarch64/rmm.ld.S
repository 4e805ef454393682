/* Atoll RMM link map: linked at the platform's Realm DRAM window base. */
#include <arch/layout.h>

OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)
ENTRY(rmm_entry)

SECTIONS
{
	. = RMM_BASE;
	__text_start = .;
	.text : {
		KEEP(*(.text.entry))
		. = ALIGN(2048);
		KEEP(*(.text.vectors))
		*(.text .text.*)
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
		QUAD(__pgtables_start) QUAD(__pgtables_end)
		QUAD(__stacks_start) QUAD(__stacks_end)
		QUAD(__rmm_end)
		*(.rodata .rodata.*)
	}
	. = ALIGN(GRANULE_SIZE);
	__rodata_end = .;

	__data_start = .;
	.data : { *(.data .data.*) }
	. = ALIGN(16);
	__bss_start = .;
	.bss (NOLOAD) : { *(.bss .bss.*) *(COMMON) }
	. = ALIGN(16);
	__bss_end = .;
	. = ALIGN(GRANULE_SIZE);
	__data_end = .;

	__pgtables_start = .;
	.pgtables (NOLOAD) : ALIGN(GRANULE_SIZE) { *(.pgtables) }
	. = ALIGN(GRANULE_SIZE);
	__pgtables_end = .;

	__stacks_start = .;
	.stacks (NOLOAD) : ALIGN(GRANULE_SIZE) { *(.stacks) }
	. = ALIGN(GRANULE_SIZE);
	__stacks_end = .;
	__rmm_end = .;

	ASSERT(__rmm_end - RMM_BASE <= RMM_SIZE, "RMM image does not fit its Realm DRAM window")

	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) *(.interp) *(.dynamic) }
}
