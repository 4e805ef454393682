/*
 * Benchmark NS host: measures the instructions each RMI command (and a
 * REC_ENTER round trip) costs, as seen from the host, and through a
 * benchmark realm (tests/bench/realm.S) the RSI calls the RMM answers
 * itself, under QEMU -icount shift=0 (docs/performance.md).
 *
 * Runs as the one "test" of the NS test host runtime (tests/nshost/host.c,
 * start.S, reused unchanged). Uses only calls the RMM v1.0 specification
 * defines, so the same image measures any RMM v1.0 implementation
 * (make bench RMM_IMG=...). Every measured call is made BENCH_RUNS times;
 * one console line per row:
 *   BENCH name=<row> tag=<letter> insns=<median> min=<min> max=<max> runs=<n> pmccntr=<median>
 *   BENCH name=<row> tag=<letter> error=<status> at=<step>   (the call or its setup failed)
 * insns is the CNTVCT_EL0 difference around the SMC minus the same
 * difference around a nop: every instruction executed at EL3 and in the
 * RMM for the call, plus the SMC itself. BENCHSEQ lists the tag of every
 * measured call in order ('-' for calls of no row), so that an execution
 * trace of the run can be attributed to rows (scripts/bench/run.py).
 */
#include "host.h"

#ifndef BENCH_RUNS
#define BENCH_RUNS	51u
#endif

#define RMI_DATA_CREATE		0xC4000153ull
#define RMI_DATA_CREATE_UNKNOWN	0xC4000154ull
#define RMI_DATA_DESTROY	0xC4000155ull
#define RMI_REC_CREATE		0xC400015Aull
#define RMI_REC_DESTROY		0xC400015Bull
#define RMI_RTT_CREATE		0xC400015Dull
#define RMI_RTT_DESTROY		0xC400015Eull
#define RMI_RTT_READ_ENTRY	0xC4000161ull
#define RMI_RTT_INIT_RIPAS	0xC4000168ull
#define RMI_REC_ENTER		0xC400015Cull
#define RMI_MEASURE_CONTENT	1u
#define RMI_EMUL_MMIO		1u	/* RmiRecEntry.flags */
#define EXIT_SYNC		0u	/* RmiRecExit.exit_reason */
#define EXIT_PSCI		3u
#define EXIT_HOST_CALL		5u
#define REALM_UNPROTECTED	(1ull << 38)	/* first unprotected IPA, s2sz 39 */

#define PAGE		0x1000ull
#define MB2		0x200000ull
#define BENCH_VMID	0x77u
#define MAX_AUX		16u

void bench_smc(const uint64_t in[8], uint64_t out[8], uint64_t delta[2]);
void bench_nop(const uint64_t in[8], uint64_t out[8], uint64_t delta[2]);
void bench_loop(uint64_t iters, uint64_t delta[2]);

/* ---- PMU cycle counter at NS-EL2 ---- */
#define PMCR_E		(1ull << 0)
#define PMCR_C		(1ull << 2)
#define PMCR_LC		(1ull << 6)
#define PMCCFILTR_M	(1ull << 26)
#define PMCCFILTR_NSH	(1ull << 27)

static void pmu_setup(uint64_t filter)
{
	uint64_t pmcr;

	__asm__ volatile("msr pmccfiltr_el0, %0" : : "r"(filter));
	__asm__ volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
	pmcr |= PMCR_E | PMCR_C | PMCR_LC;
	__asm__ volatile("msr pmcr_el0, %0" : : "r"(pmcr));
	__asm__ volatile("msr pmcntenset_el0, %0" : : "r"(1ull << 31));
	__asm__ volatile("isb");
}

static uint64_t sysreg_pmcr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, pmcr_el0" : "=r"(v));
	return v;
}

static uint64_t sysreg_mdcr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, mdcr_el2" : "=r"(v));
	return v;
}

static uint64_t sysreg_cntfrq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* ---- samples ---- */
struct row {
	const char *name;
	uint64_t insns[BENCH_RUNS];
	uint64_t pmc[BENCH_RUNS];
	unsigned int n;
	bool failed;
	uint64_t status;	/* first failing status */
	const char *at;		/* what failed: the measured call or a setup step */
};

static uint64_t base_insns, base_pmc;	/* overhead of the measurement itself */

/* Row letters of every measured call, in order (execution-trace attribution). */
static char seq[4096];
static unsigned int seq_len;

