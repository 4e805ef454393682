/* CMocka tests: cold-boot registers and Boot Manifest v0.3 validation (el3.md 2, 4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <kernel/boot.h>

#define PAGE_PA		0x418ff000ull
#define W(off)		((off) / 8u)

static const struct boot_limits lim = {
	.max_cpus = 32, .max_banks = 4, .max_granules = 0x100000, .pa_bits = 48,
};

/* The manifest exactly as stock TF-A 2.12.1 writes it on QEMU (el3.md 4.2). */
static void qemu_manifest(uint64_t *p)
{
	memset(p, 0, BOOT_SHARED_PAGE_SIZE);
	p[W(0)] = 0x00000003;
	p[W(16)] = 1;
	p[W(24)] = PAGE_PA + 64;
	p[W(64)] = 0x40000000;
	p[W(72)] = 0xC0000000;
	p[W(32)] = -(p[W(16)] + p[W(24)] + p[W(64)] + p[W(72)]);
	p[W(40)] = 1;
	p[W(48)] = PAGE_PA + 80;
	p[W(80)] = 0x09000000;
	p[W(88)] = 1;
	memcpy(&p[W(96)], "pl011\0\0\0", 8);
	p[W(104)] = 1;
	p[W(112)] = 115200;
	p[W(56)] = -(p[W(40)] + p[W(48)] + p[W(80)] + p[W(88)] + p[W(104)] + p[W(112)]);
}

static void fix_dram_csum(uint64_t *p)
{
	uint64_t n = p[W(16)], ptr = p[W(24)], s = n + ptr;

	/* only arrays inside our page contribute (others are refused anyway) */
	if (ptr >= PAGE_PA && ptr + 16u * n <= PAGE_PA + BOOT_SHARED_PAGE_SIZE)
		for (uint64_t i = 0; i < 2u * n; i++)
			s += p[(ptr - PAGE_PA) / 8u + i];
	p[W(32)] = -s;
}

static void fix_console_csum_full(uint64_t *p)
{
	uint64_t s = p[W(40)] + p[W(48)];

	for (unsigned int i = 0; i < 6u; i++)
		s += p[W(80) + i];
	p[W(56)] = -s;
}

static void fix_console_csum_quirk(uint64_t *p)
{
	p[W(56)] = -(p[W(40)] + p[W(48)] + p[W(80)] + p[W(88)] + p[W(104)] + p[W(112)]);
}

static enum boot_status parse(const uint64_t *p, struct boot_manifest_info *info)
{
	return boot_manifest_parse(p, PAGE_PA, &lim, info);
}

/* ---- boot registers ---- */

static void args_valid(void **state)
{
	(void)state;
	assert_int_equal(boot_args_check(0, 0x4, 32, PAGE_PA, &lim), BOOT_SUCCESS);
	assert_int_equal(boot_args_check(31, 0x3, 32, PAGE_PA, &lim), BOOT_SUCCESS);
	assert_int_equal(boot_args_check(0, 0x7, 1, PAGE_PA, &lim), BOOT_SUCCESS);	/* newer minor */
}

static void args_cpu_index(void **state)
{
	(void)state;
	assert_int_equal(boot_args_check(32, 0x4, 32, PAGE_PA, &lim), BOOT_E_CPU_ID_OUT_OF_RANGE);
	assert_int_equal(boot_args_check(4, 0x4, 4, PAGE_PA, &lim), BOOT_E_CPU_ID_OUT_OF_RANGE);
	/* cpu >= max is checked before the version */
	assert_int_equal(boot_args_check(99, 0x10000, 32, PAGE_PA, &lim), BOOT_E_CPU_ID_OUT_OF_RANGE);
}

static void args_version(void **state)
{
	(void)state;
	assert_int_equal(boot_args_check(0, 0x2, 32, PAGE_PA, &lim), BOOT_E_VERSION);	/* 0.2 */
	assert_int_equal(boot_args_check(0, 0x10000, 32, PAGE_PA, &lim), BOOT_E_VERSION); /* 1.0 */
	assert_int_equal(boot_args_check(0, 0x80000004, 32, PAGE_PA, &lim), BOOT_E_VERSION);
	assert_int_equal(boot_args_check(0, 0x100000004ull, 32, PAGE_PA, &lim), BOOT_E_VERSION);
	/* version is checked before the CPU count */
	assert_int_equal(boot_args_check(0, 0, 64, PAGE_PA, &lim), BOOT_E_VERSION);
}

static void args_cpu_count(void **state)
{
	(void)state;
	assert_int_equal(boot_args_check(0, 0x4, 33, PAGE_PA, &lim), BOOT_E_CPUS_OUT_OF_RANGE);
	/* zero CPUs: index 0 is out of range */
	assert_int_equal(boot_args_check(0, 0x4, 0, PAGE_PA, &lim), BOOT_E_CPU_ID_OUT_OF_RANGE);
	/* count checked before the shared buffer */
	assert_int_equal(boot_args_check(0, 0x4, 33, 0, &lim), BOOT_E_CPUS_OUT_OF_RANGE);
}

