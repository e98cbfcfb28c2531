/*
 * Engine life cycle: start-up, config reload on SIGHUP, stop on
 * SIGTERM/SIGINT, and --check-config.
 */
#include "engine_int.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "http.h"
#include "log.h"
#include "planner.h"
#include "program_file.h"
#include "schedule.h"
#include "sdnotify.h"

double engine_now(const struct engine *e)
{
	return clock_now(&e->clock);
}

static double now_cb(void *ctx)
{
	return engine_now(ctx);
}

int engine_tx_lazy(struct engine *e)
{
	return lazy_tx_begin(&e->tx);
}

int engine_tx_flush(struct engine *e)
{
	return lazy_tx_flush(&e->tx);
}

static void flush_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	(void)loop;
	(void)revents;
	engine_tx_flush(w->data);
}

static void send_done_cb(void *ctx, struct host_channel *ch, uint64_t token,
			 const struct rehabd_send_result *res)
{
	struct engine *e = ctx;
	outbox_send_done(e->outbox, ch, token, res);
}

/* The outbox's way to a runner's channel. */
static int route_cb(void *arg, const char *runner, struct outbox_route *out)
{
	struct eng_runner *r = engine_runner_by_name(arg, runner);
	if (!r)
		return -1;
	out->ch = r->ch;
	out->address = r->cfg->address;
	out->zone = r->cfg->zone;
	return 0;
}

/* Orders runners by name. */
static int cmp_name(const void *a, const void *b)
{
	const struct eng_runner *ra = *(struct eng_runner *const *)a;
	const struct eng_runner *rb = *(struct eng_runner *const *)b;
	return strcmp(ra->cfg->name, rb->cfg->name);
}

/* Orders runners by channel, then address. */
static int cmp_address(const void *a, const void *b)
{
	const struct eng_runner *ra = *(struct eng_runner *const *)a;
	const struct eng_runner *rb = *(struct eng_runner *const *)b;
	if (ra->ch != rb->ch)
		return (uintptr_t)ra->ch < (uintptr_t)rb->ch ? -1 : 1;
	return strcmp(ra->cfg->address, rb->cfg->address);
}

/* Builds the two sorted indexes of s.  Returns 0 or -1 (out of memory). */
static int index_runners(struct eng_setup *s)
{
	size_t n = s->n_runners ? s->n_runners : 1;
	s->by_name = calloc(n, sizeof *s->by_name);
	s->by_address = calloc(n, sizeof *s->by_address);
	if (!s->by_name || !s->by_address)
		return -1;
	for (size_t i = 0; i < s->n_runners; i++)
		s->by_name[i] = s->by_address[i] = &s->runners[i];
	qsort(s->by_name, s->n_runners, sizeof *s->by_name, cmp_name);
	qsort(s->by_address, s->n_runners, sizeof *s->by_address, cmp_address);
	return 0;
}

struct eng_runner *engine_runner_by_name(struct engine *e, const char *name)
{
	struct cfg_runner key_cfg = { .name = (char *)name };
	struct eng_runner key = { .cfg = &key_cfg }, *kp = &key, **hit;

	hit = bsearch(&kp, e->s.by_name, e->s.n_runners, sizeof *e->s.by_name,
		      cmp_name);
	return hit ? *hit : NULL;
}

struct eng_runner *engine_runner_by_address(struct engine *e,
					    struct host_channel *ch,
					    const char *address)
{
	struct cfg_runner key_cfg = { .address = (char *)address };
	struct eng_runner key = { .cfg = &key_cfg, .ch = ch }, *kp = &key, **hit;

	hit = bsearch(&kp, e->s.by_address, e->s.n_runners,
		      sizeof *e->s.by_address, cmp_address);
	return hit ? *hit : NULL;
}

int engine_plan(struct engine *e, struct eng_runner *r, int32_t day,
		bool rest, int32_t view, struct coach_plan *plan,
		struct coach_status *status)
{
	return planner_plan(e->store, r->cfg, r->program, day, rest, view, plan,
			    status);
}