static void seq_add(char c)
{
	if (seq_len < sizeof(seq) - 1u)
		seq[seq_len++] = c;
}

static void sort(uint64_t *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0u && v[j - 1u] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1u];
			v[j - 1u] = t;
		}
}

static uint64_t median_of(const uint64_t *src, unsigned int n)
{
	uint64_t v[BENCH_RUNS];

	if (n == 0u)
		return 0;
	for (unsigned int i = 0; i < n; i++)
		v[i] = src[i];
	sort(v, n);
	return v[n / 2u];
}

static void row_fail(struct row *r, uint64_t status, const char *at)
{
	if (!r->failed) {
		r->failed = true;
		r->status = status;
		r->at = at;
	}
}

/*
 * One measured SMC; the sample goes to r when x0 is one of the statuses
 * accepted (ok(x0)), otherwise the row fails with that status.
 */
typedef bool (*status_ok)(uint64_t x0);

static bool is_success(uint64_t x0)
{
	return x0 == RMI_SUCCESS;
}

static bool is_input_error(uint64_t x0)
{
	return x0 == RMI_ERROR_INPUT;
}

static bool is_psci_version(uint64_t x0)
{
	return (x0 >> 31) == 0u;	/* a version, not NOT_SUPPORTED (-1) */
}

static struct smc_res measure(struct row *r, char tag, status_ok ok, uint64_t fid, uint64_t a1,
			      uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	uint64_t in[8] = { fid, a1, a2, a3, a4, a5, 0, 0 };
	uint64_t d[2];
	struct smc_res res;

	bench_smc(in, res.x, d);
	seq_add(tag);
	if (!ok(res.x[0])) {
		row_fail(r, res.x[0], "call");
		return res;
	}
	if (r->n < BENCH_RUNS) {
		r->insns[r->n] = d[0] - base_insns;
		r->pmc[r->n] = d[1] - base_pmc;
		r->n++;
	}
	return res;
}

static void print_row(const struct row *r, char tag_letter)
{
	char t[2] = { tag_letter, '\0' };

	hputs("BENCH name=");
	hputs(r->name);
	hputs(" tag=");
	hputs(t);
	if (r->failed || r->n == 0u) {
		hputs(" error=");
		hput_hex(r->failed ? r->status : SMC_UNKNOWN);
		hputs(" at=");
		hputs(r->failed ? r->at : "no-sample");
		hputs("\n");
		return;
	}
	{
		uint64_t v[BENCH_RUNS];

		for (unsigned int i = 0; i < r->n; i++)
			v[i] = r->insns[i];
		sort(v, r->n);
		hputs(" insns=");
		hput_dec(v[r->n / 2u]);
		hputs(" min=");
		hput_dec(v[0]);
		hputs(" max=");
		hput_dec(v[r->n - 1u]);
		hputs(" runs=");
		hput_dec(r->n);
		hputs(" pmccntr=");
		hput_dec(median_of(r->pmc, r->n));
		hputs("\n");
	}
}

/* ---- unmeasured helpers (setup) ---- */
static uint64_t call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	return smc6(fid, a1, a2, a3, a4, 0).x[0];
}

/* A granule delegated to the Realm PAS, or 0 (status in *st). */
static uint64_t delegated(uint64_t *st)
{
	uint64_t pa = host_granule();

	*st = rmi_delegate(pa);
	return *st == RMI_SUCCESS ? pa : 0u;
}

/* RmiRealmParams (structures.md 4): 39-bit IPA space, one level-1 root RTT, SHA-256. */
static void realm_params(uint64_t page, uint64_t rtt)
{
	uint64_t *w = host_page(page);

	host_zero(page);
	w[0x008 / 8] = 39;		/* s2sz */
	w[0x018 / 8] = 1;		/* num_bps */
	w[0x020 / 8] = 1;		/* num_wps */
	w[0x030 / 8] = 0;		/* hash_algo: SHA-256 */
	for (unsigned int i = 0; i < 8u; i++)
		w[0x400 / 8 + i] = 0x4245484e43480000ull + i;	/* rpv */
	w[0x800 / 8] = BENCH_VMID;
	w[0x808 / 8] = rtt;		/* rtt_base */
	w[0x810 / 8] = 1;		/* rtt_level_start */
	w[0x818 / 8] = 1;		/* rtt_num_start */
}

