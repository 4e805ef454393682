/*
 * Seeds for the whole-monitor fuzzer from the conformance tests (issue 8
 * item 3): with ATOLL_SIM_RECORD=<dir>, the host build's test program
 * writes, per test, the RMI calls CPU 0 made and every exit its realms
 * made into <dir>/<test>, in the fuzzer's input format
 * (tests/fuzz/rmi_format.h). Granules are renumbered into the fuzzer's
 * pool in the order the test first names them; parameter pages become the
 * fuzzer's, field by field; realm exits become realm actions with their
 * raw arguments. What the format cannot say (host writes to other pages,
 * realm memory accesses that do not exit, other CPUs) is left out, so a
 * recording replays approximately; it is a seed, not a test.
 * `make fuzz-rmi-seeds` writes tests/fuzz/corpus-rmi/conformance-*.
 */
#include "host.h"
#include "record.h"

#include <machine.h>
#include <stdio.h>
#include <string.h>

#include "../fuzz/rmi_format.h"

#define MAX_GRANULES	FZ_POOL
#define BUF_MAX		65536u

static struct {
	bool on;
	FILE *f;
	uint64_t pa[MAX_GRANULES];
	unsigned int n;
	bool full;		/* more granules than the pool: the rest is not recorded */
	uint8_t buf[BUF_MAX];
	size_t len;
} rec;

static void put(uint8_t b)
{
	if (rec.len < BUF_MAX)
		rec.buf[rec.len++] = b;
}

static void put64(uint64_t v)
{
	for (unsigned int i = 0; i < 8u; i++)
		put((uint8_t)(v >> (8u * i)));
}

/* A DRAM granule's pool index, given in the order of first use; -1 if the pool is full. */
static int pool_index(uint64_t pa)
{
	for (unsigned int i = 0; i < rec.n; i++)
		if (rec.pa[i] == pa)
			return (int)i;
	if (rec.n == MAX_GRANULES) {
		rec.full = true;
		return -1;
	}
	rec.pa[rec.n] = pa;
	return (int)rec.n++;
}

static bool in_dram(uint64_t pa)
{
	return sim_pa_ptr(pa, 1) != NULL;
}

static void put_pa(uint64_t pa)
{
	int i;

	if (pa == RMM_IMAGE_BASE) {
		put(FZ_PA_RMM);
	} else if (pa == RMM_SHARED_PAGE) {
		put(FZ_PA_SHARED);
	} else if (pa == 0u) {
		put(FZ_PA_ZERO);
	} else if (!in_dram(pa)) {
		put(FZ_PA_PAST_DRAM);
	} else if ((pa & 0xfffu) != 0u && (pa & 7u) == 0u &&
		   (i = pool_index(pa & ~0xfffull)) >= 0) {
		put(FZ_PA_UNALIGNED);
		put((uint8_t)i);
		put((uint8_t)((pa & 0xfffu) / 8u - 1u));
	} else if ((pa & 0xfffu) == 0u && (i = pool_index(pa)) >= 0) {
		put((uint8_t)i);
	} else {
		put(FZ_PA_RAW);
		put64(pa);
	}
}

/* An NS pointer: the fuzzer's page of that kind, or a pool granule, or unaligned. */
static void put_ns(uint64_t pa)
{
	int i;

	if ((pa & 0xfffu) != 0u) {
		put(FZ_NS_UNALIGNED);
	} else if (in_dram(pa) && sim_gpt_get(pa) != SIM_PAS_NS && (i = pool_index(pa)) >= 0) {
		put(FZ_NS_POOL);
		put((uint8_t)i);
	} else {
		put(0);
	}
}

static void put_ipa(uint64_t ipa)
{
	put(FZ_IPA_RAW);
	put64(ipa);
}

static void put_val(uint64_t v)
{
	if (v < 0x80u) {
		put((uint8_t)v);
	} else {
		put(FZ_VAL_RAW);
		put64(v);
	}
}

static void put_level(uint64_t l)
{
	put((int64_t)l >= -1 && (int64_t)l <= 4 ? (uint8_t)((int64_t)l + 1) : 0xf0u);
	if ((int64_t)l < -1 || (int64_t)l > 4)
		put64(l);
}

