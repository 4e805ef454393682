/*
 * Fake kernel for service unit tests: see fake_kernel.h. The lease and
 * transport rules mirror kernel/kapi.c and kernel/ipc.c (build_leases(),
 * grant()); they are re-implemented here rather than linked so that a
 * service is tested against the documented interface (svc_api.h, ipc.h).
 */
#include "fake_kernel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fk_ctx {
	enum ipc_service svc;
	unsigned int lease_count;
	struct fk_lease leases[IPC_MAX_LEASES];
};

struct fk_svc {
	const struct ipc_op_meta *ops;
	size_t ops_count;
	fk_dispatch_fn dispatch;
};

struct fk_inj {
	bool armed;
	unsigned int skip;
	int times;
};

struct fk_script_ent {
	enum ipc_service svc;
	uint16_t op;
	unsigned int nth;
	unsigned int seen;
	struct fk_answer ans;
};

static struct {
	uint8_t mem[FK_MAX_GRANULES][FK_GRANULE];
	uint8_t pas[FK_MAX_GRANULES];
	struct fk_bank bank[FK_MAX_BANKS];
	uint64_t bank_first[FK_MAX_BANKS];
	unsigned int bank_count;
	uint64_t feat_reg0;
	unsigned int vmid_bits;

	unsigned int depth;			/* 0: kernel */
	struct fk_ctx ctx[FK_MAX_DEPTH];

	uint64_t rec_marked[64];	/* the REC registry (kapi_rec_mark), 0 = free */
	unsigned int calls[FK_FN_COUNT];
	unsigned int fails[FK_FN_COUNT];
	struct fk_inj inj[FK_FN_COUNT];

	struct fk_svc svc[IPC_SVC_COUNT];
	struct fk_script_ent script[FK_MAX_SCRIPT];
	unsigned int script_count;
	struct fk_call_rec rec[FK_MAX_CALLS];
	unsigned int ncalls;
} fk;

static void fk_fatal(const char *what, uint64_t v)
{
	fprintf(stderr, "fake_kernel: %s (0x%llx)\n", what, (unsigned long long)v);
	abort();
}

/* ---- set-up ---- */

void fk_set_banks(const struct fk_bank *banks, unsigned int count)
{
	uint64_t first = 0;

	if (count == 0u || count > FK_MAX_BANKS)
		fk_fatal("bad bank count", count);
	for (unsigned int i = 0; i < count; i++) {
		if ((banks[i].base & (FK_GRANULE - 1u)) != 0u || banks[i].granules == 0u)
			fk_fatal("bad bank", banks[i].base);
		fk.bank[i] = banks[i];
		fk.bank_first[i] = first;
		first += banks[i].granules;
	}
	if (first > FK_MAX_GRANULES)
		fk_fatal("too many fake granules", first);
	fk.bank_count = count;
	memset(fk.mem, 0, sizeof(fk.mem));
	memset(fk.pas, FK_PAS_NS, sizeof(fk.pas));
}

void fk_reset(void)
{
	const struct fk_bank def = { FK_DRAM_BASE, FK_DEFAULT_GRANULES };

	memset(&fk, 0, sizeof(fk));
	fk_set_banks(&def, 1);
	fk.feat_reg0 = FK_DEFAULT_FEAT_REG0;
	fk.vmid_bits = FK_DEFAULT_VMID_BITS;
}

void fk_set_feat_reg0(uint64_t v)
{
	fk.feat_reg0 = v;
}

void fk_set_vmid_bits(unsigned int bits)
{
	fk.vmid_bits = bits;
}

/* ---- memory ---- */

/* Index of the granule holding pa, or -1. */
static long gindex(uint64_t pa)
{
	for (unsigned int i = 0; i < fk.bank_count; i++) {
		if (pa >= fk.bank[i].base && (pa - fk.bank[i].base) / FK_GRANULE < fk.bank[i].granules)
			return (long)(fk.bank_first[i] + (pa - fk.bank[i].base) / FK_GRANULE);
	}
	return -1;
}

uint8_t *fk_mem(uint64_t pa)
{
	long g = gindex(pa);

	return g < 0 ? NULL : &fk.mem[g][pa & (FK_GRANULE - 1u)];
}

/* Host pointer to [pa, pa + len), which must stay inside one fake granule. */
static uint8_t *span(uint64_t pa, size_t len)
{
	uint8_t *p = fk_mem(pa);

	if (p == NULL || (pa & (FK_GRANULE - 1u)) + len > FK_GRANULE)
		fk_fatal("access outside the fake DRAM or across a granule", pa);
	return p;
}

