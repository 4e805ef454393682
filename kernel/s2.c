/*
 * Stage-2 translation tables (RTTs): entry encoding (TF-RMM-compatible
 * software encoding, structures.md 10.3), walks and the primitives the
 * realm service uses through kernel/svc_api.h. RTT granules are reached
 * only through the realm's RD: the walk starts at the root the RD names and
 * follows TABLE entries, which only RMI_RTT_CREATE writes.
 */
#include <arch/barrier.h>
#include <arch/layout.h>
#include <arch/sysreg.h>
#include <kernel/gmem.h>
#include <kernel/ipc_kernel.h>
#include <kernel/s2.h>
#include <kernel/svc_api.h>

#define OA_MASK		0x0000fffffffff000ull	/* bits [47:12] */
#define ATTR_AF		(1ull << 10)
#define ATTR_SH_IS	(3ull << 8)
#define ATTR_S2AP_RW	(3ull << 6)
#define ATTR_MEM_WB	(6ull << 2)	/* FWB MemAttr 0b110: Normal write-back */
#define ATTR_XN		(2ull << 53)
#define HOST_ATTR_MASK	0xdcull		/* MemAttr[4:2] and S2AP[7:6] (structures.md 10.2) */
#define HIPAS_ASSIGNED	(1ull << 2)
#define RIPAS_SHIFT	5u

bool s2tte_counts_live(uint64_t e)
{
	if ((e & S2TTE_NS) != 0u)
		return false;	/* unprotected: ASSIGNED_NS / UNASSIGNED_NS */
	if ((e & S2TTE_TYPE_MASK) != 0u)
		return true;	/* TABLE or a valid protected mapping */
	return (e & S2TTE_HIPAS_ASSIGNED) != 0u;	/* ASSIGNED_EMPTY / DESTROYED */
}

uint32_t s2_live_entries(const uint64_t tbl[S2_ENTRIES])
{
	uint32_t n = 0;

	for (unsigned int i = 0; i < S2_ENTRIES; i++)
		n += s2tte_counts_live(tbl[i]) ? 1u : 0u;
	return n;
}

uint64_t s2_map_size(int32_t level)
{
	return 1ull << (12u + 9u * (unsigned int)(3 - level));
}

/* OA bits a block or page at `level` may carry. */
static uint64_t oa_mask(int32_t level)
{
	return OA_MASK & ~(s2_map_size(level) - 1u);
}

static bool is_valid(uint64_t e)
{
	return (e & S2TTE_TYPE_MASK) != 0u;
}

void s2tte_decode(uint64_t e, int32_t level, struct kapi_rtte *out)
{
	out->level = level;
	out->raw = e;
	out->ripas = RIPAS_EMPTY;
	out->ns = (e & S2TTE_NS) != 0u ? 1u : 0u;
	out->addr = 0;
	if (level < 3 && (e & S2TTE_TYPE_MASK) == S2TTE_TYPE_TABLE) {
		out->state = RTTE_TABLE;
		out->ns = 0;
		out->addr = e & OA_MASK;
	} else if (out->ns != 0u) {
		out->state = is_valid(e) ? RTTE_ASSIGNED : RTTE_UNASSIGNED;
		if (is_valid(e))
			out->addr = e & (oa_mask(level) | HOST_ATTR_MASK);
	} else if (is_valid(e)) {
		out->state = RTTE_ASSIGNED;
		out->ripas = RIPAS_RAM;
		out->addr = e & oa_mask(level);
	} else {
		out->state = (e & HIPAS_ASSIGNED) != 0u ? RTTE_ASSIGNED : RTTE_UNASSIGNED;
		out->ripas = (uint32_t)((e >> RIPAS_SHIFT) & 3u);
		if (out->state == RTTE_ASSIGNED)
			out->addr = e & oa_mask(level);
	}
}

uint64_t s2tte_encode(const struct kapi_rtte *e)
{
	uint64_t type = e->level == 3 ? 3u : 1u;

	if (e->state == RTTE_TABLE)
		return (e->addr & OA_MASK) | S2TTE_TYPE_TABLE;
	if (e->ns != 0u) {
		if (e->state == RTTE_UNASSIGNED)
			return S2TTE_UNASSIGNED_NS;
		return (e->addr & (oa_mask(e->level) | HOST_ATTR_MASK)) | ATTR_AF | ATTR_SH_IS |
		       ATTR_XN | S2TTE_NS | type;
	}
	if (e->state == RTTE_UNASSIGNED)
		return (uint64_t)e->ripas << RIPAS_SHIFT;
	if (e->ripas == RIPAS_RAM)
		return (e->addr & oa_mask(e->level)) | ATTR_AF | ATTR_SH_IS | ATTR_S2AP_RW |
		       ATTR_MEM_WB | type;
	return (e->addr & oa_mask(e->level)) | HIPAS_ASSIGNED | ((uint64_t)e->ripas << RIPAS_SHIFT);
}

