/*
 * CMocka tests of the code tools/ipcgen.py generates from ipc/example.toml:
 * layout, every predicate at its boundaries, padding/reserved members,
 * lengths, dispatch, client stubs (against a fake ipc_call) and metadata.
 * Expected values are written out from the schema, not taken from the
 * generated code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <ipc/example.h>

#define DRAM_BASE	0x80000000ull
#define DRAM_END	0x100000000ull	/* exclusive */
#define PA		0x80001000ull	/* a valid granule */

bool ipc_env_in_dram(uint64_t pa)
{
	return pa >= DRAM_BASE && pa < DRAM_END;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i] != 0)
			return false;
	}
	return true;
}

/* ---- the service: handlers record what they were called with ---- */

enum { H_PING, H_SCALARS, H_ARRAYS, H_MAP, H_MAX_REFS, H_STATUS, H_BULK, H_COUNT };

struct example_state {
	unsigned int calls[H_COUNT];
	int32_t ret;		/* returned by every handler */
	bool fill;		/* copy the *_rep below into the reply */
	struct example_scalars_req scalars_req;
	struct example_scalars_rep scalars_rep;
	struct example_arrays_req arrays_req;
	struct example_arrays_rep arrays_rep;
	struct example_map_req map_req;
	struct example_map_rep map_rep;
	struct example_max_refs_req max_refs_req;
	struct example_status_rep status_rep;
	struct example_bulk_req bulk_req;
	struct example_bulk_rep bulk_rep;
};

static struct example_state svc;

static unsigned int total_calls(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < H_COUNT; i++)
		n += svc.calls[i];
	return n;
}

int32_t example_handle_ping(struct example_state *st)
{
	st->calls[H_PING]++;
	return st->ret;
}

int32_t example_handle_scalars(struct example_state *st, const struct example_scalars_req *req,
			       struct example_scalars_rep *rep)
{
	st->calls[H_SCALARS]++;
	st->scalars_req = *req;
	if (st->fill)
		*rep = st->scalars_rep;
	return st->ret;
}

int32_t example_handle_arrays(struct example_state *st, const struct example_arrays_req *req,
			      struct example_arrays_rep *rep)
{
	st->calls[H_ARRAYS]++;
	st->arrays_req = *req;
	if (st->fill)
		*rep = st->arrays_rep;
	return st->ret;
}

int32_t example_handle_map(struct example_state *st, const struct example_map_req *req,
			   struct example_map_rep *rep)
{
	st->calls[H_MAP]++;
	st->map_req = *req;
	if (st->fill)
		*rep = st->map_rep;
	return st->ret;
}

int32_t example_handle_max_refs(struct example_state *st, const struct example_max_refs_req *req)
{
	st->calls[H_MAX_REFS]++;
	st->max_refs_req = *req;
	return st->ret;
}

int32_t example_handle_status(struct example_state *st, struct example_status_rep *rep)
{
	st->calls[H_STATUS]++;
	if (st->fill)
		*rep = st->status_rep;
	return st->ret;
}

int32_t example_handle_bulk(struct example_state *st, const struct example_bulk_req *req,
			    struct example_bulk_rep *rep)
{
	st->calls[H_BULK]++;
	st->bulk_req = *req;
	if (st->fill)
		*rep = st->bulk_rep;
	return st->ret;
}

/* ---- valid messages ---- */

static struct example_scalars_req scalars_req_ok(void)
{
	return (struct example_scalars_req){ .flag = 1, .half = 500, .word = 0x10001, .small = 8,
		.big = 1, .addr = PA, .limit = 0x2000, .col = EXAMPLE_COLOR_BLUE, .low = 3 };
}

static struct example_arrays_req arrays_req_ok(void)
{
	return (struct example_arrays_req){ .tag = { 'a', 'b', 'c', 'd', 'e' }, .vals = { 1, 2, 3 } };
}

static struct ipc_granule_ref ref_ok(uint8_t lease)
{
	return (struct ipc_granule_ref){ .lease = lease, .pa = PA };
}

static struct ipc_lease_fwd fwd_ok(uint8_t lease)
{
	return (struct ipc_lease_fwd){ .lease = lease, .rights = IPC_RIGHT_READ, .offset = 16,
		.len = 32 };
}

static struct example_map_req map_req_ok(void)
{
	return (struct example_map_req){ .count = 4, .dst = ref_ok(0), .src = ref_ok(1),
		.fwd = fwd_ok(2) };
}

static struct example_max_refs_req max_refs_req_ok(void)
{
	return (struct example_max_refs_req){ .r0 = ref_ok(0), .f0 = fwd_ok(1), .r1 = ref_ok(2),
		.f1 = fwd_ok(3), .r2 = ref_ok(4), .f2 = fwd_ok(5), .r3 = ref_ok(6), .f3 = fwd_ok(7) };
}

static struct example_bulk_req bulk_req_ok(void)
{
	struct example_bulk_req r;

	for (size_t i = 0; i < 32; i++)
		r.data[i] = (i + 1) << 12;
	return r;
}

static struct example_bulk_rep bulk_rep_ok(void)
{
	struct example_bulk_rep r;

	for (size_t i = 0; i < 256; i++)
		r.data[i] = (uint8_t)(i | 1u);
	return r;
}

/*
 * dec_<msg>(&m): encode m into a byte buffer of its exact size and decode it
 * back. On success the result must equal m; on failure it must be zeroed.
 */
