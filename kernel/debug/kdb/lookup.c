/* Naming things in the debugger: parsing numbers, threads, tasks and
 * objects from a command's words, and the ids objects have in its
 * output (stable and greppable: "thread:7", "task:2", "gate:0x1a3"). */
#include <format.h>

#include "debug/kdb/kdb.h"
#include "klib/kprintf.h"
#include "objects/task.h"
#include "objects/thread.h"

static const char *const type_names[MICA_OBJ_TYPES] = {
	[MICA_OBJ_NONE] = "none",     [MICA_OBJ_TASK] = "task",	      [MICA_OBJ_THREAD] = "thread",
	[MICA_OBJ_GATE] = "gate",     [MICA_OBJ_FACTORY] = "factory", [MICA_OBJ_VCON] = "vcon",
	[MICA_OBJ_IRQ] = "irq",	      [MICA_OBJ_ICU] = "icu",	      [MICA_OBJ_SCHEDULER] = "scheduler",
	[MICA_OBJ_KDEBUG] = "kdebug", [MICA_OBJ_REPLY] = "reply",
};

struct kobj *kdb_oldest(void)
{
	struct kobj *o = kobj_all;
	while (o && o->all_next)
		o = o->all_next;
	return o;
}

const char *kdb_type_name(unsigned type)
{
	return type < MICA_OBJ_TYPES && type_names[type] ? type_names[type] : "?";
}

void kdb_obj_id(const struct kobj *o, char *buf, unsigned size)
{
	if (o->type == MICA_OBJ_TASK)
		format_buf(buf, size, "task:%u", ((const struct task *)o)->id);
	else if (o->type == MICA_OBJ_THREAD)
		format_buf(buf, size, "thread:%u", ((const struct thread *)o)->id);
	else if (!o->phys)
		format_buf(buf, size, "%s", kdb_type_name(o->type));
	else
		format_buf(buf, size, "%s:0x%lx", kdb_type_name(o->type), o->phys >> 12);
}

void kdb_thread_name(const struct thread *t, char *buf, unsigned size)
{
	format_buf(buf, size, "%u '%s'", t->id, t->task ? t->task->name : "-");
}

bool kdb_number(const char *s, uint64_t *out)
{
	if (s[0] == '$' && !s[1]) {
		*out = kdb_session.value;
		return true;
	}
	uint64_t v = 0;
	unsigned base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

struct thread *kdb_thread(const char *s)
{
	uint64_t id;
	if (s && s[0] == '.' && !s[1] && kdb_session.thread)
		return kdb_session.thread;
	if (s && kdb_number(s, &id))
		for (struct kobj *o = kobj_all; o; o = o->all_next)
			if (o->type == MICA_OBJ_THREAD && ((struct thread *)o)->id == id)
				return (struct thread *)o;
	kprintf("kdb: no thread '%s'\n", s ? s : "");
	return 0;
}

static bool same_name(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

struct task *kdb_task(const char *s)
{
	uint64_t id;
	if (s && s[0] == '.' && !s[1] && kdb_session.thread && kdb_session.thread->task)
		return kdb_session.thread->task;
	bool num = s && kdb_number(s, &id);
	if (s)
		for (struct kobj *o = kobj_all; o; o = o->all_next) {
			if (o->type != MICA_OBJ_TASK)
				continue;
			struct task *t = (struct task *)o;
			if (num ? t->id == id : same_name(t->name, s))
				return t;
		}
	kprintf("kdb: no task '%s'\n", s ? s : "");
	return 0;
}

struct kobj *kdb_object(const char *s)
{
	char id[40];
	if (s)
		for (struct kobj *o = kobj_all; o; o = o->all_next) {
			kdb_obj_id(o, id, sizeof(id));
			if (same_name(id, s))
				return o;
		}
	kprintf("kdb: no object '%s' (ids as caps prints them: task:2, gate:0x1a3)\n", s ? s : "");
	return 0;
}
