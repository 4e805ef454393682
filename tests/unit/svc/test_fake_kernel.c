/*
 * Tests of the fake kernel itself (fake_kernel.c): the service tests rely
 * on it to apply the lease rules of kernel/svc_api.h and the transport
 * rules of kernel/ipc.c (build_leases(), grant()) faithfully.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_kernel.h"

#define G	4096ull
#define g(i)	(FK_DRAM_BASE + (uint64_t)(i) * G)

static int setup(void **state)
{
	(void)state;
	fk_reset();
	return 0;
}

/* ---- memory, banks ---- */

static void banks_and_memory(void **state)
{
	const struct fk_bank b[] = { { 0x80000000ull, 2 }, { 0x100000000ull, 3 } };

	(void)state;
	assert_true(ipc_env_in_dram(g(0)));
	assert_true(ipc_env_in_dram(g(FK_DEFAULT_GRANULES - 1u)));
	assert_false(ipc_env_in_dram(g(FK_DEFAULT_GRANULES)));
	assert_false(ipc_env_in_dram(FK_DRAM_BASE - 1u));
	fk_set_banks(b, 2);
	assert_true(ipc_env_in_dram(0x80001000ull));
	assert_false(ipc_env_in_dram(0x80002000ull));
	assert_true(ipc_env_in_dram(0x100002fffull));
	assert_false(ipc_env_in_dram(0x100003000ull));
	fk_fill(0x100001000ull, 0x5a, 4096);
	assert_int_equal(*fk_mem(0x100001fffull), 0x5a);
	assert_int_equal(*fk_mem(0x100002000ull), 0);
	assert_int_equal(*fk_mem(0x80001fffull), 0);	/* distinct backing per bank */
	assert_null(fk_mem(0x90000000ull));
	assert_int_equal(fk_calls(FK_IN_DRAM), 8);
}

/* ---- leases (svc_api.h, kernel/kapi.c) ---- */

static void lease_rules(void **state)
{
	uint8_t buf[64];

	(void)state;
	/* the kernel itself holds no leases */
	assert_int_equal(kapi_lease_count(), 0);
	assert_int_equal(kapi_lease_read(0, 0, buf, 1), KAPI_E_LEASE);
	fk_begin(IPC_SVC_REALM);
	assert_int_equal(fk_lease_add(g(1), 0x100, 0x40, IPC_RIGHT_READ, true), 0);
	assert_int_equal(fk_lease_add(g(2), 0, 4096, IPC_RIGHTS_RW, false), 1);
	assert_int_equal(fk_lease_add(g(3), 0, 4096, IPC_RIGHT_WRITE, true), 2);
	assert_int_equal(kapi_lease_count(), 3);
	fk_fill(g(1), 0x11, 4096);
	/* range: [off, off + len) inside the lease's range, relative to its offset */
	assert_int_equal(kapi_lease_read(0, 0, buf, 0x40), KAPI_OK);
	assert_int_equal(kapi_lease_read(0, 0x3f, buf, 1), KAPI_OK);
	assert_int_equal(kapi_lease_read(0, 0x40, buf, 0), KAPI_OK);
	assert_int_equal(kapi_lease_read(0, 0x40, buf, 1), KAPI_E_LEASE);
	assert_int_equal(kapi_lease_read(0, 0x41, buf, 0), KAPI_E_LEASE);
	assert_int_equal(kapi_lease_read(0, 1, buf, 0x40), KAPI_E_LEASE);
	assert_int_equal(kapi_lease_read(0, SIZE_MAX, buf, 2), KAPI_E_LEASE);
	/* rights */
	assert_int_equal(kapi_lease_write(0, 0, buf, 1), KAPI_E_LEASE);
	assert_int_equal(kapi_lease_zero(0), KAPI_E_LEASE);
	assert_int_equal(kapi_lease_read(2, 0, buf, 1), KAPI_E_LEASE);
	memset(buf, 0x22, sizeof(buf));
	assert_int_equal(kapi_lease_write(2, 4096 - 64, buf, 64), KAPI_OK);
	assert_int_equal(*fk_mem(g(3) + 4095), 0x22);
	/* an inactive candidate is unusable, whatever its rights */
	assert_int_equal(kapi_lease_read(1, 0, buf, 1), KAPI_E_LEASE);
	assert_int_equal(kapi_lease_zero(1), KAPI_E_LEASE);
	/* no such lease */
	assert_int_equal(kapi_lease_read(3, 0, buf, 1), KAPI_E_LEASE);
	/* zero: exactly the leased range */
	fk_lease(0)->rights = IPC_RIGHTS_RW;
	assert_int_equal(kapi_lease_zero(0), KAPI_OK);
	assert_true(fk_is_zero(g(1) + 0x100, 0x40));
	assert_int_equal(*fk_mem(g(1) + 0xff), 0x11);
	assert_int_equal(*fk_mem(g(1) + 0x140), 0x11);
	fk_end();
	assert_int_equal(fk_fails(FK_LEASE_READ), 8);
}