#define DECODER(name, type, decode)						\
static enum ipc_status name(const type *in)					\
{										\
	uint8_t buf[sizeof *in];						\
	type out;								\
	enum ipc_status rc;							\
										\
	memcpy(buf, in, sizeof buf);						\
	memset(&out, 0xa5, sizeof out);						\
	rc = decode(buf, sizeof buf, &out);					\
	if (rc == IPC_OK)							\
		assert_memory_equal(&out, in, sizeof out);			\
	else									\
		assert_true(all_zero(&out, sizeof out));			\
	return rc;								\
}
DECODER(dec_scalars_req, struct example_scalars_req, example_scalars_req_decode)
DECODER(dec_scalars_rep, struct example_scalars_rep, example_scalars_rep_decode)
DECODER(dec_arrays_req, struct example_arrays_req, example_arrays_req_decode)
DECODER(dec_arrays_rep, struct example_arrays_rep, example_arrays_rep_decode)
DECODER(dec_map_req, struct example_map_req, example_map_req_decode)
DECODER(dec_map_rep, struct example_map_rep, example_map_rep_decode)
DECODER(dec_max_refs_req, struct example_max_refs_req, example_max_refs_req_decode)
DECODER(dec_status_rep, struct example_status_rep, example_status_rep_decode)
DECODER(dec_bulk_req, struct example_bulk_req, example_bulk_req_decode)
DECODER(dec_bulk_rep, struct example_bulk_rep, example_bulk_rep_decode)

/* Start from base, apply the statement `change` to m, expect the decoder's verdict. */
#define ACCEPT(dec, base, change)						\
	do {									\
		m = (base);							\
		change;								\
		assert_int_equal(dec(&m), IPC_OK);				\
	} while (0)
#define REJECT(dec, base, change)						\
	do {									\
		m = (base);							\
		change;								\
		assert_int_equal(dec(&m), IPC_E_BAD_FIELD);			\
	} while (0)

static int reset(void **state)
{
	(void)state;
	memset(&svc, 0, sizeof svc);
	svc.fill = true;
	svc.ret = 7;
	svc.scalars_rep = (struct example_scalars_rep){ .sum = 42, .lvl = EXAMPLE_LEVEL_HIGH };
	svc.arrays_rep = (struct example_arrays_rep){ .digest = { 0xff, 1, 2 } };
	svc.map_rep = (struct example_map_rep){ .mapped = 0xffffffffu };
	svc.status_rep = (struct example_status_rep){ .state = EXAMPLE_COLOR_GREEN, .ready = 1,
		.level = 3, .count = 9 };
	svc.bulk_rep = bulk_rep_ok();
	return 0;
}

/* ---- layout ---- */

static void layout(void **state)
{
	struct example_scalars_req s;

	(void)state;
	assert_int_equal(sizeof(struct example_scalars_req), 56);
	assert_int_equal(offsetof(struct example_scalars_req, flag), 0);
	assert_int_equal(offsetof(struct example_scalars_req, _pad0), 1);
	assert_int_equal(sizeof s._pad0, 1);
	assert_int_equal(offsetof(struct example_scalars_req, half), 2);
	assert_int_equal(offsetof(struct example_scalars_req, word), 4);
	assert_int_equal(offsetof(struct example_scalars_req, small), 8);
	assert_int_equal(offsetof(struct example_scalars_req, _pad1), 9);
	assert_int_equal(sizeof s._pad1, 7);
	assert_int_equal(offsetof(struct example_scalars_req, big), 16);
	assert_int_equal(offsetof(struct example_scalars_req, addr), 24);
	assert_int_equal(offsetof(struct example_scalars_req, limit), 32);
	assert_int_equal(offsetof(struct example_scalars_req, resv), 40);
	assert_int_equal(offsetof(struct example_scalars_req, col), 44);
	assert_int_equal(offsetof(struct example_scalars_req, low), 48);
	assert_int_equal(offsetof(struct example_scalars_req, _pad2), 52);
	assert_int_equal(sizeof s._pad2, 4);

	assert_int_equal(sizeof(struct example_scalars_rep), 16);
	assert_int_equal(offsetof(struct example_scalars_rep, lvl), 8);
	assert_int_equal(offsetof(struct example_scalars_rep, _pad0), 12);

	assert_int_equal(sizeof(struct example_arrays_req), 32);
	assert_int_equal(offsetof(struct example_arrays_req, _pad0), 5);
	assert_int_equal(offsetof(struct example_arrays_req, vals), 8);
	assert_int_equal(sizeof(struct example_arrays_rep), 16);
	assert_int_equal(offsetof(struct example_arrays_rep, _pad0), 12);

	assert_int_equal(sizeof(struct example_map_req), 56);
	assert_int_equal(offsetof(struct example_map_req, _pad0), 4);
	assert_int_equal(offsetof(struct example_map_req, dst), 8);
	assert_int_equal(offsetof(struct example_map_req, src), 24);
	assert_int_equal(offsetof(struct example_map_req, fwd), 40);
	assert_int_equal(sizeof(struct example_map_rep), 8);

	assert_int_equal(sizeof(struct example_max_refs_req), 128);
	assert_int_equal(offsetof(struct example_max_refs_req, f0), 16);
	assert_int_equal(offsetof(struct example_max_refs_req, r3), 96);
	assert_int_equal(offsetof(struct example_max_refs_req, f3), 112);

	assert_int_equal(sizeof(struct example_status_rep), 8);
	assert_int_equal(offsetof(struct example_status_rep, ready), 4);
	assert_int_equal(offsetof(struct example_status_rep, level), 5);
	assert_int_equal(offsetof(struct example_status_rep, count), 6);

	assert_int_equal(sizeof(struct example_bulk_req), IPC_MAX_MSG);
	assert_int_equal(sizeof(struct example_bulk_rep), IPC_MAX_MSG);
}

