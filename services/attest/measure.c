/*
 * Measurements (states.md 6): the RIM and REMs live in the realm's RD; this
 * service sees them only through the lease its caller forwards (lease 0 of
 * each op): [hash algorithm word][slot 0 = RIM][slots 1..4 = REMs].
 */
#include <ipc/attest.h>
#include <kernel/svc_api.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>
#include <string.h>

#include "attest_state.h"

#define LEASE_MEAS	0u
#define SLOT_BYTES	64u
#define SLOT_OFF(i)	(8u + (i) * SLOT_BYTES)
#define RIM_PARAMS_LEN	4096u

/* out = H(in), zero-padded to 64 bytes. */
static bool hash(uint32_t algo, const uint8_t *in, size_t len, uint8_t out[SLOT_BYTES])
{
	memset(out, 0, SLOT_BYTES);
	if (algo == ATTEST_HASH_SHA256)
		return mbedtls_sha256(in, len, out, 0) == 0;
	return mbedtls_sha512(in, len, out, 0) == 0;
}

static void put32(uint8_t *b, size_t off, uint32_t v)
{
	memcpy(&b[off], &v, sizeof(v));
}

int32_t attest_handle_rim_init(struct attest_state *st, const struct attest_rim_init_req *req)
{
	uint8_t p[RIM_PARAMS_LEN];
	uint8_t out[8u + SLOT_BYTES];	/* hash algorithm word, then slot 0 */
	uint64_t algo = req->hash_algo;

	/* P: the measured realm parameters at their fixed offsets (states.md 6.2). */
	memset(p, 0, sizeof(p));
	memcpy(&p[0x00], &req->flags, sizeof(req->flags));
	put32(p, 0x08, req->s2sz);
	put32(p, 0x10, req->sve_vl);
	put32(p, 0x18, req->num_bps);
	put32(p, 0x20, req->num_wps);
	put32(p, 0x28, req->pmu_num_ctrs);
	p[0x30] = (uint8_t)req->hash_algo;
	if (!hash(req->hash_algo, p, sizeof(p), &out[8]))
		return ATTEST_ASTATUS_CRYPTO;
	st->measurements++;
	memcpy(out, &algo, sizeof(algo));
	/* one write: a lease too short for both changes nothing */
	if (kapi_lease_write(LEASE_MEAS, 0, out, sizeof(out)) != KAPI_OK)
		return ATTEST_ASTATUS_BAD_INDEX;
	return ATTEST_ASTATUS_OK;
}

int32_t attest_handle_read(struct attest_state *st, const struct attest_read_req *req,
			   struct attest_read_rep *rep)
{
	(void)st;
	if (kapi_lease_read(LEASE_MEAS, SLOT_OFF(req->index), rep->value, sizeof(rep->value)) != KAPI_OK)
		return ATTEST_ASTATUS_BAD_INDEX;
	return ATTEST_ASTATUS_OK;
}

/* Current RIM and algorithm from the measurement lease. */
static bool rim_get(uint64_t *algo, uint8_t rim[SLOT_BYTES])
{
	return kapi_lease_read(LEASE_MEAS, 0, algo, sizeof(*algo)) == KAPI_OK &&
	       *algo <= ATTEST_HASH_SHA512 &&
	       kapi_lease_read(LEASE_MEAS, SLOT_OFF(0u), rim, SLOT_BYTES) == KAPI_OK;
}

/* RIM = H(descriptor), the descriptor carrying the current RIM (states.md 6.3-6.5). */
static int32_t rim_extend(struct attest_state *st, uint8_t desc[256], uint8_t type, uint64_t algo,
			  const uint8_t rim[SLOT_BYTES])
{
	uint64_t len = 0x100;
	uint8_t out[SLOT_BYTES];

	desc[0] = type;
	memcpy(&desc[0x08], &len, sizeof(len));
	memcpy(&desc[0x10], rim, algo == ATTEST_HASH_SHA256 ? 32u : 64u);
	if (!hash((uint32_t)algo, desc, 256, out))
		return ATTEST_ASTATUS_CRYPTO;
	st->measurements++;
	if (kapi_lease_write(LEASE_MEAS, SLOT_OFF(0u), out, sizeof(out)) != KAPI_OK)
		return ATTEST_ASTATUS_BAD_INDEX;
	return ATTEST_ASTATUS_OK;
}

#define LEASE_DATA	1u
#define DESC_DATA	0x00u
#define DESC_RIPAS	0x02u

