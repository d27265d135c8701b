/* IPC gates have no kernel methods: every invocation of a gate capability
 * is a message to whoever receives from the gate, with the label of the
 * capability it came through. Rights are in caps.h (MICA_GATE_R_*). */
#pragma once

/* Labels of capabilities the factory and the root task hand out are
 * chosen by their creators; 0 means "unlabeled" (relabeling is allowed
 * only from 0, see MICA_TASK_CAP_COPY). */
#define MICA_GATE_LABEL_NONE 0
