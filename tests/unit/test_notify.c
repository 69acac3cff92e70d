/* test_notify.c - --notify against a real HTTP listener on 127.0.0.1 written for the test: Sensu Go
 * agent events, JSON webhooks, retries on 5xx, no retry on 4xx, refused connections and timeouts. */
#include "testutil.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shipcheck/sc_notify.h"
#include "shipcheck/sc_scan.h"

struct server {
	pid_t pid;
	int port;
	char *dir; /* request bodies are written to dir/req-N */
};

/* Serves one request per status in `statuses` ("500,200"); status 0 = accept and never answer. */
static void serve(int lfd, const char *dir, const char *statuses)
{
	char *list = sc_xstrdup(statuses);
	int n = 0;
	for (char *s = list; s && *s; n++) {
		char *comma = strchr(s, ',');
		if (comma)
			*comma = '\0';
		int code = (int)strtol(s, NULL, 10);
		s = comma ? comma + 1 : NULL;
		int c = accept(lfd, NULL, NULL);
		if (c < 0)
			break;
		char buf[65536];
		size_t len = 0;
		ssize_t r;
		size_t need = 0;
		char *body = NULL;
		while (len < sizeof(buf) - 1 && (r = read(c, buf + len, sizeof(buf) - 1 - len)) > 0) {
			len += (size_t)r;
			buf[len] = '\0';
			char *hend = strstr(buf, "\r\n\r\n");
			if (hend && !body) {
				body = hend + 4;
				char *cl = strcasestr(buf, "Content-Length:");
				need = cl ? (size_t)strtoul(cl + 15, NULL, 10) : 0;
			}
			if (body && (size_t)(buf + len - body) >= need)
				break;
		}
		char path[512];
		snprintf(path, sizeof(path), "%s/req-%d", dir, n);
		FILE *f = fopen(path, "w");
		if (f) {
			fwrite(buf, 1, len, f);
			fclose(f);
		}
		if (code == 0) {
			sleep(5);
			close(c);
			continue;
		}
		char resp[256];
		int k = snprintf(resp, sizeof(resp), "HTTP/1.1 %d X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", code);
		if (write(c, resp, (size_t)k) < 0)
			break;
		close(c);
	}
	free(list);
}

static struct server start(const char *statuses)
{
	struct server s = {0};
	s.dir = tu_mkdtemp();
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	socklen_t al = sizeof(a);
	getsockname(lfd, (struct sockaddr *)&a, &al);
	s.port = ntohs(a.sin_port);
	assert_int_equal(listen(lfd, 8), 0);
	s.pid = fork();
	if (s.pid == 0) {
		serve(lfd, s.dir, statuses);
		_exit(0);
	}
	close(lfd);
	return s;
}

static int stop(struct server *s)
{
	kill(s->pid, SIGTERM);
	waitpid(s->pid, NULL, 0);
	int n = 0;
	for (;; n++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/req-%d", s->dir, n);
		if (access(path, F_OK) != 0)
			break;
	}
	return n;
}

static json_t *body_of(struct server *s, int n)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/req-%d", s->dir, n);
	char *req = tu_read(path);
	assert_non_null(req);
	char *body = strstr(req, "\r\n\r\n");
	assert_non_null(body);
	json_error_t je;
	json_t *j = json_loads(body + 4, 0, &je);
	if (!j)
		fail_msg("body is not JSON: %s", je.text);
	free(req);
	return j;
}

static struct sc_result *result(bool failed)
{
	struct sc_result *r = sc_result_new();
	r->target_kind = "repo";
	r->target_path = "svc";
	r->service = "payments";
	r->commit = "abc123";
	r->runbook = "https://runbook.example.invalid";
	sc_ptrvec_push(&r->checks_run, (void *)"dockerfile");
	if (failed) {
		struct sc_finding *f = sc_result_add_finding(r, sc_rule_find("SC-DF-001"));
		f->loc.path = "Dockerfile";
		f->message = "no .dockerignore";
		sc_finding_set_fingerprint(f, "Dockerfile", "");
	}
	sc_result_finish(r);
	return r;
}