const struct removed_runner *engine_removed_runner(struct engine *e,
						   struct host_channel *ch,
						   const char *address)
{
	for (size_t i = 0; i < e->n_removed; i++)
		if (!strcmp(e->removed[i].channel, host_channel_name(ch)) &&
		    !strcmp(e->removed[i].address, address))
			return &e->removed[i];
	return NULL;
}

/* ---- setup ------------------------------------------------------------- */

static void setup_free(struct eng_setup *s, struct engine *e)
{
	for (size_t i = 0; i < s->n_runners; i++)
		if (e && s->runners[i].sr.d)
			slots_stop(&s->runners[i].sr);
	free(s->runners);
	free(s->by_name);
	free(s->by_address);
	for (size_t i = 0; i < s->n_channels; i++)
		host_channel_free(s->channels[i]);
	free(s->channels);
	free(s->programs);
	cfg_free(s->cfg);
	memset(s, 0, sizeof *s);
}

static const struct coach_program *setup_program(struct eng_setup *s,
						 const char *name,
						 const char *file, int line,
						 const char *cfgpath, char *err,
						 size_t errlen)
{
	for (size_t i = 0; i < s->n_programs; i++)
		if (!strcmp(s->programs[i].name, name))
			return &s->programs[i].program;
	struct eng_program *p = realloc(s->programs, (s->n_programs + 1) * sizeof *p);
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->programs = p;
	p = &s->programs[s->n_programs];
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", name);
	char inner[CFG_ERR_MAX];
	if (program_file_load(file, &p->program, inner, sizeof inner) != 0) {
		snprintf(err, errlen, "%s:%d: program \"%s\": %s", cfgpath, line,
			 name, inner);
		return NULL;
	}
	s->n_programs++;
	return &p->program;
}

/* Replaces a runner's configured address by its canonical form on ch, or
 * says at its line what is wrong with it.  Returns 0 or -1 with err. */
static int canonical_address(struct host_channel *ch, const struct cfg *cfg,
			     struct cfg_runner *rc, char *err, size_t errlen)
{
	char canon[256], why[256];
	if (host_channel_canonical(ch, rc->address, canon, sizeof canon, why,
				   sizeof why) != 0) {
		snprintf(err, errlen, "%s:%d: runner \"%s\": address \"%s\" is not an address on channel %s: %s",
			 cfg->path, rc->line, rc->name, rc->address, rc->channel, why);
		return -1;
	}
	if (strcmp(canon, rc->address) != 0) {
		char *copy = strdup(canon);
		if (!copy) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		free(rc->address);
		rc->address = copy;
	}
	return 0;
}

/*
 * Loads config, programs and plugins into s without starting anything.
 * With e == NULL (check-config) channels get no loop or HTTP.  Returns 0
 * or -1 with err; on failure s is freed.
 */