static void gtsi_rules(void **state)
{
	(void)state;
	fk_begin(IPC_SVC_REALM);
	fk_lease_add(g(1), 0, 4096, IPC_RIGHTS_RW, true);
	assert_int_equal(kapi_gtsi_delegate(0), KAPI_E_DENIED);	/* granule service only */
	fk_end();
	fk_begin(IPC_SVC_GRANULE);
	fk_lease_add(g(1), 0, 4096, IPC_RIGHT_READ, true);
	fk_lease_add(g(1), 0, 2048, IPC_RIGHTS_RW, true);
	fk_lease_add(g(1), 0, 4096, IPC_RIGHTS_RW, true);
	fk_lease_add(g(2), 0, 4096, IPC_RIGHTS_RW, true);
	assert_int_equal(kapi_gtsi_delegate(0), KAPI_E_LEASE);
	assert_int_equal(kapi_gtsi_delegate(1), KAPI_E_LEASE);
	assert_int_equal(kapi_gtsi_delegate(9), KAPI_E_LEASE);
	assert_int_equal(fk_pas(g(1)), FK_PAS_NS);
	/* EL3: NS -> REALM -> NS, anything else refused */
	assert_int_equal(kapi_gtsi_undelegate(2), KAPI_E_EL3);
	assert_int_equal(kapi_gtsi_delegate(2), KAPI_OK);
	assert_int_equal(fk_pas(g(1)), FK_PAS_REALM);
	assert_int_equal(kapi_gtsi_delegate(2), KAPI_E_EL3);
	assert_int_equal(kapi_gtsi_undelegate(2), KAPI_OK);
	assert_int_equal(fk_pas(g(1)), FK_PAS_NS);
	fk_set_pas(g(2), FK_PAS_SECURE);
	assert_int_equal(kapi_gtsi_delegate(3), KAPI_E_EL3);
	/* injection: skip 1, fail 2, then normal again */
	fk_inject(FK_GTSI_DELEGATE, 1, 2);
	assert_int_equal(kapi_gtsi_delegate(2), KAPI_OK);
	assert_int_equal(kapi_gtsi_undelegate(2), KAPI_OK);
	assert_int_equal(kapi_gtsi_delegate(2), KAPI_E_EL3);
	assert_int_equal(kapi_gtsi_delegate(2), KAPI_E_EL3);
	assert_int_equal(fk_pas(g(1)), FK_PAS_NS);
	assert_int_equal(kapi_gtsi_delegate(2), KAPI_OK);
	fk_end();
	assert_int_equal(fk_calls(FK_GTSI_DELEGATE), 11);
}

