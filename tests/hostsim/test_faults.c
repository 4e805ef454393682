/*
 * Fault injection (issue 8 item 4), host build only: the simulated EL3
 * (arch/host/smc.c) fails the RMM's calls on request (platform/host/
 * machine.h, sim_el3_fail()), and each RMI must answer the status the spec
 * gives with its state unchanged.
 *
 * GTSI faults run in this process against the RMM the suite booted. Faults
 * at cold boot (the Realm Attestation Key, the platform token) need an RMM
 * that has not booted yet: each runs its child_ test in a fresh process
 * (this program again, ATOLL_SIM_EL3_FAIL set before boot, ATOLL_SIM_ONLY
 * naming the test), which must report "1 passed, 0 failed".
 */
#define _DEFAULT_SOURCE
#include "host.h"
#include "realm_util.h"

#include <machine.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* ---- RMI_REALM_CREATE with a given RD (params as test_realm.c lays them out) ---- */
static uint64_t realm_create(uint64_t rd, uint64_t rtt, uint64_t vmid)
{
	uint64_t params = host_granule(), *w = host_page(params);

	w[0x008 / 8] = 39;		/* s2sz */
	w[0x018 / 8] = 1;		/* num_bps */
	w[0x020 / 8] = 1;		/* num_wps */
	w[0x800 / 8] = vmid;
	w[0x808 / 8] = rtt;		/* rtt_base */
	w[0x810 / 8] = 1;		/* rtt_level_start */
	w[0x818 / 8] = 1;		/* rtt_num_start */
	return smc6(RMI_REALM_CREATE, rd, params, 0, 0, 0).x[0];
}

static const int64_t el3_errors[] = {
	SIM_E_RMM_UNK, SIM_E_RMM_BAD_ADDR, SIM_E_RMM_BAD_PAS, SIM_E_RMM_NOMEM,
	SIM_E_RMM_INVAL, SIM_E_RMM_AGAIN,
};
#define N_ERRORS	(sizeof(el3_errors) / sizeof(el3_errors[0]))

/* rmi.md 4 failure 2: EL3 refuses GTSI_DELEGATE -> RMI_ERROR_INPUT, state unchanged. */
TEST(delegate_when_el3_gtsi_fails)
{
	for (unsigned int i = 0; i < N_ERRORS; i++) {
		uint64_t pa = host_granule(), rtt = delegated_granule(), v = 0;
		unsigned int calls = sim_el3_calls(SIM_EL3_GTSI_DELEGATE);

		host_fill(pa, 0xfa0170000000000ull);
		sim_el3_fail(SIM_EL3_GTSI_DELEGATE, 1, el3_errors[i]);
		EXPECT_EQ(rmi_delegate(pa), RMI_ERROR_INPUT);
		EXPECT_EQ(sim_el3_calls(SIM_EL3_GTSI_DELEGATE), calls + 1u);	/* EL3 was asked */
		/* Still UNDELEGATED: NS in the GPT, the host reads and writes it, content intact. */
		EXPECT_EQ(sim_gpt_get(pa), SIM_PAS_NS);
		EXPECT_EQ(host_probe_read(pa + 8, &v), 0);
		EXPECT_EQ(v, 0xfa0170000000001ull);
		EXPECT_EQ(host_probe_write(pa + 16, 0x77), 0);
		/* The granule service did not record it: not DELEGATED, not usable as an RD. */
		EXPECT_EQ(rmi_undelegate(pa), RMI_ERROR_INPUT);
		EXPECT_EQ(realm_create(pa, rtt, 100 + i), RMI_ERROR_INPUT);
		EXPECT_EQ(sim_gpt_get(pa), SIM_PAS_NS);
		/* EL3 works again: a later DELEGATE succeeds and the granule is a working RD. */
		EXPECT_EQ(rmi_delegate(pa), RMI_SUCCESS);
		EXPECT_EQ(sim_gpt_get(pa), SIM_PAS_REALM);
		EXPECT_EQ(realm_create(pa, rtt, 100 + i), RMI_SUCCESS);
		EXPECT_EQ(smc1(RMI_REALM_DESTROY, pa).x[0], RMI_SUCCESS);
		EXPECT_EQ(rmi_undelegate(pa), RMI_SUCCESS);
		EXPECT_EQ(rmi_undelegate(rtt), RMI_SUCCESS);
		v = 1;
		EXPECT_EQ(host_probe_read(pa + 8, &v), 0);	/* scrubbed on the way */
		EXPECT_EQ(v, 0);
	}
}

