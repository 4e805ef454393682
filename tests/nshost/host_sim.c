/*
 * The NS test host's runtime (tests/nshost/host.h) over the host build's
 * simulated machine (platform/host/machine.h) instead of QEMU and TF-A:
 * SMCs are handed to the RMM in-process, threads play CPUs (a CPU comes up
 * with a warm boot of the RMM, as PSCI CPU_ON would give it), probes ask
 * the simulated GPT, and test granules are simulated memory. The test
 * files (tests/nshost/test_*.c) compile unchanged against it.
 */
#include "host.h"
#include "../hostsim/record.h"

#include <machine.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ESR_EC_DABT_CUR	0x25ull
#define ESR_IL		(1ull << 25)
#define ESR_WNR		(1ull << 6)
#define DFSC_GPF	0x28ull

extern const struct test_case __start_nshost_tests[], __stop_nshost_tests[];
/* The realm every REC runs (tests/realm/payload_sim.c). */
void realm_program_install(void);

/* ---- console ---- */
static pthread_mutex_t console = PTHREAD_MUTEX_INITIALIZER;

void hlock(void)
{
	pthread_mutex_lock(&console);
}

void hunlock(void)
{
	pthread_mutex_unlock(&console);
}

void hputs(const char *s)
{
	fputs(s, stdout);
	fflush(stdout);
}

void hput_hex(uint64_t v)
{
	printf("0x%016llx", (unsigned long long)v);
}

void hput_dec(uint64_t v)
{
	printf("%llu", (unsigned long long)v);
}

void check_fail(struct tctx *t, int line, const char *what, uint64_t got, uint64_t want)
{
	t->failures++;
	hlock();
	printf("  check failed at line %d: %s (got 0x%016llx, want 0x%016llx)\n", line, what,
	       (unsigned long long)got, (unsigned long long)want);
	hunlock();
}

/* ---- SMC: RMI goes to the RMM, anything else is unknown to this EL3 ---- */
void host_smc(const uint64_t in[8], uint64_t out[8])
{
	uint64_t fid = in[0] & ~(1ull << 16);	/* SMCCC SVE hint */

	if ((fid & ~0xffffull) == 0xC4000000ull && (fid & 0xffffu) >= 0x150u &&
	    (fid & 0xffffu) <= 0x18fu) {
		record_rmi(in);
		sim_rmm_rmi(in, out);
		return;
	}
	memcpy(out, in, 8u * sizeof(out[0]));
	out[0] = SMC_UNKNOWN;
}

struct smc_res smc6(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	uint64_t in[8] = { fid, a1, a2, a3, a4, a5, 0, 0 };
	struct smc_res r;

	host_smc(in, r.x);
	return r;
}

/*
 * ---- CPUs: one thread per CPU, started at its first job and kept, as a
 * CPU of the firmware stays up waiting for work. A CPU that is not online
 * (never started, or powered off) is warm-booted before its next job, as
 * PSCI CPU_ON would have EL3 do. Jobs are handed over under a mutex; a
 * group started by host_run_all() is held at a start line until every CPU
 * has its job, so that they run at once, as on the firmware.
 */
struct cpu {
	bool thread;		/* the thread exists */
	bool online;		/* the RMM has (warm-)booted this CPU */
	bool busy;		/* a job is waiting or running */
	bool ready;		/* picked the job up, waiting at the start line */
	cpu_job fn;
	void *arg;
	const bool *go;		/* NULL: run at once */
	pthread_t th;
};
static struct cpu cpus[HOST_MAX_CPUS];
static pthread_mutex_t cpu_mx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cpu_cv = PTHREAD_COND_INITIALIZER;

/*
 * As many CPUs as the machine has cores (at least 2, at most HOSTSIM_CPUS),
 * or ATOLL_SIM_CPUS: the stress tests assume their CPUs really run at once,
 * which a thread waiting for a core does not.
 */
static unsigned int cpu_count;

