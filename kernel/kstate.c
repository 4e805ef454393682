/* The kernel's one container of run-time state (see kernel/kstate.h). */
#include <kernel/kstate.h>

/*
 * SAFETY: the kernel's only mutable object (besides the sealed configuration
 * and the services' states); zero-initialised, and each member is touched
 * only by its owning module under the rule written next to it in
 * kernel/kstate.h.
 */
struct kernel_state kernel_state_obj;