static void enums(void **state)
{
	(void)state;
	assert_int_equal(EXAMPLE_COLOR_RED, 0);
	assert_int_equal(EXAMPLE_COLOR_GREEN, 1);
	assert_int_equal(EXAMPLE_COLOR_BLUE, 5);
	assert_true(example_color_valid(0));
	assert_true(example_color_valid(1));
	assert_true(example_color_valid(5));
	assert_false(example_color_valid(2));
	assert_false(example_color_valid(4));
	assert_false(example_color_valid(6));
	assert_false(example_color_valid(UINT32_MAX));
	assert_int_equal(EXAMPLE_LEVEL_LOW, 1);
	assert_int_equal(EXAMPLE_LEVEL_HIGH, 2);
	assert_false(example_level_valid(0));
	assert_true(example_level_valid(1));
	assert_true(example_level_valid(2));
	assert_false(example_level_valid(3));
	assert_int_equal(EXAMPLE_SERVICE_ID, IPC_SVC_GRANULE);
	assert_int_equal(EXAMPLE_OP_PING, 1);
	assert_int_equal(EXAMPLE_OP_MAP, 0x100);
	assert_int_equal(EXAMPLE_OP_BULK, 65535);
}

/* ---- predicates ---- */

static void scalars_req_fields(void **state)
{
	const struct example_scalars_req ok = scalars_req_ok();
	struct example_scalars_req m;

	(void)state;
	ACCEPT(dec_scalars_req, ok, (void)0);
	/* bool */
	ACCEPT(dec_scalars_req, ok, m.flag = 0);
	REJECT(dec_scalars_req, ok, m.flag = 2);
	REJECT(dec_scalars_req, ok, m.flag = 0xff);
	/* max:1000 */
	ACCEPT(dec_scalars_req, ok, m.half = 0);
	ACCEPT(dec_scalars_req, ok, m.half = 1000);
	REJECT(dec_scalars_req, ok, m.half = 1001);
	REJECT(dec_scalars_req, ok, m.half = 0xffff);
	/* mask:0xff00ff */
	ACCEPT(dec_scalars_req, ok, m.word = 0);
	ACCEPT(dec_scalars_req, ok, m.word = 0xff00ff);
	REJECT(dec_scalars_req, ok, m.word = 0x100);
	REJECT(dec_scalars_req, ok, m.word = 0x8000);
	REJECT(dec_scalars_req, ok, m.word = 0x1000000);
	REJECT(dec_scalars_req, ok, m.word = 0x80000000u);
	/* range:1..16 on a u8 */
	ACCEPT(dec_scalars_req, ok, m.small = 1);
	ACCEPT(dec_scalars_req, ok, m.small = 16);
	REJECT(dec_scalars_req, ok, m.small = 0);
	REJECT(dec_scalars_req, ok, m.small = 17);
	REJECT(dec_scalars_req, ok, m.small = 0xff);
	/* nonzero */
	ACCEPT(dec_scalars_req, ok, m.big = UINT64_MAX);
	REJECT(dec_scalars_req, ok, m.big = 0);
	/* granule_aligned, in_dram */
	ACCEPT(dec_scalars_req, ok, m.addr = DRAM_BASE);
	ACCEPT(dec_scalars_req, ok, m.addr = DRAM_END - 0x1000);
	REJECT(dec_scalars_req, ok, m.addr = DRAM_BASE + 1);
	REJECT(dec_scalars_req, ok, m.addr = DRAM_BASE + 0x800);
	REJECT(dec_scalars_req, ok, m.addr = DRAM_BASE - 0x1000);
	REJECT(dec_scalars_req, ok, m.addr = DRAM_END);
	REJECT(dec_scalars_req, ok, m.addr = 0);
	/* range:0x1000..0xffffffffffff on a u64 */
	ACCEPT(dec_scalars_req, ok, m.limit = 0x1000);
	ACCEPT(dec_scalars_req, ok, m.limit = 0xffffffffffffull);
	REJECT(dec_scalars_req, ok, m.limit = 0xfff);
	REJECT(dec_scalars_req, ok, m.limit = 0x1000000000000ull);
	REJECT(dec_scalars_req, ok, m.limit = UINT64_MAX);
	/* zero */
	REJECT(dec_scalars_req, ok, m.resv = 1);
	REJECT(dec_scalars_req, ok, m.resv = 0x80000000u);
	/* enum color */
	ACCEPT(dec_scalars_req, ok, m.col = EXAMPLE_COLOR_RED);
	ACCEPT(dec_scalars_req, ok, m.col = EXAMPLE_COLOR_GREEN);
	REJECT(dec_scalars_req, ok, m.col = 2);
	REJECT(dec_scalars_req, ok, m.col = 6);
	REJECT(dec_scalars_req, ok, m.col = UINT32_MAX);
	/* range:0..7 (no lower bound emitted) */
	ACCEPT(dec_scalars_req, ok, m.low = 0);
	ACCEPT(dec_scalars_req, ok, m.low = 7);
	REJECT(dec_scalars_req, ok, m.low = 8);
	REJECT(dec_scalars_req, ok, m.low = UINT32_MAX);
}

static void scalars_req_padding(void **state)
{
	const struct example_scalars_req ok = scalars_req_ok();
	struct example_scalars_req m;

	(void)state;
	REJECT(dec_scalars_req, ok, m._pad0[0] = 1);
	for (size_t i = 0; i < sizeof m._pad1; i++)
		REJECT(dec_scalars_req, ok, m._pad1[i] = 0x80);
	for (size_t i = 0; i < sizeof m._pad2; i++)
		REJECT(dec_scalars_req, ok, m._pad2[i] = 1);
}

static void scalars_rep_fields(void **state)
{
	const struct example_scalars_rep ok = { .sum = UINT64_MAX, .lvl = EXAMPLE_LEVEL_LOW };
	struct example_scalars_rep m;

	(void)state;
	ACCEPT(dec_scalars_rep, ok, (void)0);
	ACCEPT(dec_scalars_rep, ok, m.sum = 0);
	ACCEPT(dec_scalars_rep, ok, m.lvl = EXAMPLE_LEVEL_HIGH);
	REJECT(dec_scalars_rep, ok, m.lvl = 0);
	REJECT(dec_scalars_rep, ok, m.lvl = 3);
	for (size_t i = 0; i < sizeof m._pad0; i++)
		REJECT(dec_scalars_rep, ok, m._pad0[i] = 1);
}

