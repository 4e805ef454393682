/* Stage-2 RTT entry encoding (TF-RMM-compatible software encoding, structures.md 10.3). */
#include <kernel/s2.h>

bool s2tte_counts_live(uint64_t e)
{
	if ((e & S2TTE_TYPE_MASK) == S2TTE_TYPE_TABLE && (e & S2TTE_NS) == 0u)
		return true;	/* TABLE */
	if ((e & S2TTE_NS) != 0u)
		return false;	/* unprotected: ASSIGNED_NS / UNASSIGNED_NS */
	if ((e & S2TTE_TYPE_MASK) != 0u)
		return true;	/* valid protected mapping: ASSIGNED_RAM */
	return (e & S2TTE_HIPAS_ASSIGNED) != 0u;	/* ASSIGNED_EMPTY / DESTROYED */
}