/* RmiRecParams (structures.md 5): runnable REC 0 with num_aux aux granules. */
static void rec_params(uint64_t page, const uint64_t *aux, uint64_t num_aux)
{
	uint64_t *w = host_page(page);

	host_zero(page);
	w[0x000 / 8] = 1;		/* flags: runnable */
	w[0x100 / 8] = 0;		/* mpidr */
	w[0x200 / 8] = 0;		/* pc */
	for (unsigned int i = 0; i < 8u; i++)
		w[0x300 / 8 + i] = i;	/* gprs */
	w[0x800 / 8] = num_aux;
	for (unsigned int i = 0; i < num_aux && i < MAX_AUX; i++)
		w[0x808 / 8 + i] = aux[i];
}

struct realm {
	uint64_t rd, root, params;
	bool ok;
};

/* Granules for a realm (once); each realm_up() creates the realm on them. */
static uint64_t realm_granules(struct realm *r)
{
	uint64_t st;

	r->ok = false;
	r->params = host_granule();
	r->rd = delegated(&st);
	if (r->rd == 0u)
		return st;
	r->root = delegated(&st);
	if (r->root == 0u)
		return st;
	realm_params(r->params, r->root);
	return RMI_SUCCESS;
}

static uint64_t realm_up(struct realm *r)
{
	uint64_t st = call(RMI_REALM_CREATE, r->rd, r->params, 0, 0);

	r->ok = st == RMI_SUCCESS;
	return st;
}

static void realm_down(struct realm *r)
{
	if (r->ok)
		(void)call(RMI_REALM_DESTROY, r->rd, 0, 0, 0);
	r->ok = false;
}

/* ---- rows ---- */
enum {
	R_PSCI, R_VERSION, R_FEATURES, R_DELEGATE, R_UNDELEGATE, R_REALM_CREATE, R_REALM_DESTROY,
	R_REC_CREATE, R_REC_DESTROY, R_RTT_CREATE, R_RTT_DESTROY, R_DATA_CREATE_MEAS,
	R_DATA_CREATE, R_DATA_DESTROY, R_DATA_CREATE_UNKNOWN, R_RTT_READ_ENTRY, R_INIT_RIPAS,
	R_PROBE_DEL_NODRAM, R_PROBE_DEL_DELEGATED, R_PROBE_READ_NODRAM, R_PROBE_READ_NOTRD,
	R_REC_ENTER_HC, R_REC_ENTER_HC_FP, R_REC_ENTER_MMIO, R_RSI_VERSION, R_RSI_EXTEND, R_RSI_IPA_STATE, R_TOKEN,
	R_COUNT
};

static struct row rows[R_COUNT] = {
	[R_PSCI] = { .name = "psci_version" },
	[R_VERSION] = { .name = "rmi_version" },
	[R_FEATURES] = { .name = "rmi_features" },
	[R_DELEGATE] = { .name = "granule_delegate" },
	[R_UNDELEGATE] = { .name = "granule_undelegate" },
	[R_REALM_CREATE] = { .name = "realm_create" },
	[R_REALM_DESTROY] = { .name = "realm_destroy" },
	[R_REC_CREATE] = { .name = "rec_create" },
	[R_REC_DESTROY] = { .name = "rec_destroy" },
	[R_RTT_CREATE] = { .name = "rtt_create" },
	[R_RTT_DESTROY] = { .name = "rtt_destroy" },
	[R_DATA_CREATE_MEAS] = { .name = "data_create_measured" },
	[R_DATA_CREATE] = { .name = "data_create" },
	[R_DATA_DESTROY] = { .name = "data_destroy" },
	[R_DATA_CREATE_UNKNOWN] = { .name = "data_create_unknown" },
	[R_RTT_READ_ENTRY] = { .name = "rtt_read_entry" },
	[R_INIT_RIPAS] = { .name = "rtt_init_ripas" },
	[R_PROBE_DEL_NODRAM] = { .name = "probe_delegate_outside_dram" },
	[R_PROBE_DEL_DELEGATED] = { .name = "probe_delegate_delegated" },
	[R_PROBE_READ_NODRAM] = { .name = "probe_read_entry_rd_outside_dram" },
	[R_PROBE_READ_NOTRD] = { .name = "probe_read_entry_rd_not_rd" },
	[R_REC_ENTER_HC] = { .name = "rec_enter_host_call" },
	[R_REC_ENTER_HC_FP] = { .name = "rec_enter_host_call_fp" },
	[R_REC_ENTER_MMIO] = { .name = "rec_enter_mmio" },
	[R_RSI_VERSION] = { .name = "rsi_version" },
	[R_RSI_EXTEND] = { .name = "rsi_measurement_extend" },
	[R_RSI_IPA_STATE] = { .name = "rsi_ipa_state_get" },
	[R_TOKEN] = { .name = "attestation_token" },
};

