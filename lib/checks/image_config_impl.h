/* image_config_impl.h - shared between the image-config check's config rules (image_config.c) and
 * its file rules (image_config_files.c). */
#ifndef SC_IMAGE_CONFIG_IMPL_H
#define SC_IMAGE_CONFIG_IMPL_H

#include "shipcheck/sc_imageconfig.h"
#include "shipcheck/sc_scan.h"

extern const struct sc_rule sc_img_rule_setuid;
extern const struct sc_rule sc_img_rule_world_writable;
extern const struct sc_rule sc_img_rule_empty_password;

struct sc_finding *sc_img_report(struct sc_result *r, const struct sc_image_config *cfg, const struct sc_rule *rule,
				 const char *path, const char *key, const char *remediation, const char *fmt, ...)
	SC_PRINTF(7, 8);
void sc_img_file_rules(const struct sc_image_config *cfg, const struct sc_fs *fs, const struct sc_policy *p,
		       struct sc_result *r);

#endif
