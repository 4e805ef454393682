/*
 * CCA attestation tokens (attestation.md): the Realm Attestation Key and
 * platform token provisioned at boot, realm tokens signed with ES384 in
 * bounded steps, and the CCA token copied out in pieces. mbedTLS does the
 * crypto, tinycbor the encoding. Per-REC token state lives in the REC's
 * first auxiliary granule, lent for each message (`tok`); only signatures
 * in progress are kept here, and an evicted one simply starts again.
 */
#include <cbor.h>
#include <ipc/attest.h>
#include <kernel/svc_api.h>
#include <mbedtls/memory_buffer_alloc.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>
#include <string.h>

#include "attest_state.h"

#define SIGN_OPS_PER_STEP	1000u	/* ECC operations per token_step message */
#define P384_BYTES		48u
#define SLOT_BYTES		64u
#define MEAS_SLOT_OFF(i)	(8u + (i) * SLOT_BYTES)

/* Claim keys (attestation.md 2, 3). */
#define TAG_CCA_TOKEN		399u
#define TAG_COSE_SIGN1		18u
#define CCA_PLAT_TOKEN		44234u
#define CCA_REALM_TOKEN		44241u
#define CLAIM_CHALLENGE		10u
#define CLAIM_RPV		44235u
#define CLAIM_RAK		44237u
#define CLAIM_HASH_ALGO		44236u
#define CLAIM_RAK_HASH_ALGO	44240u
#define CLAIM_PROFILE		265u
#define CLAIM_RIM		44238u
#define CLAIM_REMS		44239u
#define REALM_PROFILE		"tag:arm.com,2023:realm#1.0.0"

static const uint8_t protected_hdr[] = { 0xa1, 0x01, 0x38, 0x22 };	/* { 1: -35 (ES384) } */

static int rng(void *ctx, unsigned char *buf, size_t len)
{
	(void)ctx;
	return kapi_random(buf, len) == KAPI_OK ? 0 : -1;
}

void attest_init(struct attest_state *st)
{
	memset(st, 0, sizeof(*st));
	mbedtls_memory_buffer_alloc_init(st->heap, sizeof(st->heap));
	mbedtls_ecp_group_init(&st->grp);
	mbedtls_mpi_init(&st->rak);
	mbedtls_ecp_set_max_ops(SIGN_OPS_PER_STEP);
}

/* ---- boot provisioning ---- */

static size_t cose_key_encode(uint8_t *out, size_t cap, const uint8_t *x, const uint8_t *y)
{
	CborEncoder enc, map;
	CborError err;

	cbor_encoder_init(&enc, out, cap, 0);
	err = cbor_encoder_create_map(&enc, &map, 4);
	err |= cbor_encode_int(&map, 1);		/* kty */
	err |= cbor_encode_int(&map, 2);		/* EC2 */
	err |= cbor_encode_int(&map, -1);		/* crv */
	err |= cbor_encode_int(&map, 2);		/* P-384 */
	err |= cbor_encode_int(&map, -2);		/* x */
	err |= cbor_encode_byte_string(&map, x, P384_BYTES);
	err |= cbor_encode_int(&map, -3);		/* y */
	err |= cbor_encode_byte_string(&map, y, P384_BYTES);
	err |= cbor_encoder_close_container(&enc, &map);
	return err == CborNoError ? cbor_encoder_get_buffer_size(&enc, out) : 0u;
}

int32_t attest_handle_provision_key(struct attest_state *st,
				    const struct attest_provision_key_req *req,
				    struct attest_provision_key_rep *rep)
{
	mbedtls_ecp_point q;
	uint8_t pub[1u + 2u * P384_BYTES];
	size_t n = 0;
	int ok;

	if (st->key_ready != 0u)
		return ATTEST_ASTATUS_STATE;		/* once per boot */
	mbedtls_ecp_point_init(&q);
	ok = mbedtls_ecp_group_load(&st->grp, MBEDTLS_ECP_DP_SECP384R1) == 0 &&
	     mbedtls_mpi_read_binary(&st->rak, req->key, P384_BYTES) == 0 &&
	     mbedtls_ecp_check_privkey(&st->grp, &st->rak) == 0 &&
	     mbedtls_ecp_mul(&st->grp, &q, &st->rak, &st->grp.G, rng, NULL) == 0 &&
	     mbedtls_ecp_point_write_binary(&st->grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &n, pub,
					    sizeof(pub)) == 0 && n == sizeof(pub);
	mbedtls_ecp_point_free(&q);
	if (ok) {
		st->cose_key_len = (uint32_t)cose_key_encode(st->cose_key, sizeof(st->cose_key),
							     &pub[1], &pub[1u + P384_BYTES]);
		ok = st->cose_key_len != 0u &&
		     mbedtls_sha256(st->cose_key, st->cose_key_len, st->rak_hash, 0) == 0;
	}
	if (!ok) {
		mbedtls_mpi_free(&st->rak);
		mbedtls_ecp_group_free(&st->grp);
		return ATTEST_ASTATUS_CRYPTO;
	}
	st->key_ready = 1;
	memcpy(rep->rak_hash, st->rak_hash, sizeof(rep->rak_hash));
	return ATTEST_ASTATUS_OK;
}

