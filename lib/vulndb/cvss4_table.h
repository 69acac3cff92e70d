/* cvss4_table.h - CVSS v4.0 data transcribed from FIRST's specification (cvss_lookup.js of the
 * reference calculator): the score of each MacroVector (EQ1..EQ6), the highest-severity vectors of
 * each EQ level and the depth (max severity distance) of each level. Included by cvss.c only. */
#ifndef SC_CVSS4_TABLE_H
#define SC_CVSS4_TABLE_H

#include <math.h>
#include <string.h>

/* [eq1][eq2][eq3][eq4][eq5][eq6]; NAN where the MacroVector does not exist (eq3 2 with eq6 0) */
static const double cvss4_lookup[3][2][3][3][3][2] = {
	{
		{
			{{{10.0, 9.9}, {9.8, 9.5}, {9.5, 9.2}}, {{10.0, 9.6}, {9.3, 8.7}, {9.1, 8.1}}, {{9.3, 9.0}, {8.9, 8.0}, {8.1, 6.8}}},
			{{{9.8, 9.5}, {9.5, 9.2}, {9.0, 8.4}}, {{9.3, 9.2}, {8.9, 8.1}, {8.1, 6.5}}, {{8.8, 8.0}, {7.8, 7.0}, {6.9, 4.8}}},
			{{{NAN, 9.2}, {NAN, 8.2}, {NAN, 7.2}}, {{NAN, 7.9}, {NAN, 6.9}, {NAN, 5.0}}, {{NAN, 6.9}, {NAN, 5.5}, {NAN, 2.7}}},
		},
		{
			{{{9.9, 9.7}, {9.5, 9.2}, {9.2, 8.5}}, {{9.5, 9.1}, {9.0, 8.3}, {8.4, 7.1}}, {{9.2, 8.1}, {8.2, 7.1}, {7.2, 5.3}}},
			{{{9.5, 9.3}, {9.2, 8.5}, {8.5, 7.3}}, {{9.2, 8.2}, {8.0, 7.2}, {7.0, 5.9}}, {{8.4, 7.0}, {7.1, 5.2}, {5.0, 3.0}}},
			{{{NAN, 8.6}, {NAN, 7.5}, {NAN, 5.2}}, {{NAN, 7.1}, {NAN, 5.2}, {NAN, 2.9}}, {{NAN, 6.3}, {NAN, 2.9}, {NAN, 1.7}}},
		},
	},
	{
		{
			{{{9.8, 9.5}, {9.4, 8.7}, {9.1, 8.1}}, {{9.4, 8.9}, {8.6, 7.4}, {7.7, 6.4}}, {{8.7, 7.5}, {7.4, 6.3}, {6.3, 4.9}}},
			{{{9.4, 8.9}, {8.8, 7.7}, {7.6, 6.7}}, {{8.6, 7.6}, {7.4, 5.8}, {5.9, 5.0}}, {{7.2, 5.7}, {5.7, 5.2}, {5.2, 2.5}}},
			{{{NAN, 8.3}, {NAN, 7.0}, {NAN, 5.4}}, {{NAN, 6.5}, {NAN, 5.8}, {NAN, 2.6}}, {{NAN, 5.3}, {NAN, 2.1}, {NAN, 1.3}}},
		},
		{
			{{{9.5, 9.0}, {8.8, 7.6}, {7.6, 7.0}}, {{9.0, 7.7}, {7.5, 6.2}, {6.1, 5.3}}, {{7.7, 6.6}, {6.8, 5.9}, {5.2, 3.0}}},
			{{{8.9, 7.8}, {7.6, 6.7}, {6.2, 5.8}}, {{7.4, 5.9}, {5.7, 5.7}, {4.7, 2.3}}, {{6.1, 5.2}, {5.7, 2.9}, {2.4, 1.6}}},
			{{{NAN, 7.1}, {NAN, 5.9}, {NAN, 3.0}}, {{NAN, 5.8}, {NAN, 2.6}, {NAN, 1.5}}, {{NAN, 2.3}, {NAN, 1.3}, {NAN, 0.6}}},
		},
	},
	{
		{
			{{{9.3, 8.7}, {8.6, 7.2}, {7.5, 5.8}}, {{8.6, 7.4}, {7.4, 6.1}, {5.6, 3.4}}, {{7.0, 5.4}, {5.2, 4.0}, {4.0, 2.2}}},
			{{{8.5, 7.5}, {7.4, 5.5}, {6.2, 5.1}}, {{7.2, 5.7}, {5.5, 4.1}, {4.6, 1.9}}, {{5.3, 3.6}, {3.4, 1.9}, {1.9, 0.8}}},
			{{{NAN, 6.4}, {NAN, 5.1}, {NAN, 2.0}}, {{NAN, 4.7}, {NAN, 2.1}, {NAN, 1.1}}, {{NAN, 2.4}, {NAN, 0.9}, {NAN, 0.4}}},
		},
		{
			{{{8.8, 7.5}, {7.3, 5.3}, {6.0, 5.0}}, {{7.3, 5.5}, {5.9, 4.0}, {4.1, 2.0}}, {{5.4, 4.3}, {4.5, 2.2}, {2.0, 1.1}}},
			{{{7.5, 5.5}, {5.8, 4.5}, {4.0, 2.1}}, {{6.1, 5.1}, {4.8, 1.8}, {2.0, 0.9}}, {{4.6, 1.8}, {1.7, 0.7}, {0.8, 0.2}}},
			{{{NAN, 5.3}, {NAN, 2.4}, {NAN, 1.4}}, {{NAN, 2.4}, {NAN, 1.2}, {NAN, 0.5}}, {{NAN, 1.0}, {NAN, 0.3}, {NAN, 0.1}}},
		},
	},
};
/* Highest-severity vectors of each EQ level (metric:value parts, '/'-separated). */
struct cvss4_max {
	int n;
	const char *v[5];
};
static const struct cvss4_max cvss4_max_eq1[3] = {
	{1, {"AV:N/PR:N/UI:N"}},
	{3, {"AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"}},
	{2, {"AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"}},
};
static const struct cvss4_max cvss4_max_eq2[2] = {
	{1, {"AC:L/AT:N"}},
	{2, {"AC:H/AT:N", "AC:L/AT:P"}},
};
/* [eq3][eq6] */
static const struct cvss4_max cvss4_max_eq3eq6[3][2] = {
	{{1, {"VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"}},
	 {2, {"VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M"}}},
	{{2, {"VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H"}},
	 {5, {"VC:L/VI:H/VA:L/CR:H/IR:M/AR:H", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M", "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M",
	      "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H", "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M"}}},
	{{0, {NULL}}, {1, {"VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"}}},
};
static const struct cvss4_max cvss4_max_eq4[3] = {
	{1, {"SC:H/SI:S/SA:S"}},
	{1, {"SC:H/SI:H/SA:H"}},
	{1, {"SC:L/SI:L/SA:L"}},
};

/* Depth of each EQ level in steps of 0.1 (the spec's maxSeverity). */
static const double cvss4_depth_eq1[3] = {1, 4, 5};
static const double cvss4_depth_eq2[2] = {1, 2};
static const double cvss4_depth_eq3eq6[3][2] = {{7, 6}, {8, 8}, {0, 10}};
static const double cvss4_depth_eq4[3] = {6, 5, 4};

#endif