unsigned int host_cpu_count(void)
{
	return cpu_count;
}

static void cpus_choose(void)
{
	const char *e = getenv("ATOLL_SIM_CPUS");
	long n = e != NULL ? strtol(e, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

	if (e == NULL && n > HOSTSIM_CPUS)
		n = HOSTSIM_CPUS;
	if (n < 1)
		n = 1;
	if (n > (long)HOST_MAX_CPUS)
		n = HOST_MAX_CPUS;
	cpu_count = (unsigned int)n;
}

uint64_t host_cpu_mpidr(unsigned int idx)
{
	return idx;
}

static _Thread_local unsigned int this_cpu;

unsigned int host_this_cpu(void)
{
	return this_cpu;
}

static void *cpu_thread(void *p)
{
	unsigned int idx = (unsigned int)(uintptr_t)p;
	struct cpu *c = &cpus[idx];

	this_cpu = idx;
	sim_set_cpu(idx);
	for (;;) {
		pthread_mutex_lock(&cpu_mx);
		while (!c->busy)
			pthread_cond_wait(&cpu_cv, &cpu_mx);
		pthread_mutex_unlock(&cpu_mx);
		if (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE)) {
			sim_rmm_warm_boot(idx);
			__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
		}
		__atomic_store_n(&c->ready, true, __ATOMIC_RELEASE);
		while (c->go != NULL && !__atomic_load_n(c->go, __ATOMIC_ACQUIRE))
			;
		c->fn(idx, c->arg);
		pthread_mutex_lock(&cpu_mx);
		c->busy = false;
		c->ready = false;
		pthread_cond_broadcast(&cpu_cv);
		pthread_mutex_unlock(&cpu_mx);
	}
	return NULL;
}

/* Give CPU idx (1..) the job; false if its thread cannot be started. */
static bool give(unsigned int idx, cpu_job fn, void *arg, const bool *go)
{
	struct cpu *c = &cpus[idx];

	if (!c->thread) {
		if (pthread_create(&c->th, NULL, cpu_thread, (void *)(uintptr_t)idx) != 0)
			return false;
		pthread_detach(c->th);
		c->thread = true;
	}
	pthread_mutex_lock(&cpu_mx);
	c->fn = fn;
	c->arg = arg;
	c->go = go;
	c->busy = true;
	pthread_cond_broadcast(&cpu_cv);
	pthread_mutex_unlock(&cpu_mx);
	return true;
}

static void wait_idle(unsigned int idx)
{
	pthread_mutex_lock(&cpu_mx);
	while (cpus[idx].busy)
		pthread_cond_wait(&cpu_cv, &cpu_mx);
	pthread_mutex_unlock(&cpu_mx);
}

bool host_run_on(unsigned int idx, cpu_job fn, void *arg)
{
	if (idx == 0u) {
		fn(0, arg);
		return true;
	}
	if (idx >= host_cpu_count() || !give(idx, fn, arg, NULL))
		return false;
	wait_idle(idx);
	return true;
}

bool host_run_all(cpu_job fn, void *arg)
{
	static bool go;
	unsigned int n = host_cpu_count(), given = 1;
	bool ok = true;

	__atomic_store_n(&go, false, __ATOMIC_RELEASE);
	for (unsigned int i = 1; i < n && ok; i++) {
		ok = give(i, fn, arg, &go);
		given += ok ? 1u : 0u;
	}
	for (unsigned int i = 1; i < given; i++)
		while (!__atomic_load_n(&cpus[i].ready, __ATOMIC_ACQUIRE))
			sched_yield();
	__atomic_store_n(&go, true, __ATOMIC_RELEASE);
	if (ok)
		fn(0, arg);
	for (unsigned int i = 1; i < given; i++)
		wait_idle(i);
	return ok;
}