int32_t attest_handle_provision_plat(struct attest_state *st,
				     const struct attest_provision_plat_req *req)
{
	if (st->key_ready == 0u || st->plat_ready != 0u || req->offset != st->plat_len)
		return ATTEST_ASTATUS_STATE;		/* in order, after the key, once */
	if (req->len > ATTEST_PLAT_MAX - st->plat_len)
		return ATTEST_ASTATUS_TOO_BIG;
	memcpy(&st->plat[st->plat_len], req->data, req->len);
	st->plat_len += req->len;
	if (req->last != 0u)
		st->plat_ready = st->plat_len != 0u ? 1u : 0u;
	return ATTEST_ASTATUS_OK;
}

/* ---- realm tokens ---- */

#define LEASE_MEAS	0u	/* token_init: meas, tok */
#define LEASE_TOK_INIT	1u
#define LEASE_TOK	0u	/* token_step, token_copy: tok (, dst) */
#define LEASE_DST	1u

static bool tok_load(unsigned int lease, struct tok_state *t)
{
	if (kapi_lease_read(lease, 0, t, sizeof(*t)) != KAPI_OK)
		return false;
	if (t->magic != TOK_MAGIC || t->payload_len > sizeof(t->payload) ||
	    t->realm_len > sizeof(t->realm))
		memset(t, 0, sizeof(*t));	/* never used, or not ours: idle */
	return true;
}

static bool tok_store(unsigned int lease, struct tok_state *t)
{
	t->magic = TOK_MAGIC;
	return kapi_lease_write(lease, 0, t, sizeof(*t)) == KAPI_OK;
}

static size_t claims_encode(uint8_t *out, size_t cap, const struct attest_state *st,
			    const struct attest_token_init_req *req, uint64_t algo,
			    const uint8_t meas[5][SLOT_BYTES])
{
	size_t hlen = algo == ATTEST_HASH_SHA256 ? 32u : 64u;
	CborEncoder enc, map, rems;
	CborError err;

	cbor_encoder_init(&enc, out, cap, 0);
	err = cbor_encoder_create_map(&enc, &map, 8);
	err |= cbor_encode_uint(&map, CLAIM_CHALLENGE);
	err |= cbor_encode_byte_string(&map, req->challenge, sizeof(req->challenge));
	err |= cbor_encode_uint(&map, CLAIM_RPV);
	err |= cbor_encode_byte_string(&map, req->rpv, sizeof(req->rpv));
	err |= cbor_encode_uint(&map, CLAIM_RAK);
	err |= cbor_encode_byte_string(&map, st->cose_key, st->cose_key_len);
	err |= cbor_encode_uint(&map, CLAIM_HASH_ALGO);
	err |= cbor_encode_text_stringz(&map, algo == ATTEST_HASH_SHA256 ? "sha-256" : "sha-512");
	err |= cbor_encode_uint(&map, CLAIM_RAK_HASH_ALGO);
	err |= cbor_encode_text_stringz(&map, "sha-256");
	err |= cbor_encode_uint(&map, CLAIM_PROFILE);
	err |= cbor_encode_text_stringz(&map, REALM_PROFILE);
	err |= cbor_encode_uint(&map, CLAIM_RIM);
	err |= cbor_encode_byte_string(&map, meas[0], hlen);
	err |= cbor_encode_uint(&map, CLAIM_REMS);
	err |= cbor_encoder_create_array(&map, &rems, 4);
	for (unsigned int i = 1; i <= 4u; i++)
		err |= cbor_encode_byte_string(&rems, meas[i], hlen);
	err |= cbor_encoder_close_container(&map, &rems);
	err |= cbor_encoder_close_container(&enc, &map);
	return err == CborNoError ? cbor_encoder_get_buffer_size(&enc, out) : 0u;
}

