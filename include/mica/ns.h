/* The name-space protocol (docs/protocols.md §10): capabilities
 * registered under names, looked up by path. A name space is made by a
 * memory allocator (CREATE of MICA_PROTO_NAMESPACE, mica/factory.h) and
 * charged to its quota; the ROM answers LOOKUP and LIST too, so "rom/x"
 * resolves through either. */
#pragma once

#include <mica/types.h>

/* Rights (the label's, docs/protocols.md §1). */
#define MICA_NS_R_READ 1u    /* LOOKUP, LIST */
#define MICA_NS_R_WRITE 2u   /* REGISTER, UNLINK */
#define MICA_NS_R_CONTROL 4u /* MICA_OBJ_DELETE */

#define MICA_NS_NAME_MAX 31  /* bytes of one name (no '/', no NUL) */
#define MICA_NS_PATH_MAX 127 /* bytes of a path LOOKUP takes */
#define MICA_NS_ENTRIES 48   /* names one name space holds */

/* Opcodes, apart from the ROM's own (mica/rom.h) so that the ROM can
 * answer them too. Names and paths are bytes packed 8 per word. */
enum {
	/* MR0 = path length n (1..MICA_NS_PATH_MAX), MR1.. = the path ->
	 * MR0 = bytes of the path used (the first name and the '/' after it,
	 * if any), MR1 = the object rights it was registered with; object
	 * item: the capability. The client goes on with the rest of the path
	 * at that capability (another name space, or the ROM). Errors:
	 * BAD_ARG (n out of range or past the words, an empty first name or
	 * one longer than MICA_NS_NAME_MAX), NOT_FOUND. Right: READ. */
	MICA_NS_LOOKUP = 0x11,
	/* MR0 = name length n, MR1.. = the name; one object item: the
	 * capability, kept with the rights it arrived with. Errors: BAD_ARG
	 * (no item, a name empty, too long, with '/' or NUL, or past the
	 * words), EXISTS (the name is taken), NO_MEMORY (all
	 * MICA_NS_ENTRIES names used). Right: WRITE. */
	MICA_NS_REGISTER = 0x12,
	/* MR0 = name length n, MR1.. = the name: it and its capability go.
	 * Errors: BAD_ARG, NOT_FOUND. Right: WRITE. */
	MICA_NS_UNLINK = 0x13,
	/* MR0 = index i -> MR0 = number of names, MR1 = the i-th name's
	 * length n, MR2.. = the name (in registration order). NOT_FOUND if i
	 * is at or past the number. Right: READ. */
	MICA_NS_LIST = 0x14,
};
