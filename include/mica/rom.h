/* The ROM name-space protocol (docs/protocols.md §5): every boot module
 * as a read-only dataspace under its name (the basename of its command
 * line's first word without ".elf": "build/user/hello.elf a b" is
 * "hello"), with its command-line arguments. A program finds its ROM at
 * MICA_CAP_ROM (mica/env.h). Names are sent as bytes packed 8 per word,
 * little-endian, after a length word (as the log's WRITE). */
#pragma once

#include <mica/types.h>

/* Rights of a ROM capability. */
#define MICA_ROM_R_READ 1u /* every method */

/* A name: 1 .. MICA_ROM_NAME_MAX bytes, maybe after the name space's
 * own name: "rom/hello" names the module "hello" (as an L4Re user writes
 * it). A request may carry MICA_ROM_PREFIX_LEN more bytes then. */
#define MICA_ROM_NAME_MAX 31
#define MICA_ROM_PREFIX "rom/"
#define MICA_ROM_PREFIX_LEN 4
/* A module's arguments (its command line after the first word). */
#define MICA_ROM_ARGS_MAX 255

enum {
	/* MR0 = name length n, MR1.. = the name -> MR0 = the module's size
	 * in bytes, one object item: the module's dataspace (READ only: it
	 * maps R and X, never W; mica/dataspace.h) of size rounded up to
	 * pages. Errors: BAD_ARG (n = 0, n > MICA_ROM_NAME_MAX or past the
	 * words sent), NOT_FOUND (no module of that name). Right: READ. */
	MICA_ROM_QUERY = 1,
	/* MR0 = name length n, MR1.. = the name -> MR0 = byte count m, MR1..
	 * = the arguments (m bytes, words as the name; "" if none). Errors as
	 * QUERY. Right: READ. */
	MICA_ROM_ARGS = 2,
	/* MR0 = index i -> MR0 = number of modules, MR1 = the i-th module's
	 * size, MR2 = its name's length n, MR3.. = the name. NOT_FOUND if i is
	 * not below the number of modules. Right: READ. */
	MICA_ROM_LIST = 3,
};