/* SHA-384 of the COSE Sig_structure ["Signature1", protected, h'', payload]. */
static bool sig_structure_hash(uint8_t *scratch, size_t cap, const uint8_t *payload, size_t len,
			       uint8_t hash[P384_BYTES])
{
	CborEncoder enc, arr;
	CborError err;

	cbor_encoder_init(&enc, scratch, cap, 0);
	err = cbor_encoder_create_array(&enc, &arr, 4);
	err |= cbor_encode_text_stringz(&arr, "Signature1");
	err |= cbor_encode_byte_string(&arr, protected_hdr, sizeof(protected_hdr));
	err |= cbor_encode_byte_string(&arr, protected_hdr, 0);	/* external_aad: empty */
	err |= cbor_encode_byte_string(&arr, payload, len);
	err |= cbor_encoder_close_container(&enc, &arr);
	return err == CborNoError &&
	       mbedtls_sha512(scratch, cbor_encoder_get_buffer_size(&enc, scratch), hash, 1) == 0;
}

int32_t attest_handle_token_init(struct attest_state *st, const struct attest_token_init_req *req,
				 struct attest_token_init_rep *rep)
{
	struct tok_state *t = &st->tok;
	uint8_t meas[5][SLOT_BYTES];
	uint64_t algo = 0;
	size_t len;

	if (!tok_load(LEASE_TOK_INIT, t))
		return ATTEST_ASTATUS_BAD_INDEX;
	/*
	 * Any token in progress for this REC is abandoned (attestation.md 5,
	 * step 1), whether or not this INIT then succeeds.
	 */
	memset(t, 0, sizeof(*t));
	if (st->key_ready == 0u || st->plat_ready == 0u) {
		(void)tok_store(LEASE_TOK_INIT, t);
		return ATTEST_ASTATUS_UNAVAILABLE;
	}
	if (kapi_lease_read(LEASE_MEAS, 0, &algo, sizeof(algo)) != KAPI_OK ||
	    algo > ATTEST_HASH_SHA512 ||
	    kapi_lease_read(LEASE_MEAS, MEAS_SLOT_OFF(0u), meas, sizeof(meas)) != KAPI_OK) {
		(void)tok_store(LEASE_TOK_INIT, t);	/* abandoned all the same */
		return ATTEST_ASTATUS_BAD_INDEX;
	}
	len = claims_encode(t->payload, sizeof(t->payload), st, req, algo, meas);
	if (len == 0u || !sig_structure_hash(st->scratch, sizeof(st->scratch), t->payload, len,
					     t->hash)) {
		memset(t, 0, sizeof(*t));
		(void)tok_store(LEASE_TOK_INIT, t);	/* abandoned all the same */
		return ATTEST_ASTATUS_CRYPTO;
	}
	t->payload_len = (uint32_t)len;
	t->phase = TOK_SIGN;
	t->ticket = ++st->next_ticket;
	if (!tok_store(LEASE_TOK_INIT, t))
		return ATTEST_ASTATUS_BAD_INDEX;
	rep->max_size = ATTEST_CCA_MAX;
	return ATTEST_ASTATUS_OK;
}

static void slot_free(struct attest_sign_slot *s)
{
	if (s->ticket != 0u) {
		mbedtls_mpi_free(&s->r);
		mbedtls_mpi_free(&s->s);
		mbedtls_ecdsa_restart_free(&s->rs);
	}
	s->ticket = 0;
}

/*
 * The slot signing `ticket` over `hash`, or a new one (the least recently
 * used is evicted). The hash is compared too: tickets count from the state
 * the service (re)started with (kernel/svc_el0.h, restart), so after a
 * restart a ticket stored in a REC may name another token's signature.
 */
static struct attest_sign_slot *slot_for(struct attest_state *st, uint64_t ticket,
					 const uint8_t hash[48])
{
	struct attest_sign_slot *victim = &st->slot[0];

	for (unsigned int i = 0; i < ATTEST_SIGN_SLOTS; i++) {
		struct attest_sign_slot *s = &st->slot[i];

		if (s->ticket == ticket && memcmp(s->hash, hash, sizeof(s->hash)) == 0)
			return s;
		if (s->ticket == 0u || (victim->ticket != 0u && s->used < victim->used))
			victim = s;
	}
	slot_free(victim);
	victim->ticket = ticket;
	memcpy(victim->hash, hash, sizeof(victim->hash));
	mbedtls_mpi_init(&victim->r);
	mbedtls_mpi_init(&victim->s);
	mbedtls_ecdsa_restart_init(&victim->rs);
	return victim;
}

/* COSE_Sign1 #6.18([protected, {}, payload, r || s]) into t->realm. */
static bool realm_token_encode(struct tok_state *t, const uint8_t sig[2u * P384_BYTES])
{
	CborEncoder enc, arr, unprot;
	CborError err;

	cbor_encoder_init(&enc, t->realm, sizeof(t->realm), 0);
	err = cbor_encode_tag(&enc, TAG_COSE_SIGN1);
	err |= cbor_encoder_create_array(&enc, &arr, 4);
	err |= cbor_encode_byte_string(&arr, protected_hdr, sizeof(protected_hdr));
	err |= cbor_encoder_create_map(&arr, &unprot, 0);
	err |= cbor_encoder_close_container(&arr, &unprot);
	err |= cbor_encode_byte_string(&arr, t->payload, t->payload_len);
	err |= cbor_encode_byte_string(&arr, sig, (size_t)2u * P384_BYTES);
	err |= cbor_encoder_close_container(&enc, &arr);
	if (err != CborNoError)
		return false;
	t->realm_len = (uint32_t)cbor_encoder_get_buffer_size(&enc, t->realm);
	return true;
}

