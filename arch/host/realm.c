/*
 * Host twins of the realm-facing assembly: arch/aarch64/realm_entry.S,
 * fpsimd.S and sve.S. The FP/SIMD and SVE register files are arrays per
 * simulated CPU, saved and loaded at the vector length ZCR_EL2 selects.
 *
 * Realm execution is scripted (platform/host/machine.h): arch_realm_run()
 * hands the realm's registers to the script the driver set, which plays the
 * realm up to its next exit. The NS test host sets none, so the conformance
 * tests that run the real payload (tests/nshost/test_run.c) stay out of the
 * host program (platform/host/host.mk); the RMI fuzzer (tests/fuzz/fuzz_rmi.c)
 * scripts its realms from the fuzz input.
 */
#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <host_state.h>
#include <machine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FP_BYTES	528u	/* q0..q31, FPSR, FPCR (struct fp_regs in kernel/rec.c) */
#define ZREG_MAX	256u	/* 2048 bits */
#define PREG_MAX	(ZREG_MAX / 8u)

struct realm_regs;
struct fp_regs;

struct cpu_fp {
	uint8_t fp[FP_BYTES];
	uint8_t z[32][ZREG_MAX];
	uint8_t p[17][PREG_MAX];	/* P0..P15, FFR */
};
static struct cpu_fp fpfile[PLAT_MAX_CPUS];

uint64_t arch_realm_run(struct realm_regs *r);
void arch_fp_save(struct fp_regs *f);
void arch_fp_load(const struct fp_regs *f);
void arch_fp_save_at(uint8_t *p);
void arch_fp_load_at(const uint8_t *p);
void arch_sve_save_z_lo(uint8_t *p);
void arch_sve_save_z_hi(uint8_t *p);
void arch_sve_save_p(uint8_t *p);
void arch_sve_load_z_lo(const uint8_t *p);
void arch_sve_load_z_hi(const uint8_t *p);
void arch_sve_load_p(const uint8_t *p);

static sim_realm_fn script;

void sim_realm_script(sim_realm_fn fn)
{
	script = fn;
}

uint64_t arch_realm_run(struct realm_regs *r)
{
	if (script == NULL) {
		fprintf(stderr, "ERROR: REC_ENTER reached a realm run on CPU %u with no realm "
			"script set\n", arch_cpu_id());
		abort();
	}
	return script((struct sim_vcpu *)(void *)r);
}

#define S2_OA_MASK	0x0000fffffffff000ull
#define S2_NS		(1ull << 55)

static unsigned int level_shift(int level)
{
	return 12u + 9u * (unsigned int)(3 - level);
}

/* One descriptor of a realm's table; RTT granules are poisoned outside a slot mapping. */
static uint64_t rtt_entry(uint64_t pa)
{
	uint64_t e = 0;
	const void *p = sim_pa_ptr(pa, 8);

	if (p == NULL)
		return 0;
	sim_realm_slot_map(pa & ~(SIM_GRANULE - 1u));
	memcpy(&e, p, 8);
	sim_realm_slot_unmap(pa & ~(SIM_GRANULE - 1u));
	return e;
}

bool sim_realm_translate(uint64_t ipa, uint64_t *pa, bool *ns, int *level)
{
	static const int sl0_level[4] = { 2, 1, 0, 3 };
	uint64_t vtcr = read_vtcr_el2(), table = read_vttbr_el2() & S2_OA_MASK;
	unsigned int s2sz = 64u - (unsigned int)(vtcr & 0x3fu);
	int l = sl0_level[(vtcr >> 6) & 3u];

	*level = l;
	if (s2sz < 32u || s2sz > 52u || (ipa >> s2sz) != 0u)
		return false;
	/* the start level's index covers the concatenated root tables */
	for (uint64_t idx = ipa >> level_shift(l);; idx = (ipa >> level_shift(l)) & 511u) {
		uint64_t e = rtt_entry(table + idx * 8u);

		*level = l;
		if ((e & 1u) == 0u || (l == 3 && (e & 3u) != 3u))
			return false;
		if (l < 3 && (e & 3u) == 3u) {
			table = e & S2_OA_MASK;
			l++;
			continue;
		}
		*pa = ((e & S2_OA_MASK) & ~((1ull << level_shift(l)) - 1u)) |
		      (ipa & ((1ull << level_shift(l)) - 1u));
		*ns = (e & S2_NS) != 0u;
		return true;
	}
}

size_t host_realm_regions(struct sim_region *r)
{
	r[0] = (struct sim_region){ fpfile, sizeof(fpfile) };
	return 1;
}

void arch_fp_save_at(uint8_t *p)
{
	memcpy(p, fpfile[arch_cpu_id()].fp, FP_BYTES);
}

void arch_fp_load_at(const uint8_t *p)
{
	memcpy(fpfile[arch_cpu_id()].fp, p, FP_BYTES);
}

void arch_fp_save(struct fp_regs *f)
{
	arch_fp_save_at((uint8_t *)f);
}

void arch_fp_load(const struct fp_regs *f)
{
	arch_fp_load_at((const uint8_t *)f);
}

/* The current vector length in bytes: ZCR_EL2.LEN, capped at the simulated maximum. */
static size_t vl(void)
{
	size_t v = ((read_zcr_el2() & 0xfu) + 1u) * 16u;

	return v > SIM_SVE_VL_BYTES ? SIM_SVE_VL_BYTES : v;
}

static void zsave(uint8_t *p, unsigned int first)
{
	for (unsigned int i = 0; i < 16u; i++)
		memcpy(&p[i * vl()], fpfile[arch_cpu_id()].z[first + i], vl());
}

static void zload(const uint8_t *p, unsigned int first)
{
	for (unsigned int i = 0; i < 16u; i++)
		memcpy(fpfile[arch_cpu_id()].z[first + i], &p[i * vl()], vl());
}

void arch_sve_save_z_lo(uint8_t *p)
{
	zsave(p, 0);
}

void arch_sve_save_z_hi(uint8_t *p)
{
	zsave(p, 16);
}

void arch_sve_load_z_lo(const uint8_t *p)
{
	zload(p, 0);
}

void arch_sve_load_z_hi(const uint8_t *p)
{
	zload(p, 16);
}

void arch_sve_save_p(uint8_t *p)
{
	for (unsigned int i = 0; i < 17u; i++)
		memcpy(&p[i * (vl() / 8u)], fpfile[arch_cpu_id()].p[i], vl() / 8u);
}

void arch_sve_load_p(const uint8_t *p)
{
	for (unsigned int i = 0; i < 17u; i++)
		memcpy(fpfile[arch_cpu_id()].p[i], &p[i * (vl() / 8u)], vl() / 8u);
}

size_t host_arch_regions(struct sim_region *r, size_t max)
{
	size_t (*const parts[])(struct sim_region *) = {
		host_sysreg_regions, host_mmu_regions, host_smc_regions, host_realm_regions,
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (max - n < HOST_STATE_MAX)
			abort();	/* the caller's array is too small: a bug of the driver */
		n += parts[i](&r[n]);
	}
	return n;
}
