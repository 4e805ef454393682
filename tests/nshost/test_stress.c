/*
 * Concurrency: every CPU builds and tears down its own realm while the
 * others do the same, then the granule states are checked for consistency.
 */
#include "realm_util.h"

#define ROUNDS		6u
#define PAGES		4u

struct cpu_work {
	unsigned int errors;
	uint64_t granules[4 + PAGES];	/* rd, root, l2, l3, data... */
};
static struct cpu_work work[HOST_MAX_CPUS];

static void count(struct cpu_work *w, bool ok)
{
	if (!ok)
		w->errors++;
}

static void build_and_destroy(unsigned int cpu, void *arg)
{
	struct cpu_work *w = &work[cpu];
	struct test_realm r;

	(void)arg;
	for (unsigned int round = 0; round < ROUNDS; round++) {
		uint64_t l2 = delegated_granule(), l3 = delegated_granule();

		count(w, realm_new(&r, 100u + cpu));
		count(w, smc6(RMI_RTT_CREATE, r.rd, l2, 0, 2, 0).x[0] == RMI_SUCCESS);
		count(w, smc6(RMI_RTT_CREATE, r.rd, l3, 0, 3, 0).x[0] == RMI_SUCCESS);
		count(w, smc1(RMI_REALM_ACTIVATE, r.rd).x[0] == RMI_SUCCESS);
		for (unsigned int i = 0; i < PAGES; i++) {
			w->granules[4 + i] = delegated_granule();
			count(w, smc6(RMI_DATA_CREATE_UNKNOWN, r.rd, w->granules[4 + i], 0x1000ull * i,
				      0, 0).x[0] == RMI_SUCCESS);
		}
		for (unsigned int i = 0; i < PAGES; i++)
			count(w, smc6(RMI_DATA_DESTROY, r.rd, 0x1000ull * i, 0, 0, 0).x[0] == RMI_SUCCESS);
		count(w, smc6(RMI_RTT_DESTROY, r.rd, 0, 3, 0, 0).x[0] == RMI_SUCCESS);
		count(w, smc6(RMI_RTT_DESTROY, r.rd, 0, 2, 0, 0).x[0] == RMI_SUCCESS);
		count(w, smc1(RMI_REALM_DESTROY, r.rd).x[0] == RMI_SUCCESS);
		w->granules[0] = r.rd;
		w->granules[1] = r.root;
		w->granules[2] = l2;
		w->granules[3] = l3;
		for (unsigned int i = 0; i < 4u + PAGES; i++)
			count(w, rmi_undelegate(w->granules[i]) == RMI_SUCCESS);
	}
}

TEST(stress_all_cpus_build_and_destroy)
{
	unsigned int n = host_cpu_count();

	EXPECT_TRUE(host_run_all(build_and_destroy, NULL));
	for (unsigned int cpu = 0; cpu < n; cpu++) {
		EXPECT_EQ(work[cpu].errors, 0);
		/* consistency: every granule is back to UNDELEGATED: host-accessible and zeroed */
		for (unsigned int i = 0; i < 4u + PAGES; i++) {
			uint64_t v = 1;

			EXPECT_EQ(host_probe_read(work[cpu].granules[i], &v), 0);
			EXPECT_EQ(v, 0);
			EXPECT_EQ(rmi_undelegate(work[cpu].granules[i]), RMI_ERROR_INPUT);
		}
	}
}

/* Two CPUs race to delegate the same granules: each granule is won exactly once. */
static uint64_t race_pas[64];
static uint32_t race_wins[64];

static void race(unsigned int cpu, void *arg)
{
	(void)arg;
	(void)cpu;
	for (unsigned int i = 0; i < 64u; i++)
		if (rmi_delegate(race_pas[i]) == RMI_SUCCESS)
			__atomic_add_fetch(&race_wins[i], 1u, __ATOMIC_RELAXED);
}

TEST(stress_delegate_race)
{
	for (unsigned int i = 0; i < 64u; i++)
		race_pas[i] = host_granule();
	EXPECT_TRUE(host_run_all(race, NULL));
	for (unsigned int i = 0; i < 64u; i++) {
		EXPECT_EQ(race_wins[i], 1);
		EXPECT_EQ(rmi_undelegate(race_pas[i]), RMI_SUCCESS);
	}
}
