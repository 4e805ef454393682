/*
 * libFuzzer target over the WHOLE monitor (issue 8 item 3): sequences of
 * RMI calls from a fuzzed NS host, and RSI calls and other exits from
 * fuzzed realms, against the host build (kernel and services over the
 * simulated machine of platform/host). Built by tests/fuzz/fuzz_rmi.mk.
 *
 * The machine is cold-booted once (one CPU); every input then starts from
 * a snapshot of it: every mutable byte of the RMM (its three mutable
 * objects, docs/safety.md: the configuration, the kernel state, the
 * services' states; its window of simulated memory, stacks and granule
 * table included), of the simulation (GPT, slot maps, registers, FP files,
 * EL3's fault plan) and of the fuzzer's own memory is restored, rewriting
 * only what changed.
 *
 * Memory: NPOOL granules at POOL_PA that the calls name (all NS at the
 * start), NS_PAGES host pages after them for parameters (RmiRealmParams,
 * RmiRecParams, RmiRecRun, DATA_CREATE's source).
 *
 * Input: a sequence of calls, each
 *   c         command: c < 0xf0: fz_rmi_cmds[c % count]; 0xf0..0xf7 inject an
 *             EL3 fault (next byte: function and count) and go on; else a
 *             raw function number (u16 follows, no arguments but raw u64s)
 *   args      per argument kind of the command (see arg()): granule PAs,
 *             NS pointers, IPAs, levels, values; parameter pages are
 *             written field by field from the input before the call
 * REC_ENTER runs the realm script (realm_step()), which reads the realm's
 * actions from the same input: RSI/PSCI SMCs with chosen arguments, data
 * accesses (done through the realm's stage 2 when mapped, else a data
 * abort exit), system-register traps, WFx, HVC, FP/SVE traps, instruction
 * aborts, interrupts and SErrors; at most REALM_BUDGET per entry, then an
 * IRQ ends the entry.
 *
 * After every call the checker (check_all(), abort() with "INVARIANT
 * VIOLATION" and what broke) asserts the invariants listed in
 * docs/verification.md: status domain; failed calls change nothing
 * (granule states, GPT, contents of every non-NS pool granule, VMIDs);
 * successful calls make exactly the granule transitions their command
 * specifies; GPT agrees with granule states; DELEGATED granules are zero;
 * RDs, RECs and RTTs are consistent (owners, rec_live, VMIDs, every RTT,
 * DATA and REC_AUX granule referenced once, RTT entries well-formed for
 * their half of the IPA space); a realm's RIM never changes once it is
 * active.
 *
 * ATOLL_FUZZ_TRACE=1 prints every call and its result on stderr.
 */
#define _DEFAULT_SOURCE
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/mmu.h>
#include <ipc/granule.h>
#include <ipc/realm_objects.h>
#include <kernel/config.h>
#include <kernel/kstate.h>
#include <kernel/rec.h>
#include <machine.h>
#include <spec/structs.h>

#include "attest_state.h"
#include "granule_state.h"
#include "gstore.h"
#include "rd.h"
#include "realm_state.h"
#include "rmi_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define G		4096ull
#define NPOOL		FZ_POOL	/* tests/fuzz/rmi_format.h */
#define POOL_PA		0x50000000ull
#define NS_PAGES	4u
#define NS_PA		(POOL_PA + NPOOL * G)
#define NTRACK		(NPOOL + NS_PAGES)	/* granules the checker follows: the pool and the NS pages */
#define NS_REALM	0u	/* RmiRealmParams */
#define NS_REC		1u	/* RmiRecParams */
#define NS_RUN		2u	/* RmiRecRun */
#define NS_SRC		3u	/* DATA_CREATE source */
#define MAX_CALLS	400u
#define REALM_BUDGET	256u

#define OA_MASK		0x0000fffffffff000ull
#define S2_NS		(1ull << 55)
#define HIPAS_ASSIGNED	(1ull << 2)

#define RMI_FID(n)	(0xC4000000ull | (n))
#define RMI_SUCCESS	0u

/* ---- the services' states, as kernel/services.c lays them out ---- */
struct svc_states {
	_Alignas(4096) struct granule_state granule;
	_Alignas(4096) struct realm_state realm;
	_Alignas(4096) struct attest_state attest;
};
extern struct svc_states __svc_state_start[];
extern char __svc_state_end[];

static struct svc_states *svc(void)
{
	return __svc_state_start;
}

/* ---- failure reporting ---- */
static bool opt_trace;
static unsigned int call_no;

