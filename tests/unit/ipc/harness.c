/* Test harness of the IPC transport tests (see harness.h). */
#define _GNU_SOURCE
#include "harness.h"

#include <arch/cpu.h>
#include <kernel/log.h>
#include <kernel/panic.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- host versions of what kernel/ipc.c and kernel/log.c link against ---- */

void panic(const char *why)
{
	fprintf(stderr, "ERROR: panic() on CPU %u: %s\n", arch_cpu_id(), why);
	abort();
}

void plat_console_write(const char *s, size_t len)
{
	fwrite(s, 1, len, stderr);
}

bool ipc_env_in_dram(uint64_t pa)
{
	return pa >= H_DRAM_BASE && pa - H_DRAM_BASE < H_DRAM_SIZE;
}

/* ---- watchdog ---- */

static void on_alarm(int sig)
{
	static const char m[] = "ERROR: watchdog: test still running after its time limit "
				"(deadlock or livelock in the transport?)\n";

	(void)sig;
	if (write(2, m, sizeof(m) - 1) < 0)
		_exit(3);
	_exit(3);
}

void h_watchdog(unsigned int seconds)
{
	signal(SIGALRM, on_alarm);
	alarm(seconds);
}

/* ---- failures ---- */

static pthread_mutex_t fail_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long fail_count;
static char fail_first[256];

void h_fail(const char *file, int line, const char *what)
{
	pthread_mutex_lock(&fail_lock);
	if (fail_count++ == 0)
		snprintf(fail_first, sizeof(fail_first), "%s:%d: %s", file, line, what);
	pthread_mutex_unlock(&fail_lock);
	fprintf(stderr, "# HCHECK failed (CPU %u) %s:%d: %s\n", arch_cpu_id(), file, line, what);
}

unsigned long h_failures(void)
{
	unsigned long n;

	pthread_mutex_lock(&fail_lock);
	n = fail_count;
	pthread_mutex_unlock(&fail_lock);
	return n;
}

const char *h_first_failure(void)
{
	return fail_first;
}

void h_reset_failures(void)
{
	pthread_mutex_lock(&fail_lock);
	fail_count = 0;
	fail_first[0] = '\0';
	pthread_mutex_unlock(&fail_lock);
}

/* ---- counters ---- */

static unsigned long handler_calls[H_COUNT];
static struct h_svc_info svc_info[IPC_SVC_COUNT];
static unsigned int window_spins;
static unsigned long window_ticks;	/* busy work inside the window */
static bool registered[IPC_SVC_COUNT];

static void count(enum h_handler h)
{
	__atomic_add_fetch(&handler_calls[h], 1u, __ATOMIC_RELAXED);
}

unsigned long h_calls(enum h_handler h)
{
	return __atomic_load_n(&handler_calls[h], __ATOMIC_RELAXED);
}

unsigned long h_all_calls(void)
{
	unsigned long n = 0;

	for (int i = 0; i < H_COUNT; i++)
		n += h_calls((enum h_handler)i);
	return n;
}

void h_svc_get(enum ipc_service svc, struct h_svc_info *out)
{
	struct h_svc_info *s = &svc_info[svc];

	out->dispatches = __atomic_load_n(&s->dispatches, __ATOMIC_SEQ_CST);
	out->overlaps = __atomic_load_n(&s->overlaps, __ATOMIC_SEQ_CST);
	out->inside = __atomic_load_n(&s->inside, __ATOMIC_SEQ_CST);
	out->ran_on = __atomic_load_n(&s->ran_on, __ATOMIC_SEQ_CST);
	out->last_msg = __atomic_load_n(&s->last_msg, __ATOMIC_SEQ_CST);
}

void h_set_window(unsigned int spins)
{
	__atomic_store_n(&window_spins, spins, __ATOMIC_RELAXED);
}

void h_set_registered(enum ipc_service svc, bool on)
{
	__atomic_store_n(&registered[svc], on, __ATOMIC_SEQ_CST);
}

/* ---- handler state and knobs ---- */

struct example_state { int unused; };
struct tgran_state { int unused; };
struct tsvc2_state { int unused; };
struct tsvc3_state { int unused; };
static struct example_state ex_st;
static struct tgran_state tg_st;
static struct tsvc2_state s2_st;
static struct tsvc3_state s3_st;

struct h_cfg h_cfg;
struct example_scalars_req h_last_scalars;
struct h_lease_rec h_rec_map, h_rec_max_refs, h_rec_claim2, h_rec_s2;
uint64_t h_last_claim_req_pa;
void (*h_ping_hook)(void);
void (*h_bulk_hook)(const struct example_bulk_req *req);
static h_s2_fn s2_fns[16];

