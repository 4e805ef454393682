/*
 * Running a realm: the test payload (tests/realm) is loaded with
 * DATA_CREATE, run with REC_ENTER, answers RSI calls inside the RMM, talks
 * to the host through RSI_HOST_CALL and ends with PSCI SYSTEM_OFF.
 */
#include "realm_util.h"

#define RMI_REC_CREATE		0xC400015Aull
#define RMI_REC_DESTROY		0xC400015Bull
#define RMI_REC_ENTER		0xC400015Cull
#define EXIT_PSCI		3u
#define ENTER_TRAP_WFI		(1ull << 2)
#define EXIT_HOST_CALL		5u
#define PSCI_SYSTEM_OFF_FID	0x84000008ull

extern const uint8_t realm_payload[], realm_payload_end[];

#define RMI_PSCI_COMPLETE	0xC4000164ull
#define RMI_RTT_SET_RIPAS	0xC4000169ull
#define EXIT_RIPAS_CHANGE	4u
#define PSCI_CPU_ON_64		0xC4000003ull
#define PSCI_AFFINITY_64	0xC4000004ull
#define PSCI_CPU_OFF		0x84000002ull

struct run_realm {
	struct test_realm r;
	uint64_t l2, l3, data[4], rec, aux[16], run;
	uint64_t rec1, aux1[16], run1;
	uint64_t extra;		/* DATA_CREATE_UNKNOWN at 0x5000 after an instruction abort, or 0 */
	uint64_t extra2, extra3;	/* the same at 0x4000 and 0x6000 after stage-2 exits of RSI calls */
};

/* A realm with the payload; flags/sve_vl/pmu as RmiRealmParams; REC 0 starts with x0 = mode. */
static bool build_with(struct run_realm *x, uint64_t vmid, bool activate, uint64_t flags,
		       uint64_t sve_vl, uint64_t pmu, uint64_t mode)
{
	uint64_t src = host_granule(), params = host_granule();
	uint64_t *p = host_page(params);
	const uint8_t *b = realm_payload;
	uint8_t *s = (uint8_t *)host_page(src);
	bool ok = realm_new_with(&x->r, vmid, flags, sve_vl, pmu);

	size_t len = (size_t)(realm_payload_end - realm_payload);
	x->l2 = delegated_granule();
	x->l3 = delegated_granule();
	ok = ok && smc6(RMI_RTT_CREATE, x->r.rd, x->l2, 0, 2, 0).x[0] == RMI_SUCCESS &&
	     smc6(RMI_RTT_CREATE, x->r.rd, x->l3, 0, 3, 0).x[0] == RMI_SUCCESS &&
	     smc6(RMI_RTT_INIT_RIPAS, x->r.rd, 0, 0x4000, 0, 0).x[0] == RMI_SUCCESS;
	for (unsigned int i = 0; i < 4u; i++) {
		x->data[i] = delegated_granule();
		/* pages 0 and 1: the payload image; 2 and 3: zero (stack, host-call structures) */
		host_zero(src);
		for (size_t k = 0; k < 4096u && 4096u * i + k < len; k++)
			s[k] = b[4096u * i + k];
		ok = ok && smc6(RMI_DATA_CREATE, x->r.rd, x->data[i], 0x1000ull * i, src, 1).x[0] ==
			   RMI_SUCCESS;
	}
	x->rec = delegated_granule();
	host_zero(params);
	p[0] = 1;			/* runnable */
	p[0x300 / 8] = mode;
	p[0x800 / 8] = 16;
	for (unsigned int i = 0; i < 16u; i++) {
		x->aux[i] = delegated_granule();
		p[0x808 / 8 + i] = x->aux[i];
	}
	ok = ok && smc6(RMI_REC_CREATE, x->r.rd, x->rec, params, 0, 0).x[0] == RMI_SUCCESS;
	/* REC 1: not runnable, waits for PSCI CPU_ON */
	x->rec1 = delegated_granule();
	p[0] = 0;
	p[0x100 / 8] = 1;
	for (unsigned int i = 0; i < 16u; i++) {
		x->aux1[i] = delegated_granule();
		p[0x808 / 8 + i] = x->aux1[i];
	}
	ok = ok && smc6(RMI_REC_CREATE, x->r.rd, x->rec1, params, 0, 0).x[0] == RMI_SUCCESS;
	x->run = host_granule();
	x->run1 = host_granule();
	x->extra = 0;
	x->extra2 = 0;
	x->extra3 = 0;
	if (activate)
		ok = ok && smc1(RMI_REALM_ACTIVATE, x->r.rd).x[0] == RMI_SUCCESS;
	return ok;
}

static bool build(struct run_realm *x, uint64_t vmid, bool activate)
{
	return build_with(x, vmid, activate, 0, 0, 0, 0);
}

static bool teardown(struct run_realm *x)
{
	bool ok = smc1(RMI_REC_DESTROY, x->rec).x[0] == RMI_SUCCESS &&
		  smc1(RMI_REC_DESTROY, x->rec1).x[0] == RMI_SUCCESS;

	for (unsigned int i = 0; i < 16u; i++)
		ok = ok && rmi_undelegate(x->aux1[i]) == RMI_SUCCESS;
	ok = ok && rmi_undelegate(x->rec1) == RMI_SUCCESS;

	for (unsigned int i = 0; i < 4u; i++)
		ok = ok && smc6(RMI_DATA_DESTROY, x->r.rd, 0x1000ull * i, 0, 0, 0).x[0] == RMI_SUCCESS;
	if (x->extra != 0u)
		ok = ok && smc6(RMI_DATA_DESTROY, x->r.rd, 0x5000, 0, 0, 0).x[0] == RMI_SUCCESS &&
		     rmi_undelegate(x->extra) == RMI_SUCCESS;
	if (x->extra2 != 0u)
		ok = ok && smc6(RMI_DATA_DESTROY, x->r.rd, 0x4000, 0, 0, 0).x[0] == RMI_SUCCESS &&
		     rmi_undelegate(x->extra2) == RMI_SUCCESS;
	if (x->extra3 != 0u)
		ok = ok && smc6(RMI_DATA_DESTROY, x->r.rd, 0x6000, 0, 0, 0).x[0] == RMI_SUCCESS &&
		     rmi_undelegate(x->extra3) == RMI_SUCCESS;
	ok = ok && smc6(RMI_RTT_DESTROY, x->r.rd, 0, 3, 0, 0).x[0] == RMI_SUCCESS &&
	     smc6(RMI_RTT_DESTROY, x->r.rd, 0, 2, 0, 0).x[0] == RMI_SUCCESS &&
	     smc1(RMI_REALM_DESTROY, x->r.rd).x[0] == RMI_SUCCESS;
	for (unsigned int i = 0; i < 4u; i++)
		ok = ok && rmi_undelegate(x->data[i]) == RMI_SUCCESS;
	for (unsigned int i = 0; i < 16u; i++)
		ok = ok && rmi_undelegate(x->aux[i]) == RMI_SUCCESS;
	return ok && rmi_undelegate(x->rec) == RMI_SUCCESS && rmi_undelegate(x->l3) == RMI_SUCCESS &&
	       rmi_undelegate(x->l2) == RMI_SUCCESS && rmi_undelegate(x->r.root) == RMI_SUCCESS &&
	       rmi_undelegate(x->r.rd) == RMI_SUCCESS;
}

