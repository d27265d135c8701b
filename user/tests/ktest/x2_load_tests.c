/* In-system cases of the X.2 loader (user/x2/x2_load.c, docs/x2.md
 * "Loading programs"): the root server finds the boot modules through the
 * KIP's BootInfo, loads x2hello (user/x2/x2hello, a binary of its own)
 * into a space of its own, pages it and talks to it; bad modules are
 * refused with their reason, and nothing of them is left behind. */
#include <boot_env.h>
#include <l4/bootinfo.h>
#include <mica/kip.h>
#include <string.h>
#include <x2_load.h>
#include <x2_mica.h>

#include "../../x2/x2_priv.h"
#include "x2_util.h"

#define NO_A 130ul
#define NO_B 230ul
#define HELLO_MAGIC 0x4e110c0de5ul /* user/x2/x2hello/main.c */
#define LOAD_KIP L4_FpageLog2(X2_KIP_AREA, 13)
#define LOAD_UTCB L4_FpageLog2(X2_CHILD_UTCB, 14)

static x2_program_t prog;

/* Whether s contains w. */
static int contains(const char *s, const char *w)
{
	size_t n = strlen(w);
	for (; *s; s++)
		if (strncmp(s, w, n) == 0)
			return 1;
	return 0;
}

/* The suite's full boot has no room for the loader's modules (the kernel
 * takes 16, BOOT_MODULES_MAX): `make ktest ONLY=x2_` and the QEMU case
 * x2_load_suite boot the suite with them (tests/ktest-modules.sh). Asked
 * of Mica's KIP, before L4_BootInfo maps anything: in the full suite the
 * modules belong to its own loader server (sigma0 gives each page once),
 * and the personality must not take them from it first. */
static int have_modules(void)
{
	const struct mica_kip_module *m = mica_kip_at(boot_kip, boot_kip->module_offset);
	for (unsigned i = 0; i < boot_kip->module_count; i++)
		if (contains(mica_kip_at(boot_kip, m[i].cmdline), "x2hello.elf"))
			return 1;
	ktest_skip("booted without the x2hello module (make ktest ONLY=x2_ has it)");
	return 0;
}

/* The boot module whose command line names `name`, or 0. */
static L4_BootRec_t *module(const char *name)
{
	void *b = (void *)L4_BootInfo(L4_GetKernelInterface());
	if (!L4_BootInfo_Valid(b))
		return 0;
	L4_BootRec_t *r = L4_BootInfo_FirstEntry(b);
	for (L4_Word_t n = 0; n < L4_BootInfo_Entries(b); n++, r = L4_BootRec_Next(r))
		if (L4_BootRec_Type(r) == L4_BootInfo_Module && contains(L4_Module_Cmdline(r), name))
			return r;
	return 0;
}

X2TEST(x2_bootinfo_lists_modules)
{
	if (!have_modules())
		return;
	void *kip = L4_GetKernelInterface();
	L4_Word_t a = L4_BootInfo(kip);
	CHECK(a != 0);
	void *b = (void *)a;
	CHECK(L4_BootInfo_Valid(b));
	CHECK_EQ(L4_BootInfo_Version(b), L4_BOOTINFO_VERSION);
	CHECK(L4_BootInfo_Size(b) >=
	      sizeof(L4_BootInfo_t) + L4_BootInfo_Entries(b) * sizeof(L4_Boot_Module_t));
	/* The same structure on a second call. */
	CHECK_EQ(L4_BootInfo(kip), a);
	/* Every boot module, in the KIP's order: sigma0 and ktest first. */
	CHECK_EQ(L4_BootInfo_Entries(b), boot_kip->module_count);
	L4_BootRec_t *r = L4_BootInfo_FirstEntry(b);
	CHECK(contains(L4_Module_Cmdline(r), "sigma0.elf"));
	for (L4_Word_t n = 0; n < L4_BootInfo_Entries(b); n++, r = L4_BootRec_Next(r)) {
		CHECK_EQ(L4_BootRec_Type(r), L4_BootInfo_Module);
		CHECK(L4_Module_Size(r) > 0);
		/* Inside the structure, and readable here. */
		CHECK((L4_Word_t)r + sizeof(L4_Boot_Module_t) <= a + L4_BootInfo_Size(b));
		volatile const unsigned char *s = (const unsigned char *)L4_Module_Start(r);
		CHECK(s[0] == s[0] && s[L4_Module_Size(r) - 1] == s[L4_Module_Size(r) - 1]);
	}
	L4_BootRec_t *h = module("x2hello.elf");
	CHECK(h != 0);
	CHECK_EQ(memcmp((const void *)L4_Module_Start(h), "\177ELF", 4), 0);
}

/* Serves the loaded program's page faults until a message that is not
 * one comes (returned), or nothing comes for two seconds (nil tag with
 * the error). */
