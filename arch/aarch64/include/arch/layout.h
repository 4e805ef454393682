/*
 * Memory layout constants shared by the linker script, the boot assembly and
 * C. Per-CPU stack slot (from low to high address):
 *   [guard page][exception stack][guard page][main stack]
 * Guard pages are never mapped, so an overflow faults instead of silently
 * corrupting the neighbour.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define GRANULE_SHIFT		12
#define GRANULE_SIZE		4096

#define STACK_GUARD_SIZE	GRANULE_SIZE
#define STACK_EXC_SIZE		GRANULE_SIZE
#define STACK_MAIN_SIZE		(6 * GRANULE_SIZE)
#define STACK_SLOT_SIZE		(2 * STACK_GUARD_SIZE + STACK_EXC_SIZE + STACK_MAIN_SIZE)
/* Offsets of the stack tops inside a slot. */
#define STACK_EXC_TOP		(STACK_GUARD_SIZE + STACK_EXC_SIZE)
#define STACK_MAIN_TOP		STACK_SLOT_SIZE

/* Pages of the RMM's own stage-1 tables (the .pgtables region). */
#define POOL_TABLES		48

/*
 * Byte painted into the stacks at cold boot so that high-water marks can be
 * measured (make bench); the top STACK_LIVE_TOP bytes of the boot CPU's main
 * stack are in use while it paints and stay unpainted.
 */
#define STACK_PAINT		0x5A
#define STACK_LIVE_TOP		(2 * GRANULE_SIZE)

#endif
