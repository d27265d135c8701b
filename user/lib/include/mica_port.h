/* I/O port access for user-level drivers (the task needs the ports in
 * its I/O space: a sigma0 request or a map item). */
#pragma once

#include <stdint.h>

static inline void mica_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t mica_inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
