/* sigma0's protocol (include/mica/sigma0.h), asked by this task, which
 * is the root task: memory of any kind it hands out, what it refuses,
 * ports, and its paging of the root task. */
#include <boot_env.h>
#include <mica/layout.h>
#include <mica_sigma0.h>

#include "ktest.h"
#include "mem.h"

#define S0 MICA_CAP_PAGER

static int ask(mica_word_t request, mica_word_t fpage, mica_word_t window, mica_word_t *given)
{
	return mica_sigma0_request(S0, request, fpage, window, given);
}

/* The KIP's memory descriptor holding pa, or 0. */
static const struct mica_kip_mem *region_of(mica_word_t pa)
{
	const struct mica_kip_mem *m = mica_kip_at(boot_kip, boot_kip->mem_offset);
	for (uint32_t i = 0; i < boot_kip->mem_count; i++)
		if (pa >= m[i].base && pa - m[i].base < m[i].size)
			return &m[i];
	return 0;
}

/* The first descriptor of a type, or 0. */
static const struct mica_kip_mem *first_of(uint32_t type)
{
	const struct mica_kip_mem *m = mica_kip_at(boot_kip, boot_kip->mem_offset);
	for (uint32_t i = 0; i < boot_kip->mem_count; i++)
		if (m[i].type == type)
			return &m[i];
	return 0;
}

static mica_word_t info(mica_word_t *given)
{
	mica_mr()[0] = MICA_SIGMA0_INFO;
	mica_mr()[1] = 0;
	if (mica_msgtag_is_error(mica_call(S0, MICA_LABEL_SIGMA0, 2)))
		return 0;
	*given = mica_mr()[1];
	return mica_mr()[0];
}

KTEST(sigma0_any_page_is_free_ram_mapped_at_the_window)
{
	mica_word_t pa = 0, v = 0x5150;
	CHECK_OK(mica_sigma0_ram(S0, KALIAS, 12, MICA_FPAGE_RW, &pa));
	CHECK_EQ(pa & 0xfff, 0);
	const struct mica_kip_mem *r = region_of(pa);
	CHECK(r && r->type == MICA_MEM_CONVENTIONAL);
	CHECK_EQ(kprobe(KTASK, KALIAS + 8, 1, &v), 0);
	CHECK_EQ(((volatile mica_word_t *)KALIAS)[1], 0x5150);
}

