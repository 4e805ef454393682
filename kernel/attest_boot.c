/*
 * Attestation provisioning at cold boot (attestation.md 1, el3.md 5.2/5.3):
 * the Realm Attestation Key and the platform token come from EL3 through
 * the shared buffer and go straight to the attestation service, which
 * keeps them. Any failure leaves attestation unavailable; the RMM boots
 * anyway and token requests fail as the spec says.
 */
#include <ipc/attest.h>
#include <kernel/attest_boot.h>
#include <kernel/config.h>
#include <kernel/log.h>
#include <kernel/pa.h>
#include <kernel/smc.h>
#include <string.h>

#define E_RMM_AGAIN		(-6)
#define SHARED_BYTES		4096u
#define CURVE_P384		0u
#define RAK_BYTES		48u
#define PLAT_MAX		4096u
#define AGAIN_TRIES		1000u

static void el3_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, struct smc_regs *out)
{
	struct smc_regs r = { { fid, a1, a2, a3 } };

	arch_smc(&r, out);
}

static bool provision_key(uint64_t sh, uint8_t rak_hash[32])
{
	struct attest_provision_key_req k;
	struct attest_provision_key_rep h;
	uint64_t words[RAK_BYTES / 8u];
	struct smc_regs r;
	int32_t st = -1;
	bool ok;

	el3_call(SMC_RMM_GET_REALM_KEY, sh, SHARED_BYTES, CURVE_P384, &r);
	if (r.x[0] != 0u || r.x[1] != RAK_BYTES)
		return false;
	pa_read_words(sh, words, RAK_BYTES / 8u);
	memcpy(k.key, words, sizeof(k.key));
	/* the private key leaves the shared buffer and this stack at once */
	memset(words, 0, sizeof(words));
	pa_write_words(sh, words, RAK_BYTES / 8u);
	ok = attest_provision_key(&k, &h, &st) == IPC_OK && st == ATTEST_ASTATUS_OK;
	memset(&k, 0, sizeof(k));
	if (ok)
		memcpy(rak_hash, h.rak_hash, sizeof(h.rak_hash));
	return ok;
}

/* Send one hunk of the platform token (now in the shared buffer) on. */
static bool forward_hunk(uint64_t sh, uint64_t n, uint64_t *sent, bool last)
{
	uint64_t words[SHARED_BYTES / 8u];
	uint8_t b[SHARED_BYTES];
	uint64_t off = 0;

	if (n > SHARED_BYTES || *sent + n > PLAT_MAX)
		return false;
	pa_read_words(sh, words, (n + 7u) / 8u);
	memcpy(b, words, sizeof(b));
	do {
		struct attest_provision_plat_req p = { 0 };
		uint64_t len = n - off < sizeof(p.data) ? n - off : sizeof(p.data);
		int32_t st = -1;

		p.offset = (uint32_t)(*sent + off);
		p.len = (uint32_t)len;
		p.last = last && off + len == n ? 1u : 0u;
		memcpy(p.data, &b[off], len);
		if (attest_provision_plat(&p, &st) != IPC_OK || st != ATTEST_ASTATUS_OK)
			return false;
		off += len;
	} while (off < n);
	*sent += n;
	return true;
}

static bool provision_plat(uint64_t sh, const uint8_t rak_hash[32], uint64_t *len)
{
	uint64_t challenge[4], first = sizeof(challenge), remaining = 1;
	unsigned int again = 0;

	memcpy(challenge, rak_hash, sizeof(challenge));
	pa_write_words(sh, challenge, 4u);
	while (remaining != 0u) {
		struct smc_regs r;

		el3_call(SMC_RMM_GET_PLAT_TOKEN, sh, SHARED_BYTES, first, &r);
		if ((int64_t)r.x[0] == E_RMM_AGAIN && again++ < AGAIN_TRIES)
			continue;			/* the same call again */
		if (r.x[0] != 0u)
			return false;
		/* interface < 0.3 does not report what remains */
		remaining = config()->if_version < 0x3u ? 0u : r.x[2];
		if (!forward_hunk(sh, r.x[1], len, remaining == 0u))
			return false;
		first = 0;
	}
	return *len != 0u;
}

void attest_boot_provision(void)
{
	uint64_t sh = config()->shared_pa, plat_len = 0;
	uint8_t rak_hash[32];

	if (!provision_key(sh, rak_hash)) {
		log_msg("attestation unavailable: no Realm Attestation Key from EL3");
		return;
	}
	if (!provision_plat(sh, rak_hash, &plat_len)) {
		log_msg("attestation unavailable: no platform token from EL3");
		return;
	}
	log_msg_hex("attestation: RAK provisioned, platform token bytes ", plat_len);
}
