/*
 * Host checks of the RMM's third-party crypto/CBOR build (CMocka).
 *
 * mbedTLS runs on a static heap given to mbedtls_memory_buffer_alloc_init(),
 * as in the RMM; the last test checks that everything was freed and reports
 * the peak heap use.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/md.h>
#include <mbedtls/memory_buffer_alloc.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

#include <cbor.h>

#define P384_BYTES 48U

#ifndef TP_TEST_HEAP_SIZE
#define TP_TEST_HEAP_SIZE (32 * 1024)
#endif
static unsigned char heap[TP_TEST_HEAP_SIZE];

/* FIPS 180-2 appendix B/C/D: "abc" */
static const unsigned char sha256_abc[32] = {
    0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
    0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
};
static const unsigned char sha384_abc[48] = {
    0xcb, 0x00, 0x75, 0x3f, 0x45, 0xa3, 0x5e, 0x8b, 0xb5, 0xa0, 0x3d, 0x69, 0x9a, 0xc6, 0x50, 0x07,
    0x27, 0x2c, 0x32, 0xab, 0x0e, 0xde, 0xd1, 0x63, 0x1a, 0x8b, 0x60, 0x5a, 0x43, 0xff, 0x5b, 0xed,
    0x80, 0x86, 0x07, 0x2b, 0xa1, 0xe7, 0xcc, 0x23, 0x58, 0xba, 0xec, 0xa1, 0x34, 0xc8, 0x25, 0xa7,
};
static const unsigned char sha512_abc[64] = {
    0xdd, 0xaf, 0x35, 0xa1, 0x93, 0x61, 0x7a, 0xba, 0xcc, 0x41, 0x73, 0x49, 0xae, 0x20, 0x41, 0x31,
    0x12, 0xe6, 0xfa, 0x4e, 0x89, 0xa9, 0x7e, 0xa2, 0x0a, 0x9e, 0xee, 0xe6, 0x4b, 0x55, 0xd3, 0x9a,
    0x21, 0x92, 0x99, 0x2a, 0x27, 0x4f, 0xc1, 0xa8, 0x36, 0xba, 0x3c, 0x23, 0xa3, 0xfe, 0xeb, 0xbd,
    0x45, 0x4d, 0x44, 0x23, 0x64, 0x3c, 0xe8, 0x0e, 0x2a, 0x9a, 0xc9, 0x4f, 0xa5, 0x4c, 0xa4, 0x9f,
};

/* RFC 6979 A.2.6: P-384, SHA-384, message "sample". */
static const unsigned char p384_d[48] = {
    0x6B, 0x9D, 0x3D, 0xAD, 0x2E, 0x1B, 0x8C, 0x1C, 0x05, 0xB1, 0x98, 0x75, 0xB6, 0x65, 0x9F, 0x4D,
    0xE2, 0x3C, 0x3B, 0x66, 0x7B, 0xF2, 0x97, 0xBA, 0x9A, 0xA4, 0x77, 0x40, 0x78, 0x71, 0x37, 0xD8,
    0x96, 0xD5, 0x72, 0x4E, 0x4C, 0x70, 0xA8, 0x25, 0xF8, 0x72, 0xC9, 0xEA, 0x60, 0xD2, 0xED, 0xF5,
};
static const unsigned char p384_q[1 + 2 * 48] = {
    0x04,
    0xEC, 0x3A, 0x4E, 0x41, 0x5B, 0x4E, 0x19, 0xA4, 0x56, 0x86, 0x18, 0x02, 0x9F, 0x42, 0x7F, 0xA5,
    0xDA, 0x9A, 0x8B, 0xC4, 0xAE, 0x92, 0xE0, 0x2E, 0x06, 0xAA, 0xE5, 0x28, 0x6B, 0x30, 0x0C, 0x64,
    0xDE, 0xF8, 0xF0, 0xEA, 0x90, 0x55, 0x86, 0x60, 0x64, 0xA2, 0x54, 0x51, 0x54, 0x80, 0xBC, 0x13,
    0x80, 0x15, 0xD9, 0xB7, 0x2D, 0x7D, 0x57, 0x24, 0x4E, 0xA8, 0xEF, 0x9A, 0xC0, 0xC6, 0x21, 0x89,
    0x67, 0x08, 0xA5, 0x93, 0x67, 0xF9, 0xDF, 0xB9, 0xF5, 0x4C, 0xA8, 0x4B, 0x3F, 0x1C, 0x9D, 0xB1,
    0x28, 0x8B, 0x23, 0x1C, 0x3A, 0xE0, 0xD4, 0xFE, 0x73, 0x44, 0xFD, 0x25, 0x33, 0x26, 0x47, 0x20,
};
static const unsigned char p384_sig[2 * 48] = {
    /* r */
    0x94, 0xED, 0xBB, 0x92, 0xA5, 0xEC, 0xB8, 0xAA, 0xD4, 0x73, 0x6E, 0x56, 0xC6, 0x91, 0x91, 0x6B,
    0x3F, 0x88, 0x14, 0x06, 0x66, 0xCE, 0x9F, 0xA7, 0x3D, 0x64, 0xC4, 0xEA, 0x95, 0xAD, 0x13, 0x3C,
    0x81, 0xA6, 0x48, 0x15, 0x2E, 0x44, 0xAC, 0xF9, 0x6E, 0x36, 0xDD, 0x1E, 0x80, 0xFA, 0xBE, 0x46,
    /* s */
    0x99, 0xEF, 0x4A, 0xEB, 0x15, 0xF1, 0x78, 0xCE, 0xA1, 0xFE, 0x40, 0xDB, 0x26, 0x03, 0x13, 0x8F,
    0x13, 0x0E, 0x74, 0x0A, 0x19, 0x62, 0x45, 0x26, 0x20, 0x3B, 0x63, 0x51, 0xD0, 0xA3, 0xA9, 0x4F,
    0xA3, 0x29, 0xC1, 0x45, 0x78, 0x6E, 0x67, 0x9E, 0x7B, 0x82, 0xC7, 0x1A, 0x38, 0x62, 0x8A, 0xC8,
};

