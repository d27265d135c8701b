/* The L4 X.2 message: tag (MR0), message registers, the L4_Msg_t buffer,
 * map and grant items, and the acceptor (BR0) that says where received
 * items may land. */
#pragma once

#include <l4/types.h>

/* ---- the UTCB as X.2 sees it ---------------------------------------------
 * MR0 (the tag) lives in a thread control register of the personality;
 * MR1..MR63 are the UTCB's message registers; BR0 is the acceptor. The
 * offsets are the personality's, stated in docs/x2.md. */
#define __L4_MR_MAX 63
#define __L4_UTCB_MR0 0x018
#define __L4_UTCB_MYSELF 0x020
#define __L4_UTCB_ERROR 0x030
#define __L4_UTCB_MRS 0x100
#define __L4_UTCB_BRS 0x300

L4_INLINE L4_Word_t *__L4_Utcb(void)
{
	L4_Word_t *u;
	__asm__("mov %%gs:0, %0" : "=r"(u));
	return u;
}
L4_INLINE L4_Word_t *__L4_Tcr(unsigned off)
{
	return (L4_Word_t *)((char *)__L4_Utcb() + off);
}
L4_INLINE L4_Word_t *__L4_Mr(unsigned i)
{
	return i == 0 ? __L4_Tcr(__L4_UTCB_MR0)
		      : (L4_Word_t *)((char *)__L4_Utcb() + __L4_UTCB_MRS) + (i - 1);
}

/* ---- message tags ----------------------------------------------------------
 * label (48) | flags (4: E X r p) | t (6) | u (6). */
typedef union {
	L4_Word_t raw;
	struct {
		L4_Word_t u : 6;
		L4_Word_t t : 6;
		L4_Word_t flags : 4;
		L4_Word_t label : 48;
	} X;
} L4_MsgTag_t;

L4_INLINE L4_MsgTag_t __L4_Niltag(void)
{
	L4_MsgTag_t t;
	t.raw = 0;
	return t;
}
#define L4_Niltag (__L4_Niltag())
#define __L4_TAG_E 0x8u

L4_INLINE L4_Bool_t L4_IsMsgTagEqual(L4_MsgTag_t a, L4_MsgTag_t b)
{
	return a.raw == b.raw;
}
L4_INLINE L4_Bool_t L4_IsMsgTagNotEqual(L4_MsgTag_t a, L4_MsgTag_t b)
{
	return a.raw != b.raw;
}
L4_INLINE L4_Word_t L4_Label(L4_MsgTag_t t)
{
	return t.X.label;
}
L4_INLINE L4_Word_t L4_UntypedWords(L4_MsgTag_t t)
{
	return t.X.u;
}
L4_INLINE L4_Word_t L4_TypedWords(L4_MsgTag_t t)
{
	return t.X.t;
}
L4_INLINE L4_MsgTag_t L4_MsgTagAddLabel(L4_MsgTag_t t, int label)
{
	t.X.label = (L4_Word_t)label;
	return t;
}
L4_INLINE L4_MsgTag_t L4_MsgTagAddLabelTo(L4_MsgTag_t *t, int label)
{
	t->X.label = (L4_Word_t)label;
	return *t;
}
L4_INLINE L4_Bool_t L4_IpcSucceeded(L4_MsgTag_t t)
{
	return (t.X.flags & __L4_TAG_E) == 0;
}
L4_INLINE L4_Bool_t L4_IpcFailed(L4_MsgTag_t t)
{
	return (t.X.flags & __L4_TAG_E) != 0;
}
L4_INLINE L4_Bool_t L4_IpcPropagated(L4_MsgTag_t t)
{
	return (t.X.flags & 0x1) != 0;
}
L4_INLINE L4_Bool_t L4_IpcRedirected(L4_MsgTag_t t)
{
	return (t.X.flags & 0x2) != 0;
}
L4_INLINE L4_Bool_t L4_IpcXcpu(L4_MsgTag_t t)
{
	return (t.X.flags & 0x4) != 0;
}
/* The propagate bit (p) of a tag to be sent: the message goes on behalf
 * of the VirtualSender TCR's thread (<l4/ipc.h>). */
#define __L4_TAG_P 0x1u
L4_INLINE void L4_Set_Propagation(L4_MsgTag_t *t)
{
	t->X.flags |= __L4_TAG_P;
}
L4_INLINE void L4_Clear_Propagation(L4_MsgTag_t *t)
{
	t->X.flags &= ~__L4_TAG_P;
}
/* The tag of the last message (MR0). */
L4_INLINE L4_MsgTag_t L4_MsgTag(void)
{
	L4_MsgTag_t t;
	t.raw = *__L4_Mr(0);
	return t;
}
L4_INLINE void L4_Set_MsgTag(L4_MsgTag_t t)
{
	*__L4_Mr(0) = t.raw;
}

