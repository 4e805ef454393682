/* RMI request dispatch (rmi.md; register contract el3.md section 6). */
#ifndef KERNEL_RMI_H
#define KERNEL_RMI_H

#include <stdint.h>

#define RMI_FID(n)		(0xC4000000ull | (n))
#define RMI_FNUM_FIRST		0x150u
#define RMI_FNUM_LAST		0x18Fu
#define RMI_SVE_HINT		(1ull << 16)

#define RMI_VERSION		RMI_FID(0x150)
#define RMI_FEATURES		RMI_FID(0x165)

#define RMI_ABI_VERSION		0x00010000ull	/* v1.0 */

enum rmi_status {
	RMI_SUCCESS = 0,
	RMI_ERROR_INPUT = 1,
	RMI_ERROR_REALM = 2,
	RMI_ERROR_REC = 3,
	RMI_ERROR_RTT = 4,
};
#define SMC_UNKNOWN		0xFFFFFFFFFFFFFFFFull

/* Request as EL3 delivers it: x0 = FID, x1..x7 = NS x1..x7. */
struct rmi_req {
	uint64_t fid;
	uint64_t arg[7];
};

/* Reply: x1 = status, x2..x5 = outputs (out[3] defaults to the caller's x4). */
struct rmi_reply {
	uint64_t status;
	uint64_t out[4];
};

void rmi_dispatch(const struct rmi_req *req, struct rmi_reply *rep);

#endif
