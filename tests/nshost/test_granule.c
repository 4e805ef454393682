/* RMI_GRANULE_DELEGATE / UNDELEGATE (rmi.md 4-5) and GPT isolation. */
#include "host.h"

TEST(delegate_undelegate_roundtrip)
{
	uint64_t pa = host_granule(), v = 0;

	host_fill(pa, 0x1111000000000000ull);
	EXPECT_EQ(rmi_delegate(pa), RMI_SUCCESS);
	/* The GPT really changed: the host can no longer touch the granule. */
	EXPECT_EQ(host_probe_read(pa, &v), -1);
	EXPECT_EQ((host_last_fault_esr() >> 26) & 0x3f, 0x25);	/* data abort, same EL */
	EXPECT_EQ(host_last_fault_esr() & 0x3f, 0x28);		/* granule protection fault */
	EXPECT_EQ(host_probe_write(pa + 8, 1), -1);
	EXPECT_EQ(rmi_undelegate(pa), RMI_SUCCESS);
	/* Back in the NS PAS, and scrubbed: nothing of the old content is left. */
	EXPECT_EQ(host_probe_read(pa, &v), 0);
	for (unsigned int i = 0; i < 512u; i++)
		EXPECT_EQ(host_page(pa)[i], 0);
}

TEST(delegate_twice_fails)
{
	uint64_t pa = host_granule();

	EXPECT_EQ(rmi_delegate(pa), RMI_SUCCESS);
	EXPECT_EQ(rmi_delegate(pa), RMI_ERROR_INPUT);		/* gran_state */
	EXPECT_EQ(rmi_undelegate(pa), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(pa), RMI_ERROR_INPUT);		/* gran_state */
	EXPECT_EQ(rmi_delegate(pa), RMI_SUCCESS);		/* state unchanged by the failures */
	EXPECT_EQ(rmi_undelegate(pa), RMI_SUCCESS);
}

TEST(delegate_bad_address)
{
	uint64_t pa = host_granule();
	static const uint64_t bad[] = {
		1, 0x800, 0xfff,			/* gran_align */
		0, 0x09000000, 0x3ffff000,		/* below DRAM: gran_bound */
		0x100000000ull, 0x8000000000ull,	/* above DRAM */
		~0ull & ~0xfffull,
	};

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(rmi_delegate(bad[i]), RMI_ERROR_INPUT);
		EXPECT_EQ(rmi_undelegate(bad[i]), RMI_ERROR_INPUT);
	}
	EXPECT_EQ(rmi_delegate(pa + 8), RMI_ERROR_INPUT);
	EXPECT_EQ(rmi_delegate(pa + 0x800), RMI_ERROR_INPUT);
	EXPECT_EQ(rmi_delegate(pa), RMI_SUCCESS);		/* the aligned one still works */
	EXPECT_EQ(rmi_undelegate(pa + 8), RMI_ERROR_INPUT);
	EXPECT_EQ(rmi_undelegate(pa), RMI_SUCCESS);
}

/* Granules in DRAM that are not in the NS PAS: EL3 refuses (gran_gpt). */
TEST(delegate_realm_owned_memory)
{
	EXPECT_EQ(rmi_delegate(RMM_IMAGE_BASE), RMI_ERROR_INPUT);		/* RMM code */
	EXPECT_EQ(rmi_delegate(RMM_IMAGE_BASE + 0x10000), RMI_ERROR_INPUT);
	EXPECT_EQ(rmi_delegate(RMM_SHARED_PAGE), RMI_ERROR_INPUT);		/* EL3 shared page */
	EXPECT_EQ(rmi_undelegate(RMM_IMAGE_BASE), RMI_ERROR_INPUT);
	EXPECT_EQ(rmi_undelegate(RMM_SHARED_PAGE), RMI_ERROR_INPUT);
}

TEST(delegate_many)
{
	uint64_t pas[32];

	for (unsigned int i = 0; i < 32u; i++) {
		pas[i] = host_granule();
		EXPECT_EQ(rmi_delegate(pas[i]), RMI_SUCCESS);
	}
	for (unsigned int i = 0; i < 32u; i++)
		EXPECT_EQ(rmi_undelegate(pas[i]), RMI_SUCCESS);
}
