/* Realm Attestation Key and platform token from EL3 at cold boot (kernel/attest_boot.c). */
#ifndef KERNEL_ATTEST_BOOT_H
#define KERNEL_ATTEST_BOOT_H

void attest_boot_provision(void);

#endif