static void rtt_primitives(void **state)
{
	uint64_t n = 99;

	(void)state;
	fk_begin(IPC_SVC_REALM);
	fk_lease_add(g(4), 0, 4096, IPC_RIGHTS_RW, true);
	fk_lease_add(g(5), 0, 2048, IPC_RIGHTS_RW, true);
	assert_int_equal(kapi_rtt_init(0, 0, 2, KAPI_RTT_INIT_UNASSIGNED_NS), KAPI_OK);
	assert_int_equal(kapi_rtt_init(0, 510, 2, KAPI_RTT_INIT_UNASSIGNED_NS), KAPI_OK);
	assert_int_equal(kapi_rtt_init(0, 511, 2, KAPI_RTT_INIT_UNASSIGNED_NS), KAPI_E_LEASE);
	assert_int_equal(kapi_rtt_init(0, 513, 0, KAPI_RTT_INIT_UNASSIGNED_NS), KAPI_E_LEASE);
	assert_int_equal(kapi_rtt_init(1, 0, 1, KAPI_RTT_INIT_UNASSIGNED_NS), KAPI_E_LEASE);
	assert_int_equal(fk_read64(g(4)), FK_RTTE_UNASSIGNED_NS);
	assert_int_equal(fk_read64(g(4) + 2 * 8), 0);
	assert_int_equal(fk_read64(g(4) + 511 * 8), FK_RTTE_UNASSIGNED_NS);
	assert_int_equal(kapi_rtt_init(0, 0, 1, KAPI_RTT_INIT_UNASSIGNED_EMPTY), KAPI_OK);
	assert_int_equal(fk_read64(g(4)), FK_RTTE_UNASSIGNED_EMPTY);
	/* live: TABLE, protected ASSIGNED (any RIPAS), valid protected mappings */
	assert_int_equal(kapi_rtt_live_count(0, &n), KAPI_OK);
	assert_int_equal(n, 0);
	fk_write64(g(4) + 8 * 3, g(9) | 3u);				/* TABLE */
	fk_write64(g(4) + 8 * 4, g(9) | 4u);				/* ASSIGNED_EMPTY */
	fk_write64(g(4) + 8 * 5, g(9) | 4u | 0x40u);			/* ASSIGNED_DESTROYED */
	fk_write64(g(4) + 8 * 6, g(9) | 0x400u | 1u);			/* ASSIGNED_RAM block */
	fk_write64(g(4) + 8 * 7, FK_RTTE_UNASSIGNED_RAM);		/* not live */
	fk_write64(g(4) + 8 * 8, FK_RTTE_UNASSIGNED_NS | g(9) | 0x401u);	/* ASSIGNED_NS: not */
	assert_int_equal(kapi_rtt_live_count(0, &n), KAPI_OK);
	assert_int_equal(n, 4);
	assert_int_equal(kapi_rtt_live_count(1, &n), KAPI_E_LEASE);
	fk_end();
}

/* A realm's stage-2 tables walked from its RD (svc_api.h kapi_s2_*). */
static void s2_walk_and_set(void **state)
{
	struct rd_s2 c = { .rtt_base = g(8), .start_level = 1, .s2sz = 40, .num_roots = 2,
			   .vmid = 1, .state = REALM_NEW };
	struct kapi_rtte e, t;
	struct kapi_rtt_scan sc;
	uint64_t top = 0;

	(void)state;
	memcpy(fk_mem(g(7)), &c, sizeof(c));
	fk_begin(IPC_SVC_REALM);
	fk_lease_add(g(7), 0, 4096, IPC_RIGHTS_RW, true);	/* RD */
	fk_lease_add(g(11), 0, 4096, IPC_RIGHTS_RW, true);	/* a new RTT */
	/* IPA 1 GB + 4 KB -> root 0 entry 1, level 1 */
	assert_int_equal(kapi_s2_read(0, 0x40001000ull, 3, &e), KAPI_OK);
	assert_int_equal(e.level, 1);
	assert_int_equal(e.state, RTTE_UNASSIGNED);
	assert_int_equal(kapi_s2_read(0, 1ull << 40, 1, &e), KAPI_E_LEASE);	/* outside */
	/* root 1 holds [512 GB, 1 TB) */
	fk_write64(g(9) + 8, FK_RTTE_UNASSIGNED_NS);
	assert_int_equal(kapi_s2_read(0, (512ull + 1) << 30, 1, &e), KAPI_OK);
	assert_int_equal(e.ns, 1);
	/* RTT_CREATE-like: unfold into the new table, link it */
	assert_int_equal(kapi_s2_read(0, 0x40000000ull, 1, &e), KAPI_OK);
	e.state = RTTE_UNASSIGNED;
	e.ripas = RIPAS_RAM;
	assert_int_equal(kapi_s2_unfold(1, 2, &e), KAPI_OK);
	assert_int_equal(fk_read64(g(11) + 511 * 8), FK_RTTE_UNASSIGNED_RAM);
	t = e;
	t.state = RTTE_TABLE;
	t.addr = g(11);
	assert_int_equal(kapi_s2_set(0, 0x40000000ull, 1, 0x1234, &t), KAPI_E_LEASE);	/* stale */
	assert_int_equal(kapi_s2_set(0, 0x40000000ull, 1, 0, &t), KAPI_OK);
	assert_int_equal(fk_read64(g(8) + 8), g(11) | 3u);
	assert_int_equal(kapi_s2_read(0, 0x40200000ull, 3, &e), KAPI_OK);
	assert_int_equal(e.level, 2);
	assert_int_equal(e.ripas, RIPAS_RAM);
	assert_int_equal(kapi_s2_scan(0, 0x40000000ull, 2, &sc), KAPI_OK);
	assert_int_equal(sc.rtt, g(11));
	assert_int_equal(sc.live, 0);
	assert_int_equal(sc.foldable, 1);
	assert_int_equal(sc.fold.ripas, RIPAS_RAM);
	/* next live entry: none in the table */
	assert_int_equal(kapi_s2_next_live(0, 0x40200000ull, &top), KAPI_OK);
	assert_int_equal(top, 0x80000000ull);
	/* the RD lease must be read-write over the whole granule */
	fk_lease(0)->rights = IPC_RIGHT_READ;
	assert_int_equal(kapi_s2_read(0, 0, 1, &e), KAPI_E_LEASE);
	fk_end();
}