KTEST(sigma0_any_block_is_aligned_to_its_size)
{
	mica_word_t pa = 0, v;
	CHECK_OK(mica_sigma0_ram(S0, KALIAS + 0x100000, 16, MICA_FPAGE_RW, &pa));
	CHECK_EQ(pa & 0xffff, 0);
	for (mica_word_t off = 0; off < 0x10000; off += 0x4000)
		CHECK_EQ(kprobe(KTASK, KALIAS + 0x100000 + off, 0, &v), 0);
	/* The window is where it lands, not the physical address. */
	CHECK_EQ(kprobe(KTASK, KALIAS + 0x110000, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

KTEST(sigma0_info_counts_what_it_gives)
{
	mica_word_t given0 = 0, given1 = 0;
	mica_word_t free0 = info(&given0);
	CHECK(free0 > 0);
	CHECK_OK(mica_sigma0_ram(S0, KALIAS, 13, MICA_FPAGE_RW, 0));
	mica_word_t free1 = info(&given1);
	CHECK_EQ(free0 - free1, 8192);
	CHECK_EQ(given1 - given0, 8192);
}

/* A specific page goes out once: the last page of the last free RAM
 * region (sigma0 hands out "any" memory from the bottom). */
KTEST(sigma0_specific_page_goes_out_once)
{
	const struct mica_kip_mem *m = mica_kip_at(boot_kip, boot_kip->mem_offset), *last = 0;
	for (uint32_t i = 0; i < boot_kip->mem_count; i++)
		if (m[i].type == MICA_MEM_CONVENTIONAL)
			last = &m[i];
	CHECK(last);
	mica_word_t pa = ((last->base + last->size) & ~0xffful) - 4096, given = 0, v = 77;
	mica_word_t fp = mica_fpage_mem(pa, 12, MICA_FPAGE_RW);
	CHECK_OK(ask(MICA_SIGMA0_MEM, fp, mica_fpage_mem(KALIAS, 12, MICA_FPAGE_RW), &given));
	CHECK_EQ(given, fp);
	CHECK_EQ(kprobe(KTASK, KALIAS, 1, &v), 0);
	CHECK_ERR(ask(MICA_SIGMA0_MEM, fp, mica_fpage_mem(KALIAS + 4096, 12, MICA_FPAGE_RW), 0),
		  MICA_E_NO_MEMORY);
	CHECK_EQ(kprobe(KTASK, KALIAS + 4096, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

KTEST(sigma0_refuses_kernel_memory)
{
	const struct mica_kip_mem *k = first_of(MICA_MEM_KERNEL);
	CHECK(k);
	mica_word_t w = mica_fpage_mem(KALIAS, 12, MICA_FPAGE_RW);
	CHECK_ERR(ask(MICA_SIGMA0_MEM, mica_fpage_mem(k->base, 12, MICA_FPAGE_R), w, 0), MICA_E_NO_RIGHTS);
	CHECK_ERR(ask(MICA_SIGMA0_DEVICE, mica_fpage_mem(k->base, 12, MICA_FPAGE_R), w, 0), MICA_E_NO_RIGHTS);
	/* The local APIC's registers are the kernel's too. */
	const struct mica_kip_mem *lapic = region_of(0xfee00000);
	CHECK(lapic && lapic->type == MICA_MEM_KERNEL);
	CHECK_ERR(ask(MICA_SIGMA0_DEVICE, mica_fpage_mem(0xfee00000, 12, MICA_FPAGE_RW), w, 0),
		  MICA_E_NO_RIGHTS);
	mica_word_t v;
	CHECK_EQ(kprobe(KTASK, KALIAS, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

/* Device memory: not RAM, handed out once; RAM is not a device and a
 * hole is not RAM. 0xb8000 (VGA text) lies in the legacy hole. */
KTEST(sigma0_device_memory)
{
	mica_word_t dev = mica_fpage_mem(0xb8000, 12, MICA_FPAGE_RW),
		    w = mica_fpage_mem(KALIAS, 12, MICA_FPAGE_RW);
	CHECK(!region_of(0xb8000) || region_of(0xb8000)->type == MICA_MEM_RESERVED);
	CHECK_ERR(ask(MICA_SIGMA0_MEM, dev, w, 0), MICA_E_NO_RIGHTS);
	CHECK_OK(ask(MICA_SIGMA0_DEVICE, dev, w, 0));
	mica_word_t v;
	CHECK_EQ(kprobe(KTASK, KALIAS, 0, &v), 0);
	CHECK_ERR(ask(MICA_SIGMA0_DEVICE, dev, w, 0), MICA_E_NO_MEMORY);
	const struct mica_kip_mem *ram = first_of(MICA_MEM_CONVENTIONAL);
	CHECK(ram);
	CHECK_ERR(ask(MICA_SIGMA0_DEVICE, mica_fpage_mem(ram->base, 12, MICA_FPAGE_R), w, 0),
		  MICA_E_NO_RIGHTS);
}

KTEST(sigma0_bad_requests)
{
	mica_word_t w = mica_fpage_mem(KALIAS, 12, MICA_FPAGE_RW);
	CHECK_ERR(ask(MICA_SIGMA0_MEM, mica_fpage_io(0x80, 0), w, 0), MICA_E_BAD_ARG);
	CHECK_ERR(ask(MICA_SIGMA0_MEM_ANY, mica_fpage_mem(0, 12, MICA_FPAGE_W), w, 0), MICA_E_BAD_ARG);
	CHECK_ERR(ask(MICA_SIGMA0_MEM_ANY, mica_fpage_mem(0, 11, MICA_FPAGE_R), w, 0), MICA_E_BAD_ARG);
	CHECK_ERR(ask(MICA_SIGMA0_MEM_ANY, mica_fpage_mem(0, 40, MICA_FPAGE_R), w, 0), MICA_E_NO_MEMORY);
	CHECK_ERR(ask(MICA_SIGMA0_IO, mica_fpage_io(0x81, 1), mica_fpage_io(0, 16), 0), MICA_E_BAD_ARG);
	CHECK_ERR(ask(MICA_SIGMA0_IO, mica_fpage_mem(0, 12, MICA_FPAGE_R), mica_fpage_io(0, 16), 0),
		  MICA_E_BAD_ARG);
	CHECK_ERR(ask(99, mica_fpage_mem(0, 12, MICA_FPAGE_R), w, 0), MICA_E_UNKNOWN_OP);
	mica_mr()[0] = MICA_SIGMA0_MEM_ANY;
	CHECK_TAG_ERR(mica_call(S0, MICA_LABEL_SIGMA0, 1), MICA_E_BAD_TAG, 0); /* a user-level error reply */
	CHECK_TAG_ERR(mica_call(S0, 12345, 2), MICA_E_UNKNOWN_OP, 0);
	/* Nothing was mapped by any of them. */
	mica_word_t v;
	CHECK_EQ(kprobe(KTASK, KALIAS, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

/* Ports go out once too: COM1's went to this task at start. */
KTEST(sigma0_io_ports_go_out_once)
{
	mica_word_t given = 0, io = mica_fpage_io(0, 16);
	CHECK_ERR(ask(MICA_SIGMA0_IO, mica_fpage_io(0x3f8, 3), io, 0), MICA_E_NO_MEMORY);
	CHECK_ERR(ask(MICA_SIGMA0_IO, mica_fpage_io(0x3f8, 0), io, 0), MICA_E_NO_MEMORY);
	CHECK_OK(ask(MICA_SIGMA0_IO, mica_fpage_io(0x80, 0), io, &given));
	CHECK_EQ(given, mica_fpage_io(0x80, 0));
	CHECK_ERR(ask(MICA_SIGMA0_IO, mica_fpage_io(0x80, 1), io, 0), MICA_E_NO_MEMORY);
}

/* Boot modules are handed out as they are: this program's own image. */
KTEST(sigma0_boot_module_pages)
{
	const struct mica_kip_module *m = mica_kip_at(boot_kip, boot_kip->module_offset);
	CHECK(boot_kip->module_count >= 2);
	mica_word_t pa = m[1].base & ~0xffful, v;
	CHECK_OK(ask(MICA_SIGMA0_MEM, mica_fpage_mem(pa, 12, MICA_FPAGE_R),
		     mica_fpage_mem(KALIAS, 12, MICA_FPAGE_R), 0));
	CHECK_EQ(kprobe(KTASK, KALIAS + (m[1].base & 0xfff), 0, &v), 0);
	CHECK_EQ(v & 0xffffffff, 0x464c457f); /* "\177ELF" */
	/* Read-only as asked: a write faults. */
	CHECK_EQ(kprobe(KTASK, KALIAS, 1, &v), KPROBE_FAULT | MICA_FPAGE_W | MICA_PF_PRESENT);
}

/* The root task's stack grows on demand (sigma0 backs 1 MiB below its
 * top); its other addresses are not sigma0's to page. */
static void touch(struct kthread *k)
{
	volatile mica_word_t *p = (volatile mica_word_t *)k->arg;
	k->out[0] = *p;
	*p = 0x600d;
	k->out[1] = *p;
}

KTEST(sigma0_pages_the_root_task)
{
	mica_cap_t g, cg;
	CHECK_OK(kgate_for(KTASK, &g, &cg));
	struct kthread *k = kthread_new(KTASK, touch, MICA_BOOT_STACK_TOP - 0xc0000);
	CHECK(k);
	CHECK_OK(mica_thread_control(k->sel, MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC, 0, 0, S0, cg));
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], 0); /* fresh stack is zero */
	CHECK_EQ(k->out[1], 0x600d);
	/* Outside its image and stack: sigma0 refuses, an exception follows. */
	k = kthread_new(KTASK, touch, 0x10000000);
	CHECK(k);
	CHECK_OK(mica_thread_control(k->sel, MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC, 0, 0, S0, cg));
	CHECK_OK(kthread_go(k));
	mica_word_t label;
	mica_msgtag_t t = mica_wait(g, MICA_TIMEOUT_NEVER, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_EXCEPTION);
	CHECK_EQ(mica_mr()[MICA_EXC_VECTOR], 14);
	CHECK_EQ(mica_mr()[MICA_EXC_ADDR], 0x10000000);
	CHECK_OK(mica_error(mica_reply(mica_error_tag(MICA_E_BAD_ARG))));
}
