/*
 * Known-answer checks run on the firmware build of the libraries (AArch64,
 * -mgeneral-regs-only, picolibc), under QEMU with semihosting: main()'s
 * return value is the exit status of QEMU, one bit per failed check.
 * The vectors are the same as in test_third_party.c (FIPS 180-2 "abc",
 * RFC 6979 A.2.6 P-384/SHA-384 "sample").
 * Built with -DFW_KAT_NEGATIVE the messages change ("abd", "samplf"): the
 * harness must then report exactly the SHA and signature checks (0x0b).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/md.h>
#include <mbedtls/memory_buffer_alloc.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

#include <cbor.h>

int main(void);

#ifdef FW_KAT_NEGATIVE
#define MSG_ABC    "abd"
#define MSG_SAMPLE "samplf"
#else
#define MSG_ABC    "abc"
#define MSG_SAMPLE "sample"
#endif

static unsigned char heap[16 * 1024];

static const unsigned char sha256_abc[32] = {
    0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
    0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
};
static const unsigned char sha512_abc[64] = {
    0xdd, 0xaf, 0x35, 0xa1, 0x93, 0x61, 0x7a, 0xba, 0xcc, 0x41, 0x73, 0x49, 0xae, 0x20, 0x41, 0x31,
    0x12, 0xe6, 0xfa, 0x4e, 0x89, 0xa9, 0x7e, 0xa2, 0x0a, 0x9e, 0xee, 0xe6, 0x4b, 0x55, 0xd3, 0x9a,
    0x21, 0x92, 0x99, 0x2a, 0x27, 0x4f, 0xc1, 0xa8, 0x36, 0xba, 0x3c, 0x23, 0xa3, 0xfe, 0xeb, 0xbd,
    0x45, 0x4d, 0x44, 0x23, 0x64, 0x3c, 0xe8, 0x0e, 0x2a, 0x9a, 0xc9, 0x4f, 0xa5, 0x4c, 0xa4, 0x9f,
};
static const unsigned char p384_d[48] = {
    0x6B, 0x9D, 0x3D, 0xAD, 0x2E, 0x1B, 0x8C, 0x1C, 0x05, 0xB1, 0x98, 0x75, 0xB6, 0x65, 0x9F, 0x4D,
    0xE2, 0x3C, 0x3B, 0x66, 0x7B, 0xF2, 0x97, 0xBA, 0x9A, 0xA4, 0x77, 0x40, 0x78, 0x71, 0x37, 0xD8,
    0x96, 0xD5, 0x72, 0x4E, 0x4C, 0x70, 0xA8, 0x25, 0xF8, 0x72, 0xC9, 0xEA, 0x60, 0xD2, 0xED, 0xF5,
};
static const unsigned char p384_qx[48] = {
    0xEC, 0x3A, 0x4E, 0x41, 0x5B, 0x4E, 0x19, 0xA4, 0x56, 0x86, 0x18, 0x02, 0x9F, 0x42, 0x7F, 0xA5,
    0xDA, 0x9A, 0x8B, 0xC4, 0xAE, 0x92, 0xE0, 0x2E, 0x06, 0xAA, 0xE5, 0x28, 0x6B, 0x30, 0x0C, 0x64,
    0xDE, 0xF8, 0xF0, 0xEA, 0x90, 0x55, 0x86, 0x60, 0x64, 0xA2, 0x54, 0x51, 0x54, 0x80, 0xBC, 0x13,
};
static const unsigned char p384_r[48] = {
    0x94, 0xED, 0xBB, 0x92, 0xA5, 0xEC, 0xB8, 0xAA, 0xD4, 0x73, 0x6E, 0x56, 0xC6, 0x91, 0x91, 0x6B,
    0x3F, 0x88, 0x14, 0x06, 0x66, 0xCE, 0x9F, 0xA7, 0x3D, 0x64, 0xC4, 0xEA, 0x95, 0xAD, 0x13, 0x3C,
    0x81, 0xA6, 0x48, 0x15, 0x2E, 0x44, 0xAC, 0xF9, 0x6E, 0x36, 0xDD, 0x1E, 0x80, 0xFA, 0xBE, 0x46,
};
static const unsigned char p384_s[48] = {
    0x99, 0xEF, 0x4A, 0xEB, 0x15, 0xF1, 0x78, 0xCE, 0xA1, 0xFE, 0x40, 0xDB, 0x26, 0x03, 0x13, 0x8F,
    0x13, 0x0E, 0x74, 0x0A, 0x19, 0x62, 0x45, 0x26, 0x20, 0x3B, 0x63, 0x51, 0xD0, 0xA3, 0xA9, 0x4F,
    0xA3, 0x29, 0xC1, 0x45, 0x78, 0x6E, 0x67, 0x9E, 0x7B, 0x82, 0xC7, 0x1A, 0x38, 0x62, 0x8A, 0xC8,
};

/* bit 0: SHA-256, 1: SHA-512, 2: public key, 3: RFC 6979 signature,
 * 4: verify, 5: tampered digest rejected, 6: CBOR bytes, 7: heap balanced */