static void arrays_fields(void **state)
{
	const struct example_arrays_req ok = arrays_req_ok();
	struct example_arrays_req m;
	const struct example_arrays_rep rok = { .digest = { 0xff, 0xff, 0, 0xff } };
	struct example_arrays_rep r;

	(void)state;
	ACCEPT(dec_arrays_req, ok, (void)0);
	for (size_t i = 0; i < 5; i++) {
		/* mask:0x7f on every byte */
		ACCEPT(dec_arrays_req, ok, m.tag[i] = 0x7f);
		ACCEPT(dec_arrays_req, ok, m.tag[i] = 0);
		REJECT(dec_arrays_req, ok, m.tag[i] = 0x80);
		REJECT(dec_arrays_req, ok, m.tag[i] = 0xff);
	}
	for (size_t i = 0; i < 3; i++) {
		/* max:100 on every element */
		ACCEPT(dec_arrays_req, ok, m.vals[i] = 100);
		ACCEPT(dec_arrays_req, ok, m.vals[i] = 0);
		REJECT(dec_arrays_req, ok, m.vals[i] = 101);
		REJECT(dec_arrays_req, ok, m.vals[i] = UINT64_MAX);
	}
	for (size_t i = 0; i < sizeof m._pad0; i++)
		REJECT(dec_arrays_req, ok, m._pad0[i] = 1);

	r = rok;
	assert_int_equal(dec_arrays_rep(&r), IPC_OK);
	for (size_t i = 0; i < sizeof r._pad0; i++) {
		r = rok;
		r._pad0[i] = 1;
		assert_int_equal(dec_arrays_rep(&r), IPC_E_BAD_FIELD);
	}
}

/* The built-in checks of the granule_ref at *ref inside m (m is reset by the macros). */
#define CHECK_REF(dec, ok, ref)							\
	do {									\
		ACCEPT(dec, ok, (ref).lease = IPC_MAX_LEASES - 1);		\
		REJECT(dec, ok, (ref).lease = IPC_MAX_LEASES);			\
		ACCEPT(dec, ok, (ref).lease = IPC_LEASE_NEW);			\
		REJECT(dec, ok, (ref).lease = IPC_LEASE_NEW - 1);		\
		for (size_t i_ = 0; i_ < sizeof (ref).rsvd; i_++)		\
			REJECT(dec, ok, (ref).rsvd[i_] = 1);			\
		ACCEPT(dec, ok, (ref).pa = DRAM_BASE);				\
		ACCEPT(dec, ok, (ref).pa = DRAM_END - 0x1000);			\
		REJECT(dec, ok, (ref).pa = PA + 8);				\
		REJECT(dec, ok, (ref).pa = PA + 0x800);				\
		REJECT(dec, ok, (ref).pa = DRAM_BASE - 0x1000);			\
		REJECT(dec, ok, (ref).pa = DRAM_END);				\
	} while (0)

#define CHECK_FWD(dec, ok, fwd)							\
	do {									\
		ACCEPT(dec, ok, (fwd).lease = IPC_MAX_LEASES - 1);		\
		REJECT(dec, ok, (fwd).lease = IPC_MAX_LEASES);			\
		ACCEPT(dec, ok, (fwd).rights = IPC_RIGHT_WRITE);		\
		ACCEPT(dec, ok, (fwd).rights = IPC_RIGHTS_RW);			\
		REJECT(dec, ok, (fwd).rights = 0);				\
		REJECT(dec, ok, (fwd).rights = 4);				\
		REJECT(dec, ok, (fwd).rights = 0x83);				\
		REJECT(dec, ok, (fwd).rsvd = 1);				\
		REJECT(dec, ok, (fwd).rsvd = 0x8000);				\
		REJECT(dec, ok, (fwd).rsvd2 = 1);				\
		REJECT(dec, ok, (fwd).rsvd2 = 0x80000000u);			\
		ACCEPT(dec, ok, (fwd).offset = UINT32_MAX);			\
		ACCEPT(dec, ok, (fwd).len = 0);					\
	} while (0)

static void map_fields(void **state)
{
	const struct example_map_req ok = map_req_ok();
	struct example_map_req m;
	const struct example_map_rep rok = { .mapped = 3 };
	struct example_map_rep r;

	(void)state;
	ACCEPT(dec_map_req, ok, (void)0);
	ACCEPT(dec_map_req, ok, m.count = 1);
	ACCEPT(dec_map_req, ok, m.count = 16);
	REJECT(dec_map_req, ok, m.count = 0);
	REJECT(dec_map_req, ok, m.count = 17);
	for (size_t i = 0; i < sizeof m._pad0; i++)
		REJECT(dec_map_req, ok, m._pad0[i] = 1);
	CHECK_REF(dec_map_req, ok, m.dst);
	CHECK_REF(dec_map_req, ok, m.src);
	CHECK_FWD(dec_map_req, ok, m.fwd);

	r = rok;
	assert_int_equal(dec_map_rep(&r), IPC_OK);
	r._pad0[3] = 1;
	assert_int_equal(dec_map_rep(&r), IPC_E_BAD_FIELD);
}

static void max_refs_fields(void **state)
{
	const struct example_max_refs_req ok = max_refs_req_ok();
	struct example_max_refs_req m;

	(void)state;
	ACCEPT(dec_max_refs_req, ok, (void)0);
	CHECK_REF(dec_max_refs_req, ok, m.r0);
	CHECK_REF(dec_max_refs_req, ok, m.r1);
	CHECK_REF(dec_max_refs_req, ok, m.r2);
	CHECK_REF(dec_max_refs_req, ok, m.r3);
	CHECK_FWD(dec_max_refs_req, ok, m.f0);
	CHECK_FWD(dec_max_refs_req, ok, m.f1);
	CHECK_FWD(dec_max_refs_req, ok, m.f2);
	CHECK_FWD(dec_max_refs_req, ok, m.f3);
}

