/* test_df_rules.c - every Dockerfile rule on catching and non-catching Dockerfiles (ONBUILD variants
 * included), run through the real scan in files mode with a real policy file; inline suppression,
 * peer ids in .shipcheck.yml, and validation of the `dockerfile:` policy section. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_imageconfig.h"
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_scan.h"

struct rcase {
	const char *rule;
	const char *dockerfile;
	size_t want; /* unsuppressed findings of rule */
	const char *policy; /* `dockerfile:` section body, or NULL */
};

static const char *const POL_IMAGES =
	"dockerfile:\n"
	"  base_images:\n"
	"    allowed: [\"registry.example/base/*\", \"docker.io/library/debian:*\"]\n"
	"    public:\n"
	"      - image: \"postgres:16*\"\n"
	"        reason: official image of the database we run\n"
	"    current:\n"
	"      - image: registry.example/base/node\n"
	"        tag: \"22.11\"\n"
	"      - image: debian\n"
	"        digest: sha256:0000000000000000000000000000000000000000000000000000000000000001\n";

static const struct rcase cases[] = {
	/* SC-DF-002 user-root */
	{"SC-DF-002", "FROM debian:12\nRUN true\n", 1, NULL},
	{"SC-DF-002", "FROM debian:12\nUSER root\n", 1, NULL},
	{"SC-DF-002", "FROM debian:12\nUSER 0:0\n", 1, NULL},
	{"SC-DF-002", "FROM debian:12\nUSER root:app\n", 1, NULL},
	{"SC-DF-002", "FROM debian:12\nARG U=root\nUSER $U\n", 1, NULL},
	{"SC-DF-002", "FROM debian:12\nUSER app\n", 0, NULL},
	{"SC-DF-002", "FROM debian:12\nUSER 10001:10001\n", 0, NULL},
	{"SC-DF-002", "FROM debian:12\nUSER app\nRUN x\nUSER root\n", 1, NULL},
	{"SC-DF-002", "FROM debian:12\nUSER root\nRUN apt-get update\nUSER app\n", 0, NULL},
	{"SC-DF-002", "FROM debian:12\nUSER $FROM_BASE\n", 0, NULL},
	{"SC-DF-002", "FROM debian:12 AS base\nUSER app\nFROM base\nRUN make\n", 0, NULL},
	{"SC-DF-002", "FROM golang AS build\nUSER root\nFROM gcr.io/distroless/static:nonroot\n", 0, NULL},
	{"SC-DF-002", "FROM debian:12\nUSER app\nONBUILD USER root\n", 0, NULL},
	{"SC-DF-002", "FROM debian:12\nUSER root\n# shipcheck ignore=SC-DF-002 reason=\"init image\"\nUSER 0\n", 0, NULL},
	/* images that run as a non-root user by default */
	{"SC-DF-002", "FROM cgr.dev/chainguard/python:latest\nCOPY app /app\n", 0, NULL},
	{"SC-DF-002", "FROM cgr.dev/chainguard/python:latest-dev\nCOPY app /app\n", 1, NULL},
	{"SC-DF-002", "FROM bitnami/nginx:1.27\nCOPY app /app\n", 0, NULL},
	{"SC-DF-002", "FROM docker.io/bitnami/redis:7.4\n", 0, NULL},
	{"SC-DF-002", "FROM nginxinc/nginx-unprivileged:1.27-alpine\n", 0, NULL},
	{"SC-DF-002", "FROM mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled\n", 0, NULL},
	{"SC-DF-002", "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n", 1, NULL},
	/* ...but an explicit USER root still is root */
	{"SC-DF-002", "FROM bitnami/nginx:1.27\nUSER root\n", 1, NULL},
	/* scratch with no command holds files (docker build --output), it runs nothing */
	{"SC-DF-002", "FROM golang AS build\nRUN make\nFROM scratch AS binary\nCOPY --from=build /out .\n", 0, NULL},
	{"SC-DF-002", "FROM scratch\nCOPY docs /docs\nCMD [\"\"]\n", 0, NULL},
	{"SC-DF-002", "FROM scratch AS base\nCOPY app /app\nFROM base\nLABEL a=b\n", 0, NULL},
	/* ...but with one it runs, as root */
	{"SC-DF-002", "FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n", 1, NULL},
	{"SC-DF-002", "FROM scratch AS base\nCOPY app /app\nCMD [\"/app\"]\nFROM base\n", 1, NULL},
	{"SC-DF-002", "FROM scratch\nCOPY app /app\nCMD /app\n", 1, NULL},
	/* SC-DF-003 base-image-approved */
	{"SC-DF-003", "FROM registry.example/base/node:22.11\n", 0, POL_IMAGES},
	{"SC-DF-003", "FROM debian:12\n", 0, POL_IMAGES},
	{"SC-DF-003", "FROM postgres:16.4\n", 0, POL_IMAGES},
	{"SC-DF-003", "FROM evil.example/node:22\n", 1, POL_IMAGES},
	{"SC-DF-003", "FROM ubuntu:24.04\n", 1, POL_IMAGES},
	{"SC-DF-003", "ARG IMG=evil.example/x:1\nFROM $IMG\n", 1, POL_IMAGES},
	{"SC-DF-003", "ARG IMG\nFROM $IMG\n", 1, POL_IMAGES},
	{"SC-DF-003", "FROM scratch\nFROM debian:12 AS a\nFROM a\n", 0, POL_IMAGES},
	{"SC-DF-003", "FROM debian:12\nCOPY --from=evil.example/tools:1 /x /x\n", 1, POL_IMAGES},
	{"SC-DF-003", "FROM ubuntu:24.04\n", 0, NULL},
	/* SC-DF-004 base-image-current */
	{"SC-DF-004", "FROM registry.example/base/node:22.11\n", 0, POL_IMAGES},
	{"SC-DF-004", "FROM registry.example/base/node:20.1\n", 1, POL_IMAGES},
	{"SC-DF-004", "FROM debian:12\n", 1, POL_IMAGES},
	{"SC-DF-004", "FROM debian@sha256:0000000000000000000000000000000000000000000000000000000000000001\n", 0, POL_IMAGES},
	{"SC-DF-004", "FROM registry.example/base/python:3\n", 0, POL_IMAGES},
	/* SC-DF-005 os-package-pinning */
	{"SC-DF-005", "FROM debian\nRUN apt-get install -y curl=7.88.1-10 git\n", 1, NULL},
	{"SC-DF-005", "FROM debian\nRUN apt-get install -y curl git\n", 0, NULL},
	{"SC-DF-005", "FROM alpine\nRUN apk add --no-cache curl=8.5.0-r0\n", 1, NULL},
	{"SC-DF-005", "FROM alpine\nRUN apk add --no-cache curl~8.5\n", 1, NULL},
	{"SC-DF-005", "FROM fedora\nRUN dnf install -y nodejs-16.13.0 java-11-openjdk\n", 1, NULL},
	{"SC-DF-005", "FROM fedora\nRUN yum install -y java-11-openjdk gcc-c++ python3-pip\n", 0, NULL},
	{"SC-DF-005", "FROM suse\nRUN zypper -n in curl=8.0\n", 1, NULL},
	{"SC-DF-005", "FROM debian\nENV V=1.2\nRUN apt-get install -y \"postgresql-16=$V\"\n", 1, NULL},
	{"SC-DF-005", "FROM debian\nRUN pip install flask==3.0\n", 0, NULL},
	{"SC-DF-005", "FROM debian\nONBUILD RUN apt-get install -y curl=1\n", 1, NULL},
	{"SC-DF-005", "FROM debian\nRUN apt-get install -y curl=7.88 git\n", 0,
	 "dockerfile:\n  pinned_packages:\n    - package: curl\n      reason: a regression in 7.89 breaks our proxy\n"},
	{"SC-DF-005", "FROM debian\nRUN apt-get install -y curl=7.88\n", 0, "dockerfile:\n  package_pinning: \"off\"\n"},
	{"SC-DF-005", "FROM debian\nRUN apt-get install -y curl=7.88 git\n", 1, "dockerfile:\n  package_pinning: require\n"},
	{"SC-DF-005", "FROM debian\nRUN apt-get install -y curl=7.88\n", 0, "dockerfile:\n  package_pinning: require\n"},
	/* SC-DF-006 inline-ignore-reason */
	{"SC-DF-006", "FROM debian\n# shipcheck ignore=SC-DF-002\nUSER root\n", 1, NULL},
	{"SC-DF-006", "FROM debian\n# shipcheck ignore=SC-DF-002 reason=\"x\"\nUSER root\n", 0, NULL},
	{"SC-DF-006", "FROM debian\n# shipcheck ignore=NOPE-1 reason=\"x\"\nUSER app\n", 1, NULL},
	{"SC-DF-002", "FROM debian\n# shipcheck ignore=SC-DF-002\nUSER root\n", 1, NULL},
	{"SC-DF-002", "FROM debian\n# shipcheck ignore=DL3002 reason=\"peer id\"\nUSER root\n", 0, NULL},
	/* SC-DF-007 secret-in-arg-env */
	{"SC-DF-007", "FROM a\nARG NPM_TOKEN\nUSER app\n", 1, NULL},
	{"SC-DF-007", "FROM a\nENV DB_PASSWORD=hunter2 AWS_SECRET_ACCESS_KEY=abc\n", 2, NULL},
	{"SC-DF-007", "FROM a\nENV PASSWORD_FILE=/run/secrets/db TOKEN_URL=https://x\n", 0, NULL},
	{"SC-DF-007", "FROM a\nENV GPG_KEY 0D96DF4D4110E5C43FBFB17F2D347EA6AA65421D\n", 0, NULL},
	{"SC-DF-007", "FROM a\nONBUILD ARG GITHUB_TOKEN\n", 1, NULL},
	/* SC-DF-008 run-sudo */
	{"SC-DF-008", "FROM a\nRUN sudo apt-get update\n", 1, NULL},
	{"SC-DF-008", "FROM a\nRUN apt-get install -y sudo\n", 0, NULL},
	{"SC-DF-008", "FROM a\nONBUILD RUN make && sudo make install\n", 1, NULL},
	/* SC-DF-009 add-instead-of-copy */
	{"SC-DF-009", "FROM a\nADD app.py /app/\n", 1, NULL},
	{"SC-DF-009", "FROM a\nADD rootfs.tar.gz /\n", 0, NULL},
	{"SC-DF-009", "FROM a\nADD https://x/y.txt /y\n", 0, NULL},
	{"SC-DF-009", "FROM a\nADD --checksum=sha256:00 file /y\n", 0, NULL},
	{"SC-DF-009", "FROM a\nCOPY app.py /app/\n", 0, NULL},
	{"SC-DF-009", "FROM a\nONBUILD ADD . /app/\n", 1, NULL},
	/* SC-DF-010 curl-pipe-shell */
	{"SC-DF-010", "FROM a\nRUN curl -fsSL https://x/install.sh | bash\n", 1, NULL},
	{"SC-DF-010", "FROM a\nRUN wget -qO- https://x | sudo sh -s -- -y\n", 1, NULL},
	{"SC-DF-010", "FROM a\nRUN sh -c \"$(curl -fsSL https://x)\"\n", 1, NULL},
	{"SC-DF-010", "FROM a\nRUN curl -fsSL https://x/a.tgz | tar xz\n", 0, NULL},
	{"SC-DF-010", "FROM a\nRUN curl -o i.sh https://x && echo 'abc  i.sh' | sha256sum -c - && sh i.sh\n", 0, NULL},
	/* SC-DF-011 package-install-no-yes */
	{"SC-DF-011", "FROM a\nRUN apt-get update && apt-get install curl\n", 1, NULL},
	{"SC-DF-011", "FROM a\nRUN apt-get install -qq curl && apt-get -y install git\n", 0, NULL},
	{"SC-DF-011", "FROM a\nRUN yum install httpd\n", 1, NULL},
	{"SC-DF-011", "FROM a\nRUN zypper --non-interactive install curl\n", 0, NULL},
	{"SC-DF-011", "FROM a\nRUN apk add curl\n", 0, NULL},
	{"SC-DF-011", "FROM a\nONBUILD RUN apt-get install curl\n", 1, NULL},
	/* SC-DF-012 apt-no-install-recommends */
	{"SC-DF-012", "FROM a\nRUN apt-get install -y curl\n", 1, NULL},
	{"SC-DF-012", "FROM a\nRUN apt-get install -y --no-install-recommends curl\n", 0, NULL},
	{"SC-DF-012", "FROM a\nRUN apt-get -o APT::Install-Recommends=false install -y curl\n", 0, NULL},
	/* SC-DF-013 apk-no-cache */
	{"SC-DF-013", "FROM a\nRUN apk add curl\n", 1, NULL},
	{"SC-DF-013", "FROM a\nRUN apk add --no-cache curl\n", 0, NULL},
	{"SC-DF-013", "FROM a\nRUN apk add curl && rm -rf /var/cache/apk/*\n", 0, NULL},
	{"SC-DF-013", "FROM a\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n", 0, NULL},
	/* SC-DF-014 package-cache-not-cleaned */
	{"SC-DF-014", "FROM a\nRUN apt-get update && apt-get install -y curl\n", 1, NULL},
	{"SC-DF-014", "FROM a\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n", 0, NULL},
	{"SC-DF-014", "FROM a AS build\nRUN apt-get update && apt-get install -y gcc\nFROM b\nCOPY --from=build /x /x\n", 0, NULL},
	{"SC-DF-014", "FROM a\nRUN yum install -y httpd\n", 1, NULL},
	{"SC-DF-014", "FROM a\nRUN apt-get update; apt-get install -y x; apt-get dist-clean\n", 0, NULL},
	{"SC-DF-014", "FROM a\nRUN yum install -y httpd && yum clean all\n", 0, NULL},
	{"SC-DF-014", "FROM a\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y x\n", 0, NULL},
	/* SC-DF-015 use-apt-get */
	{"SC-DF-015", "FROM a\nRUN apt install -y curl\n", 1, NULL},
	{"SC-DF-015", "FROM a\nRUN apt-get install -y curl\n", 0, NULL},
	/* SC-DF-016 update-without-install */
	{"SC-DF-016", "FROM a\nRUN apt-get update\nRUN apt-get install -y curl\n", 1, NULL},
	{"SC-DF-016", "FROM a\nRUN apt-get update && apt-get install -y curl\n", 0, NULL},
	{"SC-DF-016", "FROM a\nRUN apk update\n", 1, NULL},
	{"SC-DF-016", "FROM a\nRUN apt-get update && bash /tmp/setup.sh && rm -rf /var/lib/apt/lists/*\n", 0, NULL},
	{"SC-DF-016", "FROM a\nRUN apt-get update; xargs -rt < deps.txt apt-get install -y\n", 0, NULL},
	/* SC-DF-017 run-cd */
	{"SC-DF-017", "FROM a\nRUN cd /app && make\n", 1, NULL},
	{"SC-DF-017", "FROM a\nRUN make && cd /\n", 1, NULL},
	{"SC-DF-017", "FROM a\nRUN tar xf x.tgz && cd x && ./configure && make install\n", 0, NULL},
	{"SC-DF-017", "FROM a\nWORKDIR /app\nRUN make\n", 0, NULL},
	/* SC-DF-018 workdir-relative */
	{"SC-DF-018", "FROM a\nWORKDIR app\n", 1, NULL},
	{"SC-DF-018", "FROM a\nWORKDIR /app\n", 0, NULL},
	{"SC-DF-018", "FROM a\nENV D=/srv\nWORKDIR $D/app\n", 0, NULL},
	{"SC-DF-018", "FROM a\nWORKDIR $FROM_BASE\n", 0, NULL},
	/* SC-DF-019 system-path-workdir-volume */
	{"SC-DF-019", "FROM a\nWORKDIR /usr/bin\n", 1, NULL},
	{"SC-DF-019", "FROM a\nVOLUME [\"/etc\"]\n", 1, NULL},
	{"SC-DF-019", "FROM a\nVOLUME /var/lib/postgresql/data\nWORKDIR /app\n", 0, NULL},
	/* SC-DF-020 maintainer-deprecated */
	{"SC-DF-020", "FROM a\nMAINTAINER me <me@example.invalid>\n", 1, NULL},
	{"SC-DF-020", "FROM a\nLABEL org.opencontainers.image.authors=me\n", 0, NULL},
	/* SC-DF-021 / SC-DF-022 expose */
	{"SC-DF-021", "FROM a\nEXPOSE 80 22/tcp\n", 1, NULL},
	{"SC-DF-021", "FROM a\nEXPOSE 2222\n", 0, NULL},
	{"SC-DF-022", "FROM a\nEXPOSE 70000\n", 1, NULL},
	{"SC-DF-022", "FROM a\nEXPOSE 80/http\n", 1, NULL},
	{"SC-DF-022", "FROM a\nEXPOSE 8000-7000\n", 1, NULL},
	{"SC-DF-022", "FROM a\nEXPOSE 80 443/tcp 53/udp 8000-8010\n", 0, NULL},
	{"SC-DF-022", "FROM a\nEXPOSE $PORT\n", 0, NULL},
	/* SC-DF-023 duplicate-cmd-entrypoint-healthcheck */
	{"SC-DF-023", "FROM a\nCMD [\"a\"]\nCMD [\"b\"]\n", 1, NULL},
	{"SC-DF-023", "FROM a\nCMD [\"a\"]\nFROM b\nCMD [\"b\"]\n", 0, NULL},
	{"SC-DF-023", "FROM a\nHEALTHCHECK CMD x\nHEALTHCHECK NONE\nENTRYPOINT [\"a\"]\n", 1, NULL},
	{"SC-DF-023", "FROM a\nCMD [\"a\"]\nONBUILD CMD [\"b\"]\n", 0, NULL},
	/* SC-DF-024 cmd-shell-form */
	{"SC-DF-024", "FROM a\nCMD node server.js\n", 1, NULL},
	{"SC-DF-024", "FROM a\nENTRYPOINT /entry.sh\n", 1, NULL},
	{"SC-DF-024", "FROM a\nCMD [\"node\", \"server.js\"]\n", 0, NULL},
	{"SC-DF-024", "FROM a\nCMD exec node server.js\n", 0, NULL},
	{"SC-DF-024", "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ping localhost\n", 0, NULL},
	/* SC-DF-025 copy-multiple-sources-dest */
	{"SC-DF-025", "FROM a\nCOPY a b /app\n", 1, NULL},
	{"SC-DF-025", "FROM a\nCOPY a b /app/\n", 0, NULL},
	{"SC-DF-025", "FROM a\nCOPY [\"a\", \"b\", \"/app\"]\n", 1, NULL},
	{"SC-DF-025", "FROM a\nCOPY package.json package-lock.json ./\n", 0, NULL},
	/* SC-DF-026 copy-from-stage */
	{"SC-DF-026", "FROM a AS build\nCOPY --from=build /x /x\n", 1, NULL},
	{"SC-DF-026", "FROM a AS build\nFROM b\nCOPY --from=build /x /x\n", 0, NULL},
	{"SC-DF-026", "FROM a AS build\nFROM b\nCOPY --from=0 /x /x\n", 0, NULL},
	{"SC-DF-026", "FROM a\nCOPY --from=1 /x /x\nFROM b AS later\n", 1, NULL},
	{"SC-DF-026", "FROM a\nCOPY --from=later /x /x\nFROM b AS later\n", 1, NULL},
	{"SC-DF-026", "FROM a AS build\nFROM b\nCOPY --from=biuld /x /x\n", 1, NULL},
	{"SC-DF-026", "FROM b\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n", 0, NULL},
	/* SC-DF-027 duplicate-stage-name */
	{"SC-DF-027", "FROM a AS x\nFROM b AS X\n", 1, NULL},
	{"SC-DF-027", "FROM a AS x\nFROM b AS y\n", 0, NULL},
	{"SC-DF-027", "FROM a AS x\nFROM b AS X\nFROM c AS x\nFROM d AS y\n", 2, NULL},
	{"SC-DF-026", "FROM a AS build\nFROM b\nCOPY --from=BUILD /x /x\n", 0, NULL},
	/* a stage name longer than the lookup's stack buffer */
	{"SC-DF-026", "FROM a AS ssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss\nFROM b\nCOPY --from=SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS /x /x\n", 0, NULL},
	/* SC-DF-028 pipe-without-pipefail */
	{"SC-DF-028", "FROM a\nRUN curl -fsSL https://x/a.tgz | tar xz\n", 1, NULL},
	{"SC-DF-028", "FROM a\nRUN set -eux -o pipefail; curl https://x | tar xz\n", 0, NULL},
	{"SC-DF-028", "FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl https://x | tar xz\n", 0, NULL},
	{"SC-DF-028", "FROM a\nRUN yes | sdkmanager --licenses\n", 0, NULL},
	{"SC-DF-028", "FROM a\nONBUILD RUN wget -O- x | tar x\n", 1, NULL},
	/* SC-DF-029 useradd-no-log-init */
	{"SC-DF-029", "FROM a\nRUN useradd -u 123456789 app\n", 1, NULL},
	{"SC-DF-029", "FROM a\nRUN useradd -l -u 123456789 app\n", 0, NULL},
	{"SC-DF-029", "FROM a\nRUN useradd -u 10001 app\n", 0, NULL},
	/* SC-DF-030 base-image-latest */
	{"SC-DF-030", "FROM debian\n", 1, NULL},
	{"SC-DF-030", "FROM debian:latest\n", 1, NULL},
	{"SC-DF-030", "FROM debian:12\n", 0, NULL},
	{"SC-DF-030", "FROM debian@sha256:0000000000000000000000000000000000000000000000000000000000000001\n", 0, NULL},
	{"SC-DF-030", "FROM localhost:5000/app\n", 1, NULL},
	{"SC-DF-030", "FROM scratch\n", 0, NULL},
	{"SC-DF-030", "ARG TAG=3.20\nFROM alpine:${TAG}\n", 0, NULL},
};

