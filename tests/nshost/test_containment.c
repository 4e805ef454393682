/*
 * Containment of a misbehaving service (issue 10), run only in the image
 * built with the test variants (make SERVICE_attest=faulty
 * SERVICE_realm=faulty; tests/svc_variants/attest_faulty.c). The
 * attestation service misbehaves seven ways and loops once; the loop is
 * stopped by its budget, the EL2 physical timer, whose PPI this host
 * enables as a VHE host does for its own tick (host_gic_init()). Every
 * other test of the suite runs after this one in the same boot, so they
 * also show that the RMM, the other services and attestation work after
 * the attestation service was stopped and restarted eight times.
 */
#include "realm_util.h"

#ifdef NSHOST_CONTAINMENT
#define MODES		8u	/* tests/svc_variants/attest_faulty.c */

TEST(containment_attest_faults_are_contained)
{
	struct test_realm before, after;

	/* a realm made before any fault, kept across all of them */
	EXPECT_TRUE(realm_new(&before, 90));
	for (uint64_t mode = 1; mode <= MODES; mode++) {
		uint64_t rd = delegated_granule(), rtt = delegated_granule();
		/* modes 1..5: 3 watchpoints, bps = mode; 6, 7, 8: 2 watchpoints, bps 1, 3, 4 */
		uint64_t bps = mode <= 5u ? mode : mode == 6u ? 1u : mode - 4u, wps = mode <= 5u ? 3u : 2u;

		/* the service misbehaves inside REALM_CREATE: the command fails ... */
		EXPECT_EQ(realm_create_bpwp(rd, rtt, 91, bps, wps), RMI_ERROR_INPUT);
		/* ... and leaves nothing behind: both granules are DELEGATED again */
		EXPECT_EQ(rmi_undelegate(rd), RMI_SUCCESS);
		EXPECT_EQ(rmi_undelegate(rtt), RMI_SUCCESS);
		EXPECT_EQ(host_page(rd)[0], 0);
		/* the realm service and the granule service go on */
		EXPECT_EQ(smc1(RMI_REC_AUX_COUNT, before.rd).x[0], RMI_SUCCESS);
		EXPECT_EQ(rmi_undelegate(before.rd), RMI_ERROR_INPUT);	/* still an RD */
	}
	/* the attestation service was restarted: RIMs are initialised again */
	EXPECT_TRUE(realm_new(&after, 92));
	EXPECT_EQ(smc1(RMI_REALM_ACTIVATE, after.rd).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REALM_ACTIVATE, before.rd).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, after.rd).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, before.rd).x[0], RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(after.rd), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(after.root), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(before.rd), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(before.root), RMI_SUCCESS);
}
#endif