static int setup_load(struct eng_setup *s, struct engine *e, const char *path,
		      const char *plugin_dir, const char *state_dir, char *err,
		      size_t errlen)
{
	struct host_callbacks cb = {
		.ctx = e,
		.inbound = inbound_batch,
		.cursor_load = inbound_cursor_load,
		.send_done = send_done_cb,
		.now = now_cb,
		.state_get = channel_state_get,
		.state_set = channel_state_set,
		.runner_reachable = channel_runner_reachable,
	};

	memset(s, 0, sizeof *s);
	if (cfg_load(path, plugin_dir, state_dir, &s->cfg, err, errlen) != 0)
		return -1;
	struct cfg *cfg = s->cfg;

	s->runners = calloc(cfg->n_runners ? cfg->n_runners : 1, sizeof *s->runners);
	s->channels = calloc(cfg->n_channels ? cfg->n_channels : 1, sizeof *s->channels);
	if (!s->runners || !s->channels) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < cfg->n_runners; i++) {
		const struct cfg_runner *rc = &cfg->runners[i];
		const struct coach_program *prog = setup_program(
			s, rc->program, rc->program_file, rc->line, cfg->path,
			err, errlen);
		if (!prog)
			goto fail;
		s->runners[i].cfg = rc;
		s->runners[i].e = e;
	}
	/* Programs are only appended after this point no more: fix pointers
	 * now that realloc is done. */
	for (size_t i = 0; i < cfg->n_runners; i++)
		for (size_t j = 0; j < s->n_programs; j++)
			if (!strcmp(s->programs[j].name, cfg->runners[i].program))
				s->runners[i].program = &s->programs[j].program;
	s->n_runners = cfg->n_runners;

	for (size_t i = 0; i < cfg->n_channels; i++) {
		const struct cfg_channel *cc = &cfg->channels[i];
		struct host_channel *ch = host_channel_new(
			e ? e->loop : NULL, e ? e->http : NULL, cfg, cc, &cb,
			err, errlen);
		if (!ch)
			goto fail;
		s->channels[s->n_channels++] = ch;
		const char **addr = calloc(cfg->n_runners + 1, sizeof *addr);
		size_t n = 0;
		if (!addr) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		for (size_t j = 0; j < cfg->n_runners; j++)
			if (!strcmp(cfg->runners[j].channel, cc->name)) {
				if (canonical_address(ch, cfg, &cfg->runners[j], err,
						      errlen) != 0) {
					free(addr);
					goto fail;
				}
				addr[n++] = cfg->runners[j].address;
				s->runners[j].ch = ch;
			}
		int rc = host_channel_set_runners(ch, addr, n);
		free(addr);
		if (rc != 0) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		if (host_channel_check(ch, err, errlen) != 0)
			goto fail;
	}
	if (index_runners(s) != 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	/* Sorted by channel and canonical address: two runners on one
	 * address would share every reply. */
	for (size_t i = 1; i < s->n_runners; i++) {
		const struct eng_runner *a = s->by_address[i - 1], *b = s->by_address[i];
		if (a->ch && a->ch == b->ch && !strcmp(a->cfg->address, b->cfg->address)) {
			const struct cfg_runner *first = a->cfg->line < b->cfg->line ? a->cfg : b->cfg;
			const struct cfg_runner *second = first == a->cfg ? b->cfg : a->cfg;
			snprintf(err, errlen,
				 "%s:%d: runner \"%s\" has the address of runner \"%s\" (line %d) on channel %s (%s) — every runner needs an address of their own",
				 cfg->path, second->line, second->name, first->name,
				 first->line, first->channel, first->address);
			goto fail;
		}
	}
	return 0;
fail:
	setup_free(s, NULL);
	return -1;
}

int engine_check_config(const char *path, const char *plugin_dir, char *err,
			size_t errlen)
{
	struct eng_setup s;
	if (setup_load(&s, NULL, path, plugin_dir, NULL, err, errlen) != 0)
		return -1;
	setup_free(&s, NULL);
	return 0;
}

/* Whether a reload leaves a runner's schedule as it was: then its
 * slots stay watched without a break. */
static int same_schedule(const struct cfg_runner *a, const struct cfg_runner *b)
{
	if (strcmp(a->zone, b->zone) || a->start_day != b->start_day ||
	    a->n_stretch != b->n_stretch || a->strength_min != b->strength_min ||
	    a->morning_min != b->morning_min || a->evening_min != b->evening_min ||
	    strcmp(a->program, b->program) || strcmp(a->channel, b->channel) ||
	    strcmp(a->address, b->address))
		return 0;
	for (int i = 0; i < a->n_stretch && i < CFG_MAX_STRETCH; i++)
		if (a->stretch_min[i] != b->stretch_min[i])
			return 0;
	return 1;
}

/* Since when each runner of e->s is watched, into its slot runner
 * (read by setup_start).  old is the setup a reload replaces (NULL at
 * start): a runner it had with the same schedule keeps being watched
 * since when it was; a new or changed one from now. */
