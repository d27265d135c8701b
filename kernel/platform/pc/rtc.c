/* The CMOS real-time clock, read once at boot for the KIP's wall clock
 * (wall_boot_ns): the PC's only wall-clock source. Registers 0x00-0x09
 * (seconds .. year), status B for the format (BCD or binary, 12 or 24
 * hours), 0x32 for the century where firmware keeps it. Read twice until
 * equal, outside an update cycle (status A bit 7), as the datasheet
 * (MC146818) asks. */
#include "arch/platform.h"
#include <machine/x86.h>

#define CMOS_ADDR 0x70
#define CMOS_DATA 0x71
#define REG_A 0x0a
#define REG_B 0x0b
#define A_UPDATE 0x80
#define B_BINARY 0x04
#define B_24H 0x02
#define REG_CENTURY 0x32

static uint8_t cmos(uint8_t reg)
{
	outb(CMOS_ADDR, reg); /* bit 7 clear: NMI stays enabled */
	return inb(CMOS_DATA);
}

struct rtc_time {
	uint8_t sec, min, hour, day, mon, year, century;
};

static void rtc_read_raw(struct rtc_time *t)
{
	for (unsigned spins = 0; (cmos(REG_A) & A_UPDATE) && spins < 1000000; spins++)
		cpu_relax();
	t->sec = cmos(0x00);
	t->min = cmos(0x02);
	t->hour = cmos(0x04);
	t->day = cmos(0x07);
	t->mon = cmos(0x08);
	t->year = cmos(0x09);
	t->century = cmos(REG_CENTURY);
}

static unsigned from_bcd(uint8_t v)
{
	return (v >> 4) * 10u + (v & 0xfu);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; m 1..12). */
static uint64_t days_from_civil(unsigned y, unsigned m, unsigned d)
{
	y -= m <= 2;
	unsigned era = y / 400, yoe = y - era * 400;
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (uint64_t)era * 146097 + doe - 719468;
}

uint64_t platform_wall_clock_s(void)
{
	struct rtc_time a, b;
	unsigned tries = 0;
	rtc_read_raw(&a);
	do {
		b = a;
		rtc_read_raw(&a);
	} while ((a.sec != b.sec || a.min != b.min || a.hour != b.hour || a.day != b.day) && ++tries < 5);
	uint8_t fmt = cmos(REG_B);
	int pm = !(fmt & B_24H) && (a.hour & 0x80);
	a.hour &= 0x7f;
	unsigned sec = a.sec, min = a.min, hour = a.hour, day = a.day, mon = a.mon, year = a.year,
		 cent = a.century;
	if (!(fmt & B_BINARY)) {
		sec = from_bcd(a.sec);
		min = from_bcd(a.min);
		hour = from_bcd(a.hour);
		day = from_bcd(a.day);
		mon = from_bcd(a.mon);
		year = from_bcd(a.year);
		cent = from_bcd(a.century);
	}
	if (!(fmt & B_24H))
		hour = hour % 12 + (pm ? 12 : 0);
	year += (cent >= 19 && cent <= 99 ? cent : 20) * 100;
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60 || year < 1970)
		return 0; /* no RTC, or garbage */
	return days_from_civil(year, mon, day) * 86400 + hour * 3600ul + min * 60ul + sec;
}