static void status_fields(void **state)
{
	const struct example_status_rep ok = { .state = EXAMPLE_COLOR_RED, .ready = 0, .level = 0,
		.count = 1 };
	struct example_status_rep m;

	(void)state;
	ACCEPT(dec_status_rep, ok, (void)0);
	ACCEPT(dec_status_rep, ok, m.state = EXAMPLE_COLOR_BLUE);
	REJECT(dec_status_rep, ok, m.state = 3);
	ACCEPT(dec_status_rep, ok, m.ready = 1);
	REJECT(dec_status_rep, ok, m.ready = 2);
	ACCEPT(dec_status_rep, ok, m.level = 3);
	REJECT(dec_status_rep, ok, m.level = 4);
	ACCEPT(dec_status_rep, ok, m.count = 0xffff);
	REJECT(dec_status_rep, ok, m.count = 0);
}

static void bulk_fields(void **state)
{
	const struct example_bulk_req ok = bulk_req_ok();
	struct example_bulk_req m;
	const struct example_bulk_rep rok = bulk_rep_ok();
	struct example_bulk_rep r;

	(void)state;
	ACCEPT(dec_bulk_req, ok, (void)0);
	for (size_t i = 0; i < 32; i++) {
		ACCEPT(dec_bulk_req, ok, m.data[i] = 0);
		ACCEPT(dec_bulk_req, ok, m.data[i] = UINT64_MAX & ~0xfffull);
		REJECT(dec_bulk_req, ok, m.data[i] |= 1);
		REJECT(dec_bulk_req, ok, m.data[i] |= 0x800);
	}
	for (size_t i = 0; i < 256; i++) {
		r = rok;
		assert_int_equal(dec_bulk_rep(&r), IPC_OK);
		r.data[i] = 0;
		assert_int_equal(dec_bulk_rep(&r), IPC_E_BAD_FIELD);
	}
}

/* ---- lengths and dispatch ---- */

/* Request and reply sizes of every op, from the schema. */
static const struct {
	uint16_t op;
	size_t req_len;
	size_t rep_len;
} sizes[] = {
	{ EXAMPLE_OP_PING, 0, 0 },	{ EXAMPLE_OP_SCALARS, 56, 16 },
	{ EXAMPLE_OP_ARRAYS, 32, 16 },	{ EXAMPLE_OP_MAP, 56, 8 },
	{ EXAMPLE_OP_MAX_REFS, 128, 0 }, { EXAMPLE_OP_STATUS, 0, 8 },
	{ EXAMPLE_OP_BULK, 256, 256 },
};

struct dispatch_result {
	enum ipc_status rc;
	size_t rep_len;
	int32_t svc_status;
	uint8_t rep[IPC_MAX_MSG];
};

static struct dispatch_result dispatch(uint16_t op, const void *msg, size_t len, size_t rep_cap)
{
	struct dispatch_result r = { .rep_len = 0x5555, .svc_status = -99 };
	uint8_t buf[IPC_MAX_MSG + 8] = { 0 };

	assert_true(len <= sizeof buf);
	if (msg != NULL)
		memcpy(buf, msg, len);
	memset(r.rep, 0xa5, sizeof r.rep);
	r.rc = example_dispatch(&svc, op, buf, len, r.rep, rep_cap, &r.rep_len, &r.svc_status);
	return r;
}

static void wrong_length_every_op(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		const size_t n = sizes[i].req_len;
		const size_t bad[] = { n + 1, n + 8, n == 0 ? IPC_MAX_MSG : n - 1,
				       n == 0 ? 1 : 0 };

		for (size_t j = 0; j < sizeof bad / sizeof bad[0]; j++) {
			struct dispatch_result r = dispatch(sizes[i].op, NULL, bad[j], IPC_MAX_MSG);

			assert_int_equal(r.rc, IPC_E_BAD_LEN);
			assert_int_equal(r.rep_len, 0x5555);
			assert_int_equal(r.svc_status, -99);
		}
	}
	assert_int_equal(total_calls(), 0);
}

static void unknown_op(void **state)
{
	const uint16_t ops[] = { 0, 4, 0xff, 0x103, 0x1000, 0xfffe };

	(void)state;
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		struct dispatch_result r = dispatch(ops[i], NULL, 0, IPC_MAX_MSG);

		assert_int_equal(r.rc, IPC_E_BAD_OP);
		assert_int_equal(r.rep_len, 0x5555);
		assert_int_equal(r.svc_status, -99);
	}
	assert_int_equal(total_calls(), 0);
}

static void dispatch_bad_field(void **state)
{
	struct example_scalars_req s = scalars_req_ok();
	struct example_map_req m = map_req_ok();
	struct dispatch_result r;

	(void)state;
	s.small = 0;
	r = dispatch(EXAMPLE_OP_SCALARS, &s, sizeof s, IPC_MAX_MSG);
	assert_int_equal(r.rc, IPC_E_BAD_FIELD);
	m.src.pa = DRAM_END;
	r = dispatch(EXAMPLE_OP_MAP, &m, sizeof m, IPC_MAX_MSG);
	assert_int_equal(r.rc, IPC_E_BAD_FIELD);
	assert_int_equal(r.svc_status, -99);
	assert_int_equal(total_calls(), 0);
}