static int run_ecdsa(void)
{
    static const unsigned char seed[32] = "atoll-fw-kat-blinding-seed-0000";
    unsigned char hash[64], buf[1 + 2 * 48];
    mbedtls_hmac_drbg_context drbg;
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    mbedtls_mpi d, r, s;
    size_t olen = 0;
    int fail = 0;

    mbedtls_hmac_drbg_init(&drbg);
    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&d);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);

    if (mbedtls_hmac_drbg_seed_buf(&drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
                                   seed, sizeof(seed)) != 0 ||
        mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP384R1) != 0 ||
        mbedtls_mpi_read_binary(&d, p384_d, sizeof(p384_d)) != 0 ||
        mbedtls_sha512((const unsigned char *)MSG_SAMPLE, 6, hash, 1) != 0) {
        fail |= 0x3c;
        goto out;
    }
    if (mbedtls_ecp_mul(&grp, &q, &d, &grp.G, mbedtls_hmac_drbg_random, &drbg) != 0 ||
        mbedtls_ecp_point_write_binary(&grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen,
                                       buf, sizeof(buf)) != 0 ||
        olen != sizeof(buf) || memcmp(buf + 1, p384_qx, sizeof(p384_qx)) != 0) {
        fail |= 0x04;
    }
    if (mbedtls_ecdsa_sign_det_ext(&grp, &r, &s, &d, hash, 48, MBEDTLS_MD_SHA384,
                                   mbedtls_hmac_drbg_random, &drbg) != 0 ||
        mbedtls_mpi_write_binary(&r, buf, 48) != 0 || memcmp(buf, p384_r, 48) != 0 ||
        mbedtls_mpi_write_binary(&s, buf, 48) != 0 || memcmp(buf, p384_s, 48) != 0) {
        fail |= 0x08;
    }
    if (mbedtls_ecdsa_verify(&grp, hash, 48, &q, &r, &s) != 0) {
        fail |= 0x10;
    }
    hash[0] ^= 0x80;
    if (mbedtls_ecdsa_verify(&grp, hash, 48, &q, &r, &s) != MBEDTLS_ERR_ECP_VERIFY_FAILED) {
        fail |= 0x20;
    }
out:
    mbedtls_mpi_free(&s);
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&d);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
    mbedtls_hmac_drbg_free(&drbg);
    return fail;
}

static int run_cbor(void)
{
    static const uint8_t expect[] = { 0xa2, 0x01, 0x42, 0x01, 0x02, 0x26, 0x61, 0x78 };
    static const uint8_t bytes[] = { 0x01, 0x02 };
    uint8_t buf[16];
    CborEncoder enc, map;
    CborError err = CborNoError;

    cbor_encoder_init(&enc, buf, sizeof(buf), 0);
    err |= cbor_encoder_create_map(&enc, &map, 2);
    err |= cbor_encode_int(&map, 1);
    err |= cbor_encode_byte_string(&map, bytes, sizeof(bytes));
    err |= cbor_encode_int(&map, -7);
    err |= cbor_encode_text_stringz(&map, "x");
    err |= cbor_encoder_close_container_checked(&enc, &map);
    if (err != CborNoError || cbor_encoder_get_buffer_size(&enc, buf) != sizeof(expect) ||
        memcmp(buf, expect, sizeof(expect)) != 0) {
        return 0x40;
    }
    return 0;
}

int main(void)
{
    unsigned char out[64];
    int fail = 0;

    mbedtls_memory_buffer_alloc_init(heap, sizeof(heap));
    if (mbedtls_sha256((const unsigned char *)MSG_ABC, 3, out, 0) != 0 ||
        memcmp(out, sha256_abc, sizeof(sha256_abc)) != 0) {
        fail |= 0x01;
    }
    if (mbedtls_sha512((const unsigned char *)MSG_ABC, 3, out, 0) != 0 ||
        memcmp(out, sha512_abc, sizeof(sha512_abc)) != 0) {
        fail |= 0x02;
    }
    fail |= run_ecdsa();
    fail |= run_cbor();
    if (mbedtls_memory_buffer_alloc_verify() != 0) {
        fail |= 0x80;
    }
    mbedtls_memory_buffer_alloc_free();
    return fail;
}