void h_set_s2(unsigned int scenario, h_s2_fn fn)
{
	if (scenario < 16u)
		__atomic_store_n(&s2_fns[scenario], fn, __ATOMIC_SEQ_CST);
}

void h_snap_leases(struct h_lease_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->count = ipc_current_lease_count();
	for (unsigned int i = 0; i < r->count && i < H_REC_LEASES; i++) {
		const struct ipc_lease *l = ipc_current_lease(i);

		if (l != NULL)
			r->lease[i] = *l;
	}
	r->null_past_end = ipc_current_lease(r->count) == NULL;
	r->svc = ipc_current_service();
}

/* ---- gate ---- */

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static bool gate_closed;
static unsigned int gate_waiting;

void h_gate_close(void)
{
	pthread_mutex_lock(&gate_lock);
	gate_closed = true;
	pthread_mutex_unlock(&gate_lock);
}

void h_gate_open(void)
{
	pthread_mutex_lock(&gate_lock);
	gate_closed = false;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
}

unsigned int h_gate_waiters(void)
{
	unsigned int n;

	pthread_mutex_lock(&gate_lock);
	n = gate_waiting;
	pthread_mutex_unlock(&gate_lock);
	return n;
}

static void gate_pass(void)
{
	pthread_mutex_lock(&gate_lock);
	gate_waiting++;
	while (gate_closed)
		pthread_cond_wait(&gate_cond, &gate_lock);
	gate_waiting--;
	pthread_mutex_unlock(&gate_lock);
}

/* ---- echo log ---- */

static uint64_t *echo_log;
static size_t echo_cap, echo_len;

void h_echo_log_start(uint64_t *buf, size_t cap)
{
	__atomic_store_n(&echo_len, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&echo_cap, cap, __ATOMIC_SEQ_CST);
	__atomic_store_n(&echo_log, buf, __ATOMIC_SEQ_CST);
}

size_t h_echo_log_len(void)
{
	return __atomic_load_n(&echo_len, __ATOMIC_SEQ_CST);
}

void h_echo_log_stop(void)
{
	__atomic_store_n(&echo_log, NULL, __ATOMIC_SEQ_CST);
}

/* ---- handlers: service 1, ipc/example.toml ---- */

int32_t example_handle_ping(struct example_state *st)
{
	void (*hook)(void) = __atomic_load_n(&h_ping_hook, __ATOMIC_SEQ_CST);

	(void)st;
	count(H_EX_PING);
	if (hook != NULL)
		hook();
	return h_cfg.ping_status;
}

int32_t example_handle_scalars(struct example_state *st, const struct example_scalars_req *req,
			       struct example_scalars_rep *rep)
{
	(void)st;
	count(H_EX_SCALARS);
	h_last_scalars = *req;
	rep->sum = req->flag + req->half + req->word + req->small + req->big + req->addr +
		   req->limit + req->col + req->low;
	rep->lvl = EXAMPLE_LEVEL_HIGH;
	return h_cfg.scalars_status;
}

int32_t example_handle_arrays(struct example_state *st, const struct example_arrays_req *req,
			      struct example_arrays_rep *rep)
{
	(void)st;
	count(H_EX_ARRAYS);
	for (size_t i = 0; i < sizeof(req->tag); i++)
		rep->digest[i] = (uint8_t)(req->tag[i] + 1u);
	for (size_t i = 0; i < 3; i++)
		rep->digest[5 + i] = (uint8_t)req->vals[i];
	return 0;
}

int32_t example_handle_map(struct example_state *st, const struct example_map_req *req,
			   struct example_map_rep *rep)
{
	(void)st;
	count(H_EX_MAP);
	h_snap_leases(&h_rec_map);
	rep->mapped = req->count;
	return h_cfg.map_status;
}

int32_t example_handle_max_refs(struct example_state *st, const struct example_max_refs_req *req)
{
	(void)st;
	(void)req;
	count(H_EX_MAX_REFS);
	h_snap_leases(&h_rec_max_refs);
	return h_cfg.max_refs_status;
}

int32_t example_handle_status(struct example_state *st, struct example_status_rep *rep)
{
	(void)st;
	count(H_EX_STATUS);
	*rep = h_cfg.status_rep;
	return 0;
}

int32_t example_handle_bulk(struct example_state *st, const struct example_bulk_req *req,
			    struct example_bulk_rep *rep)
{
	void (*hook)(const struct example_bulk_req *) =
		__atomic_load_n(&h_bulk_hook, __ATOMIC_SEQ_CST);