static struct sc_result *lint(const char *dir, const char *dockerfile, const char *policy)
{
	char *path = sc_path_join(dir, "Dockerfile");
	tu_write(dir, "Dockerfile", dockerfile);
	char *pol = NULL;
	if (policy) {
		tu_write(dir, "policy.yml", policy);
		pol = sc_path_join(dir, "policy.yml");
	}
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	const char *files[] = {path, NULL};
	const char *only[] = {"dockerfile", NULL};
	o.files = files;
	o.only_checks = only;
	o.config_path = pol;
	struct sc_result *r = NULL;
	struct sc_error err = {0};
	if (sc_scan_run(&o, &r, &err) != SC_OK)
		fail_msg("scan failed: %s:%u:%u: %s", err.file ? err.file : "", err.line, err.col, err.msg);
	free(path);
	free(pol);
	return r;
}

static size_t count(const struct sc_result *r, const char *id, bool suppressed)
{
	size_t n = 0;
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (!strcmp(f->rule->id, id) && f->suppressed == suppressed)
			n++;
	}
	return n;
}

static void test_rule_table(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	size_t bad = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sc_result *r = lint(dir, cases[i].dockerfile, cases[i].policy);
		size_t got = count(r, cases[i].rule, false);
		if (got != cases[i].want) {
			print_error("case %zu %s: %zu findings, want %zu, for:\n%s\n", i, cases[i].rule, got,
				    cases[i].want, cases[i].dockerfile);
			bad++;
		}
		/* every finding has a location, message, remediation and fingerprint */
		for (size_t k = 0; k < r->findings.len; k++) {
			const struct sc_finding *f = r->findings.items[k];
			assert_non_null(f->loc.path);
			assert_non_null(f->message);
			assert_non_null(f->remediation);
			assert_int_equal(strlen(f->fingerprint), 32);
		}
		sc_result_free(r);
	}
	tu_rmtree(dir);
	free(dir);
	if (bad)
		fail_msg("%zu rule cases failed", bad);
}

