/*
 * A main() for the fuzz target without libFuzzer: runs every file named on
 * the command line (or found in a directory named there) through
 * LLVMFuzzerTestOneInput once. `make coverage` builds it with gcc --coverage
 * to count what the seed corpus and the crashers reach.
 */
#define _DEFAULT_SOURCE	/* scandir, alphasort */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static unsigned long runs;

static void run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		exit(2);
	}
	buf = malloc((size_t)n + 1u);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		exit(2);
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	runs++;
}

static void run_path(const char *path)
{
	struct stat st;
	struct dirent **names;
	int n;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: no %s\n", path);
		exit(2);
	}
	if (!S_ISDIR(st.st_mode)) {
		run_file(path);
		return;
	}
	n = scandir(path, &names, NULL, alphasort);	/* a fixed order: runs repeat */
	for (int i = 0; i < n; i++) {
		char p[4096];

		if (names[i]->d_name[0] != '.' &&
		    snprintf(p, sizeof(p), "%s/%s", path, names[i]->d_name) < (int)sizeof(p))
			run_path(p);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++)
		run_path(argv[i]);
	printf("replay: %lu inputs\n", runs);
	return 0;
}