static void inherit_watch(struct engine *e, const struct eng_setup *old)
{
	double now = engine_now(e);

	for (size_t i = 0; i < e->s.n_runners; i++) {
		struct eng_runner *r = &e->s.runners[i];
		r->sr.active_since = e->started_at;
		r->sr.cause = SLOTS_SINCE_START;
		if (!old)
			continue;
		const struct eng_runner *was = NULL;
		for (size_t j = 0; j < old->n_runners && !was; j++)
			if (!strcmp(old->runners[j].cfg->name, r->cfg->name))
				was = &old->runners[j];
		if (was && same_schedule(was->cfg, r->cfg)) {
			r->sr.active_since = was->sr.active_since;
			r->sr.cause = was->sr.cause;
		} else {
			r->sr.active_since = now;
			r->sr.cause = SLOTS_SINCE_RELOAD;
		}
	}
}

/* Opens the channels and starts the runners of a loaded setup (after
 * inherit_watch).  A channel that fails to open is logged and left
 * closed: its runners' reminders wait in the outbox. */
static void setup_start(struct engine *e)
{
	e->slots.grace = e->s.cfg->grace_minutes * 60.0;
	outbox_set_limits(e->outbox, e->s.cfg->send_expiry_minutes,
			  e->s.cfg->grace_minutes);
	for (size_t i = 0; i < e->s.n_channels; i++) {
		char err[CFG_ERR_MAX];
		if (host_channel_open(e->s.channels[i], err, sizeof err) != 0)
			log_error("channel %s (%s) did not start: %s",
				  host_channel_name(e->s.channels[i]),
				  host_channel_plugin(e->s.channels[i]), err);
		else
			log_info("channel %s (%s) started",
				 host_channel_name(e->s.channels[i]),
				 host_channel_plugin(e->s.channels[i]));
	}
	for (size_t i = 0; i < e->s.n_runners; i++) {
		struct eng_runner *r = &e->s.runners[i];
		r->e = e;
		if (slots_setup(&r->sr, &e->slots, r->cfg, r->program,
				r->sr.active_since, r->sr.cause) != 0)
			log_error("%s: cannot read the outbox; the days missed before now are not looked at",
				  r->cfg->name);
	}
	for (size_t i = 0; i < e->s.n_runners; i++)
		slots_tick(&e->s.runners[i].sr);
	outbox_pump(e->outbox);
}

/* After a reload: the runners of old that fresh no longer has on the same
 * channel and address, so that their replies are not lost unseen. */
static void remember_removed(struct engine *e, const struct eng_setup *old,
			     const struct eng_setup *fresh)
{
	e->n_removed = 0;
	for (size_t i = 0; i < old->n_runners && e->n_removed < ENGINE_REMOVED; i++) {
		const struct cfg_runner *o = old->runners[i].cfg;
		int kept = 0;
		for (size_t j = 0; j < fresh->n_runners && !kept; j++) {
			const struct cfg_runner *n = fresh->runners[j].cfg;
			kept = !strcmp(n->channel, o->channel) && !strcmp(n->address, o->address);
		}
		if (kept)
			continue;
		struct removed_runner *rr = &e->removed[e->n_removed++];
		snprintf(rr->channel, sizeof rr->channel, "%s", o->channel);
		snprintf(rr->address, sizeof rr->address, "%s", o->address);
		snprintf(rr->name, sizeof rr->name, "%s", o->name);
	}
}

/* ---- signals and timers ----------------------------------------------- */

#define STOP_WAIT 10.0 /* real seconds a stop waits for sends in flight */

static void stop_wait_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct engine *e = w->data;
	(void)revents;
	if (outbox_in_flight(e->outbox) == 0 || ev_now(loop) - e->stop_since >= STOP_WAIT)
		ev_break(loop, EVBREAK_ALL);
}

/* Stops once the sends in flight have reported (at most STOP_WAIT): a
 * message the server took but we had not recorded would be sent again
 * after the restart.  Nothing new is handed over meanwhile. */
