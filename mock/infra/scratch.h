/*
 * scratch.h - per-thread buffers that outlive one request: a worker renders
 * an answer, frames it for the wire or masks what the journal keeps in the
 * same memory every time, instead of a malloc and a free per request (which
 * also wait on the allocator's arena lock, held by whichever worker was
 * preempted in malloc). A buffer grown past SCRATCH_KEEP by a huge answer is
 * given back at the next smaller request, so a worker keeps only a few KiB.
 * Thread-safety: each thread has its own buffers; a buffer is valid until
 * the same thread asks for the same slot again. Freed when the thread ends.
 */
#ifndef IMPMOCK_SCRATCH_H
#define IMPMOCK_SCRATCH_H

#include <stddef.h>

#define SCRATCH_KEEP 65536 /* bytes a slot keeps between requests */

enum scratch_slot {
    SCRATCH_BODY,    /* the answer's body (http: a payment's envelope) */
    SCRATCH_WIRE,    /* head and body as written to the socket (http/send.c) */
    SCRATCH_JOURNAL, /* a request masked for the journal (infra/journal.c) */
    SCRATCH_DECODE,  /* the decoded characters of the masking (infra/redact.c) */
    SCRATCH__COUNT
};

/* At least `need` bytes of this thread's buffer `slot` (contents not kept
 * from the last call); NULL when out of memory. */
void *scratch_get(enum scratch_slot slot, size_t need);
/* The same buffer grown to at least `need` bytes, its contents kept (for a
 * writer that does not know the length beforehand); NULL when out of memory
 * (the buffer is then unchanged). */
void *scratch_grow(enum scratch_slot slot, size_t need);

#endif