static void fz_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fz_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "INVARIANT VIOLATION after call %u: ", call_no);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void trace(const char *fmt, ...)
{
	va_list ap;

	if (!opt_trace)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* ---- snapshot ---- */
#define MAX_REGIONS	32u
static struct {
	struct sim_region reg[MAX_REGIONS];
	void *copy[MAX_REGIONS];
	size_t n;
	uint64_t dram_pa[3];
	size_t dram_len[3];
	void *dram_copy[3];
} snap;

static void snap_add(void *p, size_t len)
{
	if (snap.n == MAX_REGIONS)
		abort();
	snap.reg[snap.n] = (struct sim_region){ p, len };
	snap.copy[snap.n] = malloc(len);
	if (snap.copy[snap.n] == NULL)
		abort();
	memcpy(snap.copy[snap.n], p, len);
	snap.n++;
}

static void snap_take(void)
{
	struct sim_region r[MAX_REGIONS];
	size_t n = sim_machine_regions(r, MAX_REGIONS - 4u);
	/* the RMM's window up to the end of its granule table (8 bytes a granule at most) */
	uint64_t win = rmm_image_layout.image_end - RMM_BASE + (SIM_DRAM_SIZE / G) * 8u;

	for (size_t i = 0; i < n; i++)
		snap_add(r[i].p, r[i].len);
	snap_add(&kernel_state_obj, sizeof(kernel_state_obj));
	snap_add(&rmm_config_obj, sizeof(rmm_config_obj));
	snap_add(__svc_state_start, (size_t)(__svc_state_end - (char *)__svc_state_start));
	snap.dram_pa[0] = RMM_BASE;
	snap.dram_len[0] = (size_t)((win + G - 1u) & ~(G - 1u));
	snap.dram_pa[1] = SIM_SHARED_PA;
	snap.dram_len[1] = G;
	snap.dram_pa[2] = POOL_PA;
	snap.dram_len[2] = NTRACK * G;
	for (unsigned int i = 0; i < 3u; i++) {
		snap.dram_copy[i] = malloc(snap.dram_len[i]);
		if (snap.dram_copy[i] == NULL)
			abort();
		sim_dram_save(snap.dram_pa[i], snap.dram_copy[i], snap.dram_len[i]);
	}
}

static void snap_restore(void)
{
	/* objects first (the GPT among them): DRAM's poison follows the GPT */
	for (size_t i = 0; i < snap.n; i++)
		if (memcmp(snap.reg[i].p, snap.copy[i], snap.reg[i].len) != 0)
			memcpy(snap.reg[i].p, snap.copy[i], snap.reg[i].len);
	for (unsigned int i = 0; i < 3u; i++)
		(void)sim_dram_restore(snap.dram_pa[i], snap.dram_copy[i], snap.dram_len[i]);
}

/* ---- input ---- */
struct in {
	const uint8_t *p;
	size_t left;
};
static struct in cur;

static uint8_t u8(void)
{
	if (cur.left == 0u)
		return 0;
	cur.left--;
	return *cur.p++;
}

static uint64_t uraw(unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++)
		v |= (uint64_t)u8() << (8u * i);
	return v;
}

static uint64_t pool_pa(unsigned int i)
{
	return POOL_PA + (uint64_t)(i % NPOOL) * G;
}

/* Granule i the checker follows: the pool, then the NS pages. */
static uint64_t track_pa(unsigned int i)
{
	return POOL_PA + (uint64_t)i * G;
}

static uint64_t ns_pa(unsigned int k)
{
	return NS_PA + (uint64_t)k * G;
}

/* A granule address: mostly a pool granule, sometimes one the RMM must refuse. */
static uint64_t sel_pa(void)
{
	uint8_t b = u8();

	uint64_t g;

	if (b < FZ_PA_RMM)
		return pool_pa(b);
	switch (b) {
	case FZ_PA_RMM: return RMM_BASE;
	case FZ_PA_SHARED: return SIM_SHARED_PA;
	case FZ_PA_UNALIGNED:
		g = pool_pa(u8());	/* the granule, then the offset (one read at a time) */
		return g + 8u * (1u + u8() % 511u);
	case FZ_PA_ZERO: return 0;
	case FZ_PA_PAST_DRAM: return SIM_DRAM_BASE + SIM_DRAM_SIZE;
	case 0xed: return 1ull << 48;
	case 0xee: return ns_pa(u8() % NS_PAGES);			/* NS, but not a pool granule */
	default:   return uraw(8) | 1u;					/* raw, never aligned (FZ_PA_RAW) */
	}
}

/* A pointer to host memory: mostly the parameter page `want`. */
static uint64_t sel_ns(unsigned int want)
{
	uint8_t b = u8();

	if (b < 0xf0u)
		return ns_pa(want);
	switch (b & 7u) {
	case 0: return ns_pa(u8() % NS_PAGES);
	case 1: return pool_pa(u8());		/* maybe delegated: a GPF for the RMM */
	case 2: return RMM_BASE + G;
	case 3: return ns_pa(want) + 8u;	/* unaligned */
	case 4: return SIM_DRAM_BASE + SIM_DRAM_SIZE;
	default: return ns_pa(want);
	}
}

static int64_t sel_level(void)
{
	uint8_t b = u8();

	return b < 0xf0u ? (int64_t)(b % 6u) - 1 : (int64_t)uraw(8);
}

static uint64_t map_size(int64_t level)
{
	return level < -1 || level > 3 ? G : 1ull << (12u + 9u * (unsigned int)(3 - level));
}

