/* recqueue.h: hands key records from the thread that parses (parser and
 * memory model) to a second thread that aggregates them, so that the two
 * halves of `report` run at once on two cores.
 *
 * One producer, one consumer, first in first out: the consumer sees the
 * records in the order they were pushed, so what it computes is what the
 * same sink called in line would compute. A record's key bytes and module
 * name are copied into a ring of fixed size (the only memory the queue
 * takes); a key too long for the ring is handed over in line, after the
 * consumer has caught up.
 *
 * Between recq_drain() returning and the next recq_push(), the consumer is
 * idle and everything it has written is visible to the producer, which may
 * then touch the consumer's state itself (the aggregate's per-file facts).
 */
#ifndef RDBLENS_CLI_RECQUEUE_H
#define RDBLENS_CLI_RECQUEUE_H

#include <stddef.h>

#include "cli/pipeline.h"

typedef struct recq recq;

/* Starts the consumer thread, which calls sink(ctx, record) per record
 * (its answer is not looked at: a consumer records its own failures).
 * ring_bytes: the ring's size (at least 64 KiB is used). NULL when the
 * thread or the ring cannot be had; the caller then calls the sink itself. */
recq *recq_start(record_sink sink, void *ctx, size_t ring_bytes);

/* Queues a copy of r (waits while the ring is full). */
void recq_push(recq *q, const key_record *r);

/* Waits until every record pushed so far has been consumed. */
void recq_drain(recq *q);

/* Drains, stops the thread and frees the queue. NULL is a no-op. */
void recq_stop(recq *q);

/* A record_sink that pushes to the recq given as its context. */
int recq_sink(void *q, const key_record *r);

#endif
