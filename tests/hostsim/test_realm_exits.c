/*
 * Realm exits the firmware's tests cannot raise on QEMU (host build only):
 * a physical FIQ and an SError taken to EL2 while the realm runs. The
 * realm here is a small program of its own (platform/host/machine.h); the
 * conformance payload (tests/realm/payload_sim.c) is put back afterwards.
 */
#include "realm_util.h"

#include <machine.h>

#define RMI_REC_CREATE		0xC400015Aull
#define RMI_REC_DESTROY		0xC400015Bull
#define RMI_REC_ENTER		0xC400015Cull
#define EXIT_FIQ		2u
#define EXIT_PSCI		3u
#define EXIT_SERROR		6u
#define PSCI_SYSTEM_OFF		0x84000008ull

void realm_program_install(void);

/* An SError syndrome with bits the host must not see (EC, IL, ISS bits outside the mask). */
#define SERROR_ESR	((0x2full << 26) | (1ull << 25) | (1ull << 24) | (0x155ull << 13) | \
			 (5ull << 10) | (1ull << 9) | (0x3ull << 6) | 0x11u)
#define SERROR_SEEN	((1ull << 24) | (5ull << 10) | (1ull << 9) | 0x11u)

static void async_main(uint64_t x0)
{
	uint64_t off[12] = { PSCI_SYSTEM_OFF };

	(void)x0;
	rcpu_async(SIM_EXC_FIQ, 0);
	rcpu_async(SIM_EXC_SERROR, SERROR_ESR);
	rcpu_smc(off);
}

static void no_secondary(uint64_t x0)
{
	(void)x0;
}

static void no_sync(uint64_t esr, uint64_t far)
{
	(void)esr;
	(void)far;
}

static void no_irq(void)
{
}

static const struct sim_realm_prog async_prog = {
	.main = async_main, .secondary = no_secondary, .secondary_pc = 0x800,
	.sync_el1 = no_sync, .irq_el1 = no_irq,
};

TEST(realm_fiq_and_serror_exit_to_the_host)
{
	struct test_realm r;
	uint64_t rec = delegated_granule(), params = host_granule(), run = host_granule();
	uint64_t aux[16], *p = host_page(params), *x = host_page(run);

	EXPECT_TRUE(realm_new(&r, 70));
	host_zero(params);
	p[0] = 1;		/* runnable */
	p[0x800 / 8] = 16;
	for (unsigned int i = 0; i < 16u; i++) {
		aux[i] = delegated_granule();
		p[0x808 / 8 + i] = aux[i];
	}
	EXPECT_EQ(smc6(RMI_REC_CREATE, r.rd, rec, params, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REALM_ACTIVATE, r.rd).x[0], RMI_SUCCESS);
	sim_realm_program(&async_prog);
	host_zero(run);

	/* a physical FIQ: the reason, nothing else */
	EXPECT_EQ(smc6(RMI_REC_ENTER, rec, run, 0, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(x[0x800 / 8], EXIT_FIQ);
	EXPECT_EQ(x[0x900 / 8] | x[0x908 / 8] | x[0x910 / 8], 0);
	/* an SError: IDS, AET, EA and DFSC of its syndrome, nothing else (structures.md 6) */
	EXPECT_EQ(smc6(RMI_REC_ENTER, rec, run, 0, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(x[0x800 / 8], EXIT_SERROR);
	EXPECT_EQ(x[0x900 / 8], SERROR_SEEN);
	EXPECT_EQ(x[0x908 / 8] | x[0x910 / 8], 0);
	/* the realm goes on where it was */
	EXPECT_EQ(smc6(RMI_REC_ENTER, rec, run, 0, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(x[0x800 / 8], EXIT_PSCI);
	EXPECT_EQ(x[0xA00 / 8], PSCI_SYSTEM_OFF);
	realm_program_install();

	EXPECT_EQ(smc1(RMI_REC_DESTROY, rec).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, r.rd).x[0], RMI_SUCCESS);
	for (unsigned int i = 0; i < 16u; i++)
		EXPECT_EQ(rmi_undelegate(aux[i]), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(rec), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(r.root), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(r.rd), RMI_SUCCESS);
}
