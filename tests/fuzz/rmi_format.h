/*
 * The input format of the whole-monitor fuzzer (tests/fuzz/fuzz_rmi.c),
 * shared with what writes inputs for it (tests/hostsim/record.c): the
 * commands and their argument kinds, the realm's SMC functions and
 * trapped registers, the IPA widths a realm is created with.
 */
#ifndef FUZZ_RMI_FORMAT_H
#define FUZZ_RMI_FORMAT_H

#include <stdint.h>

/* Bytes that select a value: see fuzz_rmi.c (sel_pa, sel_ns, sel_ipa, sel_val, realm_step). */
#define FZ_POOL		64u	/* pool granules: a PA selector below 0xe8 names granule b % FZ_POOL */
#define FZ_PA_RMM	0xe8u
#define FZ_PA_SHARED	0xe9u
#define FZ_PA_UNALIGNED	0xeau	/* then a granule byte and an offset byte: 8 * (1 + b % 511) */
#define FZ_PA_ZERO	0xebu
#define FZ_PA_PAST_DRAM	0xecu
#define FZ_PA_RAW	0xefu	/* then 8 bytes, made odd */
#define FZ_NS_POOL	0xf1u	/* an NS pointer: a pool granule (then its byte) */
#define FZ_NS_UNALIGNED	0xf3u
#define FZ_IPA_RAW	0xffu	/* then 8 bytes */
#define FZ_VAL_RAW	0xf0u	/* then 8 bytes */
#define FZ_CMD_EL3_FAULT 0xf0u	/* then a byte: function, count */
/* Realm actions (realm_step(): op % 12) */
enum fz_realm_op { FZ_R_SMC = 0, FZ_R_ACCESS = 3, FZ_R_SYSREG = 5, FZ_R_WFX = 6, FZ_R_HVC = 7,
		   FZ_R_FP = 8, FZ_R_IABT = 9, FZ_R_IRQ = 10, FZ_R_ASYNC = 11 };

struct fz_rmi_cmd {
	uint16_t fn;
	const char *name;
	const char *args;	/* P granule, N NS pointer, R realm params, C REC params,
				   U run page, I IPA, L level, V value, D NS descriptor */
};

static const struct fz_rmi_cmd fz_rmi_cmds[] = {
	{ 0x150, "VERSION", "V" },
	{ 0x151, "GRANULE_DELEGATE", "P" },
	{ 0x152, "GRANULE_UNDELEGATE", "P" },
	{ 0x153, "DATA_CREATE", "PPINV" },
	{ 0x154, "DATA_CREATE_UNKNOWN", "PPI" },
	{ 0x155, "DATA_DESTROY", "PI" },
	{ 0x157, "REALM_ACTIVATE", "P" },
	{ 0x158, "REALM_CREATE", "PR" },
	{ 0x159, "REALM_DESTROY", "P" },
	{ 0x15A, "REC_CREATE", "PPC" },
	{ 0x15B, "REC_DESTROY", "P" },
	{ 0x15C, "REC_ENTER", "PU" },
	{ 0x15D, "RTT_CREATE", "PPIL" },
	{ 0x15E, "RTT_DESTROY", "PIL" },
	{ 0x15F, "RTT_MAP_UNPROTECTED", "PILD" },
	{ 0x161, "RTT_READ_ENTRY", "PIL" },
	{ 0x162, "RTT_UNMAP_UNPROTECTED", "PIL" },
	{ 0x164, "PSCI_COMPLETE", "PPV" },
	{ 0x165, "FEATURES", "V" },
	{ 0x166, "RTT_FOLD", "PIL" },
	{ 0x167, "REC_AUX_COUNT", "P" },
	{ 0x168, "RTT_INIT_RIPAS", "PII" },
	{ 0x169, "RTT_SET_RIPAS", "PPII" },
};
#define FZ_NCMDS	(sizeof(fz_rmi_cmds) / sizeof(fz_rmi_cmds[0]))

static const uint64_t fz_rsi_fids[] = {
	0xC4000190, 0xC4000191, 0xC4000192, 0xC4000193, 0xC4000194, 0xC4000195, 0xC4000196,
	0xC4000197, 0xC4000198, 0xC4000199, 0x84000000, 0x8400000A, 0xC4000003, 0xC4000004,
	0x84000002, 0x84000008, 0x84000009, 0xC40001AF, 0x84000001,
};
#define FZ_NFIDS	(sizeof(fz_rsi_fids) / sizeof(fz_rsi_fids[0]))

/* Op0, Op1, CRn, CRm, Op2 of the trapped registers a realm may touch. */
static const uint8_t fz_sysregs[][5] = {
	{ 3, 0, 12, 11, 5 },	/* ICC_SGI1R_EL1 */
	{ 3, 1, 12, 11, 6 },	/* ICC_ASGI1R_EL1 */
	{ 3, 2, 12, 11, 7 },	/* ICC_SGI0R_EL1 */
	{ 3, 0, 12, 11, 1 },	/* ICC_DIR_EL1 */
	{ 3, 0, 0, 4, 0 },	/* ID_AA64PFR0_EL1 */
	{ 3, 0, 0, 7, 0 },	/* ID_AA64MMFR0_EL1 */
	{ 3, 0, 0, 4, 4 },	/* ID_AA64ZFR0_EL1 */
	{ 3, 3, 9, 12, 0 },	/* PMCR_EL0 */
	{ 2, 0, 0, 0, 4 },	/* DBGBVR0_EL1 */
	{ 3, 0, 0, 5, 0 },	/* ID_AA64DFR0_EL1 */
};
#define FZ_NSYSREGS	(sizeof(fz_sysregs) / sizeof(fz_sysregs[0]))

/* RmiRealmParams.s2sz by selector (b % 8). */
static const uint32_t fz_s2sz[8] = { 39, 40, 36, 44, 48, 32, 33, 52 };

#endif
