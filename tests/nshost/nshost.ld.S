ENTRY(_start)
SECTIONS
{
	. = NS_BASE;
	.text : { KEEP(*(.text.entry)) . = ALIGN(2048); KEEP(*(.text.vectors)) *(.text .text.*) }
	.rodata : { *(.rodata .rodata.*) }
	.data : { *(.data .data.*) }
	nshost_tests : { __start_nshost_tests = .; KEEP(*(nshost_tests)) __stop_nshost_tests = .; }
	. = ALIGN(16);
	__bss_start = .;
	.bss : { *(.bss .bss.*) *(COMMON) }
	. = ALIGN(16);
	__bss_end = .;
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
