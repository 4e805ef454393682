/*
 * Validation of the cold-boot registers and of the Boot Manifest v0.3.
 * Order of checks follows ../shared/spec/el3.md 2.1 and 4.1.
 */
#include <kernel/boot.h>

#define GRANULE_MASK	0xfffull

/* Manifest word indices (struct rmm_manifest, el3.md section 4). */
enum {
	MF_VERSION = 0,
	MF_PLAT_DATA = 1,
	MF_DRAM_COUNT = 2,
	MF_DRAM_PTR = 3,
	MF_DRAM_CSUM = 4,
	MF_CONS_COUNT = 5,
	MF_CONS_PTR = 6,
	MF_CONS_CSUM = 7,
	MF_CORE_WORDS = 8,
};
#define BANK_WORDS	2u
#define CONSOLE_WORDS	6u	/* base, map_pages, name, clk_in_hz, baud_rate, flags */
#define PL011_NAME	0x0000003131306c70ull	/* "pl011\0\0\0" little-endian */

bool boot_version_compatible(uint64_t version)
{
	/* Bit 31 and bits [63:32] are RES0; accept major 0, minor >= 3. */
	if ((version >> 31) != 0u)
		return false;
	return (version >> 16) == 0u && (version & 0xffffu) >= 3u;
}

unsigned int boot_parange_bits(uint64_t parange)
{
	static const unsigned int bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	if (parange >= sizeof(bits) / sizeof(bits[0]))
		return 0;
	return bits[parange];
}

enum boot_status boot_args_check(uint64_t cpu, uint64_t if_version, uint64_t cpu_count,
				 uint64_t shared_pa, const struct boot_limits *lim)
{
	if (cpu >= lim->max_cpus)
		return BOOT_E_CPU_ID_OUT_OF_RANGE;
	if (!boot_version_compatible(if_version))
		return BOOT_E_VERSION;
	if (cpu_count > lim->max_cpus)
		return BOOT_E_CPUS_OUT_OF_RANGE;
	if (cpu >= cpu_count)
		return BOOT_E_CPU_ID_OUT_OF_RANGE;
	if (shared_pa == 0u || (shared_pa & GRANULE_MASK) != 0u)
		return BOOT_E_INVALID_SHARED_BUFFER;
	return BOOT_SUCCESS;
}

/*
 * Translate an array pointer found in the manifest into a word index of our
 * copy of the shared page. The array must lie wholly inside the page and be
 * 8-byte aligned; we never follow a manifest pointer anywhere else.
 */
static bool page_index(uint64_t page_pa, uint64_t ptr, uint64_t words, uint64_t *index)
{
	uint64_t off;

	if (ptr < page_pa || (ptr & 7u) != 0u)
		return false;
	off = (ptr - page_pa) / 8u;
	if (off >= BOOT_SHARED_PAGE_WORDS || words > BOOT_SHARED_PAGE_WORDS - off)
		return false;
	if (off < MF_CORE_WORDS)
		return false;	/* overlaps the manifest header itself */
	*index = off;
	return true;
}

static enum boot_status parse_dram(const uint64_t *page, uint64_t page_pa,
				   const struct boot_limits *lim, struct boot_manifest_info *out)
{
	uint64_t count = page[MF_DRAM_COUNT];
	uint64_t ptr = page[MF_DRAM_PTR];
	uint64_t sum, idx, prev_end = 0, granules = 0;

	if (count == 0u || count > BOOT_MAX_DRAM_BANKS || count > lim->max_banks || ptr == 0u)
		return BOOT_E_MANIFEST_DATA;
	if (!page_index(page_pa, ptr, count * BANK_WORDS, &idx))
		return BOOT_E_MANIFEST_DATA;

	sum = count + ptr + page[MF_DRAM_CSUM];
	for (uint64_t i = 0; i < count; i++) {
		uint64_t base = page[idx + i * BANK_WORDS];
		uint64_t size = page[idx + i * BANK_WORDS + 1u];
		uint64_t last;

		if (base == 0u || size == 0u)
			return BOOT_E_MANIFEST_DATA;
		if ((base & GRANULE_MASK) != 0u || (size & GRANULE_MASK) != 0u)
			return BOOT_E_MANIFEST_DATA;
		if (base < prev_end)
			return BOOT_E_MANIFEST_DATA;	/* unordered or overlapping */
		last = base + (size - 1u);
		if (last < base)
			return BOOT_E_MANIFEST_DATA;	/* wraps */
		if (lim->pa_bits < 64u && (last >> lim->pa_bits) != 0u)
			return BOOT_E_MANIFEST_DATA;
		prev_end = last + 1u;
		out->banks[i].base = base;
		out->banks[i].size = size;
		sum += base + size;
		granules += size >> 12;
	}
	if (sum != 0u)
		return BOOT_E_MANIFEST_DATA;
	if (granules > lim->max_granules)
		return BOOT_E_MANIFEST_DATA;
	out->bank_count = count;
	out->granule_count = granules;
	return BOOT_SUCCESS;
}

static enum boot_status parse_console(const uint64_t *page, uint64_t page_pa,
				      struct boot_manifest_info *out)
{
	uint64_t count = page[MF_CONS_COUNT];
	uint64_t ptr = page[MF_CONS_PTR];
	uint64_t full, quirk, idx;
	const uint64_t *c;

	if (count == 0u) {
		out->console_form = CONSOLE_CSUM_NONE;
		return BOOT_SUCCESS;
	}
	if (ptr == 0u || count > BOOT_SHARED_PAGE_WORDS / CONSOLE_WORDS ||
	    !page_index(page_pa, ptr, count * CONSOLE_WORDS, &idx))
		return BOOT_E_MANIFEST_DATA;

	full = count + ptr + page[MF_CONS_CSUM];
	quirk = full;
	for (uint64_t i = 0; i < count; i++) {
		c = &page[idx + i * CONSOLE_WORDS];
		for (unsigned int w = 0; w < CONSOLE_WORDS; w++)
			full += c[w];
		quirk += c[0] + c[1] + c[3] + c[4];
	}
	if (full == 0u)
		out->console_form = CONSOLE_CSUM_FULL;
	else if (quirk == 0u)
		out->console_form = CONSOLE_CSUM_TFA_QEMU;
	else
		return BOOT_E_MANIFEST_DATA;

	/* Only the first console is used; it must be a usable PL011. */
	c = &page[idx];
	if (c[2] != PL011_NAME || c[0] == 0u || c[3] == 0u || c[4] == 0u)
		return BOOT_E_UNKNOWN;
	out->console.base = c[0];
	out->console.map_pages = c[1] == 0u ? 1u : c[1];
	out->console.clk_in_hz = c[3];
	out->console.baud_rate = c[4];
	return BOOT_SUCCESS;
}

enum boot_status boot_manifest_parse(const uint64_t page[BOOT_SHARED_PAGE_WORDS],
				     uint64_t page_pa, const struct boot_limits *lim,
				     struct boot_manifest_info *out)
{
	struct boot_manifest_info info = { 0 };
	uint64_t version = page[MF_VERSION] & 0xffffffffu;
	enum boot_status st;

	if (!boot_version_compatible(version))
		return BOOT_E_MANIFEST_VERSION;
	info.version = (uint32_t)version;
	st = parse_dram(page, page_pa, lim, &info);
	if (st != BOOT_SUCCESS)
		return st;
	st = parse_console(page, page_pa, &info);
	if (st != BOOT_SUCCESS)
		return st;
	*out = info;
	return BOOT_SUCCESS;
}