static char tag(unsigned int row)
{
	return (char)('A' + row);
}

static struct smc_res m(unsigned int row, status_ok ok, uint64_t fid, uint64_t a1, uint64_t a2,
			uint64_t a3, uint64_t a4, uint64_t a5)
{
	return measure(&rows[row], tag(row), ok, fid, a1, a2, a3, a4, a5);
}

/* Fail every row in [first, last] with the status of a failed setup step. */
static void fail_rows(unsigned int first, unsigned int last, uint64_t st, const char *at)
{
	for (unsigned int i = first; i <= last; i++)
		row_fail(&rows[i], st, at);
}

static void bench_el3_and_queries(void)
{
	for (unsigned int i = 0; i < BENCH_RUNS; i++) {
		(void)m(R_PSCI, is_psci_version, PSCI_VERSION, 0, 0, 0, 0, 0);
		(void)m(R_VERSION, is_success, RMI_VERSION, RMI_ABI_1_0, 0, 0, 0, 0);
		(void)m(R_FEATURES, is_success, RMI_FEATURES, 0, 0, 0, 0, 0);
	}
}

static void bench_granules(void)
{
	uint64_t g = host_granule();

	for (unsigned int i = 0; i < BENCH_RUNS; i++) {
		if (m(R_DELEGATE, is_success, RMI_GRANULE_DELEGATE, g, 0, 0, 0, 0).x[0] != RMI_SUCCESS)
			break;
		if (m(R_UNDELEGATE, is_success, RMI_GRANULE_UNDELEGATE, g, 0, 0, 0, 0).x[0] !=
		    RMI_SUCCESS)
			break;
	}
}

static void bench_realm(void)
{
	struct realm r;
	uint64_t st = realm_granules(&r);

	if (st != RMI_SUCCESS) {
		fail_rows(R_REALM_CREATE, R_REALM_DESTROY, st, "delegate");
		return;
	}
	for (unsigned int i = 0; i < BENCH_RUNS; i++) {
		if (m(R_REALM_CREATE, is_success, RMI_REALM_CREATE, r.rd, r.params, 0, 0, 0).x[0] !=
		    RMI_SUCCESS)
			break;
		if (m(R_REALM_DESTROY, is_success, RMI_REALM_DESTROY, r.rd, 0, 0, 0, 0).x[0] !=
		    RMI_SUCCESS)
			break;
	}
}

/* REC_CREATE (+ REC_DESTROY) with REC_AUX_COUNT aux granules, each on a fresh NEW realm. */
static void bench_rec(void)
{
	uint64_t aux[MAX_AUX], rec, params = host_granule(), st, num_aux;
	struct smc_res res;
	struct realm r;

	st = realm_granules(&r);
	if (st == RMI_SUCCESS)
		st = realm_up(&r);
	if (st != RMI_SUCCESS) {
		fail_rows(R_REC_CREATE, R_REC_DESTROY, st, "realm_create");
		return;
	}
	res = smc1(RMI_REC_AUX_COUNT, r.rd);
	if (res.x[0] != RMI_SUCCESS || res.x[1] > MAX_AUX) {
		fail_rows(R_REC_CREATE, R_REC_DESTROY, res.x[0], "rec_aux_count");
		realm_down(&r);
		return;
	}
	num_aux = res.x[1];
	hputs("BENCHINFO rec_aux_count=");
	hput_dec(num_aux);
	hputs("\n");
	rec = delegated(&st);
	for (unsigned int i = 0; i < num_aux && st == RMI_SUCCESS; i++)
		aux[i] = delegated(&st);
	if (st != RMI_SUCCESS) {
		fail_rows(R_REC_CREATE, R_REC_DESTROY, st, "delegate");
		realm_down(&r);
		return;
	}
	rec_params(params, aux, num_aux);
	for (unsigned int i = 0; i < BENCH_RUNS; i++) {
		if (i != 0u) {
			st = realm_up(&r);
			if (st != RMI_SUCCESS) {
				fail_rows(R_REC_CREATE, R_REC_DESTROY, st, "realm_create");
				break;
			}
		}
		if (m(R_REC_CREATE, is_success, RMI_REC_CREATE, r.rd, rec, params, 0, 0).x[0] !=
		    RMI_SUCCESS)
			break;
		if (m(R_REC_DESTROY, is_success, RMI_REC_DESTROY, rec, 0, 0, 0, 0).x[0] != RMI_SUCCESS)
			break;
		realm_down(&r);
	}
	realm_down(&r);
}