/* The page the host wrote its parameters into, if the host can write it (NS). */
static const uint64_t *page(uint64_t pa)
{
	if (!in_dram(pa) || sim_gpt_get(pa & ~0xfffull) != SIM_PAS_NS)
		return NULL;
	return sim_pa_ptr(pa & ~0xfffull, 4096);
}

static void put_realm_params(uint64_t pa)
{
	const uint64_t *p = page(pa);
	uint32_t s2sz = p != NULL ? (uint32_t)p[1] : 0u;
	unsigned int s = 0;

	for (unsigned int i = 0; i < 8u; i++)
		if (fz_s2sz[i] == s2sz)
			s = i;
	put(p != NULL ? (uint8_t)((p[0] & 7u) | 0x08u) : 0x08u);
	put((uint8_t)s);
	put(p != NULL ? (uint8_t)p[2] : 0);	/* sve_vl */
	put(p != NULL ? (uint8_t)p[3] : 2);	/* num_bps */
	put(p != NULL ? (uint8_t)p[4] : 2);	/* num_wps */
	put(p != NULL ? (uint8_t)p[5] : 0);	/* pmu_num_ctrs */
	put(p != NULL ? (uint8_t)p[6] : 0);	/* hash_algo */
	put(p != NULL ? (uint8_t)p[0x400 / 8] : 0);
	put(p != NULL ? (uint8_t)(p[0x800 / 8] & 0xffffu) : 0);
	put_pa(p != NULL ? p[0x808 / 8] : 0);
	put_level(p != NULL ? p[0x810 / 8] : 0);
	put(p != NULL ? (uint8_t)p[0x818 / 8] : 0);
	put_ns(pa);
}

static void put_rec_params(uint64_t pa)
{
	const uint64_t *p = page(pa);
	uint64_t mpidr = p != NULL ? p[0x100 / 8] : 0, n = p != NULL ? p[0x800 / 8] : 0;

	put((uint8_t)((p != NULL ? p[0] & 1u : 0u) | (mpidr > 3u ? 0x80u : 0u)));
	if (mpidr > 3u)
		put64(mpidr);
	else
		put((uint8_t)mpidr);
	put(p != NULL ? (uint8_t)p[0x300 / 8] : 0);
	put((uint8_t)(n > 17u ? 17u : n));
	for (uint64_t i = 0; p != NULL && i < n && i < 16u; i++)
		put_pa(p[0x808 / 8 + i]);
	put_ns(pa);
}

static void put_run(uint64_t pa)
{
	const uint64_t *p = page(pa);
	uint8_t f = p != NULL ? (uint8_t)(p[0] & 0x0fu) : 0u;
	int lr = -1;

	if (p != NULL && p[0x300 / 8] != 0u)
		f |= 0x10u;
	for (unsigned int i = 0; p != NULL && i < 16u; i++)
		if (p[0x308 / 8 + i] != 0u)
			lr = (int)i;
	if (lr >= 0)
		f |= 0x20u;
	put(f);
	put(p != NULL ? (uint8_t)p[0x200 / 8] : 0);
	put(p != NULL ? (uint8_t)p[0x208 / 8] : 0);
	if ((f & 0x10u) != 0u)
		put64(p[0x300 / 8]);
	if (lr >= 0) {
		put((uint8_t)lr);
		put64(p[0x308 / 8 + (unsigned int)lr]);
	}
	put_ns(pa);
}

void record_rmi(const uint64_t in[8])
{
	uint64_t fid = in[0] & ~(1ull << 16);
	const struct fz_rmi_cmd *c = NULL;
	unsigned int idx = 0;

	if (!rec.on || rec.full || host_this_cpu() != 0u)
		return;
	for (unsigned int i = 0; i < FZ_NCMDS; i++)
		if ((0xC4000000ull | fz_rmi_cmds[i].fn) == fid) {
			c = &fz_rmi_cmds[i];
			idx = i;
		}
	if (c == NULL)
		return;
	put((uint8_t)idx);
	for (unsigned int a = 0; c->args[a] != '\0'; a++) {
		uint64_t v = in[1u + a];

		switch (c->args[a]) {
		case 'P': put_pa(v); break;
		case 'N': put_ns(v); break;
		case 'R': put_realm_params(v); break;
		case 'C': put_rec_params(v); break;
		case 'U': put_run(v); break;
		case 'I': put_ipa(v); break;
		case 'L': put_level(v); break;
		case 'D':
			/* raw (selector bits 0 and 1: an NS page byte, then 8 bytes) */
			put(0x03u);
			put(0);
			put64(v);
			break;
		default: put_val(v); break;
		}
	}
}

