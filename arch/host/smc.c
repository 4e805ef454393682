/*
 * Host twin of arch/aarch64/smc.S: the RMM's calls to EL3 land in a
 * simulated EL3 runtime (RMM-EL3 interface v0.4, el3.md section 5):
 * GTSI delegate/undelegate flip the simulated GPT, the Realm Attestation
 * Key and the platform token are written to the shared page.
 * RMM_BOOT_COMPLETE reporting an error ends the program; RMM_REQ_COMPLETE
 * never reaches here (sim_rmm_rmi() answers the NS host directly).
 * A test can make the next calls of each function fail (sim_el3_fail()).
 */
#include <kernel/smc.h>
#include <host_state.h>
#include <machine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define E_RMM_OK	0
#define E_RMM_UNK	(-1)
#define E_RMM_BAD_ADDR	(-2)
#define E_RMM_BAD_PAS	(-3)
#define RAK_BYTES	48u
#define CURVE_P384	0u

/* A fixed P-384 private scalar (below the group order): the simulated RAK. */
static const uint8_t rak[RAK_BYTES] = {
	0x3c, 0x1f, 0x52, 0x7e, 0x11, 0x90, 0x5a, 0x6d, 0x2b, 0x84, 0x47, 0x09, 0xe3, 0x71, 0x0c, 0x5d,
	0x6a, 0x28, 0x93, 0x44, 0xb7, 0x15, 0x0e, 0x62, 0x7d, 0x39, 0x58, 0x21, 0x0a, 0xc6, 0x4f, 0x13,
	0x85, 0x2e, 0x6b, 0x70, 0x19, 0x34, 0xd2, 0x48, 0x5f, 0x03, 0x61, 0x9c, 0x27, 0x4a, 0x0d, 0x36,
};

/* Per function: calls seen, failures still to inject, and their code. */
static struct {
	unsigned int calls;
	unsigned int left;
	int64_t code;
} faults[SIM_EL3_FNS];
/* EL3 answering wrongly rather than failing (sim_el3_fail_spec(): "odd:<name>"). */
static enum sim_el3_odd odd;

void sim_el3_fail(enum sim_el3_fn fn, unsigned int count, int64_t code)
{
	__atomic_store_n(&faults[fn].code, code, __ATOMIC_RELAXED);
	__atomic_store_n(&faults[fn].left, count, __ATOMIC_RELEASE);
}

unsigned int sim_el3_calls(enum sim_el3_fn fn)
{
	return __atomic_load_n(&faults[fn].calls, __ATOMIC_ACQUIRE);
}

