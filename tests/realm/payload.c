/*
 * Realm test payload: runs RSI/PSCI calls at R-EL1 and reports each result
 * to the host with RSI_HOST_CALL (imm = case number, gprs[0..1] = values),
 * then powers the realm off. The NS test host checks the reports.
 */
#include <stdint.h>

#define RSI_VERSION	0xC4000190ull
#define RSI_FEATURES	0xC4000191ull
#define RSI_HOST_CALL	0xC4000199ull
#define PSCI_VERSION	0x84000000ull
#define PSCI_FEATURES	0x8400000Aull
#define PSCI_SYSTEM_OFF	0x84000008ull
#define HOST_CALL_IPA	0x3000ull

struct host_call {
	uint64_t imm;
	uint64_t gprs[31];
};

#define RSI_MEAS_READ	0xC4000192ull
#define RSI_MEAS_EXTEND	0xC4000193ull
#define RSI_IPA_STATE_GET 0xC4000198ull

#define PSCI_CPU_ON	0xC4000003ull
#define PSCI_AFFINITY	0xC4000004ull
#define PSCI_CPU_OFF	0x84000002ull
#define HOST_CALL_IPA_2	0x3100ull	/* the secondary REC's own host-call structure */
#define RSI_IPA_STATE_SET 0xC4000197ull
#define RSI_ATTEST_INIT	0xC4000194ull
#define RSI_ATTEST_CONTINUE 0xC4000195ull
#define RSI_REALM_CONFIG 0xC4000196ull
#define RSI_SUCCESS	0u
#define RSI_INCOMPLETE	3u

void realm_smc(uint64_t regs[12]);
extern volatile uint64_t realm_exc[4];	/* esr, far, count, resume (vectors.S) */
extern volatile uint64_t realm_irq[2];	/* last INTID, count (vectors.S) */
void realm_try_exec(uint64_t addr);
void realm_secondary(uint64_t ctx);
extern char _secondary[];
void realm_main(uint64_t mode);

