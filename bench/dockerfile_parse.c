/* dockerfile_parse.c - parses Dockerfiles in one process and prints files/s (the parser alone, for
 * bench/dockerfile), or with --dump prints each instruction and its shell commands (a debugging aid). */
#include "shipcheck/sc_dockerfile.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void dump(const struct sc_dockerfile *df)
{
	for (size_t i = 0; i < df->n_instrs; i++) {
		const struct sc_df_instr *in = df->instrs[i];
		struct sc_strbuf sb;
		sc_strbuf_init(&sb, (size_t)-1);
		sc_df_instr_serialize(in, df->escape, &sb);
		printf("%u:%u-%u stage=%d %s json=%d argc=%zu | %s\n", in->line, in->col, in->end_line, in->stage,
		       sc_df_kind_name(in->kind), in->json, in->argc, sc_strbuf_str(&sb));
		sc_strbuf_free(&sb);
		const struct sc_df_instr *r = in->inner ? in->inner : in;
		for (size_t k = 0; k < r->sh.n; k++) {
			printf("    cmd[%u]:", r->sh.cmds[k].depth);
			for (size_t w = 0; w < r->sh.cmds[k].argc; w++)
				printf(" <%s>", r->sh.cmds[k].argv[w]);
			printf(" sep=%d\n", r->sh.cmds[k].sep);
		}
	}
	for (size_t s = 0; s < df->n_stages; s++)
		printf("stage %zu: %s -> %s name=%s base=%d windows=%d\n", s, df->stages[s].image,
		       df->stages[s].resolved ? df->stages[s].resolved : "(unresolved)",
		       df->stages[s].name ? df->stages[s].name : "-", df->stages[s].base_stage, df->stages[s].windows);
}

int main(int argc, char **argv)
{
	bool do_dump = argc > 1 && !strcmp(argv[1], "--dump");
	struct sc_ptrvec files = {0};
	for (int i = do_dump ? 2 : 1; i < argc; i++) {
		struct stat sb;
		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *e;
			while (d && (e = readdir(d)))
				if (e->d_name[0] != '.')
					sc_ptrvec_push(&files, sc_path_join(argv[i], e->d_name));
			if (d)
				closedir(d);
		} else {
			sc_ptrvec_push(&files, sc_xstrdup(argv[i]));
		}
	}
	size_t ok = 0, bad = 0, instrs = 0;
	double t0 = now();
	for (size_t i = 0; i < files.len; i++) {
		char *data;
		size_t len;
		struct sc_error err = {0};
		if (sc_read_file(files.items[i], 64u << 20, &data, &len, &err) != SC_OK) {
			fprintf(stderr, "%s: %s\n", (char *)files.items[i], err.msg);
			sc_error_clear(&err);
			bad++;
			continue;
		}
		struct sc_dockerfile *df;
		if (sc_dockerfile_parse(files.items[i], data, len, NULL, &df, &err) == SC_OK) {
			ok++;
			instrs += df->n_instrs;
			if (do_dump)
				dump(df);
			sc_dockerfile_free(df);
		} else {
			char buf[1024];
			sc_error_format(&err, buf, sizeof(buf));
			fprintf(stderr, "%s\n", buf);
			bad++;
		}
		sc_error_clear(&err);
		free(data);
	}
	double dt = now() - t0;
	if (!do_dump)
		printf("parsed %zu files (%zu failed), %zu instructions in %.1f ms: %.0f files/s\n", ok, bad, instrs,
		       dt * 1e3, dt > 0 ? (double)(ok + bad) / dt : 0);
	for (size_t i = 0; i < files.len; i++)
		free(files.items[i]);
	sc_ptrvec_free(&files);
	return bad ? 1 : 0;
}