/* An IPA: an index at a level's granularity, maybe in the unprotected half of a 39-bit space. */
static uint64_t sel_ipa(void)
{
	uint8_t b = u8();
	uint64_t ipa;

	if (b == 0xffu)
		return uraw(8);
	ipa = (uint64_t)u8() * map_size((int64_t)(b & 3u));
	if ((b & 0x04u) != 0u)
		ipa |= 1ull << 38;
	if ((b & 0x08u) != 0u)
		ipa += (uint64_t)u8() * G;
	if ((b & 0xf0u) == 0xe0u)
		ipa |= 1ull << (36u + (b & 7u));	/* other IPA widths */
	return ipa;
}

static uint64_t sel_val(void)
{
	static const uint64_t tab[] = { 0, 1, 2, 3, 0x10000, 0x10001, 0x20000, 0xff, 0x100,
					G, ~0ull };
	uint8_t b = u8();

	if (b < 0x80u)
		return b;
	if (b < 0xf0u)
		return tab[b % (sizeof(tab) / sizeof(tab[0]))];
	return uraw(8);
}

/* ---- NS parameter pages ---- */
/*
 * Where the host writes a parameter page: the page itself while it is NS,
 * else (the host delegated it: a store would fault) a scratch copy.
 */
static void *ns_page(unsigned int k)
{
	static uint8_t scratch[G];

	return sim_gpt_get(ns_pa(k)) == SIM_PAS_NS ? sim_pa_ptr(ns_pa(k), G) : scratch;
}

/* What REALM_CREATE / REC_CREATE were last given: the granules they must take. */
static struct rmi_realm_params last_realm;
static struct rmi_rec_params last_rec;

static void write_realm_params(void)
{
	struct rmi_realm_params *p = ns_page(NS_REALM);
	uint8_t f = u8();

	memset(p, 0, sizeof(*p));
	p->flags = (f & 0x80u) != 0u ? uraw(8) : f & 7u;
	p->s2sz = fz_s2sz[u8() % 8u];
	p->num_bps = 2;
	p->num_wps = 2;
	if ((f & 0x08u) != 0u) {
		p->sve_vl = u8();
		p->num_bps = u8();
		p->num_wps = u8();
		p->pmu_num_ctrs = u8();
	}
	p->hash_algo = u8() % 3u;
	p->rpv[0] = u8();
	p->vmid = (uint16_t)(u8() % 8u);
	p->rtt_base = sel_pa();
	p->rtt_level_start = sel_level();
	p->rtt_num_start = u8() % 18u;
	last_realm = *p;
}

static void write_rec_params(void)
{
	struct rmi_rec_params *p = ns_page(NS_REC);
	uint8_t f = u8();

	memset(p, 0, sizeof(*p));
	p->flags = f & 1u;
	p->mpidr = (f & 0x80u) != 0u ? uraw(8) : (uint64_t)(u8() % 4u);
	p->pc = 0x1000u;
	p->gprs[0] = u8();
	p->num_aux = u8() % 18u;
	for (uint64_t i = 0; i < p->num_aux && i < 16u; i++)
		p->aux[i] = sel_pa();
	last_rec = *p;
}

static void write_run(void)
{
	struct rmi_rec_run *r = ns_page(NS_RUN);
	uint8_t f = u8();

	memset(&r->enter, 0, sizeof(r->enter));
	r->enter.flags = f & 0x0fu;
	r->enter.gprs[0] = u8();
	r->enter.gprs[1] = u8();
	if ((f & 0x10u) != 0u)
		r->enter.gicv3_hcr = uraw(8);
	if ((f & 0x20u) != 0u) {
		unsigned int lr = u8() % 16u;	/* the index, then the value */

		r->enter.gicv3_lrs[lr] = uraw(8);
	}
	if ((f & 0x40u) != 0u)
		r->enter.gicv3_hcr = 1u;	/* En */
}

/* ---- the realm script ---- */
#define ESR_IL		(1ull << 25)
#define EC(x)		((uint64_t)(x) << 26)



static bool in_fuzz_memory(uint64_t pa, size_t len)
{
	return pa >= POOL_PA && pa + len <= NS_PA + NS_PAGES * G;
}

/* A data access the realm's stage 2 maps: done in simulated memory, no exit. */
static bool realm_access(struct sim_vcpu *v, uint64_t ipa, unsigned int size, bool write,
			 unsigned int reg)
{
	uint64_t pa = 0, val = 0;
	bool ns = false;
	int level = 0;

	if (!sim_realm_translate(ipa, &pa, &ns, &level) || (pa & (size - 1u)) != 0u ||
	    !in_fuzz_memory(pa, size))
		return false;
	if (sim_gpt_get(pa) != (ns ? SIM_PAS_NS : SIM_PAS_REALM))
		return false;	/* a granule protection fault: left to the exit */
	sim_realm_slot_map(pa & ~(G - 1u));
	if (write) {
		val = reg == 31u ? 0u : v->x[reg];
		memcpy(sim_pa_ptr(pa, size), &val, size);
	} else {
		memcpy(&val, sim_pa_ptr(pa, size), size);
		if (reg != 31u)
			v->x[reg] = val;
	}
	sim_realm_slot_unmap(pa & ~(G - 1u));
	v->pc += 4u;
	return true;
}

static unsigned int realm_ops;