/* The realm actions that replay one exit (fuzz_rmi.c realm_step()). */
static void record_exit(const struct sim_vcpu *v, uint64_t kind)
{
	uint64_t ec = v->esr >> 26, iss = v->esr & 0x1ffffffu;

	if (!rec.on || rec.full)
		return;
	if (kind == SIM_EXC_IRQ) {
		put(FZ_R_IRQ);
		return;
	}
	if (kind != SIM_EXC_SYNC) {
		put(FZ_R_ASYNC);
		put(kind == SIM_EXC_FIQ ? 1u : 0u);
		return;
	}
	switch (ec) {
	case 0x17: {
		unsigned int f = 0xf0u;

		for (unsigned int i = 0; i < FZ_NFIDS; i++)
			if (fz_rsi_fids[i] == v->x[0])
				f = i;
		put(FZ_R_SMC);
		put((uint8_t)f);
		if (f == 0xf0u) {
			put((uint8_t)v->x[0]);
			put((uint8_t)(v->x[0] >> 8));
		}
		for (unsigned int i = 1; i < 5u; i++) {
			put(0x80);
			put(FZ_VAL_RAW);
			put64(v->x[i]);
		}
		return;
	}
	case 0x24: {
		unsigned int sas = (unsigned int)((iss >> 22) & 3u), srt = (unsigned int)((iss >> 16) & 31u);
		bool write = (iss & (1u << 6)) != 0u, isv = (iss & (1u << 24)) != 0u;

		put(FZ_R_ACCESS);
		put((uint8_t)(sas | (write ? 4u : 0u) | (isv ? 0u : 0x40u)));
		put_ipa(v->far);
		put((uint8_t)srt);
		put(0);
		if (write && srt != 31u)
			put((uint8_t)v->x[srt]);
		return;
	}
	case 0x18: {
		unsigned int op0 = (unsigned int)(iss >> 20) & 3u, op2 = (unsigned int)(iss >> 17) & 7u;
		unsigned int op1 = (unsigned int)(iss >> 14) & 7u, crn = (unsigned int)(iss >> 10) & 15u;
		unsigned int rt = (unsigned int)(iss >> 5) & 31u, crm = (unsigned int)(iss >> 1) & 15u;
		unsigned int which = 0;

		for (unsigned int i = 0; i < FZ_NSYSREGS; i++)
			if (fz_sysregs[i][0] == op0 && fz_sysregs[i][1] == op1 && fz_sysregs[i][2] == crn &&
			    fz_sysregs[i][3] == crm && fz_sysregs[i][4] == op2)
				which = i;
		put(FZ_R_SYSREG);
		put((uint8_t)which);
		put((uint8_t)(rt | ((iss & 1u) != 0u ? 0x80u : 0u)));
		if (rt != 31u) {
			put((uint8_t)v->x[rt]);
			put(0);
		}
		return;
	}
	case 0x01: put(FZ_R_WFX); put((uint8_t)(iss & 1u)); return;
	case 0x16: put(FZ_R_HVC); return;
	case 0x07: put(FZ_R_FP); put(0); return;
	case 0x19: put(FZ_R_FP); put(1); return;
	case 0x1d: put(FZ_R_FP); put(2); return;
	case 0x20: put(FZ_R_IABT); put_ipa(v->far); return;
	default: put(FZ_R_IRQ); return;
	}
}

static void observe(unsigned int cpu, const struct sim_vcpu *v, uint64_t kind)
{
	if (cpu == 0u)
		record_exit(v, kind);
}

void record_begin(const char *dir, const char *test)
{
	char path[512];

	memset(&rec, 0, sizeof(rec));
	if (dir == NULL || strncmp(test, "child_", 6) == 0)
		return;
	snprintf(path, sizeof(path), "%s/conformance-%s", dir, test);
	rec.f = fopen(path, "wb");
	rec.on = rec.f != NULL;
	sim_realm_observe(observe);
}

void record_end(void)
{
	if (!rec.on)
		return;
	if (rec.len != 0u)
		fwrite(rec.buf, 1, rec.len, rec.f);
	fclose(rec.f);
	rec.on = false;
}