static void test_sha256_abc(void **state)
{
    unsigned char out[32];

    (void)state;
    assert_int_equal(mbedtls_sha256((const unsigned char *)"abc", 3, out, 0), 0);
    assert_memory_equal(out, sha256_abc, sizeof(out));
}

static void test_sha384_abc(void **state)
{
    unsigned char out[64];

    (void)state;
    assert_int_equal(mbedtls_sha512((const unsigned char *)"abc", 3, out, 1), 0);
    assert_memory_equal(out, sha384_abc, sizeof(sha384_abc));
}

static void test_sha512_abc(void **state)
{
    unsigned char out[64];

    (void)state;
    assert_int_equal(mbedtls_sha512((const unsigned char *)"abc", 3, out, 0), 0);
    assert_memory_equal(out, sha512_abc, sizeof(out));
}

/* The RMM has no entropy module: the blinding RNG ECP requires is an
 * HMAC_DRBG seeded by the caller (here with a fixed seed). */
static int blind_rng_init(mbedtls_hmac_drbg_context *drbg)
{
    static const unsigned char seed[32] = "atoll-test-blinding-seed-000000";

    mbedtls_hmac_drbg_init(drbg);
    return mbedtls_hmac_drbg_seed_buf(drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
                                      seed, sizeof(seed));
}

struct p384_ctx {
    mbedtls_ecp_group grp;
    mbedtls_mpi d, r, s;
    mbedtls_ecp_point q;
    mbedtls_hmac_drbg_context drbg;
    unsigned char hash[P384_BYTES];
};

static int p384_setup(void **state)
{
    static struct p384_ctx c;

    mbedtls_ecp_group_init(&c.grp);
    mbedtls_mpi_init(&c.d);
    mbedtls_mpi_init(&c.r);
    mbedtls_mpi_init(&c.s);
    mbedtls_ecp_point_init(&c.q);
    if (blind_rng_init(&c.drbg) != 0 ||
        mbedtls_ecp_group_load(&c.grp, MBEDTLS_ECP_DP_SECP384R1) != 0 ||
        mbedtls_mpi_read_binary(&c.d, p384_d, sizeof(p384_d)) != 0 ||
        mbedtls_sha512((const unsigned char *)"sample", 6, c.hash, 1) != 0) {
        return -1;
    }
    *state = &c;
    return 0;
}

static int p384_teardown(void **state)
{
    struct p384_ctx *c = *state;

    mbedtls_ecp_point_free(&c->q);
    mbedtls_mpi_free(&c->s);
    mbedtls_mpi_free(&c->r);
    mbedtls_mpi_free(&c->d);
    mbedtls_ecp_group_free(&c->grp);
    mbedtls_hmac_drbg_free(&c->drbg);
    return 0;
}