	(void)st;
	count(H_EX_BULK);
	if (hook != NULL)
		hook(req);
	memset(rep->data, h_cfg.bulk_fill, sizeof(rep->data));
	return 0;
}

/* ---- handlers: service 1, tests/unit/ipc/tgran.toml ---- */

int32_t tgran_handle_echo(struct tgran_state *st, const struct tgran_echo_req *req,
			  struct tgran_echo_rep *rep)
{
	uint64_t *log;

	(void)st;
	count(H_TG_ECHO);
	log = __atomic_load_n(&echo_log, __ATOMIC_SEQ_CST);
	if (log != NULL) {
		size_t i = __atomic_fetch_add(&echo_len, 1u, __ATOMIC_SEQ_CST);

		if (i < __atomic_load_n(&echo_cap, __ATOMIC_SEQ_CST))
			log[i] = req->seq;
	}
	if (req->mode == 1u)
		gate_pass();
	rep->seq = req->seq;
	rep->cpu = req->cpu;
	rep->ran_on = arch_cpu_id();
	return 0;
}

int32_t tgran_handle_claim(struct tgran_state *st, const struct tgran_claim_req *req,
			   struct tgran_claim_rep *rep)
{
	const struct ipc_lease *l = ipc_current_lease(0);

	(void)st;
	count(H_TG_CLAIM);
	__atomic_store_n(&h_last_claim_req_pa, req->g.pa, __ATOMIC_RELAXED);
	rep->count = ipc_current_lease_count();
	if (l != NULL) {
		rep->pa = l->pa;
		rep->rights = l->rights;
	}
	return (int32_t)req->status;
}

int32_t tgran_handle_claim2(struct tgran_state *st, const struct tgran_claim2_req *req)
{
	(void)st;
	(void)req;
	count(H_TG_CLAIM2);
	h_snap_leases(&h_rec_claim2);
	return h_cfg.claim2_status;
}

int32_t tgran_handle_peek(struct tgran_state *st, const struct tgran_peek_req *req,
			  struct tgran_peek_rep *rep)
{
	const struct ipc_lease *l = ipc_current_lease(0);

	(void)st;
	(void)req;
	count(H_TG_PEEK);
	rep->count = ipc_current_lease_count();
	if (l != NULL) {
		rep->pa = l->pa;
		rep->offset = l->offset;
		rep->len = l->len;
		rep->rights = l->rights;
	}
	return 0;
}

/* ---- handlers: service 2 and 3 ---- */

int32_t tsvc2_handle_run(struct tsvc2_state *st, const struct tsvc2_run_req *req,
			 struct tsvc2_run_rep *rep)
{
	h_s2_fn fn = __atomic_load_n(&s2_fns[req->scenario], __ATOMIC_SEQ_CST);

	(void)st;
	count(H_S2_RUN);
	h_snap_leases(&h_rec_s2);
	rep->seq = req->seq;
	return fn != NULL ? fn(req, rep) : -1;
}

int32_t tsvc2_handle_take(struct tsvc2_state *st, const struct tsvc2_take_req *req)
{
	(void)st;
	(void)req;
	count(H_S2_TAKE);
	return 0;
}

/* Forward lease 0 (received from service 2) on to service 1 with the requested range. */
int32_t tsvc3_handle_refwd(struct tsvc3_state *st, const struct tsvc3_refwd_req *req,
			   struct tsvc3_refwd_rep *rep)
{
	struct tgran_peek_req p = { .f = h_fwd(0, (uint8_t)req->rights, req->offset, req->len) };
	struct tgran_peek_rep r;
	int32_t s = -1;

	(void)st;
	count(H_S3_REFWD);
	HCHECK(ipc_current_service() == IPC_SVC_ATTEST);
	memset(&r, 0, sizeof(r));
	rep->tstatus = tgran_peek(&p, &r, &s);
	if (rep->tstatus == IPC_OK) {
		HCHECK(s == 0);
		HCHECK(r.count == 1u);
		rep->offset = r.offset;
		rep->len = r.len;
		rep->rights = r.rights;
	}
	/* back in service 3 after the nested call */
	HCHECK(ipc_current_service() == IPC_SVC_ATTEST);
	return 0;
}

/* ---- registry ---- */

typedef enum ipc_status (*dispatch_fn)(uint16_t op, const uint8_t *msg, size_t len,
				       uint8_t *rep, size_t cap, size_t *rep_len, int32_t *st);

