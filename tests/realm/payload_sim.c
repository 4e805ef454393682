/*
 * The realm test payload (tests/realm/payload.c) for the host build: the
 * same cases in the same order, written against the simulated realm
 * processor of platform/host/machine.h (rcpu_*) instead of instructions.
 * Every value it reports comes from the RMM through that processor: the
 * RSI answers, the memory the RMM wrote, the registers the RMM emulated or
 * injected, the GIC list registers the host filled. The NS test host's
 * tests/nshost/test_run.c checks the reports, unchanged.
 *
 * Not the payload: the RMM measures this image (realm_payload, two pages)
 * into the RIM, as it measures the firmware's payload.
 */
#include <machine.h>
#include <stdint.h>
#include <string.h>

#define RSI_VERSION	0xC4000190ull
#define RSI_FEATURES	0xC4000191ull
#define RSI_MEAS_READ	0xC4000192ull
#define RSI_MEAS_EXTEND	0xC4000193ull
#define RSI_ATTEST_INIT	0xC4000194ull
#define RSI_ATTEST_CONTINUE 0xC4000195ull
#define RSI_REALM_CONFIG 0xC4000196ull
#define RSI_IPA_STATE_SET 0xC4000197ull
#define RSI_IPA_STATE_GET 0xC4000198ull
#define RSI_HOST_CALL	0xC4000199ull
#define PSCI_VERSION	0x84000000ull
#define PSCI_FEATURES	0x8400000Aull
#define PSCI_CPU_ON	0xC4000003ull
#define PSCI_AFFINITY	0xC4000004ull
#define PSCI_CPU_OFF	0x84000002ull
#define PSCI_SYSTEM_OFF	0x84000008ull
#define HOST_CALL_IPA	0x3000ull
#define HOST_CALL_IPA_2	0x3100ull
#define SECONDARY_PC	0x800ull	/* where payload.c's _secondary would be */
#define RSI_SUCCESS	0u
#define RSI_INCOMPLETE	3u

/* The image the host loads and the RMM measures. */
__asm__(".section .rodata\n"
	".globl realm_payload\n.globl realm_payload_end\n"
	".balign 16\n"
	"realm_payload:\n"
	".ascii \"Atoll host-build realm program (tests/realm/payload_sim.c)\"\n"
	".balign 8192, 0x5a\n"
	"realm_payload_end:\n"
	".previous\n");

/* What payload.c's vectors keep: esr, far, count, resume; last INTID, count. */
static volatile uint64_t realm_exc[4];
static volatile uint64_t realm_irq[2];

static void sync_el1(uint64_t esr, uint64_t far)
{
	realm_exc[0] = esr;
	realm_exc[1] = far;
	realm_exc[2]++;
	realm_exc[3] = 0;
}

static void irq_el1(void)
{
	uint64_t intid = rcpu_mrs(RCPU_ICC_IAR1);

	realm_irq[0] = intid;
	rcpu_msr(RCPU_ICC_EOIR1, intid);
	realm_irq[1]++;
	rcpu_msr(RCPU_CNTV_CTL, 0);
}

static void realm_smc(uint64_t r[12])
{
	rcpu_smc(r);
}

static uint64_t call(uint64_t fid, uint64_t a1, uint64_t *o1, uint64_t *o2)
{
	uint64_t r[12] = { fid, a1, 0 };

	realm_smc(r);
	if (o1 != 0)
		*o1 = r[1];
	if (o2 != 0)
		*o2 = r[2];
	return r[0];
}

static uint64_t ld64(uint64_t ipa)
{
	return rcpu_load(ipa, 8);
}

static void st64(uint64_t ipa, uint64_t v)
{
	rcpu_store(ipa, 8, v);
}

/* Report case `id` through the host-call structure at ipa; the host's gprs[0] answer. */
static uint64_t report_at(uint64_t ipa, uint64_t id, uint64_t a, uint64_t b)
{
	st64(ipa, id);
	st64(ipa + 8u, a);
	st64(ipa + 16u, b);
	(void)call(RSI_HOST_CALL, ipa, 0, 0);
	return ld64(ipa + 8u);
}

static uint64_t report(uint64_t id, uint64_t a, uint64_t b)
{
	return report_at(HOST_CALL_IPA, id, a, b);
}

static void realm_secondary(uint64_t ctx)
{
	report_at(HOST_CALL_IPA_2, 20, ctx, 0);
	(void)call(PSCI_CPU_OFF, 0, 0, 0);
}

static void realm_try_exec(uint64_t addr)
{
	(void)rcpu_exec(addr);
}