/* EL3 failing several calls in a row (busy): every one fails cleanly, then it works. */
TEST(delegate_when_el3_gtsi_fails_three_times)
{
	uint64_t pa = host_granule();

	sim_el3_fail(SIM_EL3_GTSI_DELEGATE, 3, SIM_E_RMM_AGAIN);
	for (unsigned int i = 0; i < 3u; i++) {
		EXPECT_EQ(rmi_delegate(pa), RMI_ERROR_INPUT);
		EXPECT_EQ(sim_gpt_get(pa), SIM_PAS_NS);
	}
	EXPECT_EQ(rmi_delegate(pa), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(pa), RMI_SUCCESS);
	/* ... and failing until told otherwise. */
	sim_el3_fail(SIM_EL3_GTSI_DELEGATE, SIM_FAIL_FOREVER, SIM_E_RMM_UNK);
	for (unsigned int i = 0; i < 5u; i++)
		EXPECT_EQ(rmi_delegate(pa), RMI_ERROR_INPUT);
	sim_el3_fail(SIM_EL3_GTSI_DELEGATE, 0, 0);
	EXPECT_EQ(sim_gpt_get(pa), SIM_PAS_NS);
	EXPECT_EQ(rmi_delegate(pa), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(pa), RMI_SUCCESS);
}

/*
 * rmi.md 5: EL3 refusing GTSI_UNDELEGATE is an internal fault (TF-RMM
 * panics). Atoll does not panic: the granule service keeps the granule
 * DELEGATED (already scrubbed), the kernel logs it, and the RMI answers
 * RMI_ERROR_INPUT. The granule must still be DELEGATED in every respect.
 */
TEST(undelegate_when_el3_gtsi_fails)
{
	for (unsigned int i = 0; i < N_ERRORS; i++) {
		uint64_t pa = delegated_granule(), rtt = delegated_granule(), v = 0;
		unsigned int calls = sim_el3_calls(SIM_EL3_GTSI_UNDELEGATE);

		sim_el3_fail(SIM_EL3_GTSI_UNDELEGATE, 1, el3_errors[i]);
		EXPECT_EQ(rmi_undelegate(pa), RMI_ERROR_INPUT);
		EXPECT_EQ(sim_el3_calls(SIM_EL3_GTSI_UNDELEGATE), calls + 1u);
		EXPECT_TRUE(sim_console_seen("EL3 refused to undelegate a DELEGATED granule"));
		/* Still DELEGATED: Realm PAS, the host faults on it, DELEGATE refused (gran_state). */
		EXPECT_EQ(sim_gpt_get(pa), SIM_PAS_REALM);
		EXPECT_EQ(host_probe_read(pa, &v), -1);
		EXPECT_EQ(rmi_delegate(pa), RMI_ERROR_INPUT);
		/* ... and the granule service still has it DELEGATED: it can become an RD. */
		EXPECT_EQ(realm_create(pa, rtt, 200 + i), RMI_SUCCESS);
		EXPECT_EQ(rmi_undelegate(pa), RMI_ERROR_INPUT);		/* an RD now */
		EXPECT_EQ(smc1(RMI_REALM_DESTROY, pa).x[0], RMI_SUCCESS);
		/* EL3 works again: UNDELEGATE succeeds, the granule comes back zeroed. */
		EXPECT_EQ(rmi_undelegate(pa), RMI_SUCCESS);
		EXPECT_EQ(rmi_undelegate(rtt), RMI_SUCCESS);
		EXPECT_EQ(sim_gpt_get(pa), SIM_PAS_NS);
		v = 1;
		EXPECT_EQ(host_probe_read(pa, &v), 0);
		EXPECT_EQ(v, 0);
	}
}

/* A failed UNDELEGATE of an RTT in use is refused before EL3 is asked. */
TEST(undelegate_in_use_does_not_reach_el3)
{
	uint64_t rd = delegated_granule(), rtt = delegated_granule();
	unsigned int calls;

	EXPECT_EQ(realm_create(rd, rtt, 300), RMI_SUCCESS);
	calls = sim_el3_calls(SIM_EL3_GTSI_UNDELEGATE);
	EXPECT_EQ(rmi_undelegate(rd), RMI_ERROR_INPUT);
	EXPECT_EQ(rmi_undelegate(rtt), RMI_ERROR_INPUT);
	EXPECT_EQ(sim_el3_calls(SIM_EL3_GTSI_UNDELEGATE), calls);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, rd).x[0], RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(rd), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(rtt), RMI_SUCCESS);
}

