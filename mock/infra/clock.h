/*
 * clock.h - the one clock every time-dependent rule reads (token expiry,
 * timestamps, schedules). Real time, shifted by an offset, or frozen.
 * Thread-safety: callable from any thread; a mutex inside.
 */
#ifndef IMPMOCK_CLOCK_H
#define IMPMOCK_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* Current time in unix seconds. */
int64_t clock_now(void);
/* Jump to `unix_seconds` (keeps running unless frozen). */
void clock_set(int64_t unix_seconds);
/* Move by `seconds` (may be negative). */
void clock_advance(int64_t seconds);
/* Stop or restart the clock at its current reading. */
void clock_freeze(bool frozen);
bool clock_is_frozen(void);
/* Back to real time, not frozen (for tests and reset). */
void clock_reset(void);
/* The clock's whole state, to be kept across restarts: frozen and the frozen
 * reading, or running and the offset from real time in seconds. */
void clock_get_state(bool *ret_frozen, int64_t *ret_value);
void clock_restore_state(bool frozen, int64_t value);
/* Waits `ms` milliseconds of real time, whatever the clock reads (scripted
 * delays and slow answers are felt by real clients). */
void clock_sleep_ms(int ms);

/* Calendar arithmetic for the rules that read dates (birthdays, order days,
 * shipping dates, schedule windows), proleptic Gregorian. */
/* Days in MONTH (1..12) of YEAR. */
int clock_days_in_month(int year, int month);
/* Days from 1970-01-01 to YEAR-MONTH-DAY (negative before it). */
int64_t clock_days_from_civil(int64_t year, int64_t month, int64_t day);

/* A moment broken down in UTC, as gmtime_r would, without the C library's
 * time-zone lock (gmtime_r takes it on every call: a charge path made
 * 128 workers queue on it). */
struct clock_civil {
    int64_t year;
    int month, day, hour, min, sec; /* 1..12, 1..31, 0..23, 0..59, 0..59 */
};
void clock_civil_of(int64_t unix_secs, struct clock_civil *ret);

#endif
