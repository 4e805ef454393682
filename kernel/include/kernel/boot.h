/*
 * Cold-boot argument and boot-manifest validation (RMM-EL3 v0.4, manifest
 * v0.3; ../shared/spec/el3.md sections 2 and 4). Pure functions over values
 * and a private copy of the shared page, so they run unchanged in host unit
 * tests.
 */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <stdbool.h>
#include <stdint.h>

/* Boot result codes reported to EL3 with RMM_BOOT_COMPLETE (el3.md 2.3). */
enum boot_status {
	BOOT_SUCCESS = 0,
	BOOT_E_UNKNOWN = -1,
	BOOT_E_VERSION = -2,
	BOOT_E_CPUS_OUT_OF_RANGE = -3,
	BOOT_E_CPU_ID_OUT_OF_RANGE = -4,
	BOOT_E_INVALID_SHARED_BUFFER = -5,
	BOOT_E_MANIFEST_VERSION = -6,
	BOOT_E_MANIFEST_DATA = -7,
};

#define BOOT_SHARED_PAGE_SIZE	4096u
#define BOOT_SHARED_PAGE_WORDS	(BOOT_SHARED_PAGE_SIZE / 8u)
#define BOOT_MAX_DRAM_BANKS	8u

/* Interface and manifest versions: major [30:16], minor [15:0]. */
#define BOOT_VERSION(major, minor)	(((uint64_t)(major) << 16) | (minor))

/* Which console checksum form the manifest used (el3.md 4.1). */
enum console_checksum_form {
	CONSOLE_CSUM_NONE = 0,		/* no console in the manifest */
	CONSOLE_CSUM_FULL,		/* every word of console_info (spec, FVP) */
	CONSOLE_CSUM_TFA_QEMU,		/* base+map_pages+clk+baud only (TF-A 2.12.1 QEMU) */
};

struct dram_bank {
	uint64_t base;
	uint64_t size;
};

struct boot_console {
	uint64_t base;
	uint64_t map_pages;
	uint64_t clk_in_hz;
	uint64_t baud_rate;
};

/* Everything the RMM keeps from the manifest, validated. */
struct boot_manifest_info {
	uint32_t version;
	uint64_t bank_count;
	struct dram_bank banks[BOOT_MAX_DRAM_BANKS];
	uint64_t granule_count;		/* sum over banks of size / 4 KB */
	enum console_checksum_form console_form;
	struct boot_console console;
};

/* Limits the platform imposes on a manifest. */
struct boot_limits {
	uint64_t max_cpus;
	uint64_t max_banks;		/* <= BOOT_MAX_DRAM_BANKS */
	uint64_t max_granules;
	unsigned int pa_bits;		/* from ID_AA64MMFR0_EL1.PARange */
};

bool boot_version_compatible(uint64_t version);

/* Checks 2..5 of el3.md 2.1 (check 1, the CPU index bound, also runs here). */
enum boot_status boot_args_check(uint64_t cpu, uint64_t if_version, uint64_t cpu_count,
				 uint64_t shared_pa, const struct boot_limits *lim);

/* Checks 6..7 of el3.md 2.1 over a private copy of the shared page. */
enum boot_status boot_manifest_parse(const uint64_t page[BOOT_SHARED_PAGE_WORDS],
				     uint64_t page_pa, const struct boot_limits *lim,
				     struct boot_manifest_info *out);

/* PA width in bits for an ID_AA64MMFR0_EL1.PARange value (0 if reserved). */
unsigned int boot_parange_bits(uint64_t parange);

#endif