bool fk_is_zero(uint64_t pa, size_t len)
{
	const uint8_t *p = span(pa, len);

	for (size_t i = 0; i < len; i++) {
		if (p[i] != 0u)
			return false;
	}
	return true;
}

void fk_fill(uint64_t pa, uint8_t byte, size_t len)
{
	memset(span(pa, len), byte, len);
}

uint64_t fk_read64(uint64_t pa)
{
	uint64_t v;

	memcpy(&v, span(pa, 8), 8);
	return v;
}

void fk_write64(uint64_t pa, uint64_t v)
{
	memcpy(span(pa, 8), &v, 8);
}

enum fk_pas fk_pas(uint64_t pa)
{
	long g = gindex(pa);

	if (g < 0)
		fk_fatal("PAS of a PA outside the fake DRAM", pa);
	return (enum fk_pas)fk.pas[g];
}

void fk_set_pas(uint64_t pa, enum fk_pas pas)
{
	long g = gindex(pa);

	if (g < 0)
		fk_fatal("PAS of a PA outside the fake DRAM", pa);
	fk.pas[g] = (uint8_t)pas;
}

/* ---- contexts ---- */

static struct fk_ctx *cur(void)
{
	return &fk.ctx[fk.depth];
}

static enum ipc_service cur_svc(void)
{
	return fk.depth == 0u ? 0 : cur()->svc;
}

static void push(enum ipc_service svc, const struct fk_lease *leases, unsigned int count)
{
	struct fk_ctx *x;

	if (fk.depth + 1u >= FK_MAX_DEPTH)
		fk_fatal("message contexts nested too deep", fk.depth);
	x = &fk.ctx[++fk.depth];
	memset(x, 0, sizeof(*x));
	x->svc = svc;
	x->lease_count = count;
	if (count != 0u)
		memcpy(x->leases, leases, count * sizeof(*leases));
}

void fk_begin(enum ipc_service svc)
{
	push(svc, NULL, 0);
}

void fk_end(void)
{
	if (fk.depth == 0u)
		fk_fatal("fk_end() without fk_begin()", 0);
	fk.depth--;
}

unsigned int fk_depth(void)
{
	return fk.depth;
}

unsigned int fk_lease_add(uint64_t pa, uint32_t offset, uint32_t len, uint8_t rights, bool active)
{
	struct fk_ctx *x = cur();

	if (fk.depth == 0u || x->lease_count >= IPC_MAX_LEASES)
		fk_fatal("no message context or lease table full", x->lease_count);
	if ((pa & (FK_GRANULE - 1u)) != 0u || (uint64_t)offset + len > FK_GRANULE)
		fk_fatal("a lease is a range of one granule", pa);
	x->leases[x->lease_count] = (struct fk_lease){ pa, offset, len, rights, active };
	return x->lease_count++;
}

struct fk_lease *fk_lease(unsigned int idx)
{
	return fk.depth == 0u || idx >= cur()->lease_count ? NULL : &cur()->leases[idx];
}

unsigned int fk_lease_count(void)
{
	return fk.depth == 0u ? 0u : cur()->lease_count;
}

/* ---- counters, injection ---- */

unsigned int fk_calls(enum fk_fn fn)
{
	return fk.calls[fn];
}

unsigned int fk_fails(enum fk_fn fn)
{
	return fk.fails[fn];
}

void fk_clear_counters(void)
{
	memset(fk.calls, 0, sizeof(fk.calls));
	memset(fk.fails, 0, sizeof(fk.fails));
}

void fk_inject(enum fk_fn fn, unsigned int skip, int times)
{
	fk.inj[fn] = (struct fk_inj){ .armed = times != 0, .skip = skip, .times = times };
}

/* Count a call of fn; true if an injected failure is due. */
static bool enter(enum fk_fn fn)
{
	struct fk_inj *j = &fk.inj[fn];

	fk.calls[fn]++;
	if (!j->armed)
		return false;
	if (j->skip > 0u) {
		j->skip--;
		return false;
	}
	if (j->times > 0 && --j->times == 0)
		j->armed = false;
	return true;
}

static enum kapi_status failed(enum fk_fn fn, enum kapi_status st)
{
	fk.fails[fn]++;
	return st;
}

/* ---- kapi_* (svc_api.h) ---- */

/* The current message's lease idx, if active with the given rights and range (kapi.c). */
static const struct fk_lease *lease_ok(unsigned int idx, uint8_t rights, size_t off, size_t len)
{
	const struct fk_lease *l = fk_lease(idx);

	if (l == NULL || !l->active || (l->rights & rights) != rights || rights == 0u)
		return NULL;
	if (off > l->len || len > l->len - off)
		return NULL;
	return l;
}

