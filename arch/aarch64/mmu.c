/* RMM stage-1 identity map (see arch/mmu.h). */
#include <arch/barrier.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/sysreg.h>
#include <stddef.h>

#define PT_ENTRIES	512u
#define VA_BITS		39u

#define DESC_VALID	(1ull << 0)
#define DESC_TABLE	(1ull << 1)	/* table (L1/L2) or page (L3) */
#define DESC_ATTR(i)	((uint64_t)(i) << 2)
#define DESC_AP_EL0	(1ull << 6)	/* AP[1]: EL0 may access */
#define DESC_AP_RO	(1ull << 7)
#define DESC_NG		(1ull << 11)	/* not global: tagged with the ASID */
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

/* Slot VAs: one 2 MB window above everything identity-mapped. */
#define SLOT_VA_BASE	0x4000000000ull

/* Physical address of table i: the pool is the linker's .pgtables region. */
static uint64_t table_pa(unsigned int i)
{
	return rmm_image_layout.pgtables_start + (uint64_t)i * GRANULE_SIZE;
}

/* Entry e of table t (the pool seen as POOL_TABLES consecutive tables). */
static uint64_t *entry(const struct mmu_tables *m, unsigned int t, unsigned int e)
{
	return &m->pool[(size_t)t * PT_ENTRIES + e];
}

/* Table index of the table an entry points to. */
static bool table_index(const struct mmu_tables *m, uint64_t desc, unsigned int *i)
{
	uint64_t pa = desc & DESC_ADDR_MASK;

	if (pa < rmm_image_layout.pgtables_start)
		return false;
	*i = (unsigned int)((pa - rmm_image_layout.pgtables_start) / GRANULE_SIZE);
	return *i < m->used;
}

static bool table_alloc(struct mmu_tables *m, unsigned int *i)
{
	if (m->used >= POOL_TABLES)
		return false;
	*i = m->used++;
	for (unsigned int e = 0; e < PT_ENTRIES; e++)
		*entry(m, *i, e) = 0;
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
	case MMU_EL0_TEXT:
		return (d & ~DESC_UXN) | DESC_ATTR(MAIR_NORMAL_IDX) | DESC_SH_INNER | DESC_AP_RO |
		       DESC_AP_EL0 | DESC_PXN | DESC_NG;
	case MMU_EL0_RO:
		return d | DESC_ATTR(MAIR_NORMAL_IDX) | DESC_SH_INNER | DESC_AP_RO | DESC_AP_EL0 |
		       DESC_PXN | DESC_NG;
	case MMU_EL0_RW:
		return d | DESC_ATTR(MAIR_NORMAL_IDX) | DESC_SH_INNER | DESC_AP_EL0 | DESC_PXN |
		       DESC_NG;
	case MMU_DEVICE:
	default:
		return d | DESC_ATTR(MAIR_DEVICE_IDX) | DESC_PXN;
	}
}

/* Return the index of the next-level table under entry idx of table t. */
static bool next_table(struct mmu_tables *m, unsigned int t, unsigned int idx, unsigned int *next)
{
	uint64_t d = *entry(m, t, idx);

	if ((d & DESC_VALID) != 0u)
		return table_index(m, d, next);
	if (!table_alloc(m, next))
		return false;
	*entry(m, t, idx) = table_pa(*next) | DESC_VALID | DESC_TABLE;
	return true;
}

void mmu_tables_init(struct mmu_tables *m, uint64_t *pool)
{
	m->pool = pool;
	m->used = 0;
	m->slot_table = 0;
}

/* A table entry's next-level table, for a walk that builds nothing. */
static bool walk(const struct mmu_tables *m, uint64_t desc, unsigned int *next)
{
	return (desc & (DESC_VALID | DESC_TABLE)) == (DESC_VALID | DESC_TABLE) &&
	       table_index(m, desc, next);
}

/* The L3 entry for the page at a (creating tables if asked), NULL if none. */
static uint64_t *leaf(struct mmu_tables *m, uint64_t a, bool create)
{
	unsigned int i1 = (unsigned int)((a >> 30) & 511u), i2 = (unsigned int)((a >> 21) & 511u);
	unsigned int l2, l3;
	bool ok = create ? next_table(m, 0, i1, &l2) && next_table(m, l2, i2, &l3)
			 : walk(m, *entry(m, 0, i1), &l2) && walk(m, *entry(m, l2, i2), &l3);

	return ok ? entry(m, l3, (unsigned int)((a >> 12) & 511u)) : NULL;
}

static bool range_ok(uint64_t pa, uint64_t size)
{
	return ((pa | size) & (GRANULE_SIZE - 1u)) == 0u && pa + size >= pa &&
	       ((pa + size - 1u) >> VA_BITS) == 0u;
}

bool mmu_map(struct mmu_tables *m, uint64_t pa, uint64_t size, enum mmu_attr attr)
{
	unsigned int root = 0;

	if (!range_ok(pa, size))
		return false;
	if (m->used == 0u && !table_alloc(m, &root))
		return false;

	for (uint64_t a = pa; a < pa + size; a += GRANULE_SIZE) {
		uint64_t *e = leaf(m, a, true);

		if (e == NULL || (*e & DESC_VALID) != 0u)
			return false;	/* no table left, or never map a page twice */
		*e = leaf_desc(a, attr);
	}
	return true;
}

