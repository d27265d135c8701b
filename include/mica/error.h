/* The one error enumeration shared by the kernel and user space. An
 * invocation that fails returns a tag with MICA_TAG_ERROR set and the code
 * in the label field; the same code is stored in the UTCB's error TCR.
 * MICA_TAG_RECV_PHASE in the result tag says the send phase had completed
 * (the message was delivered) and the receive phase failed. */
#pragma once

enum mica_error {
	MICA_OK = 0,
	MICA_E_INVALID_CAP = 1, /* the selector names nothing (empty, stale or out of range) */
	MICA_E_WRONG_TYPE = 2,	/* the object cannot do this operation */
	MICA_E_NO_RIGHTS = 3,	/* the capability lacks a needed right */
	MICA_E_BAD_TAG = 4,	/* malformed message tag (counts, flags) */
	MICA_E_BAD_ARG = 5,	/* a message word is out of range */
	MICA_E_UNKNOWN_OP = 6,	/* the label names no method of the object */
	MICA_E_NO_MEMORY = 7,	/* kernel memory or the factory's quota exhausted */
	MICA_E_TIMEOUT = 8,	/* the timeout expired (a zero timeout: no partner was ready) */
	MICA_E_CANCELED = 9,	/* exchange-registers canceled the operation */
	MICA_E_ABORTED = 10,	/* the partner or the gate was deleted meanwhile */
	MICA_E_NO_PARTNER = 11, /* nobody to reply to */
	MICA_E_OVERFLOW = 12,	/* message does not fit the receiver */
	MICA_E_NOT_IMPLEMENTED = 13,
	MICA_E_EXISTS = 14,    /* the destination selector already names something */
	MICA_E_BUSY = 15,      /* someone else holds the resource (e.g. a driver the console's input line) */
	MICA_E_NOT_FOUND = 16, /* no such name in a server's name space (e.g. the ROM) */
	MICA_E_NOT_SCHEDULED = 17, /* the thread has no scheduling parameters yet (scheduler RUN_THREAD) */
	MICA_ERROR_COUNT
};