enum kapi_status kapi_lease_read(unsigned int lease, size_t off, void *dst, size_t len)
{
	const struct fk_lease *l;

	if (enter(FK_LEASE_READ))
		return failed(FK_LEASE_READ, KAPI_E_LEASE);
	l = lease_ok(lease, IPC_RIGHT_READ, off, len);
	if (l == NULL)
		return failed(FK_LEASE_READ, KAPI_E_LEASE);
	if (len != 0u)
		memcpy(dst, span(l->pa + l->offset + off, len), len);
	return KAPI_OK;
}

enum kapi_status kapi_lease_write(unsigned int lease, size_t off, const void *src, size_t len)
{
	const struct fk_lease *l;

	if (enter(FK_LEASE_WRITE))
		return failed(FK_LEASE_WRITE, KAPI_E_LEASE);
	l = lease_ok(lease, IPC_RIGHT_WRITE, off, len);
	if (l == NULL)
		return failed(FK_LEASE_WRITE, KAPI_E_LEASE);
	if (len != 0u)
		memcpy(span(l->pa + l->offset + off, len), src, len);
	return KAPI_OK;
}

unsigned int kapi_lease_count(void)
{
	(void)enter(FK_LEASE_COUNT);
	return fk_lease_count();
}

enum kapi_status kapi_lease_zero(unsigned int lease)
{
	const struct fk_lease *l;

	if (enter(FK_LEASE_ZERO))
		return failed(FK_LEASE_ZERO, KAPI_E_LEASE);
	l = lease_ok(lease, IPC_RIGHT_WRITE, 0, 0);
	if (l == NULL)
		return failed(FK_LEASE_ZERO, KAPI_E_LEASE);
	if (l->len != 0u)
		memset(span(l->pa + l->offset, l->len), 0, l->len);
	return KAPI_OK;
}

/* EL3 GTSI through a lease (kapi.c gtsi(); EL3 itself per el3.md). */
static enum kapi_status gtsi(enum fk_fn fn, unsigned int lease, bool delegate)
{
	const struct fk_lease *l;
	long g;

	if (enter(fn))
		return failed(fn, KAPI_E_EL3);
	l = lease_ok(lease, IPC_RIGHTS_RW, 0, FK_GRANULE);
	if (cur_svc() != IPC_SVC_GRANULE)
		return failed(fn, KAPI_E_DENIED);
	if (l == NULL || l->offset != 0u || l->len != FK_GRANULE)
		return failed(fn, KAPI_E_LEASE);
	g = gindex(l->pa);
	if (g < 0 || fk.pas[g] != (delegate ? FK_PAS_NS : FK_PAS_REALM))
		return failed(fn, KAPI_E_EL3);
	fk.pas[g] = delegate ? FK_PAS_REALM : FK_PAS_NS;
	return KAPI_OK;
}

enum kapi_status kapi_gtsi_delegate(unsigned int lease)
{
	return gtsi(FK_GTSI_DELEGATE, lease, true);
}

enum kapi_status kapi_gtsi_undelegate(unsigned int lease)
{
	return gtsi(FK_GTSI_UNDELEGATE, lease, false);
}

enum kapi_status kapi_rtt_init(unsigned int lease, unsigned int first, unsigned int count,
			       enum kapi_rtt_init kind)
{
	uint64_t e = kind == KAPI_RTT_INIT_UNASSIGNED_NS ? FK_RTTE_UNASSIGNED_NS
							 : FK_RTTE_UNASSIGNED_EMPTY;
	const struct fk_lease *l;
	uint8_t *t;

	if (enter(FK_RTT_INIT))
		return failed(FK_RTT_INIT, KAPI_E_LEASE);
	l = lease_ok(lease, IPC_RIGHT_WRITE, 0, FK_GRANULE);
	if (l == NULL || l->len != FK_GRANULE || first > 512u || count > 512u - first)
		return failed(FK_RTT_INIT, KAPI_E_LEASE);
	t = span(l->pa, FK_GRANULE);
	for (unsigned int i = first; i < first + count; i++)
		memcpy(&t[i * 8u], &e, 8);
	return KAPI_OK;
}

/* RTT refcount (rmi.md 1, states.md 4): TABLE or protected ASSIGNED entries. */
static bool rtte_live(uint64_t e)
{
	if ((e & (1ull << 55)) != 0u)
		return false;			/* unprotected: *_NS */
	if ((e & 3u) != 0u)
		return true;			/* TABLE, page or block mapping */
	return ((e >> 2) & 7u) == 1u;		/* HIPAS ASSIGNED */
}