/* Public key derivation and export (uncompressed SEC1 point). */
static void test_p384_public_key(void **state)
{
    struct p384_ctx *c = *state;
    unsigned char buf[1 + 2 * P384_BYTES];
    size_t olen = 0;

    assert_int_equal(mbedtls_ecp_check_privkey(&c->grp, &c->d), 0);
    assert_int_equal(mbedtls_ecp_mul(&c->grp, &c->q, &c->d, &c->grp.G,
                                     mbedtls_hmac_drbg_random, &c->drbg), 0);
    assert_int_equal(mbedtls_ecp_check_pubkey(&c->grp, &c->q), 0);
    assert_int_equal(mbedtls_ecp_point_write_binary(&c->grp, &c->q, MBEDTLS_ECP_PF_UNCOMPRESSED,
                                                    &olen, buf, sizeof(buf)), 0);
    assert_int_equal(olen, sizeof(p384_q));
    assert_memory_equal(buf, p384_q, sizeof(p384_q));
}

/* Deterministic ECDSA: sign, compare with RFC 6979, verify, tamper. */
static void test_p384_sign_verify(void **state)
{
    struct p384_ctx *c = *state;
    unsigned char sig[2 * P384_BYTES], hash[P384_BYTES];
    mbedtls_mpi r2;

    assert_int_equal(mbedtls_ecp_mul(&c->grp, &c->q, &c->d, &c->grp.G,
                                     mbedtls_hmac_drbg_random, &c->drbg), 0);
    assert_int_equal(mbedtls_ecdsa_sign_det_ext(&c->grp, &c->r, &c->s, &c->d, c->hash,
                                                sizeof(c->hash), MBEDTLS_MD_SHA384,
                                                mbedtls_hmac_drbg_random, &c->drbg), 0);
    assert_int_equal(mbedtls_mpi_write_binary(&c->r, sig, P384_BYTES), 0);
    assert_int_equal(mbedtls_mpi_write_binary(&c->s, sig + P384_BYTES, P384_BYTES), 0);
    assert_memory_equal(sig, p384_sig, sizeof(sig));

    assert_int_equal(mbedtls_ecdsa_verify(&c->grp, c->hash, sizeof(c->hash), &c->q,
                                          &c->r, &c->s), 0);

    /* one bit of the digest flipped */
    memcpy(hash, c->hash, sizeof(hash));
    hash[17] ^= 0x04;
    assert_int_equal(mbedtls_ecdsa_verify(&c->grp, hash, sizeof(hash), &c->q, &c->r, &c->s),
                     MBEDTLS_ERR_ECP_VERIFY_FAILED);

    /* one bit of r flipped */
    sig[5] ^= 0x01;
    mbedtls_mpi_init(&r2);
    assert_int_equal(mbedtls_mpi_read_binary(&r2, sig, P384_BYTES), 0);
    assert_int_equal(mbedtls_ecdsa_verify(&c->grp, c->hash, sizeof(c->hash), &c->q,
                                          &r2, &c->s), MBEDTLS_ERR_ECP_VERIFY_FAILED);
    mbedtls_mpi_free(&r2);
}

/* Without a blinding RNG mbedTLS 3.6 refuses to sign. */
static void test_p384_needs_blinding_rng(void **state)
{
    struct p384_ctx *c = *state;

    assert_int_equal(mbedtls_ecdsa_sign_det_ext(&c->grp, &c->r, &c->s, &c->d, c->hash,
                                                sizeof(c->hash), MBEDTLS_MD_SHA384, NULL, NULL),
                     MBEDTLS_ERR_ECP_BAD_INPUT_DATA);
}