static enum ipc_status instrumented(enum ipc_service svc, dispatch_fn fn, uint16_t op,
				    const uint8_t *msg, size_t len, uint8_t *rep, size_t cap,
				    size_t *rep_len, int32_t *st)
{
	struct h_svc_info *s = &svc_info[svc];
	unsigned int spins = __atomic_load_n(&window_spins, __ATOMIC_RELAXED);
	enum ipc_status rc;

	__atomic_add_fetch(&s->dispatches, 1u, __ATOMIC_SEQ_CST);
	if (__atomic_exchange_n(&s->inside, 1u, __ATOMIC_SEQ_CST) != 0u)
		__atomic_add_fetch(&s->overlaps, 1u, __ATOMIC_SEQ_CST);
	__atomic_or_fetch(&s->ran_on, UINT64_C(1) << arch_cpu_id(), __ATOMIC_SEQ_CST);
	__atomic_store_n(&s->last_msg, msg, __ATOMIC_SEQ_CST);
	HCHECK(ipc_current_service() == svc);
	for (unsigned int i = 0; i < spins; i++)
		__atomic_add_fetch(&window_ticks, 1u, __ATOMIC_RELAXED);

	rc = fn(op, msg, len, rep, cap, rep_len, st);
	if (h_cfg.overlong_reply)
		*rep_len = cap + 1u;	/* a broken (or hostile) service */

	for (unsigned int i = 0; i < spins; i++)
		__atomic_add_fetch(&window_ticks, 1u, __ATOMIC_RELAXED);
	HCHECK(ipc_current_service() == svc);
	__atomic_store_n(&s->inside, 0u, __ATOMIC_SEQ_CST);
	return rc;
}

static enum ipc_status svc1_raw(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				size_t cap, size_t *rep_len, int32_t *st)
{
	enum ipc_status rc = example_dispatch(&ex_st, op, msg, len, rep, cap, rep_len, st);

	return rc == IPC_E_BAD_OP ? tgran_dispatch(&tg_st, op, msg, len, rep, cap, rep_len, st)
				  : rc;
}

static enum ipc_status svc2_raw(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				size_t cap, size_t *rep_len, int32_t *st)
{
	return tsvc2_dispatch(&s2_st, op, msg, len, rep, cap, rep_len, st);
}

static enum ipc_status svc3_raw(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				size_t cap, size_t *rep_len, int32_t *st)
{
	return tsvc3_dispatch(&s3_st, op, msg, len, rep, cap, rep_len, st);
}

static enum ipc_status run_svc1(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				size_t cap, size_t *rep_len, int32_t *st)
{
	return instrumented(IPC_SVC_GRANULE, svc1_raw, op, msg, len, rep, cap, rep_len, st);
}

static enum ipc_status run_svc2(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				size_t cap, size_t *rep_len, int32_t *st)
{
	return instrumented(IPC_SVC_REALM, svc2_raw, op, msg, len, rep, cap, rep_len, st);
}

static enum ipc_status run_svc3(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				size_t cap, size_t *rep_len, int32_t *st)
{
	return instrumented(IPC_SVC_ATTEST, svc3_raw, op, msg, len, rep, cap, rep_len, st);
}

/* Service 1's op table: example_ops followed by tgran_ops. */
static struct ipc_op_meta svc1_ops[32];
static size_t svc1_ops_count;

static struct ipc_service_desc services[IPC_SVC_COUNT] = {
	[IPC_SVC_GRANULE] = { "example+tgran", svc1_ops, &svc1_ops_count, run_svc1 },
	[IPC_SVC_REALM] = { "tsvc2", tsvc2_ops, &tsvc2_ops_count, run_svc2 },
	[IPC_SVC_ATTEST] = { "tsvc3", tsvc3_ops, &tsvc3_ops_count, run_svc3 },
};

void h_init(void)
{
	if (example_ops_count + tgran_ops_count > sizeof(svc1_ops) / sizeof(svc1_ops[0])) {
		fprintf(stderr, "ERROR: h_init: svc1_ops too small\n");
		abort();
	}
	for (size_t i = 0; i < example_ops_count; i++)
		for (size_t j = 0; j < tgran_ops_count; j++)
			if (example_ops[i].op == tgran_ops[j].op) {
				fprintf(stderr, "ERROR: h_init: op %u in both schemas\n",
					example_ops[i].op);
				abort();
			}
	memcpy(svc1_ops, example_ops, example_ops_count * sizeof(example_ops[0]));
	memcpy(&svc1_ops[example_ops_count], tgran_ops, tgran_ops_count * sizeof(tgran_ops[0]));
	svc1_ops_count = example_ops_count + tgran_ops_count;
	for (int s = 1; s < IPC_SVC_COUNT; s++)
		h_set_registered((enum ipc_service)s, true);
}