int32_t attest_handle_extend_data(struct attest_state *st, const struct attest_extend_data_req *req)
{
	uint8_t desc[256], rim[SLOT_BYTES];
	uint64_t algo;

	if (!rim_get(&algo, rim))
		return ATTEST_ASTATUS_BAD_INDEX;
	memset(desc, 0, sizeof(desc));
	memcpy(&desc[0x50], &req->ipa, sizeof(req->ipa));
	memcpy(&desc[0x58], &req->flags, sizeof(req->flags));
	if (req->flags == 1u) {
		/* content hash over the 4 KB DATA granule, read in chunks */
		uint8_t chunk[256];
		int r = 0;

		if (algo == ATTEST_HASH_SHA256) {
			mbedtls_sha256_context c;

			mbedtls_sha256_init(&c);
			r = mbedtls_sha256_starts(&c, 0);
			for (size_t off = 0; r == 0 && off < 4096u; off += sizeof(chunk)) {
				if (kapi_lease_read(LEASE_DATA, off, chunk, sizeof(chunk)) != KAPI_OK)
					r = 1;	/* lease failure, not a crypto one */
				else
					r = mbedtls_sha256_update(&c, chunk, sizeof(chunk));
			}
			if (r == 0)
				r = mbedtls_sha256_finish(&c, &desc[0x60]);
			mbedtls_sha256_free(&c);
		} else {
			mbedtls_sha512_context c;

			mbedtls_sha512_init(&c);
			r = mbedtls_sha512_starts(&c, 0);
			for (size_t off = 0; r == 0 && off < 4096u; off += sizeof(chunk)) {
				if (kapi_lease_read(LEASE_DATA, off, chunk, sizeof(chunk)) != KAPI_OK)
					r = 1;	/* lease failure, not a crypto one */
				else
					r = mbedtls_sha512_update(&c, chunk, sizeof(chunk));
			}
			if (r == 0)
				r = mbedtls_sha512_finish(&c, &desc[0x60]);
			mbedtls_sha512_free(&c);
		}
		if (r == 1)
			return ATTEST_ASTATUS_BAD_INDEX;
		if (r != 0)
			return ATTEST_ASTATUS_CRYPTO;
	}
	return rim_extend(st, desc, DESC_DATA, algo, rim);
}

int32_t attest_handle_extend_ripas(struct attest_state *st,
				   const struct attest_extend_ripas_req *req)
{
	uint8_t desc[256], rim[SLOT_BYTES];
	uint64_t algo;

	if (!rim_get(&algo, rim))
		return ATTEST_ASTATUS_BAD_INDEX;
	memset(desc, 0, sizeof(desc));
	memcpy(&desc[0x50], &req->base, sizeof(req->base));
	memcpy(&desc[0x58], &req->top, sizeof(req->top));
	return rim_extend(st, desc, DESC_RIPAS, algo, rim);
}

#define DESC_REC	0x01u

int32_t attest_handle_extend_rec(struct attest_state *st, const struct attest_extend_rec_req *req)
{
	uint8_t r[RIM_PARAMS_LEN], desc[256], rim[SLOT_BYTES];
	uint64_t algo;

	if (!rim_get(&algo, rim))
		return ATTEST_ASTATUS_BAD_INDEX;
	/* C = H(R): flags at 0x000, pc at 0x200, gprs[0..7] at 0x300 */
	memset(r, 0, sizeof(r));
	memcpy(&r[0x000], &req->flags, sizeof(req->flags));
	memcpy(&r[0x200], &req->pc, sizeof(req->pc));
	memcpy(&r[0x300], req->gprs, sizeof(req->gprs));
	memset(desc, 0, sizeof(desc));
	if (!hash((uint32_t)algo, r, sizeof(r), &desc[0x50]))
		return ATTEST_ASTATUS_CRYPTO;
	return rim_extend(st, desc, DESC_REC, algo, rim);
}

int32_t attest_handle_extend_rem(struct attest_state *st, const struct attest_extend_rem_req *req)
{
	uint8_t buf[2u * SLOT_BYTES], out[SLOT_BYTES];
	uint64_t algo;
	size_t hlen;

	if (kapi_lease_read(LEASE_MEAS, 0, &algo, sizeof(algo)) != KAPI_OK ||
	    algo > ATTEST_HASH_SHA512 ||
	    kapi_lease_read(LEASE_MEAS, SLOT_OFF(req->index), buf, SLOT_BYTES) != KAPI_OK)
		return ATTEST_ASTATUS_BAD_INDEX;
	hlen = algo == ATTEST_HASH_SHA256 ? 32u : 64u;
	/* H(REM[0..hlen) || data[0..size)) */
	memcpy(&buf[hlen], req->data, req->size);
	if (!hash((uint32_t)algo, buf, hlen + req->size, out))
		return ATTEST_ASTATUS_CRYPTO;
	st->measurements++;
	if (kapi_lease_write(LEASE_MEAS, SLOT_OFF(req->index), out, sizeof(out)) != KAPI_OK)
		return ATTEST_ASTATUS_BAD_INDEX;
	return ATTEST_ASTATUS_OK;
}