static uint64_t realm_step(struct sim_vcpu *v)
{
	for (;;) {
		uint8_t op;

		v->esr = v->far = v->hpfar = 0;
		if (cur.left == 0u || realm_ops++ >= REALM_BUDGET)
			return SIM_EXC_IRQ;
		op = u8();
		trace("    realm op %u (pc 0x%llx)\n", op % 12u, (unsigned long long)v->pc);
		switch (op % 12u) {
		case 0: case 1: case 2: {	/* SMC: RSI or PSCI */
			uint8_t f = u8();

			v->x[0] = f < 0xf0u ? fz_rsi_fids[f % FZ_NFIDS]
					    : 0xC4000000ull | uraw(2);
			for (unsigned int i = 1; i < 5u; i++) {
				uint8_t k = u8();

				v->x[i] = k < 0x40u ? sel_ipa() : k < 0x80u ? k : sel_val();
			}
			v->esr = EC(0x17) | ESR_IL;
			return SIM_EXC_SYNC;
		}
		case 3: case 4: {		/* a data access */
			uint8_t f = u8();
			uint64_t ipa = sel_ipa() + (f & 0x38u);
			unsigned int size = 1u << (f & 3u), reg = u8() % 32u;
			bool write = (f & 4u) != 0u;
			uint64_t dfsc = 0x04u + (uint64_t)(u8() % 4u);
			uint64_t pa = 0;
			bool ns = false;
			int level = 0;

			if (write && reg != 31u)
				v->x[reg] = uraw(1);
			if (realm_access(v, ipa, size, write, reg))
				continue;
			if (sim_realm_translate(ipa, &pa, &ns, &level))
				dfsc = 0x28u;	/* mapped, but the PAS disagrees: a GPF */
			else
				dfsc = 0x04u + (uint64_t)(level < 0 ? 0 : level);
			v->esr = EC(0x24) | ESR_IL | dfsc | (write ? 1ull << 6 : 0u);
			if ((f & 0x40u) == 0u)	/* ISV with SAS, SRT, SF */
				v->esr |= (1ull << 24) | (uint64_t)(f & 3u) << 22 |
					  (uint64_t)reg << 16 | 1ull << 15;
			v->far = ipa;
			v->hpfar = (ipa >> 12) << 4;
			return SIM_EXC_SYNC;
		}
		case 5: {			/* a trapped system register */
			const uint8_t *s = fz_sysregs[u8() % FZ_NSYSREGS];
			uint8_t f = u8();

			v->esr = EC(0x18) | ESR_IL | (uint64_t)s[0] << 20 | (uint64_t)s[4] << 17 |
				 (uint64_t)s[1] << 14 | (uint64_t)s[2] << 10 |
				 (uint64_t)(f % 32u) << 5 | (uint64_t)s[3] << 1 | ((f & 0x80u) ? 1u : 0u);
			if (f % 32u != 31u) {
				uint64_t val = uraw(1);	/* the value, then the shift */

				v->x[f % 32u] = val << (u8() % 48u);
			}
			return SIM_EXC_SYNC;
		}
		case 6:				/* WFI / WFE */
			v->esr = EC(0x01) | ESR_IL | (u8() & 1u);
			return SIM_EXC_SYNC;
		case 7:				/* HVC */
			v->esr = EC(0x16) | ESR_IL;
			return SIM_EXC_SYNC;
		case 8: {			/* FP, SVE or SME */
			static const uint64_t ec[] = { 0x07, 0x19, 0x1d };

			v->esr = EC(ec[u8() % 3u]) | ESR_IL;
			return SIM_EXC_SYNC;
		}
		case 9: {			/* an instruction fetch the stage 2 does not map */
			uint64_t ipa = sel_ipa();

			v->esr = EC(0x20) | ESR_IL | 0x07u;
			v->far = ipa;
			v->hpfar = (ipa >> 12) << 4;
			return SIM_EXC_SYNC;
		}
		case 10:
			return SIM_EXC_IRQ;
		default:
			return (u8() & 1u) != 0u ? SIM_EXC_FIQ : SIM_EXC_SERROR;
		}
	}
}

/* ---- RMI commands (tests/fuzz/rmi_format.h) ---- */

static uint64_t arg(char kind)
{
	switch (kind) {
	case 'P': return sel_pa();
	case 'N': return sel_ns(NS_SRC);
	case 'R': write_realm_params(); return sel_ns(NS_REALM);
	case 'C': write_rec_params(); return sel_ns(NS_REC);
	case 'U': write_run(); return sel_ns(NS_RUN);
	case 'I': return sel_ipa();
	case 'L': return (uint64_t)sel_level();
	case 'D': {
		uint8_t b = u8();
		uint64_t pa = (b & 1u) != 0u ? ns_pa(u8() % NS_PAGES) : sel_pa();

		return (b & 2u) != 0u ? uraw(8) : pa | (((uint64_t)b & 0xf0u) << 2);
	}
	default:  return sel_val();
	}
}

/* ---- the checker ---- */
static struct {
	uint32_t st[NTRACK];		/* granule states now */
	uint8_t refs[NTRACK];
	uint32_t rec_owned[NTRACK];
	bool rim_known[NTRACK];		/* an active realm's RIM, to see that it never changes */
	uint8_t rim[NTRACK][64];
} chk;