/*
 * All CPUs delegate and undelegate their own granules while EL3 fails 40
 * GTSI_DELEGATE and 40 GTSI_UNDELEGATE calls, whichever CPU makes them:
 * exactly 40 of each RMI fail, and every granule ends in the state its
 * last answer says (the GPT and the granule service agree).
 */
#define PER_CPU		64u
#define SHARED_FAULTS	40u
static uint64_t conc_pa[HOST_MAX_CPUS][PER_CPU];
static uint64_t conc_del[HOST_MAX_CPUS][PER_CPU], conc_undel[HOST_MAX_CPUS][PER_CPU];

static void conc_job(unsigned int cpu, void *arg)
{
	(void)arg;
	for (unsigned int i = 0; i < PER_CPU; i++)
		conc_del[cpu][i] = rmi_delegate(conc_pa[cpu][i]);
	for (unsigned int i = 0; i < PER_CPU; i++)
		conc_undel[cpu][i] = conc_del[cpu][i] == RMI_SUCCESS ?
				     rmi_undelegate(conc_pa[cpu][i]) : ~0ull;
}

TEST(gtsi_faults_under_concurrency)
{
	unsigned int n = host_cpu_count(), del_failed = 0, undel_failed = 0;

	for (unsigned int c = 0; c < n; c++)
		for (unsigned int i = 0; i < PER_CPU; i++)
			conc_pa[c][i] = host_granule();
	sim_el3_fail(SIM_EL3_GTSI_DELEGATE, SHARED_FAULTS, SIM_E_RMM_AGAIN);
	sim_el3_fail(SIM_EL3_GTSI_UNDELEGATE, SHARED_FAULTS, SIM_E_RMM_UNK);
	EXPECT_TRUE(host_run_all(conc_job, NULL));
	/* Faults not used up (few CPUs) must not hit the checks below. */
	sim_el3_fail(SIM_EL3_GTSI_DELEGATE, 0, 0);
	sim_el3_fail(SIM_EL3_GTSI_UNDELEGATE, 0, 0);
	for (unsigned int c = 0; c < n; c++) {
		for (unsigned int i = 0; i < PER_CPU; i++) {
			uint64_t pa = conc_pa[c][i];

			if (conc_del[c][i] != RMI_SUCCESS) {
				EXPECT_EQ(conc_del[c][i], RMI_ERROR_INPUT);
				del_failed++;
				EXPECT_EQ(sim_gpt_get(pa), SIM_PAS_NS);
				EXPECT_EQ(rmi_undelegate(pa), RMI_ERROR_INPUT);
			} else if (conc_undel[c][i] != RMI_SUCCESS) {
				EXPECT_EQ(conc_undel[c][i], RMI_ERROR_INPUT);
				undel_failed++;
				EXPECT_EQ(sim_gpt_get(pa), SIM_PAS_REALM);
				EXPECT_EQ(rmi_delegate(pa), RMI_ERROR_INPUT);
				EXPECT_EQ(rmi_undelegate(pa), RMI_SUCCESS);	/* EL3 works again */
			} else {
				EXPECT_EQ(sim_gpt_get(pa), SIM_PAS_NS);
				EXPECT_EQ(rmi_undelegate(pa), RMI_ERROR_INPUT);
			}
		}
	}
	/* Every injected fault reached an RMI when there were enough calls. */
	EXPECT_EQ(del_failed, n * PER_CPU >= SHARED_FAULTS ? SHARED_FAULTS : n * PER_CPU);
	EXPECT_EQ(undel_failed, n * PER_CPU - del_failed >= SHARED_FAULTS ? SHARED_FAULTS :
				n * PER_CPU - del_failed);
}

/* ---- faults at cold boot: a fresh process each ---- */

