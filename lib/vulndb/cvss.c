/* cvss.c - CVSS v2, v3.0, v3.1 and v4.0 base scores from vector strings (FIRST's specifications),
 * and their qualitative severity ratings. v4.0 uses the specification's MacroVector lookup data in
 * cvss4_table.h. */
#include "shipcheck/sc_db.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cvss4_table.h"
#include "vulndb.h"

#define MAX_METRICS 32

enum { AV, AC, AT, PR, UI, VC, VI, VA, SC, SI, SA, E, CR, IR, AR, NV4 };

/* Writes the letters of a "K:V/K:V" max vector into mx (indexed by the metric enum). */
static void cvss4_apply(char *mx, const char *s)
{
	static const char *const names[] = {"AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA", "E", "CR", "IR", "AR"};
	while (s && *s) {
		const char *colon = strchr(s, ':');
		if (!colon)
			return;
		for (int i = 0; i < NV4; i++)
			if (strlen(names[i]) == (size_t)(colon - s) && !strncmp(names[i], s, (size_t)(colon - s)))
				mx[i] = colon[1];
		s = strchr(colon, '/');
		if (s)
			s++;
	}
}

struct metric {
	char key[8];
	char val[4];
};

/* Splits "K:V/K:V/..." into metrics; rejects empty parts, duplicate keys and long tokens. */
static int split_vector(const char *s, struct metric *m, int max)
{
	int n = 0;
	while (*s) {
		const char *slash = strchr(s, '/');
		size_t len = slash ? (size_t)(slash - s) : strlen(s);
		const char *colon = memchr(s, ':', len);
		if (!colon || colon == s || (size_t)(colon - s) >= sizeof(m->key) ||
		    len - (size_t)(colon - s) - 1 >= sizeof(m->val) || len - (size_t)(colon - s) - 1 == 0 || n >= max)
			return -1;
		memcpy(m[n].key, s, (size_t)(colon - s));
		m[n].key[colon - s] = '\0';
		memcpy(m[n].val, colon + 1, len - (size_t)(colon - s) - 1);
		m[n].val[len - (size_t)(colon - s) - 1] = '\0';
		for (int i = 0; i < n; i++)
			if (!strcmp(m[i].key, m[n].key))
				return -1;
		n++;
		if (!slash)
			break;
		s = slash + 1;
		if (!*s)
			return -1;
	}
	return n;
}

static const char *get(const struct metric *m, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(m[i].key, key))
			return m[i].val;
	return NULL;
}

/* Index of v in the '|'-free list of single-letter values, or -1. */
static int pick(const char *v, const char *allowed)
{
	if (!v || strlen(v) != 1)
		return -1;
	const char *p = strchr(allowed, v[0]);
	return p ? (int)(p - allowed) : -1;
}

/* Every metric present must be one of known[] with a value from its allowed letters. */
static bool all_known(const struct metric *m, int n, const char *const *known, const char *const *allowed)
{
	for (int i = 0; i < n; i++) {
		int k = -1;
		for (int j = 0; known[j]; j++)
			if (!strcmp(known[j], m[i].key))
				k = j;
		if (k < 0)
			return false;
		if (allowed[k] && pick(m[i].val, allowed[k]) < 0 && strcmp(m[i].val, "ND"))
			return false;
	}
	return true;
}

/* ---- v2 ---- */

