/*
 * Host twins of the realm-facing assembly: arch/aarch64/realm_entry.S,
 * fpsimd.S and sve.S. The FP/SIMD and SVE register files are arrays per
 * simulated CPU, saved and loaded at the vector length ZCR_EL2 selects.
 *
 * Realm execution is not simulated in this step: arch_realm_run() ends the
 * program, and the conformance tests that run a realm (tests/nshost/test_run.c)
 * are not built into the host program (platform/host/host.mk).
 */
#include <arch/cpu.h>
#include <arch/sysreg.h>
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

uint64_t arch_realm_run(struct realm_regs *r)
{
	(void)r;
	fprintf(stderr, "ERROR: REC_ENTER reached a realm run on CPU %u: realm execution is not "
		"simulated by the host build yet\n", arch_cpu_id());
	abort();
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