/* Run child_<test> in a fresh process with ATOLL_SIM_EL3_FAIL=fail; true if it passed. */
static bool run_child(const char *test, const char *fail)
{
	char only[128], el3[128], out[8192];
	char *argv[] = { (char *)"atoll-host", NULL };
	char *envp[256];
	unsigned int n = 0;
	size_t len = 0;
	posix_spawn_file_actions_t fa;
	int fds[2], status = -1;
	pid_t pid;
	ssize_t r;
	bool ok;

	snprintf(only, sizeof(only), "ATOLL_SIM_ONLY=%s", test);
	snprintf(el3, sizeof(el3), "ATOLL_SIM_EL3_FAIL=%s", fail);
	for (char **e = environ; *e != NULL && n < 250u; e++)
		if (strncmp(*e, "ATOLL_SIM_ONLY=", 15) != 0 && strncmp(*e, "ATOLL_SIM_EL3_FAIL=", 19) != 0)
			envp[n++] = *e;
	envp[n++] = only;
	envp[n++] = el3;
	envp[n] = NULL;
	if (pipe(fds) != 0)
		return false;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDERR_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	ok = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, envp) == 0;
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	while (ok && (r = read(fds[0], out + len, sizeof(out) - 1u - len)) > 0)
		len += (size_t)r;
	out[len] = '\0';
	close(fds[0]);
	if (ok && waitpid(pid, &status, 0) != pid)
		status = -1;
	ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	     strstr(out, "host: 1 passed, 0 failed") != NULL;
	if (!ok) {
		hlock();
		printf("  child %s (ATOLL_SIM_EL3_FAIL=%s) status 0x%x, output:\n%s\n", test, fail,
		       status, out);
		hunlock();
	}
	return ok;
}

/* What every RMM must still do without attestation: answer RMIs. */
static void rmm_answers(struct tctx *t)
{
	struct smc_res r = smc1(RMI_VERSION, RMI_ABI_1_0);
	uint64_t pa = host_granule(), rd = delegated_granule(), rtt = delegated_granule();

	EXPECT_EQ(r.x[0], RMI_SUCCESS);
	EXPECT_EQ(r.x[1], RMI_ABI_1_0);
	EXPECT_EQ(smc1(RMI_FEATURES, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(rmi_delegate(pa), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(pa), RMI_SUCCESS);
	EXPECT_EQ(realm_create(rd, rtt, 1), RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REALM_ACTIVATE, rd).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, rd).x[0], RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(rd), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(rtt), RMI_SUCCESS);
}

/* No RAK: the platform token is never asked for, attestation is unavailable, RMIs work. */
TEST(child_boot_without_rak)
{
	EXPECT_EQ(sim_el3_calls(SIM_EL3_RAK), 1);
	EXPECT_EQ(sim_el3_calls(SIM_EL3_PLAT_TOKEN), 0);
	EXPECT_TRUE(sim_console_seen("attestation unavailable: no Realm Attestation Key from EL3"));
	EXPECT_TRUE(!sim_console_seen("attestation: RAK provisioned"));
	rmm_answers(t);
}

TEST(boot_when_el3_rak_fails)
{
	EXPECT_TRUE(run_child("child_boot_without_rak", "rak"));
	EXPECT_TRUE(run_child("child_boot_without_rak", "rak:1:-5"));	/* E_RMM_INVAL */
	EXPECT_TRUE(run_child("child_boot_without_rak", "rak:1:-6"));	/* AGAIN: not retried */
}

/* No platform token (an error, or EL3 busy past the RMM's retries). */
TEST(child_boot_without_platform_token)
{
	EXPECT_EQ(sim_el3_calls(SIM_EL3_RAK), 1);
	EXPECT_TRUE(sim_el3_calls(SIM_EL3_PLAT_TOKEN) >= 1u);
	EXPECT_TRUE(sim_console_seen("attestation unavailable: no platform token from EL3"));
	EXPECT_TRUE(!sim_console_seen("attestation: RAK provisioned"));
	rmm_answers(t);
}

TEST(boot_when_el3_platform_token_fails)
{
	EXPECT_TRUE(run_child("child_boot_without_platform_token", "plat_token"));
	EXPECT_TRUE(run_child("child_boot_without_platform_token", "plat_token:1:-2"));
	/* E_RMM_AGAIN forever: the RMM gives up after its retries (kernel/attest_boot.c). */
	EXPECT_TRUE(run_child("child_boot_without_platform_token", "plat_token:forever:-6"));
	EXPECT_TRUE(run_child("child_boot_without_platform_token", "rak:0,plat_token:1:-1"));
}

/*
 * EL3 answering wrongly: a RAK of the wrong size is not taken (the platform
 * token is never asked for); a platform-token hunk larger than the shared
 * buffer, an empty token, or hunks past the RMM's 4 KB limit are refused.
 * Either way attestation is unavailable and every RMI still works.
 */
TEST(boot_when_el3_answers_wrongly)
{
	EXPECT_TRUE(run_child("child_boot_without_rak", "odd:rak_size"));
	EXPECT_TRUE(run_child("child_boot_without_platform_token", "odd:plat_huge"));
	EXPECT_TRUE(run_child("child_boot_without_platform_token", "odd:plat_empty"));
	EXPECT_TRUE(run_child("child_boot_endless_platform_token", "odd:plat_endless"));
}