static unsigned int invariants_checked;

static long pidx(uint64_t pa)
{
	if (pa < POOL_PA || pa >= POOL_PA + NTRACK * G || (pa & (G - 1u)) != 0u)
		return -1;
	return (long)((pa - POOL_PA) / G);
}

static const char *sname(uint32_t s)
{
	static const char *const n[] = { "UNDELEGATED", "DELEGATED", "RD", "REC", "REC_AUX",
					 "DATA", "RTT" };

	return s < 7u ? n[s] : "?";
}

static uint32_t gstate(uint64_t pa)
{
	uint32_t s = GRANULE_GSTATE_UNDELEGATED;

	if (!gstore_get(&svc()->granule, pa, &s))
		return GRANULE_GSTATE_UNDELEGATED;	/* not tracked (sparse store): undelegated */
	return s;
}

/* Read realm memory (poisoned under ASan outside a slot mapping). */
static void rread(uint64_t pa, void *dst, size_t len)
{
	sim_realm_slot_map(pa & ~(G - 1u));
	memcpy(dst, sim_pa_ptr(pa, len), len);
	sim_realm_slot_unmap(pa & ~(G - 1u));
}

static void ref_granule(uint64_t pa, uint32_t want, const char *what, uint64_t rd)
{
	long i = pidx(pa);

	if (i < 0)
		fz_fail("realm RD 0x%llx: %s 0x%llx is not a pool granule", (unsigned long long)rd,
			what, (unsigned long long)pa);
	if (chk.st[i] != want)
		fz_fail("realm RD 0x%llx: %s 0x%llx is %s, not %s", (unsigned long long)rd, what,
			(unsigned long long)pa, sname(chk.st[i]), sname(want));
	if (chk.refs[i] != 0u)
		fz_fail("realm RD 0x%llx: %s 0x%llx is referenced twice", (unsigned long long)rd,
			what, (unsigned long long)pa);
	chk.refs[i]++;
}

static void walk_rtt(uint64_t rd, const struct rd_s2 *s2, uint64_t table, int32_t level,
		     uint64_t ipa0)
{
	uint64_t t[512];
	uint64_t half = 1ull << (s2->s2sz - 1u);

	rread(table, t, sizeof(t));
	for (unsigned int i = 0; i < 512u; i++) {
		uint64_t e = t[i], ipa = ipa0 + i * map_size(level);

		invariants_checked++;
		if (ipa >= (1ull << s2->s2sz))
			break;	/* a root table only partly used (not concatenated) */
		if (level < 3 && (e & 3u) == 3u) {
			ref_granule(e & OA_MASK, GRANULE_GSTATE_RTT, "table entry", rd);
			walk_rtt(rd, s2, e & OA_MASK, level + 1, ipa);
			continue;
		}
		if (ipa >= half) {
			/* unprotected: UNASSIGNED_NS or a valid NS mapping, nothing else */
			if ((e & S2_NS) == 0u || ((e & 1u) == 0u && e != S2_NS))
				fz_fail("RD 0x%llx: unprotected IPA 0x%llx level %d entry 0x%llx",
					(unsigned long long)rd, (unsigned long long)ipa, level,
					(unsigned long long)e);
			continue;
		}
		if ((e & S2_NS) != 0u)
			fz_fail("RD 0x%llx: protected IPA 0x%llx has an NS entry 0x%llx",
				(unsigned long long)rd, (unsigned long long)ipa, (unsigned long long)e);
		if ((e & 3u) == 0u) {
			uint64_t ripas = (e >> 5) & 3u, oa = e & OA_MASK;
			bool assigned = (e & HIPAS_ASSIGNED) != 0u;

			if (ripas > 2u || (e & ~(OA_MASK | HIPAS_ASSIGNED | (3ull << 5))) != 0u ||
			    (!assigned && oa != 0u))
				fz_fail("RD 0x%llx: IPA 0x%llx level %d: malformed entry 0x%llx",
					(unsigned long long)rd, (unsigned long long)ipa, level,
					(unsigned long long)e);
			if (!assigned)
				continue;
		}
		if (level < 1)
			fz_fail("RD 0x%llx: ASSIGNED entry at level %d (ipa 0x%llx)",
				(unsigned long long)rd, level, (unsigned long long)ipa);
		for (uint64_t p = 0; p < map_size(level); p += G)
			ref_granule((e & OA_MASK & ~(map_size(level) - 1u)) + p, GRANULE_GSTATE_DATA,
				    "data mapping", rd);
	}
}

