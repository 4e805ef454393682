/*
 * Firmware link check: a freestanding AArch64 image that calls what the RMM
 * will use from mbedTLS and TinyCBOR. It is linked with -nostdlib -static
 * --gc-sections against the two libraries and picolibc, entry fw_entry, so
 * any symbol they pull in (stdio, time, entropy...) must resolve. Never run.
 */
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/md.h>
#include <mbedtls/memory_buffer_alloc.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

#include <cbor.h>

int fw_entry(uint64_t arg);

static unsigned char heap[16 * 1024];
static unsigned char out[512];
volatile int fw_result;

int fw_entry(uint64_t arg)
{
    static const unsigned char seed[32] = { 1, 2, 3 };
    unsigned char hash[64];
    mbedtls_hmac_drbg_context drbg;
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    mbedtls_mpi d, r, s;
    CborEncoder enc, map;
    size_t olen = 0;
    int ret = 0;

    mbedtls_memory_buffer_alloc_init(heap, sizeof(heap));

    ret |= mbedtls_sha256((const unsigned char *)&arg, sizeof(arg), hash, 0);
    ret |= mbedtls_sha512(hash, 32, hash, 1);

    mbedtls_hmac_drbg_init(&drbg);
    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&d);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    ret |= mbedtls_hmac_drbg_seed_buf(&drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA384),
                                      seed, sizeof(seed));
    ret |= mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP384R1);
    ret |= mbedtls_mpi_read_binary(&d, hash, 48);
    ret |= mbedtls_ecp_mul(&grp, &q, &d, &grp.G, mbedtls_hmac_drbg_random, &drbg);
    ret |= mbedtls_ecp_point_write_binary(&grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen,
                                          out, sizeof(out));
    ret |= mbedtls_ecdsa_sign_det_ext(&grp, &r, &s, &d, hash, 48, MBEDTLS_MD_SHA384,
                                      mbedtls_hmac_drbg_random, &drbg);
    ret |= mbedtls_ecdsa_verify(&grp, hash, 48, &q, &r, &s);
    ret |= mbedtls_mpi_write_binary(&r, out + 100, 48);
    ret |= mbedtls_mpi_write_binary(&s, out + 148, 48);
    mbedtls_mpi_free(&s);
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&d);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
    mbedtls_hmac_drbg_free(&drbg);

    cbor_encoder_init(&enc, out + 200, 64, 0);
    ret |= (int)cbor_encoder_create_map(&enc, &map, 2);
    ret |= (int)cbor_encode_int(&map, 1);
    ret |= (int)cbor_encode_byte_string(&map, out, 2);
    ret |= (int)cbor_encode_int(&map, -7);
    ret |= (int)cbor_encode_text_stringz(&map, "x");
    ret |= (int)cbor_encoder_close_container(&enc, &map);

    mbedtls_memory_buffer_alloc_free();
    fw_result = ret;
    return ret;
}