static void dispatch_calls_handler(void **state)
{
	struct example_scalars_req s = scalars_req_ok();
	struct example_arrays_req a = arrays_req_ok();
	struct example_map_req m = map_req_ok();
	struct example_max_refs_req x = max_refs_req_ok();
	struct example_bulk_req b = bulk_req_ok();
	struct dispatch_result r;

	(void)state;
	svc.ret = -5;
	r = dispatch(EXAMPLE_OP_PING, NULL, 0, 0);
	assert_int_equal(r.rc, IPC_OK);
	assert_int_equal(r.rep_len, 0);
	assert_int_equal(r.svc_status, -5);
	assert_int_equal(svc.calls[H_PING], 1);

	svc.ret = 1;
	r = dispatch(EXAMPLE_OP_SCALARS, &s, sizeof s, IPC_MAX_MSG);
	assert_int_equal(r.rc, IPC_OK);
	assert_int_equal(svc.calls[H_SCALARS], 1);
	assert_int_equal(svc.scalars_req.flag, 1);
	assert_int_equal(svc.scalars_req.half, 500);
	assert_int_equal(svc.scalars_req.word, 0x10001);
	assert_int_equal(svc.scalars_req.small, 8);
	assert_int_equal(svc.scalars_req.addr, PA);
	assert_int_equal(svc.scalars_req.col, EXAMPLE_COLOR_BLUE);
	assert_memory_equal(&svc.scalars_req, &s, sizeof s);
	assert_int_equal(r.rep_len, 16);
	assert_int_equal(r.svc_status, 1);
	assert_memory_equal(r.rep, &svc.scalars_rep, 16);

	r = dispatch(EXAMPLE_OP_ARRAYS, &a, sizeof a, IPC_MAX_MSG);
	assert_int_equal(r.rc, IPC_OK);
	assert_memory_equal(&svc.arrays_req, &a, sizeof a);
	assert_int_equal(svc.arrays_req.vals[2], 3);
	assert_int_equal(r.rep_len, 16);
	assert_memory_equal(r.rep, &svc.arrays_rep, 16);

	r = dispatch(EXAMPLE_OP_MAP, &m, sizeof m, IPC_MAX_MSG);
	assert_int_equal(r.rc, IPC_OK);
	assert_int_equal(svc.map_req.count, 4);
	assert_int_equal(svc.map_req.src.lease, 1);
	assert_int_equal(svc.map_req.src.pa, PA);
	assert_int_equal(svc.map_req.fwd.len, 32);
	assert_int_equal(r.rep_len, 8);
	assert_memory_equal(r.rep, &svc.map_rep, 8);

	r = dispatch(EXAMPLE_OP_MAX_REFS, &x, sizeof x, 0);
	assert_int_equal(r.rc, IPC_OK);
	assert_int_equal(r.rep_len, 0);
	assert_memory_equal(&svc.max_refs_req, &x, sizeof x);

	r = dispatch(EXAMPLE_OP_STATUS, NULL, 0, 8);
	assert_int_equal(r.rc, IPC_OK);
	assert_int_equal(r.rep_len, 8);
	assert_memory_equal(r.rep, &svc.status_rep, 8);

	r = dispatch(EXAMPLE_OP_BULK, &b, sizeof b, IPC_MAX_MSG);
	assert_int_equal(r.rc, IPC_OK);
	assert_memory_equal(&svc.bulk_req, &b, sizeof b);
	assert_int_equal(r.rep_len, 256);
	assert_memory_equal(r.rep, &svc.bulk_rep, 256);

	for (unsigned int i = 0; i < H_COUNT; i++)
		assert_int_equal(svc.calls[i], 1);
}

static void dispatch_zeroes_reply(void **state)
{
	struct example_scalars_req s = scalars_req_ok();
	struct dispatch_result r;

	(void)state;
	svc.fill = false;
	r = dispatch(EXAMPLE_OP_SCALARS, &s, sizeof s, IPC_MAX_MSG);
	assert_int_equal(r.rc, IPC_OK);
	assert_int_equal(r.rep_len, 16);
	assert_true(all_zero(r.rep, 16));
	assert_int_equal(r.rep[16], 0xa5);	/* nothing beyond the reply */
	r = dispatch(EXAMPLE_OP_STATUS, NULL, 0, IPC_MAX_MSG);
	assert_int_equal(r.rc, IPC_OK);
	assert_true(all_zero(r.rep, 8));
}

static void dispatch_small_rep_cap(void **state)
{
	struct example_scalars_req s = scalars_req_ok();
	struct dispatch_result r;

	(void)state;
	r = dispatch(EXAMPLE_OP_SCALARS, &s, sizeof s, 15);
	assert_int_equal(r.rc, IPC_E_BAD_REPLY);
	r = dispatch(EXAMPLE_OP_STATUS, NULL, 0, 7);
	assert_int_equal(r.rc, IPC_E_BAD_REPLY);
	assert_int_equal(r.rep[0], 0xa5);
	assert_int_equal(total_calls(), 0);
}

/* ---- client stubs against a fake transport ---- */

static struct {
	/* what the stub sent */
	unsigned int calls;
	enum ipc_service svc;
	uint16_t op;
	bool req_null;
	uint8_t req[IPC_MAX_MSG];
	size_t req_len;
	bool rep_null;
	size_t rep_cap;
	/* what the transport answers (loopback: run example_dispatch instead) */
	bool loopback;
	enum ipc_status status;
	uint8_t rep[IPC_MAX_MSG];
	size_t rep_len;
	int32_t svc_status;
} fake;

enum ipc_status ipc_call(enum ipc_service s, uint16_t op, const void *req, size_t req_len,
			 void *rep, size_t rep_cap, size_t *rep_len, int32_t *svc_status)
{
	fake.calls++;
	fake.svc = s;
	fake.op = op;
	fake.req_null = req == NULL;
	fake.req_len = req_len;
	fake.rep_null = rep == NULL;
	fake.rep_cap = rep_cap;
	assert_true(req_len <= IPC_MAX_MSG);
	if (req_len != 0)
		memcpy(fake.req, req, req_len);
	if (fake.loopback)
		return example_dispatch(&svc, op, req, req_len, rep, rep_cap, rep_len, svc_status);
	if (fake.status != IPC_OK)
		return fake.status;
	if (rep_cap != 0)
		memcpy(rep, fake.rep, fake.rep_len < rep_cap ? fake.rep_len : rep_cap);
	*rep_len = fake.rep_len;
	*svc_status = fake.svc_status;
	return IPC_OK;
}