static void copy_from_ns_rules(void **state)
{
	(void)state;
	fk_fill(g(20), 0x3c, 4096);
	fk_begin(IPC_SVC_REALM);
	fk_lease_add(g(21), 0, 4096, IPC_RIGHTS_RW, true);
	fk_lease_add(g(22), 0, 4096, IPC_RIGHT_READ, true);
	assert_int_equal(kapi_copy_from_ns(1, g(20)), KAPI_E_LEASE);
	assert_int_equal(kapi_copy_from_ns(0, g(20) + 8), KAPI_E_DENIED);
	assert_int_equal(kapi_copy_from_ns(0, g(FK_DEFAULT_GRANULES)), KAPI_E_DENIED);
	fk_set_pas(g(20), FK_PAS_REALM);
	assert_int_equal(kapi_copy_from_ns(0, g(20)), KAPI_E_DENIED);	/* not NS: faults */
	fk_set_pas(g(20), FK_PAS_NS);
	assert_int_equal(kapi_copy_from_ns(0, g(20)), KAPI_OK);
	assert_int_equal(*fk_mem(g(21) + 4095), 0x3c);
	fk_end();
}

/* ---- transport (kernel/ipc.c) ---- */

/* Two made-up ops: 1 = a granule_ref at 8 with grant, 2 = a lease_fwd at 0. */
static const struct ipc_op_meta ops_a[] = {
	{ .op = 1, .req_len = 24, .rep_len = 8, .ref_count = 1, .ref_off = { 8 }, .grant_mask = 1 },
	{ .op = 2, .req_len = 16, .rep_len = 0, .ref_count = 0, .fwd_count = 1, .fwd_off = { 0 } },
};

static struct fk_lease seen[IPC_MAX_LEASES];
static unsigned int seen_count;
static enum ipc_service seen_depth_svc;
static int32_t answer_status;

static enum ipc_status recorder(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				size_t cap, size_t *rep_len, int32_t *st)
{
	(void)op;
	(void)msg;
	(void)len;
	seen_count = fk_lease_count();
	for (unsigned int i = 0; i < seen_count; i++)
		seen[i] = *fk_lease(i);
	seen_depth_svc = (enum ipc_service)fk_depth();
	memset(rep, 0x77, cap < 8 ? cap : 8);
	*rep_len = op == 1 ? 8 : 0;
	*st = answer_status;
	return IPC_OK;
}

struct msg_a {
	uint64_t x;
	struct ipc_granule_ref ref;
};

static enum ipc_status send_a(enum ipc_service svc, uint8_t lease, uint64_t pa, int32_t *st)
{
	struct msg_a m = { .x = 5, .ref = { .lease = lease, .pa = pa } };
	uint8_t rep[8];
	size_t rep_len = 0;

	return ipc_call(svc, 1, &m, sizeof(m), rep, sizeof(rep), &rep_len, st);
}

