/*
 * Handler call counters. The test binaries are linked with
 * -Wl,--wrap=<service>_handle_<op> (tests/unit/svc.mk), so the generated
 * <service>_dispatch() reaches each handler through a counting wrapper
 * (wrap_<service>.c): a malformed message must leave the count unchanged.
 */
#ifndef TESTS_UNIT_SVC_HANDLER_COUNT_H
#define TESTS_UNIT_SVC_HANDLER_COUNT_H

extern unsigned int hc_granule;	/* calls of any granule_handle_* */
extern unsigned int hc_realm;	/* calls of any realm_handle_* */
extern unsigned int hc_attest;	/* calls of any attest_handle_* */

/* Declares __real_<name> and defines the counting __wrap_<name>. */
#define HC_WRAP(counter, ret, name, params, args)	\
	ret __real_##name params;			\
	ret __wrap_##name params;			\
	ret __wrap_##name params			\
	{						\
		counter++;				\
		return __real_##name args;		\
	}

#endif
