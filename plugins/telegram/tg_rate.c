/*
 * Token buckets.
 */
#include "tg_rate.h"

void tg_bucket_init(struct tg_bucket *b, double rate, double burst, double now)
{
	b->rate = rate;
	b->burst = burst < 1 ? 1 : burst;
	b->tokens = b->burst;
	b->last = now;
}

static void refill(struct tg_bucket *b, double now)
{
	/* A clock that went backwards adds nothing. */
	if (now > b->last) {
		b->tokens += (now - b->last) * b->rate;
		if (b->tokens > b->burst)
			b->tokens = b->burst;
	}
	b->last = now;
}

double tg_bucket_wait(struct tg_bucket *b, double now)
{
	refill(b, now);
	/* Refills are computed in floating point; a hair under one token
	 * counts as one so a timer armed for the wait is never short. */
	if (b->tokens >= 1 - 1e-9)
		return 0;
	return (1 - b->tokens) / b->rate;
}

void tg_bucket_take(struct tg_bucket *b, double now)
{
	refill(b, now);
	b->tokens -= 1;
}
