#include <kernel/config.h>
#include <kernel/panic.h>

/* SAFETY: the single global configuration; written during cold boot only (checked). */
static struct rmm_config cfg;
/* SAFETY: set once when cold boot completes; never cleared. */
static bool sealed;

const struct rmm_config *config(void)
{
	return &cfg;
}

struct rmm_config *config_boot_writable(void)
{
	if (__atomic_load_n(&sealed, __ATOMIC_ACQUIRE))
		panic("config written after boot");
	return &cfg;
}

void config_seal(void)
{
	__atomic_store_n(&sealed, true, __ATOMIC_RELEASE);
}