enum kapi_status kapi_rtt_live_count(unsigned int lease, uint64_t *count)
{
	const struct fk_lease *l;
	const uint8_t *t;
	uint64_t n = 0;

	if (enter(FK_RTT_LIVE_COUNT))
		return failed(FK_RTT_LIVE_COUNT, KAPI_E_LEASE);
	l = lease_ok(lease, IPC_RIGHT_READ, 0, FK_GRANULE);
	if (l == NULL || l->len != FK_GRANULE)
		return failed(FK_RTT_LIVE_COUNT, KAPI_E_LEASE);
	t = span(l->pa, FK_GRANULE);
	for (unsigned int i = 0; i < 512u; i++) {
		uint64_t e;

		memcpy(&e, &t[i * 8u], 8);
		n += rtte_live(e) ? 1u : 0u;
	}
	*count = n;
	return KAPI_OK;
}

/* ---- stage-2 primitives (structures.md 10.3 encoding, rmi.md 1 walk) ---- */

#define OA_MASK		0x0000fffffffff000ull	/* OA bits [47:12] */
#define HOST_ATTRS	0xdcull			/* MemAttr[4:2], S2AP[7:6] (structures.md 10.2) */

static uint64_t map_size(int32_t level)
{
	return 1ull << (12u + 9u * (unsigned int)(3 - level));
}

static uint64_t oa_mask(int32_t level)
{
	return OA_MASK & ~(map_size(level) - 1u);
}

static void rtte_decode(uint64_t e, int32_t level, struct kapi_rtte *out)
{
	memset(out, 0, sizeof(*out));
	out->level = level;
	out->raw = e;
	if (level < 3 && (e & 3u) == FK_RTTE_TABLE) {
		out->state = RTTE_TABLE;
		out->addr = e & OA_MASK;
	} else if ((e & FK_RTTE_UNASSIGNED_NS) != 0u) {
		out->ns = 1;
		out->state = (e & 3u) != 0u ? RTTE_ASSIGNED : RTTE_UNASSIGNED;
		if (out->state == RTTE_ASSIGNED)
			out->addr = e & (oa_mask(level) | HOST_ATTRS);
	} else if ((e & 3u) != 0u) {
		out->state = RTTE_ASSIGNED;
		out->ripas = RIPAS_RAM;
		out->addr = e & oa_mask(level);
	} else {
		out->state = (e & FK_RTTE_HIPAS_ASSIGNED) != 0u ? RTTE_ASSIGNED : RTTE_UNASSIGNED;
		out->ripas = (uint32_t)((e >> 5) & 3u);
		if (out->state == RTTE_ASSIGNED)
			out->addr = e & oa_mask(level);
	}
}

static uint64_t rtte_encode(const struct kapi_rtte *e)
{
	uint64_t type = e->level == 3 ? 3u : 1u;

	if (e->state == RTTE_TABLE)
		return (e->addr & OA_MASK) | FK_RTTE_TABLE;
	if (e->ns != 0u) {
		if (e->state == RTTE_UNASSIGNED)
			return FK_RTTE_UNASSIGNED_NS;
		/* AF, SH = IS, XN = 0b10, NS, type */
		return (e->addr & (oa_mask(e->level) | HOST_ATTRS)) | (1ull << 10) | (3ull << 8) |
		       (2ull << 53) | FK_RTTE_UNASSIGNED_NS | type;
	}
	if (e->state == RTTE_UNASSIGNED)
		return (uint64_t)e->ripas << 5;
	if (e->ripas == RIPAS_RAM)	/* AF, SH = IS, S2AP = RW, MemAttr = WB, type */
		return (e->addr & oa_mask(e->level)) | (1ull << 10) | (3ull << 8) | (3ull << 6) |
		       (6ull << 2) | type;
	return (e->addr & oa_mask(e->level)) | FK_RTTE_HIPAS_ASSIGNED | ((uint64_t)e->ripas << 5);
}

/* The realm's stage-2 configuration from its RD lease (read-write, whole granule). */
static bool s2_cfg(unsigned int rd_lease, struct rd_s2 *c)
{
	const struct fk_lease *l = fk_lease(rd_lease);

	if (l == NULL || !l->active || l->rights != IPC_RIGHTS_RW || l->offset != 0u ||
	    l->len != FK_GRANULE)
		return false;
	memcpy(c, span(l->pa, sizeof(*c)), sizeof(*c));
	return c->start_level >= -1 && c->start_level <= 3 && c->s2sz >= 32u && c->s2sz <= 52u &&
	       c->num_roots >= 1u && c->num_roots <= 16u;
}

