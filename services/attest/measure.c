/*
 * Measurements (states.md 6): the RIM and REMs live in the realm's RD; this
 * service sees them only through the lease its caller forwards (lease 0 of
 * each op): [hash algorithm word][slot 0 = RIM][slots 1..4 = REMs].
 */
#include <ipc/attest.h>
#include <kernel/svc_api.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>
#include <spec/structs.h>
#include <string.h>

#include "attest_state.h"

#define LEASE_MEAS	0u
#define SLOT_BYTES	64u
#define SLOT_OFF(i)	(8u + (i) * SLOT_BYTES)
#define DESC_LEN	0x100u	/* every descriptor (states.md 6.3-6.5) */

_Static_assert(sizeof(struct rim_rec_desc) == DESC_LEN && sizeof(struct rim_data_desc) == DESC_LEN &&
	       sizeof(struct rim_ripas_desc) == DESC_LEN, "descriptor length");
_Static_assert(SPEC_SIZEOF(struct rim_desc_header, rim) == SLOT_BYTES &&
	       SPEC_SIZEOF(struct rim_rec_desc, content) == SLOT_BYTES &&
	       SPEC_SIZEOF(struct rim_data_desc, content) == SLOT_BYTES, "a slot per digest");

/* out = H(in), zero-padded to 64 bytes. */
static bool hash(uint32_t algo, const void *in, size_t len, uint8_t out[SLOT_BYTES])
{
	memset(out, 0, SLOT_BYTES);
	if (algo == ATTEST_HASH_SHA256)
		return mbedtls_sha256(in, len, out, 0) == 0;
	return mbedtls_sha512(in, len, out, 0) == 0;
}

int32_t attest_handle_rim_init(struct attest_state *st, const struct attest_rim_init_req *req)
{
	struct rim_realm_params p;
	uint8_t out[8u + SLOT_BYTES];	/* hash algorithm word, then slot 0 */
	uint64_t algo = req->hash_algo;

	/* P: the measured realm parameters, the rest of the 4 KB zero (states.md 6.2). */
	memset(&p, 0, sizeof(p));
	p.flags = req->flags;
	p.s2sz = req->s2sz;
	p.sve_vl = req->sve_vl;
	p.num_bps = req->num_bps;
	p.num_wps = req->num_wps;
	p.pmu_num_ctrs = req->pmu_num_ctrs;
	p.hash_algo = (uint8_t)req->hash_algo;
	if (!hash(req->hash_algo, &p, sizeof(p), &out[8]))
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

/* The header every descriptor starts with; the caller zeroed the descriptor. */
static void desc_header(struct rim_desc_header *h, uint8_t type, uint64_t algo,
			const uint8_t rim[SLOT_BYTES])
{
	h->desc_type = type;
	h->len = DESC_LEN;
	memcpy(h->rim, rim, algo == ATTEST_HASH_SHA256 ? 32u : 64u);
}

/* RIM = H(descriptor), the descriptor carrying the current RIM (states.md 6.3-6.5). */
static int32_t rim_extend(struct attest_state *st, uint64_t algo, const void *desc, size_t len)
{
	uint8_t out[SLOT_BYTES];

	if (!hash((uint32_t)algo, desc, len, out))
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
	struct rim_data_desc d;
	uint8_t rim[SLOT_BYTES];
	uint64_t algo;

	if (!rim_get(&algo, rim))
		return ATTEST_ASTATUS_BAD_INDEX;
	memset(&d, 0, sizeof(d));
	d.ipa = req->ipa;
	d.flags = req->flags;
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
				r = mbedtls_sha256_finish(&c, d.content);
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
				r = mbedtls_sha512_finish(&c, d.content);
			mbedtls_sha512_free(&c);
		}
		if (r == 1)
			return ATTEST_ASTATUS_BAD_INDEX;
		if (r != 0)
			return ATTEST_ASTATUS_CRYPTO;
	}
	desc_header(&d.header, DESC_DATA, algo, rim);
	return rim_extend(st, algo, &d, sizeof(d));
}

int32_t attest_handle_extend_ripas(struct attest_state *st,
				   const struct attest_extend_ripas_req *req)
{
	struct rim_ripas_desc d;
	uint8_t rim[SLOT_BYTES];
	uint64_t algo;

	if (!rim_get(&algo, rim))
		return ATTEST_ASTATUS_BAD_INDEX;
	memset(&d, 0, sizeof(d));
	d.base = req->base;
	d.top = req->top;
	desc_header(&d.header, DESC_RIPAS, algo, rim);
	return rim_extend(st, algo, &d, sizeof(d));
}

#define DESC_REC	0x01u

int32_t attest_handle_extend_rec(struct attest_state *st, const struct attest_extend_rec_req *req)
{
	struct rmi_rec_params r;	/* R: the measured RmiRecParams (states.md 6.3) */
	struct rim_rec_desc d;
	uint8_t rim[SLOT_BYTES];
	uint64_t algo;

	_Static_assert(sizeof(r.gprs) == sizeof(req->gprs), "gprs[0..7]");
	if (!rim_get(&algo, rim))
		return ATTEST_ASTATUS_BAD_INDEX;
	/* C = H(R): flags, pc and gprs[0..7], everything else 0 */
	memset(&r, 0, sizeof(r));
	r.flags = req->flags;
	r.pc = req->pc;
	memcpy(r.gprs, req->gprs, sizeof(r.gprs));
	memset(&d, 0, sizeof(d));
	if (!hash((uint32_t)algo, &r, sizeof(r), d.content))
		return ATTEST_ASTATUS_CRYPTO;
	desc_header(&d.header, DESC_REC, algo, rim);
	return rim_extend(st, algo, &d, sizeof(d));
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