/*
 * One NEW realm: RTT_CREATE/DESTROY of a level-3 table at IPA 0; DATA_* in a
 * level-3 table at 2 MB (a fresh IPA for every create); RTT_READ_ENTRY of a
 * level-3 entry; RTT_INIT_RIPAS of one fresh page at a time in a level-3 table at 4 MB.
 */
static void bench_rtt_data(void)
{
	uint64_t l2, l3, l3_data, l3_ripas, data, src = host_granule(), st;
	struct realm r;

	st = realm_granules(&r);
	if (st == RMI_SUCCESS)
		st = realm_up(&r);
	if (st != RMI_SUCCESS) {
		fail_rows(R_RTT_CREATE, R_INIT_RIPAS, st, "realm_create");
		return;
	}
	l2 = delegated(&st);
	l3 = st == RMI_SUCCESS ? delegated(&st) : 0u;
	l3_data = st == RMI_SUCCESS ? delegated(&st) : 0u;
	l3_ripas = st == RMI_SUCCESS ? delegated(&st) : 0u;
	data = st == RMI_SUCCESS ? delegated(&st) : 0u;
	if (st != RMI_SUCCESS) {
		fail_rows(R_RTT_CREATE, R_INIT_RIPAS, st, "delegate");
		realm_down(&r);
		return;
	}
	host_fill(src, 0x5a5a000000000000ull);
	st = call(RMI_RTT_CREATE, r.rd, l2, 0, 2);
	if (st != RMI_SUCCESS) {
		fail_rows(R_RTT_CREATE, R_INIT_RIPAS, st, "rtt_create_l2");
		realm_down(&r);
		return;
	}
	for (unsigned int i = 0; i < BENCH_RUNS; i++) {
		if (m(R_RTT_CREATE, is_success, RMI_RTT_CREATE, r.rd, l3, 0, 3, 0).x[0] != RMI_SUCCESS)
			break;
		if (m(R_RTT_DESTROY, is_success, RMI_RTT_DESTROY, r.rd, 0, 3, 0, 0).x[0] != RMI_SUCCESS)
			break;
	}

	st = call(RMI_RTT_CREATE, r.rd, l3_data, MB2, 3);
	if (st != RMI_SUCCESS) {
		fail_rows(R_DATA_CREATE_MEAS, R_RTT_READ_ENTRY, st, "rtt_create_l3");
	} else {
		for (unsigned int i = 0; i < BENCH_RUNS; i++) {
			uint64_t ipa = MB2 + PAGE * i;

			if (m(R_DATA_CREATE_MEAS, is_success, RMI_DATA_CREATE, r.rd, data, ipa, src,
			      RMI_MEASURE_CONTENT).x[0] != RMI_SUCCESS)
				break;
			if (call(RMI_DATA_DESTROY, r.rd, ipa, 0, 0) != RMI_SUCCESS) {
				row_fail(&rows[R_DATA_CREATE_MEAS], SMC_UNKNOWN, "data_destroy");
				break;
			}
		}
		for (unsigned int i = 0; i < BENCH_RUNS; i++) {
			uint64_t ipa = MB2 + PAGE * (BENCH_RUNS + i);

			if (m(R_DATA_CREATE, is_success, RMI_DATA_CREATE, r.rd, data, ipa, src, 0).x[0] !=
			    RMI_SUCCESS)
				break;
			if (m(R_DATA_DESTROY, is_success, RMI_DATA_DESTROY, r.rd, ipa, 0, 0, 0).x[0] !=
			    RMI_SUCCESS)
				break;
		}
		for (unsigned int i = 0; i < BENCH_RUNS; i++) {
			uint64_t ipa = MB2 + PAGE * (2u * BENCH_RUNS + i);

			if (m(R_DATA_CREATE_UNKNOWN, is_success, RMI_DATA_CREATE_UNKNOWN, r.rd, data, ipa,
			      0, 0).x[0] != RMI_SUCCESS)
				break;
			if (call(RMI_DATA_DESTROY, r.rd, ipa, 0, 0) != RMI_SUCCESS) {
				row_fail(&rows[R_DATA_CREATE_UNKNOWN], SMC_UNKNOWN, "data_destroy");
				break;
			}
		}
		for (unsigned int i = 0; i < BENCH_RUNS; i++)
			(void)m(R_RTT_READ_ENTRY, is_success, RMI_RTT_READ_ENTRY, r.rd, MB2, 3, 0, 0);
	}

	st = call(RMI_RTT_CREATE, r.rd, l3_ripas, 2u * MB2, 3);
	if (st != RMI_SUCCESS) {
		row_fail(&rows[R_INIT_RIPAS], st, "rtt_create_l3");
	} else {
		for (unsigned int i = 0; i < BENCH_RUNS; i++) {
			uint64_t ipa = 2u * MB2 + PAGE * i;

			(void)m(R_INIT_RIPAS, is_success, RMI_RTT_INIT_RIPAS, r.rd, ipa, ipa + PAGE, 0, 0);
		}
	}

	/*
	 * Calls that fail with RMI_ERROR_INPUT at different depths (the IPC
	 * probes of docs/performance.md): outside DRAM (the RMM can refuse at
	 * once) and a DELEGATED granule that is not what the command needs
	 * (the RMM must look up the granule's state).
	 */
	for (unsigned int i = 0; i < BENCH_RUNS; i++) {
		(void)m(R_PROBE_DEL_NODRAM, is_input_error, RMI_GRANULE_DELEGATE, PAGE, 0, 0, 0, 0);
		(void)m(R_PROBE_DEL_DELEGATED, is_input_error, RMI_GRANULE_DELEGATE, data, 0, 0, 0, 0);
		(void)m(R_PROBE_READ_NODRAM, is_input_error, RMI_RTT_READ_ENTRY, PAGE, 0, 1, 0, 0);
		(void)m(R_PROBE_READ_NOTRD, is_input_error, RMI_RTT_READ_ENTRY, data, 0, 1, 0, 0);
	}
	realm_down(&r);
}

