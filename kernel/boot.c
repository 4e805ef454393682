/*
 * Cold and warm boot of the RMM and the per-CPU RMI request loop
 * (../shared/spec/el3.md sections 2, 6 and 8).
 */
#include <arch/barrier.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/sysreg.h>
#include <kernel/boot.h>
#include <kernel/attest_boot.h>
#include <kernel/config.h>
#include <kernel/entry.h>
#include <kernel/features.h>
#include <kernel/ipc_kernel.h>
#include <kernel/log.h>
#include <kernel/pa.h>
#include <kernel/panic.h>
#include <kernel/rmi.h>
#include <kernel/smc.h>
#include <string.h>

/*
 * Bytes the granule table will need per tracked 4 KB granule; the table is
 * carved from the free end of the Realm DRAM window, so this bounds how
 * much DRAM a manifest may describe.
 */
#define GRANULE_ENTRY_BYTES	8u

/* CPTR_EL2 (E2H=1): ZEN [17:16], FPEN [21:20]; 0 traps FP/SIMD/SVE at EL2. */
#define CPTR_FPEN_ON		(3ull << 20)
#define CPTR_ZEN_ON		(3ull << 16)
#define ICC_SRE_SRE		(1ull << 0)
#define MDCR_TPMCR		(1ull << 5)
#define MDCR_TPM		(1ull << 6)
#define MDCR_TDA		(1ull << 9)
#define MDCR_TDOSA		(1ull << 10)
#define MDCR_TDRA		(1ull << 11)
#define ICC_SRE_ENABLE		(1ull << 3)
#define ZCR_LEN_MAX		0xfu
#define PFR0_SVE_SHIFT		32u

void kernel_cold_boot(uint64_t cpu, uint64_t if_version, uint64_t cpu_count, uint64_t shared_pa);
void kernel_warm_boot(uint64_t cpu);

__attribute__((noreturn)) static void boot_fail(enum boot_status st)
{
	struct smc_regs r = { { SMC_RMM_BOOT_COMPLETE, (uint64_t)(int64_t)st } };

	log_msg_hex("boot refused, code ", (uint64_t)(int64_t)st);
	arch_smc(&r, &r);	/* EL3 does not come back after an error */
	for (;;)
		wfe();
}

/* Per-CPU EL2 state the RMM relies on (cold and warm boot). */
static void cpu_init(void)
{
	write_icc_sre_el2(ICC_SRE_SRE | ICC_SRE_ENABLE);
	write_cptr_el2(0);	/* the RMM itself never uses FP/SIMD/SVE */
	/*
	 * Realms get no PMU and no self-hosted debug yet: their accesses trap
	 * here (reads 0, writes ignored) instead of reaching the host's
	 * counters and breakpoints. HPMN keeps every counter in the EL1 range.
	 */
	write_mdcr_el2(MDCR_TPMCR | MDCR_TPM | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA |
		       ((read_pmcr_el0() >> 11) & 0x1fu));
	isb();
}

/* Maximum SVE vector length in bytes (cold boot, before NS ever runs). */
static uint64_t sve_probe(void)
{
	uint64_t vl;

	if (((read_id_aa64pfr0_el1() >> PFR0_SVE_SHIFT) & 0xfu) == 0u)
		return 0;
	write_cptr_el2(CPTR_FPEN_ON | CPTR_ZEN_ON);
	isb();
	write_zcr_el2(ZCR_LEN_MAX);
	isb();
	vl = sve_rdvl();
	write_zcr_el2(0);
	write_cptr_el2(0);
	isb();
	return vl;
}

/*
 * Paint every CPU's stacks with STACK_PAINT so that a dump shows how deep
 * each has been used (make bench reads them). Cold boot on CPU 0, before
 * any other CPU runs; CPU 0's own main stack is in use above its lowest
 * STACK_MAIN_SIZE - STACK_LIVE_TOP bytes, so those are the only ones painted.
 */
#define PAINT_WORD	(0x0101010101010101ull * STACK_PAINT)

static void paint_stacks(uint64_t cpu, uint64_t cpu_count)
{
	uint64_t *slots = pa_window_u64(rmm_image_layout.stacks_start);
	const size_t words = STACK_SLOT_SIZE / 8u;

	for (uint64_t c = 0; c < cpu_count; c++) {
		size_t end = c == cpu ? (STACK_SLOT_SIZE - STACK_LIVE_TOP) / 8u : words;

		for (size_t w = STACK_GUARD_SIZE / 8u; w < end; w++)
			slots[c * words + w] = PAINT_WORD;
	}
}