/* PMSELR_EL0 = sel, then PMXEVTYPER_EL0 or PMXEVCNTR_EL0 */
static void pmu_sel_write(uint64_t sel, enum rcpu_reg r, uint64_t v)
{
	rcpu_msr(RCPU_PMSELR, sel);
	rcpu_msr(r, v);
}

/* Mode 1: a realm created with SVE (256-bit vectors) and a PMU (2 counters). */
static void sve_pmu_cases(void)
{
	uint64_t pfr0, zfr0, dfr0, pmcr, vl, vl2, vl3, ok = 1, p5 = 0, c0, ccnt, ovs;
	uint8_t z[256] = { 0 }, pb[32] = { 0 };

	pfr0 = rcpu_mrs(RCPU_ID_AA64PFR0);
	zfr0 = rcpu_mrs(RCPU_ID_AA64ZFR0);
	dfr0 = rcpu_mrs(RCPU_ID_AA64DFR0);
	pmcr = rcpu_mrs(RCPU_PMCR);
	report(50, (pfr0 >> 32 & 0xfu) | (dfr0 >> 8 & 0xfu) << 4 | (pmcr >> 11 & 0x1fu) << 8, zfr0);
	vl = rcpu_rdvl();
	rcpu_msr(RCPU_ZCR_EL1, 0xf);
	vl2 = rcpu_rdvl();
	rcpu_msr(RCPU_ZCR_EL1, 0);
	vl3 = rcpu_rdvl();
	rcpu_msr(RCPU_ZCR_EL1, 1);
	report(51, vl | vl2 << 16 | vl3 << 32, 0);
	/* index z9.b, #3, #1; ptrue p5.d */
	for (unsigned int i = 0; i < sizeof(z); i++)
		z[i] = (uint8_t)(3u + i);
	rcpu_sve(9, false, z, true);
	for (unsigned int i = 0; i < sizeof(pb); i++)
		pb[i] = 0x01;
	rcpu_sve(5, true, pb, true);
	report(52, 0, 0);
	memset(z, 0, sizeof(z));
	memset(pb, 0, sizeof(pb));
	rcpu_sve(9, false, z, false);
	rcpu_sve(5, true, pb, false);
	memcpy(&p5, pb, sizeof(p5));
	for (unsigned int i = 0; i < 32u; i++)
		ok &= z[i] == (uint8_t)(3u + i) ? 1u : 0u;
	report(53, ok, p5);
	/* PMU: counter 0 counts software increments, then the cycle counter runs */
	rcpu_msr(RCPU_PMCR, 7);
	pmu_sel_write(0, RCPU_PMXEVTYPER, 0);
	pmu_sel_write(1, RCPU_PMXEVTYPER, 0);
	rcpu_msr(RCPU_PMCNTENSET, (1ull << 31) | 3u);
	for (unsigned int i = 0; i < 3u; i++)
		rcpu_msr(RCPU_PMSWINC, 1);
	rcpu_msr(RCPU_PMSELR, 0);
	c0 = rcpu_mrs(RCPU_PMXEVCNTR);
	ccnt = rcpu_mrs(RCPU_PMCCNTR);
	report(54, c0, ccnt != 0u ? 1u : 0u);
	for (unsigned int i = 0; i < 2u; i++)
		rcpu_msr(RCPU_PMSWINC, 1);
	rcpu_msr(RCPU_PMSELR, 0);
	c0 = rcpu_mrs(RCPU_PMXEVCNTR);
	report(55, c0, 0);
	/* counter 1 overflows with its interrupt enabled: pmu_ovf_status in the exit */
	pmu_sel_write(1, RCPU_PMXEVCNTR, 0xffffffffull);
	rcpu_msr(RCPU_PMINTENSET, 2);
	rcpu_msr(RCPU_PMSWINC, 2);
	ovs = rcpu_mrs(RCPU_PMOVSSET);
	report(56, ovs, 0);
	rcpu_msr(RCPU_PMOVSCLR, 2);
	ovs = rcpu_mrs(RCPU_PMOVSSET);
	report(57, ovs, 0);
	(void)call(PSCI_SYSTEM_OFF, 0, 0, 0);
}