/* The stage-2 configuration of the realm whose RD is leased as rd_lease. */
static bool s2_cfg(unsigned int rd_lease, struct rd_s2 *c)
{
	const struct ipc_lease *l = ipc_current_lease(rd_lease);

	if (l == NULL || l->rights != IPC_RIGHTS_RW || l->offset != 0u || l->len != GRANULE_SIZE)
		return false;
	gmem_read(l->pa, 0, c, sizeof(*c));
	return c->start_level >= -1 && c->start_level <= 3 && c->s2sz >= 32u && c->s2sz <= 52u &&
	       c->num_roots >= 1u && c->num_roots <= 16u;
}

struct s2_walk {
	int32_t level;
	uint64_t table;		/* PA of the RTT holding the entry */
	unsigned int idx;
	uint64_t entry;
};

/* Walk ipa towards target_level; false if ipa is outside the realm's IPA space. */
static bool s2_walk(const struct rd_s2 *c, uint64_t ipa, int32_t target, struct s2_walk *w)
{
	uint64_t top_idx;
	int32_t level = c->start_level;

	if (c->s2sz < 64u && (ipa >> c->s2sz) != 0u)
		return false;
	top_idx = ipa / s2_map_size(level);
	if (top_idx >= 512ull * c->num_roots)
		return false;
	w->table = c->rtt_base + (top_idx / 512u) * GRANULE_SIZE;
	w->idx = (unsigned int)(top_idx % 512u);
	for (;;) {
		gmem_read(w->table, (size_t)w->idx * 8u, &w->entry, sizeof(w->entry));
		w->level = level;
		if (level >= target || level >= 3 ||
		    (w->entry & S2TTE_TYPE_MASK) != S2TTE_TYPE_TABLE)
			return true;
		w->table = w->entry & OA_MASK;
		level++;
		w->idx = (unsigned int)((ipa / s2_map_size(level)) % 512u);
	}
}

/* Invalidate stage-2 TLB entries of the realm's VMID for [ipa, ipa + size). */
static void s2_tlbi(const struct rd_s2 *c, uint64_t ipa, uint64_t size)
{
	uint64_t saved = read_vttbr_el2();

	crit_write_vttbr_el2((uint64_t)c->vmid << 48);
	isb();
	dsb_ish();
	if (size <= 16ull * GRANULE_SIZE) {
		for (uint64_t a = ipa; a < ipa + size; a += GRANULE_SIZE)
			tlbi_ipas2e1is(a >> 12);
		dsb_ish();
		tlbi_vmalle1is();
	} else {
		tlbi_vmalls12e1is();	/* large range: drop the whole VMID */
	}
	dsb_ish();
	isb();
	crit_write_vttbr_el2(saved);
	isb();
}

bool s2_translate(const struct rd_s2 *c, uint64_t ipa, struct kapi_rtte *out)
{
	struct s2_walk w;

	if (!s2_walk(c, ipa, 3, &w))
		return false;
	s2tte_decode(w.entry, w.level, out);
	return true;
}

enum kapi_status kapi_s2_read(unsigned int rd_lease, uint64_t ipa, int32_t level,
			      struct kapi_rtte *out)
{
	struct rd_s2 c;
	struct s2_walk w;

	if (!s2_cfg(rd_lease, &c) || !s2_walk(&c, ipa, level, &w))
		return KAPI_E_LEASE;
	s2tte_decode(w.entry, w.level, out);
	return KAPI_OK;
}

bool s2_set(const struct rd_s2 *c, uint64_t ipa, int32_t level, uint64_t expect_raw,
	    const struct kapi_rtte *e)
{
	struct s2_walk w;
	struct kapi_rtte n = *e;
	uint64_t v;

	n.level = level;
	if (!s2_walk(c, ipa, level, &w) || w.level != level || w.entry != expect_raw)
		return false;
	v = s2tte_encode(&n);
	if (is_valid(w.entry) && !(level < 3 && (w.entry & S2TTE_TYPE_MASK) == S2TTE_TYPE_TABLE &&
				   (v & S2TTE_TYPE_MASK) == S2TTE_TYPE_TABLE)) {
		/* break-before-make: invalidate before the new entry can be walked */
		uint64_t zero = 0;

		gmem_write(w.table, (size_t)w.idx * 8u, &zero, sizeof(zero));
		s2_tlbi(c, ipa & ~(s2_map_size(level) - 1u), s2_map_size(level));
	}
	gmem_write(w.table, (size_t)w.idx * 8u, &v, sizeof(v));
	dsb_ish();
	return true;
}

