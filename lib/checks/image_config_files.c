/* image_config_files.c - image-config rules on the image's merged files: setuid/setgid files added by
 * the service's own layers, world-writable files in system paths, empty passwords in /etc/shadow. */
#include "image_config_impl.h"
#include "shipcheck/sc_policy.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const eq_suid[] = {"CIS-DI-0008", NULL};
const struct sc_rule sc_img_rule_setuid = {
	.id = "SC-IMG-005", .name = "image-setuid-files", .check = "image-config", .severity = SC_SEV_MEDIUM,
	.title = "setuid/setgid file added by the service's layers", .equivalents = eq_suid,
};
static const char *const eq_ww[] = {NULL};
const struct sc_rule sc_img_rule_world_writable = {
	.id = "SC-IMG-006", .name = "image-world-writable-system", .check = "image-config",
	.severity = SC_SEV_MEDIUM, .title = "World-writable file in a system path", .equivalents = eq_ww,
};
static const char *const eq_pw[] = {"DKL-LI-0001", NULL};
const struct sc_rule sc_img_rule_empty_password = {
	.id = "SC-IMG-007", .name = "image-empty-password", .check = "image-config", .severity = SC_SEV_HIGH,
	.title = "Account with an empty password in /etc/shadow", .equivalents = eq_pw,
};

static bool system_path(const char *p)
{
	static const char *const dirs[] = {"bin/", "sbin/", "usr/", "etc/", "lib/", "lib32/", "lib64/", "libx32/",
					   "boot/", "opt/", NULL};
	for (size_t i = 0; dirs[i]; i++)
		if (!strncmp(p, dirs[i], strlen(dirs[i])))
			return true;
	return false;
}

static void shadow(const struct sc_image_config *cfg, const struct sc_fs *fs, struct sc_result *r)
{
	const struct sc_file *f = sc_fs_find(fs, "etc/shadow");
	if (!f || f->deleted || !S_ISREG(f->mode))
		return;
	char *data = NULL;
	size_t len = 0;
	struct sc_error err = {0};
	if (sc_fs_read(fs, "etc/shadow", 4u << 20, &data, &len, &err) != SC_OK) {
		sc_result_add_warning(r, "etc/shadow", 0, 0, "cannot read: %s", err.msg ? err.msg : "");
		sc_error_clear(&err);
		return;
	}
	size_t pos = 0;
	unsigned line = 0;
	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
		const char *s = data + pos;
		line++;
		pos += n + 1;
		const char *c1 = memchr(s, ':', n);
		if (!c1 || c1 == s)
			continue;
		size_t rest = n - (size_t)(c1 - s) - 1;
		if (rest && c1[1] != ':')
			continue; /* a hash, `*` or `!`: not empty */
		char *user = sc_xstrndup(s, (size_t)(c1 - s));
		struct sc_finding *fd = sc_img_report(
			r, cfg, &sc_img_rule_empty_password, "etc/shadow", user,
			"Lock the account (`passwd -l USER` or `usermod -p '*' USER` in the Dockerfile) or remove "
			"it.",
			"Account `%s` has an empty password in /etc/shadow: anything that authenticates "
			"against it (su, login, an SSH server) lets anyone in as `%s` without a password.",
			user, user);
		fd->loc.line = line;
		free(user);
	}
	free(data);
}

void sc_img_file_rules(const struct sc_image_config *cfg, const struct sc_fs *fs, const struct sc_policy *p,
		       struct sc_result *r)
{
	int base = cfg ? cfg->base_layers : 0;
	bool do_suid = sc_policy_rule_enabled(p, &sc_img_rule_setuid);
	bool do_ww = sc_policy_rule_enabled(p, &sc_img_rule_world_writable);
	for (size_t i = 0; i < fs->files.len; i++) {
		const struct sc_file *f = fs->files.items[i];
		if (f->deleted || S_ISLNK(f->mode))
			continue;
		if (do_suid && S_ISREG(f->mode) && (f->mode & (S_ISUID | S_ISGID)) && (base == 0 || f->layer > base)) {
			struct sc_finding *fd = sc_img_report(
				r, cfg, &sc_img_rule_setuid, f->path, f->mode & S_ISUID ? "setuid" : "setgid",
				"Remove the bit in the Dockerfile step that adds the file (`chmod u-s,g-s FILE`), or "
				"do not install the program in the runtime image.",
				"/%s is %s%s%s (mode %04o): a program that runs with its owner's or group's rights "
				"whoever starts it, so a bug in it is a privilege escalation inside the container.",
				f->path, f->mode & S_ISUID ? "setuid" : "",
				(f->mode & S_ISUID) && (f->mode & S_ISGID) ? " and " : "", f->mode & S_ISGID ? "setgid" : "",
				(unsigned)(f->mode & 07777));
			fd->loc.layer = f->layer;
			fd->attribution = base ? "dockerfile" : NULL;
		}
		bool sticky_dir = S_ISDIR(f->mode) && (f->mode & S_ISVTX);
		if (do_ww && (f->mode & S_IWOTH) && !sticky_dir && system_path(f->path)) {
			struct sc_finding *fd = sc_img_report(
				r, cfg, &sc_img_rule_world_writable, f->path, "world-writable",
				"Remove write permission for others (`chmod o-w FILE`) in the step that creates it.",
				"/%s is world-writable (mode %04o) in a system path: any process in the container, "
				"whatever its user, can replace it and run code as whoever uses it next.",
				f->path, (unsigned)(f->mode & 07777));
			fd->loc.layer = f->layer;
		}
	}
	if (sc_policy_rule_enabled(p, &sc_img_rule_empty_password))
		shadow(cfg, fs, r);
}
