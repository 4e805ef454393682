/*
 * IPC cost on the host (docs/performance.md, "IPC cost"): kernel/ipc.c and
 * the code tools/ipcgen.py generates from ipc/{granule,realm,attest}.toml,
 * compiled unchanged for the host, with no-op service handlers
 * (scripts/bench/gen_noop.py). Run under valgrind --tool=callgrind by
 * scripts/bench/ipc_callgrind.py, one case per process:
 *
 *   ipc_cost <case>
 *
 * Each case makes N calls through the transport (ipc_<case>) and N direct
 * calls of the same no-op handler (direct_<case>); the difference of their
 * inclusive instruction counts, divided by N, is what one IPC call adds:
 * building and copying the message, queueing, leases, decoding and
 * validating it, dispatch, copying the reply back.
 *
 * Cases (the messages the control path sends most, sender -> receiver):
 *   lookup         kernel -> granule  granule_lookup     (one granule_ref)
 *   realm_create   kernel -> realm    realm_create       (the largest kernel message but one)
 *   rec_create     kernel -> realm    realm_rec_create   (the largest: aux[16], gprs[8])
 *   nested_lookup  realm  -> granule  granule_lookup of a lease of the caller
 *   nested_extend  realm  -> attest   attest_extend_ripas with a lease_fwd
 */
#include <arch/cpu.h>
#include <ipc/attest.h>
#include <ipc/granule.h>
#include <ipc/realm.h>
#include <kernel/ipc_kernel.h>
#include <kernel/panic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N		1000u
#define DRAM_BASE	0x80000000ull
#define DRAM_SIZE	0x40000000ull

/* ---- what kernel/ipc.c and the generated code link against ---- */
void panic(const char *why)
{
	fprintf(stderr, "panic: %s\n", why);
	abort();
}

bool ipc_env_in_dram(uint64_t pa)
{
	return pa >= DRAM_BASE && pa - DRAM_BASE < DRAM_SIZE;
}

struct granule_state { int unused; };
struct realm_state { int unused; };
struct attest_state { int unused; };
static struct granule_state gst;
static struct realm_state rst;
static struct attest_state ast;

static enum ipc_status run_granule(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				   size_t cap, size_t *rep_len, int32_t *st)
{
	return granule_dispatch(&gst, op, msg, len, rep, cap, rep_len, st);
}

static enum ipc_status run_realm(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				 size_t cap, size_t *rep_len, int32_t *st)
{
	return realm_dispatch(&rst, op, msg, len, rep, cap, rep_len, st);
}

static enum ipc_status run_attest(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				  size_t cap, size_t *rep_len, int32_t *st)
{
	return attest_dispatch(&ast, op, msg, len, rep, cap, rep_len, st);
}

static const struct ipc_service_desc services[IPC_SVC_COUNT] = {
	[IPC_SVC_GRANULE] = { "granule", granule_ops, &granule_ops_count, run_granule },
	[IPC_SVC_REALM] = { "realm", realm_ops, &realm_ops_count, run_realm },
	[IPC_SVC_ATTEST] = { "attest", attest_ops, &attest_ops_count, run_attest },
};

const struct ipc_service_desc *services_get(enum ipc_service svc)
{
	if (svc == 0 || svc >= IPC_SVC_COUNT)
		return NULL;
	return &services[svc];
}

/* ---- cases ---- */
static unsigned long failures;

static void check(enum ipc_status t, int32_t st)
{
	if (t != IPC_OK || st != 0)
		failures++;
}

static struct ipc_granule_ref new_ref(uint64_t pa)
{
	struct ipc_granule_ref r = { .lease = IPC_LEASE_NEW, .pa = pa };

	return r;
}

__attribute__((noipa)) static void ipc_lookup(void)
{
	struct granule_lookup_req req = { .gran = new_ref(DRAM_BASE), .expect = GRANULE_GSTATE_RD };
	int32_t st;

	for (unsigned int i = 0; i < N; i++) {
		enum ipc_status t = granule_lookup(&req, &st);

		check(t, st);
	}
}

__attribute__((noipa)) static void direct_lookup(void)
{
	struct granule_lookup_req req = { .gran = new_ref(DRAM_BASE), .expect = GRANULE_GSTATE_RD };

	for (unsigned int i = 0; i < N; i++)
		check(IPC_OK, granule_handle_lookup(&gst, &req));
}

static void fill_realm_create(struct realm_create_req *m)
{
	memset(m, 0, sizeof(*m));
	m->rd = new_ref(DRAM_BASE);
	m->s2sz = 39;
	m->num_bps = 1;
	m->num_wps = 1;
	m->vmid = 1;
	m->rtt_base = DRAM_BASE + 0x1000u;
	m->rtt_level_start = 1;
	m->rtt_num_start = 1;
}

