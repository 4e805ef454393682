/* Integer-to-pointer conversions for physical addresses (see kernel/pa.h). */
#include <kernel/pa.h>

static const volatile uint64_t *pa_words(uint64_t pa)
{
	/* SAFETY: callers pass a PA the RMM owns or maps (shared page, validated at boot); the RMM's stage 1 is an identity map, so VA == PA. */
	return (const volatile uint64_t *)(uintptr_t)pa;
}

static volatile uint32_t *pa_reg32(uint64_t pa)
{
	/* SAFETY: only device register addresses from the validated manifest reach here; they are mapped Device-nGnRE. */
	return (volatile uint32_t *)(uintptr_t)pa;
}

void pa_read_words(uint64_t pa, uint64_t *dst, size_t n)
{
	const volatile uint64_t *src = pa_words(pa);

	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];	/* SAFETY: volatile reads bounded by n words of the mapped region. */
}

void pa_write_words(uint64_t pa, const uint64_t *src, size_t n)
{
	/* SAFETY: same region rules as pa_words(); the const is dropped only to write shared memory the RMM owns. */
	volatile uint64_t *dst = (volatile uint64_t *)(uintptr_t)pa;

	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];	/* SAFETY: volatile writes bounded by n words. */
}

uint32_t pa_mmio_read32(uint64_t pa)
{
	return *pa_reg32(pa);	/* SAFETY: device register read, see pa_reg32(). */
}

void pa_mmio_write32(uint64_t pa, uint32_t v)
{
	*pa_reg32(pa) = v;	/* SAFETY: device register write, see pa_reg32(). */
}

uint8_t *pa_mapped_ptr(uint64_t va)
{
	/* SAFETY: va is either a slot address returned by mmu_slot_map() for the current CPU (the slot maps one 4 KB granule until mmu_slot_unmap()), or an address kernel/svc_el0.c checked to lie, with its whole length, in the calling EL0 service's own memory, which the kernel's identity map maps read-write. */
	return (uint8_t *)(uintptr_t)va;
}

uint64_t *pa_window_u64(uint64_t pa)
{
	/* SAFETY: only called at cold boot with the page-aligned start of RMM-private memory reserved for one use and mapped RW before the MMU goes on: the granule table (after the image), the REC registry (after the granule table), the MMU's own .pgtables region, and the .stacks region (painted at cold boot, before the MMU goes on and before any other CPU runs). */
	return (uint64_t *)(uintptr_t)pa;
}
