/* The log protocol (docs/protocols.md §8): a program's output as whole
 * lines on the console, each prefixed with the program's tag, so that
 * lines of several programs never mix within a line. A log object is
 * made by a log factory (mica/factory.h, type MICA_PROTO_LOG) or handed
 * to a program by whoever starts it. The method is the tag's label. */
#pragma once

#include <mica/msgtag.h>
#include <mica/types.h>

/* Rights of a log capability (docs/protocols.md §1). */
#define MICA_LOG_R_WRITE 2u   /* WRITE, FLUSH; on a log factory: CREATE */
#define MICA_LOG_R_CONTROL 4u /* CLOSE */

enum {
	/* MR0 = byte count n (0 .. MICA_LOG_WRITE_MAX), MR1.. = the bytes,
	 * packed little-endian, 8 per word (as MICA_VCON_WRITE); u >= 1 +
	 * ceil(n / 8) -> MR0 = n. The bytes are buffered until a newline;
	 * each whole line is printed as "tag | text". A line longer than
	 * MICA_LOG_LINE_MAX is printed cut, ending in MICA_LOG_CUT_MARK, and
	 * the rest of it up to its newline is dropped. Control bytes other
	 * than tab print as '.', and "\r" is dropped, so no line can
	 * overwrite another on the terminal. n = 0 prints nothing. Errors:
	 * BAD_ARG (n too large, or more bytes than the words sent carry),
	 * BAD_TAG (u = 0); nothing is buffered then. Right: WRITE. */
	MICA_LOG_WRITE = 1,
	/* Prints a buffered partial line as a line of its own. Right: WRITE. */
	MICA_LOG_FLUSH = 2,
	/* Flushes, then ends the object: every capability to it is revoked
	 * (later requests: INVALID_CAP) and its slot is free for another.
	 * Right: CONTROL. */
	MICA_LOG_CLOSE = 3,
};

#define MICA_LOG_WRITE_MAX ((MICA_MSG_WORDS_MAX - 1) * sizeof(mica_word_t)) /* 496 */
/* A line's text (without tag and newline); longer lines are cut. */
#define MICA_LOG_LINE_MAX 200
#define MICA_LOG_CUT_MARK " [cut]"
/* A tag: 1 .. 16 bytes, printable ASCII without spaces. */
#define MICA_LOG_TAG_MAX 16
/* Colours of the tag (ANSI 30 + c), 0: none. */
#define MICA_LOG_COLOURS 8

/* Factory CREATE of a log object (mica/factory.h): MR0 = MICA_PROTO_LOG,
 * MR1 = colour (0 .. MICA_LOG_COLOURS - 1), MR2 = tag length (1 ..
 * MICA_LOG_TAG_MAX), MR3.. = the tag, packed as WRITE's bytes -> one
 * object item: the new log object with WRITE and CONTROL. Errors:
 * BAD_ARG (another type, bad colour or tag, tag past the words sent),
 * NO_MEMORY (every log object of the server in use). Right: WRITE. */
