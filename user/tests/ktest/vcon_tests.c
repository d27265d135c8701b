/* vcon_: the kernel console object. */
#include <string.h>

#include "ktest.h"

static mica_msgtag_t write_str(mica_cap_t v, const char *s)
{
	size_t n = strlen(s);
	mica_mr()[0] = n;
	memcpy(&mica_mr()[1], s, n);
	return mica_call(v, MICA_VCON_WRITE, 1 + (unsigned)((n + 7) / 8));
}

KTEST(vcon_write_text)
{
	CHECK_EQ(mica_error(write_str(MICA_CAP_VCON, "vcon: written through the Vcon object\n")), MICA_OK);
	CHECK_EQ(mica_error(write_str(MICA_CAP_VCON, "")), MICA_OK);
}

KTEST(vcon_write_limits)
{
	char buf[MICA_VCON_WRITE_MAX + 1];
	memset(buf, '.', sizeof(buf));
	buf[MICA_VCON_WRITE_MAX - 1] = '\n';
	mica_mr()[0] = MICA_VCON_WRITE_MAX;
	memcpy(&mica_mr()[1], buf, MICA_VCON_WRITE_MAX);
	CHECK_EQ(mica_error(mica_call(MICA_CAP_VCON, MICA_VCON_WRITE, 63)), MICA_OK);
	mica_mr()[0] = MICA_VCON_WRITE_MAX + 1;
	CHECK_TAG_ERR(mica_call(MICA_CAP_VCON, MICA_VCON_WRITE, 63), MICA_E_BAD_ARG, 0);
	mica_mr()[0] = 9; /* more bytes than one word carries */
	CHECK_TAG_ERR(mica_call(MICA_CAP_VCON, MICA_VCON_WRITE, 2), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(mica_call(MICA_CAP_VCON, MICA_VCON_WRITE, 0), MICA_E_BAD_TAG, 0);
}

KTEST(vcon_write_needs_write_right)
{
	mica_cap_t ro = ksel();
	CHECK_OK(mica_cap_copy(KTASK, MICA_CAP_VCON, ro, MICA_VCON_R_READ | MICA_VCON_R_CONTROL, 0));
	CHECK_TAG_ERR(write_str(ro, "x"), MICA_E_NO_RIGHTS, 0);
}

KTEST(vcon_attributes)
{
	mica_word_t a[3];
	CHECK_OK(mica_vcon_get_attr(MICA_CAP_VCON, a));
	CHECK_EQ(a[0], MICA_VCON_ICRNL);
	CHECK_EQ(a[1], MICA_VCON_ONLCR);
	CHECK_EQ(a[2], 0);
	mica_word_t raw[3] = { MICA_VCON_ICRNL, 0, 0 };
	CHECK_OK(mica_vcon_set_attr(MICA_CAP_VCON, raw));
	CHECK_OK(mica_vcon_get_attr(MICA_CAP_VCON, a));
	CHECK_EQ(a[1], 0);
	CHECK_EQ(mica_error(write_str(MICA_CAP_VCON, "vcon: raw line\r\n")), MICA_OK);
	mica_word_t back[3] = { MICA_VCON_ICRNL, MICA_VCON_ONLCR, 0 };
	CHECK_OK(mica_vcon_set_attr(MICA_CAP_VCON, back));
	CHECK_OK(mica_vcon_get_attr(MICA_CAP_VCON, a));
	CHECK_EQ(a[1], MICA_VCON_ONLCR);
}

KTEST(vcon_attribute_errors)
{
	mica_word_t bad1[3] = { 2, MICA_VCON_ONLCR, 0 }, bad2[3] = { 0, 0x10, 0 }, bad3[3] = { 0, 1, 4 };
	CHECK_ERR(mica_vcon_set_attr(MICA_CAP_VCON, bad1), MICA_E_BAD_ARG);
	CHECK_ERR(mica_vcon_set_attr(MICA_CAP_VCON, bad2), MICA_E_BAD_ARG);
	CHECK_ERR(mica_vcon_set_attr(MICA_CAP_VCON, bad3), MICA_E_BAD_ARG);
	mica_cap_t rw = ksel();
	CHECK_OK(mica_cap_copy(KTASK, MICA_CAP_VCON, rw, MICA_VCON_R_READ | MICA_VCON_R_WRITE, 0));
	mica_word_t ok[3] = { MICA_VCON_ICRNL, MICA_VCON_ONLCR, 0 }, a[3];
	CHECK_ERR(mica_vcon_set_attr(rw, ok), MICA_E_NO_RIGHTS);
	mica_cap_t wo = ksel();
	CHECK_OK(mica_cap_copy(KTASK, MICA_CAP_VCON, wo, MICA_VCON_R_WRITE, 0));
	CHECK_ERR(mica_vcon_get_attr(wo, a), MICA_E_NO_RIGHTS);
	CHECK_TAG_ERR(mica_call(MICA_CAP_VCON, MICA_VCON_SET_ATTR, 2), MICA_E_BAD_TAG, 0);
}

KTEST(vcon_unknown_methods)
{
	CHECK_TAG_ERR(mica_call(MICA_CAP_VCON, 0, 0), MICA_E_UNKNOWN_OP, 0);
	CHECK_TAG_ERR(mica_call(MICA_CAP_VCON, 1ul << 40, 0), MICA_E_UNKNOWN_OP, 0);
}

static void child_prints(struct kthread *k)
{
	k->out[0] = (mica_word_t)printf("vcon: hello from a child task\n");
}

KTEST(vcon_from_child_task)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	struct kthread *k = kthread_start(t, child_prints, 0);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], 30);
}
