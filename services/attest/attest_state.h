/* Attestation service state. */
#ifndef SERVICES_ATTEST_STATE_H
#define SERVICES_ATTEST_STATE_H

#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <stdint.h>

#define ATTEST_PLAT_MAX		4096u	/* platform token bytes kept (attestation.md 1) */
#define ATTEST_CCA_MAX		4096u	/* CCA token bound reported to realms */
#define ATTEST_COSE_KEY_LEN	107u
#define ATTEST_SIGN_SLOTS	4u	/* signatures in progress at once */
#define ATTEST_HEAP_BYTES	(48u * 1024u)

/* The token state of one REC, in its first auxiliary granule (lease `tok`). */
#define TOK_MAGIC	0x4b4f5441u	/* "ATOK" */
enum tok_phase { TOK_IDLE = 0, TOK_SIGN = 1, TOK_SIGNED = 2 };
struct tok_state {
	uint32_t magic, phase;
	uint64_t ticket;		/* names this token's signature in progress */
	uint32_t payload_len, realm_len;
	uint32_t copied, _pad;
	uint8_t hash[48u];	/* SHA-384 of the COSE Sig_structure */
	uint8_t payload[1024];		/* the encoded realm claims */
	uint8_t realm[1280];		/* the signed realm token */
};
_Static_assert(sizeof(struct tok_state) <= 4096u, "token state fits the auxiliary granule");

/* One ES384 signature being computed in bounded steps for one token. */
struct attest_sign_slot {
	uint64_t ticket;	/* the token's ticket, 0 = free */
	uint8_t hash[48u];	/* what it signs: a ticket alone may repeat after a restart */
	uint64_t used;		/* clock of the last step (LRU eviction) */
	mbedtls_mpi r, s;
	mbedtls_ecdsa_restart_ctx rs;
};

struct attest_state {
	uint64_t measurements;	/* hash operations performed (statistics) */
	/* boot provisioning: the RAK, its COSE_Key and the platform token */
	uint32_t key_ready, plat_ready;
	uint32_t plat_len, cose_key_len;
	mbedtls_ecp_group grp;
	mbedtls_mpi rak;
	uint8_t cose_key[ATTEST_COSE_KEY_LEN];
	uint8_t rak_hash[32];
	uint8_t plat[ATTEST_PLAT_MAX];
	/* tokens */
	uint64_t next_ticket, clock;
	struct attest_sign_slot slot[ATTEST_SIGN_SLOTS];
	uint8_t scratch[ATTEST_CCA_MAX];	/* encodings of the message in hand */
	struct tok_state tok;			/* the token state of the message in hand */
	/* mbedTLS heap of this service (bignums of key and signatures) */
	uint8_t heap[ATTEST_HEAP_BYTES] __attribute__((aligned(16)));
};

void attest_init(struct attest_state *st);

#endif
