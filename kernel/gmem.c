/* Granule and non-secure memory access through per-CPU slots (see gmem.h). */
#include <arch/copy.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <kernel/config.h>
#include <ipc/ipc.h>
#include <kernel/gmem.h>
#include <kernel/pa.h>
#include <kernel/panic.h>
#include <string.h>

static uint8_t *slot_map(enum mmu_slot s, uint64_t pa)
{
	return pa_mapped_ptr(mmu_slot_map(&config()->mmu, arch_cpu_id(), s, pa));
}

static void slot_unmap(enum mmu_slot s)
{
	mmu_slot_unmap(&config()->mmu, arch_cpu_id(), s);
}

static void check_range(size_t off, size_t len)
{
	if (off > GRANULE_SIZE || len > GRANULE_SIZE - off)
		panic("granule access out of range");
}

void gmem_read(uint64_t pa, size_t off, void *dst, size_t len)
{
	uint8_t *p;

	check_range(off, len);
	p = slot_map(MMU_SLOT_REALM0, pa);
	memcpy(dst, &p[off], len);
	slot_unmap(MMU_SLOT_REALM0);
}

void gmem_write(uint64_t pa, size_t off, const void *src, size_t len)
{
	uint8_t *p;

	check_range(off, len);
	p = slot_map(MMU_SLOT_REALM0, pa);
	memcpy(&p[off], src, len);
	slot_unmap(MMU_SLOT_REALM0);
}

void gmem_zero(uint64_t pa, size_t off, size_t len)
{
	uint8_t *p;

	check_range(off, len);
	p = slot_map(MMU_SLOT_REALM0, pa);
	memset(&p[off], 0, len);
	slot_unmap(MMU_SLOT_REALM0);
}

void arch_sve_save_z_lo(uint8_t *p);
void arch_sve_save_z_hi(uint8_t *p);
void arch_sve_save_p(uint8_t *p);
void arch_sve_load_z_lo(const uint8_t *p);
void arch_sve_load_z_hi(const uint8_t *p);
void arch_sve_load_p(const uint8_t *p);

/* arch/aarch64/fpsimd.S: the FP/SIMD file to/from 528 bytes at p. */
void arch_fp_save_at(uint8_t *p);
void arch_fp_load_at(const uint8_t *p);

void gmem_fp_save(uint64_t pa, size_t off)
{
	uint8_t *p = slot_map(MMU_SLOT_REALM0, pa);

	if (off > GRANULE_SIZE - GMEM_FP_BYTES || (off % 16u) != 0u)
		panic("gmem_fp_save: bad offset");
	arch_fp_save_at(&p[off]);
	slot_unmap(MMU_SLOT_REALM0);
}

void gmem_fp_load(uint64_t pa, size_t off)
{
	const uint8_t *p = slot_map(MMU_SLOT_REALM0, pa);

	if (off > GRANULE_SIZE - GMEM_FP_BYTES || (off % 16u) != 0u)
		panic("gmem_fp_load: bad offset");
	arch_fp_load_at(&p[off]);
	slot_unmap(MMU_SLOT_REALM0);
}

void gmem_sve_save(uint64_t pa, enum gmem_sve_part part)
{
	uint8_t *p = slot_map(MMU_SLOT_REALM0, pa);

	if (part == GMEM_SVE_Z_LO)
		arch_sve_save_z_lo(p);
	else if (part == GMEM_SVE_Z_HI)
		arch_sve_save_z_hi(p);
	else
		arch_sve_save_p(p);
	slot_unmap(MMU_SLOT_REALM0);
}

void gmem_sve_load(uint64_t pa, enum gmem_sve_part part)
{
	const uint8_t *p = slot_map(MMU_SLOT_REALM0, pa);

	if (part == GMEM_SVE_Z_LO)
		arch_sve_load_z_lo(p);
	else if (part == GMEM_SVE_Z_HI)
		arch_sve_load_z_hi(p);
	else
		arch_sve_load_p(p);
	slot_unmap(MMU_SLOT_REALM0);
}

bool dram_granule_index(uint64_t pa, uint64_t *idx)
{
	const struct boot_manifest_info *m = &config()->manifest;
	uint64_t first = 0;

	if ((pa & (GRANULE_SIZE - 1u)) != 0u)
		return false;
	for (uint64_t i = 0; i < m->bank_count; i++) {
		if (pa >= m->banks[i].base && pa - m->banks[i].base < m->banks[i].size) {
			*idx = first + (pa - m->banks[i].base) / GRANULE_SIZE;
			return true;
		}
		first += m->banks[i].size / GRANULE_SIZE;
	}
	return false;
}

bool dram_granule_valid(uint64_t pa)
{
	uint64_t i;

	return dram_granule_index(pa, &i);
}

static bool ns_args_ok(uint64_t pa, size_t off, size_t len)
{
	return dram_granule_valid(pa) && off <= GRANULE_SIZE && len <= GRANULE_SIZE - off &&
	       (off % 8u) == 0u && (len % 8u) == 0u;
}

bool ns_read(uint64_t pa, size_t off, void *dst, size_t len)
{
	uint8_t *p;
	int r;

	if (!ns_args_ok(pa, off, len))
		return false;
	p = slot_map(MMU_SLOT_NS, pa);
	r = arch_copy_nofault(dst, &p[off], len);
	slot_unmap(MMU_SLOT_NS);
	return r == 0;
}

bool ns_write(uint64_t pa, size_t off, const void *src, size_t len)
{
	uint8_t *p;
	int r;

	if (!ns_args_ok(pa, off, len))
		return false;
	p = slot_map(MMU_SLOT_NS, pa);
	r = arch_copy_nofault(&p[off], src, len);
	slot_unmap(MMU_SLOT_NS);
	return r == 0;
}

/* The predicate the generated IPC validators use for "in_dram" fields. */
bool ipc_env_in_dram(uint64_t pa)
{
	return dram_granule_valid(pa);
}