struct s2_walk {
	int32_t level;
	uint64_t table;
	unsigned int idx;
	uint64_t entry;
};

static uint64_t rtt_get(uint64_t table, unsigned int idx)
{
	return fk_read64(table + idx * 8u);
}

/* Descend from the root towards `target` while entries are TABLE. */
static bool s2_walk(const struct rd_s2 *c, uint64_t ipa, int32_t target, struct s2_walk *w)
{
	int32_t level = c->start_level;
	uint64_t top;

	if ((ipa >> c->s2sz) != 0u)
		return false;
	top = ipa / map_size(level);
	if (top >= 512u * c->num_roots)
		return false;
	w->table = c->rtt_base + (top / 512u) * FK_GRANULE;
	w->idx = (unsigned int)(top % 512u);
	for (;;) {
		w->entry = rtt_get(w->table, w->idx);
		w->level = level;
		if (level >= target || level >= 3 || (w->entry & 3u) != FK_RTTE_TABLE)
			return true;
		w->table = w->entry & OA_MASK;
		level++;
		w->idx = (unsigned int)((ipa / map_size(level)) % 512u);
	}
}

enum kapi_status kapi_s2_read(unsigned int rd_lease, uint64_t ipa, int32_t level,
			      struct kapi_rtte *out)
{
	struct rd_s2 c;
	struct s2_walk w;

	if (enter(FK_S2_READ) || !s2_cfg(rd_lease, &c) || !s2_walk(&c, ipa, level, &w))
		return failed(FK_S2_READ, KAPI_E_LEASE);
	rtte_decode(w.entry, w.level, out);
	return KAPI_OK;
}

enum kapi_status kapi_s2_set(unsigned int rd_lease, uint64_t ipa, int32_t level,
			     uint64_t expect_raw, const struct kapi_rtte *e)
{
	struct kapi_rtte n = *e;
	struct rd_s2 c;
	struct s2_walk w;

	if (enter(FK_S2_SET) || !s2_cfg(rd_lease, &c) || !s2_walk(&c, ipa, level, &w) ||
	    w.level != level || w.entry != expect_raw)
		return failed(FK_S2_SET, KAPI_E_LEASE);
	n.level = level;
	fk_write64(w.table + w.idx * 8u, rtte_encode(&n));
	return KAPI_OK;
}

enum kapi_status kapi_s2_unfold(unsigned int rtt_lease, int32_t level,
				const struct kapi_rtte *parent)
{
	const struct fk_lease *l = fk_lease(rtt_lease);
	struct kapi_rtte child = *parent;

	if (enter(FK_S2_UNFOLD) || l == NULL || !l->active || l->rights != IPC_RIGHTS_RW ||
	    l->offset != 0u || l->len != FK_GRANULE || level < 0 || level > 3 ||
	    parent->state == RTTE_TABLE)
		return failed(FK_S2_UNFOLD, KAPI_E_LEASE);
	child.level = level;
	for (unsigned int i = 0; i < 512u; i++) {
		fk_write64(l->pa + i * 8u, rtte_encode(&child));
		if (child.state == RTTE_ASSIGNED)
			child.addr += map_size(level);
	}
	return KAPI_OK;
}

/* Can the 512 entries of the RTT at `level` become one entry at level - 1? */
static void fold_check(uint64_t rtt, int32_t level, struct kapi_rtt_scan *s)
{
	struct kapi_rtte first, e;

	rtte_decode(rtt_get(rtt, 0), level, &first);
	s->foldable = 0;
	s->fold_level_err = 0;
	if (first.state == RTTE_TABLE)
		return;
	for (unsigned int i = 1; i < 512u; i++) {
		rtte_decode(rtt_get(rtt, i), level, &e);
		if (e.state != first.state || e.ns != first.ns || e.ripas != first.ripas)
			return;
		if (e.state == RTTE_ASSIGNED &&
		    ((e.addr & oa_mask(level)) != (first.addr & oa_mask(level)) + i * map_size(level) ||
		     (e.addr & ~oa_mask(level)) != (first.addr & ~oa_mask(level))))
			return;
	}
	if (first.state == RTTE_ASSIGNED && (first.addr & (map_size(level - 1) - 1u) & OA_MASK) != 0u)
		return;
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

	if (enter(FK_S2_SCAN) || !s2_cfg(rd_lease, &c) || level < 0 || level > 3 ||
	    !s2_walk(&c, ipa, level - 1, &w) || w.level != level - 1 ||
	    (w.entry & 3u) != FK_RTTE_TABLE)
		return failed(FK_S2_SCAN, KAPI_E_LEASE);
	memset(out, 0, sizeof(*out));
	out->rtt = w.entry & OA_MASK;
	for (unsigned int i = 0; i < 512u; i++)
		out->live += rtte_live(rtt_get(out->rtt, i)) ? 1u : 0u;
	fold_check(out->rtt, level, out);
	return KAPI_OK;
}