/* The granule table: right after the image, page aligned. */
static uint64_t granule_table_size(const struct rmm_config *c)
{
	return (services_granule_table_bytes(c->manifest.granule_count) + GRANULE_SIZE - 1u) &
	       ~(uint64_t)(GRANULE_SIZE - 1u);
}

/* The REC registry (kernel/rec.h): one bit per DRAM granule, after the granule table. */
static uint64_t rec_bits_size(const struct rmm_config *c)
{
	return ((c->manifest.granule_count + 63u) / 64u * 8u + GRANULE_SIZE - 1u) &
	       ~(uint64_t)(GRANULE_SIZE - 1u);
}

static bool map_image(struct rmm_config *c)
{
	const struct image_layout *l = &rmm_image_layout;
	struct mmu_tables *m = &c->mmu;
	bool ok;

	mmu_tables_init(m, pa_window_u64(l->pgtables_start));
	/* .ro_after_boot is writable until config_seal() */
	ok = mmu_map(m, l->text_start, l->text_end - l->text_start, MMU_TEXT) &&
	     mmu_map(m, l->rodata_start, l->rodata_end - l->rodata_start, MMU_RO) &&
	     mmu_map(m, l->ro_after_boot_start, l->ro_after_boot_end - l->ro_after_boot_start,
		     MMU_RW) &&
	     mmu_map(m, l->data_start, l->data_end - l->data_start, MMU_RW) &&
	     mmu_map(m, l->pgtables_start, l->pgtables_end - l->pgtables_start, MMU_RW) &&
	     mmu_map(m, c->shared_pa, GRANULE_SIZE, MMU_RW) &&
	     mmu_map(m, l->image_end, granule_table_size(c), MMU_RW) &&
	     mmu_map(m, l->image_end + granule_table_size(c), rec_bits_size(c), MMU_RW) &&
	     mmu_slots_init(m, c->cpu_count);

	/* Each CPU's exception and main stacks; the guard pages stay unmapped. */
	for (uint64_t i = 0; ok && i < c->cpu_count; i++) {
		uint64_t slot = l->stacks_start + i * STACK_SLOT_SIZE;

		ok = mmu_map(m, slot + STACK_GUARD_SIZE, STACK_EXC_SIZE, MMU_RW) &&
		     mmu_map(m, slot + (uint64_t)STACK_EXC_TOP + STACK_GUARD_SIZE, (uint64_t)STACK_MAIN_SIZE,
			     MMU_RW);
	}
	if (ok && c->manifest.console_form != CONSOLE_CSUM_NONE)
		ok = mmu_map(m, c->manifest.console.base & ~(uint64_t)(GRANULE_SIZE - 1u),
			     c->manifest.console.map_pages * GRANULE_SIZE, MMU_DEVICE);
#ifdef SVC_EL0
	/* last: each service's space is a copy of the kernel's map (kernel/svc_el0.h) */
	ok = ok && services_map(c, l->image_end, granule_table_size(c));
#endif
	return ok;
}

void rmi_handle(struct smc_regs *r)
{
	struct rmi_req req;
	struct rmi_reply rep;

	req.fid = r->x[0];
	for (unsigned int i = 0; i < 7u; i++)
		req.arg[i] = r->x[i + 1u];
	rmi_dispatch(&req, &rep);
	r->x[0] = SMC_RMM_REQ_COMPLETE;
	r->x[1] = rep.status;
	for (unsigned int i = 0; i < 4u; i++)
		r->x[i + 2u] = rep.out[i];
	r->x[6] = 0;
	r->x[7] = 0;
}

__attribute__((noreturn)) static void rmi_loop(void)
{
	struct smc_regs r = { { SMC_RMM_BOOT_COMPLETE, 0 } };

	for (;;) {
		arch_smc(&r, &r);	/* returns with the next RMI request */
		rmi_handle(&r);
	}
}

static const char *console_form_name(enum console_checksum_form f)
{
	switch (f) {
	case CONSOLE_CSUM_FULL:
		return "full";
	case CONSOLE_CSUM_TFA_QEMU:
		return "TF-A 2.12.1 QEMU form (name/flags excluded)";
	case CONSOLE_CSUM_NONE:
	default:
		return "none";
	}
}