static void realm_main(uint64_t mode)
{
	uint64_t lo = 0, hi = 0, r, answer;

	if (mode == 1u)
		sve_pmu_cases();
	if (mode == 2u) {
		/* stay in the realm until the host says so through a shared page */
		uint64_t shared = 1ull << 38;

		st64(shared, 1);
		while (ld64(shared) != 2u)
			;
		report(60, ld64(shared + 8u), 0);
		(void)call(PSCI_SYSTEM_OFF, 0, 0, 0);
	}

	r = call(RSI_VERSION, 0x10000, &lo, &hi);
	report(1, r, lo);
	r = call(RSI_VERSION, 0x20000, &lo, &hi);
	report(2, r, hi);
	r = call(PSCI_VERSION, 0, 0, 0);
	report(3, r, call(RSI_FEATURES, 0, &lo, 0) | lo);
	r = call(0xC40001AFull, 0, 0, 0);
	report(4, r, call(PSCI_FEATURES, PSCI_SYSTEM_OFF, 0, 0));
	r = call(RSI_HOST_CALL, HOST_CALL_IPA + 8, 0, 0);
	report(5, r, call(RSI_HOST_CALL, 1ull << 40, 0, 0));
	answer = report(6, 7, 0);
	report(7, answer, 0);
	{
		uint64_t m[12] = { RSI_MEAS_EXTEND, 1, 32, 0x0807060504030201ull,
				   0x100f0e0d0c0b0a09ull, 0x1817161514131211ull,
				   0x201f1e1d1c1b1a19ull };
		uint64_t rd[12] = { RSI_MEAS_READ, 1 };

		realm_smc(m);
		realm_smc(rd);
		report(8, m[0] | rd[0], rd[1]);
		report(9, rd[5], call(RSI_MEAS_READ, 5, 0, 0));
	}
	{
		uint64_t bad1[12] = { RSI_MEAS_EXTEND, 0, 8 }, bad2[12] = { RSI_MEAS_EXTEND, 1, 65 };

		realm_smc(bad1);
		realm_smc(bad2);
		report(10, bad1[0], bad2[0]);
	}
	{
		uint64_t g1[12] = { RSI_IPA_STATE_GET, 0, 0x8000 };
		uint64_t g2[12] = { RSI_IPA_STATE_GET, 0x4000, 0x10000 };

		realm_smc(g1);
		realm_smc(g2);
		report(11, g1[1], g1[2]);
		report(12, g2[1], g2[2] | (g2[0] << 8));
		report(13, call(RSI_IPA_STATE_GET, 0x800, 0, 0), call(RSI_IPA_STATE_GET, 0x4000, 0, 0));
	}
	{
		uint64_t on[12] = { PSCI_CPU_ON, 1, SECONDARY_PC, 0x77 };
		uint64_t self[12] = { PSCI_CPU_ON, 0, 0x1000, 0 };
		uint64_t bad[12] = { PSCI_CPU_ON, 5, 0x1000, 0 };

		realm_smc(self);
		realm_smc(bad);
		report(14, self[0], bad[0]);
		realm_smc(on);
		report(15, on[0], on[1]);
	}
	{
		uint64_t aff[12] = { PSCI_AFFINITY, 1, 0 };

		realm_smc(aff);
		report(16, aff[0], call(PSCI_AFFINITY, 0, 0, 0));
	}
	{
		uint64_t s1[12] = { RSI_IPA_STATE_SET, 0x4000, 0x6000, 1, 0 };
		uint64_t g[12] = { RSI_IPA_STATE_GET, 0x4000, 0x8000 };
		uint64_t s2[12] = { RSI_IPA_STATE_SET, 0x6000, 0x8000, 1, 0 };
		uint64_t b1[12] = { RSI_IPA_STATE_SET, 0x6000, 0x8000, 2, 0 };
		uint64_t b2[12] = { RSI_IPA_STATE_SET, 0x6000, 0x6000, 1, 0 };

		realm_smc(s1);
		report(17, s1[1], s1[2] | s1[0] << 8);
		realm_smc(g);
		report(18, g[1], g[2]);
		realm_smc(s2);
		report(19, s2[1], s2[2]);
		realm_smc(b1);
		realm_smc(b2);
		report(21, b1[0], b2[0]);
	}
	{
		/* MMIO at the first unprotected IPA: the host emulates both accesses */
		uint64_t dev = 1ull << 38;
		uint32_t v;

		rcpu_store(dev + 12u, 4, 0x5678u);
		v = (uint32_t)rcpu_load(dev + 4u, 4);
		report(22, v, 0);
	}
	{
		/* HVC is UNDEFINED for realms; touching RIPAS EMPTY memory is an SEA */
		uint64_t n0 = realm_exc[2], esr_hvc, x;

		rcpu_hvc();
		esr_hvc = realm_exc[0];
		x = ld64(0x10000);
		report(23, esr_hvc >> 26, realm_exc[2] - n0);
		report(24, realm_exc[0] >> 26, (realm_exc[0] & 0x3fu) | (x & 0) | realm_exc[1] << 8);
	}
	{
		uint64_t four = rcpu_fp_d9(0x4000000000000000ull, true);	/* 2.0 + 2.0 */

		report(25, four, 0);
		report(26, rcpu_fp_d9(0, false), 0);
	}
	{
		uint64_t pfr0 = rcpu_mrs(RCPU_ID_AA64PFR0), pfr1 = rcpu_mrs(RCPU_ID_AA64PFR1);
		uint64_t mmfr0 = rcpu_mrs(RCPU_ID_AA64MMFR0), zfr0 = rcpu_mrs(RCPU_ID_AA64ZFR0);

		report(27, (pfr0 >> 32 & 0xf) | (pfr1 >> 24 & 0xf) << 4 | zfr0 << 8, mmfr0);
	}
	{
		/* SVE in a realm created without it, and SME: UNDEFINED */
		uint64_t n0 = realm_exc[2], cpacr, e1, vl = 0;

		vl |= rcpu_rdvl();
		e1 = realm_exc[0];
		cpacr = rcpu_mrs(RCPU_CPACR);
		rcpu_msr(RCPU_CPACR, cpacr | (3ull << 24));
		vl |= rcpu_rdsvl();
		rcpu_msr(RCPU_CPACR, cpacr);
		report(43, (e1 >> 26) | (realm_exc[0] >> 26) << 8 | vl << 16, realm_exc[2] - n0);
	}
	{
		rcpu_wfi();
		report(28, 0, 0);
	}
	{
		/* the virtual timer fires; the host injects INTID 27; the realm takes it */
		uint64_t now, ctl = 0, n0 = realm_irq[1];

		rcpu_msr(RCPU_ICC_PMR, 0xff);
		rcpu_msr(RCPU_ICC_IGRPEN1, 1);
		now = rcpu_mrs(RCPU_CNTVCT);
		rcpu_msr(RCPU_CNTV_CVAL, now + 100u);
		rcpu_msr(RCPU_CNTV_CTL, 1);
		while ((ctl & 4u) == 0u)
			ctl = rcpu_mrs(RCPU_CNTV_CTL);
		(void)call(RSI_VERSION, 0x10000, 0, 0);
		rcpu_irq_window();
		report(29, realm_irq[0], realm_irq[1] - n0);
	}
	{
		rcpu_msr(RCPU_ICC_SGI1R, 0x0000000001000002ull);
		report(30, 0, 0);
	}
	{
		uint64_t e1, e2;

		realm_try_exec(1ull << 38);
		e1 = realm_exc[0];
		realm_try_exec(0x10000);
		e2 = realm_exc[0];
		report(31, (e1 >> 26) << 8 | (e1 & 0x3fu), (e2 >> 26) << 8 | (e2 & 0x3fu));
		realm_try_exec(0x5000);
		e1 = realm_exc[0];
		e2 = ld64(1ull << 39);
		report(32, e1 >> 26, (realm_exc[0] >> 26) << 8 | (realm_exc[0] & 0x3fu) | (e2 & 0));
	}
	{
		uint64_t pmcr = rcpu_mrs(RCPU_PMCR), ccnt = rcpu_mrs(RCPU_PMCCNTR);
		uint64_t bvr = rcpu_mrs(RCPU_DBGBVR0);

		report(33, pmcr | ccnt, bvr);
	}
	{
		uint32_t v = (uint32_t)rcpu_load((1ull << 38) + 0x2000u, 4);

		report(34, (realm_exc[0] >> 26) << 8 | (realm_exc[0] & 0x3fu) | (v & 0u), realm_exc[1]);
	}
	{
		uint64_t e1 = call(RSI_REALM_CONFIG, 0x5008, 0, 0);
		uint64_t e2 = call(RSI_REALM_CONFIG, 1ull << 38, 0, 0);
		uint64_t e3 = call(RSI_REALM_CONFIG, 0x10000, 0, 0);
		uint64_t ok = call(RSI_REALM_CONFIG, 0x5000, 0, 0);

		report(35, ok | e1 << 8 | e2 << 16 | e3 << 24, ld64(0x5000) | (ld64(0x5008) & 0xffu) << 8);
		report(36, ld64(0x5000 + 0x200), ld64(0x5000 + 0x238));
	}
	{
		uint64_t c[12] = { RSI_ATTEST_CONTINUE, 0x5000, 0, 64 };
		uint64_t init[12] = { RSI_ATTEST_INIT };
		uint64_t bad = 0, now, total = 0, incomplete = 0, rounds = 0, st = RSI_INCOMPLETE;
		uint64_t zero = 0;
		static const uint64_t args[5][3] = {
			{ 0x5008, 0, 64 }, { 0x5000, 4096, 0 }, { 0x5000, 4000, 97 },
			{ 0x5000, 8, ~0ull }, { 1ull << 38, 0, 64 },
		};

		realm_smc(c);
		for (unsigned int i = 0; i < 5u; i++) {
			uint64_t b[12] = { RSI_ATTEST_CONTINUE, args[i][0], args[i][1], args[i][2] };

			realm_smc(b);
			bad |= b[0] << (4u * i);
		}
		report(37, c[0], bad);
		for (unsigned int i = 0; i < 8u; i++)
			init[1 + i] = 0x0706050403020100ull + 0x0808080808080808ull * i;
		realm_smc(init);
		report(38, init[0], init[1]);
		now = rcpu_mrs(RCPU_CNTVCT);
		rcpu_msr(RCPU_CNTV_CVAL, now + 2000u);
		rcpu_msr(RCPU_CNTV_CTL, 1);
		while (st == RSI_INCOMPLETE && rounds++ < 10000u) {
			uint64_t size = total != 0u && zero == 0u ? 0u : 700u;
			uint64_t off = total % 1000u;
			uint64_t k[12] = { RSI_ATTEST_CONTINUE, 0x5000, off, size };

			realm_smc(k);
			st = k[0];
			if (size == 0u) {
				zero = 1u | (st == RSI_INCOMPLETE && k[1] == 0u ? 2u : 0u);
				continue;
			}
			if (st == RSI_INCOMPLETE && k[1] == 0u && total == 0u) {
				incomplete++;
				rcpu_msr(RCPU_CNTV_CTL, 0);
			}
			if ((st == RSI_SUCCESS || st == RSI_INCOMPLETE) && total + k[1] <= 0xe00u) {
				for (uint64_t j = 0; j < k[1]; j++)
					rcpu_store(0x3200u + total + j, 1,
						   rcpu_load(0x5000u + off + j, 1));
				total += k[1];
			}
		}
		c[0] = RSI_ATTEST_CONTINUE;
		c[1] = 0x5000;
		c[2] = 0;
		c[3] = 64;
		realm_smc(c);
		report(39, st | c[0] << 8 | (incomplete != 0u ? 1u : 0u) << 16 | zero << 24, total);
		for (uint64_t o = 0; o < total; o += 240u) {
			st64(HOST_CALL_IPA, 40);
			st64(HOST_CALL_IPA + 8u, o | (total - o < 240u ? total - o : 240u) << 32);
			for (uint64_t w = 0; w < 30u && o + 8u * w < total; w++)
				st64(HOST_CALL_IPA + 16u + 8u * w, ld64(0x3200u + o + 8u * w));
			(void)call(RSI_HOST_CALL, HOST_CALL_IPA, 0, 0);
		}
	}
	{
		uint64_t init[12] = { RSI_ATTEST_INIT, 1, 2, 3, 4, 5, 6, 7, 8 };
		uint64_t e[12], k[12], s[12] = { RSI_IPA_STATE_SET, 0x6000, 0x7000, 1, 0 };
		uint64_t c;

		realm_smc(init);
		do {
			e[0] = RSI_ATTEST_CONTINUE;
			e[1] = 0x10000;
			e[2] = 0;
			e[3] = 64;
			realm_smc(e);
		} while (e[0] == RSI_INCOMPLETE && e[1] == 0u);
		k[0] = RSI_ATTEST_CONTINUE;
		k[1] = 0x4000;
		k[2] = 0;
		k[3] = 4096;
		realm_smc(k);
		report(41, init[0] | e[0] << 8 | k[0] << 16,
		       k[1] | rcpu_load(0x4000, 1) << 32 | rcpu_load(0x4001, 1) << 40 |
		       rcpu_load(0x4002, 1) << 48);
		realm_smc(s);
		c = call(RSI_REALM_CONFIG, 0x6000, 0, 0);
		report(42, s[0] | s[2] << 8 | c << 16, ld64(0x6000));
	}
	(void)call(PSCI_SYSTEM_OFF, 0, 0, 0);
}

static const struct sim_realm_prog program = {
	.main = realm_main,
	.secondary = realm_secondary,
	.secondary_pc = SECONDARY_PC,
	.sync_el1 = sync_el1,
	.irq_el1 = irq_el1,
};

void realm_program_install(void);
void realm_program_install(void)
{
	sim_realm_program(&program);
}