bool mmu_protect(struct mmu_tables *m, uint64_t pa, uint64_t size, enum mmu_attr attr)
{
	if (!range_ok(pa, size) || m->used == 0u)
		return false;
	for (uint64_t a = pa; a < pa + size; a += GRANULE_SIZE) {
		uint64_t *e = leaf(m, a, false);

		if (e == NULL || (*e & DESC_VALID) == 0u)
			return false;	/* only pages mapped before */
	}
	for (uint64_t a = pa; a < pa + size; a += GRANULE_SIZE) {
		/* break-before-make: invalid, TLBs clean, then the new entry */
		uint64_t *e = leaf(m, a, false);

		*e = 0;
		dsb_ish();
		tlbi_vae2is(a >> 12);
		dsb_ish();
		*e = leaf_desc(a, attr);
	}
	dsb_ish();
	isb();
	return true;
}

bool mmu_writable(uint64_t va)
{
	at_s1e2w(va);
	isb();
	return (read_par_el1() & 1u) == 0u;	/* PAR_EL1.F: the walk aborted */
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

bool mmu_slots_init(struct mmu_tables *m, uint64_t cpu_count)
{
	unsigned int l2, l3;

	if (cpu_count * MMU_SLOT_COUNT > PT_ENTRIES || m->used == 0u)
		return false;
	if (!next_table(m, 0, (unsigned int)((SLOT_VA_BASE >> 30) & 511u), &l2) ||
	    !next_table(m, l2, (unsigned int)((SLOT_VA_BASE >> 21) & 511u), &l3))
		return false;
	m->slot_table = l3;
	return true;
}

static unsigned int slot_index(unsigned int cpu, enum mmu_slot s)
{
	return cpu * MMU_SLOT_COUNT + (unsigned int)s;
}

uint64_t mmu_slot_map(const struct mmu_tables *m, unsigned int cpu, enum mmu_slot s, uint64_t pa)
{
	unsigned int i = slot_index(cpu, s);
	uint64_t d = leaf_desc(pa & DESC_ADDR_MASK, MMU_RW);

	*entry(m, m->slot_table, i) = s == MMU_SLOT_NS ? d | DESC_NS : d;
	dsb_ish();
	isb();
	return SLOT_VA_BASE + (uint64_t)i * GRANULE_SIZE;
}

void mmu_slot_unmap(const struct mmu_tables *m, unsigned int cpu, enum mmu_slot s)
{
	unsigned int i = slot_index(cpu, s);

	*entry(m, m->slot_table, i) = 0;
	dsb_ish();
	tlbi_vale2((SLOT_VA_BASE + (uint64_t)i * GRANULE_SIZE) >> 12);
	dsb_ish();
	isb();
}

bool mmu_set_ng(struct mmu_tables *m, uint64_t pa, uint64_t size)
{
	if (!range_ok(pa, size) || m->used == 0u)
		return false;
	for (uint64_t a = pa; a < pa + size; a += GRANULE_SIZE) {
		uint64_t *e = leaf(m, a, false);

		if (e == NULL || (*e & DESC_VALID) == 0u)
			return false;
		*e |= DESC_NG;
	}
	return true;
}

/* A copy of table src (a fresh empty table if src < 0) for a space of its own. */
static bool table_copy(struct mmu_tables *m, int src, unsigned int *i)
{
	if (!table_alloc(m, i))
		return false;
	for (unsigned int e = 0; src >= 0 && e < PT_ENTRIES; e++)
		*entry(m, *i, e) = *entry(m, (unsigned int)src, e);
	return true;
}

bool mmu_space_new(struct mmu_tables *m, unsigned int *root)
{
	return m->used != 0u && table_copy(m, 0, root);
}

/*
 * The next-level table under entry idx of table t of a space, made private
 * to the space if it is still the kernel's (kt: the kernel's table at the
 * same place, or -1 where the kernel has none).
 */
static bool private_next(struct mmu_tables *m, unsigned int t, int kt, unsigned int idx,
			 unsigned int *next, int *knext)
{
	uint64_t d = *entry(m, t, idx);
	uint64_t kd = kt >= 0 ? *entry(m, (unsigned int)kt, idx) : 0u;
	unsigned int k;
	bool kernel_has = walk(m, kd, &k);

	*knext = kernel_has ? (int)k : -1;
	if ((d & DESC_VALID) != 0u && d != kd)
		return walk(m, d, next);	/* already the space's own */
	if ((d & DESC_VALID) != 0u && !kernel_has)
		return false;			/* a block: never built here */
	if (!table_copy(m, *knext, next))
		return false;
	*entry(m, t, idx) = table_pa(*next) | DESC_VALID | DESC_TABLE;
	return true;
}

bool mmu_space_map(struct mmu_tables *m, unsigned int root, uint64_t pa, uint64_t size,
		   enum mmu_attr attr)
{
	if (!range_ok(pa, size) || root == 0u || root >= m->used)
		return false;
	for (uint64_t a = pa; a < pa + size; a += GRANULE_SIZE) {
		unsigned int i1 = (unsigned int)((a >> 30) & 511u), i2 = (unsigned int)((a >> 21) & 511u);
		unsigned int l2, l3;
		int k2, k3;

		if (!private_next(m, root, 0, i1, &l2, &k2) || !private_next(m, l2, k2, i2, &l3, &k3))
			return false;
		*entry(m, l3, (unsigned int)((a >> 12) & 511u)) = leaf_desc(a, attr);
	}
	return true;
}

uint64_t mmu_space_ttbr(unsigned int root, uint16_t asid)
{
	return table_pa(root) | ((uint64_t)asid << 48);
}