static void args_shared_buffer(void **state)
{
	(void)state;
	assert_int_equal(boot_args_check(0, 0x4, 32, 0, &lim), BOOT_E_INVALID_SHARED_BUFFER);
	assert_int_equal(boot_args_check(0, 0x4, 32, PAGE_PA + 8, &lim), BOOT_E_INVALID_SHARED_BUFFER);
	assert_int_equal(boot_args_check(0, 0x4, 32, PAGE_PA | 0x800, &lim), BOOT_E_INVALID_SHARED_BUFFER);
}

/* ---- manifest ---- */

static void manifest_qemu_form(void **state)
{
	uint64_t p[512];
	struct boot_manifest_info info;

	(void)state;
	qemu_manifest(p);
	assert_int_equal(parse(p, &info), BOOT_SUCCESS);
	assert_int_equal(info.console_form, CONSOLE_CSUM_TFA_QEMU);
	assert_int_equal(info.bank_count, 1);
	assert_int_equal(info.banks[0].base, 0x40000000);
	assert_int_equal(info.banks[0].size, 0xC0000000);
	assert_int_equal(info.granule_count, 0xC0000);
	assert_int_equal(info.console.base, 0x09000000);
	assert_int_equal(info.console.baud_rate, 115200);
}

static void manifest_full_form(void **state)
{
	uint64_t p[512];
	struct boot_manifest_info info;

	(void)state;
	qemu_manifest(p);
	fix_console_csum_full(p);
	assert_int_equal(parse(p, &info), BOOT_SUCCESS);
	assert_int_equal(info.console_form, CONSOLE_CSUM_FULL);
}

static void manifest_version(void **state)
{
	uint64_t p[512];
	struct boot_manifest_info info;

	(void)state;
	qemu_manifest(p);
	p[0] = 0x2;		/* v0.2: no console list */
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_VERSION);
	p[0] = 0x10003;		/* v1.3 */
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_VERSION);
	p[0] = 0x80000003;
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_VERSION);
	p[0] = 0x4;		/* a newer minor is compatible */
	assert_int_equal(parse(p, &info), BOOT_SUCCESS);
}

static void manifest_bad_dram_checksum(void **state)
{
	uint64_t p[512];
	struct boot_manifest_info info = { 0 };

	(void)state;
	qemu_manifest(p);
	p[W(32)] += 1;
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
	assert_int_equal(info.bank_count, 0);	/* output untouched on failure */
}

static void manifest_bad_console_checksum(void **state)
{
	uint64_t p[512];
	struct boot_manifest_info info;

	(void)state;
	qemu_manifest(p);
	p[W(56)] ^= 0x100;
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
	/* the QEMU form does not cover the flags word: changing it is accepted */
	qemu_manifest(p);
	p[W(120)] = 1;
	assert_int_equal(parse(p, &info), BOOT_SUCCESS);
	assert_int_equal(info.console_form, CONSOLE_CSUM_TFA_QEMU);
}

static void manifest_no_banks(void **state)
{
	uint64_t p[512];
	struct boot_manifest_info info;

	(void)state;
	qemu_manifest(p);
	p[W(16)] = 0;
	fix_dram_csum(p);
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
	qemu_manifest(p);
	p[W(24)] = 0;	/* NULL bank array */
	fix_dram_csum(p);
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
}

static void manifest_too_many_banks(void **state)
{
	uint64_t p[512];
	struct boot_manifest_info info;

	(void)state;
	qemu_manifest(p);
	/* 5 ascending banks (limit is 4), placed after the console */
	p[W(16)] = 5;
	p[W(24)] = PAGE_PA + 256;
	for (unsigned int i = 0; i < 5u; i++) {
		p[W(256) + 2 * i] = 0x40000000ull + i * 0x10000000ull;
		p[W(256) + 2 * i + 1] = 0x1000000;
	}
	fix_dram_csum(p);
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
	p[W(16)] = 4;
	fix_dram_csum(p);
	assert_int_equal(parse(p, &info), BOOT_SUCCESS);
	assert_int_equal(info.bank_count, 4);
	assert_int_equal(info.granule_count, 4 * 0x1000);
}

static void set_two_banks(uint64_t *p, uint64_t b0, uint64_t s0, uint64_t b1, uint64_t s1)
{
	p[W(16)] = 2;
	p[W(24)] = PAGE_PA + 256;
	p[W(256)] = b0;
	p[W(264)] = s0;
	p[W(272)] = b1;
	p[W(280)] = s1;
	fix_dram_csum(p);
}

static void manifest_overlapping_banks(void **state)
{
	uint64_t p[512];
	struct boot_manifest_info info;

	(void)state;
	qemu_manifest(p);
	set_two_banks(p, 0x40000000, 0x20000000, 0x50000000, 0x1000);
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
	set_two_banks(p, 0x80000000, 0x1000, 0x40000000, 0x1000);	/* descending */
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
	set_two_banks(p, 0x40000000, 0x1000, 0x40001000, 0x1000);	/* adjacent is fine */
	assert_int_equal(parse(p, &info), BOOT_SUCCESS);
}