static void check_realms(void)
{
	uint32_t vmids[NTRACK];
	unsigned int nrd = 0, pop = 0;

	memset(chk.refs, 0, sizeof(chk.refs));
	memset(chk.rec_owned, 0, sizeof(chk.rec_owned));
	for (unsigned int i = 0; i < NTRACK; i++) {
		struct rec_core c;
		long o;

		if (chk.st[i] != GRANULE_GSTATE_REC)
			continue;
		rread(track_pa(i), &c, sizeof(c));
		o = pidx(c.owner_rd);
		invariants_checked += 2;
		if (o < 0 || chk.st[o] != GRANULE_GSTATE_RD)
			fz_fail("REC 0x%llx: owner 0x%llx is not an RD", (unsigned long long)track_pa(i),
				(unsigned long long)c.owner_rd);
		chk.rec_owned[o]++;
		if (c.num_aux > REC_MAX_AUX)
			fz_fail("REC 0x%llx: num_aux %llu", (unsigned long long)track_pa(i),
				(unsigned long long)c.num_aux);
		for (uint64_t a = 0; a < c.num_aux; a++)
			ref_granule(c.aux[a], GRANULE_GSTATE_REC_AUX, "REC aux", c.owner_rd);
	}
	for (unsigned int i = 0; i < NTRACK; i++) {
		uint64_t pa = track_pa(i);
		struct rd r;
		uint8_t rim[64];

		if (chk.st[i] != GRANULE_GSTATE_RD) {
			chk.rim_known[i] = false;
			continue;
		}
		rread(pa, &r, sizeof(r));
		invariants_checked += 6;
		if (r.s2.state < REALM_NEW || r.s2.state > REALM_SYSTEM_OFF)
			fz_fail("RD 0x%llx: lifecycle state %u", (unsigned long long)pa, r.s2.state);
		if (r.s2.start_level < -1 || r.s2.start_level > 3 || r.s2.s2sz < 32u ||
		    r.s2.s2sz > 52u || r.s2.num_roots < 1u || r.s2.num_roots > 16u)
			fz_fail("RD 0x%llx: bad S2 config (level %d s2sz %u roots %u)",
				(unsigned long long)pa, r.s2.start_level, r.s2.s2sz, r.s2.num_roots);
		if (r.s2.vmid >= REALM_VMID_MAX ||
		    ((svc()->realm.vmid_used[r.s2.vmid / 64u] >> (r.s2.vmid % 64u)) & 1u) == 0u)
			fz_fail("RD 0x%llx: VMID %u not marked used", (unsigned long long)pa, r.s2.vmid);
		for (unsigned int k = 0; k < nrd; k++)
			if (vmids[k] == r.s2.vmid)
				fz_fail("RD 0x%llx: VMID %u used twice", (unsigned long long)pa,
					r.s2.vmid);
		vmids[nrd++] = r.s2.vmid;
		if (r.rec_live != chk.rec_owned[i])
			fz_fail("RD 0x%llx: rec_live %llu, %u RECs own it", (unsigned long long)pa,
				(unsigned long long)r.rec_live, chk.rec_owned[i]);
		for (unsigned int k = 0; k < r.s2.num_roots; k++) {
			uint64_t root = r.s2.rtt_base + k * G;

			ref_granule(root, GRANULE_GSTATE_RTT, "root RTT", pa);
			walk_rtt(pa, &r.s2, root, r.s2.start_level,
				 (uint64_t)k * 512u * map_size(r.s2.start_level));
		}
		/* the RIM: slot 0 of the measurement area, fixed once the realm is active */
		rread(pa + RD_MEAS_OFF + 8u, rim, sizeof(rim));
		if (r.s2.state != REALM_NEW) {
			if (chk.rim_known[i] && memcmp(chk.rim[i], rim, sizeof(rim)) != 0)
				fz_fail("RD 0x%llx: the RIM changed after activation",
					(unsigned long long)pa);
			memcpy(chk.rim[i], rim, sizeof(rim));
			chk.rim_known[i] = true;
		} else {
			chk.rim_known[i] = false;
		}
	}
	for (unsigned int w = 0; w < REALM_VMID_MAX / 64u; w++)
		pop += (unsigned int)__builtin_popcountll(svc()->realm.vmid_used[w]);
	invariants_checked++;
	if (pop != nrd)
		fz_fail("%u VMIDs marked used for %u realms", pop, nrd);
	for (unsigned int i = 0; i < NTRACK; i++) {
		uint32_t s = chk.st[i];

		invariants_checked++;
		if ((s == GRANULE_GSTATE_RTT || s == GRANULE_GSTATE_DATA ||
		     s == GRANULE_GSTATE_REC_AUX) && chk.refs[i] != 1u)
			fz_fail("%s granule 0x%llx is referenced by no realm object (leaked)", sname(s),
				(unsigned long long)track_pa(i));
	}
}

static bool granule_zero(uint64_t pa)
{
	static const uint8_t zero[G];
	bool z;

	sim_realm_slot_map(pa);
	z = memcmp(sim_pa_ptr(pa, G), zero, G) == 0;
	sim_realm_slot_unmap(pa);
	return z;
}

