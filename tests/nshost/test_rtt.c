/*
 * RTT and DATA commands (rmi.md 14-24): success paths, each failure
 * condition in order, and state unchanged after failures.
 */
#include "realm_util.h"

#define GB		0x40000000ull
#define MB2		0x200000ull
#define UNPROT		(1ull << 38)	/* first unprotected IPA of a 39-bit realm */
#define NS_DESC_ATTR	((6ull << 2) | (3ull << 6))	/* Normal WB, RW */

static uint64_t rtt_create(const struct test_realm *r, uint64_t rtt, uint64_t ipa, int64_t level)
{
	return smc6(RMI_RTT_CREATE, r->rd, rtt, ipa, (uint64_t)level, 0).x[0];
}

/* L2 and L3 tables covering ipa; returns the L3 RTT. */
static uint64_t tables_for(const struct test_realm *r, uint64_t ipa, uint64_t *l2)
{
	uint64_t a = delegated_granule(), b = delegated_granule();

	if (rtt_create(r, a, ipa & ~(GB - 1), 2) != RMI_SUCCESS ||
	    rtt_create(r, b, ipa & ~(MB2 - 1), 3) != RMI_SUCCESS)
		hputs("host: tables_for failed\n");
	if (l2 != NULL)
		*l2 = a;
	return b;
}

TEST(rtt_create_and_read)
{
	struct test_realm r;
	uint64_t l2 = delegated_granule(), l3 = delegated_granule();
	struct smc_res e;

	EXPECT_TRUE(realm_new(&r, 20));
	e = rtt_read(&r, 0, 1);					/* root entry: UNASSIGNED, EMPTY */
	EXPECT_EQ(e.x[0], RMI_SUCCESS);
	EXPECT_EQ(e.x[1], 1);
	EXPECT_EQ(e.x[2], 0);
	EXPECT_EQ(e.x[4], 0);
	e = rtt_read(&r, UNPROT, 1);				/* unprotected half: UNASSIGNED_NS */
	EXPECT_EQ(e.x[0], RMI_SUCCESS);
	EXPECT_EQ(e.x[2], 0);
	EXPECT_EQ(rtt_create(&r, l2, 0, 2), RMI_SUCCESS);
	EXPECT_EQ(rtt_create(&r, l3, 0, 3), RMI_SUCCESS);
	e = rtt_read(&r, 0, 1);
	EXPECT_EQ(e.x[2], 2);					/* TABLE */
	EXPECT_EQ(e.x[3], l2);
	e = rtt_read(&r, 0x5000, 3);
	EXPECT_EQ(e.x[0], RMI_SUCCESS);
	EXPECT_EQ(e.x[1], 3);
	EXPECT_EQ(e.x[2], 0);
	EXPECT_EQ(e.x[4], 0);
	e = rtt_read(&r, 0x200000, 3);				/* no L3 there: walk stops at 2 */
	EXPECT_EQ(e.x[1], 2);
	EXPECT_EQ(rmi_undelegate(l2), RMI_ERROR_INPUT);		/* it is an RTT now */
}