static void transport_errors(void **state)
{
	int32_t st;
	uint8_t rep[8];
	size_t rl;
	struct msg_a m = { 0 };

	(void)state;
	assert_int_equal(send_a(IPC_SVC_GRANULE, IPC_LEASE_NEW, g(1), &st), IPC_E_NO_SERVICE);
	fk_register(IPC_SVC_GRANULE, ops_a, 2, recorder);
	assert_int_equal(ipc_call(0, 1, &m, 24, rep, 8, &rl, &st), IPC_E_NO_SERVICE);
	assert_int_equal(ipc_call(IPC_SVC_COUNT, 1, &m, 24, rep, 8, &rl, &st), IPC_E_NO_SERVICE);
	assert_int_equal(ipc_call(IPC_SVC_GRANULE, 3, &m, 24, rep, 8, &rl, &st), IPC_E_BAD_OP);
	assert_int_equal(ipc_call(IPC_SVC_GRANULE, 1, &m, 16, rep, 8, &rl, &st), IPC_E_BAD_LEN);
	/* the kernel names no lease of its own */
	assert_int_equal(send_a(IPC_SVC_GRANULE, 0, g(1), &st), IPC_E_BAD_LEASE);
	assert_int_equal(ipc_call(IPC_SVC_GRANULE, 2, &m, 16, rep, 8, &rl, &st), IPC_E_BAD_LEASE);
	/* a service does not call itself */
	fk_begin(IPC_SVC_GRANULE);
	assert_int_equal(send_a(IPC_SVC_GRANULE, IPC_LEASE_NEW, g(1), &st), IPC_E_NO_SERVICE);
	fk_end();
	/* a reply larger than the caller's buffer */
	assert_int_equal(ipc_call(IPC_SVC_GRANULE, 1, &(struct msg_a){ .ref.lease = IPC_LEASE_NEW },
				  24, rep, 4, &rl, &st), IPC_E_BAD_REPLY);
	assert_int_equal(fk_ncalls(), 3);	/* recorded: those that got past the op checks */
}

/* Receivers: the granule service gets RW access; others an inactive candidate. */
static void transport_receiver_leases(void **state)
{
	int32_t st = -1;

	(void)state;
	fk_register(IPC_SVC_GRANULE, ops_a, 2, recorder);
	fk_register(IPC_SVC_REALM, ops_a, 2, recorder);
	assert_int_equal(send_a(IPC_SVC_GRANULE, IPC_LEASE_NEW, g(3), &st), IPC_OK);
	assert_int_equal(seen_count, 1);
	assert_int_equal(seen[0].pa, g(3));
	assert_true(seen[0].active);
	assert_int_equal(seen[0].rights, IPC_RIGHTS_RW);
	assert_int_equal(seen[0].len, 4096);
	assert_int_equal(seen_depth_svc, 1);
	assert_int_equal(send_a(IPC_SVC_REALM, IPC_LEASE_NEW, g(3), &st), IPC_OK);
	assert_false(seen[0].active);
	assert_int_equal(seen[0].rights, 0);
	/* a named sender lease: the transport fills in its pa (the message's pa is ignored) */
	fk_begin(IPC_SVC_REALM);
	fk_lease_add(g(6), 0, 4096, 0, false);
	assert_int_equal(send_a(IPC_SVC_GRANULE, 0, 0xdead000, &st), IPC_OK);
	assert_int_equal(seen[0].pa, g(6));
	{
		struct msg_a m;

		memcpy(&m, fk_call(fk_ncalls() - 1)->req, sizeof(m));
		assert_int_equal(m.ref.pa, g(6));
	}
	assert_int_equal(send_a(IPC_SVC_GRANULE, 1, 0, &st), IPC_E_BAD_LEASE);
	fk_end();
}