/* ---- message registers -------------------------------------------------- */
L4_INLINE void L4_StoreMR(int i, L4_Word_t *w)
{
	*w = *__L4_Mr((unsigned)i);
}
L4_INLINE void L4_LoadMR(int i, L4_Word_t w)
{
	*__L4_Mr((unsigned)i) = w;
}
L4_INLINE void L4_StoreMRs(int i, int k, L4_Word_t *w)
{
	for (int j = 0; j < k; j++)
		w[j] = *__L4_Mr((unsigned)(i + j));
}
L4_INLINE void L4_LoadMRs(int i, int k, L4_Word_t *w)
{
	for (int j = 0; j < k; j++)
		*__L4_Mr((unsigned)(i + j)) = w[j];
}

/* ---- map and grant items ------------------------------------------------
 * Word 0: send base (bits 63..10) | 0 | 100C (map) or 101C (grant);
 * word 1: the send fpage. */
typedef union {
	L4_Word_t raw[2];
	struct {
		L4_Word_t C : 1;
		L4_Word_t type : 3;
		L4_Word_t zero : 6;
		L4_Word_t snd_base : 54;
		L4_Fpage_t snd_fpage;
	} X;
} L4_MapItem_t;
typedef L4_MapItem_t L4_GrantItem_t;

#define __L4_ITEM_MAP 0x8ul
#define __L4_ITEM_GRANT 0xaul

L4_INLINE L4_MapItem_t L4_MapItem(L4_Fpage_t f, L4_Word_t snd_base)
{
	L4_MapItem_t m;
	m.raw[0] = (snd_base & ~0x3fful) | __L4_ITEM_MAP;
	m.raw[1] = f.raw;
	return m;
}
L4_INLINE L4_GrantItem_t L4_GrantItem(L4_Fpage_t f, L4_Word_t snd_base)
{
	L4_GrantItem_t g;
	g.raw[0] = (snd_base & ~0x3fful) | __L4_ITEM_GRANT;
	g.raw[1] = f.raw;
	return g;
}
L4_INLINE L4_Bool_t L4_IsMapItem(L4_MapItem_t m)
{
	return (m.raw[0] & 0xe) == __L4_ITEM_MAP;
}
L4_INLINE L4_Bool_t L4_IsGrantItem(L4_GrantItem_t g)
{
	return (g.raw[0] & 0xe) == __L4_ITEM_GRANT;
}
L4_INLINE L4_Fpage_t L4_MapItemSndFpage(L4_MapItem_t m)
{
	return m.X.snd_fpage;
}
L4_INLINE L4_Word_t L4_MapItemSndBase(L4_MapItem_t m)
{
	return m.raw[0] & ~0x3fful;
}
#define L4_GrantItemSndFpage L4_MapItemSndFpage
#define L4_GrantItemSndBase L4_MapItemSndBase

/* ---- the message buffer ----------------------------------------------- */
typedef union {
	L4_Word_t raw[__L4_MR_MAX + 1];
	L4_Word_t msg[__L4_MR_MAX + 1];
	L4_MsgTag_t tag;
} L4_Msg_t;