static int reset_fake(void **state)
{
	memset(&fake, 0, sizeof fake);
	return reset(state);
}

static void reply_with(const void *rep, size_t len)
{
	memcpy(fake.rep, rep, len);
	fake.rep_len = len;
}

static void stub_scalars(void **state)
{
	const struct example_scalars_req req = scalars_req_ok();
	struct example_scalars_rep ok = { .sum = 9, .lvl = EXAMPLE_LEVEL_LOW };
	struct example_scalars_rep bad, rep;
	int32_t st = 0;

	(void)state;
	fake.svc_status = -17;
	reply_with(&ok, sizeof ok);
	assert_int_equal(example_scalars(&req, &rep, &st), IPC_OK);
	assert_int_equal(fake.calls, 1);
	assert_int_equal(fake.svc, IPC_SVC_GRANULE);
	assert_int_equal(fake.op, EXAMPLE_OP_SCALARS);
	assert_int_equal(fake.req_len, sizeof req);
	assert_memory_equal(fake.req, &req, sizeof req);
	assert_int_equal(fake.rep_cap, sizeof rep);
	assert_int_equal(st, -17);
	assert_memory_equal(&rep, &ok, sizeof ok);

	/* wrong reply lengths */
	fake.rep_len = sizeof ok - 1;
	assert_int_equal(example_scalars(&req, &rep, &st), IPC_E_BAD_REPLY);
	fake.rep_len = sizeof ok + 1;
	assert_int_equal(example_scalars(&req, &rep, &st), IPC_E_BAD_REPLY);
	fake.rep_len = 0;
	assert_int_equal(example_scalars(&req, &rep, &st), IPC_E_BAD_REPLY);

	/* invalid reply fields */
	bad = ok;
	bad.lvl = 0;
	reply_with(&bad, sizeof bad);
	assert_int_equal(example_scalars(&req, &rep, &st), IPC_E_BAD_REPLY);
	assert_true(all_zero(&rep, sizeof rep));
	bad = ok;
	bad._pad0[3] = 1;
	reply_with(&bad, sizeof bad);
	assert_int_equal(example_scalars(&req, &rep, &st), IPC_E_BAD_REPLY);

	/* transport errors pass through */
	fake.status = IPC_E_BAD_FIELD;
	assert_int_equal(example_scalars(&req, &rep, &st), IPC_E_BAD_FIELD);
	fake.status = IPC_E_NO_SERVICE;
	assert_int_equal(example_scalars(&req, &rep, &st), IPC_E_NO_SERVICE);
}

static void stub_empty_messages(void **state)
{
	const struct example_max_refs_req x = max_refs_req_ok();
	struct example_status_rep ok = { .state = EXAMPLE_COLOR_BLUE, .ready = 1, .level = 3,
		.count = 1 };
	struct example_status_rep bad, rep;
	int32_t st = 0;

	(void)state;
	/* ping: nothing sent, nothing expected back */
	fake.svc_status = 3;
	assert_int_equal(example_ping(&st), IPC_OK);
	assert_int_equal(st, 3);
	assert_int_equal(fake.op, EXAMPLE_OP_PING);
	assert_true(fake.req_null);
	assert_int_equal(fake.req_len, 0);
	assert_true(fake.rep_null);
	assert_int_equal(fake.rep_cap, 0);
	fake.rep_len = 1;
	assert_int_equal(example_ping(&st), IPC_E_BAD_REPLY);

	/* max_refs: request, empty reply */
	fake.rep_len = 0;
	assert_int_equal(example_max_refs(&x, &st), IPC_OK);
	assert_int_equal(fake.req_len, 128);
	assert_memory_equal(fake.req, &x, sizeof x);
	fake.rep_len = 8;
	assert_int_equal(example_max_refs(&x, &st), IPC_E_BAD_REPLY);

	/* status: empty request, validated reply */
	reply_with(&ok, sizeof ok);
	assert_int_equal(example_status(&rep, &st), IPC_OK);
	assert_true(fake.req_null);
	assert_int_equal(fake.rep_cap, 8);
	assert_memory_equal(&rep, &ok, sizeof ok);
	bad = ok;
	bad.level = 4;
	reply_with(&bad, sizeof bad);
	assert_int_equal(example_status(&rep, &st), IPC_E_BAD_REPLY);
	bad = ok;
	bad.count = 0;
	reply_with(&bad, sizeof bad);
	assert_int_equal(example_status(&rep, &st), IPC_E_BAD_REPLY);
	bad = ok;
	bad.ready = 2;
	reply_with(&bad, sizeof bad);
	assert_int_equal(example_status(&rep, &st), IPC_E_BAD_REPLY);
	bad = ok;
	bad.state = 4;
	reply_with(&bad, sizeof bad);
	assert_int_equal(example_status(&rep, &st), IPC_E_BAD_REPLY);
}

/* Call op's stub with a valid request; the reply is whatever the fake returns. */
static enum ipc_status call_stub(uint16_t op)
{
	const struct example_scalars_req s = scalars_req_ok();
	const struct example_arrays_req a = arrays_req_ok();
	const struct example_map_req m = map_req_ok();
	const struct example_max_refs_req x = max_refs_req_ok();
	const struct example_bulk_req b = bulk_req_ok();
	struct example_scalars_rep sr;
	struct example_arrays_rep ar;
	struct example_map_rep mr;
	struct example_status_rep str;
	struct example_bulk_rep br;
	int32_t st;

