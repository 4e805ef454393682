/*
 * Quarantine of a stopped service that cannot be restarted (issue 10,
 * docs/decisions.md 25), run only in the containment image (make
 * SERVICE_attest=faulty SERVICE_realm=faulty) and last of all (this file
 * sorts last: it stops the realm service for the rest of the boot).
 */
#include "realm_util.h"

#ifdef NSHOST_CONTAINMENT

TEST(quarantine_realm_service_stays_stopped)
{
	uint64_t rd = delegated_granule(), rtt = delegated_granule(), g = host_granule();
	struct test_realm keep;

	EXPECT_TRUE(realm_new(&keep, 95));
	/* the realm service faults inside REALM_CREATE (2 breakpoints, 2 watchpoints) */
	EXPECT_EQ(realm_create_bpwp(rd, rtt, 96, 2, 2), RMI_ERROR_INPUT);
	/* from then on every command it handles is refused, even a good one */
	EXPECT_EQ(realm_create_bpwp(rd, rtt, 97, 1, 1), RMI_ERROR_INPUT);
	EXPECT_EQ(smc1(RMI_REALM_ACTIVATE, keep.rd).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, keep.rd).x[0], RMI_ERROR_INPUT);
	/* nothing of the refused creates is left: both granules are DELEGATED */
	EXPECT_EQ(rmi_undelegate(rd), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(rtt), RMI_SUCCESS);
	/* the realm made before keeps its granules: nobody may free them now */
	EXPECT_EQ(rmi_undelegate(keep.rd), RMI_ERROR_INPUT);
	EXPECT_EQ(rmi_undelegate(keep.root), RMI_ERROR_INPUT);
	/* the kernel and the granule service go on */
	EXPECT_EQ(smc1(RMI_VERSION, 0x10000).x[0], RMI_SUCCESS);
	EXPECT_EQ(rmi_delegate(g), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(g), RMI_SUCCESS);
}
#endif