TEST(rtt_create_failures_in_order)
{
	struct test_realm r;
	uint64_t rtt = delegated_granule(), ns = host_granule(), l2 = delegated_granule();

	EXPECT_TRUE(realm_new(&r, 21));
	/* 1: LockTwo(rtt, DELEGATED, rd, RD) */
	EXPECT_EQ(rtt_create(&r, r.rd, 0, 2), RMI_ERROR_INPUT);		/* alias */
	EXPECT_EQ(rtt_create(&r, ns, 0, 2), RMI_ERROR_INPUT);		/* rtt_state */
	EXPECT_EQ(rtt_create(&r, rtt + 8, 0, 2), RMI_ERROR_INPUT);	/* rtt_align */
	EXPECT_EQ(smc6(RMI_RTT_CREATE, rtt, rtt, 0, 2, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_RTT_CREATE, ns, rtt, 0, 2, 0).x[0], RMI_ERROR_INPUT);	/* rd_state */
	/* 1 before 2: bad rtt and bad level report INPUT (the first) */
	EXPECT_EQ(rtt_create(&r, ns, 0, 7), RMI_ERROR_INPUT);
	/* 2: level_bound, ipa_align, ipa_bound */
	EXPECT_EQ(rtt_create(&r, rtt, 0, 1), RMI_ERROR_INPUT);		/* = start level */
	EXPECT_EQ(rtt_create(&r, rtt, 0, 4), RMI_ERROR_INPUT);
	EXPECT_EQ(rtt_create(&r, rtt, 0, -1), RMI_ERROR_INPUT);
	EXPECT_EQ(rtt_create(&r, rtt, 0x1000, 2), RMI_ERROR_INPUT);	/* not 1 GB aligned */
	EXPECT_EQ(rtt_create(&r, rtt, 1ull << 39, 2), RMI_ERROR_INPUT);
	/* 4: rtt_walk — no level-2 table yet */
	EXPECT_EQ(rtt_create(&r, rtt, 0, 3), RTT_ERR(1));
	/* 5: parent already a TABLE */
	EXPECT_EQ(rtt_create(&r, l2, 0, 2), RMI_SUCCESS);
	EXPECT_EQ(rtt_create(&r, rtt, 0, 2), RTT_ERR(1));
	/* 2 before 4: a bad level wins over a missing table */
	EXPECT_EQ(rtt_create(&r, rtt, 0x1000, 3), RMI_ERROR_INPUT);
	/* nothing changed: rtt is still DELEGATED and usable */
	EXPECT_EQ(rtt_create(&r, rtt, 0, 3), RMI_SUCCESS);
}

TEST(rtt_read_entry_failures)
{
	struct test_realm r;
	uint64_t g = delegated_granule();

	EXPECT_TRUE(realm_new(&r, 22));
	EXPECT_EQ(rtt_read(&r, 0, 0).x[0], RMI_ERROR_INPUT);		/* below start level */
	EXPECT_EQ(rtt_read(&r, 0, 4).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(rtt_read(&r, 0x1000, 2).x[0], RMI_ERROR_INPUT);	/* misaligned for L2 */
	EXPECT_EQ(rtt_read(&r, 1ull << 39, 1).x[0], RMI_ERROR_INPUT);	/* outside IPA space */
	EXPECT_EQ(smc6(RMI_RTT_READ_ENTRY, g, 0, 1, 0, 0).x[0], RMI_ERROR_INPUT);	/* not an RD */
	EXPECT_EQ(smc6(RMI_RTT_READ_ENTRY, r.rd + 8, 0, 1, 0, 0).x[0], RMI_ERROR_INPUT);
}

TEST(data_lifecycle)
{
	struct test_realm r;
	uint64_t src = host_granule(), data = delegated_granule(), v = 0, l3;
	struct smc_res e;

	EXPECT_TRUE(realm_new(&r, 23));
	l3 = tables_for(&r, 0, NULL);
	host_fill(src, 0xabcd000000000000ull);
	EXPECT_EQ(smc6(RMI_RTT_INIT_RIPAS, r.rd, 0, 0x4000, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, data, 0x3000, src, 1).x[0], RMI_SUCCESS);
	e = rtt_read(&r, 0x3000, 3);
	EXPECT_EQ(e.x[1], 3);
	EXPECT_EQ(e.x[2], 1);					/* ASSIGNED */
	EXPECT_EQ(e.x[3], data);
	EXPECT_EQ(e.x[4], 1);					/* RAM */
	EXPECT_EQ(host_probe_read(data, &v), -1);		/* realm memory */
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, delegated_granule(), 0x3000, src, 1).x[0], RTT_ERR(3));
	EXPECT_EQ(smc6(RMI_RTT_DESTROY, r.rd, 0, 3, 0, 0).x[0], RTT_ERR(3));	/* live */
	e = smc6(RMI_DATA_DESTROY, r.rd, 0x3000, 0, 0, 0);
	EXPECT_EQ(e.x[0], RMI_SUCCESS);
	EXPECT_EQ(e.x[1], data);
	e = rtt_read(&r, 0x3000, 3);
	EXPECT_EQ(e.x[2], 0);					/* UNASSIGNED */
	EXPECT_EQ(e.x[4], 2);					/* RAM removed -> DESTROYED */
	EXPECT_EQ(smc6(RMI_DATA_DESTROY, r.rd, 0x3000, 0, 0, 0).x[0], RTT_ERR(3));
	EXPECT_EQ(rmi_undelegate(data), RMI_SUCCESS);
	EXPECT_EQ(host_page(data)[0], 0);			/* the copied content is gone */
	e = smc6(RMI_RTT_DESTROY, r.rd, 0, 3, 0, 0);
	EXPECT_EQ(e.x[0], RMI_SUCCESS);
	EXPECT_EQ(e.x[1], l3);
	EXPECT_EQ(rmi_undelegate(l3), RMI_SUCCESS);
	e = rtt_read(&r, 0, 2);
	EXPECT_EQ(e.x[1], 2);
	EXPECT_EQ(e.x[4], 2);					/* destroyed table leaves DESTROYED */
}