int32_t attest_handle_token_step(struct attest_state *st, const struct attest_token_step_req *req)
{
	struct tok_state *t = &st->tok;
	struct attest_sign_slot *s;
	uint8_t sig[2u * P384_BYTES];
	int rc;

	(void)req;
	if (!tok_load(LEASE_TOK, t))
		return ATTEST_ASTATUS_BAD_INDEX;
	if (t->phase == TOK_SIGNED)
		return ATTEST_ASTATUS_OK;
	if (t->phase != TOK_SIGN)
		return ATTEST_ASTATUS_STATE;		/* no INIT, or already delivered */
	s = slot_for(st, t->ticket, t->hash);
	s->used = ++st->clock;
	rc = mbedtls_ecdsa_sign_det_restartable(&st->grp, &s->r, &s->s, &st->rak, t->hash,
						sizeof(t->hash), MBEDTLS_MD_SHA384, rng, NULL,
						&s->rs);
	if (rc == MBEDTLS_ERR_ECP_IN_PROGRESS)
		return ATTEST_ASTATUS_INCOMPLETE;
	if (rc == 0)
		rc = mbedtls_mpi_write_binary(&s->r, sig, P384_BYTES) |
		     mbedtls_mpi_write_binary(&s->s, &sig[P384_BYTES], P384_BYTES);
	slot_free(s);
	if (rc != 0 || !realm_token_encode(t, sig)) {
		/* start again from INIT: the realm sees RSI_ERROR_UNKNOWN */
		memset(t, 0, sizeof(*t));
		(void)tok_store(LEASE_TOK, t);
		return ATTEST_ASTATUS_CRYPTO;
	}
	t->phase = TOK_SIGNED;
	t->copied = 0;
	return tok_store(LEASE_TOK, t) ? ATTEST_ASTATUS_OK : ATTEST_ASTATUS_BAD_INDEX;
}

/* #6.399({44234: platform token, 44241: realm token}) into scratch. */
static size_t cca_token_encode(struct attest_state *st, const struct tok_state *t)
{
	CborEncoder enc, map;
	CborError err;

	cbor_encoder_init(&enc, st->scratch, sizeof(st->scratch), 0);
	err = cbor_encode_tag(&enc, TAG_CCA_TOKEN);
	err |= cbor_encoder_create_map(&enc, &map, 2);
	err |= cbor_encode_uint(&map, CCA_PLAT_TOKEN);
	err |= cbor_encode_byte_string(&map, st->plat, st->plat_len);
	err |= cbor_encode_uint(&map, CCA_REALM_TOKEN);
	err |= cbor_encode_byte_string(&map, t->realm, t->realm_len);
	err |= cbor_encoder_close_container(&enc, &map);
	return err == CborNoError ? cbor_encoder_get_buffer_size(&enc, st->scratch) : 0u;
}

int32_t attest_handle_token_copy(struct attest_state *st, const struct attest_token_copy_req *req,
				 struct attest_token_copy_rep *rep)
{
	struct tok_state *t = &st->tok;
	size_t total, n;

	if (!tok_load(LEASE_TOK, t))
		return ATTEST_ASTATUS_BAD_INDEX;
	if (t->phase != TOK_SIGNED)
		return ATTEST_ASTATUS_STATE;
	total = cca_token_encode(st, t);
	if (total == 0u)
		return ATTEST_ASTATUS_TOO_BIG;
	n = total - t->copied < req->size ? total - t->copied : req->size;
	if (n != 0u && kapi_lease_write(LEASE_DST, 0, &st->scratch[t->copied], n) != KAPI_OK)
		return ATTEST_ASTATUS_BAD_INDEX;
	t->copied += (uint32_t)n;
	rep->copied = (uint32_t)n;
	if (t->copied == total) {
		/* delivered: a further CONTINUE needs a new INIT */
		memset(t, 0, sizeof(*t));
		return tok_store(LEASE_TOK, t) ? ATTEST_ASTATUS_OK : ATTEST_ASTATUS_BAD_INDEX;
	}
	return tok_store(LEASE_TOK, t) ? ATTEST_ASTATUS_INCOMPLETE : ATTEST_ASTATUS_BAD_INDEX;
}