/* grant(): success activates the named lease or appends one (NEW); failure grants nothing. */
static void transport_grants(void **state)
{
	int32_t st = -1;

	(void)state;
	fk_register(IPC_SVC_GRANULE, ops_a, 2, recorder);
	fk_begin(IPC_SVC_REALM);
	fk_lease_add(g(6), 0, 4096, 0, false);
	answer_status = 2;	/* refused */
	assert_int_equal(send_a(IPC_SVC_GRANULE, 0, 0, &st), IPC_OK);
	assert_int_equal(st, 2);
	assert_false(fk_lease(0)->active);
	assert_int_equal(send_a(IPC_SVC_GRANULE, IPC_LEASE_NEW, g(7), &st), IPC_OK);
	assert_int_equal(fk_lease_count(), 1);
	answer_status = 0;
	assert_int_equal(send_a(IPC_SVC_GRANULE, 0, 0, &st), IPC_OK);
	assert_true(fk_lease(0)->active);
	assert_int_equal(fk_lease(0)->rights, IPC_RIGHTS_RW);
	for (unsigned int i = 1; i < IPC_MAX_LEASES; i++) {
		assert_int_equal(send_a(IPC_SVC_GRANULE, IPC_LEASE_NEW, g(i), &st), IPC_OK);
		assert_int_equal(fk_lease_count(), i + 1u);
		assert_int_equal(fk_lease(i)->pa, g(i));
		assert_true(fk_lease(i)->active);
	}
	/* no room: the caller sees no new lease */
	assert_int_equal(send_a(IPC_SVC_GRANULE, IPC_LEASE_NEW, g(30), &st), IPC_OK);
	assert_int_equal(fk_lease_count(), IPC_MAX_LEASES);
	fk_end();
	/* the kernel gets no leases either */
	assert_int_equal(send_a(IPC_SVC_GRANULE, IPC_LEASE_NEW, g(30), &st), IPC_OK);
	assert_int_equal(fk_lease_count(), 0);
	answer_status = 0;
}

/* lease_fwd: a sub-range of an active sender lease with at most its rights. */
static void transport_forwards(void **state)
{
	struct ipc_lease_fwd f = { .lease = 0, .rights = IPC_RIGHT_READ, .offset = 0x10, .len = 0x20 };
	uint8_t rep[8];
	size_t rl;
	int32_t st;

	(void)state;
	fk_register(IPC_SVC_ATTEST, ops_a, 2, recorder);
	fk_begin(IPC_SVC_REALM);
	fk_lease_add(g(2), 0x100, 0x200, IPC_RIGHTS_RW, true);
	fk_lease_add(g(3), 0, 4096, 0, false);
	assert_int_equal(ipc_call(IPC_SVC_ATTEST, 2, &f, 16, rep, 8, &rl, &st), IPC_OK);
	assert_int_equal(seen_count, 1);
	assert_int_equal(seen[0].pa, g(2));
	assert_int_equal(seen[0].offset, 0x110);
	assert_int_equal(seen[0].len, 0x20);
	assert_int_equal(seen[0].rights, IPC_RIGHT_READ);
	assert_true(seen[0].active);
	f.offset = 0x200;
	f.len = 0;
	assert_int_equal(ipc_call(IPC_SVC_ATTEST, 2, &f, 16, rep, 8, &rl, &st), IPC_OK);
	f.len = 1;
	assert_int_equal(ipc_call(IPC_SVC_ATTEST, 2, &f, 16, rep, 8, &rl, &st), IPC_E_BAD_LEASE);
	f.offset = 0;
	f.len = 0x201;
	assert_int_equal(ipc_call(IPC_SVC_ATTEST, 2, &f, 16, rep, 8, &rl, &st), IPC_E_BAD_LEASE);
	f.len = 8;
	f.rights = 0;
	assert_int_equal(ipc_call(IPC_SVC_ATTEST, 2, &f, 16, rep, 8, &rl, &st), IPC_E_BAD_LEASE);
	fk_lease(0)->rights = IPC_RIGHT_READ;
	f.rights = IPC_RIGHTS_RW;
	assert_int_equal(ipc_call(IPC_SVC_ATTEST, 2, &f, 16, rep, 8, &rl, &st), IPC_E_BAD_LEASE);
	f.lease = 1;		/* inactive candidate */
	f.rights = IPC_RIGHT_READ;
	assert_int_equal(ipc_call(IPC_SVC_ATTEST, 2, &f, 16, rep, 8, &rl, &st), IPC_E_BAD_LEASE);
	f.lease = 2;		/* no such lease */
	assert_int_equal(ipc_call(IPC_SVC_ATTEST, 2, &f, 16, rep, 8, &rl, &st), IPC_E_BAD_LEASE);
	fk_end();
}