static void manifest_unaligned_banks(void **state)
{
	uint64_t p[512];
	struct boot_manifest_info info;

	(void)state;
	qemu_manifest(p);
	set_two_banks(p, 0x40000800, 0x1000, 0x80000000, 0x1000);
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
	set_two_banks(p, 0x40000000, 0x1800, 0x80000000, 0x1000);
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
	set_two_banks(p, 0x40000000, 0x1000, 0x80000000, 0);
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
	set_two_banks(p, 0, 0x1000, 0x80000000, 0x1000);
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
}

static void manifest_bank_beyond_pa_width(void **state)
{
	uint64_t p[512];
	struct boot_manifest_info info;

	(void)state;
	qemu_manifest(p);
	set_two_banks(p, 0x40000000, 0x1000, 0xffffffff000ull, 0x2000);	/* ends at 2^44 + 4K */
	assert_int_equal(parse(p, &info), BOOT_SUCCESS);	/* 48-bit PA */
	set_two_banks(p, 0x40000000, 0x1000, 0xfffffffff000ull, 0x2000);	/* crosses 2^48 */
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
	set_two_banks(p, 0x40000000, 0x1000, 0xfffffffffffff000ull, 0x2000);	/* wraps */
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
}

static void manifest_too_many_granules(void **state)
{
	uint64_t p[512];
	struct boot_manifest_info info;

	(void)state;
	qemu_manifest(p);
	set_two_banks(p, 0x40000000, 0xC0000000, 0x100000000ull, 0x40001000);	/* 4 GB + 4 KB */
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
	set_two_banks(p, 0x40000000, 0xC0000000, 0x100000000ull, 0x40000000);	/* exactly 4 GB */
	assert_int_equal(parse(p, &info), BOOT_SUCCESS);
}

static void manifest_pointer_outside_page(void **state)
{
	uint64_t p[512];
	struct boot_manifest_info info;

	(void)state;
	qemu_manifest(p);
	p[W(24)] = 0x40000000;	/* somewhere in DRAM, not the shared page */
	fix_dram_csum(p);
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
	qemu_manifest(p);
	p[W(24)] = PAGE_PA + 4096 - 8;	/* array runs off the end of the page */
	fix_dram_csum(p);
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
	qemu_manifest(p);
	p[W(24)] = PAGE_PA + 8;	/* overlaps the manifest header */
	fix_dram_csum(p);
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
	qemu_manifest(p);
	p[W(48)] = PAGE_PA + 84;	/* misaligned console array */
	fix_console_csum_quirk(p);
	assert_int_equal(parse(p, &info), BOOT_E_MANIFEST_DATA);
}

static void manifest_console_not_pl011(void **state)
{
	uint64_t p[512];
	struct boot_manifest_info info;

	(void)state;
	qemu_manifest(p);
	memcpy(&p[W(96)], "uart8250", 8);
	fix_console_csum_full(p);
	assert_int_equal(parse(p, &info), BOOT_E_UNKNOWN);
	qemu_manifest(p);
	p[W(112)] = 0;	/* baud 0 */
	fix_console_csum_quirk(p);
	assert_int_equal(parse(p, &info), BOOT_E_UNKNOWN);
	qemu_manifest(p);
	p[W(80)] = 0;	/* base 0 */
	fix_console_csum_quirk(p);
	assert_int_equal(parse(p, &info), BOOT_E_UNKNOWN);
}

static void manifest_no_console(void **state)
{
	uint64_t p[512];
	struct boot_manifest_info info;

	(void)state;
	qemu_manifest(p);
	p[W(40)] = 0;
	p[W(48)] = 0;
	p[W(56)] = 0;
	assert_int_equal(parse(p, &info), BOOT_SUCCESS);
	assert_int_equal(info.console_form, CONSOLE_CSUM_NONE);
}

static void parange_bits(void **state)
{
	(void)state;
	assert_int_equal(boot_parange_bits(0), 32);
	assert_int_equal(boot_parange_bits(5), 48);
	assert_int_equal(boot_parange_bits(6), 52);
	assert_int_equal(boot_parange_bits(7), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(args_valid),
		cmocka_unit_test(args_cpu_index),
		cmocka_unit_test(args_version),
		cmocka_unit_test(args_cpu_count),
		cmocka_unit_test(args_shared_buffer),
		cmocka_unit_test(manifest_qemu_form),
		cmocka_unit_test(manifest_full_form),
		cmocka_unit_test(manifest_version),
		cmocka_unit_test(manifest_bad_dram_checksum),
		cmocka_unit_test(manifest_bad_console_checksum),
		cmocka_unit_test(manifest_no_banks),
		cmocka_unit_test(manifest_too_many_banks),
		cmocka_unit_test(manifest_overlapping_banks),
		cmocka_unit_test(manifest_unaligned_banks),
		cmocka_unit_test(manifest_bank_beyond_pa_width),
		cmocka_unit_test(manifest_too_many_granules),
		cmocka_unit_test(manifest_pointer_outside_page),
		cmocka_unit_test(manifest_console_not_pl011),
		cmocka_unit_test(manifest_no_console),
		cmocka_unit_test(parange_bits),
	};

	return cmocka_run_group_tests_name("boot_check", tests, NULL, NULL);
}