static const char *const report_name[44] = {
	"", "RSI_VERSION(1.0) status/lower", "RSI_VERSION(2.0) status/higher",
	"PSCI_VERSION / RSI_FEATURES", "unknown SMC / PSCI_FEATURES(SYSTEM_OFF)",
	"HOST_CALL misaligned / outside PAR", "host call answered by the host",
	"the host's answer seen by the realm", "MEASUREMENT_EXTEND+READ REM[0] head",
	"REM[0] bytes 32..39 / READ(5)", "EXTEND(0) / EXTEND(size 65)",
	"IPA_STATE_GET [0, 32K): top / RIPAS", "IPA_STATE_GET [16K, 64K): top / RIPAS",
	"IPA_STATE_GET misaligned / base >= end", "CPU_ON self / unknown REC",
	"CPU_ON REC 1 completed by the host", "AFFINITY_INFO REC 1 / self",
	"IPA_STATE_SET RAM [16K,24K): new base / response", "IPA_STATE_GET [16K,32K): top / RIPAS",
	"IPA_STATE_SET RAM [24K,32K) rejected: new base / response", "",
	"IPA_STATE_SET ripas 2 / empty range", "MMIO read emulated by the host",
	"HVC: injected EC / exceptions taken", "RIPAS EMPTY read: injected EC / DFSC + FAR<<8",
	"FP 2.0 + 2.0 in the realm", "realm d9 after an exit and re-entry",
	"ID registers: SVE/SME/ZFR0 seen / MMFR0",
	"WFI trapped to the host, realm resumed",
	"virtual timer IRQ taken: INTID / count",
	"SGI write forwarded, realm resumed",
	"fetch from unprotected / EMPTY: injected EC<<8|IFSC",
	"fetch from unassigned RAM then UDF: EC / data beyond IPA space: EC<<8|DFSC",
	"PMCR|PMCCNTR / DBGBVR0 as the realm reads them",
	"unprotected read answered with INJECT_SEA: EC<<8|DFSC / FAR",
	"REALM_CONFIG ok|bad<<8|outside<<16|EMPTY<<24 / ipa_width|algo<<8",
	"REALM_CONFIG RPV words 0 / 7",
	"token CONTINUE before INIT / 5 bad arguments (4 bits each)",
	"token INIT status / max size",
	"token done|STATE after<<8|interrupted<<16|size-0<<24 / bytes",
	"", "token 2: INIT|EMPTY buffer<<8|after a stage-2 exit<<16 / bytes|head<<32",
	"RIPAS [24K,28K) status|response<<8|REALM_CONFIG after a stage-2 exit<<16 / ipa_width",
	"SVE / SME instruction in a realm without them: EC|EC<<8|result<<16 / exceptions",
};

static void narrate(const char *what, uint64_t a)
{
	hlock();
	hputs("host: ");
	hputs(what);
	hput_hex(a);
	hputs("\n");
	hunlock();
}

