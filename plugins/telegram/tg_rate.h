/*
 * Token buckets for Telegram's flood limits: one for the whole bot
 * (rate_global messages a second) and one per chat (rate_chat).  Pure:
 * the caller passes the time (seconds on a monotonic clock).
 */
#ifndef TG_RATE_H
#define TG_RATE_H

struct tg_bucket {
	double rate;   /* tokens added per second */
	double burst;  /* most tokens held */
	double tokens;
	double last;   /* time of the last refill */
};

/* A full bucket: burst tokens now, refilled at rate per second.  rate
 * and burst must be > 0. */
void tg_bucket_init(struct tg_bucket *b, double rate, double burst, double now);

/* Seconds until one token is available (0 when one is). */
double tg_bucket_wait(struct tg_bucket *b, double now);

/* Takes one token (the caller checked tg_bucket_wait() == 0; taking
 * from an empty bucket goes into debt, which later waits repay). */
void tg_bucket_take(struct tg_bucket *b, double now);

#endif