/* ---- a running realm (tests/bench/realm.S) ---- */
extern const uint8_t bench_realm_payload[], bench_realm_payload_end[];

/* A sample measured inside the realm (its own overhead subtracted). */
static void row_add(struct row *r, uint64_t v)
{
	if (r->n < BENCH_RUNS) {
		r->insns[r->n] = v;
		r->pmc[r->n] = 0;
		r->n++;
	}
}

static void fail_realm_rows(uint64_t st, const char *at)
{
	fail_rows(R_REC_ENTER_HC, R_TOKEN, st, at);
}

/*
 * REC_ENTER round trips to a host-call exit and to an MMIO exit, measured
 * here; RSI calls the RMM answers itself, measured by the realm and
 * reported through host calls.
 */
static void bench_realm_run(void)
{
	uint64_t src = host_granule(), zero = host_granule(), params = host_granule();
	uint64_t run_pa = host_granule(), aux[MAX_AUX], st, num_aux, l2, l3, d0, d1, rec;
	uint64_t overhead[BENCH_RUNS], n_over = 0, *run = host_page(run_pa);
	const uint8_t *b = bench_realm_payload;
	uint8_t *sp = (uint8_t *)host_page(src);
	struct smc_res res;
	struct realm r;
	bool off = false;

	for (size_t i = 0; i < (size_t)(bench_realm_payload_end - bench_realm_payload) && i < 4096u; i++)
		sp[i] = b[i];
	st = realm_granules(&r);
	if (st == RMI_SUCCESS) {
		realm_params(r.params, r.root);
		host_page(r.params)[0x800 / 8] = BENCH_VMID + 1u;
		st = realm_up(&r);
	}
	if (st != RMI_SUCCESS) {
		fail_realm_rows(st, "realm_create");
		return;
	}
	res = smc1(RMI_REC_AUX_COUNT, r.rd);
	num_aux = res.x[1];
	if (res.x[0] != RMI_SUCCESS || num_aux > MAX_AUX) {
		fail_realm_rows(res.x[0], "rec_aux_count");
		return;
	}
	l2 = delegated(&st);
	l3 = st == RMI_SUCCESS ? delegated(&st) : 0u;
	d0 = st == RMI_SUCCESS ? delegated(&st) : 0u;
	d1 = st == RMI_SUCCESS ? delegated(&st) : 0u;
	rec = st == RMI_SUCCESS ? delegated(&st) : 0u;
	for (unsigned int i = 0; i < num_aux && st == RMI_SUCCESS; i++)
		aux[i] = delegated(&st);
	if (st != RMI_SUCCESS) {
		fail_realm_rows(st, "delegate");
		return;
	}
	if ((st = call(RMI_RTT_CREATE, r.rd, l2, 0, 2)) != RMI_SUCCESS ||
	    (st = call(RMI_RTT_CREATE, r.rd, l3, 0, 3)) != RMI_SUCCESS ||
	    (st = call(RMI_RTT_INIT_RIPAS, r.rd, 0, 2u * PAGE, 0)) != RMI_SUCCESS ||
	    (st = smc6(RMI_DATA_CREATE, r.rd, d0, 0, src, 0).x[0]) != RMI_SUCCESS ||
	    (st = smc6(RMI_DATA_CREATE, r.rd, d1, PAGE, zero, 0).x[0]) != RMI_SUCCESS) {
		fail_realm_rows(st, "populate");
		return;
	}
	rec_params(params, aux, num_aux);
	if ((st = call(RMI_REC_CREATE, r.rd, rec, params, 0)) != RMI_SUCCESS ||
	    (st = call(RMI_REALM_ACTIVATE, r.rd, 0, 0, 0)) != RMI_SUCCESS) {
		fail_realm_rows(st, "rec_create");
		return;
	}
	host_zero(run_pa);

	/* 0: the realm asks how many; the answer goes with the next entry */
	res = smc6(RMI_REC_ENTER, rec, run_pa, 0, 0, 0);
	if (res.x[0] != RMI_SUCCESS || run[0x800 / 8] != EXIT_HOST_CALL || run[0xE00 / 8] != 0u) {
		fail_realm_rows(res.x[0] != RMI_SUCCESS ? res.x[0] : SMC_UNKNOWN, "rec_enter");
		return;
	}
	run[0x200 / 8] = BENCH_RUNS;
	/* 1: host-call exits */
	for (unsigned int i = 0; i < BENCH_RUNS; i++) {
		res = m(R_REC_ENTER_HC, is_success, RMI_REC_ENTER, rec, run_pa, 0, 0, 0);
		if (res.x[0] != RMI_SUCCESS)
			break;
		if (run[0x800 / 8] != EXIT_HOST_CALL || run[0xE00 / 8] != 1u) {
			row_fail(&rows[R_REC_ENTER_HC], run[0x800 / 8], "exit_reason");
			break;
		}
	}
	/* 1b: host-call exits of a realm that uses FP in every entry */
	for (unsigned int i = 0; i < BENCH_RUNS; i++) {
		res = m(R_REC_ENTER_HC_FP, is_success, RMI_REC_ENTER, rec, run_pa, 0, 0, 0);
		if (res.x[0] != RMI_SUCCESS)
			break;
		if (run[0x800 / 8] != EXIT_HOST_CALL || run[0xE00 / 8] != 6u) {
			row_fail(&rows[R_REC_ENTER_HC_FP], run[0x800 / 8], "exit_reason");
			break;
		}
	}
	/* 2: MMIO exits; every read is emulated with EMUL_MMIO on the next entry */
	for (unsigned int i = 0; i < BENCH_RUNS; i++) {
		res = m(R_REC_ENTER_MMIO, is_success, RMI_REC_ENTER, rec, run_pa, 0, 0, 0);
		if (res.x[0] != RMI_SUCCESS)
			break;
		if (run[0x800 / 8] != EXIT_SYNC || (run[0x900 / 8] >> 26) != 0x24u ||
		    run[0x910 / 8] != REALM_UNPROTECTED >> 8) {
			row_fail(&rows[R_REC_ENTER_MMIO], run[0x800 / 8], "exit_reason");
			break;
		}
		run[0] = RMI_EMUL_MMIO;
		run[0x200 / 8] = 0x1234u + i;
	}
	/* 3: samples measured by the realm, until it powers off */
	for (unsigned int i = 0; i < 8u * BENCH_RUNS + 8u && !off; i++) {
		res = smc6(RMI_REC_ENTER, rec, run_pa, 0, 0, 0);
		run[0] = 0;
		if (res.x[0] != RMI_SUCCESS) {
			fail_rows(R_RSI_VERSION, R_TOKEN, res.x[0], "rec_enter");
			break;
		}
		if (run[0x800 / 8] == EXIT_PSCI) {
			off = true;
		} else if (run[0x800 / 8] == EXIT_HOST_CALL) {
			uint64_t kind = run[0xE00 / 8], v = run[0xA00 / 8], status = run[0xA08 / 8];
			unsigned int row = kind == 2u ? R_RSI_VERSION : kind == 3u ? R_RSI_EXTEND :
					   kind == 4u ? R_RSI_IPA_STATE : R_TOKEN;

			if (kind == 9u) {
				if (n_over < BENCH_RUNS)
					overhead[n_over++] = v;
			} else if (kind >= 2u && kind <= 5u) {
				uint64_t base = median_of(overhead, (unsigned int)n_over);

				if (status != 0u)
					row_fail(&rows[row], status, "rsi");
				else
					row_add(&rows[row], v > base ? v - base : 0u);
			}
		} else {
			fail_rows(R_RSI_VERSION, R_TOKEN, run[0x800 / 8], "exit_reason");
			break;
		}
	}
	hputs("BENCHINFO realm_overhead_cntvct=");
	hput_dec(median_of(overhead, (unsigned int)n_over));
	hputs("\n");
}

