/* The server loop of mica_server.h. */
#include <mica_server.h>

static struct mica_server_object *find(struct mica_server *s, mica_word_t label)
{
	for (unsigned i = 0; i < s->count; i++)
		if (s->objects[i].label == label)
			return &s->objects[i];
	return 0;
}

int mica_server_loop(struct mica_server *s)
{
	mica_word_t label;
	mica_msgtag_t tag = mica_wait(s->src, MICA_TIMEOUT_NEVER, &label);
	for (;;) {
		if (mica_msgtag_is_error(tag) && (tag.raw & MICA_TAG_RECV_PHASE))
			return (int)mica_msgtag_label(tag);
		struct mica_server_object *o = find(s, label);
		mica_msgtag_t answer = o ? o->handler(s, o->obj, mica_msgtag_label(tag), tag)
					 : mica_error_tag(MICA_E_INVALID_CAP);
		if (s->stop) {
			mica_reply(answer);
			return 0;
		}
		tag = mica_reply_wait(answer, s->src, &label);
	}
}
