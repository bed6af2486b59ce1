/*
 * limits.h - bounds and constants more than one layer reads, defined once:
 * paging, card fields, the time range a field may name, Korean time.
 * (Field lengths of the records are in base/model.h.)
 */
#ifndef IMPMOCK_LIMITS_H
#define IMPMOCK_LIMITS_H

#define LIST_LIMIT_MAX 1000           /* items per page of a paged list */
#define PAGE_MAX       1000000000     /* highest page number accepted */
#define CARD_FIELD_MAX 64             /* card_number, expiry, birth, pwd_2digit, cvc as sent */
#define TIME_MAX       253402300799LL /* 9999-12-31T23:59:59Z, the latest time a field may name */
#define KST_OFFSET     (9 * 3600) /* card expiry, PG timestamps and day bounds are Korean time */

#endif