bool host_cpu_off(unsigned int idx)
{
	if (idx == 0u || idx >= host_cpu_count())
		return false;
	wait_idle(idx);
	__atomic_store_n(&cpus[idx].online, false, __ATOMIC_RELEASE);
	return true;
}

unsigned int host_online_cpus(void)
{
	unsigned int n = 1;

	for (unsigned int i = 1; i < HOST_MAX_CPUS; i++)
		n += __atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE) ? 1u : 0u;
	return n;
}

/* ---- memory that may fault: the GPT decides ---- */
static _Thread_local uint64_t last_fault_esr;

uint64_t host_last_fault_esr(void)
{
	return last_fault_esr;
}

/* One NS access, refused (a granule protection fault) unless the GPT says NS. */
static int probe(uint64_t pa, void *dst, const void *src, bool write)
{
	if ((pa & 7u) == 0u && sim_pa_ptr(pa, 8u) != NULL &&
	    sim_copy_if_pas(pa, SIM_PAS_NS, dst, src, 8u))
		return 0;
	last_fault_esr = (ESR_EC_DABT_CUR << 26) | ESR_IL | (write ? ESR_WNR : 0u) | DFSC_GPF;
	return -1;
}

int host_probe_read(uint64_t pa, uint64_t *val)
{
	void *p = sim_pa_ptr(pa, 8u);

	return probe(pa, val, p, false);
}

int host_probe_write(uint64_t pa, uint64_t val)
{
	void *p = sim_pa_ptr(pa, 8u);

	return probe(pa, p, &val, true);
}

/* Plain NS accesses of the tests: a granule outside the NS PAS would be a fatal GPF. */
uint64_t *host_page(uint64_t pa)
{
	uint64_t *p = sim_pa_ptr(pa & ~0xfffull, 4096u);

	if (p == NULL || sim_gpt_get(pa) != SIM_PAS_NS) {
		hlock();
		printf("host: FATAL access to PA 0x%llx outside the NS PAS\n", (unsigned long long)pa);
		hunlock();
		abort();
	}
	return sim_pa_ptr(pa, 8u);
}

/* ---- test granules ---- */
#define GRANULE_POOL_BASE	0x80000000ull
#define GRANULE_POOL_END	0x90000000ull
static uint64_t pool_next = GRANULE_POOL_BASE;

static void pool_check(uint64_t end)
{
	if (end > GRANULE_POOL_END) {
		hputs("host: FATAL out of test granules\n");
		abort();
	}
}

uint64_t host_granule(void)
{
	uint64_t pa = __atomic_fetch_add(&pool_next, 4096u, __ATOMIC_RELAXED);

	pool_check(pa + 4096u);
	host_zero(pa);
	return pa;
}

