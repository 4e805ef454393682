/*
 * Attestation service unit tests: the measurement model of states.md 6
 * (RIM initialisation 6.2, DATA 6.4 and RIPAS 6.5 descriptors, slots 6.1)
 * over the measurement area a caller forwards as lease 0 (ipc/attest.toml):
 * [hash algorithm word, 8 bytes][slot 0 = RIM][slots 1..4 = REMs], 64 bytes
 * per slot.
 *
 * Expected digests are independent of mbedTLS: computed with Python's
 * hashlib from the byte layouts of states.md 6 and embedded below, e.g.
 *   python3 -c 'import hashlib,struct; p=bytearray(4096);
 *     p[8:12]=struct.pack("<I",40); p[0x18]=1; p[0x20]=1;
 *     print(hashlib.sha256(p).hexdigest())'
 * The SHA-256 RIM, RIPAS and DATA values are also the worked example of
 * states.md 6.7 (steps 1-3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <ipc/attest.h>

#include "attest_state.h"
#include "fake_kernel.h"
#include "handler_count.h"

#define G		4096ull
#define RDG		(FK_DRAM_BASE + 4 * G)	/* granule holding the measurement area */
#define DATAG		(FK_DRAM_BASE + 9 * G)	/* a DATA granule */
#define MEAS_OFF	0x800u			/* where the realm service keeps it in the RD */
#define MEAS_LEN	(8u + 5u * 64u)
#define SLOT(i)		(RDG + MEAS_OFF + 8u + (i) * 64u)
#define TERR(t)		(-(int32_t)(t))

/* states.md 6.7 step 1: flags 0, s2sz 40, sve_vl 0, bps 1, wps 1, pmu 0. */
static const char RIM_EX_256[] = "045cb3602843a6845cb710fbbfbb92f0c7d611afe0106ac2953e46950a70c42b";
static const char RIM_EX_512[] =
	"066e19aa2c3418dadc20ef31b5595907c612991952553e1e99731a677b5797c9"
	"898dffb6e3963a20b8e1af6d136cd2fe6fe25f048577dc3d7e5bf3a79a4b1e81";
/* flags 0xf000000000000007 (RES0 bits are measured too), s2sz 52, sve 15, bps 5, wps 3, pmu 6. */
static const char RIM_ALL_256[] = "7d3e23b9eadd62525e0e4a11be6cad05b155c7c30e3e0f0d1547b9dfff4004fc";
static const char RIM_ALL_512[] =
	"5f8051904ac91c0d71aa2d0fde3d55e8b61077ae2c338bcf338f3edbae07f23a"
	"ea981ae51b9d836ba1bc3715608eae12490c27b56f08d50b2f38ca53100e5839";
/* step 2: RIPAS descriptor for [0, 0x1000) on top of RIM_EX. */
static const char RIPAS_256[] = "5e99b1e6b2ebb03fe15c9e109929780b9becf1a9154e6f8b64cfd9b988cc1b5f";
static const char RIPAS_512[] =
	"bca30a6fd3e3f5fffb9421420b3b8f506558079f8129244555190bfae94d5a68"
	"02f98c111182f3652522ebe97682f24dac5ead632509aa9e1d0cf17b80d5817f";
/* RIPAS [0x40000000, 0x40200000) (one level-2 entry) on top of RIM_EX_256. */
static const char RIPAS_2M_256[] = "5a660fe814905c83a8958f2d8cff7e748e5afb7f4daa8d4a3d645aebd95a85d6";
/* step 3: DATA ipa 0, flags 1 (measure content), all-zero page, on top of RIPAS. */
static const char DATA0_256[] = "8091232661b855a69dec4cdefc8f3930fc311c6f79ef4beac399e693cfc73b7b";
static const char DATA0_512[] =
	"89eed006f6185db6034f167e9ac7c1cc103eb44c115838be48ea228f60864079"
	"153455ac55b5dba5ac528d0b7473898ba654e6a4d291b8becd6d5d135a989e9b";
/* DATA page byte i = (7 i + 3) & 0xff: ipa 0x1000 flags 1, and ipa 0x200000 flags 0. */
static const char DATAPAT_256[] = "66b81dafcaf2c0401b6e1523e9defca4954c146bd917f8036f3a2e4683e10238";
static const char DATAPAT_512[] =
	"d5f812d99ed74546c4a2212f96a237cfc8ebc14fc9cab67360b09a8bf35d57e0"
	"1df5d2182ed44e5a2e4a35fd79461739ca39b14820de7f12b6b3a64e445295b5";
static const char DATANOC_256[] = "8181206861972019ccd5445d743cb3fd6311b7adecafc89ec80c47ae14025e69";
/* step 4: REC descriptor (6.3), flags 1 (runnable), pc 0, gprs 0, on top of DATA0_256. */
static const char REC_256[] = "d731c398be2414cabefa7080e1c9a61dc07b25c22d18d0206786ff119b72cccf";
/* On RIM_EX_256: flags 0x8000000000000001 (RES0 bits measured), pc 0x80000000,
 * gprs[i] = i * 0x1111111111111111. */
static const char REC_FIELDS_256[] = "80dd22330f6a8cdeb2021465a1f23207c77f5a0fcccc4440791f21c81622f073";
/* On RIM_EX_512: flags 1, pc 0, gprs 0. */
static const char REC_512[] =
	"fdc64daa6ad50213a672053d9d1ddfa0fb9ad3be7159b794e2e3384ba1f4a902"
	"e65073fb4b2369c86da6f518fd1d441e60067824d5dba3b60e9d65358eae1b00";

static struct attest_state a_st;

static int setup(void **state)
{
	(void)state;
	fk_reset();
	attest_init(&a_st);
	hc_attest = 0;
	return 0;
}