/* Count the call; true, with *code set, if this one is to fail. */
static bool inject(enum sim_el3_fn fn, int64_t *code)
{
	unsigned int left = __atomic_load_n(&faults[fn].left, __ATOMIC_ACQUIRE);

	__atomic_fetch_add(&faults[fn].calls, 1u, __ATOMIC_ACQ_REL);
	do {
		if (left == 0u)
			return false;
	} while (left != SIM_FAIL_FOREVER &&
		 !__atomic_compare_exchange_n(&faults[fn].left, &left, left - 1u, false,
					      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	*code = __atomic_load_n(&faults[fn].code, __ATOMIC_RELAXED);
	return true;
}

bool sim_el3_fail_spec(const char *spec)
{
	static const char *const names[SIM_EL3_FNS] = {
		"gtsi_delegate", "gtsi_undelegate", "rak", "plat_token",
	};
	unsigned int count[SIM_EL3_FNS];
	int64_t code[SIM_EL3_FNS];
	bool set[SIM_EL3_FNS] = { false };
	const char *p = spec;

	while (*p != '\0') {
		size_t n = strcspn(p, ":,");
		unsigned int fn = SIM_EL3_FNS;
		char *end;

		if (strncmp(p, "odd:", 4) == 0) {
			static const char *const odds[] = { "none", "rak_size", "plat_huge",
							    "plat_empty", "plat_endless" };
			size_t m = strcspn(p + 4, ",");
			bool found = false;

			for (unsigned int i = 0; i < sizeof(odds) / sizeof(odds[0]); i++)
				if (strlen(odds[i]) == m && strncmp(p + 4, odds[i], m) == 0) {
					sim_el3_misbehave((enum sim_el3_odd)i);
					found = true;
				}
			if (!found)
				return false;
			p += 4u + m;
			if (*p == ',')
				p++;
			continue;
		}
		for (unsigned int i = 0; i < SIM_EL3_FNS; i++)
			if (strlen(names[i]) == n && strncmp(p, names[i], n) == 0)
				fn = i;
		if (fn == SIM_EL3_FNS)
			return false;
		p += n;
		count[fn] = SIM_FAIL_FOREVER;
		code[fn] = E_RMM_UNK;
		set[fn] = true;
		if (*p == ':') {
			p++;
			if (strncmp(p, "forever", 7) == 0) {
				p += 7;
			} else {
				count[fn] = (unsigned int)strtoul(p, &end, 10);
				if (end == p)
					return false;
				p = end;
			}
		}
		if (*p == ':') {
			p++;
			code[fn] = strtoll(p, &end, 10);
			if (end == p || code[fn] >= 0)
				return false;
			p = end;
		}
		if (*p == ',')
			p++;
		else if (*p != '\0')
			return false;
	}
	for (unsigned int i = 0; i < SIM_EL3_FNS; i++)
		if (set[i])
			sim_el3_fail((enum sim_el3_fn)i, count[i], code[i]);
	return true;
}

static int64_t gtsi(uint64_t pa, enum sim_pas from, enum sim_pas to)
{
	if ((pa & (SIM_GRANULE - 1u)) != 0u || sim_pa_ptr(pa, SIM_GRANULE) == NULL)
		return E_RMM_BAD_ADDR;
	return sim_gpt_move(pa, from, to) ? E_RMM_OK : E_RMM_BAD_PAS;
}

void sim_el3_misbehave(enum sim_el3_odd how)
{
	odd = how;
}

static bool shared_ok(uint64_t pa, uint64_t size)
{
	return pa == SIM_SHARED_PA && size == SIM_GRANULE;
}

static void realm_key(const struct smc_regs *in, struct smc_regs *out)
{
	int64_t code;

	if (inject(SIM_EL3_RAK, &code)) {
		out->x[0] = (uint64_t)code;
		return;
	}
	if (!shared_ok(in->x[1], in->x[2]) || in->x[3] != CURVE_P384) {
		out->x[0] = (uint64_t)E_RMM_BAD_ADDR;
		return;
	}
	memcpy(sim_pa_ptr(SIM_SHARED_PA, SIM_GRANULE), rak, sizeof(rak));
	out->x[0] = E_RMM_OK;
	out->x[1] = odd == SIM_ODD_RAK_SIZE ? 32u : RAK_BYTES;
}

/*
 * The platform token: a CBOR byte string of PLAT_TOKEN_BYTES (the size of
 * TF-A's QEMU sample token) that starts with the challenge (the RAK hash).
 */
#define PLAT_TOKEN_BYTES	1518u
static void plat_token(const struct smc_regs *in, struct smc_regs *out)
{
	uint8_t *sh = sim_pa_ptr(SIM_SHARED_PA, SIM_GRANULE);
	uint8_t challenge[32];
	uint32_t body = PLAT_TOKEN_BYTES - 3u;
	int64_t code;

	if (inject(SIM_EL3_PLAT_TOKEN, &code)) {
		out->x[0] = (uint64_t)code;
		return;
	}
	if (odd == SIM_ODD_PLAT_HUGE || odd == SIM_ODD_PLAT_EMPTY || odd == SIM_ODD_PLAT_ENDLESS) {
		/* a hunk larger than the buffer; an empty token; hunks that never end */
		memset(sh, 0x5a, SIM_GRANULE);
		out->x[0] = E_RMM_OK;
		out->x[1] = odd == SIM_ODD_PLAT_HUGE ? 2u * SIM_GRANULE :
			    odd == SIM_ODD_PLAT_EMPTY ? 0u : 1024u;
		out->x[2] = odd == SIM_ODD_PLAT_ENDLESS ? 1024u : 0u;
		return;
	}
	if (!shared_ok(in->x[1], in->x[2]) || in->x[3] != sizeof(challenge)) {
		out->x[0] = (uint64_t)E_RMM_BAD_ADDR;
		return;
	}
	memcpy(challenge, sh, sizeof(challenge));
	sh[0] = 0x59;	/* bstr, two-byte length */
	sh[1] = (uint8_t)(body >> 8);
	sh[2] = (uint8_t)body;
	memcpy(&sh[3], challenge, sizeof(challenge));
	for (uint32_t i = sizeof(challenge); i < body; i++)
		sh[3u + i] = (uint8_t)i;
	out->x[0] = E_RMM_OK;
	out->x[1] = PLAT_TOKEN_BYTES;
	out->x[2] = 0;	/* nothing remains */
}

void arch_smc(const struct smc_regs *in, struct smc_regs *out)
{
	struct smc_regs r = *in;
	int64_t code;

	for (unsigned int i = 1; i < 8u; i++)
		r.x[i] = 0;
	switch (in->x[0]) {
	case SMC_RMM_GTSI_DELEGATE:
		r.x[0] = inject(SIM_EL3_GTSI_DELEGATE, &code) ? (uint64_t)code :
			 (uint64_t)gtsi(in->x[1], SIM_PAS_NS, SIM_PAS_REALM);
		break;
	case SMC_RMM_GTSI_UNDELEGATE:
		r.x[0] = inject(SIM_EL3_GTSI_UNDELEGATE, &code) ? (uint64_t)code :
			 (uint64_t)gtsi(in->x[1], SIM_PAS_REALM, SIM_PAS_NS);
		break;
	case SMC_RMM_GET_REALM_KEY:
		realm_key(in, &r);
		break;
	case SMC_RMM_GET_PLAT_TOKEN:
		plat_token(in, &r);
		break;
	case SMC_RMM_BOOT_COMPLETE:
		fprintf(stderr, "ERROR: RMM_BOOT_COMPLETE with status %lld: the RMM refused to boot\n",
			(long long)in->x[1]);
		abort();
	default:
		fprintf(stderr, "ERROR: simulated EL3: unexpected SMC 0x%llx from the RMM\n",
			(unsigned long long)in->x[0]);
		abort();
	}
	*out = r;
}

size_t host_smc_regions(struct sim_region *r)
{
	r[0] = (struct sim_region){ faults, sizeof(faults) };
	r[1] = (struct sim_region){ &odd, sizeof(odd) };
	return 2;
}