__attribute__((noipa)) static void ipc_realm_create(void)
{
	struct realm_create_req m;
	int32_t st;

	fill_realm_create(&m);
	for (unsigned int i = 0; i < N; i++) {
		enum ipc_status t = realm_create(&m, &st);

		check(t, st);
	}
}

__attribute__((noipa)) static void direct_realm_create(void)
{
	struct realm_create_req m;

	fill_realm_create(&m);
	for (unsigned int i = 0; i < N; i++)
		check(IPC_OK, realm_handle_create(&rst, &m));
}

static void fill_rec_create(struct realm_rec_create_req *m)
{
	memset(m, 0, sizeof(*m));
	m->rd = new_ref(DRAM_BASE);
	m->rec = new_ref(DRAM_BASE + 0x1000u);
	m->flags = 1;
	m->num_aux = 16;
	for (unsigned int i = 0; i < 16u; i++)
		m->aux[i] = DRAM_BASE + 0x2000u + 0x1000u * i;
}

__attribute__((noipa)) static void ipc_rec_create(void)
{
	struct realm_rec_create_req m;
	int32_t st;

	fill_rec_create(&m);
	for (unsigned int i = 0; i < N; i++) {
		enum ipc_status t = realm_rec_create(&m, &st);

		check(t, st);
	}
}

__attribute__((noipa)) static void direct_rec_create(void)
{
	struct realm_rec_create_req m;

	fill_rec_create(&m);
	for (unsigned int i = 0; i < N; i++)
		check(IPC_OK, realm_handle_rec_create(&rst, &m));
}

/* Nested cases: run inside the realm service (realm_handle_activate below). */
__attribute__((noipa)) static void ipc_nested_lookup(void)
{
	struct granule_lookup_req req = { .gran = { .lease = 0 }, .expect = GRANULE_GSTATE_RD };
	int32_t st;

	for (unsigned int i = 0; i < N; i++) {
		enum ipc_status t = granule_lookup(&req, &st);

		check(t, st);
	}
}

__attribute__((noipa)) static void direct_nested_lookup(void)
{
	struct granule_lookup_req req = { .gran = new_ref(DRAM_BASE), .expect = GRANULE_GSTATE_RD };

	for (unsigned int i = 0; i < N; i++)
		check(IPC_OK, granule_handle_lookup(&gst, &req));
}

static struct attest_extend_ripas_req ripas_req(void)
{
	struct attest_extend_ripas_req r = {
		.meas = { .lease = 0, .rights = IPC_RIGHTS_RW, .offset = 0x800, .len = 328 },
		.base = 0,
		.top = 0x1000,
	};

	return r;
}

__attribute__((noipa)) static void ipc_nested_extend(void)
{
	struct attest_extend_ripas_req req = ripas_req();
	int32_t st;

	for (unsigned int i = 0; i < N; i++) {
		enum ipc_status t = attest_extend_ripas(&req, &st);

		check(t, st);
	}
}

__attribute__((noipa)) static void direct_nested_extend(void)
{
	struct attest_extend_ripas_req req = ripas_req();

	for (unsigned int i = 0; i < N; i++)
		check(IPC_OK, attest_handle_extend_ripas(&ast, &req));
}

static const char *nested_case;

/* The realm service's activate handler hosts the nested cases. */
int32_t realm_handle_activate(struct realm_state *st, const struct realm_activate_req *req)
{
	struct granule_lookup_req act = { .gran = { .lease = 0 }, .expect = GRANULE_GSTATE_RD };
	int32_t s = -1;
	enum ipc_status t;

	(void)st;
	(void)req;
	/* activate lease 0 (the rd): a successful lookup grants it read-write */
	t = granule_lookup(&act, &s);
	check(t, s);
	if (strcmp(nested_case, "nested_lookup") == 0) {
		ipc_nested_lookup();
		direct_nested_lookup();
	} else {
		ipc_nested_extend();
		direct_nested_extend();
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	host_set_cpu_id(0);
	if (strcmp(c, "lookup") == 0) {
		ipc_lookup();
		direct_lookup();
	} else if (strcmp(c, "realm_create") == 0) {
		ipc_realm_create();
		direct_realm_create();
	} else if (strcmp(c, "rec_create") == 0) {
		ipc_rec_create();
		direct_rec_create();
	} else if (strcmp(c, "nested_lookup") == 0 || strcmp(c, "nested_extend") == 0) {
		struct realm_activate_req m = { .rd = new_ref(DRAM_BASE) };
		int32_t st = -1;
		enum ipc_status t;

		nested_case = c;
		t = realm_activate(&m, &st);
		check(t, st);
	} else {
		fprintf(stderr, "usage: ipc_cost lookup|realm_create|rec_create|nested_lookup|nested_extend\n");
		return 2;
	}
	if (failures != 0u) {
		fprintf(stderr, "ipc_cost %s: %lu calls failed\n", c, failures);
		return 1;
	}
	printf("ipc_cost %s: %u calls\n", c, N);
	return 0;
}