/* SkipNonLive (rmi.md 1); valid mappings (ASSIGNED_NS too) count as live here. */
enum kapi_status kapi_s2_next_live(unsigned int rd_lease, uint64_t ipa, uint64_t *top)
{
	struct rd_s2 c;
	struct s2_walk w;
	uint64_t size, a;

	if (enter(FK_S2_NEXT_LIVE) || !s2_cfg(rd_lease, &c) || !s2_walk(&c, ipa, 3, &w))
		return failed(FK_S2_NEXT_LIVE, KAPI_E_LEASE);
	size = map_size(w.level);
	a = ipa & ~(size - 1u);
	for (unsigned int i = w.idx; i < 512u; i++, a += size) {
		uint64_t e = rtt_get(w.table, i);

		if (rtte_live(e) || (e & 3u) != 0u) {
			*top = i == w.idx ? ipa : a;
			return KAPI_OK;
		}
	}
	*top = a;
	return KAPI_OK;
}

enum kapi_status kapi_copy_from_ns(unsigned int lease, uint64_t src)
{
	const struct fk_lease *l;
	long g;

	if (enter(FK_COPY_FROM_NS))
		return failed(FK_COPY_FROM_NS, KAPI_E_LEASE);
	l = lease_ok(lease, IPC_RIGHT_WRITE, 0, FK_GRANULE);
	if (l == NULL || l->offset != 0u || l->len != FK_GRANULE)
		return failed(FK_COPY_FROM_NS, KAPI_E_LEASE);
	g = gindex(src);
	if ((src & (FK_GRANULE - 1u)) != 0u || g < 0 || fk.pas[g] != FK_PAS_NS)
		return failed(FK_COPY_FROM_NS, KAPI_E_DENIED);
	memcpy(span(l->pa, FK_GRANULE), span(src, FK_GRANULE), FK_GRANULE);
	return KAPI_OK;
}

enum kapi_status kapi_rec_mark(unsigned int lease, bool is_rec)
{
	const struct fk_lease *l;
	size_t free_i = sizeof(fk.rec_marked) / sizeof(fk.rec_marked[0]);

	if (enter(FK_REC_MARK))
		return failed(FK_REC_MARK, KAPI_E_DENIED);
	l = lease_ok(lease, IPC_RIGHTS_RW, 0, FK_GRANULE);
	if (l == NULL || l->offset != 0u || l->len != FK_GRANULE)
		return failed(FK_REC_MARK, KAPI_E_LEASE);
	for (size_t i = 0; i < sizeof(fk.rec_marked) / sizeof(fk.rec_marked[0]); i++) {
		if (fk.rec_marked[i] == l->pa) {
			if (!is_rec)
				fk.rec_marked[i] = 0;
			return KAPI_OK;
		}
		if (fk.rec_marked[i] == 0u && i < free_i)
			free_i = i;
	}
	if (is_rec && free_i < sizeof(fk.rec_marked) / sizeof(fk.rec_marked[0]))
		fk.rec_marked[free_i] = l->pa;
	return KAPI_OK;
}

bool fk_rec_marked(uint64_t pa)
{
	for (size_t i = 0; i < sizeof(fk.rec_marked) / sizeof(fk.rec_marked[0]); i++)
		if (fk.rec_marked[i] == pa)
			return true;
	return false;
}

/* REC hold: only one at a time in the fake (no CPU runs RECs here). */
static uint64_t held_rec;

enum kapi_status kapi_rec_hold(unsigned int rec_lease)
{
	const struct fk_lease *l;

	if (enter(FK_REC_HOLD))
		return failed(FK_REC_HOLD, KAPI_E_DENIED);
	l = lease_ok(rec_lease, IPC_RIGHTS_RW, 0, FK_GRANULE);
	if (l == NULL || l->offset != 0u || l->len != FK_GRANULE)
		return failed(FK_REC_HOLD, KAPI_E_LEASE);
	if (held_rec != 0u)
		return failed(FK_REC_HOLD, KAPI_E_DENIED);
	held_rec = l->pa;
	return KAPI_OK;
}

void kapi_rec_unhold(unsigned int rec_lease)
{
	(void)rec_lease;
	held_rec = 0;
}