/* Run REC 1 (started by CPU_ON) until it powers itself off. */
static void run_secondary(struct tctx *t, struct run_realm *x, uint64_t (*got)[2])
{
	uint64_t *run = host_page(x->run1);

	host_zero(x->run1);
	EXPECT_EQ(smc6(RMI_REC_ENTER, x->rec1, x->run1, 0, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(run[0x800 / 8], EXIT_HOST_CALL);
	EXPECT_EQ(run[0xE00 / 8], 20);
	got[20][0] = run[0xA00 / 8];
	narrate("REC 1 started by CPU_ON, context id ", got[20][0]);
	run[0x200 / 8] = 0;
	EXPECT_EQ(smc6(RMI_REC_ENTER, x->rec1, x->run1, 0, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(run[0x800 / 8], EXIT_PSCI);
	EXPECT_EQ(run[0xA00 / 8], PSCI_CPU_OFF);
	/* powered off: not runnable any more */
	EXPECT_EQ(smc6(RMI_REC_ENTER, x->rec1, x->run1, 0, 0, 0).x[0], RMI_ERROR_REC);
}

static uint8_t token[4096];
static uint64_t token_len;

TEST(realm_runs_rsi_host_calls_and_system_off)
{
	struct run_realm x;
	uint64_t got[44][2] = { { 0 } };
	uint8_t z10[256], p5[32];
	uint64_t vl = host_sve_init();
	unsigned int s2exit = 0;
	unsigned int wfi = 0, irq = 0, sgi = 0, iabt = 0, sea = 0;
	uint64_t host_d9 = 0x1122334455667788ull, d9_after = 0;
	unsigned int mmio = 0;
	uint64_t *run;
	unsigned int entries = 0;
	bool off = false;

	EXPECT_TRUE(build(&x, 60, true));
	narrate("realm created and activated, payload measured into the RIM; rd = ", x.r.rd);
	run = host_page(x.run);
	host_zero(x.run);
	/* the host's FP/SIMD registers must survive the realm's use of its own */
	/* ... and its SVE registers, beyond the 128 bits FP/SIMD writes touch */
	if (vl != 0u)
		host_sve_set(0x40);
	host_fp_d9_set(host_d9);
	while (!off && entries++ < 160u) {
		struct smc_res r = smc6(RMI_REC_ENTER, x.rec, x.run, 0, 0, 0);

		run[0] = ENTER_TRAP_WFI;	/* enter flags apply to one entry */

		EXPECT_EQ(r.x[0], RMI_SUCCESS);
		if (r.x[0] != RMI_SUCCESS)
			break;
		if (run[0x800 / 8] == EXIT_HOST_CALL && run[0xE00 / 8] == 40u) {
			/* a piece of the CCA token: gprs[0] = offset | length << 32 */
			uint64_t o = run[0xA00 / 8] & 0xffffffffu, n = run[0xA00 / 8] >> 32;

			EXPECT_TRUE(o + n <= sizeof(token) && n <= 240u);
			for (uint64_t i = 0; i < n && o + i < sizeof(token); i++)
				token[o + i] = ((const uint8_t *)&run[0xA08 / 8])[i];
			if (o + n > token_len && o + n <= sizeof(token))
				token_len = o + n;
			run[0x200 / 8] = 0;
			continue;
		}
		if (run[0x800 / 8] == EXIT_HOST_CALL) {
			uint64_t imm = run[0xE00 / 8];

			/* only the host-call fields: no syndrome, no RIPAS fields */
			EXPECT_EQ(run[0x900 / 8] | run[0x908 / 8] | run[0x910 / 8], 0);
			EXPECT_EQ(run[0xD00 / 8] | run[0xD08 / 8] | run[0xD10 / 8], 0);

			if (imm == 29u) {
				/* the realm EOId the interrupt: LR0 invalid again, timer off */
				EXPECT_EQ(run[0xB08 / 8] >> 62, 0);
				EXPECT_EQ(run[0xB08 / 8] & 0xffffffffu, 27);
				EXPECT_EQ(run[0xC10 / 8] & 1u, 0);
				EXPECT_TRUE((run[0xB90 / 8] & 2u) != 0u);	/* VMCR.VENG1 */
				run[0x308 / 8] = 0;
			}
			if (imm < 44u && imm != 20u && imm != 40u) {
				got[imm][0] = run[0xA00 / 8];
				got[imm][1] = run[0xA08 / 8];
				hlock();
				hputs("realm: ");
				hputs(report_name[imm]);
				hputs(": ");
				hput_hex(got[imm][0]);
				hputs(" ");
				hput_hex(got[imm][1]);
				hputs("\n");
				hunlock();
			}
			run[0x200 / 8] = imm == 6u ? 0x1234u : 0u;	/* the host's answer */
			if (imm == 15u)
				run_secondary(t, &x, got);
		} else if (run[0x800 / 8] == EXIT_PSCI && run[0xA00 / 8] == PSCI_CPU_ON_64) {
			EXPECT_EQ(run[0xA08 / 8], 1);		/* target MPIDR */
			/* RMI_PSCI_COMPLETE failures first: wrong target, bad status */
			EXPECT_EQ(smc6(RMI_PSCI_COMPLETE, x.rec, x.rec, 0, 0, 0).x[0], RMI_ERROR_INPUT);
			EXPECT_EQ(smc6(RMI_PSCI_COMPLETE, x.rec, x.rec1, 5, 0, 0).x[0], RMI_ERROR_INPUT);
			EXPECT_EQ(smc6(RMI_PSCI_COMPLETE, x.rec + 8, x.rec1, 0, 0, 0).x[0], RMI_ERROR_INPUT);
			/* REC_ENTER of the caller is refused while the request is pending (check 8) */
			EXPECT_EQ(smc6(RMI_REC_ENTER, x.rec, x.run, 0, 0, 0).x[0], RMI_ERROR_REC);
			/* REC 1 is not runnable yet (check 7) */
			EXPECT_EQ(smc6(RMI_REC_ENTER, x.rec1, x.run1, 0, 0, 0).x[0], RMI_ERROR_REC);
			EXPECT_EQ(smc6(RMI_PSCI_COMPLETE, x.rec, x.rec1, 0, 0, 0).x[0], RMI_SUCCESS);
			EXPECT_EQ(smc6(RMI_PSCI_COMPLETE, x.rec, x.rec1, 0, 0, 0).x[0], RMI_ERROR_INPUT);
		} else if (run[0x800 / 8] == 0u && run[0x900 / 8] == ((0x24ull << 26) | 0x07u)) {
			/* an RSI call writes RAM without data (rsi.md 2): level 3, no FAR */
			uint64_t ipa = run[0x910 / 8] << 8;

			EXPECT_EQ(run[0x908 / 8] | run[0xA00 / 8], 0);
			EXPECT_TRUE(ipa == 0x4000u || ipa == 0x6000u);
			if (s2exit++ == 0u) {
				/* not mapped yet: the call restarts and exits again */
				EXPECT_EQ(ipa, 0x4000);
				continue;
			}
			if (ipa == 0x4000u && x.extra2 == 0u) {
				x.extra2 = delegated_granule();
				EXPECT_EQ(smc6(RMI_DATA_CREATE_UNKNOWN, x.r.rd, x.extra2, 0x4000, 0, 0).x[0],
					  RMI_SUCCESS);
			} else if (ipa == 0x6000u && x.extra3 == 0u) {
				x.extra3 = delegated_granule();
				EXPECT_EQ(smc6(RMI_DATA_CREATE_UNKNOWN, x.r.rd, x.extra3, 0x6000, 0, 0).x[0],
					  RMI_SUCCESS);
			}
			continue;
		} else if (run[0x800 / 8] == 0u && (run[0x900 / 8] >> 26) == 0x24u &&
			   run[0x910 / 8] == ((1ull << 38) + 0x2000u) >> 8) {
			/* no device there: the host answers with an SEA */
			EXPECT_EQ((run[0x900 / 8] >> 24) & 1u, 1);
			run[0] |= 2;				/* INJECT_SEA */
			sea++;
			continue;
		} else if (run[0x800 / 8] == 0u && (run[0x900 / 8] >> 26) == 0x24u) {
			uint64_t esr = run[0x900 / 8];

			/* an emulatable abort: ISV, size 32 bits, the page offset, nothing else */
			EXPECT_EQ((esr >> 24) & 1u, 1);
			EXPECT_EQ((esr >> 22) & 3u, 2);
			EXPECT_EQ((esr >> 16) & 0x1fu, 0);		/* SRT hidden from the host */
			EXPECT_EQ(run[0x910 / 8], (1ull << 38) >> 8);	/* HPFAR */
			if (mmio++ == 0u) {
				EXPECT_EQ((esr >> 6) & 1u, 1);		/* write */
				EXPECT_EQ(run[0x908 / 8], 12);		/* offset */
				EXPECT_EQ(run[0xA00 / 8], 0x5678);	/* value written */
				run[0x200 / 8] = 0;
			} else {
				EXPECT_EQ((esr >> 6) & 1u, 0);		/* read */
				EXPECT_EQ(run[0x908 / 8], 4);
				EXPECT_EQ(run[0xA00 / 8], 0);
				run[0x200 / 8] = 0xffffffff0000abcdull;	/* high half must not leak */
			}
			run[0] |= 1;				/* EMUL_MMIO */
			continue;
		} else if (run[0x800 / 8] == 0u && (run[0x900 / 8] >> 26) == 0x01u) {
			/* WFI: EC and TI only */
			EXPECT_EQ(run[0x900 / 8], 0x01ull << 26);
			EXPECT_EQ(run[0x908 / 8] | run[0x910 / 8] | run[0xA00 / 8], 0);
			wfi++;
		} else if (run[0x800 / 8] == 1u) {
			/* a timer output changed: its state, nothing else */
			EXPECT_EQ(run[0x900 / 8] | run[0x908 / 8] | run[0x910 / 8] | run[0xA00 / 8], 0);
			if (irq++ == 0u) {
				EXPECT_EQ(run[0xC10 / 8], 5);		/* ENABLE | ISTATUS */
				EXPECT_TRUE(run[0xC18 / 8] != 0u);
				/* inject INTID 27: pending, group 1, priority 0xa0 */
				run[0x308 / 8] = (1ull << 62) | (1ull << 60) | (0xa0ull << 48) | 27u;
			}
		} else if (run[0x800 / 8] == 0u && (run[0x900 / 8] >> 26) == 0x18u) {
			/* ICC_SGI1R_EL1 write: full syndrome, the value in gprs[0] */
			EXPECT_EQ(run[0x900 / 8] & 0x3ffc1fu, 0x3a3016u);	/* op0 3 op1 0 C12 C11 5, write */
			EXPECT_EQ(run[0xA00 / 8], 0x1000002);
			EXPECT_EQ(run[0x908 / 8] | run[0x910 / 8] | run[0xA08 / 8], 0);
			sgi++;
		} else if (run[0x800 / 8] == 0u && (run[0x900 / 8] >> 26) == 0x20u) {
			/* fetch from RAM without data: translation fault, level 3 */
			EXPECT_EQ(run[0x900 / 8], (0x20ull << 26) | 0x07u);
			EXPECT_EQ(run[0x910 / 8], 0x5000u >> 8);
			EXPECT_EQ(run[0x908 / 8] | run[0xA00 / 8], 0);
			if (x.extra == 0u) {
				x.extra = delegated_granule();
				EXPECT_EQ(smc6(RMI_DATA_CREATE_UNKNOWN, x.r.rd, x.extra, 0x5000, 0, 0).x[0],
					  RMI_SUCCESS);
			}
			iabt++;
		} else if (run[0x800 / 8] == EXIT_RIPAS_CHANGE && run[0xD00 / 8] == 0x4000) {
			struct smc_res sr;

			EXPECT_EQ(run[0xD08 / 8], 0x6000);
			EXPECT_EQ(run[0xD10 / 8], 1);
			/* RTT_SET_RIPAS failures in order, then the real thing */
			EXPECT_EQ(smc6(RMI_RTT_SET_RIPAS, x.r.rd, x.rec, 0x4000, 0x4000, 0).x[0],
				  RMI_ERROR_INPUT);			/* size */
			EXPECT_EQ(smc6(RMI_RTT_SET_RIPAS, x.rec, x.rec, 0x4000, 0x6000, 0).x[0],
				  RMI_ERROR_INPUT);			/* rd */
			EXPECT_EQ(smc6(RMI_RTT_SET_RIPAS, x.r.rd, x.r.root, 0x4000, 0x6000, 0).x[0],
				  RMI_ERROR_INPUT);			/* rec */
			EXPECT_EQ(smc6(RMI_RTT_SET_RIPAS, x.r.rd, x.rec, 0x5000, 0x6000, 0).x[0],
				  RMI_ERROR_INPUT);			/* base != ripas_addr */
			EXPECT_EQ(smc6(RMI_RTT_SET_RIPAS, x.r.rd, x.rec, 0x4000, 0x7000, 0).x[0],
				  RMI_ERROR_INPUT);			/* top > ripas_top */
			EXPECT_EQ(smc6(RMI_RTT_SET_RIPAS, x.r.rd, x.rec1, 0x4000, 0x6000, 0).x[0],
				  RMI_ERROR_INPUT);			/* REC 1 has no request */
			sr = smc6(RMI_RTT_SET_RIPAS, x.r.rd, x.rec, 0x4000, 0x6000, 0);
			EXPECT_EQ(sr.x[0], RMI_SUCCESS);
			EXPECT_EQ(sr.x[1], 0x6000);
			EXPECT_EQ(rtt_read(&x.r, 0x5000, 3).x[4], 1);	/* RAM now */
			EXPECT_EQ(smc6(RMI_RTT_SET_RIPAS, x.r.rd, x.rec, 0x4000, 0x6000, 0).x[0],
				  RMI_ERROR_INPUT);			/* already done */
		} else if (run[0x800 / 8] == EXIT_RIPAS_CHANGE && run[0xD00 / 8] == 0x6000 &&
			   run[0xD08 / 8] == 0x7000) {
			EXPECT_EQ(smc6(RMI_RTT_SET_RIPAS, x.r.rd, x.rec, 0x6000, 0x7000, 0).x[0],
				  RMI_SUCCESS);
		} else if (run[0x800 / 8] == EXIT_RIPAS_CHANGE) {
			run[0] |= 1u << 4;		/* RIPAS_RESPONSE = REJECT, nothing changed */
			continue;
		} else if (run[0x800 / 8] == EXIT_PSCI && run[0xA00 / 8] == PSCI_AFFINITY_64) {
			EXPECT_EQ(smc6(RMI_PSCI_COMPLETE, x.rec, x.rec1, (uint64_t)-3, 0, 0).x[0],
				  RMI_ERROR_INPUT);		/* AFFINITY_INFO takes SUCCESS only */
			EXPECT_EQ(smc6(RMI_PSCI_COMPLETE, x.rec, x.rec1, 0, 0, 0).x[0], RMI_SUCCESS);
		} else if (run[0x800 / 8] == EXIT_PSCI) {
			EXPECT_EQ(run[0xA00 / 8], PSCI_SYSTEM_OFF_FID);
			off = true;
		} else {
			EXPECT_EQ(run[0x800 / 8], EXIT_HOST_CALL);	/* unexpected exit */
			hputs("  unexpected exit, esr ");
			hput_hex(run[0x900 / 8]);
			hputs("\n");
			break;
		}
	}
	d9_after = host_fp_d9_get();
	EXPECT_EQ(d9_after, host_d9);
	EXPECT_TRUE(vl >= 32u);		/* QEMU max has SVE */
	if (vl != 0u) {
		bool same = true;

		host_sve_get(z10, p5);
		/* all of z10, beyond the 128 bits the realm's FP use overwrote */
		for (uint64_t i = 0; i < vl && i < sizeof(z10); i++)
			same = same && z10[i] == (uint8_t)(0x40u + i);
		for (uint64_t i = 0; i < vl / 8u && i < sizeof(p5); i++)
			same = same && p5[i] == 0x11u;
		EXPECT_TRUE(same);
	}
	EXPECT_TRUE(off);
	narrate("realm called PSCI SYSTEM_OFF after REC_ENTER round trips: ", entries);
	EXPECT_EQ(got[1][0], 0);		/* RSI_VERSION 1.0: success */
	EXPECT_EQ(got[1][1], 0x10000);
	EXPECT_EQ(got[2][0], 1);		/* RSI_VERSION 2.0: RSI_ERROR_INPUT */
	EXPECT_EQ(got[2][1], 0x10000);
	EXPECT_EQ(got[3][0], 0x10001);		/* PSCI 1.1 */
	EXPECT_EQ(got[3][1], 0);		/* RSI_FEATURES: no feature bits */
	EXPECT_EQ(got[4][0], SMC_UNKNOWN);
	EXPECT_EQ(got[4][1], 0);		/* PSCI_FEATURES(SYSTEM_OFF) */
	EXPECT_EQ(got[5][0], 1);		/* host call IPA misaligned */
	EXPECT_EQ(got[5][1], 1);		/* outside the PAR */
	EXPECT_EQ(got[7][0], 0x1234);		/* the host's answer came back */
	EXPECT_EQ(got[8][0], 0);		/* extend then read: both RSI_SUCCESS */
	EXPECT_EQ(got[8][1], 0x084cdc6a5b4c8f0bull);	/* states.md 6.7 step 5, bytes 0..7 */
	EXPECT_EQ(got[9][0], 0);		/* SHA-256: bytes 32..63 are zero */
	EXPECT_EQ(got[9][1], 1);		/* index 5: RSI_ERROR_INPUT */
	EXPECT_EQ(got[10][0], 1);		/* index 0 */
	EXPECT_EQ(got[10][1], 1);		/* size 65 */
	EXPECT_EQ(got[11][0], 0x4000);		/* four RAM pages from 0 */
	EXPECT_EQ(got[11][1], 1);		/* RAM */
	EXPECT_EQ(got[12][0], 0x10000);		/* EMPTY run capped at end */
	EXPECT_EQ(got[12][1], 0);		/* EMPTY, RSI_SUCCESS */
	EXPECT_EQ(got[13][0], 1);
	EXPECT_EQ(got[13][1], 1);
	EXPECT_EQ(got[14][0], (uint64_t)-4);	/* CPU_ON of itself: ALREADY_ON */
	EXPECT_EQ(got[14][1], (uint64_t)-2);	/* no REC 5: INVALID_PARAMETERS */
	EXPECT_EQ(got[15][0], 0);		/* completed with SUCCESS */
	EXPECT_EQ(got[15][1], 0);		/* x1..x3 cleared */
	EXPECT_EQ(got[20][0], 0x77);		/* REC 1 got its context id in x0 */
	EXPECT_EQ(got[16][0], 1);		/* AFFINITY_INFO: REC 1 OFF again */
	EXPECT_EQ(got[16][1], 0);		/* self: ON */
	EXPECT_EQ(got[17][0], 0x6000);		/* fully applied */
	EXPECT_EQ(got[17][1], 0);		/* ACCEPT, RSI_SUCCESS */
	EXPECT_EQ(got[18][0], 0x6000);
	EXPECT_EQ(got[18][1], 1);		/* RAM */
	EXPECT_EQ(got[19][0], 0x6000);		/* no progress */
	EXPECT_EQ(got[19][1], 1);		/* REJECT */
	EXPECT_EQ(got[21][0], 1);
	EXPECT_EQ(got[21][1], 1);
	EXPECT_EQ(mmio, 2);
	EXPECT_EQ(got[22][0], 0xabcd);		/* 32-bit read: the upper half was dropped */
	EXPECT_EQ(got[23][0], 0);		/* HVC -> UNDEFINED (EC 0) */
	EXPECT_EQ(got[23][1], 2);		/* the HVC and the EMPTY read, no host exit */
	EXPECT_EQ(got[24][0], 0x25);		/* data abort, same EL */
	EXPECT_EQ(got[24][1], 0x10u | (0x10000u << 8));	/* SEA, FAR = the address */
	EXPECT_EQ(got[25][0], 0x4010000000000000ull);	/* 4.0 */
	EXPECT_EQ(got[26][0], 0x4010000000000000ull);	/* the realm's d9 was kept */
	EXPECT_EQ(got[27][0], 0);		/* no SVE, no SME, ZFR0 0, although QEMU max has SVE */
	EXPECT_EQ(got[27][1], host_read_id(ID_MMFR0));	/* the rest is the CPU's */
	EXPECT_TRUE(((host_read_id(ID_PFR0) >> 32) & 0xfu) != 0u);	/* so the test means something */
	EXPECT_EQ(got[43][0], 0);		/* EC 0 twice (UNDEFINED), no result */
	EXPECT_EQ(got[43][1], 2);
	EXPECT_EQ(wfi, 1);			/* one trapped WFI */
	EXPECT_TRUE(irq >= 2u);			/* case 29, and while the token was signed */
	EXPECT_EQ(got[29][0], 27);		/* the realm acknowledged the injected INTID */
	EXPECT_EQ(got[29][1], 1);
	EXPECT_EQ(sgi, 1);
	EXPECT_EQ(got[31][0], (0x21u << 8) | 0x10u);	/* instruction abort, same EL, SEA */
	EXPECT_EQ(got[31][1], (0x21u << 8) | 0x10u);
	EXPECT_EQ(iabt, 1);
	EXPECT_EQ(got[32][0], 0);		/* the zero page: UDF, EC 0 */
	EXPECT_EQ(got[32][1], (0x25u << 8) | 0x10u);	/* data beyond the IPA space: SEA */
	EXPECT_EQ(got[33][0], 0);		/* no PMU for realms: trapped, reads 0 */
	EXPECT_EQ(got[33][1], 0);
	EXPECT_TRUE(((host_read_id(ID_PMCR) >> 11) & 0x1fu) != 0u);	/* the host has counters */
	EXPECT_EQ(sea, 1);
	EXPECT_EQ(got[34][0], (0x25u << 8) | 0x10u);	/* the host's SEA, as a data abort */
	EXPECT_EQ(got[34][1], (1ull << 38) + 0x2000u);
	EXPECT_EQ(got[35][0], 0x01010100);	/* SUCCESS; INPUT for misaligned, outside PAR, EMPTY */
	EXPECT_EQ(got[35][1], 39);		/* 39-bit IPA space, SHA-256 */
	EXPECT_EQ(got[36][0], 0x5250560000000000ull);
	EXPECT_EQ(got[36][1], 0x5250560000000007ull);
	EXPECT_EQ(got[37][0], 2);		/* RSI_ERROR_STATE */
	EXPECT_EQ(got[37][1], 0x11111);		/* RSI_ERROR_INPUT for each */
	EXPECT_EQ(got[38][0], 0);
	EXPECT_EQ(got[38][1], 4096);
	/* delivered, then STATE; interrupted at least once; size 0 gave INCOMPLETE with 0 bytes */
	EXPECT_EQ(got[39][0], 0 | 2u << 8 | 1u << 16 | 3u << 24);
	EXPECT_EQ(got[39][1], token_len);
	EXPECT_TRUE(token_len > 1518u + 500u && token_len < 4096u);
	/* INIT; EMPTY buffer: INPUT; after the stage-2 exit, the whole token at once */
	EXPECT_EQ(got[41][0], 0 | 1u << 8 | 0u << 16);
	EXPECT_EQ(got[41][1], token_len | 0xd9ull << 32 | 0x01ull << 40 | 0x8full << 48);
	EXPECT_EQ(s2exit, 3);			/* 0x4000 twice (once unanswered), 0x6000 once */
	EXPECT_TRUE(x.extra2 != 0u && x.extra3 != 0u);
	EXPECT_EQ(got[42][0], 0 | 0u << 8 | 0u << 16);	/* accepted; REALM_CONFIG SUCCESS */
	EXPECT_EQ(got[42][1], 39);
	EXPECT_EQ(token[0], 0xd9);		/* tag 399 */
	EXPECT_EQ(token[1], 0x01);
	EXPECT_EQ(token[2], 0x8f);
	hlock();
	for (uint64_t i = 0; i < token_len; i += 64u) {
		hputs("token: ");
		for (uint64_t j = i; j < i + 64u && j < token_len; j++) {
			static const char hex[] = "0123456789abcdef";
			char c[3] = { hex[token[j] >> 4], hex[token[j] & 15u], 0 };

			hputs(c);
		}
		hputs("\n");
	}
	hunlock();
	/* SYSTEM_OFF is final */
	EXPECT_EQ(smc6(RMI_REC_ENTER, x.rec, x.run, 0, 0, 0).x[0], RMI_ERROR_REALM | (1u << 8));
	EXPECT_TRUE(teardown(&x));
	narrate("realm torn down, every granule undelegated; rd = ", x.r.rd);
}

TEST(rec_enter_failures_in_order)
{
	struct run_realm x;
	uint64_t ns = host_granule();

	EXPECT_TRUE(build(&x, 61, false));
	/* 1: run_ptr must be an NS granule */
	EXPECT_EQ(smc6(RMI_REC_ENTER, x.rec, x.data[1], 0, 0, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_REC_ENTER, x.rec, x.run + 8, 0, 0, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_REC_ENTER, x.rec, 0x1000, 0, 0, 0).x[0], RMI_ERROR_INPUT);
	/* 2: rec must be a REC */
	EXPECT_EQ(smc6(RMI_REC_ENTER, ns, x.run, 0, 0, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_REC_ENTER, x.r.rd, x.run, 0, 0, 0).x[0], RMI_ERROR_INPUT);
	/* 1 before 2 */
	EXPECT_EQ(smc6(RMI_REC_ENTER, ns, x.data[1], 0, 0, 0).x[0], RMI_ERROR_INPUT);
	/* 5: realm NEW */
	EXPECT_EQ(smc6(RMI_REC_ENTER, x.rec, x.run, 0, 0, 0).x[0], RMI_ERROR_REALM);
	EXPECT_EQ(smc1(RMI_REALM_ACTIVATE, x.r.rd).x[0], RMI_SUCCESS);
	/* 9: host bits outside the allowed ICH_HCR mask, HW bit in a valid LR */
	host_zero(x.run);
	host_page(x.run)[0x300 / 8] = 1;			/* En is the RMM's */
	EXPECT_EQ(smc6(RMI_REC_ENTER, x.rec, x.run, 0, 0, 0).x[0], RMI_ERROR_REC);
	host_zero(x.run);
	host_page(x.run)[0x308 / 8] = (1ull << 62) | (1ull << 61) | 40;
	EXPECT_EQ(smc6(RMI_REC_ENTER, x.rec, x.run, 0, 0, 0).x[0], RMI_ERROR_REC);
	{
		/* the other list-register rules of structures.md 6.1 */
		static const uint64_t bad_lr[] = {
			(1ull << 62) | (0xa1ull << 48) | 40,	/* unimplemented priority bit */
			(1ull << 62) | (1ull << 32) | 40,	/* pINTID without HW */
			(1ull << 62) | 1020,			/* special INTID */
			(1ull << 62) | 5000,			/* extended SPI: not offered */
			(3ull << 62) | 0x2000000,		/* beyond 24 ID bits */
		};
		uint64_t *p = host_page(x.run);

		for (unsigned int i = 0; i < sizeof(bad_lr) / sizeof(bad_lr[0]); i++) {
			host_zero(x.run);
			p[0x308 / 8 + 1] = bad_lr[i];
			EXPECT_EQ(smc6(RMI_REC_ENTER, x.rec, x.run, 0, 0, 0).x[0], RMI_ERROR_REC);
		}
		host_zero(x.run);
		p[0x308 / 8] = (1ull << 62) | 33;
		p[0x308 / 8 + 2] = (2ull << 62) | 33;			/* the same vINTID twice */
		EXPECT_EQ(smc6(RMI_REC_ENTER, x.rec, x.run, 0, 0, 0).x[0], RMI_ERROR_REC);
		host_zero(x.run);
		p[0x300 / 8] = 1u << 15;				/* not a host bit */
		EXPECT_EQ(smc6(RMI_REC_ENTER, x.rec, x.run, 0, 0, 0).x[0], RMI_ERROR_REC);
	}
	/* 10/11: INJECT_SEA / EMUL_MMIO without a data abort to complete */
	host_zero(x.run);
	host_page(x.run)[0] = 2;
	EXPECT_EQ(smc6(RMI_REC_ENTER, x.rec, x.run, 0, 0, 0).x[0], RMI_ERROR_REC);
	host_page(x.run)[0] = 1;
	EXPECT_EQ(smc6(RMI_REC_ENTER, x.rec, x.run, 0, 0, 0).x[0], RMI_ERROR_REC);
	/* nothing ran: the first good entry gets the payload's first report */
	host_zero(x.run);
	{
		/* accepted: the EOI bit, an LPI, host bits, and LRs past the implemented ones */
		uint64_t *p = host_page(x.run);

		p[0x300 / 8] = 0x40feu;
		p[0x308 / 8] = (1ull << 62) | (1ull << 41) | (1ull << 60) | 8192;
		p[0x308 / 8 + 15] = (1ull << 62) | (1ull << 61) | 40;	/* QEMU has 4 LRs */
	}
	EXPECT_EQ(smc6(RMI_REC_ENTER, x.rec, x.run, 0, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(host_page(x.run)[0x800 / 8], EXIT_HOST_CALL);
	EXPECT_EQ(host_page(x.run)[0xE00 / 8], 1);
	/* every exit carries the GIC state: the LR came back, still pending; nothing past LR 3 */
	EXPECT_EQ(host_page(x.run)[0xB08 / 8], (1ull << 62) | (1ull << 41) | (1ull << 60) | 8192);
	EXPECT_EQ(host_page(x.run)[0xB08 / 8 + 15], 0);
	EXPECT_EQ(host_page(x.run)[0xB00 / 8] & 0x40feu, 0x40feu);
	EXPECT_TRUE(teardown(&x));
}

static const char *const sve_pmu_name[8] = {
	"ID: SVE|PMUVer<<4|PMCR.N<<8 / ZFR0", "vector length: own | at ZCR_EL1 15 <<16 | at 0 <<32",
	"z9/p5 set, exit", "z9 kept / p5", "PMU: counter 0 / cycle counter running",
	"counter 0 after an exit", "counter 1 overflowed: PMOVSSET", "overflow cleared: PMOVSSET",
};

/*
 * A realm created with SVE (256-bit vectors) and a PMU (2 counters): it sees
 * them, keeps its vector registers and counters across exits while the host
 * changes its own, and the host's survive the realm.
 */
TEST(sve_pmu_realm_keeps_state)
{
	struct run_realm x;
	uint64_t got[8][2] = { { 0 } }, ovf[8] = { 0 };
	uint64_t vl = host_sve_init(), ctrs = (host_read_id(ID_PMCR) >> 11) & 0x1fu;
	uint64_t c0 = 0, t0 = 0, sel = 0;
	uint8_t z10[256], p5[32];
	uint64_t *run;
	unsigned int entries = 0;
	bool off = false;

	EXPECT_TRUE(vl >= 32u && ctrs >= 2u);
	if (vl < 32u || ctrs < 2u)
		return;
	EXPECT_TRUE(build_with(&x, 62, true, 6, 1, 2, 1));
	run = host_page(x.run);
	host_zero(x.run);
	host_sve_set(0x90);
	host_pmu_set(0x777, 0x11, 1);
	while (!off && entries++ < 32u) {
		struct smc_res r = smc6(RMI_REC_ENTER, x.rec, x.run, 0, 0, 0);

		EXPECT_EQ(r.x[0], RMI_SUCCESS);
		if (r.x[0] != RMI_SUCCESS)
			break;
		if (run[0x800 / 8] == EXIT_HOST_CALL && run[0xE00 / 8] >= 50u && run[0xE00 / 8] < 58u) {
			uint64_t i = run[0xE00 / 8] - 50u;

			got[i][0] = run[0xA00 / 8];
			got[i][1] = run[0xA08 / 8];
			ovf[i] = run[0xF00 / 8];
			hlock();
			hputs("realm (SVE, PMU): ");
			hputs(sve_pmu_name[i]);
			hputs(": ");
			hput_hex(got[i][0]);
			hputs(" ");
			hput_hex(got[i][1]);
			hputs("\n");
			hunlock();
			/* the host changes its own vector register and counter meanwhile */
			host_sve_set(0xa0u + (unsigned int)i);
			host_pmu_set(0x880u + i, 0x11, 1);
			run[0x200 / 8] = 0;
		} else if (run[0x800 / 8] == EXIT_PSCI) {
			EXPECT_EQ(run[0xA00 / 8], PSCI_SYSTEM_OFF_FID);
			off = true;
		} else if (run[0x800 / 8] != 1u) {	/* IRQ exits just re-enter */
			EXPECT_EQ(run[0x800 / 8], EXIT_HOST_CALL);
			break;
		}
	}
	EXPECT_TRUE(off);
	/* the realm sees SVE, the CPU's ZFR0, the PMU and 2 counters */
	EXPECT_EQ(got[0][0], 1u | ((host_read_id(ID_DFR0) >> 8) & 0xfu) << 4 | 2u << 8);
	EXPECT_EQ(got[0][1], host_read_id(ID_ZFR0));
	EXPECT_EQ(got[1][0], 32u | 32ull << 16 | 16ull << 32);
	EXPECT_EQ(got[3][0], 1);		/* z9 intact although the host rewrote its own */
	EXPECT_EQ(got[3][1], 0x01010101);	/* ptrue p5.d at 256 bits */
	EXPECT_EQ(got[4][0], 3);
	EXPECT_EQ(got[4][1], 1);
	EXPECT_EQ(got[5][0], 5);		/* the host's counter 0 changed in between */
	EXPECT_EQ(got[6][0] & 2u, 2);
	EXPECT_EQ(ovf[6], 1);			/* pmu_ovf_status ACTIVE */
	EXPECT_EQ(got[7][0] & 2u, 0);
	EXPECT_EQ(ovf[7], 0);
	EXPECT_EQ(ovf[4], 0);
	/* the host's own state is what it last wrote */
	host_sve_get(z10, p5);
	{
		bool same = true;

		for (uint64_t i = 0; i < vl && i < sizeof(z10); i++)
			same = same && z10[i] == (uint8_t)(0xa7u + i);
		for (uint64_t i = 0; i < vl / 8u && i < sizeof(p5); i++)
			same = same && p5[i] == 0x11u;
		EXPECT_TRUE(same);
	}
	host_pmu_get(&c0, &t0, &sel);
	EXPECT_EQ(c0, 0x887);
	EXPECT_EQ(t0 & 0xffffu, 0x11);
	EXPECT_EQ(sel, 1);
	EXPECT_TRUE(teardown(&x));
}

/* ---- a REC running on one CPU, seen from another ---- */

#define UNPROT		(1ull << 38)
#define NS_DESC_ATTR	((6ull << 2) | (3ull << 6))	/* Normal WB, RW */

struct busy {
	struct run_realm x;
	uint64_t shared;		/* NS page the realm sees at UNPROT */
	uint64_t st[5];			/* what CPU 1 got while the REC ran on CPU 0 */
	bool seen, off;
	uint64_t report;
};

static void busy_job(unsigned int cpu, void *arg)
{
	struct busy *b = arg;
	volatile uint64_t *sh = host_page(b->shared);

	if (cpu == 0u) {
		uint64_t *run = host_page(b->x.run);

		for (unsigned int n = 0; n < 16u && !b->off; n++) {
			if (smc6(RMI_REC_ENTER, b->x.rec, b->x.run, 0, 0, 0).x[0] != RMI_SUCCESS)
				break;
			if (run[0x800 / 8] == EXIT_HOST_CALL && run[0xE00 / 8] == 60u)
				b->report = run[0xA00 / 8];
			else if (run[0x800 / 8] == EXIT_PSCI)
				b->off = run[0xA00 / 8] == PSCI_SYSTEM_OFF_FID;
		}
		sh[0] = 2;		/* in case CPU 1 never saw the realm */
	} else if (cpu == 1u) {
		for (uint64_t spin = 0; spin < 400000000ull && sh[0] != 1u; spin++)
			;
		b->seen = sh[0] == 1u;
		if (!b->seen)
			return;
		/* the REC is inside the realm on CPU 0 now, until sh[0] = 2 */
		b->st[0] = smc1(RMI_REC_DESTROY, b->x.rec).x[0];
		b->st[1] = smc6(RMI_REC_ENTER, b->x.rec, b->x.run1, 0, 0, 0).x[0];
		b->st[2] = smc1(RMI_REALM_DESTROY, b->x.r.rd).x[0];
		b->st[3] = smc6(RMI_PSCI_COMPLETE, b->x.rec, b->x.rec1, 0, 0, 0).x[0];
		b->st[4] = smc6(RMI_RTT_SET_RIPAS, b->x.r.rd, b->x.rec, 0, 0x1000, 0).x[0];
		sh[1] = 0x5a;
		sh[0] = 2;
	}
}

TEST(rec_busy_while_running_on_another_cpu)
{
	static struct busy b;
	uint64_t l2 = delegated_granule(), l3 = delegated_granule();

	if (host_cpu_count() < 2u) {
		hputs("  (one CPU: nothing to race)\n");
		return;
	}
	b.shared = host_granule();
	host_zero(b.shared);
	EXPECT_TRUE(build_with(&b.x, 63, false, 0, 0, 0, 2));
	EXPECT_EQ(smc6(RMI_RTT_CREATE, b.x.r.rd, l2, UNPROT, 2, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc6(RMI_RTT_CREATE, b.x.r.rd, l3, UNPROT, 3, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REALM_ACTIVATE, b.x.r.rd).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc6(RMI_RTT_MAP_UNPROTECTED, b.x.r.rd, UNPROT, 3, b.shared | NS_DESC_ATTR, 0).x[0],
		  RMI_SUCCESS);
	host_zero(b.x.run);
	EXPECT_TRUE(host_run_all(busy_job, &b));
	EXPECT_TRUE(b.seen);
	EXPECT_TRUE(b.off);
	EXPECT_EQ(b.report, 0x5a);		/* the realm saw CPU 1's answer */
	EXPECT_EQ(b.st[0], RMI_ERROR_REC);	/* REC_DESTROY: running */
	EXPECT_EQ(b.st[1], RMI_ERROR_REC);	/* REC_ENTER check 3 */
	EXPECT_EQ(b.st[2], RMI_ERROR_REALM);	/* REALM_DESTROY: RECs live */
	EXPECT_EQ(b.st[3], RMI_ERROR_INPUT);	/* PSCI_COMPLETE: caller running */
	EXPECT_EQ(b.st[4], RMI_ERROR_REC);	/* RTT_SET_RIPAS check 3 */
	narrate("REC busy on CPU 0, refused on CPU 1; rd = ", b.x.r.rd);
	EXPECT_EQ(smc6(RMI_RTT_UNMAP_UNPROTECTED, b.x.r.rd, UNPROT, 3, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc6(RMI_RTT_DESTROY, b.x.r.rd, UNPROT, 3, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc6(RMI_RTT_DESTROY, b.x.r.rd, UNPROT, 2, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(l3), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(l2), RMI_SUCCESS);
	EXPECT_TRUE(teardown(&b.x));
}
