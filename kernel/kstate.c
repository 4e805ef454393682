/* The kernel's one container of run-time state (see kernel/kstate.h). */
#include <kernel/kstate.h>

/*
 * SAFETY: the kernel's only mutable object (besides the sealed configuration
 * and the services' states); zero-initialised, and each member is touched
 * only by its owning module under the rule written next to it in
 * kernel/kstate.h.
 */
static struct kernel_state ks;

struct kernel_state *kstate(void)
{
	return &ks;
}