static void transport_scripts(void **state)
{
	struct fk_answer a = { .tstatus = IPC_OK, .svc_status = 3, .rep_len = 8,
			       .rep = { 1, 2, 3, 4, 5, 6, 7, 8 } };
	uint8_t rep[8];
	struct msg_a m = { .ref = { .lease = IPC_LEASE_NEW, .pa = g(1) } };
	size_t rl = 0;
	int32_t st = -1;

	(void)state;
	fk_register(IPC_SVC_GRANULE, ops_a, 2, recorder);
	fk_script(IPC_SVC_GRANULE, 1, 1, &a);			/* second op-1 call */
	fk_script_status(IPC_SVC_GRANULE, 0, 3, IPC_E_QUEUE_FULL, 0);	/* fourth call of any op */
	answer_status = 0;
	assert_int_equal(ipc_call(IPC_SVC_GRANULE, 1, &m, 24, rep, 8, &rl, &st), IPC_OK);
	assert_int_equal(st, 0);
	assert_false(fk_call(0)->scripted);
	assert_int_equal(ipc_call(IPC_SVC_GRANULE, 1, &m, 24, rep, 8, &rl, &st), IPC_OK);
	assert_int_equal(st, 3);
	assert_int_equal(rl, 8);
	assert_int_equal(rep[7], 8);
	assert_true(fk_call(1)->scripted);
	assert_int_equal(ipc_call(IPC_SVC_GRANULE, 1, &m, 24, rep, 8, &rl, &st), IPC_OK);
	assert_int_equal(st, 0);
	assert_int_equal(ipc_call(IPC_SVC_GRANULE, 1, &m, 24, rep, 8, &rl, &st), IPC_E_QUEUE_FULL);
	assert_int_equal(fk_call(3)->tstatus, IPC_E_QUEUE_FULL);
	assert_int_equal(ipc_call(IPC_SVC_GRANULE, 1, &m, 24, rep, 8, &rl, &st), IPC_OK);
	assert_int_equal(fk_count_calls(IPC_SVC_GRANULE, 1), 5);
	/* scripted-only service: default answer OK with a zeroed reply */
	fk_register(IPC_SVC_GRANULE, ops_a, 2, NULL);
	memset(rep, 0xff, sizeof(rep));
	assert_int_equal(ipc_call(IPC_SVC_GRANULE, 1, &m, 24, rep, 8, &rl, &st), IPC_OK);
	assert_int_equal(st, 0);
	assert_int_equal(rl, 8);
	assert_int_equal(rep[0], 0);
	/* ipc_call failure injection */
	fk_inject(FK_IPC_CALL, 0, 1);
	assert_int_equal(ipc_call(IPC_SVC_GRANULE, 1, &m, 24, rep, 8, &rl, &st), IPC_E_QUEUE_FULL);
	assert_int_equal(ipc_call(IPC_SVC_GRANULE, 1, &m, 24, rep, 8, &rl, &st), IPC_OK);
}

static void platform_facts(void **state)
{
	(void)state;
	assert_int_equal(kapi_feat_reg0(), 0x0000028f34317f34ull);
	assert_int_equal(kapi_vmid_bits(), 16);
	fk_set_feat_reg0(0x28);
	fk_set_vmid_bits(8);
	assert_int_equal(kapi_feat_reg0(), 0x28);
	assert_int_equal(kapi_vmid_bits(), 8);
	assert_int_equal(fk_calls(FK_FEAT_REG0), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(banks_and_memory, setup),
		cmocka_unit_test_setup(lease_rules, setup),
		cmocka_unit_test_setup(gtsi_rules, setup),
		cmocka_unit_test_setup(rtt_primitives, setup),
		cmocka_unit_test_setup(s2_walk_and_set, setup),
		cmocka_unit_test_setup(copy_from_ns_rules, setup),
		cmocka_unit_test_setup(transport_errors, setup),
		cmocka_unit_test_setup(transport_receiver_leases, setup),
		cmocka_unit_test_setup(transport_grants, setup),
		cmocka_unit_test_setup(transport_forwards, setup),
		cmocka_unit_test_setup(transport_scripts, setup),
		cmocka_unit_test_setup(platform_facts, setup),
	};

	return cmocka_run_group_tests_name("fake kernel", tests, NULL, NULL);
}