static void engine_stop(struct engine *e)
{
	outbox_hold(e->outbox, 1);
	if (outbox_in_flight(e->outbox) == 0) {
		ev_break(e->loop, EVBREAK_ALL);
		return;
	}
	if (ev_is_active(&e->stop_timer))
		return;
	e->stop_since = ev_now(e->loop);
	ev_timer_set(&e->stop_timer, 0.02, 0.02);
	ev_timer_start(e->loop, &e->stop_timer);
}

static void stop_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	(void)loop;
	(void)revents;
	log_info("signal %d: stopping", w->signum);
	engine_stop(w->data);
}

#define RELOAD_WAIT 30.0 /* real seconds a reload waits for sends in flight */

/* The STATUS= line systemctl status shows: "2 runner(s), 1 unreachable;
 * tg (telegram) up".  Kept current at start, after a reload and with
 * each watchdog ping. */
static void status_notify(struct engine *e, const char *first)
{
	char msg[1024];
	long unreachable = 0;
	int n;

	if (store_runners_unreachable_count(e->store, &unreachable) != 0)
		unreachable = -1;
	n = snprintf(msg, sizeof msg, "%s%sSTATUS=%zu runner(s)", first ? first : "",
		     first ? "\n" : "", e->s.n_runners);
	if (unreachable > 0 && n > 0 && (size_t)n < sizeof msg)
		n += snprintf(msg + n, sizeof msg - (size_t)n, ", %ld unreachable",
			      unreachable);
	for (size_t i = 0; i < e->s.n_channels && n > 0 && (size_t)n < sizeof msg; i++) {
		struct host_channel *ch = e->s.channels[i];
		n += snprintf(msg + n, sizeof msg - (size_t)n, "%s %s (%s) %s",
			      i ? "," : ";", host_channel_name(ch),
			      host_channel_plugin(ch),
			      host_channel_usable(ch) ? "up" : "stopped");
	}
	sdnotify(msg);
}

/* Puts the loaded setup in force: the old channels are closed (their
 * sends in flight have all reported, unless the wait ran out). */
static void reload_switch(struct engine *e)
{
	struct eng_setup *fresh = e->reload_pending;
	struct eng_setup old;
	int requeued = 0;

	e->reload_pending = NULL;
	ev_timer_stop(e->loop, &e->reload_timer);
	engine_tx_flush(e);
	old = e->s;
	e->s = *fresh;
	free(fresh);
	remember_removed(e, &old, &e->s);
	inherit_watch(e, &old);
	if (outbox_in_flight(e->outbox)) {
		/* The wait ran out: those sends will never report back. */
		if (store_outbox_requeue_sending(e->store, &requeued) == 0 && requeued)
			log_warn("reload: %d message(s) handed to the old channels did not report within %.0f s; they are sent again",
				 requeued, RELOAD_WAIT);
		outbox_reset_in_flight(e->outbox);
	}
	/* The old channels go before the new ones open: two pollers of one
	 * bot would take each other's updates. */
	setup_free(&old, e);
	if (e->opt.log_level < 0)
		log_set_level(e->s.cfg->log_level);
	setup_start(e);
	outbox_hold(e->outbox, 0);
	log_info("reloaded: %zu channel(s), %zu runner(s)", e->s.n_channels,
		 e->s.n_runners);
	status_notify(e, NULL);
}

static void reload_wait_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct engine *e = w->data;
	(void)revents;
	if (!e->reload_pending)
		return;
	if (outbox_in_flight(e->outbox) == 0 ||
	    ev_now(loop) - e->reload_since >= RELOAD_WAIT)
		reload_switch(e);
}