TEST(data_create_failures_in_order)
{
	struct test_realm r;
	uint64_t src = host_granule(), data = delegated_granule(), other = delegated_granule();
	uint64_t ns = host_granule();

	EXPECT_TRUE(realm_new(&r, 24));
	(void)tables_for(&r, 0, NULL);
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, data, 0, src, 2).x[0], RMI_ERROR_INPUT);	/* 1 flags */
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, data, 0, other, 0).x[0], RMI_ERROR_INPUT);	/* 2 src state */
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, data, 0, src + 8, 0).x[0], RMI_ERROR_INPUT);	/* 2 src align */
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, data, 0, 0x1000, 0).x[0], RMI_ERROR_INPUT);	/* 2 src bound */
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, ns, 0, src, 0).x[0], RMI_ERROR_INPUT);	/* 3 data state */
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, r.rd, 0, src, 0).x[0], RMI_ERROR_INPUT);	/* 3 alias */
	EXPECT_EQ(smc6(RMI_DATA_CREATE, data, other, 0, src, 0).x[0], RMI_ERROR_INPUT);	/* 3 rd state */
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, data, 0x800, src, 0).x[0], RMI_ERROR_INPUT);	/* 5 align */
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, data, UNPROT, src, 0).x[0], RMI_ERROR_INPUT);	/* 5 PAR */
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, data, GB, src, 0).x[0], RTT_ERR(1));		/* 7 walk */
	/* 9: the source is not in the NS PAS (the RMM's own image) */
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, data, 0, RMM_IMAGE_BASE, 0).x[0], RMI_ERROR_INPUT);
	/* nothing changed by the failures */
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, data, 0, src, 0).x[0], RMI_SUCCESS);
	/* 4: realm state (after activation, before the ipa checks) */
	EXPECT_EQ(smc1(RMI_REALM_ACTIVATE, r.rd).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, other, 0x800, src, 0).x[0], RMI_ERROR_REALM);
	/* DATA_CREATE_UNKNOWN is allowed in an active realm */
	EXPECT_EQ(smc6(RMI_DATA_CREATE_UNKNOWN, r.rd, other, 0x1000, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(rtt_read(&r, 0x1000, 3).x[4], 0);		/* keeps RIPAS EMPTY */
	EXPECT_EQ(smc6(RMI_DATA_CREATE_UNKNOWN, r.rd, other, 0x2000, 0, 0).x[0], RMI_ERROR_INPUT);
}

TEST(init_ripas)
{
	struct test_realm r;
	struct smc_res e;

	EXPECT_TRUE(realm_new(&r, 25));
	EXPECT_EQ(smc6(RMI_RTT_INIT_RIPAS, r.rd, 0x2000, 0x2000, 0, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_RTT_INIT_RIPAS, r.rd, 0x800, 0x2000, 0, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_RTT_INIT_RIPAS, r.rd, UNPROT, UNPROT + 0x1000, 0, 0).x[0], RMI_ERROR_INPUT);
	/* only the root exists: a 1 GB entry does not fit [0, 8K) */
	EXPECT_EQ(smc6(RMI_RTT_INIT_RIPAS, r.rd, 0, 0x2000, 0, 0).x[0], RTT_ERR(1));
	/* base inside a 1 GB entry */
	EXPECT_EQ(smc6(RMI_RTT_INIT_RIPAS, r.rd, 0x1000, 0x2000, 0, 0).x[0], RTT_ERR(1));
	/* a whole 1 GB block entry */
	e = smc6(RMI_RTT_INIT_RIPAS, r.rd, 0, GB, 0, 0);
	EXPECT_EQ(e.x[0], RMI_SUCCESS);
	EXPECT_EQ(e.x[1], GB);
	EXPECT_EQ(rtt_read(&r, 0, 1).x[4], 1);			/* RAM */
	(void)tables_for(&r, GB, NULL);
	e = smc6(RMI_RTT_INIT_RIPAS, r.rd, GB, GB + 0x3000, 0, 0);
	EXPECT_EQ(e.x[0], RMI_SUCCESS);
	EXPECT_EQ(e.x[1], GB + 0x3000);
	EXPECT_EQ(rtt_read(&r, GB + 0x2000, 3).x[4], 1);
	EXPECT_EQ(rtt_read(&r, GB + 0x3000, 3).x[4], 0);
	EXPECT_EQ(smc1(RMI_REALM_ACTIVATE, r.rd).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc6(RMI_RTT_INIT_RIPAS, r.rd, GB + 0x3000, GB + 0x4000, 0, 0).x[0], RMI_ERROR_REALM);
}

TEST(unprotected_mappings)
{
	struct test_realm r;
	uint64_t ns = host_granule(), desc = ns | NS_DESC_ATTR;
	struct smc_res e;

	EXPECT_TRUE(realm_new(&r, 26));
	(void)tables_for(&r, UNPROT, NULL);
	EXPECT_EQ(smc6(RMI_RTT_MAP_UNPROTECTED, r.rd, UNPROT, 0, desc, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_RTT_MAP_UNPROTECTED, r.rd, UNPROT, 3, desc | 1, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_RTT_MAP_UNPROTECTED, r.rd, UNPROT, 3, ns | (4ull << 2), 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_RTT_MAP_UNPROTECTED, r.rd, 0, 3, desc, 0).x[0], RMI_ERROR_INPUT);	/* PAR */
	EXPECT_EQ(smc6(RMI_RTT_MAP_UNPROTECTED, r.rd, UNPROT + 8, 3, desc, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_RTT_MAP_UNPROTECTED, r.rd, UNPROT + GB, 3, desc, 0).x[0], RTT_ERR(1));
	EXPECT_EQ(smc6(RMI_RTT_MAP_UNPROTECTED, r.rd, UNPROT, 3, desc, 0).x[0], RMI_SUCCESS);
	e = rtt_read(&r, UNPROT, 3);
	EXPECT_EQ(e.x[2], 1);
	EXPECT_EQ(e.x[3], desc);
	EXPECT_EQ(e.x[4], 0);
	EXPECT_EQ(smc6(RMI_RTT_MAP_UNPROTECTED, r.rd, UNPROT, 3, desc, 0).x[0], RTT_ERR(3));
	e = smc6(RMI_RTT_UNMAP_UNPROTECTED, r.rd, UNPROT, 3, 0, 0);
	EXPECT_EQ(e.x[0], RMI_SUCCESS);
	EXPECT_EQ(e.x[1], UNPROT + MB2);			/* nothing live left in that RTT */
	EXPECT_EQ(smc6(RMI_RTT_UNMAP_UNPROTECTED, r.rd, UNPROT, 3, 0, 0).x[0], RTT_ERR(3));
	EXPECT_EQ(smc6(RMI_RTT_UNMAP_UNPROTECTED, r.rd, 0, 3, 0, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(rtt_read(&r, UNPROT, 3).x[2], 0);
}

TEST(rtt_fold_and_destroy)
{
	struct test_realm r;
	uint64_t l2, l3;
	struct smc_res e;

	EXPECT_TRUE(realm_new(&r, 27));
	l3 = tables_for(&r, 0, &l2);
	EXPECT_EQ(smc6(RMI_RTT_FOLD, r.rd, 0, 1, 0, 0).x[0], RMI_ERROR_INPUT);	/* level_bound */
	EXPECT_EQ(smc6(RMI_RTT_FOLD, r.rd, GB, 3, 0, 0).x[0], RTT_ERR(1));	/* no L2 there */
	/* L2 table: entry 0 is a TABLE, the rest UNASSIGNED: not homogeneous */
	EXPECT_EQ(smc6(RMI_RTT_FOLD, r.rd, 0, 2, 0, 0).x[0], RTT_ERR(2));
	e = smc6(RMI_RTT_FOLD, r.rd, 0, 3, 0, 0);		/* all UNASSIGNED EMPTY */
	EXPECT_EQ(e.x[0], RMI_SUCCESS);
	EXPECT_EQ(e.x[1], l3);
	EXPECT_EQ(rtt_read(&r, 0, 3).x[1], 2);			/* walk now stops at L2 */
	EXPECT_EQ(smc6(RMI_RTT_FOLD, r.rd, 0, 3, 0, 0).x[0], RTT_ERR(2));	/* parent not TABLE */
	EXPECT_EQ(rmi_undelegate(l3), RMI_SUCCESS);
	/* realm cannot go while the root has a table */
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, r.rd).x[0], RMI_ERROR_REALM);
	e = smc6(RMI_RTT_DESTROY, r.rd, 0, 2, 0, 0);
	EXPECT_EQ(e.x[0], RMI_SUCCESS);
	EXPECT_EQ(e.x[1], l2);
	EXPECT_EQ(smc6(RMI_RTT_DESTROY, r.rd, 0, 2, 0, 0).x[0], RTT_ERR(1));
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, r.rd).x[0], RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(l2), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(r.root), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(r.rd), RMI_SUCCESS);
}

