/* sc_notify.h - one alert event per run to the owners' alerting (Sensu Go agent, JSON webhook). */
#ifndef SHIPCHECK_SC_NOTIFY_H
#define SHIPCHECK_SC_NOTIFY_H

#include "sc_finding.h"

#ifdef __cplusplus
extern "C" {
#endif

/* url: "sensu+http://HOST:PORT/events" (Sensu Go agent API: check `<service>.security_check`,
 * status 0 when passed, 2 when failed, the text summary as output) or "http(s)://..." (a JSON
 * webhook with a Slack-compatible `text` field plus the summary). Times out and retries with
 * back-off on connection errors and 5xx answers. */
enum sc_status sc_notify_send(const char *url, const struct sc_result *r, struct sc_error *err);

#ifdef __cplusplus
}
#endif
#endif