static void test_every_rule_has_cases_and_docs(void **state)
{
	(void)state;
	const struct sc_check *c = sc_check_find("dockerfile");
	assert_non_null(c);
	for (size_t i = 0; i < c->rule_count(); i++) {
		const struct sc_rule *r = c->rule_at(i);
		bool catching = false, quiet = false;
		for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
			if (strcmp(cases[k].rule, r->id))
				continue;
			catching |= cases[k].want > 0;
			quiet |= cases[k].want == 0;
		}
		if (strcmp(r->id, "SC-DF-001") && (!catching || !quiet))
			fail_msg("%s lacks a catching or a non-catching case", r->id);
		assert_non_null(r->equivalents);
		char *rel = sc_xasprintf("docs/rules/%s.md", r->id);
		char *path = tu_source(rel);
		char *doc = tu_read(path);
		if (!doc)
			fail_msg("%s: no docs page %s", r->id, rel);
		static const char *const sections[] = {"## Why", "## Bad", "## Good", "## How to fix", "## How to allowlist", NULL};
		for (size_t s = 0; sections[s]; s++)
			if (!strstr(doc, sections[s]))
				fail_msg("%s: docs page lacks `%s`", r->id, sections[s]);
		for (size_t e = 0; r->equivalents[e]; e++)
			if (!strstr(doc, r->equivalents[e]))
				fail_msg("%s: docs page does not mention peer id %s", r->id, r->equivalents[e]);
		free(doc);
		free(path);
		free(rel);
	}
}