/* create -> populate -> destroy -> undelegate, checking every granule comes back */
TEST(realm_full_lifecycle)
{
	struct test_realm r;
	uint64_t l2, l3, src = host_granule(), data[4];

	EXPECT_TRUE(realm_new(&r, 28));
	l3 = tables_for(&r, 0, &l2);
	EXPECT_EQ(smc6(RMI_RTT_INIT_RIPAS, r.rd, 0, 0x4000, 0, 0).x[0], RMI_SUCCESS);
	for (unsigned int i = 0; i < 4u; i++) {
		data[i] = delegated_granule();
		host_fill(src, i);
		EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, data[i], 0x1000ull * i, src, i & 1u).x[0], RMI_SUCCESS);
	}
	EXPECT_EQ(smc1(RMI_REALM_ACTIVATE, r.rd).x[0], RMI_SUCCESS);
	for (unsigned int i = 0; i < 4u; i++)
		EXPECT_EQ(smc6(RMI_DATA_DESTROY, r.rd, 0x1000ull * i, 0, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc6(RMI_RTT_DESTROY, r.rd, 0, 3, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc6(RMI_RTT_DESTROY, r.rd, 0, 2, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc1(RMI_REALM_DESTROY, r.rd).x[0], RMI_SUCCESS);
	for (unsigned int i = 0; i < 4u; i++)
		EXPECT_EQ(rmi_undelegate(data[i]), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(l3), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(l2), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(r.root), RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(r.rd), RMI_SUCCESS);
}

/* 512 contiguous DATA pages fold into a 2 MB block and unfold again. */
TEST(rtt_fold_assigned_block_and_unfold)
{
	struct test_realm r;
	uint64_t base = host_granules_aligned(512, MB2), l2, l3, l3b = delegated_granule();
	struct smc_res e;

	EXPECT_TRUE(realm_new(&r, 29));
	l3 = tables_for(&r, MB2, &l2);
	EXPECT_EQ(smc6(RMI_RTT_INIT_RIPAS, r.rd, MB2, 2 * MB2, 0, 0).x[0], RMI_SUCCESS);
	for (unsigned int i = 0; i < 512u; i++) {
		EXPECT_EQ(rmi_delegate(base + 0x1000ull * i), RMI_SUCCESS);
		EXPECT_EQ(smc6(RMI_DATA_CREATE_UNKNOWN, r.rd, base + 0x1000ull * i, MB2 + 0x1000ull * i,
			       0, 0).x[0], RMI_SUCCESS);
	}
	/* the level-2 RTT cannot fold: it holds a table and unassigned entries */
	EXPECT_EQ(smc6(RMI_RTT_FOLD, r.rd, 0, 2, 0, 0).x[0], RTT_ERR(2));
	e = smc6(RMI_RTT_FOLD, r.rd, MB2, 3, 0, 0);
	EXPECT_EQ(e.x[0], RMI_SUCCESS);
	EXPECT_EQ(e.x[1], l3);
	e = rtt_read(&r, MB2 + 0x5000, 3);
	EXPECT_EQ(e.x[1], 2);					/* a level-2 block now */
	EXPECT_EQ(e.x[2], 1);
	EXPECT_EQ(e.x[3], base);
	EXPECT_EQ(e.x[4], 1);
	/* a block must be unfolded before single pages go */
	EXPECT_EQ(smc6(RMI_DATA_DESTROY, r.rd, MB2, 0, 0, 0).x[0], RTT_ERR(2));
	EXPECT_EQ(smc6(RMI_RTT_CREATE, r.rd, l3b, MB2, 3, 0).x[0], RMI_SUCCESS);
	e = rtt_read(&r, MB2 + 0x5000, 3);
	EXPECT_EQ(e.x[1], 3);
	EXPECT_EQ(e.x[3], base + 0x5000);
	EXPECT_EQ(e.x[4], 1);
	for (unsigned int i = 0; i < 512u; i++) {
		e = smc6(RMI_DATA_DESTROY, r.rd, MB2 + 0x1000ull * i, 0, 0, 0);
		EXPECT_EQ(e.x[0], RMI_SUCCESS);
		EXPECT_EQ(e.x[1], base + 0x1000ull * i);
		EXPECT_EQ(rmi_undelegate(base + 0x1000ull * i), RMI_SUCCESS);
	}
	EXPECT_EQ(rmi_undelegate(l3), RMI_SUCCESS);		/* folded away earlier */
}

TEST(rtt_destroy_failures_in_order)
{
	struct test_realm r;
	uint64_t g = delegated_granule();
	struct smc_res e;

	EXPECT_TRUE(realm_new(&r, 30));
	(void)tables_for(&r, 0, NULL);
	EXPECT_EQ(smc6(RMI_RTT_DESTROY, g, 0, 3, 0, 0).x[0], RMI_ERROR_INPUT);		/* 1 rd */
	e = smc6(RMI_RTT_DESTROY, r.rd, 0, 1, 0, 0);					/* 2 level */
	EXPECT_EQ(e.x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(e.x[2], 0);
	EXPECT_EQ(smc6(RMI_RTT_DESTROY, r.rd, 0x1000, 3, 0, 0).x[0], RMI_ERROR_INPUT);	/* 2 align */
	EXPECT_EQ(smc6(RMI_RTT_DESTROY, r.rd, 1ull << 39, 2, 0, 0).x[0], RMI_ERROR_INPUT);
	e = smc6(RMI_RTT_DESTROY, r.rd, GB, 3, 0, 0);					/* 3 walk */
	EXPECT_EQ(e.x[0], RTT_ERR(1));
	EXPECT_EQ(e.x[2], 1ull << 39);			/* SkipNonLive: nothing live after it in the root */
	e = smc6(RMI_RTT_DESTROY, r.rd, 0, 2, 0, 0);					/* 4 live (holds L3) */
	EXPECT_EQ(e.x[0], RTT_ERR(2));
	EXPECT_EQ(e.x[2], 0);
	EXPECT_EQ(smc6(RMI_RTT_DESTROY, r.rd, 0, 3, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc6(RMI_RTT_DESTROY, r.rd, 0, 2, 0, 0).x[0], RMI_SUCCESS);
	EXPECT_EQ(rmi_undelegate(g), RMI_SUCCESS);
}

/* Every command that takes an rd refuses something that is not an RD, first. */
TEST(rtt_data_commands_need_an_rd)
{
	static const uint64_t fids[] = {
		RMI_RTT_CREATE, RMI_RTT_DESTROY, RMI_RTT_FOLD, RMI_RTT_READ_ENTRY,
		RMI_RTT_MAP_UNPROTECTED, RMI_RTT_UNMAP_UNPROTECTED, RMI_RTT_INIT_RIPAS,
		RMI_DATA_CREATE_UNKNOWN, RMI_DATA_DESTROY,
	};
	uint64_t bad[4];
	uint64_t g = delegated_granule(), d = delegated_granule();

	bad[0] = g;			/* DELEGATED, not an RD */
	bad[1] = host_granule();	/* NS */
	bad[2] = g + 0x10;		/* unaligned */
	bad[3] = 0x1000;		/* outside DRAM */
	for (unsigned int b = 0; b < 4u; b++)
		for (unsigned int i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
			/* arguments that would be valid for a real realm */
			uint64_t a2 = fids[i] == RMI_RTT_CREATE || fids[i] == RMI_DATA_CREATE_UNKNOWN ? d : 0;
			uint64_t a3 = fids[i] == RMI_RTT_INIT_RIPAS ? 0x1000 : 3;

			if (fids[i] == RMI_RTT_CREATE || fids[i] == RMI_DATA_CREATE_UNKNOWN)
				EXPECT_EQ(smc6(fids[i], bad[b], a2, 0, 3, 0).x[0], RMI_ERROR_INPUT);
			else if (fids[i] == RMI_RTT_MAP_UNPROTECTED)
				EXPECT_EQ(smc6(fids[i], bad[b], UNPROT, 3, NS_DESC_ATTR, 0).x[0], RMI_ERROR_INPUT);
			else
				EXPECT_EQ(smc6(fids[i], bad[b], 0, a3, 0, 0).x[0], RMI_ERROR_INPUT);
		}
	EXPECT_EQ(rmi_undelegate(g), RMI_SUCCESS);		/* nothing was claimed */
	EXPECT_EQ(rmi_undelegate(d), RMI_SUCCESS);
}

/* A batch of failing commands leaves every entry as it was, and retries work. */
TEST(failures_change_nothing)
{
	static const uint64_t ipas[] = { 0, 0x1000, 0x2000, MB2, GB, UNPROT, UNPROT + 0x1000 };
	struct test_realm r;
	uint64_t before[7][5], data = delegated_granule(), src = host_granule(), ns = host_granule();

	EXPECT_TRUE(realm_new(&r, 31));
	(void)tables_for(&r, 0, NULL);
	(void)tables_for(&r, UNPROT, NULL);
	EXPECT_EQ(smc6(RMI_RTT_INIT_RIPAS, r.rd, 0, 0x1000, 0, 0).x[0], RMI_SUCCESS);
	for (unsigned int i = 0; i < 7u; i++) {
		struct smc_res e = rtt_read(&r, ipas[i], 3);

		for (unsigned int k = 0; k < 5u; k++)
			before[i][k] = e.x[k];
	}
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, data, 0x1000, RMM_IMAGE_BASE, 1).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, data, UNPROT, src, 1).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_RTT_MAP_UNPROTECTED, r.rd, UNPROT, 3, ns | 1, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_RTT_MAP_UNPROTECTED, r.rd, 0x1000, 3, ns | NS_DESC_ATTR, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_RTT_INIT_RIPAS, r.rd, 0x800, 0x1000, 0, 0).x[0], RMI_ERROR_INPUT);
	EXPECT_EQ(smc6(RMI_RTT_FOLD, r.rd, 0, 2, 0, 0).x[0], RTT_ERR(2));
	EXPECT_EQ(smc6(RMI_RTT_DESTROY, r.rd, 0, 2, 0, 0).x[0], RTT_ERR(2));
	EXPECT_EQ(smc6(RMI_DATA_DESTROY, r.rd, 0x1000, 0, 0, 0).x[0], RTT_ERR(3));
	EXPECT_EQ(smc6(RMI_RTT_UNMAP_UNPROTECTED, r.rd, UNPROT, 3, 0, 0).x[0], RTT_ERR(3));
	for (unsigned int i = 0; i < 7u; i++) {
		struct smc_res e = rtt_read(&r, ipas[i], 3);

		for (unsigned int k = 0; k < 5u; k++)
			EXPECT_EQ(e.x[k], before[i][k]);
	}
	/* retries with good arguments succeed on the same granules */
	EXPECT_EQ(smc6(RMI_DATA_CREATE, r.rd, data, 0x1000, src, 1).x[0], RMI_SUCCESS);
	EXPECT_EQ(smc6(RMI_RTT_MAP_UNPROTECTED, r.rd, UNPROT, 3, ns | NS_DESC_ATTR, 0).x[0], RMI_SUCCESS);
}