void kernel_cold_init(uint64_t cpu, uint64_t if_version, uint64_t cpu_count, uint64_t shared_pa)
{
	uint64_t page[BOOT_SHARED_PAGE_WORDS];
	struct rmm_config *c = config_boot_writable();
	uint64_t parange = read_id_aa64mmfr0_el1() & 0xfu;
	uint64_t window_end = (uint64_t)RMM_BASE + (uint64_t)RMM_SIZE;
	struct boot_limits lim = {
		.max_cpus = PLAT_MAX_CPUS,
		.max_banks = PLAT_MAX_DRAM_BANKS,
		.max_granules = (window_end - rmm_image_layout.image_end) / GRANULE_ENTRY_BYTES,
		.pa_bits = boot_parange_bits(parange),
	};
	struct cpu_id_regs id;
	enum boot_status st;
	struct log_line l;

	st = boot_args_check(cpu, if_version, cpu_count, shared_pa, &lim);
	if (st != BOOT_SUCCESS)
		boot_fail(st);
	paint_stacks(cpu, cpu_count);
	pa_read_words(shared_pa, page, BOOT_SHARED_PAGE_WORDS);
	st = boot_manifest_parse(page, shared_pa, &lim, &c->manifest);
	if (st != BOOT_SUCCESS)
		boot_fail(st);
	c->cpu_count = cpu_count;
	c->shared_pa = shared_pa;
	c->if_version = if_version;
	c->parange = parange;
	c->pa_bits = lim.pa_bits;
	c->vmid_bits = ((read_id_aa64mmfr1_el1() >> 4) & 0xfu) == 2u ? 16u : 8u;
	if (rmm_image_layout.image_end + granule_table_size(c) + rec_bits_size(c) > window_end)
		boot_fail(BOOT_E_MANIFEST_DATA);	/* too much DRAM for this variant */

	if (c->manifest.console_form != CONSOLE_CSUM_NONE)
		c->console_base = c->manifest.console.base;
	log_begin(&l);
	log_str(&l, "Atoll RMM cold boot on cpu ");
	log_dec(&l, cpu);
	log_str(&l, ", RMM-EL3 interface ");
	log_dec(&l, if_version >> 16);
	log_str(&l, ".");
	log_dec(&l, if_version & 0xffffu);
	log_str(&l, ", ");
	log_dec(&l, cpu_count);
	log_str(&l, " CPUs");
	log_end(&l);
	log_begin(&l);
	log_str(&l, "boot manifest v0.");
	log_dec(&l, c->manifest.version & 0xffffu);
	log_str(&l, ": ");
	log_dec(&l, c->manifest.bank_count);
	log_str(&l, " DRAM bank(s), ");
	log_dec(&l, c->manifest.granule_count);
	log_str(&l, " granules; console checksum: ");
	log_str(&l, console_form_name(c->manifest.console_form));
	log_end(&l);

	if (!map_image(c))
		boot_fail(BOOT_E_UNKNOWN);
	mmu_enable(parange);
	cpu_init();
	c->rec_bits = pa_window_u64(rmm_image_layout.image_end + granule_table_size(c));
	c->rec_bits_words = rec_bits_size(c) / 8u;
	memset(c->rec_bits, 0, rec_bits_size(c));

	id.mmfr0 = read_id_aa64mmfr0_el1();
	id.pfr0 = read_id_aa64pfr0_el1();
	id.dfr0 = read_id_aa64dfr0_el1();
	id.dfr1 = read_id_aa64dfr1_el1();
	id.pmcr = read_pmcr_el0();
	id.ich_vtr = read_ich_vtr_el2();
	id.sve_vl_bytes = sve_probe();
	c->feat_reg0 = features_reg0(&id);
	c->ich_vtr = id.ich_vtr;
	c->sve_vl_bytes = id.sve_vl_bytes;
	c->pmu_ver = (id.dfr0 >> 8) & 0xfu;
	if (!config_seal())
		panic("configuration still writable after the seal");
	services_init(rmm_image_layout.image_end, granule_table_size(config()));
	attest_boot_provision();
#ifdef SVC_EL0
	services_snapshot();
#endif

	log_msg_hex("MMU on (W^X, configuration read-only), RMI_FEATURES[0] = ",
		    config()->feat_reg0);
	log_msg("cold boot complete");
}

void kernel_cold_boot(uint64_t cpu, uint64_t if_version, uint64_t cpu_count, uint64_t shared_pa)
{
	kernel_cold_init(cpu, if_version, cpu_count, shared_pa);
	rmi_loop();
}

void kernel_warm_init(uint64_t cpu)
{
	struct log_line l;

	/* Stacks are mapped for the CPUs EL3 announced at cold boot only. */
	if (cpu >= config()->cpu_count)
		boot_fail(BOOT_E_CPU_ID_OUT_OF_RANGE);
	mmu_enable(config()->parange);
	cpu_init();
	log_begin(&l);
	log_str(&l, "warm boot of cpu ");
	log_dec(&l, cpu);
	log_end(&l);
}

void kernel_warm_boot(uint64_t cpu)
{
	kernel_warm_init(cpu);
	rmi_loop();
}