static void test_inline_and_policy_suppression(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	struct sc_result *r = lint(dir, "FROM debian:12\n# shipcheck ignore=DL3002,SC-DF-020 reason=\"init container\"\nUSER root\nMAINTAINER x\n", NULL);
	assert_int_equal(count(r, "SC-DF-002", true), 1);
	assert_int_equal(count(r, "SC-DF-020", false), 1); /* the pragma covers the next instruction only */
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (!strcmp(f->rule->id, "SC-DF-002")) {
			assert_string_equal(f->suppression_reason, "init container");
			assert_string_equal(f->suppression_source, "inline");
		}
	}
	sc_result_free(r);

	/* .shipcheck.yml entries may name a rule by its hadolint id */
	r = lint(dir, "FROM debian:12\nUSER app\nRUN apt-get install -y curl=1.0\n",
		 "ignore:\n  - rule: DL3008\n    reason: migrated from .hadolint.yaml\n");
	assert_int_equal(count(r, "SC-DF-005", true), 1);
	assert_int_equal(count(r, "SC-POL-001", false), 0);
	sc_result_free(r);

	/* the fingerprint survives moving the instruction */
	r = lint(dir, "FROM debian:12\nUSER root\n", NULL);
	char fp[33] = "";
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (!strcmp(f->rule->id, "SC-DF-002"))
			memcpy(fp, f->fingerprint, 33);
	}
	assert_int_equal(strlen(fp), 32);
	sc_result_free(r);
	r = lint(dir, "# moved\n\nFROM debian:12\nENV A=1\nUSER root\n", NULL);
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (!strcmp(f->rule->id, "SC-DF-002")) {
			assert_string_equal(f->fingerprint, fp);
			assert_int_equal(f->loc.line, 5);
		}
	}
	sc_result_free(r);

	/* an unparsable Dockerfile named by the user is an error with its line and column ... */
	tu_write(dir, "Dockerfile", "FROM a\nFOO bar\n");
	char *dpath = sc_path_join(dir, "Dockerfile");
	const char *files[] = {dpath, NULL};
	const char *only[] = {"dockerfile", NULL};
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.files = files;
	o.only_checks = only;
	struct sc_error err = {0};
	r = NULL;
	assert_int_equal(sc_scan_run(&o, &r, &err), SC_EINPUT);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 1);
	assert_non_null(strstr(err.msg, "unknown instruction"));
	sc_error_clear(&err);
	free(dpath);
	/* ... and a warning with its line in a repository scan, which goes on */
	sc_scan_options_init(&o);
	o.repo_dir = dir;
	o.only_checks = only;
	assert_int_equal(sc_scan_run(&o, &r, &err), SC_OK);
	assert_int_equal(r->warnings.len, 1);
	const struct sc_warning *w = r->warnings.items[0];
	assert_int_equal(w->line, 2);
	assert_non_null(strstr(w->message, "unknown instruction"));
	sc_result_free(r);
	tu_rmtree(dir);
	free(dir);
}

