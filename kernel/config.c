/*
 * The RMM's configuration (kernel/config.h): one object, written during cold
 * boot, then sealed: the MMU maps its pages read-only, so a stray write after
 * boot faults instead of changing what every CPU believes.
 */
#include <arch/layout.h>
#include <arch/mmu.h>
#include <kernel/config.h>
#include <kernel/kstate.h>
#include <kernel/panic.h>

/*
 * SAFETY: the single global configuration, alone in the page-aligned
 * .ro_after_boot section; written during cold boot only (checked below), then
 * remapped read-only by config_seal().
 */
struct rmm_config rmm_config_obj __attribute__((section(".ro_after_boot"), aligned(GRANULE_SIZE)));

struct rmm_config *config_boot_writable(void)
{
	if (__atomic_load_n(&kstate()->config_sealed, __ATOMIC_ACQUIRE))
		panic("config written after boot");
	return &rmm_config_obj;
}

bool config_seal(void)
{
	const struct image_layout *l = &rmm_image_layout;
	uint64_t size = l->ro_after_boot_end - l->ro_after_boot_start;

	__atomic_store_n(&kstate()->config_sealed, true, __ATOMIC_RELEASE);
	if (!mmu_protect(&rmm_config_obj.mmu, l->ro_after_boot_start, size, MMU_RO))
		return false;
	/*
	 * Ask the MMU itself: every page of the section must now refuse a store,
	 * while .data (the control) must still take one, or the probe is broken.
	 */
	for (uint64_t a = l->ro_after_boot_start; a < l->ro_after_boot_end; a += GRANULE_SIZE)
		if (mmu_writable(a))
			return false;
	return mmu_writable(l->data_start);
}
