/*
 * Granule-table bytes for a number of granules, from a granule service
 * variant's own granule_table_words() (linked with services/granule/<variant>/
 * gstore.c for the host; used by make bench for docs/performance.md).
 *   gtw_<variant> <granules>...  ->  "<granules> <bytes>" per line
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

uint64_t granule_table_words(uint64_t count);

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		uint64_t n = strtoull(argv[i], NULL, 0);

		printf("%llu %llu\n", (unsigned long long)n,
		       (unsigned long long)(granule_table_words(n) * 8u));
	}
	return 0;
}