/* {1: h'0102', -7: "x"} */
static void test_cbor_encode_map(void **state)
{
    static const uint8_t expect[] = { 0xa2, 0x01, 0x42, 0x01, 0x02, 0x26, 0x61, 0x78 };
    static const uint8_t bytes[] = { 0x01, 0x02 };
    uint8_t buf[32];
    CborEncoder enc, map;

    (void)state;
    cbor_encoder_init(&enc, buf, sizeof(buf), 0);
    assert_int_equal(cbor_encoder_create_map(&enc, &map, 2), CborNoError);
    assert_int_equal(cbor_encode_int(&map, 1), CborNoError);
    assert_int_equal(cbor_encode_byte_string(&map, bytes, sizeof(bytes)), CborNoError);
    assert_int_equal(cbor_encode_int(&map, -7), CborNoError);
    assert_int_equal(cbor_encode_text_stringz(&map, "x"), CborNoError);
    assert_int_equal(cbor_encoder_close_container_checked(&enc, &map), CborNoError);
    assert_int_equal(cbor_encoder_get_buffer_size(&enc, buf), sizeof(expect));
    assert_memory_equal(buf, expect, sizeof(expect));

    /* too small a buffer: reported, with the missing size */
    cbor_encoder_init(&enc, buf, 4, 0);
    assert_int_equal(cbor_encoder_create_map(&enc, &map, 2), CborNoError);
    (void)cbor_encode_int(&map, 1);
    (void)cbor_encode_byte_string(&map, bytes, sizeof(bytes));
    (void)cbor_encode_int(&map, -7);
    assert_int_equal(cbor_encode_text_stringz(&map, "x"), CborErrorOutOfMemory);
    (void)cbor_encoder_close_container(&enc, &map);
    assert_int_equal(cbor_encoder_get_extra_bytes_needed(&enc), sizeof(expect) - 4);
}

/* The parser (host library only) reads back what the encoder wrote. */
static void test_cbor_decode_map(void **state)
{
    static const uint8_t in[] = { 0xa2, 0x01, 0x42, 0x01, 0x02, 0x26, 0x61, 0x78 };
    CborParser parser;
    CborValue it, map;
    int64_t key;
    size_t len = 0;

    (void)state;
    assert_int_equal(cbor_parser_init(in, sizeof(in), 0, &parser, &it), CborNoError);
    assert_true(cbor_value_is_map(&it));
    assert_int_equal(cbor_value_enter_container(&it, &map), CborNoError);
    assert_int_equal(cbor_value_get_int64(&map, &key), CborNoError);
    assert_int_equal(key, 1);
    assert_int_equal(cbor_value_advance_fixed(&map), CborNoError);
    assert_true(cbor_value_is_byte_string(&map));
    assert_int_equal(cbor_value_calculate_string_length(&map, &len), CborNoError);
    assert_int_equal(len, 2);
    assert_int_equal(cbor_value_advance(&map), CborNoError);
    assert_int_equal(cbor_value_get_int64(&map, &key), CborNoError);
    assert_int_equal(key, -7);
    assert_int_equal(cbor_value_advance_fixed(&map), CborNoError);
    assert_true(cbor_value_is_text_string(&map));
    assert_int_equal(cbor_value_advance(&map), CborNoError);
    assert_true(cbor_value_at_end(&map));
}

/* Runs last: every mbedTLS allocation was returned; report the peak. */
static void test_heap_balanced(void **state)
{
    size_t cur_used = 0, cur_blocks = 0, max_used = 0, max_blocks = 0;

    (void)state;
    assert_int_equal(mbedtls_memory_buffer_alloc_verify(), 0);
    mbedtls_memory_buffer_alloc_cur_get(&cur_used, &cur_blocks);
    mbedtls_memory_buffer_alloc_max_get(&max_used, &max_blocks);
    print_message("# mbedTLS heap: peak %zu bytes in %zu blocks (of a %zu-byte buffer), "
                  "now %zu bytes\n", max_used, max_blocks, sizeof(heap), cur_used);
    assert_int_equal(cur_used, 0);
    assert_int_equal(cur_blocks, 0);
    assert_true(max_used > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_abc),
        cmocka_unit_test(test_sha384_abc),
        cmocka_unit_test(test_sha512_abc),
        cmocka_unit_test_setup_teardown(test_p384_public_key, p384_setup, p384_teardown),
        cmocka_unit_test_setup_teardown(test_p384_sign_verify, p384_setup, p384_teardown),
        cmocka_unit_test_setup_teardown(test_p384_needs_blinding_rng, p384_setup, p384_teardown),
        cmocka_unit_test(test_cbor_encode_map),
        cmocka_unit_test(test_cbor_decode_map),
        cmocka_unit_test(test_heap_balanced),
    };
    int ret;

    mbedtls_memory_buffer_alloc_init(heap, sizeof(heap));
    ret = cmocka_run_group_tests_name("third_party", tests, NULL, NULL);
    mbedtls_memory_buffer_alloc_free();
    return ret;
}