static struct host_call *hc_at(uint64_t ipa)
{
	return (struct host_call *)(uintptr_t)ipa;
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

/* Report case `id` to the host through the host-call structure at ipa. */
static uint64_t report_at(uint64_t ipa, uint64_t id, uint64_t a, uint64_t b)
{
	volatile struct host_call *h = hc_at(ipa);

	h->imm = id;
	h->gprs[0] = a;
	h->gprs[1] = b;
	(void)call(RSI_HOST_CALL, ipa, 0, 0);
	return h->gprs[0];
}

/* Report case `id` to the host; returns the host's gprs[0] answer. */
static uint64_t report(uint64_t id, uint64_t a, uint64_t b)
{
	return report_at(HOST_CALL_IPA, id, a, b);
}

/* REC 1, started by REC 0's PSCI CPU_ON: report the context id, power off. */
void realm_secondary(uint64_t ctx)
{
	report_at(HOST_CALL_IPA_2, 20, ctx, 0);
	(void)call(PSCI_CPU_OFF, 0, 0, 0);
}

/* FP: 2.0 + 2.0 in d9 (the RMM switches FP/SIMD lazily on first use). */
static uint64_t fp_twice(uint64_t bits)
{
	uint64_t r;

	__asm__ volatile(".arch_extension fp\n\tfmov d9, %1\n\tfadd d9, d9, d9\n\tfmov %0, d9"
			 : "=r"(r) : "r"(bits));
	return r;
}

static uint64_t fp_read_d9(void)
{
	uint64_t r;

	__asm__ volatile(".arch_extension fp\n\tfmov %0, d9" : "=r"(r));
	return r;
}

/*
 * Mode 1: a realm created with SVE (256-bit vectors) and a PMU (2 counters):
 * what it sees of both, and that its registers survive exits while the
 * host changes its own.
 */
static void sve_pmu_cases(void)
{
	uint64_t pfr0, zfr0, dfr0, pmcr, vl, vl2, vl3, ok = 1, p5 = 0, c0, ccnt, ovs;
	uint8_t z[256];

	__asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
	__asm__ volatile("mrs %0, S3_0_C0_C4_4" : "=r"(zfr0));
	__asm__ volatile("mrs %0, id_aa64dfr0_el1" : "=r"(dfr0));
	__asm__ volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
	report(50, (pfr0 >> 32 & 0xfu) | (dfr0 >> 8 & 0xfu) << 4 | (pmcr >> 11 & 0x1fu) << 8, zfr0);
	/* the vector length: the realm's own choice, capped at the one it was created with */
	__asm__ volatile(".arch_extension sve\n\trdvl %0, #1" : "=r"(vl));
	__asm__ volatile("msr S3_0_C1_C2_0, %0\n\tisb" : : "r"(0xfull));	/* ZCR_EL1 */
	__asm__ volatile(".arch_extension sve\n\trdvl %0, #1" : "=r"(vl2));
	__asm__ volatile("msr S3_0_C1_C2_0, xzr\n\tisb");
	__asm__ volatile(".arch_extension sve\n\trdvl %0, #1" : "=r"(vl3));
	__asm__ volatile("msr S3_0_C1_C2_0, %0\n\tisb" : : "r"(1ull));
	report(51, vl | vl2 << 16 | vl3 << 32, 0);		/* 32, 32, 16 */
	/* z9 and p5 across a host call; the host changes its own meanwhile */
	__asm__ volatile(".arch_extension sve\n\tindex z9.b, #3, #1\n\tptrue p5.d" ::: "memory");
	report(52, 0, 0);
	__asm__ volatile(".arch_extension sve\n\tstr z9, [%0]\n\tstr p5, [%1]" : : "r"(z), "r"(&p5)
			 : "memory");
	for (unsigned int i = 0; i < 32u; i++)
		ok &= z[i] == (uint8_t)(3u + i) ? 1u : 0u;
	report(53, ok, p5);					/* 1, 0x01010101 */
	/* PMU: counter 0 counts software increments, then the cycle counter runs */
	__asm__ volatile("msr pmcr_el0, %0\n\tisb" : : "r"(7ull));	/* E, P, C */
	__asm__ volatile("msr pmselr_el0, xzr\n\tisb\n\tmsr pmxevtyper_el0, xzr");
	__asm__ volatile("msr pmselr_el0, %0\n\tisb\n\tmsr pmxevtyper_el0, xzr" : : "r"(1ull));
	__asm__ volatile("msr pmcntenset_el0, %0\n\tisb" : : "r"((1ull << 31) | 3u));
	for (unsigned int i = 0; i < 3u; i++)
		__asm__ volatile("msr pmswinc_el0, %0\n\tisb" : : "r"(1ull));
	__asm__ volatile("msr pmselr_el0, xzr\n\tisb\n\tmrs %0, pmxevcntr_el0" : "=r"(c0));
	__asm__ volatile("mrs %0, pmccntr_el0" : "=r"(ccnt));
	report(54, c0, ccnt != 0u ? 1u : 0u);			/* 3, 1 */
	for (unsigned int i = 0; i < 2u; i++)
		__asm__ volatile("msr pmswinc_el0, %0\n\tisb" : : "r"(1ull));
	__asm__ volatile("msr pmselr_el0, xzr\n\tisb\n\tmrs %0, pmxevcntr_el0" : "=r"(c0));
	report(55, c0, 0);					/* 5: kept across the exit */
	/* counter 1 overflows with its interrupt enabled: pmu_ovf_status in the exit */
	__asm__ volatile("msr pmselr_el0, %0\n\tisb\n\tmsr pmxevcntr_el0, %1" : : "r"(1ull),
			 "r"(0xffffffffull));
	__asm__ volatile("msr pmintenset_el1, %0\n\tisb" : : "r"(2ull));
	__asm__ volatile("msr pmswinc_el0, %0\n\tisb" : : "r"(2ull));
	__asm__ volatile("mrs %0, pmovsset_el0" : "=r"(ovs));
	report(56, ovs, 0);					/* bit 1; the exit says ACTIVE */
	__asm__ volatile("msr pmovsclr_el0, %0\n\tisb" : : "r"(2ull));
	__asm__ volatile("mrs %0, pmovsset_el0" : "=r"(ovs));
	report(57, ovs, 0);					/* 0; NOT_ACTIVE */
	(void)call(PSCI_SYSTEM_OFF, 0, 0, 0);
}

void realm_main(uint64_t mode)
{
	uint64_t lo = 0, hi = 0, r, answer;

	if (mode == 1u)
		sve_pmu_cases();
	if (mode == 2u) {
		/*
		 * Mode 2: stay in the realm, where another host CPU can see it,
		 * until the host says so through a shared (unprotected) page.
		 */
		volatile uint64_t *shared = (volatile uint64_t *)(uintptr_t)(1ull << 38);

		shared[0] = 1;
		while (shared[0] != 2u)
			;
		report(60, shared[1], 0);
		(void)call(PSCI_SYSTEM_OFF, 0, 0, 0);
	}

	r = call(RSI_VERSION, 0x10000, &lo, &hi);
	report(1, r, lo);					/* 0, 0x10000 */
	r = call(RSI_VERSION, 0x20000, &lo, &hi);
	report(2, r, hi);					/* RSI_ERROR_INPUT, 0x10000 */
	r = call(PSCI_VERSION, 0, 0, 0);
	report(3, r, call(RSI_FEATURES, 0, &lo, 0) | lo);	/* 0x10001, 0 */
	r = call(0xC40001AFull, 0, 0, 0);
	report(4, r, call(PSCI_FEATURES, PSCI_SYSTEM_OFF, 0, 0));	/* SMC_UNKNOWN, 0 */
	r = call(RSI_HOST_CALL, HOST_CALL_IPA + 8, 0, 0);
	report(5, r, call(RSI_HOST_CALL, 1ull << 40, 0, 0));	/* misaligned, outside PAR */
	answer = report(6, 7, 0);				/* host answers in gprs[0] */
	report(7, answer, 0);
	{
		/* REM[0] = H(0 || 01 02 .. 20) (states.md 6.7 step 5) */
		uint64_t m[12] = { RSI_MEAS_EXTEND, 1, 32, 0x0807060504030201ull,
				   0x100f0e0d0c0b0a09ull, 0x1817161514131211ull,
				   0x201f1e1d1c1b1a19ull };
		uint64_t rd[12] = { RSI_MEAS_READ, 1 };

		realm_smc(m);
		realm_smc(rd);
		report(8, m[0] | rd[0], rd[1]);			/* 0, first 8 bytes of REM[0] */
		report(9, rd[5], call(RSI_MEAS_READ, 5, 0, 0));	/* SHA-256: x5 = 0; index 5 -> INPUT */
	}
	{
		uint64_t bad1[12] = { RSI_MEAS_EXTEND, 0, 8 }, bad2[12] = { RSI_MEAS_EXTEND, 1, 65 };

		realm_smc(bad1);
		realm_smc(bad2);
		report(10, bad1[0], bad2[0]);			/* INPUT, INPUT */
	}
	{
		uint64_t g1[12] = { RSI_IPA_STATE_GET, 0, 0x8000 };
		uint64_t g2[12] = { RSI_IPA_STATE_GET, 0x4000, 0x10000 };

		realm_smc(g1);
		realm_smc(g2);
		report(11, g1[1], g1[2]);			/* RAM pages end at 0x4000 */
		report(12, g2[1], g2[2] | (g2[0] << 8));	/* EMPTY up to 0x10000 */
		report(13, call(RSI_IPA_STATE_GET, 0x800, 0, 0), call(RSI_IPA_STATE_GET, 0x4000, 0, 0));
	}
	{
		uint64_t on[12] = { PSCI_CPU_ON, 1, (uint64_t)(uintptr_t)_secondary, 0x77 };
		uint64_t self[12] = { PSCI_CPU_ON, 0, 0x1000, 0 };
		uint64_t bad[12] = { PSCI_CPU_ON, 5, 0x1000, 0 };

		realm_smc(self);
		realm_smc(bad);
		report(14, self[0], bad[0]);			/* ALREADY_ON, INVALID_PARAMETERS */
		realm_smc(on);					/* host completes with SUCCESS */
		report(15, on[0], on[1]);
	}
	{
		/* the host runs REC 1 (it reports, then CPU_OFF) before this query */
		uint64_t aff[12] = { PSCI_AFFINITY, 1, 0 };

		realm_smc(aff);
		report(16, aff[0], call(PSCI_AFFINITY, 0, 0, 0));	/* OFF, self ON */
	}
	{
		/* RIPAS change: [16K, 24K) to RAM, done by the host; [24K, 32K) rejected */
		uint64_t s1[12] = { RSI_IPA_STATE_SET, 0x4000, 0x6000, 1, 0 };
		uint64_t g[12] = { RSI_IPA_STATE_GET, 0x4000, 0x8000 };
		uint64_t s2[12] = { RSI_IPA_STATE_SET, 0x6000, 0x8000, 1, 0 };
		uint64_t b1[12] = { RSI_IPA_STATE_SET, 0x6000, 0x8000, 2, 0 };
		uint64_t b2[12] = { RSI_IPA_STATE_SET, 0x6000, 0x6000, 1, 0 };

		realm_smc(s1);
		report(17, s1[1], s1[2] | s1[0] << 8);		/* 0x6000, ACCEPT, SUCCESS */
		realm_smc(g);
		report(18, g[1], g[2]);				/* 0x6000, RAM */
		realm_smc(s2);
		report(19, s2[1], s2[2]);			/* 0x6000 (no progress), REJECT */
		realm_smc(b1);
		realm_smc(b2);
		report(21, b1[0], b2[0]);			/* INPUT, INPUT (no exits) */
	}
	{
		/* MMIO at the first unprotected IPA: the host emulates both accesses */
		volatile uint32_t *dev = (volatile uint32_t *)(uintptr_t)(1ull << 38);
		uint32_t v;

		dev[3] = 0x5678u;				/* write, 32 bits */
		v = dev[1];					/* read, answered by the host */
		report(22, v, 0);
	}
	{
		/* HVC is UNDEFINED for realms; touching RIPAS EMPTY memory is an SEA */
		volatile uint64_t *empty = (volatile uint64_t *)(uintptr_t)0x10000;
		uint64_t n0 = realm_exc[2], esr_hvc, x;

		__asm__ volatile("hvc #0");
		esr_hvc = realm_exc[0];
		x = *empty;
		report(23, esr_hvc >> 26, realm_exc[2] - n0);	/* EC 0, 2 exceptions */
		report(24, realm_exc[0] >> 26, (realm_exc[0] & 0x3fu) | (x & 0) | realm_exc[1] << 8);
	}
	{
		uint64_t four = fp_twice(0x4000000000000000ull);	/* 2.0 */

		report(25, four, 0);		/* 4.0; the host's d9 must not change */
		report(26, fp_read_d9(), 0);	/* still 4.0 after an exit and re-entry */
	}
	{
		uint64_t pfr0, pfr1, mmfr0, zfr0;

		__asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
		__asm__ volatile("mrs %0, id_aa64pfr1_el1" : "=r"(pfr1));
		__asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
		__asm__ volatile("mrs %0, S3_0_C0_C4_4" : "=r"(zfr0));
		report(27, (pfr0 >> 32 & 0xf) | (pfr1 >> 24 & 0xf) << 4 | zfr0 << 8, mmfr0);
	}
	{
		/* SVE in a realm created without it, and SME (enabled at EL1 here): UNDEFINED */
		uint64_t n0 = realm_exc[2], cpacr, e1, vl = 0;

		__asm__ volatile(".arch_extension sve\n\trdvl %0, #1" : "+r"(vl));
		e1 = realm_exc[0];
		__asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
		__asm__ volatile("msr cpacr_el1, %0\n\tisb" : : "r"(cpacr | (3ull << 24)));
		__asm__ volatile(".arch_extension sme\n\trdsvl %0, #1" : "+r"(vl));
		__asm__ volatile("msr cpacr_el1, %0\n\tisb" : : "r"(cpacr));
		report(43, (e1 >> 26) | (realm_exc[0] >> 26) << 8 | vl << 16, realm_exc[2] - n0);
	}
	{
		/* the host traps WFI: it sees the exit, the realm just goes on */
		__asm__ volatile("dsb sy\n\twfi" ::: "memory");
		report(28, 0, 0);
	}
	{
		/*
		 * The virtual timer fires; the host sees its output change
		 * (RMI_EXIT_IRQ) and injects INTID 27 through a list register;
		 * the realm takes it as a virtual IRQ.
		 */
		uint64_t now, ctl = 0, n0 = realm_irq[1];

		__asm__ volatile("msr S3_0_C4_C6_0, %0" : : "r"(0xffull));	/* ICC_PMR_EL1 */
		__asm__ volatile("msr S3_0_C12_C12_7, %0" : : "r"(1ull));	/* ICC_IGRPEN1_EL1 */
		__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(now));
		__asm__ volatile("msr cntv_cval_el0, %0" : : "r"(now + 100u));
		__asm__ volatile("msr cntv_ctl_el0, %0\n\tisb" : : "r"(1ull));
		while ((ctl & 4u) == 0u)
			__asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(ctl));
		(void)call(RSI_VERSION, 0x10000, 0, 0);	/* re-entry after the IRQ exit */
		__asm__ volatile("msr daifclr, #2\n\tisb\n\tnop\n\tnop\n\tmsr daifset, #2" ::: "memory");
		report(29, realm_irq[0], realm_irq[1] - n0);	/* 27, one interrupt */
	}
	{
		/* an SGI is the host's to send: exit with the value written */
		__asm__ volatile("msr S3_0_C12_C11_5, %0" : : "r"(0x0000000001000002ull));
		report(30, 0, 0);
	}
	{
		/* instruction fetches from unprotected and EMPTY memory: SEA, no exit */
		uint64_t e1, e2;

		realm_try_exec(1ull << 38);
		e1 = realm_exc[0];
		realm_try_exec(0x10000);
		e2 = realm_exc[0];
		report(31, (e1 >> 26) << 8 | (e1 & 0x3fu), (e2 >> 26) << 8 | (e2 & 0x3fu));
		/* RAM without data: the host adds a zero page, which is UDF #0 */
		realm_try_exec(0x5000);
		e1 = realm_exc[0];
		/* beyond the 39-bit IPA space: SEA on a data access */
		e2 = *(volatile uint64_t *)(uintptr_t)(1ull << 39);
		report(32, e1 >> 26, (realm_exc[0] >> 26) << 8 | (realm_exc[0] & 0x3fu) | (e2 & 0));
	}
	{
		/* no PMU and no debug for this realm: the registers read 0 */
		uint64_t pmcr, ccnt, bvr;

		__asm__ volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
		__asm__ volatile("mrs %0, pmccntr_el0" : "=r"(ccnt));
		__asm__ volatile("mrs %0, dbgbvr0_el1" : "=r"(bvr));
		report(33, pmcr | ccnt, bvr);
	}
	{
		/* the host has no device here and injects an SEA */
		volatile uint32_t *dev = (volatile uint32_t *)(uintptr_t)((1ull << 38) + 0x2000u);
		uint32_t v = dev[0];

		report(34, (realm_exc[0] >> 26) << 8 | (realm_exc[0] & 0x3fu) | (v & 0u), realm_exc[1]);
	}
	{
		/* RSI_REALM_CONFIG into the page the host added at 0x5000 */
		volatile uint64_t *cfg = (volatile uint64_t *)(uintptr_t)0x5000;
		uint64_t e1 = call(RSI_REALM_CONFIG, 0x5008, 0, 0);
		uint64_t e2 = call(RSI_REALM_CONFIG, 1ull << 38, 0, 0);
		uint64_t e3 = call(RSI_REALM_CONFIG, 0x10000, 0, 0);
		uint64_t ok = call(RSI_REALM_CONFIG, 0x5000, 0, 0);

		report(35, ok | e1 << 8 | e2 << 16 | e3 << 24, cfg[0] | (cfg[1] & 0xffu) << 8);
		report(36, cfg[0x200 / 8], cfg[0x238 / 8]);		/* RPV words 0 and 7 */
	}
	{
		/*
		 * A CCA token: CONTINUE before INIT, bad arguments, then INIT
		 * and CONTINUE in pieces into the page at 0x5000, with the
		 * virtual timer firing while the token is signed.
		 */
		uint64_t c[12] = { RSI_ATTEST_CONTINUE, 0x5000, 0, 64 };
		uint64_t init[12] = { RSI_ATTEST_INIT };
		uint64_t bad = 0, now, total = 0, incomplete = 0, rounds = 0, st = RSI_INCOMPLETE;
		uint64_t zero = 0;
		volatile uint8_t *tok = (volatile uint8_t *)(uintptr_t)0x3200;	/* up to 0x4000 */
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
		report(37, c[0], bad);			/* STATE; INPUT x5 */
		for (unsigned int i = 0; i < 8u; i++)
			init[1 + i] = 0x0706050403020100ull + 0x0808080808080808ull * i;
		realm_smc(init);
		report(38, init[0], init[1]);		/* SUCCESS, 4096 */
		__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(now));
		__asm__ volatile("msr cntv_cval_el0, %0" : : "r"(now + 2000u));
		__asm__ volatile("msr cntv_ctl_el0, %0\n\tisb" : : "r"(1ull));
		while (st == RSI_INCOMPLETE && rounds++ < 10000u) {
			/* after the first piece, one call with size 0 */
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
				incomplete++;			/* interrupted while signing */
				__asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb");
			}
			if ((st == RSI_SUCCESS || st == RSI_INCOMPLETE) && total + k[1] <= 0xe00u) {
				for (uint64_t j = 0; j < k[1]; j++)
					tok[total + j] = ((volatile uint8_t *)(uintptr_t)0x5000)[off + j];
				total += k[1];
			}
		}
		c[0] = RSI_ATTEST_CONTINUE;
		c[1] = 0x5000;
		c[2] = 0;
		c[3] = 64;
		realm_smc(c);
		report(39, st | c[0] << 8 | (incomplete != 0u ? 1u : 0u) << 16 | zero << 24, total);
		/* hand the token to the host, 240 bytes per host call */
		for (uint64_t o = 0; o < total; o += 240u) {
			volatile struct host_call *h = hc_at(HOST_CALL_IPA);

			h->imm = 40;
			h->gprs[0] = o | (total - o < 240u ? total - o : 240u) << 32;
			for (uint64_t w = 0; w < 30u && o + 8u * w < total; w++)
				h->gprs[1 + w] = ((volatile uint64_t *)(uintptr_t)0x3200)[o / 8u + w];
			(void)call(RSI_HOST_CALL, HOST_CALL_IPA, 0, 0);
		}
	}
	{
		/*
		 * rsi.md 2 for the token and the config: a second token into an
		 * EMPTY page (RSI_ERROR_INPUT, signing kept), then into RAM
		 * without data at 0x4000 (stage-2 exit; the host adds a page and
		 * the call restarts); REALM_CONFIG likewise into 0x6000, made
		 * RAM first through the host.
		 */
		uint64_t init[12] = { RSI_ATTEST_INIT, 1, 2, 3, 4, 5, 6, 7, 8 };
		uint64_t e[12], k[12], s[12] = { RSI_IPA_STATE_SET, 0x6000, 0x7000, 1, 0 };
		volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)0x4000;
		volatile uint64_t *cfg = (volatile uint64_t *)(uintptr_t)0x6000;
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
		       k[1] | (uint64_t)p[0] << 32 | (uint64_t)p[1] << 40 | (uint64_t)p[2] << 48);
		realm_smc(s);
		c = call(RSI_REALM_CONFIG, 0x6000, 0, 0);
		report(42, s[0] | s[2] << 8 | c << 16, cfg[0]);
	}
	(void)call(PSCI_SYSTEM_OFF, 0, 0, 0);
}