/* Counter differences of a measured nop (the overhead) and of a 2000-instruction loop. */
static void calibrate(void)
{
	uint64_t in[8] = { 0 }, out[8], d[2], v[BENCH_RUNS], p[BENCH_RUNS];

	for (unsigned int i = 0; i < BENCH_RUNS; i++) {
		bench_nop(in, out, d);
		v[i] = d[0];
		p[i] = d[1];
	}
	base_insns = median_of(v, BENCH_RUNS);
	base_pmc = median_of(p, BENCH_RUNS);
	bench_loop(1000, d);
	hputs("BENCHINFO runs=");
	hput_dec(BENCH_RUNS);
	hputs(" cntfrq=");
	hput_dec(sysreg_cntfrq());
	hputs(" pmcr_el0=");
	hput_hex(sysreg_pmcr());
	hputs(" mdcr_el2=");
	hput_hex(sysreg_mdcr());
	hputs(" overhead_cntvct=");
	hput_dec(base_insns);
	hputs(" overhead_pmccntr=");
	hput_dec(base_pmc);
	hputs(" loop2000_cntvct=");
	hput_dec(d[0]);
	hputs(" loop2000_pmccntr=");
	hput_dec(d[1]);
	hputs("\n");
}

/*
 * What PMCCNTR_EL0 sees of an SMC with and without counting at EL3
 * (PMCCFILTR_EL0.M equal to / different from .P): printed for
 * docs/performance.md, not used for the results.
 */
