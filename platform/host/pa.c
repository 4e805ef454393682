/*
 * Host twin of kernel/pa.c: physical addresses are offsets into the
 * simulated memory (platform/host/machine.c). An address outside it is a
 * bug of the caller (the firmware would fault): the program aborts.
 */
#include <kernel/pa.h>
#include <machine.h>
#include <stdio.h>
#include <stdlib.h>

static void *mem(uint64_t pa, size_t len, const char *what)
{
	void *p = sim_pa_ptr(pa, len);

	if (p == NULL) {
		fprintf(stderr, "ERROR: %s: PA 0x%llx (+%zu) is not simulated memory\n", what,
			(unsigned long long)pa, len);
		abort();
	}
	return p;
}

void pa_read_words(uint64_t pa, uint64_t *dst, size_t n)
{
	const volatile uint64_t *src = mem(pa, n * 8u, "pa_read_words");

	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
}

void pa_write_words(uint64_t pa, const uint64_t *src, size_t n)
{
	volatile uint64_t *dst = mem(pa, n * 8u, "pa_write_words");

	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
}

/* No devices are simulated (the manifest names no console). */
uint32_t pa_mmio_read32(uint64_t pa)
{
	fprintf(stderr, "ERROR: MMIO read at 0x%llx\n", (unsigned long long)pa);
	abort();
}

void pa_mmio_write32(uint64_t pa, uint32_t v)
{
	fprintf(stderr, "ERROR: MMIO write 0x%x at 0x%llx\n", v, (unsigned long long)pa);
	abort();
}

/* The slot VA of arch/host/mmu.c is the host address of the mapped granule. */
uint8_t *pa_mapped_ptr(uint64_t va)
{
	return (uint8_t *)(uintptr_t)va;
}

uint64_t *pa_window_u64(uint64_t pa)
{
	return mem(pa, 8u, "pa_window_u64");
}