/* Not random at all: a fixed xorshift stream, so runs repeat exactly. */
enum kapi_status kapi_random(void *buf, size_t len)
{
	static uint64_t x = 0x9e3779b97f4a7c15ull;
	uint8_t *b = buf;

	if (enter(FK_RANDOM))
		return KAPI_E_DENIED;
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		b[i] = (uint8_t)x;
	}
	return KAPI_OK;
}

uint64_t kapi_feat_reg0(void)
{
	(void)enter(FK_FEAT_REG0);
	return fk.feat_reg0;
}

unsigned int kapi_vmid_bits(void)
{
	(void)enter(FK_VMID_BITS);
	return fk.vmid_bits;
}

bool ipc_env_in_dram(uint64_t pa)
{
	(void)enter(FK_IN_DRAM);
	return gindex(pa) >= 0;
}

/* ---- transport (kernel/ipc.c) ---- */

void fk_register(enum ipc_service svc, const struct ipc_op_meta *ops, size_t ops_count,
		 fk_dispatch_fn dispatch)
{
	if (svc == 0 || svc >= IPC_SVC_COUNT)
		fk_fatal("bad service id", svc);
	fk.svc[svc] = (struct fk_svc){ ops, ops_count, dispatch };
}

void fk_script(enum ipc_service svc, uint16_t op, unsigned int nth, const struct fk_answer *a)
{
	if (fk.script_count >= FK_MAX_SCRIPT)
		fk_fatal("script full", fk.script_count);
	fk.script[fk.script_count++] = (struct fk_script_ent){ svc, op, nth, 0, *a };
}

void fk_script_status(enum ipc_service svc, uint16_t op, unsigned int nth, enum ipc_status t,
		      int32_t s)
{
	struct fk_answer a;

	memset(&a, 0, sizeof(a));
	a.tstatus = t;
	a.svc_status = s;
	fk_script(svc, op, nth, &a);
}

/* The scripted answer for this call, if any (every matching entry counts the call). */
static const struct fk_answer *scripted(enum ipc_service svc, uint16_t op)
{
	const struct fk_answer *a = NULL;

	for (unsigned int i = 0; i < fk.script_count; i++) {
		struct fk_script_ent *e = &fk.script[i];

		if (e->svc != svc || (e->op != 0u && e->op != op))
			continue;
		if (a == NULL && e->seen == e->nth)
			a = &e->ans;
		e->seen++;
	}
	return a;
}

unsigned int fk_ncalls(void)
{
	return fk.ncalls;
}

const struct fk_call_rec *fk_call(unsigned int i)
{
	return i < fk.ncalls && i < FK_MAX_CALLS ? &fk.rec[i] : NULL;
}

void fk_clear_calls(void)
{
	fk.ncalls = 0;
}

unsigned int fk_count_calls(enum ipc_service svc, uint16_t op)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < fk.ncalls && i < FK_MAX_CALLS; i++)
		n += fk.rec[i].svc == svc && (op == 0u || fk.rec[i].op == op) ? 1u : 0u;
	return n;
}

static uint32_t get_u32(const uint8_t *b, size_t off)
{
	uint32_t v;

	memcpy(&v, &b[off], sizeof(v));
	return v;
}

/*
 * build_leases(): lease i = i-th granule_ref (a sender lease, or a pa of the
 * sender's choosing with IPC_LEASE_NEW; read-write for the granule service,
 * an inactive candidate for anyone else), then the lease_fwd fields (a
 * sub-range of an active sender lease with at most its rights).
 */
static enum ipc_status build_leases(enum ipc_service to, const struct ipc_op_meta *m,
				    uint8_t *body, struct fk_lease *out, unsigned int *count)
{
	const struct fk_ctx *from = cur();
	bool kernel = fk.depth == 0u;
	unsigned int n = 0;

	for (unsigned int i = 0; i < m->ref_count; i++) {
		size_t o = m->ref_off[i];
		uint8_t idx = body[o];
		struct fk_lease *l = &out[n++];

		if (idx == IPC_LEASE_NEW) {
			memcpy(&l->pa, &body[o + 8u], 8);
		} else {
			if (kernel || idx >= from->lease_count)
				return IPC_E_BAD_LEASE;
			l->pa = from->leases[idx].pa;
			memcpy(&body[o + 8u], &l->pa, 8);
		}
		l->offset = 0;
		l->len = FK_GRANULE;
		l->rights = to == IPC_SVC_GRANULE ? IPC_RIGHTS_RW : 0u;
		l->active = to == IPC_SVC_GRANULE;
	}
	for (unsigned int i = 0; i < m->fwd_count; i++) {
		size_t o = m->fwd_off[i];
		uint8_t idx = body[o], rights = body[o + 1u];
		uint32_t off = get_u32(body, o + 4u), len = get_u32(body, o + 8u);
		const struct fk_lease *src;
		struct fk_lease *l = &out[n++];

		if (kernel || idx >= from->lease_count)
			return IPC_E_BAD_LEASE;
		src = &from->leases[idx];
		if (!src->active || src->rights == 0u || (rights & ~src->rights) != 0u ||
		    rights == 0u || off > src->len || len > src->len - off)
			return IPC_E_BAD_LEASE;
		*l = (struct fk_lease){ src->pa, src->offset + off, len, rights, true };
	}
	*count = n;
	return IPC_OK;
}