/* 64-byte slot image of a hex digest (zero-padded, states.md 6.1). */
static void slot_of(const char *hex, uint8_t out[64])
{
	memset(out, 0, 64);
	for (size_t i = 0; hex[2 * i] != '\0'; i++) {
		unsigned int v;

		assert_int_equal(sscanf(&hex[2 * i], "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void assert_slot(unsigned int i, const char *hex)
{
	uint8_t want[64];

	slot_of(hex, want);
	assert_memory_equal(fk_mem(SLOT(i)), want, 64);
}

/* ---- delivering messages with hand-made leases ---- */

struct lease_spec {
	uint64_t pa;
	uint32_t off, len;
	uint8_t rights;
	bool active;
};

static const struct lease_spec MEAS_RW = { RDG, MEAS_OFF, MEAS_LEN, IPC_RIGHTS_RW, true };
static const struct lease_spec DATA_RO = { DATAG, 0, 4096, IPC_RIGHT_READ, true };

/* Dispatch op with leases l[0..n) (lease 0 = meas, 1 = data); status or TERR(transport). */
static int32_t deliver(uint16_t op, const void *msg, size_t len, const struct lease_spec *l,
		       unsigned int n, void *rep, size_t rep_cap)
{
	uint8_t buf[IPC_MAX_MSG];
	size_t rep_len = 0;
	int32_t s = -99;
	enum ipc_status t;

	fk_begin(IPC_SVC_ATTEST);
	for (unsigned int i = 0; i < n; i++)
		fk_lease_add(l[i].pa, l[i].off, l[i].len, l[i].rights, l[i].active);
	t = attest_dispatch(&a_st, op, msg, len, rep != NULL ? rep : buf,
			    rep != NULL ? rep_cap : sizeof(buf), &rep_len, &s);
	fk_end();
	return t == IPC_OK ? s : TERR(t);
}

static struct ipc_lease_fwd fwd(uint8_t rights)
{
	struct ipc_lease_fwd f = { .lease = 0, .rights = rights, .offset = 0, .len = MEAS_LEN };

	return f;
}

static struct attest_rim_init_req rim_req(uint64_t flags, uint32_t s2sz, uint32_t sve,
					  uint32_t bps, uint32_t wps, uint32_t pmu, uint32_t algo)
{
	struct attest_rim_init_req r = {
		.meas = fwd(IPC_RIGHTS_RW), .hash_algo = algo, .s2sz = s2sz, .flags = flags,
		.sve_vl = sve, .num_bps = bps, .num_wps = wps, .pmu_num_ctrs = pmu,
	};

	return r;
}

static int32_t rim_init_with(const struct attest_rim_init_req *r, const struct lease_spec *meas)
{
	return deliver(ATTEST_OP_RIM_INIT, r, sizeof(*r), meas, 1, NULL, 0);
}

static int32_t read_slot(uint32_t index, const struct lease_spec *meas, uint8_t out[64])
{
	struct attest_read_req r = { .meas = fwd(IPC_RIGHT_READ), .index = index };
	struct attest_read_rep rep;
	int32_t s;

	memset(&rep, 0xee, sizeof(rep));
	s = deliver(ATTEST_OP_READ, &r, sizeof(r), meas, 1, &rep, sizeof(rep));
	memcpy(out, rep.value, 64);
	return s;
}

static int32_t extend_ripas(uint64_t base, uint64_t top, const struct lease_spec *meas)
{
	struct attest_extend_ripas_req r = { .meas = fwd(IPC_RIGHTS_RW), .base = base, .top = top };

	return deliver(ATTEST_OP_EXTEND_RIPAS, &r, sizeof(r), meas, 1, NULL, 0);
}

static int32_t extend_data(uint64_t ipa, uint64_t flags, const struct lease_spec *data)
{
	struct attest_extend_data_req r = {
		.meas = fwd(IPC_RIGHTS_RW),
		.data = { .lease = 1, .rights = IPC_RIGHT_READ, .len = 4096 },
		.ipa = ipa,
		.flags = flags,
	};
	struct lease_spec l[2] = { MEAS_RW, *data };

	return deliver(ATTEST_OP_EXTEND_DATA, &r, sizeof(r), l, 2, NULL, 0);
}

static int32_t extend_rec(uint64_t flags, uint64_t pc, const uint64_t gprs[8],
			  const struct lease_spec *meas)
{
	struct attest_extend_rec_req r = { .meas = fwd(IPC_RIGHTS_RW), .flags = flags, .pc = pc };

	memcpy(r.gprs, gprs, sizeof(r.gprs));
	return deliver(ATTEST_OP_EXTEND_REC, &r, sizeof(r), meas, 1, NULL, 0);
}

/* ---- RIM initialisation (states.md 6.2) ---- */

/* SHA-256: worked example 6.7 step 1; algorithm word 0; slot padded with zeros. */
static void rim_init_sha256_spec_vector(void **state)
{
	struct attest_rim_init_req r = rim_req(0, 40, 0, 1, 1, 0, ATTEST_HASH_SHA256);

	(void)state;
	fk_fill(RDG, 0x5a, 4096);			/* RD content around the area */
	assert_int_equal(rim_init_with(&r, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_int_equal(fk_read64(RDG + MEAS_OFF), ATTEST_HASH_SHA256);
	assert_slot(0, RIM_EX_256);			/* upper 32 bytes zeroed */
	for (unsigned int i = 1; i < 5; i++) {		/* REMs untouched */
		uint8_t rem[64];

		memset(rem, 0x5a, 64);
		assert_memory_equal(fk_mem(SLOT(i)), rem, 64);
	}
	assert_int_equal(*fk_mem(RDG + MEAS_OFF - 1), 0x5a);	/* nothing outside the lease */
	assert_int_equal(*fk_mem(RDG + MEAS_OFF + MEAS_LEN), 0x5a);
	assert_int_equal(a_st.measurements, 1);
	assert_int_equal(hc_attest, 1);
}

static void rim_init_sha512_spec_layout(void **state)
{
	struct attest_rim_init_req r = rim_req(0, 40, 0, 1, 1, 0, ATTEST_HASH_SHA512);

	(void)state;
	assert_int_equal(rim_init_with(&r, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_int_equal(fk_read64(RDG + MEAS_OFF), ATTEST_HASH_SHA512);
	assert_slot(0, RIM_EX_512);
}

/* Every parameter of 6.2 is measured at its offset, all 64 flag bits included. */
static void rim_init_measures_every_field(void **state)
{
	struct attest_rim_init_req r = rim_req(0xf000000000000007ull, 52, 15, 5, 3, 6, 0);

	(void)state;
	assert_int_equal(rim_init_with(&r, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_slot(0, RIM_ALL_256);
	r.hash_algo = ATTEST_HASH_SHA512;
	assert_int_equal(rim_init_with(&r, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_slot(0, RIM_ALL_512);
	assert_int_equal(fk_read64(RDG + MEAS_OFF), ATTEST_HASH_SHA512);
}

/* A lease too short for the RIM slot, read-only or inactive: BAD_INDEX, RIM untouched. */
static void rim_init_bad_lease_fails(void **state)
{
	struct attest_rim_init_req r = rim_req(0, 40, 0, 1, 1, 0, ATTEST_HASH_SHA256);
	const struct lease_spec shorty = { RDG, MEAS_OFF, 8u + 32u, IPC_RIGHTS_RW, true };
	const struct lease_spec ro = { RDG, MEAS_OFF, MEAS_LEN, IPC_RIGHT_READ, true };
	const struct lease_spec off = { RDG, MEAS_OFF, MEAS_LEN, IPC_RIGHTS_RW, false };
	uint8_t pattern[64];

	(void)state;
	fk_fill(RDG, 0x77, 4096);
	memset(pattern, 0x77, 64);
	assert_int_equal(rim_init_with(&r, &shorty), ATTEST_ASTATUS_BAD_INDEX);
	assert_memory_equal(fk_mem(SLOT(0)), pattern, 64);
	/* (the algorithm word in front of the slot is written before the slot
	 * write fails; the realm service zeroes the RD on this error) */
	fk_fill(RDG, 0x77, 4096);
	assert_int_equal(rim_init_with(&r, &ro), ATTEST_ASTATUS_BAD_INDEX);
	assert_int_equal(rim_init_with(&r, &off), ATTEST_ASTATUS_BAD_INDEX);
	assert_int_equal(deliver(ATTEST_OP_RIM_INIT, &r, sizeof(r), NULL, 0, NULL, 0),
			 ATTEST_ASTATUS_BAD_INDEX);	/* no lease at all */
	for (unsigned int i = 0; i < 4096; i++)
		assert_int_equal(fk_mem(RDG)[i], 0x77);
	assert_int_equal(fk_fails(FK_LEASE_WRITE), 4);
}

/* ---- reading slots (ipc/attest.toml read) ---- */

static void read_returns_each_slot(void **state)
{
	const struct lease_spec ro = { RDG, MEAS_OFF, MEAS_LEN, IPC_RIGHT_READ, true };
	uint8_t out[64], want[64];

	(void)state;
	for (unsigned int i = 0; i < 5; i++)
		for (unsigned int b = 0; b < 64; b++)
			fk_mem(SLOT(i))[b] = (uint8_t)(i * 64u + b);
	for (unsigned int i = 0; i < 5; i++) {
		for (unsigned int b = 0; b < 64; b++)
			want[b] = (uint8_t)(i * 64u + b);
		assert_int_equal(read_slot(i, &ro, out), ATTEST_ASTATUS_OK);
		assert_memory_equal(out, want, 64);
	}
	/* the lease's offset is honoured: a lease at 0 sees the RD header as slot data */
	fk_write64(RDG + 8, 0x1122334455667788ull);
	const struct lease_spec at0 = { RDG, 0, MEAS_LEN, IPC_RIGHT_READ, true };
	assert_int_equal(read_slot(0, &at0, out), ATTEST_ASTATUS_OK);
	assert_int_equal(out[0], 0x88);
}

/* index > 4 is refused by the decoder (check max:4), before the handler. */
static void read_index_out_of_range_is_a_transport_error(void **state)
{
	uint8_t out[64];

	(void)state;
	assert_int_equal(read_slot(5, &MEAS_RW, out), TERR(IPC_E_BAD_FIELD));
	assert_int_equal(read_slot(64, &MEAS_RW, out), TERR(IPC_E_BAD_FIELD));
	assert_int_equal(read_slot(0xffffffffu, &MEAS_RW, out), TERR(IPC_E_BAD_FIELD));
	assert_int_equal(hc_attest, 0);
	assert_int_equal(fk_calls(FK_LEASE_READ), 0);
}

/* A lease covering fewer slots, or without read rights: BAD_INDEX. */
static void read_needs_range_and_rights(void **state)
{
	const struct lease_spec three = { RDG, MEAS_OFF, 8u + 3u * 64u, IPC_RIGHT_READ, true };
	const struct lease_spec wo = { RDG, MEAS_OFF, MEAS_LEN, IPC_RIGHT_WRITE, true };
	const struct lease_spec off = { RDG, MEAS_OFF, MEAS_LEN, IPC_RIGHT_READ, false };
	uint8_t out[64], zero[64] = { 0 };

	(void)state;
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(read_slot(i, &three, out), ATTEST_ASTATUS_OK);
	assert_int_equal(read_slot(3, &three, out), ATTEST_ASTATUS_BAD_INDEX);
	assert_int_equal(read_slot(4, &three, out), ATTEST_ASTATUS_BAD_INDEX);
	assert_memory_equal(out, zero, 64);		/* a failed read returns no data */
	assert_int_equal(read_slot(0, &wo, out), ATTEST_ASTATUS_BAD_INDEX);
	assert_int_equal(read_slot(0, &off, out), ATTEST_ASTATUS_BAD_INDEX);
}

/* ---- RIM extension (states.md 6.4, 6.5) ---- */

/* 6.7 steps 1-3 in sequence, SHA-256 and SHA-512. */
static void extend_chain_spec_vectors(void **state)
{
	struct attest_rim_init_req r = rim_req(0, 40, 0, 1, 1, 0, ATTEST_HASH_SHA256);

	(void)state;
	assert_int_equal(rim_init_with(&r, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_int_equal(extend_ripas(0, 0x1000, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_slot(0, RIPAS_256);
	assert_int_equal(extend_data(0, 1, &DATA_RO), ATTEST_ASTATUS_OK);	/* zero page */
	assert_slot(0, DATA0_256);

	r.hash_algo = ATTEST_HASH_SHA512;
	assert_int_equal(rim_init_with(&r, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_int_equal(extend_ripas(0, 0x1000, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_slot(0, RIPAS_512);
	assert_int_equal(extend_data(0, 1, &DATA_RO), ATTEST_ASTATUS_OK);
	assert_slot(0, DATA0_512);
	assert_int_equal(a_st.measurements, 6);
}

/* states.md 6.3: REC descriptor, 6.7 step 4; flags, pc and x0..x7 are measured. */
static void extend_rec_spec_vectors(void **state)
{
	struct attest_rim_init_req r = rim_req(0, 40, 0, 1, 1, 0, ATTEST_HASH_SHA256);
	const uint64_t zero[8] = { 0 };
	uint64_t gprs[8];
	const struct lease_spec ro = { RDG, MEAS_OFF, MEAS_LEN, IPC_RIGHT_READ, true };

	(void)state;
	assert_int_equal(rim_init_with(&r, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_int_equal(extend_ripas(0, 0x1000, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_int_equal(extend_data(0, 1, &DATA_RO), ATTEST_ASTATUS_OK);
	assert_int_equal(extend_rec(1, 0, zero, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_slot(0, REC_256);

	for (unsigned int i = 0; i < 8; i++)
		gprs[i] = i * 0x1111111111111111ull;
	assert_int_equal(rim_init_with(&r, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_int_equal(extend_rec(0x8000000000000001ull, 0x80000000ull, gprs, &MEAS_RW),
			 ATTEST_ASTATUS_OK);
	assert_slot(0, REC_FIELDS_256);

	r.hash_algo = ATTEST_HASH_SHA512;
	assert_int_equal(rim_init_with(&r, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_int_equal(extend_rec(1, 0, zero, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_slot(0, REC_512);
	/* a read-only area: refused, RIM kept */
	assert_int_equal(extend_rec(1, 0, zero, &ro), ATTEST_ASTATUS_BAD_INDEX);
	assert_slot(0, REC_512);
}

/* Content is hashed over the whole 4 KB only with flags = 1; base/top/ipa are measured. */
static void extend_data_content_and_fields(void **state)
{
	struct attest_rim_init_req r = rim_req(0, 40, 0, 1, 1, 0, ATTEST_HASH_SHA256);

	(void)state;
	for (unsigned int i = 0; i < 4096; i++)
		fk_mem(DATAG)[i] = (uint8_t)((i * 7u + 3u) & 0xffu);
	for (uint32_t algo = 0; algo < 2; algo++) {
		r.hash_algo = algo;
		assert_int_equal(rim_init_with(&r, &MEAS_RW), ATTEST_ASTATUS_OK);
		assert_int_equal(extend_ripas(0, 0x1000, &MEAS_RW), ATTEST_ASTATUS_OK);
		assert_int_equal(extend_data(0x1000, 1, &DATA_RO), ATTEST_ASTATUS_OK);
		assert_slot(0, algo == 0 ? DATAPAT_256 : DATAPAT_512);
	}
	/* flags 0: the content is not read, so even a lease without rights to it works */
	r.hash_algo = ATTEST_HASH_SHA256;
	assert_int_equal(rim_init_with(&r, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_int_equal(extend_ripas(0, 0x1000, &MEAS_RW), ATTEST_ASTATUS_OK);
	const struct lease_spec none = { DATAG, 0, 4096, IPC_RIGHT_WRITE, true };
	assert_int_equal(extend_data(0x200000, 0, &none), ATTEST_ASTATUS_OK);
	assert_slot(0, DATANOC_256);

	assert_int_equal(rim_init_with(&r, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_int_equal(extend_ripas(0x40000000, 0x40200000, &MEAS_RW), ATTEST_ASTATUS_OK);
	assert_slot(0, RIPAS_2M_256);
}

/* Extension failures leave the RIM as it was. */
static void extend_failures_keep_rim(void **state)
{
	struct attest_rim_init_req r = rim_req(0, 40, 0, 1, 1, 0, ATTEST_HASH_SHA256);
	const struct lease_spec ro = { RDG, MEAS_OFF, MEAS_LEN, IPC_RIGHT_READ, true };
	const struct lease_spec half = { DATAG, 0, 2048, IPC_RIGHT_READ, true };
	const struct lease_spec wo = { DATAG, 0, 4096, IPC_RIGHT_WRITE, true };

	(void)state;
	assert_int_equal(rim_init_with(&r, &MEAS_RW), ATTEST_ASTATUS_OK);
	/* measurement area read-only: the new RIM cannot be stored */
	assert_int_equal(extend_ripas(0, 0x1000, &ro), ATTEST_ASTATUS_BAD_INDEX);
	assert_slot(0, RIM_EX_256);
	/* an algorithm word that is neither SHA-256 nor SHA-512 */
	fk_write64(RDG + MEAS_OFF, 2);
	assert_int_equal(extend_ripas(0, 0x1000, &MEAS_RW), ATTEST_ASTATUS_BAD_INDEX);
	assert_int_equal(extend_data(0, 0, &DATA_RO), ATTEST_ASTATUS_BAD_INDEX);
	assert_slot(0, RIM_EX_256);
	fk_write64(RDG + MEAS_OFF, ATTEST_HASH_SHA256);
	/* content to hash but the DATA lease does not cover it / cannot be read
	 * (the handler reports ATTEST_ASTATUS_CRYPTO today) */
	assert_int_not_equal(extend_data(0, 1, &half), ATTEST_ASTATUS_OK);
	assert_int_not_equal(extend_data(0, 1, &wo), ATTEST_ASTATUS_OK);
	assert_slot(0, RIM_EX_256);
	/* no measurement lease at all */
	assert_int_equal(deliver(ATTEST_OP_EXTEND_RIPAS, &(struct attest_extend_ripas_req){
					 .meas = fwd(IPC_RIGHTS_RW) },
				 sizeof(struct attest_extend_ripas_req), NULL, 0, NULL, 0),
			 ATTEST_ASTATUS_BAD_INDEX);
	assert_slot(0, RIM_EX_256);
}

/* ---- through the transport, as the realm service calls it ---- */

static enum ipc_status run_attest(uint16_t op, const uint8_t *msg, size_t len, uint8_t *rep,
				  size_t cap, size_t *rep_len, int32_t *st)
{
	return attest_dispatch(&a_st, op, msg, len, rep, cap, rep_len, st);
}

/* The realm forwards a sub-range of its RD lease (kernel/ipc.c build_leases()). */
static void rim_init_through_forwarded_lease(void **state)
{
	struct attest_rim_init_req r = rim_req(0, 40, 0, 1, 1, 0, ATTEST_HASH_SHA256);
	struct attest_read_req rd = { .meas = fwd(IPC_RIGHT_READ), .index = 0 };
	struct attest_read_rep rep;
	uint8_t want[64];
	int32_t s = -1;

	(void)state;
	fk_register(IPC_SVC_ATTEST, attest_ops, attest_ops_count, run_attest);
	fk_begin(IPC_SVC_REALM);
	fk_lease_add(RDG, 0, 4096, IPC_RIGHTS_RW, true);	/* the realm's active RD lease */
	r.meas.offset = MEAS_OFF;
	assert_int_equal(attest_rim_init(&r, &s), IPC_OK);
	assert_int_equal(s, ATTEST_ASTATUS_OK);
	rd.meas.offset = MEAS_OFF;
	assert_int_equal(attest_read(&rd, &rep, &s), IPC_OK);
	assert_int_equal(s, ATTEST_ASTATUS_OK);
	slot_of(RIM_EX_256, want);
	assert_memory_equal(rep.value, want, 64);
	/* more rights than the realm holds, or a range past its lease: refused by the transport */
	fk_lease(0)->rights = IPC_RIGHT_READ;
	assert_int_equal(attest_rim_init(&r, &s), IPC_E_BAD_LEASE);
	fk_lease(0)->rights = IPC_RIGHTS_RW;
	r.meas.offset = 4096 - 8;
	assert_int_equal(attest_rim_init(&r, &s), IPC_E_BAD_LEASE);
	fk_end();
	assert_slot(0, RIM_EX_256);
}

/* ---- malformed messages never reach a handler (ipc/SCHEMA.md) ---- */

/* Mutations of a lease_fwd at byte offset o of a valid request. */
static void bad_fwd(uint16_t op, const void *valid, size_t len, size_t o)
{
	static const struct { size_t at; uint8_t v; } bad[] = {
		{ 0, IPC_MAX_LEASES }, { 0, 0xff },		/* lease index */
		{ 1, 0 }, { 1, 4 }, { 1, 0x80 }, { 1, 0xff },	/* rights: nonzero, within RW */
		{ 2, 1 }, { 3, 0x80 },				/* rsvd */
		{ 12, 1 }, { 13, 1 }, { 14, 1 }, { 15, 0x80 },	/* rsvd2 */
	};
	uint8_t m[IPC_MAX_MSG];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(m, valid, len);
		m[o + bad[i].at] = bad[i].v;
		assert_int_equal(deliver(op, m, len, &MEAS_RW, 1, NULL, 0), TERR(IPC_E_BAD_FIELD));
	}
}

static void bad_len(uint16_t op, const void *valid, size_t len)
{
	uint8_t m[IPC_MAX_MSG + 8] = { 0 };

	memcpy(m, valid, len);
	assert_int_equal(deliver(op, m, len - 1u, &MEAS_RW, 1, NULL, 0), TERR(IPC_E_BAD_LEN));
	assert_int_equal(deliver(op, m, len + 1u, &MEAS_RW, 1, NULL, 0), TERR(IPC_E_BAD_LEN));
	assert_int_equal(deliver(op, m, len + 8u, &MEAS_RW, 1, NULL, 0), TERR(IPC_E_BAD_LEN));
	assert_int_equal(deliver(op, m, 0, &MEAS_RW, 1, NULL, 0), TERR(IPC_E_BAD_LEN));
}

static void bad_u32(uint16_t op, const void *valid, size_t len, size_t o, uint32_t v)
{
	uint8_t m[IPC_MAX_MSG];

	memcpy(m, valid, len);
	memcpy(&m[o], &v, 4);
	assert_int_equal(deliver(op, m, len, &MEAS_RW, 1, NULL, 0), TERR(IPC_E_BAD_FIELD));
}

/* A valid request of op m: every lease_fwd names lease 0 read-write over the area. */
static void valid_msg(const struct ipc_op_meta *m, uint8_t *b)
{
	memset(b, 0, IPC_MAX_MSG);
	for (unsigned int i = 0; i < m->fwd_count; i++) {
		struct ipc_lease_fwd f = fwd(IPC_RIGHTS_RW);

		memcpy(&b[m->fwd_off[i]], &f, sizeof(f));
	}
}

static void malformed_messages_never_reach_handlers(void **state)
{
	uint8_t valid[IPC_MAX_MSG], m[IPC_MAX_MSG];
	uint16_t max_op = 0;
	uint64_t two = 2;

	(void)state;
	fk_fill(RDG, 0x3e, 4096);
	/* every op: length, and every lease_fwd field */
	for (size_t i = 0; i < attest_ops_count; i++) {
		const struct ipc_op_meta *o = &attest_ops[i];

		valid_msg(o, valid);
		bad_len(o->op, valid, o->req_len);
		for (unsigned int f = 0; f < o->fwd_count; f++)
			bad_fwd(o->op, valid, o->req_len, o->fwd_off[f]);
		if (o->rep_len != 0u)	/* a reply buffer too small for the reply */
			assert_int_equal(deliver(o->op, valid, o->req_len, &MEAS_RW, 1, m,
						 o->rep_len - 1u), TERR(IPC_E_BAD_REPLY));
		max_op = o->op > max_op ? o->op : max_op;
	}
	/* rim_init: enum hash */
	valid_msg(&attest_ops[0], valid);
	assert_int_equal(attest_ops[0].op, ATTEST_OP_RIM_INIT);
	bad_u32(ATTEST_OP_RIM_INIT, valid, sizeof(struct attest_rim_init_req), 16, 2);
	bad_u32(ATTEST_OP_RIM_INIT, valid, sizeof(struct attest_rim_init_req), 16, 0xffffffffu);
	/* read: index max:4, padding */
	bad_u32(ATTEST_OP_READ, valid, sizeof(struct attest_read_req), 16, 5);
	bad_u32(ATTEST_OP_READ, valid, sizeof(struct attest_read_req), 20, 1);
	bad_u32(ATTEST_OP_READ, valid, sizeof(struct attest_read_req), 20, 0x01000000u);
	/* extend_data: flags max:1 */
	memset(m, 0, sizeof(m));
	{
		struct attest_extend_data_req ed = {
			.meas = fwd(IPC_RIGHTS_RW),
			.data = { .lease = 1, .rights = IPC_RIGHT_READ, .len = 4096 },
		};

		memcpy(m, &ed, sizeof(ed));
	}
	memcpy(&m[offsetof(struct attest_extend_data_req, flags)], &two, 8);
	assert_int_equal(deliver(ATTEST_OP_EXTEND_DATA, m, sizeof(struct attest_extend_data_req),
				 &MEAS_RW, 1, NULL, 0), TERR(IPC_E_BAD_FIELD));
	m[offsetof(struct attest_extend_data_req, flags)] = 0;
	m[offsetof(struct attest_extend_data_req, flags) + 7] = 0x80;
	assert_int_equal(deliver(ATTEST_OP_EXTEND_DATA, m, sizeof(struct attest_extend_data_req),
				 &MEAS_RW, 1, NULL, 0), TERR(IPC_E_BAD_FIELD));
	/* unknown ops */
	assert_int_equal(deliver(0, valid, 16, &MEAS_RW, 1, NULL, 0), TERR(IPC_E_BAD_OP));
	assert_int_equal(deliver((uint16_t)(max_op + 1u), valid, 16, &MEAS_RW, 1, NULL, 0),
			 TERR(IPC_E_BAD_OP));
	assert_int_equal(deliver(0xffff, valid, 16, &MEAS_RW, 1, NULL, 0), TERR(IPC_E_BAD_OP));

	assert_int_equal(hc_attest, 0);
	assert_int_equal(a_st.measurements, 0);
	assert_int_equal(fk_calls(FK_LEASE_READ) + fk_calls(FK_LEASE_WRITE), 0);
	for (unsigned int i = 0; i < 4096; i++)
		assert_int_equal(fk_mem(RDG)[i], 0x3e);
	/* and a valid one does get through */
	valid_msg(&attest_ops[0], valid);
	assert_int_equal(deliver(ATTEST_OP_RIM_INIT, valid, sizeof(struct attest_rim_init_req),
				 &MEAS_RW, 1, NULL, 0), ATTEST_ASTATUS_OK);
	assert_int_equal(hc_attest, 1);
}

/* ---- tokens (attestation.md) ---- */

#define TOKG(i)		(FK_DRAM_BASE + (20u + (i)) * G)	/* REC auxiliary granules */
#define DSTG		(FK_DRAM_BASE + 30 * G)			/* realm DATA granule */

/* The QEMU RAK and its rak_hash (attestation.md 1, TF-A 2.12.1 values). */
static const char QEMU_RAK[] =
	"2011c7f03cee4325176e524f033c0ce1e21a76e6c1a4f0b839aa1df61e0e8a5c8a05740f9b69efa7eb1a4185bd117f68";
static const char QEMU_RAK_HASH[] = "0d22e08a98469058486318283489bdb36f09dbefeb1864df433fa6e54ea2d711";

static void hex_to(const char *hex, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned int v = 0;

		assert_int_equal(sscanf(&hex[2 * i], "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static int32_t provision(const char *rak_hex, uint8_t rak_hash[32])
{
	struct attest_provision_key_req k = { { 0 } };
	struct attest_provision_key_rep h;
	int32_t st;

	hex_to(rak_hex, k.key, sizeof(k.key));
	st = deliver(ATTEST_OP_PROVISION_KEY, &k, sizeof(k), NULL, 0, &h, sizeof(h));
	if (rak_hash != NULL)
		memcpy(rak_hash, h.rak_hash, 32);
	return st;
}

static int32_t plat_piece(uint32_t off, uint32_t len, uint32_t last, uint8_t byte)
{
	struct attest_provision_plat_req p = { .offset = off, .len = len, .last = last };

	memset(p.data, byte, sizeof(p.data));
	return deliver(ATTEST_OP_PROVISION_PLAT, &p, sizeof(p), NULL, 0, NULL, 0);
}

static void provision_all(void)
{
	assert_int_equal(provision(QEMU_RAK, NULL), ATTEST_ASTATUS_OK);
	assert_int_equal(plat_piece(0, 192, 0, 0xaa), ATTEST_ASTATUS_OK);
	assert_int_equal(plat_piece(192, 100, 1, 0xbb), ATTEST_ASTATUS_OK);
}

static int32_t tok_init(unsigned int rec, uint8_t challenge_byte)
{
	struct lease_spec l[2] = { MEAS_RW, { TOKG(rec), 0, 4096, IPC_RIGHTS_RW, true } };
	struct attest_token_init_req m = { .meas = fwd(IPC_RIGHT_READ) };
	struct attest_token_init_rep r = { 0 };
	int32_t st;

	m.tok.lease = 1;
	m.tok.rights = IPC_RIGHTS_RW;
	m.tok.len = 4096;
	memset(m.challenge, challenge_byte, sizeof(m.challenge));
	memset(m.rpv, 0x11, sizeof(m.rpv));
	st = deliver(ATTEST_OP_TOKEN_INIT, &m, sizeof(m), l, 2, &r, sizeof(r));
	if (st == ATTEST_ASTATUS_OK)
		assert_int_equal(r.max_size, 4096);
	return st;
}

static int32_t tok_step(unsigned int rec)
{
	struct lease_spec l = { TOKG(rec), 0, 4096, IPC_RIGHTS_RW, true };
	struct attest_token_step_req m = { .tok = { .lease = 0, .rights = IPC_RIGHTS_RW, .len = 4096 } };

	return deliver(ATTEST_OP_TOKEN_STEP, &m, sizeof(m), &l, 1, NULL, 0);
}

static int32_t tok_copy(unsigned int rec, uint32_t off, uint32_t size, uint32_t *copied)
{
	struct lease_spec l[2] = { { TOKG(rec), 0, 4096, IPC_RIGHTS_RW, true },
				   { DSTG, off, size, IPC_RIGHT_WRITE, true } };
	struct attest_token_copy_req m = {
		.tok = { .lease = 0, .rights = IPC_RIGHTS_RW, .len = 4096 },
		.dst = { .lease = 1, .rights = IPC_RIGHT_WRITE, .len = size },
		.size = size,
	};
	struct attest_token_copy_rep r = { 0 };
	int32_t st = deliver(ATTEST_OP_TOKEN_COPY, &m, sizeof(m), l, 2, &r, sizeof(r));

	*copied = r.copied;
	return st;
}

/* Sign to the end; the number of steps it took. */
static unsigned int sign(unsigned int rec)
{
	unsigned int steps = 1;
	int32_t st;

	while ((st = tok_step(rec)) == ATTEST_ASTATUS_INCOMPLETE)
		steps++;
	assert_int_equal(st, ATTEST_ASTATUS_OK);
	return steps;
}

static void provision_key_gives_the_spec_rak_hash(void **state)
{
	uint8_t h[32], want[32];

	(void)state;
	assert_int_equal(provision(QEMU_RAK, h), ATTEST_ASTATUS_OK);
	hex_to(QEMU_RAK_HASH, want, sizeof(want));
	assert_memory_equal(h, want, 32);
	assert_int_equal(provision(QEMU_RAK, h), ATTEST_ASTATUS_STATE);	/* once */
}

static void provision_refuses_bad_key_and_bad_order(void **state)
{
	(void)state;
	/* a scalar >= the group order is not a key */
	assert_int_equal(provision("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
				   NULL), ATTEST_ASTATUS_CRYPTO);
	assert_int_equal(plat_piece(0, 10, 1, 1), ATTEST_ASTATUS_STATE);	/* before the key */
	assert_int_equal(provision(QEMU_RAK, NULL), ATTEST_ASTATUS_OK);
	assert_int_equal(plat_piece(5, 10, 0, 1), ATTEST_ASTATUS_STATE);	/* out of order */
	assert_int_equal(tok_init(0, 1), ATTEST_ASTATUS_UNAVAILABLE);		/* no platform token */
	assert_int_equal(plat_piece(0, 10, 1, 1), ATTEST_ASTATUS_OK);
	assert_int_equal(plat_piece(10, 10, 1, 1), ATTEST_ASTATUS_STATE);	/* sealed */
}

static void token_unavailable_without_provisioning(void **state)
{
	(void)state;
	assert_int_equal(tok_init(0, 1), ATTEST_ASTATUS_UNAVAILABLE);
	assert_int_equal(tok_step(0), ATTEST_ASTATUS_STATE);
}

static void token_whole_flow_in_pieces(void **state)
{
	uint8_t tok[4096];
	uint32_t total = 0, n = 0;
	unsigned int steps;
	int32_t st;

	(void)state;
	provision_all();
	assert_int_equal(tok_step(0), ATTEST_ASTATUS_STATE);			/* no INIT */
	assert_int_equal(tok_copy(0, 0, 64, &n), ATTEST_ASTATUS_STATE);
	assert_int_equal(tok_init(0, 0x42), ATTEST_ASTATUS_OK);
	assert_int_equal(tok_copy(0, 0, 64, &n), ATTEST_ASTATUS_STATE);	/* not signed yet */
	steps = sign(0);
	assert_true(steps > 1u);		/* bounded steps, not one long call */
	assert_int_equal(tok_step(0), ATTEST_ASTATUS_OK);			/* signed stays signed */
	do {
		st = tok_copy(0, 100, 333, &n);
		assert_true(n <= 333u && total + n <= sizeof(tok));
		memcpy(&tok[total], &fk_mem(DSTG)[100], n);
		total += n;
	} while (st == ATTEST_ASTATUS_INCOMPLETE);
	assert_int_equal(st, ATTEST_ASTATUS_OK);
	/* tag 399, map(2), 44234: bstr(292 bytes of platform token) */
	assert_memory_equal(tok, "\xd9\x01\x8f\xa2\x19\xac\xca\x59\x01\x24\xaa", 11);
	assert_int_equal(tok[10 + 191], 0xaa);
	assert_int_equal(tok[10 + 192], 0xbb);
	/* then 44241: COSE_Sign1 #6.18 with the ES384 protected header */
	assert_memory_equal(&tok[10 + 291], "\xbb\x19\xac\xd1\x59", 5);
	assert_memory_equal(&tok[10 + 292 + 6], "\xd2\x84\x44\xa1\x01\x38\x22\xa0", 8);
	assert_true(total > 292u + 500u && total < 1200u);
	/* delivered: CONTINUE needs a new INIT */
	assert_int_equal(tok_step(0), ATTEST_ASTATUS_STATE);
	assert_int_equal(tok_copy(0, 0, 64, &n), ATTEST_ASTATUS_STATE);
}

static void token_init_restarts_and_recs_are_independent(void **state)
{
	uint32_t n = 0;

	(void)state;
	provision_all();
	/* five RECs at once: more than the signing slots, so one is evicted and restarts */
	for (unsigned int r = 0; r < 5u; r++)
		assert_int_equal(tok_init(r, (uint8_t)r), ATTEST_ASTATUS_OK);
	for (unsigned int round = 0; round < 3u; round++)
		for (unsigned int r = 0; r < 5u; r++)
			assert_int_equal(tok_step(r), ATTEST_ASTATUS_INCOMPLETE);
	for (unsigned int r = 0; r < 5u; r++)
		(void)sign(r);
	for (unsigned int r = 0; r < 5u; r++) {
		assert_int_equal(tok_copy(r, 0, 64, &n), ATTEST_ASTATUS_INCOMPLETE);
		assert_int_equal(n, 64);
	}
	/* INIT again abandons what was there */
	assert_int_equal(tok_init(1, 9), ATTEST_ASTATUS_OK);
	assert_int_equal(tok_copy(1, 0, 64, &n), ATTEST_ASTATUS_STATE);
}

/* A failed INIT still abandons the token in progress (attestation.md 5, step 1). */
static void token_init_failure_abandons_the_old_token(void **state)
{
	uint32_t n = 0;

	(void)state;
	provision_all();
	assert_int_equal(tok_init(0, 1), ATTEST_ASTATUS_OK);
	(void)sign(0);
	/* the measurement read (after the token state's) fails: INIT fails, the signed token is gone */
	fk_inject(FK_LEASE_READ, 1, 1);
	assert_int_equal(tok_init(0, 2), ATTEST_ASTATUS_BAD_INDEX);
	assert_int_equal(tok_copy(0, 0, 64, &n), ATTEST_ASTATUS_STATE);
	assert_int_equal(tok_step(0), ATTEST_ASTATUS_STATE);
	/* and a good INIT works again */
	assert_int_equal(tok_init(0, 3), ATTEST_ASTATUS_OK);
	(void)sign(0);
	assert_int_equal(tok_copy(0, 0, 64, &n), ATTEST_ASTATUS_INCOMPLETE);
}

static void token_signing_failure_needs_new_init(void **state)
{
	uint32_t n = 0;
	int32_t st;

	(void)state;
	provision_all();
	assert_int_equal(tok_init(0, 1), ATTEST_ASTATUS_OK);
	fk_inject(FK_RANDOM, 0, -1);		/* no randomness for blinding from now on */
	while ((st = tok_step(0)) == ATTEST_ASTATUS_INCOMPLETE)
		;
	assert_int_equal(st, ATTEST_ASTATUS_CRYPTO);
	assert_int_equal(tok_step(0), ATTEST_ASTATUS_STATE);
	assert_int_equal(tok_copy(0, 0, 64, &n), ATTEST_ASTATUS_STATE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(rim_init_sha256_spec_vector, setup),
		cmocka_unit_test_setup(rim_init_sha512_spec_layout, setup),
		cmocka_unit_test_setup(rim_init_measures_every_field, setup),
		cmocka_unit_test_setup(rim_init_bad_lease_fails, setup),
		cmocka_unit_test_setup(read_returns_each_slot, setup),
		cmocka_unit_test_setup(read_index_out_of_range_is_a_transport_error, setup),
		cmocka_unit_test_setup(read_needs_range_and_rights, setup),
		cmocka_unit_test_setup(extend_chain_spec_vectors, setup),
		cmocka_unit_test_setup(extend_data_content_and_fields, setup),
		cmocka_unit_test_setup(extend_rec_spec_vectors, setup),
		cmocka_unit_test_setup(extend_failures_keep_rim, setup),
		cmocka_unit_test_setup(rim_init_through_forwarded_lease, setup),
		cmocka_unit_test_setup(malformed_messages_never_reach_handlers, setup),
		cmocka_unit_test_setup(provision_key_gives_the_spec_rak_hash, setup),
		cmocka_unit_test_setup(provision_refuses_bad_key_and_bad_order, setup),
		cmocka_unit_test_setup(token_unavailable_without_provisioning, setup),
		cmocka_unit_test_setup(token_whole_flow_in_pieces, setup),
		cmocka_unit_test_setup(token_init_restarts_and_recs_are_independent, setup),
		cmocka_unit_test_setup(token_init_failure_abandons_the_old_token, setup),
		cmocka_unit_test_setup(token_signing_failure_needs_new_init, setup),
	};

	return cmocka_run_group_tests_name("attest", tests, NULL, NULL);
}