static bool score_v2(const char *vec, double *out)
{
	struct metric m[MAX_METRICS];
	int n = split_vector(vec, m, MAX_METRICS);
	if (n < 6)
		return false;
	static const char *const known[] = {"AV", "AC", "Au", "C", "I", "A", "E", "RL", "RC", "CDP", "TD", "CR", "IR", "AR", NULL};
	static const char *const allowed[] = {"LAN", "HML", "MSN", "NPC", "NPC", "NPC", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
	if (!all_known(m, n, known, allowed))
		return false;
	static const double av[] = {0.395, 0.646, 1.0}, ac[] = {0.35, 0.61, 0.71}, au[] = {0.45, 0.56, 0.704},
			    cia[] = {0.0, 0.275, 0.660};
	int iav = pick(get(m, n, "AV"), "LAN"), iac = pick(get(m, n, "AC"), "HML"), iau = pick(get(m, n, "Au"), "MSN");
	int ic = pick(get(m, n, "C"), "NPC"), ii = pick(get(m, n, "I"), "NPC"), ia = pick(get(m, n, "A"), "NPC");
	if (iav < 0 || iac < 0 || iau < 0 || ic < 0 || ii < 0 || ia < 0)
		return false;
	double impact = 10.41 * (1 - (1 - cia[ic]) * (1 - cia[ii]) * (1 - cia[ia]));
	double expl = 20 * av[iav] * ac[iac] * au[iau];
	double f = impact == 0 ? 0 : 1.176;
	double base = ((0.6 * impact) + (0.4 * expl) - 1.5) * f;
	*out = round(base * 10.0) / 10.0;
	if (*out < 0)
		*out = 0;
	return true;
}

/* ---- v3.0 / v3.1 ---- */

static double roundup31(double x)
{
	long long i = llround(x * 100000.0);
	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (floor((double)i / 10000.0) + 1) / 10.0;
}

static double roundup30(double x)
{
	return ceil(x * 10.0) / 10.0;
}

static bool score_v3(const char *vec, int minor, double *out)
{
	struct metric m[MAX_METRICS];
	int n = split_vector(vec, m, MAX_METRICS);
	if (n < 8)
		return false;
	static const char *const known[] = {"AV", "AC", "PR", "UI", "S", "C", "I", "A", "E", "RL", "RC", "CR", "IR",
					    "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA", NULL};
	static const char *const allowed[] = {"NALP", "LH", "NLH", "NR", "UC", "HLN", "HLN", "HLN", "XUPFH", "XOTWU",
					      "XURC", "XHML", "XHML", "XHML", "XNALP", "XLH", "XNLH", "XNR", "XUC",
					      "XHLN", "XHLN", "XHLN"};
	if (!all_known(m, n, known, allowed))
		return false;
	static const double av[] = {0.85, 0.62, 0.55, 0.2}, ac[] = {0.77, 0.44}, ui[] = {0.85, 0.62},
			    cia[] = {0.56, 0.22, 0.0};
	int iav = pick(get(m, n, "AV"), "NALP"), iac = pick(get(m, n, "AC"), "LH"), ipr = pick(get(m, n, "PR"), "NLH");
	int iui = pick(get(m, n, "UI"), "NR"), is = pick(get(m, n, "S"), "UC");
	int ic = pick(get(m, n, "C"), "HLN"), ii = pick(get(m, n, "I"), "HLN"), ia = pick(get(m, n, "A"), "HLN");
	if (iav < 0 || iac < 0 || ipr < 0 || iui < 0 || is < 0 || ic < 0 || ii < 0 || ia < 0)
		return false;
	bool changed = is == 1;
	double pr = ipr == 0 ? 0.85 : ipr == 1 ? (changed ? 0.68 : 0.62) : (changed ? 0.5 : 0.27);
	double iss = 1 - (1 - cia[ic]) * (1 - cia[ii]) * (1 - cia[ia]);
	double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
	double expl = 8.22 * av[iav] * ac[iac] * pr * ui[iui];
	double (*ru)(double) = minor == 1 ? roundup31 : roundup30;
	if (impact <= 0)
		*out = 0;
	else if (!changed)
		*out = ru(fmin(impact + expl, 10));
	else
		*out = ru(fmin(1.08 * (impact + expl), 10));
	return true;
}

/* ---- v4.0 ---- */

/* Effective value of each metric (environmental overrides, X defaults) as a letter. */
struct v4 {
	char v[NV4];
	char msi, msa; /* modified subsequent integrity/availability as given ('S' possible) */
};

static bool parse_v4(const char *vec, struct v4 *out)
{
	struct metric m[MAX_METRICS + 16];
	int n = split_vector(vec, m, MAX_METRICS + 16);
	if (n < 11)
		return false;
	static const char *const known[] = {
		"AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA", "E", "CR", "IR", "AR",
		"MAV", "MAC", "MAT", "MPR", "MUI", "MVC", "MVI", "MVA", "MSC", "MSI", "MSA",
		"S", "AU", "R", "V", "RE", "U", NULL};
	static const char *const allowed[] = {
		"NALP", "LH", "NP", "NLH", "NPA", "HLN", "HLN", "HLN", "HLN", "HLN", "HLN", "XAPU", "XHML", "XHML", "XHML",
		"XNALP", "XLH", "XNP", "XNLH", "XNPA", "XHLN", "XHLN", "XHLN", "XHLN", "XSHLN", "XSHLN",
		"XNP", "XNY", "XAUI", "XDC", "XLMH", NULL};
	for (int i = 0; i < n; i++) {
		int k = -1;
		for (int j = 0; known[j]; j++)
			if (!strcmp(known[j], m[i].key))
				k = j;
		if (k < 0)
			return false;
		if (allowed[k] && pick(m[i].val, allowed[k]) < 0)
			return false;
		if (!allowed[k] && strcmp(m[i].val, "X") && strcmp(m[i].val, "Clear") && strcmp(m[i].val, "Green") &&
		    strcmp(m[i].val, "Amber") && strcmp(m[i].val, "Red"))
			return false;
	}
	static const char *const base[] = {"AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"};
	static const char *const mod[] = {"MAV", "MAC", "MAT", "MPR", "MUI", "MVC", "MVI", "MVA", "MSC", "MSI", "MSA"};
	for (int i = 0; i < 11; i++) {
		const char *b = get(m, n, base[i]);
		if (!b)
			return false;
		const char *mv = get(m, n, mod[i]);
		out->v[i] = (mv && strcmp(mv, "X")) ? mv[0] : b[0];
	}
	const char *msi = get(m, n, "MSI"), *msa = get(m, n, "MSA");
	out->msi = msi ? msi[0] : 'X';
	out->msa = msa ? msa[0] : 'X';
	const char *e = get(m, n, "E");
	out->v[E] = (!e || !strcmp(e, "X")) ? 'A' : e[0];
	static const char *const req[] = {"CR", "IR", "AR"};
	for (int i = 0; i < 3; i++) {
		const char *r = get(m, n, req[i]);
		out->v[CR + i] = (!r || !strcmp(r, "X")) ? 'H' : r[0];
	}
	/* a subsequent-system 'S' (safety) only exists as a modified metric: keep it as written */
	return true;
}

static double lookup_mv(int e1, int e2, int e3, int e4, int e5, int e6)
{
	if (e1 < 0 || e1 > 2 || e2 < 0 || e2 > 1 || e3 < 0 || e3 > 2 || e4 < 0 || e4 > 2 || e5 < 0 || e5 > 2 || e6 < 0 ||
	    e6 > 1)
		return NAN;
	return cvss4_lookup[e1][e2][e3][e4][e5][e6];
}

/* Severity level of a metric value inside its EQ, in tenths (the spec's "levels"). */
static double level(int metric, char c)
{
	switch (metric) {
	case AV: return c == 'N' ? 0 : c == 'A' ? 0.1 : c == 'L' ? 0.2 : 0.3;
	case PR: return c == 'N' ? 0 : c == 'L' ? 0.1 : 0.2;
	case UI: return c == 'N' ? 0 : c == 'P' ? 0.1 : 0.2;
	case AC: return c == 'L' ? 0 : 0.1;
	case AT: return c == 'N' ? 0 : 0.1;
	case VC: case VI: case VA: return c == 'H' ? 0 : c == 'L' ? 0.1 : 0.2;
	case SC: return c == 'H' ? 0.1 : c == 'L' ? 0.2 : 0.3;
	case SI: case SA: return c == 'S' ? 0 : c == 'H' ? 0.1 : c == 'L' ? 0.2 : 0.3;
	case CR: case IR: case AR: return c == 'H' ? 0 : c == 'M' ? 0.1 : 0.2;
	default: return 0;
	}
}

static bool score_v4_raw(const char *vec, double *out)
{
	struct v4 x;
	if (!parse_v4(vec, &x))
		return false;
	char *v = x.v;
	/* SI/SA as used in the formulas: the modified value, which may be S */
	if (x.msi != 'X')
		v[SI] = x.msi;
	if (x.msa != 'X')
		v[SA] = x.msa;
	if (v[VC] == 'N' && v[VI] == 'N' && v[VA] == 'N' && v[SC] == 'N' && v[SI] == 'N' && v[SA] == 'N') {
		*out = 0;
		return true;
	}
	int eq1 = (v[AV] == 'N' && v[PR] == 'N' && v[UI] == 'N') ? 0
		  : ((v[AV] == 'N' || v[PR] == 'N' || v[UI] == 'N') && v[AV] != 'P') ? 1 : 2;
	int eq2 = (v[AC] == 'L' && v[AT] == 'N') ? 0 : 1;
	int eq3 = (v[VC] == 'H' && v[VI] == 'H') ? 0 : (v[VC] == 'H' || v[VI] == 'H' || v[VA] == 'H') ? 1 : 2;
	int eq4 = (x.msi == 'S' || x.msa == 'S') ? 0 : (v[SC] == 'H' || v[SI] == 'H' || v[SA] == 'H') ? 1 : 2;
	int eq5 = v[E] == 'A' ? 0 : v[E] == 'P' ? 1 : 2;
	int eq6 = ((v[CR] == 'H' && v[VC] == 'H') || (v[IR] == 'H' && v[VI] == 'H') || (v[AR] == 'H' && v[VA] == 'H')) ? 0 : 1;
	double value = lookup_mv(eq1, eq2, eq3, eq4, eq5, eq6);
	if (isnan(value))
		return false;

	double l_eq1 = lookup_mv(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
	double l_eq2 = lookup_mv(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
	double l_eq36;
	if (eq3 == 0 && eq6 == 0) {
		double left = lookup_mv(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
		double right = lookup_mv(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
		l_eq36 = left > right ? left : right; /* the spec: the higher; right when either is missing */
	} else if (eq3 == 1 && eq6 == 0) {
		l_eq36 = lookup_mv(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
	} else if (eq6 == 1 && eq3 < 2) {
		l_eq36 = lookup_mv(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
	} else {
		l_eq36 = NAN;
	}
	double l_eq4 = lookup_mv(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
	double l_eq5 = lookup_mv(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

	/* find the first highest-severity vector of the MacroVector that the vector does not exceed */
	const struct cvss4_max *m1 = &cvss4_max_eq1[eq1], *m2 = &cvss4_max_eq2[eq2];
	const struct cvss4_max *m36 = &cvss4_max_eq3eq6[eq3][eq6], *m4 = &cvss4_max_eq4[eq4];
	double d[NV4] = {0};
	bool found = false;
	for (int a = 0; a < m1->n && !found; a++)
		for (int b = 0; b < m2->n && !found; b++)
			for (int c = 0; c < m36->n && !found; c++)
				for (int e = 0; e < m4->n && !found; e++) {
					char mx[NV4];
					memset(mx, 0, sizeof(mx));
					cvss4_apply(mx, m1->v[a]);
					cvss4_apply(mx, m2->v[b]);
					cvss4_apply(mx, m36->v[c]);
					cvss4_apply(mx, m4->v[e]);
					bool ok = true;
					static const int ms[] = {AV, PR, UI, AC, AT, VC, VI, VA, SC, SI, SA, CR, IR, AR};
					for (size_t k = 0; k < sizeof(ms) / sizeof(ms[0]); k++) {
						d[ms[k]] = level(ms[k], v[ms[k]]) - level(ms[k], mx[ms[k]]);
						if (d[ms[k]] < -1e-9)
							ok = false;
					}
					found = ok;
				}
	double cur1 = d[AV] + d[PR] + d[UI], cur2 = d[AC] + d[AT];
	double cur36 = d[VC] + d[VI] + d[VA] + d[CR] + d[IR] + d[AR], cur4 = d[SC] + d[SI] + d[SA];
	const double step = 0.1;
	double sev1 = cvss4_depth_eq1[eq1] * step, sev2 = cvss4_depth_eq2[eq2] * step;
	double sev36 = cvss4_depth_eq3eq6[eq3][eq6] * step, sev4 = cvss4_depth_eq4[eq4] * step;
	int nlower = 0;
	double sum = 0;
	if (!isnan(l_eq1)) {
		nlower++;
		sum += (value - l_eq1) * (cur1 / sev1);
	}
	if (!isnan(l_eq2)) {
		nlower++;
		sum += (value - l_eq2) * (cur2 / sev2);
	}
	if (!isnan(l_eq36)) {
		nlower++;
		sum += (value - l_eq36) * (cur36 / sev36);
	}
	if (!isnan(l_eq4)) {
		nlower++;
		sum += (value - l_eq4) * (cur4 / sev4);
	}
	if (!isnan(l_eq5))
		nlower++; /* eq5's proportional distance is always 0 */
	if (nlower)
		value -= sum / nlower;
	if (value < 0)
		value = 0;
	if (value > 10)
		value = 10;
	*out = value;
	return true;
}

bool sc_cvss4_unrounded(const char *vector, double *value)
{
	return !strncmp(vector, "CVSS:4.0/", 9) && score_v4_raw(vector + 9, value);
}

static bool score_v4(const char *vec, double *out)
{
	double value;
	if (!score_v4_raw(vec, &value))
		return false;
	/* round half up at one decimal after adding 1e-6, as FIRST's reference implementation does */
	*out = floor((value + 1e-6) * 10.0 + 0.5) / 10.0;
	return true;
}

bool sc_cvss_score(const char *vector, double *score, int *version)
{
	if (!vector)
		return false;
	int ver;
	double s = 0;
	bool ok;
	if (!strncmp(vector, "CVSS:3.1/", 9)) {
		ver = 31;
		ok = score_v3(vector + 9, 1, &s);
	} else if (!strncmp(vector, "CVSS:3.0/", 9)) {
		ver = 30;
		ok = score_v3(vector + 9, 0, &s);
	} else if (!strncmp(vector, "CVSS:4.0/", 9)) {
		ver = 40;
		ok = score_v4(vector + 9, &s);
	} else if (!strncmp(vector, "CVSS:2.0/", 9)) {
		ver = 2;
		ok = score_v2(vector + 9, &s);
	} else {
		/* bare v2, optionally in parentheses as NVD once printed it */
		char buf[256];
		size_t len = strlen(vector);
		if (len >= sizeof(buf))
			return false;
		if (len >= 2 && vector[0] == '(' && vector[len - 1] == ')') {
			memcpy(buf, vector + 1, len - 2);
			buf[len - 2] = '\0';
		} else {
			memcpy(buf, vector, len + 1);
		}
		ver = 2;
		ok = score_v2(buf, &s);
	}
	if (!ok)
		return false;
	if (score)
		*score = s;
	if (version)
		*version = ver;
	return true;
}

enum sc_severity sc_cvss_severity(double score, int version)
{
	if (version == 2)
		return score >= 7.0 ? SC_SEV_HIGH : score >= 4.0 ? SC_SEV_MEDIUM : SC_SEV_LOW;
	if (score >= 9.0)
		return SC_SEV_CRITICAL;
	if (score >= 7.0)
		return SC_SEV_HIGH;
	if (score >= 4.0)
		return SC_SEV_MEDIUM;
	return SC_SEV_LOW;
}