static void test_sensu(void **state)
{
	(void)state;
	struct server s = start("200");
	char url[128];
	snprintf(url, sizeof(url), "sensu+http://127.0.0.1:%d/events", s.port);
	struct sc_result *r = result(true);
	struct sc_error err = {0};
	assert_int_equal(sc_notify_send(url, r, &err), SC_OK);
	assert_int_equal(stop(&s), 1);
	json_t *j = body_of(&s, 0);
	json_t *check = json_object_get(j, "check");
	assert_string_equal(json_string_value(json_object_get(json_object_get(check, "metadata"), "name")),
			    "payments.security_check");
	assert_int_equal(json_integer_value(json_object_get(check, "status")), 2);
	assert_non_null(strstr(json_string_value(json_object_get(check, "output")), "FAILED"));
	assert_non_null(strstr(json_string_value(json_object_get(check, "output")), "runbook.example.invalid"));
	json_decref(j);
	sc_result_free(r);
	tu_rmtree(s.dir);
	free(s.dir);

	s = start("200");
	snprintf(url, sizeof(url), "sensu+http://127.0.0.1:%d/events", s.port);
	r = result(false);
	assert_int_equal(sc_notify_send(url, r, &err), SC_OK);
	stop(&s);
	j = body_of(&s, 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "check"), "status")), 0);
	json_decref(j);
	sc_result_free(r);
	tu_rmtree(s.dir);
	free(s.dir);
}

static void test_webhook_retry(void **state)
{
	(void)state;
	setenv("SHIPCHECK_NOTIFY_BACKOFF_MS", "10", 1);
	struct server s = start("500,503,200");
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", s.port);
	struct sc_result *r = result(true);
	struct sc_error err = {0};
	assert_int_equal(sc_notify_send(url, r, &err), SC_OK);
	assert_int_equal(stop(&s), 3);
	json_t *j = body_of(&s, 2);
	assert_non_null(strstr(json_string_value(json_object_get(j, "text")), "FAILED for payments at abc123"));
	assert_true(json_is_true(json_object_get(j, "failed")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(j, "summary"), "by_severity"), "HIGH")), 1);
	json_decref(j);
	tu_rmtree(s.dir);
	free(s.dir);

	/* a client error is final: one request, an error */
	s = start("404,200");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", s.port);
	assert_int_equal(sc_notify_send(url, r, &err), SC_EIO);
	assert_non_null(strstr(err.msg, "HTTP 404"));
	sc_error_clear(&err);
	assert_int_equal(stop(&s), 1);
	tu_rmtree(s.dir);
	free(s.dir);

	/* three 500s: gives up */
	s = start("500,500,500");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", s.port);
	assert_int_equal(sc_notify_send(url, r, &err), SC_EIO);
	assert_non_null(strstr(err.msg, "attempt 3 of 3"));
	sc_error_clear(&err);
	assert_int_equal(stop(&s), 3);
	tu_rmtree(s.dir);
	free(s.dir);
	sc_result_free(r);
}

static void test_unreachable(void **state)
{
	(void)state;
	setenv("SHIPCHECK_NOTIFY_BACKOFF_MS", "10", 1);
	setenv("SHIPCHECK_NOTIFY_TIMEOUT", "1", 1);
	struct sc_result *r = result(true);
	struct sc_error err = {0};
	/* a port nobody listens on */
	struct server s = start("");
	int port = s.port;
	stop(&s);
	tu_rmtree(s.dir);
	free(s.dir);
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", port);
	assert_int_equal(sc_notify_send(url, r, &err), SC_EIO);
	sc_error_clear(&err);
	/* a listener that never answers: times out */
	s = start("0,0,0");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", s.port);
	assert_int_equal(sc_notify_send(url, r, &err), SC_EIO);
	assert_non_null(strstr(err.msg, "attempt 3 of 3"));
	sc_error_clear(&err);
	stop(&s);
	tu_rmtree(s.dir);
	free(s.dir);
	/* unsupported scheme */
	assert_int_equal(sc_notify_send("ftp://127.0.0.1/x", r, &err), SC_EINPUT);
	sc_error_clear(&err);
	sc_result_free(r);
	unsetenv("SHIPCHECK_NOTIFY_TIMEOUT");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sensu),
		cmocka_unit_test(test_webhook_retry),
		cmocka_unit_test(test_unreachable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