enum kapi_status kapi_s2_set(unsigned int rd_lease, uint64_t ipa, int32_t level,
			     uint64_t expect_raw, const struct kapi_rtte *e)
{
	struct rd_s2 c;

	if (!s2_cfg(rd_lease, &c) || !s2_set(&c, ipa, level, expect_raw, e))
		return KAPI_E_LEASE;
	return KAPI_OK;
}

enum kapi_status kapi_s2_unfold(unsigned int rtt_lease, int32_t level,
				const struct kapi_rtte *parent)
{
	const struct ipc_lease *l = ipc_current_lease(rtt_lease);
	uint64_t tbl[S2_ENTRIES];
	struct kapi_rtte child = *parent;

	if (l == NULL || l->rights != IPC_RIGHTS_RW || l->len != GRANULE_SIZE || level < 0 ||
	    level > 3 || parent->state == RTTE_TABLE)
		return KAPI_E_LEASE;
	child.level = level;
	for (unsigned int i = 0; i < S2_ENTRIES; i++) {
		tbl[i] = s2tte_encode(&child);
		if (child.state == RTTE_ASSIGNED)
			child.addr += s2_map_size(level);
	}
	gmem_write(l->pa, 0, tbl, sizeof(tbl));
	return KAPI_OK;
}

/* Can the 512 entries of an RTT at `level` become one parent entry? */
static void fold_check(const uint64_t *tbl, int32_t level, struct kapi_rtt_scan *s)
{
	struct kapi_rtte first, e;

	s2tte_decode(tbl[0], level, &first);
	s->foldable = 0;
	s->fold_level_err = 0;
	if (first.state == RTTE_TABLE)
		return;
	for (unsigned int i = 1; i < S2_ENTRIES; i++) {
		s2tte_decode(tbl[i], level, &e);
		if (e.state != first.state || e.ns != first.ns || e.ripas != first.ripas)
			return;
		if (e.state == RTTE_ASSIGNED &&
		    (e.addr & oa_mask(level)) != (first.addr & oa_mask(level)) + i * s2_map_size(level))
			return;
		if (e.state == RTTE_ASSIGNED && (e.addr & ~oa_mask(level)) != (first.addr & ~oa_mask(level)))
			return;	/* NS attributes differ */
	}
	if (first.state == RTTE_ASSIGNED && (first.addr & (s2_map_size(level - 1) - 1u) & OA_MASK) != 0u)
		return;	/* block would be misaligned */
	if (first.state == RTTE_ASSIGNED && level - 1 < 1) {
		s->fold_level_err = 1;
		return;
	}
	s->foldable = 1;
	s->fold = first;
	s->fold.level = level - 1;
	s->fold.raw = 0;
}

enum kapi_status kapi_s2_scan(unsigned int rd_lease, uint64_t ipa, int32_t level,
			      struct kapi_rtt_scan *out)
{
	struct rd_s2 c;
	struct s2_walk w;
	uint64_t tbl[S2_ENTRIES];

	if (!s2_cfg(rd_lease, &c) || level < 0 || level > 3 || !s2_walk(&c, ipa, level - 1, &w) ||
	    w.level != level - 1 || (w.entry & S2TTE_TYPE_MASK) != S2TTE_TYPE_TABLE)
		return KAPI_E_LEASE;
	out->rtt = w.entry & OA_MASK;
	gmem_read(out->rtt, 0, tbl, sizeof(tbl));
	out->live = s2_live_entries(tbl);
	fold_check(tbl, level, out);
	return KAPI_OK;
}

enum kapi_status kapi_s2_next_live(unsigned int rd_lease, uint64_t ipa, uint64_t *top)
{
	struct rd_s2 c;
	struct s2_walk w;
	uint64_t size, a;

	if (!s2_cfg(rd_lease, &c) || !s2_walk(&c, ipa, 3, &w))
		return KAPI_E_LEASE;
	if (s2tte_counts_live(w.entry) || (w.entry & S2TTE_TYPE_MASK) != 0u) {
		*top = ipa;
		return KAPI_OK;
	}
	size = s2_map_size(w.level);
	a = ipa & ~(size - 1u);
	for (unsigned int i = w.idx; i < S2_ENTRIES; i++, a += size) {
		uint64_t e;

		gmem_read(w.table, (size_t)i * 8u, &e, sizeof(e));
		if (s2tte_counts_live(e) || (e & S2TTE_TYPE_MASK) != 0u) {
			*top = a;
			return KAPI_OK;
		}
	}
	*top = a;
	return KAPI_OK;
}
