/* Client calls of the name-space protocol (mica/ns.h): register, look up
 * by path, unlink and list; and paths from the program's environment. */
#pragma once

#include <mica/ns.h>
#include <stddef.h>

/* Registers cap (with the rights it has) under name in ns. */
int mica_ns_register(mica_cap_t ns, const char *name, mica_cap_t cap);
int mica_ns_unlink(mica_cap_t ns, const char *name);
/* The i-th name (NUL-terminated, buf of MICA_NS_NAME_MAX + 1 bytes) and
 * the number of names. */
int mica_ns_list(mica_cap_t ns, mica_word_t i, char *buf, mica_word_t *count);
/* Walks path ("a/b/c") from ns, one LOOKUP per name space on the way:
 * the capability at its end lands at dst. */
int mica_ns_lookup(mica_cap_t ns, const char *path, mica_cap_t dst);
/* The same from the program's environment: the first name is one of its
 * named capabilities (mica_env_cap; "rom" is MICA_CAP_ROM if it has no
 * such name), the rest is looked up from there. */
int mica_env_lookup(const char *path, mica_cap_t dst);