static L4_MsgTag_t serve(L4_ThreadId_t t)
{
	for (;;) {
		L4_MsgTag_t tag = L4_Receive_Timeout(t, L4_TimePeriod(2000000));
		if (L4_IpcFailed(tag) || !L4_IsPagefault(tag))
			return tag;
		if (x2_load_pagefault(&prog, tag) != X2_LOAD_OK)
			return L4_Niltag;
		L4_Reply(t);
	}
}

static L4_BootRec_t *load_hello(L4_ThreadId_t t)
{
	L4_BootRec_t *h = module("x2hello.elf");
	if (!h || x2_load_check(&prog, (const void *)L4_Module_Start(h), L4_Module_Size(h)) != X2_LOAD_OK ||
	    x2_load_start(&prog, t, L4_Myself(), LOAD_KIP, LOAD_UTCB) != X2_LOAD_OK)
		return 0;
	return h;
}

X2TEST(x2_load_runs_own_binary)
{
	if (!have_modules())
		return;
	L4_ThreadId_t t = L4_GlobalId(NO_A, 1);
	CHECK(load_hello(t) != 0);
	L4_MsgTag_t tag = serve(t);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(L4_UntypedWords(tag), 6);
	L4_Word_t w[7];
	for (int k = 1; k <= 6; k++)
		L4_StoreMR(k, &w[k]);
	/* Its own thread, in a space that is not ours. */
	CHECK_EQ(w[1], t.raw);
	int i = x2_find(t.raw);
	CHECK(i >= 0 && x2_sys.t[i].space != 0);
	CHECK(L4_IsNilThread(L4_LocalIdOf(t)));
	/* Its own image: its global holds its value, incremented in its own
	 * copy; the same address here holds something else. */
	CHECK_EQ(w[3], HELLO_MAGIC + 1);
	CHECK(*(volatile L4_Word_t *)w[2] != w[3]);
	CHECK(*(volatile L4_Word_t *)w[5] != w[4] || w[5] != (L4_Word_t)&prog);
	/* Its bss came from its pager as zero pages: the sum of 0..n-1. */
	L4_Word_t n = 48ul * 1024 / sizeof(L4_Word_t);
	CHECK_EQ(w[6], n * (n - 1) / 2);
	/* Faults served: code, data, twelve pages of bss, the stack. */
	CHECK(prog.faults >= 15);
	L4_LoadMR(0, 1);
	L4_LoadMR(1, 0x1234);
	CHECK(L4_IpcSucceeded(L4_Reply(t)));
	/* Its second call carries the answer plus one. */
	tag = serve(t);
	CHECK(L4_IpcSucceeded(tag));
	L4_Word_t v = 0;
	L4_StoreMR(1, &v);
	CHECK_EQ(v, 0x1235);
	L4_LoadMR(0, 0);
	CHECK(L4_IpcSucceeded(L4_Reply(t)));
	x2_load_end(&prog);
	CHECK(x2_find(t.raw) < 0);
}

/* The X.2 sequence by hand, as an X.2 root server writes it: the
 * thread, its space (with no copy of ours), the thread with its pager,
 * and the pager's start message (MR1 ip, MR2 sp), then its faults. */
X2TEST(x2_load_start_message)
{
	if (!have_modules())
		return;
	L4_ThreadId_t t = L4_GlobalId(NO_A, 1);
	L4_BootRec_t *h = module("x2hello.elf");
	CHECK_EQ(x2_load_check(&prog, (const void *)L4_Module_Start(h), L4_Module_Size(h)), X2_LOAD_OK);
	prog.thread = t;
	L4_Word_t old;
	CHECK(L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, (void *)-1));
	CHECK(L4_SpaceControl(t, X2_SPACE_OWN_PROGRAM, LOAD_KIP, LOAD_UTCB, L4_nilthread, &old));
	CHECK(L4_ThreadControl(t, t, L4_Myself(), L4_Myself(), (void *)X2_CHILD_UTCB));
	/* Nothing of this program's image is in that space: no fault yet. */
	CHECK_EQ(prog.faults, 0);
	L4_LoadMR(0, 2);
	L4_LoadMR(1, prog.entry);
	L4_LoadMR(2, X2_LOAD_STACK_TOP);
	CHECK(L4_IpcSucceeded(L4_Send(t)));
	/* Its first fault is at its entry, fetching code. */
	L4_MsgTag_t tag = L4_Receive_Timeout(t, L4_TimePeriod(2000000));
	CHECK(L4_IsPagefault(tag));
	L4_Word_t addr, ip;
	L4_StoreMR(1, &addr);
	L4_StoreMR(2, &ip);
	CHECK_EQ(addr, prog.entry);
	CHECK_EQ(ip, prog.entry);
	CHECK_EQ(L4_Label(tag) & L4_eXecutable, L4_eXecutable);
	CHECK_EQ(x2_load_pagefault(&prog, tag), X2_LOAD_OK);
	L4_Reply(t);
	tag = serve(t);
	CHECK(L4_IpcSucceeded(tag));
	L4_Word_t w = 0;
	L4_StoreMR(1, &w);
	CHECK_EQ(w, t.raw);
	/* A second start message is an ordinary message now (it has started). */
	CHECK_EQ(x2_sys.t[x2_find(t.raw)].load_wait, 0);
	x2_load_end(&prog);
	CHECK(x2_find(t.raw) < 0);
}