/* grant(): a successful claim/lookup activates the caller's lease (appends one for NEW). */
static void grant(const struct ipc_op_meta *m, const uint8_t *body, const struct fk_lease *sent)
{
	struct fk_ctx *x = cur();

	for (unsigned int i = 0; i < m->ref_count; i++) {
		uint8_t li = body[m->ref_off[i]];

		if ((m->grant_mask & (1u << i)) == 0u)
			continue;
		if (li == IPC_LEASE_NEW) {
			if (x->lease_count >= IPC_MAX_LEASES)
				continue;
			li = (uint8_t)x->lease_count++;
		}
		x->leases[li] = (struct fk_lease){ sent[i].pa, 0, FK_GRANULE, IPC_RIGHTS_RW, true };
	}
}

enum ipc_status ipc_call(enum ipc_service svc, uint16_t op, const void *req, size_t req_len,
			 void *rep, size_t rep_cap, size_t *rep_len, int32_t *svc_status)
{
	static struct fk_call_rec overflow;
	const struct fk_svc *s;
	const struct ipc_op_meta *m = NULL;
	const struct fk_answer *a;
	struct fk_lease leases[IPC_MAX_LEASES];
	unsigned int nl = 0;
	uint8_t body[IPC_MAX_MSG];
	struct fk_answer res;
	struct fk_call_rec *rec;
	enum ipc_status st;

	if (enter(FK_IPC_CALL)) {
		fk.fails[FK_IPC_CALL]++;
		return IPC_E_QUEUE_FULL;
	}
	if (svc == 0 || svc >= IPC_SVC_COUNT || svc == cur_svc() || fk.svc[svc].ops == NULL)
		return IPC_E_NO_SERVICE;
	s = &fk.svc[svc];
	for (size_t i = 0; i < s->ops_count; i++) {
		if (s->ops[i].op == op)
			m = &s->ops[i];
	}
	if (m == NULL)
		return IPC_E_BAD_OP;
	if (req_len != m->req_len || req_len > IPC_MAX_MSG)
		return IPC_E_BAD_LEN;

	memset(body, 0, sizeof(body));
	if (req_len != 0u)
		memcpy(body, req, req_len);
	rec = fk.ncalls < FK_MAX_CALLS ? &fk.rec[fk.ncalls] : &overflow;
	fk.ncalls++;
	memset(rec, 0, sizeof(*rec));
	rec->svc = svc;
	rec->op = op;
	rec->caller = cur_svc();
	rec->depth = fk.depth;
	rec->req_len = req_len;

	st = build_leases(svc, m, body, leases, &nl);
	memcpy(rec->req, body, req_len);
	if (st != IPC_OK) {
		rec->tstatus = st;
		return st;
	}

	memset(&res, 0, sizeof(res));
	a = scripted(svc, op);
	if (a != NULL) {
		res = *a;
		rec->scripted = true;
	} else if (s->dispatch != NULL) {
		push(svc, leases, nl);
		res.tstatus = s->dispatch(op, body, req_len, res.rep, sizeof(res.rep), &res.rep_len,
					  &res.svc_status);
		fk.depth--;
	} else {
		res.tstatus = IPC_OK;	/* scripted-only service: default answer */
		res.rep_len = m->rep_len;
		rec->scripted = true;
	}
	rec->delivered = true;
	rec->tstatus = res.tstatus;
	rec->svc_status = res.svc_status;

	if (res.tstatus != IPC_OK)
		return res.tstatus;
	if (res.rep_len > rep_cap)
		return IPC_E_BAD_REPLY;
	if (res.rep_len != 0u)
		memcpy(rep, res.rep, res.rep_len);
	*rep_len = res.rep_len;
	*svc_status = res.svc_status;
	if (svc == IPC_SVC_GRANULE && res.svc_status == 0 && m->grant_mask != 0u && fk.depth != 0u)
		grant(m, body, leases);
	return IPC_OK;
}