TEST(child_boot_endless_platform_token)
{
	/* 1 KB hunks: four fit in the RMM's 4 KB, the fifth is refused */
	EXPECT_EQ(sim_el3_calls(SIM_EL3_PLAT_TOKEN), 5);
	EXPECT_TRUE(sim_console_seen("attestation unavailable: no platform token from EL3"));
	rmm_answers(t);
}

/* E_RMM_AGAIN a few times is retried: the token arrives, attestation is provisioned. */
TEST(child_boot_platform_token_busy_then_ready)
{
	EXPECT_EQ(sim_el3_calls(SIM_EL3_RAK), 1);
	EXPECT_EQ(sim_el3_calls(SIM_EL3_PLAT_TOKEN), 4);
	EXPECT_TRUE(sim_console_seen("attestation: RAK provisioned, platform token bytes "));
	EXPECT_TRUE(!sim_console_seen("attestation unavailable"));
	rmm_answers(t);
}

TEST(boot_when_el3_platform_token_busy)
{
	EXPECT_TRUE(run_child("child_boot_platform_token_busy_then_ready", "plat_token:3:-6"));
}

/* The child mechanism itself: a fault-free boot provisions attestation. */
TEST(child_boot_clean)
{
	EXPECT_EQ(sim_el3_calls(SIM_EL3_RAK), 1);
	EXPECT_EQ(sim_el3_calls(SIM_EL3_PLAT_TOKEN), 1);
	EXPECT_TRUE(sim_console_seen("attestation: RAK provisioned, platform token bytes "));
	rmm_answers(t);
}

TEST(boot_without_faults_in_a_child)
{
	EXPECT_TRUE(run_child("child_boot_clean", "rak:0"));
}

/*
 * ---- out of room ----
 * The RMM allocates nothing: every granule it uses comes from the host.
 * The one table that can fill is the sparse granule service's (room for
 * one granule in 16 of DRAM delegated at once, services/granule/sparse):
 * DELEGATE past that answers RMI_ERROR_INPUT before EL3 is asked, the
 * granule stays UNDELEGATED, and an UNDELEGATE makes room again. The
 * array variant tracks every granule and never fills.
 */
#define FILL_MAX	60000u
static uint64_t filled[FILL_MAX];

TEST(child_delegate_until_tracking_full)
{
	unsigned int n = 0, calls;
	uint64_t pa = 0, st = RMI_SUCCESS, v = 0;

	while (n < FILL_MAX) {
		pa = host_granule();
		calls = sim_el3_calls(SIM_EL3_GTSI_DELEGATE);
		st = rmi_delegate(pa);
		if (st != RMI_SUCCESS)
			break;
		filled[n++] = pa;
	}
	hlock();
	printf("  %u granules delegated, then status %llu\n", n, (unsigned long long)st);
	hunlock();
	if (strcmp(SERVICE_GRANULE_VARIANT, "sparse") != 0) {
		EXPECT_EQ(n, FILL_MAX);			/* never full */
		return;
	}
	EXPECT_EQ(st, RMI_ERROR_INPUT);
	EXPECT_EQ(n, 49152);		/* 3/4 of 2^16 slots: 2 GB of DRAM / 16, rounded up */
	EXPECT_EQ(sim_el3_calls(SIM_EL3_GTSI_DELEGATE), calls);	/* refused before EL3 */
	EXPECT_EQ(sim_gpt_get(pa), SIM_PAS_NS);
	EXPECT_EQ(host_probe_read(pa, &v), 0);
	EXPECT_EQ(rmi_undelegate(pa), RMI_ERROR_INPUT);
	EXPECT_EQ(rmi_delegate(pa), RMI_ERROR_INPUT);		/* still full */
	EXPECT_EQ(rmi_undelegate(filled[0]), RMI_SUCCESS);	/* room for one */
	EXPECT_EQ(rmi_delegate(pa), RMI_SUCCESS);
	EXPECT_EQ(rmi_delegate(filled[0]), RMI_ERROR_INPUT);	/* full again */
	for (unsigned int i = 1; i <= 3u; i++)		/* room for rmm_answers()' three */
		EXPECT_EQ(rmi_undelegate(filled[i]), RMI_SUCCESS);
	rmm_answers(t);
}

TEST(delegate_when_granule_tracking_full)
{
	EXPECT_TRUE(run_child("child_delegate_until_tracking_full", "rak:0"));
}