/* A second thread in the loaded space, created after the program joined:
 * it starts in the program's own trampoline and runs its main too,
 * sharing the space's image with the first. */
X2TEST(x2_load_second_thread_in_space)
{
	if (!have_modules())
		return;
	L4_ThreadId_t t = L4_GlobalId(NO_A, 1), t2 = L4_GlobalId(NO_B, 1);
	CHECK(load_hello(t) != 0);
	L4_MsgTag_t tag = serve(t);
	CHECK(L4_IpcSucceeded(tag));
	L4_Word_t w[7];
	for (int k = 1; k <= 6; k++)
		L4_StoreMR(k, &w[k]);
	CHECK_EQ(w[3], HELLO_MAGIC + 1);
	CHECK(L4_ThreadControl(t2, t, L4_Myself(), L4_Myself(), (void *)(X2_CHILD_UTCB + 1024)));
	L4_Start_SpIp(t2, X2_LOAD_STACK_TOP - X2_LOAD_STACK_SIZE / 2, w[5]);
	tag = serve(t2);
	CHECK(L4_IpcSucceeded(tag));
	L4_Word_t v[7];
	for (int k = 1; k <= 6; k++)
		L4_StoreMR(k, &v[k]);
	CHECK_EQ(v[1], t2.raw);
	CHECK_EQ(v[2], w[2]);
	CHECK_EQ(v[3], HELLO_MAGIC + 2); /* the same image as the first thread's */
	CHECK_EQ(x2_sys.t[x2_find(t2.raw)].space, x2_sys.t[x2_find(t.raw)].space);
	x2_load_end(&prog);
	CHECK(L4_ThreadControl(t2, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1));
	CHECK(x2_find(t.raw) < 0 && x2_find(t2.raw) < 0);
}

X2TEST(x2_load_refuses_bad_modules)
{
	if (!have_modules())
		return;
	L4_ThreadId_t t = L4_GlobalId(NO_A, 1);
	/* Not ELF: a Lua script. */
	L4_BootRec_t *lua = module("check.lua"), *h = module("x2hello.elf"), *bad = module("badelf.elf");
	CHECK(lua && h && bad);
	const void *img = (const void *)L4_Module_Start(h);
	CHECK_EQ(x2_load_check(&prog, (const void *)L4_Module_Start(lua), L4_Module_Size(lua)),
		 X2_LOAD_NOT_ELF);
	/* Truncated: in its header, and in its segments. */
	CHECK_EQ(x2_load_check(&prog, img, 40), X2_LOAD_TRUNCATED);
	/* (its code starts at 4 KiB in the file: cut in the middle of it) */
	CHECK_EQ(x2_load_check(&prog, img, 0x3000), X2_LOAD_TRUNCATED);
	CHECK(strcmp(prog.why, "segment outside the file") == 0);
	/* Not for this machine. */
	CHECK_EQ(x2_load_check(&prog, (const void *)L4_Module_Start(bad), L4_Module_Size(bad)),
		 X2_LOAD_BAD_ELF);
	CHECK(strcmp(prog.why, "not x86-64") == 0);
	CHECK(strcmp(x2_load_error_string(X2_LOAD_TRUNCATED), "truncated module") == 0);
	/* A KIP area over its code. */
	CHECK_EQ(x2_load_check(&prog, img, L4_Module_Size(h)), X2_LOAD_OK);
	CHECK_EQ(x2_load_start(&prog, t, L4_Myself(), L4_FpageLog2(prog.seg[0].vaddr & ~0x1ffful, 13),
			       LOAD_UTCB),
		 X2_LOAD_BAD_LAYOUT);
	/* A thread id that cannot be made (a system thread): nothing left. */
	CHECK_EQ(x2_load_start(&prog, L4_GlobalId(40, 1), L4_Myself(), LOAD_KIP, LOAD_UTCB),
		 X2_LOAD_NO_SPACE);
	CHECK_EQ(prog.l4_error, L4_ErrInvalidThread);
	/* None of it left a thread; the root server still loads and runs. */
	CHECK(x2_find(t.raw) < 0);
	CHECK(x2_find(L4_GlobalId(40, 1).raw) < 0);
	CHECK(load_hello(t) != 0);
	L4_MsgTag_t tag = serve(t);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(L4_UntypedWords(tag), 6);
	/* A fault it has nothing at, and a message that is no fault. */
	L4_MsgTag_t pf = { .raw = 0 };
	pf.X.label = L4_PAGEFAULT_LABEL | L4_Readable;
	pf.X.u = 2;
	L4_LoadMR(1, 0x10);
	CHECK_EQ(x2_load_pagefault(&prog, pf), X2_LOAD_BAD_FAULT);
	CHECK_EQ(x2_load_pagefault(&prog, L4_Niltag), X2_LOAD_BAD_FAULT);
	x2_load_end(&prog);
	CHECK(x2_find(t.raw) < 0);
}