const struct ipc_service_desc *services_get(enum ipc_service svc)
{
	if (svc == 0 || svc >= IPC_SVC_COUNT || !__atomic_load_n(&registered[svc], __ATOMIC_SEQ_CST))
		return NULL;
	return &services[svc];
}

/* ---- memory of the executable ---- */

struct seg { uintptr_t lo, hi; };
static struct seg segs[8];
static size_t seg_count;

static int seg_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	/* the first object is the executable itself */
	for (int i = 0; i < info->dlpi_phnum && seg_count < 8; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];

		if (p->p_type == PT_LOAD && (p->p_flags & PF_W) != 0) {
			segs[seg_count].lo = info->dlpi_addr + p->p_vaddr;
			segs[seg_count].hi = info->dlpi_addr + p->p_vaddr + p->p_memsz;
			seg_count++;
		}
	}
	return 1;
}

static void find_segs(void)
{
	if (seg_count == 0)
		dl_iterate_phdr(seg_cb, NULL);
	if (seg_count == 0) {
		fprintf(stderr, "ERROR: no writable segment found\n");
		abort();
	}
}

/*
 * Raw reads/writes of the image: ASan poisons the redzones between globals
 * and TSan would see the concurrent queue writes of kernel/ipc.c; neither
 * is a finding of the test, so these loops are not instrumented.
 */
__attribute__((no_sanitize_address, no_sanitize_thread, noinline))
size_t h_scan_image(const void *pat, size_t n, uint8_t **hits, size_t max)
{
	const volatile uint8_t *p8 = pat;
	size_t found = 0;

	find_segs();
	for (size_t s = 0; s < seg_count; s++) {
		for (uintptr_t a = segs[s].lo; a + n <= segs[s].hi; a++) {
			const volatile uint8_t *m = (const volatile uint8_t *)a;
			size_t i = 0;

			while (i < n && m[i] == p8[i])
				i++;
			if (i == n) {
				if (found < max)
					hits[found] = (uint8_t *)a;
				found++;
			}
		}
	}
	return found;
}

__attribute__((no_sanitize_address, no_sanitize_thread, noinline))
void h_poke_image(uint8_t *at, size_t n, uint8_t val)
{
	volatile uint8_t *m = at;

	for (size_t i = 0; i < n; i++)
		m[i] = val;
}

__attribute__((no_sanitize_address, no_sanitize_thread, noinline))
void h_restore_image(uint8_t *at, const uint8_t *src, size_t n)
{
	volatile uint8_t *m = at;

	for (size_t i = 0; i < n; i++)
		m[i] = src[i];
}

bool h_in_image(const void *p)
{
	uintptr_t a = (uintptr_t)p;

	find_segs();
	for (size_t s = 0; s < seg_count; s++)
		if (a >= segs[s].lo && a < segs[s].hi)
			return true;
	return false;
}

bool h_on_my_stack(const void *p)
{
	pthread_attr_t attr;
	void *base;
	size_t size;
	uintptr_t a = (uintptr_t)p;
	bool in;

	if (pthread_getattr_np(pthread_self(), &attr) != 0)
		return false;
	pthread_attr_getstack(&attr, &base, &size);
	pthread_attr_destroy(&attr);
	in = a >= (uintptr_t)base && a < (uintptr_t)base + size;
	return in;
}

/* ---- message helpers ---- */

struct ipc_granule_ref h_ref_new(uint64_t pa)
{
	struct ipc_granule_ref r;

	memset(&r, 0, sizeof(r));
	r.lease = IPC_LEASE_NEW;
	r.pa = pa;
	return r;
}

struct ipc_granule_ref h_ref_lease(uint8_t idx)
{
	struct ipc_granule_ref r;

	memset(&r, 0, sizeof(r));
	r.lease = idx;
	r.pa = H_DRAM_BASE;	/* must be overwritten by the transport */
	return r;
}

struct ipc_lease_fwd h_fwd(uint8_t lease, uint8_t rights, uint32_t off, uint32_t len)
{
	struct ipc_lease_fwd f;

	memset(&f, 0, sizeof(f));
	f.lease = lease;
	f.rights = rights;
	f.offset = off;
	f.len = len;
	return f;
}

struct ipc_stats h_stats_delta(const struct ipc_stats *a, const struct ipc_stats *b)
{
	struct ipc_stats d = {
		.calls = b->calls - a->calls,
		.transport_errors = b->transport_errors - a->transport_errors,
		.queue_full_waits = b->queue_full_waits - a->queue_full_waits,
	};
	return d;
}