uint64_t host_granules_aligned(unsigned int n, uint64_t align)
{
	uint64_t cur = __atomic_load_n(&pool_next, __ATOMIC_RELAXED), base;

	do {
		base = (cur + align - 1u) & ~(align - 1u);
	} while (!__atomic_compare_exchange_n(&pool_next, &cur, base + 4096ull * n, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	pool_check(base + 4096ull * n);
	for (unsigned int i = 0; i < n; i++)
		host_zero(base + 4096ull * i);
	return base;
}

void host_fill(uint64_t pa, uint64_t pattern)
{
	uint64_t *p = host_page(pa);

	for (unsigned int i = 0; i < 512u; i++)
		p[i] = pattern + i;
}

void host_zero(uint64_t pa)
{
	memset(host_page(pa), 0, 4096u);
}

uint64_t rmi_delegate(uint64_t pa)
{
	return smc1(RMI_GRANULE_DELEGATE, pa).x[0];
}

uint64_t rmi_undelegate(uint64_t pa)
{
	return smc1(RMI_GRANULE_UNDELEGATE, pa).x[0];
}

/* ---- the simulated CPU's ID registers, SVE and PMU ---- */
uint64_t host_read_id(unsigned int which)
{
	switch (which) {
	case ID_MMFR0: return sim_id_reg(SIM_ID_MMFR0);
	case ID_PFR0: return sim_id_reg(SIM_ID_PFR0);
	case ID_DFR0: return sim_id_reg(SIM_ID_DFR0);
	case ID_DFR1: return sim_id_reg(SIM_ID_DFR1);
	case ID_PMCR: return sim_id_reg(SIM_ID_PMCR);
	case ID_MIDR: return sim_id_reg(SIM_ID_MIDR);
	case ID_ZFR0: return sim_id_reg(SIM_ID_ZFR0);
	default: return 0;
	}
}

uint64_t host_sve_init(void)
{
	return ((host_read_id(ID_PFR0) >> 32) & 0xfu) != 0u ? SIM_SVE_VL_BYTES : 0u;
}

/*
 * The NS host's SVE registers and PMU are the simulated CPU's: the RMM
 * saves and restores them around a realm that uses its own.
 */
void host_sve_set(unsigned int seed)
{
	uint8_t z[SIM_SVE_VL_BYTES], p[SIM_SVE_VL_BYTES / 8u];

	for (unsigned int i = 0; i < SIM_SVE_VL_BYTES; i++)
		z[i] = (uint8_t)(seed + i);
	memset(p, 0x11, sizeof(p));
	sim_sve_access(10, z, NULL, true);
	sim_sve_access(5, NULL, p, true);
}

void host_sve_get(uint8_t z10[256], uint8_t p5[32])
{
	sim_sve_access(10, z10, NULL, false);
	sim_sve_access(5, NULL, p5, false);
}

void host_relax(void)
{
	sched_yield();
}

void host_fp_d9_set(uint64_t v)
{
	sim_fp_set_d(9, v);
}

uint64_t host_fp_d9_get(void)
{
	return sim_fp_d(9);
}

void host_pmu_set(uint64_t ctr0, uint64_t type0, uint64_t sel)
{
	sim_pmu_host(&ctr0, &type0, &sel, true);
}

void host_pmu_get(uint64_t *ctr0, uint64_t *type0, uint64_t *sel)
{
	sim_pmu_host(ctr0, type0, sel, false);
}

/*
 * A test whose name starts with child_ runs only in a fresh process that
 * names it in ATOLL_SIM_ONLY (tests/hostsim/test_faults.c starts one per
 * case, with ATOLL_SIM_EL3_FAIL set up before the RMM boots).
 */
static bool selected(const char *name)
{
	const char *only = getenv("ATOLL_SIM_ONLY");

	if (only != NULL)
		return strcmp(name, only) == 0;
	return strncmp(name, "child_", 6) != 0;
}

int main(void)
{
	unsigned int passed = 0, failed = 0;
	const char *fail = getenv("ATOLL_SIM_EL3_FAIL");

	/* Line by line, so that the lines before an abort() reach a log file. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	cpus_choose();
	sim_machine_init();
	if (fail != NULL && !sim_el3_fail_spec(fail)) {
		printf("host: bad ATOLL_SIM_EL3_FAIL \"%s\"\n", fail);
		return 2;
	}
	sim_rmm_cold_boot(host_cpu_count());
	realm_program_install();
	hputs("host: Atoll NS test host on the host build (ASan+UBSan), ");
	hput_dec(host_cpu_count());
	hputs(" CPU(s)\n");
	for (const struct test_case *tc = __start_nshost_tests; tc < __stop_nshost_tests; tc++) {
		struct tctx t = { tc->name, 0 };

		if (!selected(tc->name))
			continue;
		record_begin(getenv("ATOLL_SIM_RECORD"), tc->name);
		tc->fn(&t);
		record_end();
		hlock();
		printf("%s %s\n", t.failures == 0u ? "PASS" : "FAIL", tc->name);
		hunlock();
		if (t.failures == 0u)
			passed++;
		else
			failed++;
	}
	printf("host: %u passed, %u failed\n", passed, failed);
	return 0;
}