int engine_reload(struct engine *e, const char *why, char *err, size_t errlen)
{
	struct eng_setup *fresh = calloc(1, sizeof *fresh);

	log_info("%s: reloading %s", why, e->opt.config_path);
	if (!fresh) {
		snprintf(err, errlen, "out of memory");
		log_error("reload refused, the running configuration stays in force: out of memory");
		return -1;
	}
	if (setup_load(fresh, e, e->opt.config_path, e->opt.plugin_dir,
		       e->opt.state_dir, err, errlen) != 0) {
		log_error("reload refused, the running configuration stays in force: %s", err);
		free(fresh);
		return -1;
	}
	if (strcmp(fresh->cfg->state_dir, e->s.cfg->state_dir) != 0)
		log_warn("daemon.state_dir changed to %s: a restart is needed for that; the database stays %s",
			 fresh->cfg->state_dir, store_path(e->store));
	if (e->reload_pending) {
		/* A second SIGHUP while waiting: the newest file wins. */
		setup_free(e->reload_pending, e);
		free(e->reload_pending);
	}
	e->reload_pending = fresh;
	e->reload_since = ev_now(e->loop);
	/* Nothing new is handed to the old channels; the sends they have
	 * in flight report first, so none is sent twice. */
	outbox_hold(e->outbox, 1);
	if (outbox_in_flight(e->outbox) == 0) {
		reload_switch(e);
		return 0;
	}
	log_info("reload: waiting for %zu message(s) in flight to report (at most %.0f s)",
		 outbox_in_flight(e->outbox), RELOAD_WAIT);
	ev_timer_set(&e->reload_timer, 0.05, 0.05);
	ev_timer_start(e->loop, &e->reload_timer);
	return 0;
}

static void reload_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	char err[CFG_ERR_MAX];
	(void)loop;
	(void)revents;
	engine_reload(w->data, "SIGHUP", err, sizeof err);
}

static void until_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct engine *e = w->data;
	(void)revents;
	if (engine_now(e) < e->opt.until) {
		ev_timer_set(w, clock_real_delay(&e->clock, e->opt.until) + 0.001, 0);
		ev_timer_start(loop, w);
		return;
	}
	log_info("simulated clock reached the end of the run");
	engine_stop(e);
}

/* rehabctl's socket: in systemd's RuntimeDirectory= (/run/rehabd) when
 * there is one, else in the state directory.  A daemon without it still
 * runs; the log says why. */
static void control_start(struct engine *e)
{
	const char *rt = getenv("RUNTIME_DIRECTORY");
	char path[4096], err[512];
	size_t n = rt ? strcspn(rt, ":") : 0; /* the first of a list */

	if (n)
		snprintf(path, sizeof path, "%.*s/%s", (int)n, rt, CONTROL_SOCKET);
	else
		snprintf(path, sizeof path, "%s/%s", e->s.cfg->state_dir,
			 CONTROL_SOCKET);
	e->control = control_open(e->loop, path, engine_control, e, err, sizeof err);
	if (!e->control)
		log_warn("%s; rehabctl status and the other live commands will not work", err);
	else
		log_debug("control socket %s", path);
}

static void watchdog_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct engine *e = w->data;
	(void)loop;
	(void)revents;
	/* Pinged from the loop itself: a wedged loop stops the pings. */
	status_notify(e, "WATCHDOG=1");
}

static void signals_start(struct engine *e)
{
	ev_signal_init(&e->sig_term, stop_cb, SIGTERM);
	ev_signal_init(&e->sig_int, stop_cb, SIGINT);
	e->sig_term.data = e;
	e->sig_int.data = e;
	ev_signal_init(&e->sig_hup, reload_cb, SIGHUP);
	e->sig_hup.data = e;
	ev_signal_start(e->loop, &e->sig_term);
	ev_signal_start(e->loop, &e->sig_int);
	ev_signal_start(e->loop, &e->sig_hup);
	/* A closed stdout (console channel piped to a reader that quit)
	 * must not kill the daemon. */
	signal(SIGPIPE, SIG_IGN);
}