L4_INLINE void L4_MsgClear(L4_Msg_t *m)
{
	m->raw[0] = 0;
}
L4_INLINE L4_MsgTag_t L4_MsgMsgTag(const L4_Msg_t *m)
{
	L4_MsgTag_t t;
	t.raw = m->raw[0];
	return t;
}
L4_INLINE void L4_Set_MsgMsgTag(L4_Msg_t *m, L4_MsgTag_t t)
{
	m->raw[0] = t.raw;
}
L4_INLINE L4_Word_t L4_MsgLabel(const L4_Msg_t *m)
{
	return L4_Label(L4_MsgMsgTag(m));
}
L4_INLINE void L4_Set_MsgLabel(L4_Msg_t *m, L4_Word_t label)
{
	L4_MsgTag_t t = L4_MsgMsgTag(m);
	t.X.label = label;
	m->raw[0] = t.raw;
}
/* Puts words (and items) into the buffer: untyped words first. */
L4_INLINE void L4_MsgPut(L4_Msg_t *m, L4_Word_t label, int u, const L4_Word_t *uw, int t, const void *items)
{
	const L4_Word_t *iw = (const L4_Word_t *)items;
	for (int i = 0; i < u; i++)
		m->raw[1 + i] = uw[i];
	for (int i = 0; iw && i < t; i++)
		m->raw[1 + u + i] = iw[i];
	L4_MsgTag_t tag = { .raw = 0 };
	tag.X.label = label;
	tag.X.u = (L4_Word_t)u;
	tag.X.t = (L4_Word_t)t;
	m->raw[0] = tag.raw;
}
L4_INLINE void L4_MsgGet(const L4_Msg_t *m, L4_Word_t *uw, void *items)
{
	L4_MsgTag_t t = L4_MsgMsgTag(m);
	L4_Word_t *iw = (L4_Word_t *)items;
	for (unsigned i = 0; i < t.X.u; i++)
		uw[i] = m->raw[1 + i];
	for (unsigned i = 0; iw && i < t.X.t; i++)
		iw[i] = m->raw[1 + t.X.u + i];
}
L4_INLINE L4_Word_t L4_MsgWord(const L4_Msg_t *m, L4_Word_t u)
{
	return m->raw[1 + u];
}
L4_INLINE void L4_MsgWordTo(const L4_Msg_t *m, L4_Word_t u, L4_Word_t *w)
{
	*w = m->raw[1 + u];
}
L4_INLINE void L4_MsgPutWord(L4_Msg_t *m, L4_Word_t u, L4_Word_t w)
{
	m->raw[1 + u] = w;
}
/* Appends an untyped word: typed items already in the buffer move up. */
L4_INLINE void L4_MsgAppendWord(L4_Msg_t *m, L4_Word_t w)
{
	L4_MsgTag_t t = L4_MsgMsgTag(m);
	if (t.X.u + t.X.t >= __L4_MR_MAX)
		return;
	for (int i = (int)t.X.t; i > 0; i--)
		m->raw[t.X.u + i + 1] = m->raw[t.X.u + i];
	m->raw[++t.X.u] = w;
	m->raw[0] = t.raw;
}
L4_INLINE void L4_MsgAppendMapItem(L4_Msg_t *m, L4_MapItem_t mi)
{
	L4_MsgTag_t t = L4_MsgMsgTag(m);
	if (t.X.u + t.X.t + 2 > __L4_MR_MAX)
		return;
	m->raw[1 + t.X.u + t.X.t] = mi.raw[0];
	m->raw[2 + t.X.u + t.X.t] = mi.raw[1];
	t.X.t += 2;
	m->raw[0] = t.raw;
}
L4_INLINE void L4_MsgAppendGrantItem(L4_Msg_t *m, L4_GrantItem_t gi)
{
	L4_MsgAppendMapItem(m, gi);
}
/* The k-th typed item (counted in items, from 0). */
L4_INLINE L4_Word_t L4_MsgGetMapItem(const L4_Msg_t *m, L4_Word_t k, L4_MapItem_t *mi)
{
	L4_MsgTag_t t = L4_MsgMsgTag(m);
	if (2 * k + 1 >= t.X.t)
		return 0;
	mi->raw[0] = m->raw[1 + t.X.u + 2 * k];
	mi->raw[1] = m->raw[2 + t.X.u + 2 * k];
	return 2;
}
#define L4_MsgGetGrantItem L4_MsgGetMapItem
/* The buffer into MR0..MRn, and MR0..MRn into the buffer. */
L4_INLINE void L4_MsgLoad(const L4_Msg_t *m)
{
	L4_MsgTag_t t = L4_MsgMsgTag(m);
	unsigned n = (unsigned)(t.X.u + t.X.t);
	if (n > __L4_MR_MAX)
		n = __L4_MR_MAX;
	L4_LoadMRs(0, (int)n + 1, (L4_Word_t *)m->raw);
}
L4_INLINE void L4_MsgStore(L4_MsgTag_t t, L4_Msg_t *m)
{
	unsigned n = (unsigned)(t.X.u + t.X.t);
	if (n > __L4_MR_MAX)
		n = __L4_MR_MAX;
	m->raw[0] = t.raw;
	L4_StoreMRs(1, (int)n, m->raw + 1);
}

/* ---- the acceptor (BR0) -------------------------------------------------
 * The receive window for map and grant items (bits 63..4); bit 0 would
 * accept string items, which the personality does not offer. */
typedef union {
	L4_Word_t raw;
	struct {
		L4_Word_t s : 1;
		L4_Word_t reserved : 3;
		L4_Word_t RcvWindow : 60;
	} X;
} L4_Acceptor_t;

L4_INLINE L4_Acceptor_t __L4_UntypedWordsAcceptor(void)
{
	L4_Acceptor_t a;
	a.raw = 0;
	return a;
}
#define L4_UntypedWordsAcceptor (__L4_UntypedWordsAcceptor())

L4_INLINE L4_Acceptor_t L4_MapGrantItems(L4_Fpage_t window)
{
	L4_Acceptor_t a;
	a.raw = window.raw & ~0xful;
	return a;
}
L4_INLINE L4_Fpage_t L4_RcvWindow(L4_Acceptor_t a)
{
	L4_Fpage_t f;
	f.raw = a.raw & ~0xful;
	return f;
}
/* Sets BR0 (the complete address space accepts items anywhere). */
void L4_Accept(L4_Acceptor_t a);
L4_Acceptor_t L4_Accepted(void);
