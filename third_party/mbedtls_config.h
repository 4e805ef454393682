/*
 * Atoll: mbedTLS 3.6 configuration for the RMM (firmware and host builds).
 *
 * Selected with -DMBEDTLS_CONFIG_FILE="<mbedtls_config.h>" and
 * -I third_party (see third_party/mbedtls.mk, MBEDTLS_INC). Everything not
 * enabled here is off: this file replaces mbedTLS's default config.
 *
 * What the RMM gets:
 *   - SHA-256, SHA-384/SHA-512 (portable C, no Armv8 crypto extensions)
 *   - bignum + ECP with only secp384r1
 *   - ECDSA sign/verify, deterministic ECDSA (RFC 6979, HMAC_DRBG inside)
 *   - public key export via mbedtls_ecp_point_write_binary() /
 *     mbedtls_ecp_write_public_key()
 *   - calloc/free served from a caller-provided static buffer
 *     (mbedtls_memory_buffer_alloc_init())
 *
 * What it does not need, and so does not get: stdio, files, sockets, time,
 * threads, an entropy source, PSA, AES or any cipher, PK/X.509/TLS.
 *
 * The firmware is built with -mgeneral-regs-only: every FP/SIMD code path
 * (Armv8 SHA instructions, AESCE) stays off. MBEDTLS_HAVE_ASM stays on: on
 * AArch64 the bignum multiply (bn_mul.h) and constant-time helpers only use
 * general-purpose registers (checked by third_party/test/run.sh).
 *
 * ATOLL_MBEDTLS_HOST is defined by the host build only (MBEDTLS_HOST_INC):
 * it adds heap statistics (MBEDTLS_MEMORY_DEBUG), which print with fprintf.
 */
#ifndef ATOLL_MBEDTLS_CONFIG_H
#define ATOLL_MBEDTLS_CONFIG_H

/* ---- System support ---- */
#define MBEDTLS_HAVE_ASM
/* Bignum division without 128-by-64 bit division: no __udivti3 from libgcc,
 * so the library needs nothing beyond memcpy/memmove/memset/memcmp/strlen/
 * strcmp. Only used for a few reductions modulo N per ECDSA operation. */
#define MBEDTLS_NO_UDBL_DIVISION
/* No MBEDTLS_HAVE_TIME / MBEDTLS_HAVE_TIME_DATE: no clock in the RMM. */
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_NO_DEFAULT_ENTROPY_SOURCES

/* ---- Platform: only calloc/free, routed to memory_buffer_alloc ---- */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_MEMORY_BUFFER_ALLOC_C
/* Blocks must be 8-byte aligned: bignum limbs are 64-bit and the firmware
 * is built with -mstrict-align (the default multiple is 4). */
#define MBEDTLS_MEMORY_ALIGN_MULTIPLE 8

#if defined(ATOLL_MBEDTLS_HOST)
/* Host tests only: peak heap statistics (uses fprintf(stderr, ...)). */
#define MBEDTLS_MEMORY_DEBUG
#else
/* Firmware: no <stdio.h>/<stdlib.h> defaults (printf, fprintf, snprintf,
 * exit, calloc, free, time). Before mbedtls_memory_buffer_alloc_init()
 * mbedtls_calloc() returns NULL. */
#define MBEDTLS_PLATFORM_NO_STD_FUNCTIONS
/* memory_buffer_alloc.c calls mbedtls_exit(1) when it finds its heap
 * corrupted (double free, free of a foreign pointer, clobbered header).
 * There is no exit() at EL2: stop right there with a BRK instead, which the
 * RMM's exception vectors report as a synchronous exception. */
#define MBEDTLS_PLATFORM_EXIT_MACRO(status) __builtin_trap()
#endif

/* ---- Hashes ---- */
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA384_C
#define MBEDTLS_SHA512_C
/* Explicitly not: MBEDTLS_SHA256_USE_ARMV8_A_CRYPTO_IF_PRESENT/_ONLY,
 * MBEDTLS_SHA512_USE_A64_CRYPTO_IF_PRESENT/_ONLY (need SIMD registers). */

/* ---- Public key: bignum, ECP (secp384r1 only), ECDSA ---- */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDSA_DETERMINISTIC
#define MBEDTLS_ECP_RESTARTABLE  /* realm tokens are signed in bounded steps */
#define MBEDTLS_HMAC_DRBG_C
#define MBEDTLS_ASN1_PARSE_C  /* required by MBEDTLS_ECDSA_C */
#define MBEDTLS_ASN1_WRITE_C  /* required by MBEDTLS_ECDSA_C */

/* Heap/speed trade-off: window 4, and no per-group precomputed table of
 * multiples of G (which would live on the heap as long as the group). */
#define MBEDTLS_ECP_WINDOW_SIZE        4
#define MBEDTLS_ECP_FIXED_POINT_OPTIM  0

#endif /* ATOLL_MBEDTLS_CONFIG_H */
