/* Calls from the RMM to EL3 at runtime (el3.md section 5). */
#ifndef KERNEL_EL3_H
#define KERNEL_EL3_H

#include <stdint.h>

/* 0 on success, else the negative EL3 code. */
int64_t el3_gtsi_delegate(uint64_t pa);
int64_t el3_gtsi_undelegate(uint64_t pa);

#endif
