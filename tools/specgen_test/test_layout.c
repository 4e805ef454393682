/*
 * Run-time check of the layout tools/specgen.py generated from
 * good/all_types.toml: each field, stored through the struct, lands at the
 * table's offset in the byte image (the _Static_asserts check the same at
 * compile time; this proves they describe the bytes).
 */
#include <spec/all_types.h>
#include <stdio.h>
#include <string.h>

static int failed;

static void expect(const char *what, int ok)
{
	if (!ok) {
		printf("FAIL  %s\n", what);
		failed = 1;
	}
}

static unsigned long long le(const unsigned char *b, size_t n)
{
	unsigned long long v = 0;

	while (n-- > 0)
		v = v << 8 | b[n];
	return v;
}

int main(void)
{
	struct t_all s;
	struct t_all_ints p;
	unsigned char img[sizeof(s)], pimg[sizeof(p)];

	memset(&s, 0, sizeof(s));
	s.w8 = 0x81;
	s.w16 = 0x1602;
	s.w32 = 0x32040404;
	s.w64 = 0x6408080808080808ull;
	s.s64 = -2;
	memcpy(s.blob, "\x01\x02\x03\x04\x05", 5);
	s.arr[2] = 0xa2a2a2a2;
	s.inner.b = 0xbbbbbbbbbbbbbbbbull;
	s.inners[1].a = 0x1a1a;
	s.last = 0xff;
	memcpy(img, &s, sizeof(s));
	expect("w8 at 0x1", img[0] == 0 && img[1] == 0x81);
	expect("w16 at 0x2", le(&img[0x2], 2) == 0x1602);
	expect("w32 at 0x4", le(&img[0x4], 4) == 0x32040404);
	expect("w64 at 0x8", le(&img[0x8], 8) == 0x6408080808080808ull);
	expect("s64 at 0x10", le(&img[0x10], 8) == 0xfffffffffffffffeull);
	expect("blob at 0x18", memcmp(&img[0x18], "\x01\x02\x03\x04\x05", 5) == 0);
	expect("arr[2] at 0x28", le(&img[0x28], 4) == 0xa2a2a2a2);
	expect("inner.b at 0x48", le(&img[0x48], 8) == 0xbbbbbbbbbbbbbbbbull);
	expect("inners[1].a at 0x60", le(&img[0x60], 2) == 0x1a1a);
	expect("last at 0x100", img[0x100] == 0xff);
	expect("size 0x200", sizeof(s) == 0x200);

	/* a part is the same bytes as the run of the whole structure */
	memcpy(&p, &img[offsetof(struct t_all, w64)], sizeof(p));
	memcpy(pimg, &p, sizeof(p));
	expect("part ints is w64..blob", sizeof(p) == 0x18 && p.w64 == s.w64 && p.s64 == s.s64 &&
	       memcmp(p.blob, s.blob, 5) == 0 && memcmp(pimg, &img[8], sizeof(p)) == 0);
	expect("part one", sizeof(struct t_all_one) == 5);
	expect("part tail", sizeof(struct t_all_tail) == 0xc8);
	expect("SPEC_SIZEOF", SPEC_SIZEOF(struct t_all, inners) == 0x20 &&
	       SPEC_SIZEOF(struct t_all, blob) == 5);
	if (!failed)
		printf("layout ok\n");
	return failed;
}