static void check_all(void)
{
	for (unsigned int i = 0; i < NTRACK; i++) {
		uint64_t pa = track_pa(i);
		uint32_t s = gstate(pa);
		enum sim_pas pas = sim_gpt_get(pa);

		chk.st[i] = s;
		invariants_checked += 2;
		if ((s == GRANULE_GSTATE_UNDELEGATED) != (pas == SIM_PAS_NS) || pas == SIM_PAS_ROOT)
			fz_fail("granule 0x%llx: state %s but GPT PAS %u", (unsigned long long)pa,
				sname(s), pas);
		if (s == GRANULE_GSTATE_DELEGATED && !granule_zero(pa))
			fz_fail("DELEGATED granule 0x%llx is not all zero", (unsigned long long)pa);
		invariants_checked++;
		if (rec_known(pa) != (s == GRANULE_GSTATE_REC))
			fz_fail("granule 0x%llx: state %s but the kernel's REC registry says %d",
				(unsigned long long)pa, sname(s), rec_known(pa));
	}
	check_realms();
}

/* ---- per call: failure atomicity and the transitions a success may make ---- */
static struct {
	uint32_t st[NTRACK];
	uint8_t mem[NTRACK][G];
	bool saved[NTRACK];
	uint64_t vmid[REALM_VMID_MAX / 64u];
} pre;

static void pre_take(void)
{
	memcpy(pre.st, chk.st, sizeof(pre.st));
	for (unsigned int i = 0; i < NTRACK; i++) {
		pre.saved[i] = pre.st[i] != GRANULE_GSTATE_UNDELEGATED;
		if (pre.saved[i])
			rread(track_pa(i), pre.mem[i], G);
	}
	memcpy(pre.vmid, svc()->realm.vmid_used, sizeof(pre.vmid));
}

static void unchanged(const char *cmd, uint64_t status)
{
	invariants_checked += 3;
	for (unsigned int i = 0; i < NTRACK; i++) {
		uint8_t now[G];

		if (chk.st[i] != pre.st[i])
			fz_fail("%s failed (0x%llx) but granule 0x%llx went %s -> %s", cmd,
				(unsigned long long)status, (unsigned long long)track_pa(i),
				sname(pre.st[i]), sname(chk.st[i]));
		if (!pre.saved[i])
			continue;
		rread(track_pa(i), now, G);
		if (memcmp(now, pre.mem[i], G) != 0)
			fz_fail("%s failed (0x%llx) but %s granule 0x%llx changed", cmd,
				(unsigned long long)status, sname(pre.st[i]),
				(unsigned long long)track_pa(i));
	}
	if (memcmp(pre.vmid, svc()->realm.vmid_used, sizeof(pre.vmid)) != 0)
		fz_fail("%s failed (0x%llx) but the VMIDs in use changed", cmd,
			(unsigned long long)status);
}

/* Expected transitions of a successful call. */
struct trans {
	uint64_t pa;
	uint32_t from, to;
};

static void expect_transitions(const char *cmd, const struct trans *t, unsigned int n)
{
	bool seen[NTRACK] = { false };

	invariants_checked += 2;
	for (unsigned int k = 0; k < n; k++) {
		long i = pidx(t[k].pa);

		if (i < 0 || pre.st[i] != t[k].from || chk.st[i] != t[k].to)
			fz_fail("%s succeeded but granule 0x%llx went %s -> %s, not %s -> %s", cmd,
				(unsigned long long)t[k].pa, i < 0 ? "?" : sname(pre.st[i]),
				i < 0 ? "?" : sname(chk.st[i]), sname(t[k].from), sname(t[k].to));
		seen[i] = true;
	}
	for (unsigned int i = 0; i < NTRACK; i++)
		if (!seen[i] && chk.st[i] != pre.st[i])
			fz_fail("%s succeeded and also moved granule 0x%llx %s -> %s", cmd,
				(unsigned long long)track_pa(i), sname(pre.st[i]), sname(chk.st[i]));
}