static void pmu_filters(void)
{
	static const struct {
		const char *name;
		uint64_t filter;
	} f[] = {
		{ "nsh", PMCCFILTR_NSH },
		{ "nsh_m", PMCCFILTR_NSH | PMCCFILTR_M },
		{ "none", 0 },
		{ "m", PMCCFILTR_M },
	};
	uint64_t in[8] = { PSCI_VERSION, 0, 0, 0, 0, 0, 0, 0 }, out[8], d[2];
	uint64_t rin[8] = { RMI_VERSION, RMI_ABI_1_0, 0, 0, 0, 0, 0, 0 };

	for (unsigned int i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		pmu_setup(f[i].filter);
		hputs("BENCHPMU filter=");
		hputs(f[i].name);
		hputs(" pmccfiltr=");
		hput_hex(f[i].filter);
		bench_smc(in, out, d);
		seq_add('-');
		hputs(" psci_cntvct=");
		hput_dec(d[0]);
		hputs(" psci_pmccntr=");
		hput_dec(d[1]);
		bench_smc(rin, out, d);
		seq_add('-');
		hputs(" rmi_version_cntvct=");
		hput_dec(d[0]);
		hputs(" rmi_version_pmccntr=");
		hput_dec(d[1]);
		hputs("\n");
	}
	pmu_setup(PMCCFILTR_NSH);
}

static void print_seq(void)
{
	hputs("BENCHSEQ ");
	for (unsigned int i = 0; i < seq_len; i += 64u) {
		char chunk[65];
		unsigned int k = 0;

		for (; k < 64u && i + k < seq_len; k++)
			chunk[k] = seq[i + k];
		chunk[k] = '\0';
		hputs(chunk);
	}
	hputs("\n");
}

TEST(bench)
{
	(void)t;
	pmu_setup(PMCCFILTR_NSH);
	calibrate();
	pmu_filters();
	bench_el3_and_queries();
	bench_granules();
	bench_realm();
	bench_rec();
	bench_rtt_data();
	bench_realm_run();
	for (unsigned int i = 0; i < R_COUNT; i++)
		print_row(&rows[i], tag(i));
	print_seq();
	hputs("BENCHEND\n");
}
