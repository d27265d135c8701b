/* The server framework every user-level server is written with
 * (docs/protocols.md, "Conventions"). A server owns one unlabeled gate,
 * bound to its thread. Each object it serves is reached through
 * capabilities to that gate whose kernel-protected label names the
 * object and the rights the holder has; the framework mints them, finds
 * the object from the label of each request, checks the method's rights
 * and word count from the object type's table, hands the handler a
 * bounds-checked copy of the request and replies with the answer or the
 * error. A client cannot tell these objects from kernel objects: the
 * same invocation, the same error conventions.
 *
 * Nothing a client sends can make the loop crash or block: a request for
 * a stale or foreign label, an unknown opcode, a short message or
 * missing rights is answered with an error before any handler runs, and
 * replies never wait (the caller is already waiting for them). */
#pragma once

#include <mica/fpage.h>
#include <mica_sys.h>
#include <stdbool.h>
#include <stdint.h>

/* Rights of a user-level object's capability (in its label). */
#define MICA_SRV_R_READ 1u
#define MICA_SRV_R_WRITE 2u
#define MICA_SRV_R_CONTROL 4u
#define MICA_SRV_RIGHTS 7u

/* label = (slot + 1) << 16 | generation << 3 | rights: 0 is never a
 * label, and a slot reused after an object is gone gets another
 * generation, so a capability that survived its object names nothing. */
#define MICA_SRV_LABEL_SLOT_SHIFT 16
#define MICA_SRV_LABEL_GEN_SHIFT 3
#define MICA_SRV_LABEL_GEN_MASK 0x1fffu

struct mica_srv;
struct mica_srv_obj;

/* One request as a handler sees it. in[] is the server's own copy of the
 * request: its n words, then its t words of items as received, then 0s
 * (a method's table entry guarantees the words it needs). */
struct mica_srv_req {
	struct mica_srv *srv;
	struct mica_srv_obj *obj;
	unsigned rights; /* of the capability the request came through */
	mica_word_t op;
	unsigned n;   /* untyped words sent */
	unsigned t;   /* words of typed items sent (after the untyped ones) */
	unsigned out; /* answer words written so far (mica_srv_ret) */
	unsigned out_items;
	mica_cap_t rcv; /* a capability that arrived with the request, or 0 */
	/* An object of this server named by a capability sent along (the
	 * kernel's local id), with the rights that capability carries. */
	struct mica_srv_obj *local;
	unsigned local_rights;
	mica_word_t in[MICA_MSG_WORDS_MAX + 1];
	/* The answer, copied into the MRs after the handler: handlers make
	 * system calls of their own, which use the MRs too. */
	mica_word_t ans[MICA_MSG_WORDS_MAX + 1], ans_items[MICA_MSG_WORDS_MAX + 1];
};

/* A method: op is the tag's label; the request must carry `words`
 * untyped words and come through a capability with `rights`. The handler
 * returns MICA_OK (the answer is what it wrote) or an error. */
struct mica_srv_method {
	mica_word_t op;
	unsigned char words, rights;
	int (*fn)(struct mica_srv_req *r);
};

struct mica_srv_type {
	const char *name;
	const struct mica_srv_method *methods;
	unsigned count;
	/* Called when the object is removed (mica_srv_remove), if not 0. */
	void (*release)(struct mica_srv_obj *o);
};

/* Embedded in each served object (first member, or found with
 * offsetof). */
struct mica_srv_obj {
	const struct mica_srv_type *type;
	unsigned slot;
	uint32_t gen;
	mica_cap_t caps[MICA_SRV_RIGHTS + 1]; /* minted capabilities, by rights (0: none yet) */
};

struct mica_srv {
	mica_cap_t gate; /* unlabeled, bound to the serving thread, all rights */
	/* Selectors of the server's own space it may use for minted
	 * capabilities and receive windows: [sel_base, sel_base + sel_count). */
	mica_cap_t sel_base;
	unsigned sel_count;
	uint64_t *sel_used; /* sel_count bits */
	struct mica_srv_obj **slots;
	uint32_t *gens;
	unsigned nslots;
	mica_cap_t rcv; /* the receive window's selector (object items), 0: none */
	int stop;	/* a handler sets it: the loop answers and returns */
};

/* Sets s up with storage for nslots objects and sel_count selectors
 * (caller-provided arrays, zeroed here). The gate is the caller's. */
void mica_srv_init(struct mica_srv *s, mica_cap_t gate, struct mica_srv_obj **slots, uint32_t *gens,
		   unsigned nslots, mica_cap_t sel_base, uint64_t *sel_used, unsigned sel_count);

/* Registers o with type t: MICA_OK, or MICA_E_NO_MEMORY if every slot is
 * taken. */
int mica_srv_add(struct mica_srv *s, struct mica_srv_obj *o, const struct mica_srv_type *t);

/* Removes o: every capability minted for it (and all derived from them,
 * in any task) is revoked, its selectors are freed, then release runs. */
void mica_srv_remove(struct mica_srv *s, struct mica_srv_obj *o);

/* The server's capability to o with `rights` (minted on first use):
 * MICA_OK and *sel, or the error of a full selector range. */
int mica_srv_cap(struct mica_srv *s, struct mica_srv_obj *o, unsigned rights, mica_cap_t *sel);

/* The object a label names, or 0 (and the rights it carries). */
struct mica_srv_obj *mica_srv_lookup(const struct mica_srv *s, mica_word_t label, unsigned *rights);

/* Server selectors: a free one (0 if none) and giving one back. */
mica_cap_t mica_srv_sel_alloc(struct mica_srv *s);
void mica_srv_sel_free(struct mica_srv *s, mica_cap_t sel);

/* Receives capabilities sent with requests (object items) into a
 * selector of the server's, from the next receive of the loop on:
 * MICA_OK, or MICA_E_NO_MEMORY. A capability to one of the server's own
 * objects never arrives as a capability: the kernel hands over its label
 * (MICA_RCV_LOCAL_IDS), and the request's `local` names the object. */
int mica_srv_accept_caps(struct mica_srv *s);

/* The capability that came with r, now the handler's to keep (0 if
 * none); the framework takes a new selector for the next window. A
 * capability no handler took is deleted after the request. */
mica_cap_t mica_srv_take_cap(struct mica_srv_req *r);

/* Appends an answer word (words beyond what fits are dropped and the
 * answer becomes MICA_E_OVERFLOW). */
void mica_srv_ret(struct mica_srv_req *r, mica_word_t w);

/* Appends a typed item to the answer (after all its words): an object item carrying the
 * server's capability sel with rights (MICA_ITEM_MAP keeps it, GRANT
 * moves it). */
void mica_srv_ret_cap(struct mica_srv_req *r, mica_cap_t sel, unsigned rights, enum mica_item_kind kind);

/* Appends a memory map item: fpage of the server's space, hot spot hot. */
void mica_srv_ret_mem(struct mica_srv_req *r, mica_word_t fpage, mica_word_t hot);
/* Answers with a map item of the I/O flexpage fpage (the caller's BR1
 * window; the hot spot is its first port). */
void mica_srv_ret_ports(struct mica_srv_req *r, mica_word_t fpage);

/* Answers one request (tag and label as received, words in the MRs):
 * returns the answer's tag with its words in the MRs. */
mica_msgtag_t mica_srv_dispatch(struct mica_srv *s, mica_msgtag_t tag, mica_word_t label);

/* Serves requests on the bound gate until a handler sets s->stop;
 * returns 0, or the error of a failed receive (e.g. MICA_E_CANCELED). */
int mica_srv_loop(struct mica_srv *s);
