/* test_df_image_config.c - the image-config rules (SC-IMG-*) on constructed image configs and on a
 * small root filesystem built by the test (setuid files per layer, world-writable files, shadow). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "shipcheck/sc_imageconfig.h"
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_scan.h"

static size_t count(const struct sc_result *r, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < r->findings.len; i++)
		n += !strcmp(((const struct sc_finding *)r->findings.items[i])->rule->id, id);
	return n;
}

static const struct sc_finding *first(const struct sc_result *r, const char *id)
{
	for (size_t i = 0; i < r->findings.len; i++)
		if (!strcmp(((const struct sc_finding *)r->findings.items[i])->rule->id, id))
			return r->findings.items[i];
	return NULL;
}

static void test_config_rules(void **state)
{
	(void)state;
	static const struct {
		const char *user;
		size_t want;
	} users[] = {{NULL, 1}, {"", 1}, {"root", 1}, {"0", 1}, {"0:0", 1}, {"root:staff", 1},
		     {"app", 0}, {"10001:10001", 0}, {"rootless", 0}};
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		struct sc_image_config cfg = {.user = users[i].user, .has_healthcheck = true};
		struct sc_result *r = sc_result_new();
		sc_imageconfig_check(&cfg, NULL, NULL, r);
		if (count(r, "SC-IMG-001") != users[i].want)
			fail_msg("user `%s`: %zu findings", users[i].user ? users[i].user : "(null)", count(r, "SC-IMG-001"));
		sc_result_free(r);
	}

	const char *env[] = {"PATH=/usr/bin", "DB_PASSWORD=hunter2secret", "API_TOKEN=", "TOKEN_FILE=/run/t", NULL};
	const char *ports[] = {"8080/tcp", "22/tcp", NULL};
	struct sc_image_config cfg = {.user = "app", .env = env, .exposed_ports = ports, .image_ref = "svc:1"};
	struct sc_result *r = sc_result_new();
	sc_imageconfig_check(&cfg, NULL, NULL, r);
	assert_int_equal(count(r, "SC-IMG-002"), 1);
	const struct sc_finding *f = first(r, "SC-IMG-002");
	assert_non_null(strstr(f->message, "DB_PASSWORD"));
	assert_null(strstr(f->message, "hunter2"));
	assert_null(strstr(f->snippet_redacted, "hunter2secret"));
	assert_int_equal(count(r, "SC-IMG-003"), 1);
	assert_int_equal(count(r, "SC-IMG-004"), 0); /* off by default */
	sc_result_free(r);

	/* enabled by the policy */
	const char *yml = "rules:\n  enable: [SC-IMG-004]\n";
	struct sc_policy *p = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_policy_parse("p.yml", yml, strlen(yml), &p, &err), SC_OK);
	r = sc_result_new();
	sc_imageconfig_check(&cfg, NULL, p, r);
	assert_int_equal(count(r, "SC-IMG-004"), 1);
	sc_result_free(r);
	cfg.has_healthcheck = true;
	r = sc_result_new();
	sc_imageconfig_check(&cfg, NULL, p, r);
	assert_int_equal(count(r, "SC-IMG-004"), 0);
	sc_result_free(r);
	sc_policy_free(p);
}

static void set_layer(struct sc_fs *fs, const char *path, int layer)
{
	for (size_t i = 0; i < fs->files.len; i++) {
		struct sc_file *f = fs->files.items[i];
		if (!strcmp(f->path, path))
			f->layer = layer;
	}
}

static void test_file_rules(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "bin/su", "elf");
	tu_write(dir, "usr/local/bin/tool", "elf");
	tu_write(dir, "usr/bin/wall", "elf");
	tu_write(dir, "etc/app.conf", "x=1\n");
	tu_write(dir, "tmp/scratch", "x");
	tu_write(dir, "etc/shadow", "root:*:19000:0:99999:7:::\napp::19000:0:99999:7:::\nsvc:!:19000::::::\nguest:\n");
	char *p;
	p = sc_path_join(dir, "bin/su"), chmod(p, 04755), free(p);
	p = sc_path_join(dir, "usr/local/bin/tool"), chmod(p, 04755), free(p);
	p = sc_path_join(dir, "usr/bin/wall"), chmod(p, 02755), free(p);
	p = sc_path_join(dir, "etc/app.conf"), chmod(p, 0666), free(p);
	p = sc_path_join(dir, "tmp/scratch"), chmod(p, 0666), free(p);

	struct sc_limits lim;
	sc_limits_default(&lim);
	struct sc_fs *fs = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_fs_open_dir(dir, NULL, &lim, &fs, &err), SC_OK);
	/* layers 1-2 are the base image, 3 is the service's */
	set_layer(fs, "bin/su", 1);
	set_layer(fs, "usr/bin/wall", 2);
	set_layer(fs, "usr/local/bin/tool", 3);
	struct sc_image_config cfg = {.user = "app", .has_healthcheck = true, .base_layers = 2};
	struct sc_result *r = sc_result_new();
	sc_imageconfig_check(&cfg, fs, NULL, r);
	assert_int_equal(count(r, "SC-IMG-005"), 1);
	const struct sc_finding *f = first(r, "SC-IMG-005");
	assert_string_equal(f->loc.path, "usr/local/bin/tool");
	assert_int_equal(f->loc.layer, 3);
	assert_int_equal(count(r, "SC-IMG-006"), 1);
	assert_string_equal(first(r, "SC-IMG-006")->loc.path, "etc/app.conf");
	assert_int_equal(count(r, "SC-IMG-007"), 2); /* app (empty) and guest (empty); root/svc locked */
	f = first(r, "SC-IMG-007");
	assert_int_equal(f->loc.line, 2);
	sc_result_free(r);

	/* unknown base: every setuid/setgid file is reported */
	cfg.base_layers = 0;
	r = sc_result_new();
	sc_imageconfig_check(&cfg, fs, NULL, r);
	assert_int_equal(count(r, "SC-IMG-005"), 3);
	sc_result_free(r);
	sc_fs_free(fs);
	tu_rmtree(dir);
	free(dir);
}

static void test_not_run_without_image(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "Dockerfile", "FROM debian:12\nUSER app\n");
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.repo_dir = dir;
	struct sc_result *r = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_scan_run(&o, &r, &err), SC_OK);
	for (size_t i = 0; i < r->checks_run.len; i++)
		assert_string_not_equal(r->checks_run.items[i], "image-config");
	assert_non_null(sc_rule_find("SC-IMG-005"));
	assert_ptr_equal(sc_rule_find("CIS-DI-0008"), sc_rule_find("SC-IMG-005"));
	sc_result_free(r);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_rules),
		cmocka_unit_test(test_file_rules),
		cmocka_unit_test(test_not_run_without_image),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