static void check_call(const struct fz_rmi_cmd *c, const uint64_t in[8], const uint64_t out[8])
{
	struct trans t[2u + 16u];
	unsigned int n = 0;
	uint64_t st = out[0];
	const uint32_t U = GRANULE_GSTATE_UNDELEGATED, D = GRANULE_GSTATE_DELEGATED;

	invariants_checked++;
	if (c == NULL) {
		if (st != SMC_UNKNOWN)
			fz_fail("unknown function 0x%llx answered 0x%llx", (unsigned long long)in[0],
				(unsigned long long)st);
		unchanged("unknown function", st);
		return;
	}
	/*
	 * structures.md 1.1: status in [7:0] (0..4); the index in [15:8] is an
	 * RTT level (0..3, 0xff) with RMI_ERROR_RTT, 0/1 with REC_ENTER's
	 * RMI_ERROR_REALM, else 0
	 */
	if ((st & 0xffu) > 4u || (st >> 16) != 0u ||
	    ((st & 0xffu) == 4u && (st >> 8) > 3u && (st >> 8) != 0xffu) ||
	    ((st & 0xffu) == 2u && (st >> 8) > (c->fn == 0x15C ? 1u : 0u)) ||
	    ((st & 0xffu) != 4u && (st & 0xffu) != 2u && (st >> 8) != 0u))
		fz_fail("%s answered 0x%llx, outside RmiCommandReturnCode", c->name,
			(unsigned long long)st);
	if (st != RMI_SUCCESS) {
		unchanged(c->name, st);
		return;
	}
	switch (c->fn) {
	case 0x151: t[n++] = (struct trans){ in[1], U, D }; break;
	case 0x152: t[n++] = (struct trans){ in[1], D, U }; break;
	case 0x153: case 0x154: t[n++] = (struct trans){ in[2], D, GRANULE_GSTATE_DATA }; break;
	case 0x155: t[n++] = (struct trans){ out[1], GRANULE_GSTATE_DATA, D }; break;
	case 0x158:
		t[n++] = (struct trans){ in[1], D, GRANULE_GSTATE_RD };
		for (uint32_t k = 0; k < last_realm.rtt_num_start && k < 16u; k++)
			t[n++] = (struct trans){ last_realm.rtt_base + k * G, D, GRANULE_GSTATE_RTT };
		break;
	case 0x15A:
		t[n++] = (struct trans){ in[2], D, GRANULE_GSTATE_REC };
		for (uint64_t k = 0; k < last_rec.num_aux && k < 16u; k++)
			t[n++] = (struct trans){ last_rec.aux[k], D, GRANULE_GSTATE_REC_AUX };
		break;
	case 0x159: case 0x15B: {
		/* the object and what it owned go back to DELEGATED */
		uint32_t obj = c->fn == 0x159 ? GRANULE_GSTATE_RD : GRANULE_GSTATE_REC;
		uint32_t sub = c->fn == 0x159 ? GRANULE_GSTATE_RTT : GRANULE_GSTATE_REC_AUX;

		t[n++] = (struct trans){ in[1], obj, D };
		for (unsigned int i = 0; i < NTRACK; i++)
			if (pre.st[i] == sub && chk.st[i] == D)
				t[n++] = (struct trans){ track_pa(i), sub, D };
		break;
	}
	case 0x15D: t[n++] = (struct trans){ in[2], D, GRANULE_GSTATE_RTT }; break;
	case 0x15E: case 0x166: t[n++] = (struct trans){ out[1], GRANULE_GSTATE_RTT, D }; break;
	default: break;	/* no granule changes state */
	}
	if (n > 16u + 2u)
		abort();
	expect_transitions(c->name, t, n);
}

/* ---- driver ---- */
static const struct fz_rmi_cmd *find_cmd(uint64_t fid)
{
	for (size_t i = 0; i < FZ_NCMDS; i++)
		if (RMI_FID(fz_rmi_cmds[i].fn) == fid)
			return &fz_rmi_cmds[i];
	return NULL;
}

static void one_call(void)
{
	uint8_t c = u8();
	uint64_t in[8] = { 0 }, out[8] = { 0 };
	const struct fz_rmi_cmd *cmd;

	if (c >= 0xf0u && c < 0xf8u) {
		uint8_t f = u8();

		/* EL3 fails the next 1..4 calls of one function */
		sim_el3_fail((enum sim_el3_fn)(f % 2u), 1u + (f >> 6), -1 - (int64_t)(f >> 1) % 6);
		trace("  inject EL3 fault %u x%u\n", f % 2u, 1u + (f >> 6));
		return;
	}
	if (c >= 0xf8u) {
		in[0] = RMI_FID(uraw(2));
		for (unsigned int i = 1; i < 7u; i++)
			in[i] = (c & 1u) != 0u ? sel_val() : 0u;
	} else {
		const struct fz_rmi_cmd *k = &fz_rmi_cmds[c % FZ_NCMDS];

		in[0] = RMI_FID(k->fn);
		for (unsigned int i = 0; k->args[i] != '\0' && i < 6u; i++)
			in[1 + i] = arg(k->args[i]);
	}
	cmd = find_cmd(in[0]);
	pre_take();
	realm_ops = 0;
	trace("  %s(0x%llx, 0x%llx, 0x%llx, 0x%llx, 0x%llx)", cmd != NULL ? cmd->name : "?",
	      (unsigned long long)in[1], (unsigned long long)in[2], (unsigned long long)in[3],
	      (unsigned long long)in[4], (unsigned long long)in[5]);
	sim_rmm_rmi(in, out);
	trace(" -> 0x%llx 0x%llx\n", (unsigned long long)out[0], (unsigned long long)out[1]);
	check_all();
	check_call(cmd, in, out);
	call_no++;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	opt_trace = getenv("ATOLL_FUZZ_TRACE") != NULL;
	sim_machine_init();
	sim_rmm_cold_boot(1);
	sim_realm_script(realm_step);
	if ((size_t)(__svc_state_end - (char *)__svc_state_start) != sizeof(struct svc_states)) {
		fprintf(stderr, "fuzz_rmi: .svc_state holds %zu bytes, struct svc_states %zu\n",
			(size_t)(__svc_state_end - (char *)__svc_state_start),
			sizeof(struct svc_states));
		abort();
	}
	snap_take();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	snap_restore();
	memset(&chk, 0, sizeof(chk));
	memset(&last_realm, 0, sizeof(last_realm));
	memset(&last_rec, 0, sizeof(last_rec));
	cur = (struct in){ data, size };
	call_no = 0;
	check_all();
	while (cur.left != 0u && call_no < MAX_CALLS)
		one_call();
	if (opt_trace)
		fprintf(stderr, "  %u calls, %u invariant checks\n", call_no, invariants_checked);
	return 0;
}