int engine_run(const struct engine_options *opt)
{
	struct engine *e = calloc(1, sizeof *e);
	char err[CFG_ERR_MAX], check[128];
	int requeued = 0, status = 1;

	if (!e) {
		log_error("out of memory");
		return 1;
	}
	e->opt = *opt;
	if (opt->simulate) {
		clock_init_sim(&e->clock, opt->sim_start, opt->speed);
		log_set_time_source(now_cb, e);
	} else {
		clock_init_real(&e->clock);
	}
	e->started_at = engine_now(e);
	e->loop = ev_loop_new(EVFLAG_AUTO | EVFLAG_NOSIGMASK);
	if (!e->loop) {
		log_error("cannot create the event loop");
		goto out;
	}
	e->http = http_new(e->loop, err, sizeof err);
	if (!e->http) {
		log_error("cannot start HTTP: %s", err);
		goto out;
	}
	if (setup_load(&e->s, e, opt->config_path, opt->plugin_dir,
		       opt->state_dir, err, sizeof err) != 0) {
		log_error("%s", err);
		/* Not worth restarting for (RestartPreventExitStatus=). */
		status = ENGINE_EXIT_CONFIG;
		goto out;
	}
	if (opt->log_level < 0)
		log_set_level(e->s.cfg->log_level);

	e->store = store_open(e->s.cfg->state_dir, err, sizeof err);
	if (!e->store) {
		log_error("%s", err);
		goto out;
	}
	if (store_quick_check(e->store, check, sizeof check) != 0 ||
	    strcmp(check, "ok") != 0) {
		log_error("%s is damaged (%s) — restore it from a backup or move it away to start afresh",
			  store_path(e->store), check);
		goto out;
	}
	if (store_outbox_requeue_sending(e->store, &requeued) != 0)
		goto out;
	if (requeued)
		log_warn("%d message(s) were being sent when rehabd stopped; sending them again",
			 requeued);

	lazy_tx_init(&e->tx, e->store, &e->clock);
	struct outbox_deps od = {
		.loop = e->loop, .store = e->store, .tx = &e->tx,
		.clock = &e->clock, .route = route_cb, .arg = e,
	};
	e->outbox = outbox_new(&od);
	if (!e->outbox) {
		log_error("out of memory");
		goto out;
	}
	e->slots = (struct slots_deps){
		.loop = e->loop, .store = e->store, .tx = &e->tx,
		.clock = &e->clock, .outbox = e->outbox,
	};
	ev_prepare_init(&e->flush, flush_cb);
	e->flush.data = e;
	ev_prepare_start(e->loop, &e->flush);
	ev_init(&e->reload_timer, reload_wait_cb);
	e->reload_timer.data = e;
	ev_init(&e->stop_timer, stop_wait_cb);
	e->stop_timer.data = e;
	signals_start(e);
	if (opt->until > 0) {
		ev_timer_init(&e->until_timer, until_cb,
			      clock_real_delay(&e->clock, opt->until), 0);
		e->until_timer.data = e;
		ev_timer_start(e->loop, &e->until_timer);
	}
	double wd = sdnotify_watchdog_interval();
	if (wd > 0) {
		ev_timer_init(&e->watchdog, watchdog_cb, wd / 2, wd / 2);
		e->watchdog.data = e;
		ev_timer_start(e->loop, &e->watchdog);
	}

	control_start(e);
	inherit_watch(e, NULL);
	setup_start(e);
	engine_tx_flush(e);
	log_info("rehabd %s running: %zu channel(s), %zu runner(s), state in %s%s",
		 REHABD_VERSION, e->s.n_channels, e->s.n_runners,
		 store_path(e->store), opt->simulate ? " (simulated clock)" : "");
	status_notify(e, "READY=1");

	ev_run(e->loop, 0);

	sdnotify("STOPPING=1");
	control_close(e->control);
	e->control = NULL;
	engine_tx_flush(e);
	status = 0;
out:
	if (e->reload_pending) {
		setup_free(e->reload_pending, e);
		free(e->reload_pending);
	}
	if (e->loop)
		setup_free(&e->s, e);
	else
		setup_free(&e->s, NULL);
	outbox_free(e->outbox);
	if (e->http)
		http_free(e->http);
	store_close(e->store);
	if (e->loop)
		ev_loop_destroy(e->loop);
	log_set_time_source(NULL, NULL);
	log_secrets_clear();
	free(e);
	return status;
}
