/* notify.c - sends one event per run: a Sensu Go agent event or a generic JSON webhook (libcurl). */
#include "sc_curl.h"
#include "../report/report_impl.h"
#include "shipcheck/sc_notify.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static size_t discard(char *p, size_t s, size_t n, void *u)
{
	(void)p;
	(void)u;
	return s * n;
}

static char *text_summary(const struct sc_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return sc_xstrdup("shipcheck: cannot render summary");
	struct sc_report_options o = {.quiet = true, .runbook = r->runbook};
	struct sc_error err = {0};
	sc_reporter_find("text")->write(r, &o, mem, &err);
	sc_error_clear(&err);
	fclose(mem);
	return buf;
}

static long retry_delay_ms(int attempt)
{
	const char *e = getenv("SHIPCHECK_NOTIFY_BACKOFF_MS");
	long base = e ? strtol(e, NULL, 10) : 500;
	return base << attempt;
}

static enum sc_status post(const char *url, const char *body, struct sc_error *err)
{
	CURL *c = curl_easy_init();
	if (!c)
		return sc_error_set(err, SC_EINTERNAL, NULL, 0, 0, "cannot initialise libcurl: %s", sc_curl_load_error());
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	long timeout = 10;
	const char *te = getenv("SHIPCHECK_NOTIFY_TIMEOUT");
	if (te && strtol(te, NULL, 10) > 0)
		timeout = strtol(te, NULL, 10);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "shipcheck");
	enum sc_status st = SC_OK;
	const int attempts = 3;
	for (int i = 0; i < attempts; i++) {
		CURLcode cc = curl_easy_perform(c);
		long code = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		if (cc == CURLE_OK && code >= 200 && code < 300) {
			st = SC_OK;
			sc_error_clear(err);
			break;
		}
		sc_error_clear(err);
		if (cc != CURLE_OK)
			st = sc_error_set(err, SC_EIO, url, 0, 0, "%s (attempt %d of %d)", curl_easy_strerror(cc), i + 1, attempts);
		else
			st = sc_error_set(err, SC_EIO, url, 0, 0, "HTTP %ld (attempt %d of %d)", code, i + 1, attempts);
		if (cc == CURLE_OK && code < 500 && code != 429)
			break; /* a client error will not go away by retrying */
		if (i + 1 < attempts) {
			long ms = retry_delay_ms(i);
			struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	return st;
}

enum sc_status sc_notify_send(const char *url, const struct sc_result *r, struct sc_error *err)
{
	char *summary = text_summary(r);
	const char *service = r->service ? r->service : "unknown-service";
	json_t *body = json_object();
	char *target;
	if (!strncmp(url, "sensu+", 6)) {
		target = sc_xstrdup(url + 6);
		json_t *check = json_object();
		json_t *meta = json_object();
		char *name = sc_xasprintf("%s.security_check", service);
		json_object_set_new(meta, "name", sc_json_str(name));
		free(name);
		json_object_set_new(check, "metadata", meta);
		json_object_set_new(check, "status", json_integer(r->failed ? 2 : 0));
		json_object_set_new(check, "output", sc_json_str(summary));
		json_object_set_new(check, "interval", json_integer(0));
		json_object_set_new(body, "check", check);
	} else if (!strncmp(url, "http://", 7) || !strncmp(url, "https://", 8)) {
		target = sc_xstrdup(url);
		char *text = sc_xasprintf("%s security check %s for %s%s%s\n%s", r->failed ? ":x:" : ":white_check_mark:",
					  r->failed ? "FAILED" : "passed", service, r->commit ? " at " : "",
					  r->commit ? r->commit : "", summary);
		json_object_set_new(body, "text", sc_json_str(text));
		free(text);
		json_object_set_new(body, "service", sc_json_str(service));
		if (r->commit)
			json_object_set_new(body, "commit", sc_json_str(r->commit));
		json_object_set_new(body, "failed", json_boolean(r->failed));
		json_object_set_new(body, "summary", sc_report_summary_json(r));
		if (r->runbook)
			json_object_set_new(body, "runbook", sc_json_str(r->runbook));
	} else {
		free(summary);
		json_decref(body);
		return sc_error_set(err, SC_EINPUT, url, 0, 0,
				    "unsupported notification URL (expected sensu+http://HOST:PORT/events or http(s)://...)");
	}
	char *payload = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	free(summary);
	enum sc_status st = post(target, payload, err);
	free(payload);
	free(target);
	return st;
}
