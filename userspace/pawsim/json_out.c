// SPDX-License-Identifier: GPL-2.0
/* pawsim's JSON documents, through json-c (json_out.h). */
#include "json_out.h"

void pawsim_json_u64(struct json_object *o, const char *key, uint64_t v)
{
	struct json_object *n = json_object_new_uint64(v);

	if (json_object_object_add(o, key, n))
		json_object_put(n);
}

int pawsim_json_print(FILE *out, struct json_object *doc)
{
	const char *text = doc ? json_object_to_json_string_ext(doc,
				JSON_C_TO_STRING_PLAIN |
				JSON_C_TO_STRING_NOSLASHESCAPE) : NULL;
	int rc = text && fprintf(out, "%s\n", text) > 0 ? 0 : -1;

	json_object_put(doc);
	if (fflush(out))
		rc = -1;
	return rc;
}
