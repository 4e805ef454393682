/* RMM stage-1 identity map (see arch/mmu.h). */
#include <arch/barrier.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/sysreg.h>

#define PT_ENTRIES	512u
#define POOL_TABLES	32u
#define VA_BITS		39u

#define DESC_VALID	(1ull << 0)
#define DESC_TABLE	(1ull << 1)	/* table (L1/L2) or page (L3) */
#define DESC_ATTR(i)	((uint64_t)(i) << 2)
#define DESC_AP_RO	(1ull << 7)
#define DESC_SH_INNER	(3ull << 8)
#define DESC_NS		(1ull << 5)
#define DESC_AF		(1ull << 10)
#define DESC_PXN	(1ull << 53)
#define DESC_UXN	(1ull << 54)
#define DESC_ADDR_MASK	0x0000fffffffff000ull

#define MAIR_NORMAL_IDX	0u
#define MAIR_DEVICE_IDX	1u
#define MAIR_VALUE	(0xffull | (0x04ull << 8))

/* TCR_EL2 in the E2H=1 layout. */
#define TCR_T0SZ	(64ull - VA_BITS)
#define TCR_IRGN0_WBWA	(1ull << 8)
#define TCR_ORGN0_WBWA	(1ull << 10)
#define TCR_SH0_INNER	(3ull << 12)
#define TCR_EPD1	(1ull << 23)
#define TCR_IPS_SHIFT	32u

#define SCTLR_M		(1ull << 0)
#define SCTLR_C		(1ull << 2)
#define SCTLR_SA	(1ull << 3)
#define SCTLR_I		(1ull << 12)
#define SCTLR_WXN	(1ull << 19)

/*
 * SAFETY: the RMM's translation tables; the only owner is this file, written
 * during cold boot before any other CPU runs and read by the MMU afterwards.
 */
static uint64_t pool[POOL_TABLES][PT_ENTRIES]
	__attribute__((section(".pgtables"), aligned(GRANULE_SIZE)));
/* SAFETY: allocation cursor for pool[], cold boot only. */
static unsigned int pool_used;
/* SAFETY: index of the slot L3 table in pool[]; set at cold boot, read-only after. */
static unsigned int slot_table;

/* Slot VAs: one 2 MB window above everything identity-mapped. */
#define SLOT_VA_BASE	0x4000000000ull

/* Physical address of table i; the pool is the first object of .pgtables. */
static uint64_t table_pa(unsigned int i)
{
	return rmm_image_layout.pgtables_start + (uint64_t)i * GRANULE_SIZE;
}

/* Table index of the table an entry points to. */
static bool table_index(uint64_t desc, unsigned int *i)
{
	uint64_t pa = desc & DESC_ADDR_MASK;

	if (pa < rmm_image_layout.pgtables_start)
		return false;
	*i = (unsigned int)((pa - rmm_image_layout.pgtables_start) / GRANULE_SIZE);
	return *i < pool_used;
}

static bool table_alloc(unsigned int *i)
{
	if (pool_used >= POOL_TABLES)
		return false;
	*i = pool_used++;
	for (unsigned int e = 0; e < PT_ENTRIES; e++)
		pool[*i][e] = 0;
	return true;
}

static uint64_t leaf_desc(uint64_t pa, enum mmu_attr attr)
{
	uint64_t d = pa | DESC_VALID | DESC_TABLE | DESC_AF | DESC_UXN;

	switch (attr) {
	case MMU_TEXT:
		return d | DESC_ATTR(MAIR_NORMAL_IDX) | DESC_SH_INNER | DESC_AP_RO;
	case MMU_RO:
		return d | DESC_ATTR(MAIR_NORMAL_IDX) | DESC_SH_INNER | DESC_AP_RO | DESC_PXN;
	case MMU_RW:
		return d | DESC_ATTR(MAIR_NORMAL_IDX) | DESC_SH_INNER | DESC_PXN;
	case MMU_DEVICE:
	default:
		return d | DESC_ATTR(MAIR_DEVICE_IDX) | DESC_PXN;
	}
}

/* Return the index of the next-level table under entry idx of table t. */
static bool next_table(unsigned int t, unsigned int idx, unsigned int *next)
{
	uint64_t d = pool[t][idx];

	if ((d & DESC_VALID) != 0u)
		return table_index(d, next);
	if (!table_alloc(next))
		return false;
	pool[t][idx] = table_pa(*next) | DESC_VALID | DESC_TABLE;
	return true;
}

bool mmu_map(uint64_t pa, uint64_t size, enum mmu_attr attr)
{
	unsigned int root = 0;

	if (((pa | size) & (GRANULE_SIZE - 1u)) != 0u || pa + size < pa ||
	    ((pa + size - 1u) >> VA_BITS) != 0u)
		return false;
	if (pool_used == 0u && !table_alloc(&root))
		return false;

	for (uint64_t a = pa; a < pa + size; a += GRANULE_SIZE) {
		unsigned int l2, l3, i3 = (unsigned int)((a >> 12) & 511u);

		if (!next_table(root, (unsigned int)((a >> 30) & 511u), &l2) ||
		    !next_table(l2, (unsigned int)((a >> 21) & 511u), &l3))
			return false;
		if ((pool[l3][i3] & DESC_VALID) != 0u)
			return false;	/* never map a page twice */
		pool[l3][i3] = leaf_desc(a, attr);
	}
	return true;
}

void mmu_enable(uint64_t parange)
{
	crit_write_mair_el2(MAIR_VALUE);
	crit_write_tcr_el2(TCR_T0SZ | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
			   TCR_EPD1 | ((parange & 7u) << TCR_IPS_SHIFT));
	crit_write_ttbr0_el2(table_pa(0));
	isb();
	tlbi_alle2();
	dsb_ish();
	isb();
	crit_write_sctlr_el2(read_sctlr_el2() | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA | SCTLR_WXN);
	isb();
	ic_iallu();
	dsb_ish();
	isb();
}

bool mmu_slots_init(uint64_t cpu_count)
{
	unsigned int l2, l3;

	if (cpu_count * MMU_SLOT_COUNT > PT_ENTRIES)
		return false;
	if (!next_table(0, (unsigned int)((SLOT_VA_BASE >> 30) & 511u), &l2) ||
	    !next_table(l2, (unsigned int)((SLOT_VA_BASE >> 21) & 511u), &l3))
		return false;
	slot_table = l3;
	return true;
}

static unsigned int slot_index(unsigned int cpu, enum mmu_slot s)
{
	return cpu * MMU_SLOT_COUNT + (unsigned int)s;
}

uint64_t mmu_slot_map(unsigned int cpu, enum mmu_slot s, uint64_t pa)
{
	unsigned int i = slot_index(cpu, s);
	uint64_t d = leaf_desc(pa & DESC_ADDR_MASK, MMU_RW);

	pool[slot_table][i] = s == MMU_SLOT_NS ? d | DESC_NS : d;
	dsb_ish();
	isb();
	return SLOT_VA_BASE + (uint64_t)i * GRANULE_SIZE;
}

void mmu_slot_unmap(unsigned int cpu, enum mmu_slot s)
{
	unsigned int i = slot_index(cpu, s);

	pool[slot_table][i] = 0;
	dsb_ish();
	tlbi_vale2((SLOT_VA_BASE + (uint64_t)i * GRANULE_SIZE) >> 12);
	dsb_ish();
	isb();
}