/* With the built image scanned too, its config's User decides for a Dockerfile without USER. */
static void test_image_user_authoritative(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "Dockerfile", "FROM node:22\nCMD [\"node\"]\n");
	char *path = sc_path_join(dir, "Dockerfile");
	const char *files[] = {path, NULL};
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.files = files;
	struct sc_image_config cfg = {.user = "node"};
	for (int with_image = 0; with_image < 2; with_image++) {
		struct sc_result *r = sc_result_new();
		struct sc_scan_ctx ctx = {.opts = &o, .result = r, .image_config = with_image ? &cfg : NULL};
		struct sc_error err = {0};
		assert_int_equal(sc_check_find("dockerfile")->run(&ctx, &err), SC_OK);
		assert_int_equal(count(r, "SC-DF-002", false), with_image ? 0 : 1);
		sc_result_free(r);
	}
	/* an explicit USER root is reported either way */
	tu_write(dir, "Dockerfile", "FROM node:22\nUSER root\n");
	struct sc_result *r = sc_result_new();
	struct sc_scan_ctx ctx = {.opts = &o, .result = r, .image_config = &cfg};
	struct sc_error err = {0};
	assert_int_equal(sc_check_find("dockerfile")->run(&ctx, &err), SC_OK);
	assert_int_equal(count(r, "SC-DF-002", false), 1);
	sc_result_free(r);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_policy_validation(void **state)
{
	(void)state;
	static const struct {
		const char *yaml;
		unsigned line, col;
		const char *msg;
	} bad[] = {
		{"dockerfile:\n  nope: 1\n", 2, 3, "unknown key `dockerfile.nope`"},
		{"dockerfile:\n  package_pinning: maybe\n", 2, 20, "forbid, require or off"},
		{"dockerfile:\n  pinned_packages:\n    - package: curl\n", 3, 7, "no `reason`"},
		{"dockerfile:\n  base_images:\n    public:\n      - image: x\n        why: y\n", 5, 9, "unknown key `why`"},
		{"dockerfile:\n  base_images:\n    current:\n      - image: debian:12\n        tag: x\n", 4, 16, "without tag"},
		{"dockerfile:\n  base_images:\n    current:\n      - image: debian\n", 4, 9, "`tag` or `digest`"},
		{"dockerfile:\n  base_images:\n    allowed: x\n", 3, 14, "list of strings"},
		{"dockerfile: [1]\n", 1, 13, "must be a mapping"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sc_policy *p = NULL;
		struct sc_error err = {0};
		assert_int_equal(sc_policy_parse("p.yml", bad[i].yaml, strlen(bad[i].yaml), &p, &err), SC_EINPUT);
		if (err.line != bad[i].line || err.col != bad[i].col || !strstr(err.msg, bad[i].msg))
			fail_msg("case %zu: got %u:%u: %s", i, err.line, err.col, err.msg);
		sc_error_clear(&err);
	}
	struct sc_policy *p = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_policy_parse("p.yml", POL_IMAGES, strlen(POL_IMAGES), &p, &err), SC_OK);
	sc_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_table),
		cmocka_unit_test(test_every_rule_has_cases_and_docs),
		cmocka_unit_test(test_inline_and_policy_suppression),
		cmocka_unit_test(test_image_user_authoritative),
		cmocka_unit_test(test_policy_validation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