	switch (op) {
	case EXAMPLE_OP_PING:
		return example_ping(&st);
	case EXAMPLE_OP_SCALARS:
		return example_scalars(&s, &sr, &st);
	case EXAMPLE_OP_ARRAYS:
		return example_arrays(&a, &ar, &st);
	case EXAMPLE_OP_MAP:
		return example_map(&m, &mr, &st);
	case EXAMPLE_OP_MAX_REFS:
		return example_max_refs(&x, &st);
	case EXAMPLE_OP_STATUS:
		return example_status(&str, &st);
	default:
		return example_bulk(&b, &br, &st);
	}
}

static void stub_wrong_reply_length_every_op(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		const size_t n = sizes[i].rep_len;

		fake.calls = 0;
		fake.rep_len = n + 1;
		assert_int_equal(call_stub(sizes[i].op), IPC_E_BAD_REPLY);
		fake.rep_len = n == 0 ? 8 : n - 1;
		assert_int_equal(call_stub(sizes[i].op), IPC_E_BAD_REPLY);
		assert_int_equal(fake.calls, 2);
		assert_int_equal(fake.op, sizes[i].op);
		assert_int_equal(fake.req_len, sizes[i].req_len);
		assert_int_equal(fake.rep_cap, n);
	}
}

static void stub_loopback_every_op(void **state)
{
	struct example_map_req m = map_req_ok();
	struct example_map_rep mr;
	int32_t st = 0;

	(void)state;
	fake.loopback = true;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		assert_int_equal(call_stub(sizes[i].op), IPC_OK);
	for (unsigned int i = 0; i < H_COUNT; i++)
		assert_int_equal(svc.calls[i], 1);

	svc.ret = 12;
	assert_int_equal(example_map(&m, &mr, &st), IPC_OK);
	assert_int_equal(st, 12);
	assert_int_equal(mr.mapped, 0xffffffffu);
	/* the server rejects a bad request; the stub passes its status through */
	m.fwd.rights = 0;
	assert_int_equal(example_map(&m, &mr, &st), IPC_E_BAD_FIELD);
	/* a handler producing an invalid reply is caught by the client */
	svc.status_rep.count = 0;
	assert_int_equal(call_stub(EXAMPLE_OP_STATUS), IPC_E_BAD_REPLY);
	svc.fill = false;	/* zeroed scalars reply: lvl 0 is not an example_level */
	assert_int_equal(call_stub(EXAMPLE_OP_SCALARS), IPC_E_BAD_REPLY);
}

/* ---- metadata ---- */

static void metadata(void **state)
{
	static const struct ipc_op_meta want[] = {
		{ .op = 1 },
		{ .op = 2, .req_len = 56, .rep_len = 16 },
		{ .op = 3, .req_len = 32, .rep_len = 16 },
		{ .op = 0x100, .req_len = 56, .rep_len = 8, .ref_count = 2, .fwd_count = 1,
		  .ref_off = { 8, 24 }, .fwd_off = { 40 }, .grant_mask = 0x2 },
		{ .op = 0x101, .req_len = 128, .ref_count = 4, .fwd_count = 4,
		  .ref_off = { 0, 32, 64, 96 }, .fwd_off = { 16, 48, 80, 112 }, .grant_mask = 0x9 },
		{ .op = 0x102, .rep_len = 8 },
		{ .op = 0xffff, .req_len = 256, .rep_len = 256 },
	};

	(void)state;
	assert_int_equal(example_ops_count, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < example_ops_count; i++) {
		const struct ipc_op_meta *g = &example_ops[i];
		const struct ipc_op_meta *w = &want[i];

		assert_int_equal(g->op, w->op);
		assert_int_equal(g->req_len, w->req_len);
		assert_int_equal(g->rep_len, w->rep_len);
		assert_int_equal(g->ref_count, w->ref_count);
		assert_int_equal(g->fwd_count, w->fwd_count);
		for (size_t j = 0; j < IPC_MAX_REFS; j++) {
			assert_int_equal(g->ref_off[j], w->ref_off[j]);
			assert_int_equal(g->fwd_off[j], w->fwd_off[j]);
		}
		assert_int_equal(g->grant_mask, w->grant_mask);
	}
	/* the offsets point at the named fields */
	assert_int_equal(example_ops[3].ref_off[1], offsetof(struct example_map_req, src));
	assert_int_equal(example_ops[4].fwd_off[3], offsetof(struct example_max_refs_req, f3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout),
		cmocka_unit_test(enums),
		cmocka_unit_test(scalars_req_fields),
		cmocka_unit_test(scalars_req_padding),
		cmocka_unit_test(scalars_rep_fields),
		cmocka_unit_test(arrays_fields),
		cmocka_unit_test(map_fields),
		cmocka_unit_test(max_refs_fields),
		cmocka_unit_test(status_fields),
		cmocka_unit_test(bulk_fields),
		cmocka_unit_test_setup(wrong_length_every_op, reset),
		cmocka_unit_test_setup(unknown_op, reset),
		cmocka_unit_test_setup(dispatch_bad_field, reset),
		cmocka_unit_test_setup(dispatch_calls_handler, reset),
		cmocka_unit_test_setup(dispatch_zeroes_reply, reset),
		cmocka_unit_test_setup(dispatch_small_rep_cap, reset),
		cmocka_unit_test_setup(stub_scalars, reset_fake),
		cmocka_unit_test_setup(stub_empty_messages, reset_fake),
		cmocka_unit_test_setup(stub_wrong_reply_length_every_op, reset_fake),
		cmocka_unit_test_setup(stub_loopback_every_op, reset_fake),
		cmocka_unit_test(metadata),
	};

	return cmocka_run_group_tests_name("ipcgen_example", tests, NULL, NULL);
}
