/*
 * Plugin loading and the host side of the channel ABI.
 */
#include "host.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ev.h>

#include "http.h"
#include "log.h"
#include "name_list.h"
#include "plugin_elf.h"
#include "secret_file.h"

struct host_timer {
	ev_timer w;
	uint64_t id;
	rehabd_timer_fn fn;
	void *arg;
	struct host_channel *ch;
	struct host_timer *next;
};

struct host_io {
	ev_io w;
	uint64_t id;
	rehabd_io_fn fn;
	void *arg;
	struct host_channel *ch;
	struct host_io *next;
};

struct host_http {
	uint64_t handle;
	rehabd_http_done_fn fn;
	void *arg;
	struct host_channel *ch;
	struct host_http *next;
};

struct host_channel {
	struct rehabd_host_api api; /* first: the plugin sees this table */
	struct ev_loop *loop;
	struct http *http;
	const struct cfg *cfg;
	const struct cfg_channel *cc;
	struct host_callbacks cb;
	void *dl;
	const struct rehabd_channel *desc;
	void *state;
	int open;
	int failed;
	char **addresses;
	size_t n_addresses;
	char *cursor;          /* last cursor_load result, owned here */
	char *state_value;     /* last state_get result, owned here */
	char where[512];       /* last setting_where result */
	/* The first setting whose value the plugin registered as a secret
	 * while the config file can be read by group or others, or NULL. */
	const struct cfg_setting *exposed_secret;
	char log_prefix[96];
	uint64_t next_id;
	struct host_timer *timers;
	struct host_io *ios;
	struct host_http *https;
};

/* The ABI guarantees the host pointer given to plugins is this struct. */
static struct host_channel *H(struct rehabd_host *h)
{
	return (struct host_channel *)(void *)h;
}

/* ---- host API functions ------------------------------------------------ */

static void api_log(struct rehabd_host *h, enum rehabd_log_level level,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void api_log(struct rehabd_host *h, enum rehabd_log_level level,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg((int)level, H(h)->log_prefix, fmt, ap);
	va_end(ap);
}

static const char *api_channel_name(struct rehabd_host *h)
{
	return H(h)->cc->name;
}

static const struct cfg_setting *find_setting(const struct cfg_channel *cc,
					      const char *key)
{
	for (size_t i = 0; key && i < cc->n_settings; i++)
		if (!strcmp(cc->settings[i].key, key))
			return &cc->settings[i];
	return NULL;
}

static const char *api_setting(struct rehabd_host *h, const char *key)
{
	const struct cfg_setting *s = find_setting(H(h)->cc, key);
	return s ? s->value : NULL;
}

static const char *api_setting_where(struct rehabd_host *h, const char *key)
{
	struct host_channel *ch = H(h);
	const struct cfg_setting *s = find_setting(ch->cc, key);
	snprintf(ch->where, sizeof ch->where, "%s:%d", ch->cfg->path,
		 s ? s->line : ch->cc->line);
	return ch->where;
}

/* Group and other permission bits of the config file, or 0 when it
 * cannot be read (the loader has read it, so that is a race). */
static mode_t config_exposure(const struct cfg *cfg)
{
	struct stat sb;

	if (!cfg->path || stat(cfg->path, &sb) != 0)
		return 0;
	return sb.st_mode & (S_IRWXG | S_IRWXO);
}

static void api_secret(struct rehabd_host *h, const char *secret)
{
	struct host_channel *ch = H(h);

	log_secret_add(secret);
	/* A secret written inline in a config others can read is exposed:
	 * refused like a token file with the same mode. */
	if (!secret || !*secret || ch->exposed_secret)
		return;
	for (size_t i = 0; i < ch->cc->n_settings; i++)
		if (ch->cc->settings[i].value &&
		    !strcmp(ch->cc->settings[i].value, secret) &&
		    config_exposure(ch->cfg)) {
			ch->exposed_secret = &ch->cc->settings[i];
			break;
		}
}

/* After the plugin's check or open: -1 with err when it registered a
 * secret that stands inline in a config group or others can read. */
static int refuse_exposed_secret(struct host_channel *ch, char *err,
				 size_t errlen)
{
	if (!ch->exposed_secret)
		return 0;
	snprintf(err, errlen,
		 "%s:%d: channel \"%s\": the secret %s is written in %s, which group or others can read (mode %03o) — move it to a file of its own (mode 600; see the plugin's *_file setting) or run chmod 600 %s",
		 ch->cfg->path, ch->exposed_secret->line, ch->cc->name,
		 ch->exposed_secret->key, ch->cfg->path,
		 (unsigned)config_exposure(ch->cfg), ch->cfg->path);
	return -1;
}

static size_t api_runner_count(struct rehabd_host *h)
{
	return H(h)->n_addresses;
}

static const char *api_runner_address(struct rehabd_host *h, size_t i)
{
	return i < H(h)->n_addresses ? H(h)->addresses[i] : NULL;
}

static double api_now(struct rehabd_host *h)
{
	return H(h)->cb.now(H(h)->cb.ctx);
}

static void timer_unlink_free(struct host_channel *ch, struct host_timer *t)
{
	for (struct host_timer **p = &ch->timers; *p; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			break;
		}
	ev_timer_stop(ch->loop, &t->w);
	free(t);
}

static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct host_timer *t = w->data;
	rehabd_timer_fn fn = t->fn;
	void *arg = t->arg;
	(void)loop;
	(void)revents;
	/* Free first: the callback may start a new timer or close the
	 * channel. */
	timer_unlink_free(t->ch, t);
	fn(arg);
}

static uint64_t api_timer_start(struct rehabd_host *h, double seconds,
				rehabd_timer_fn fn, void *arg)
{
	struct host_channel *ch = H(h);
	struct host_timer *t = calloc(1, sizeof *t);
	if (!t || !fn) {
		free(t);
		return 0;
	}
	t->id = ++ch->next_id;
	t->fn = fn;
	t->arg = arg;
	t->ch = ch;
	ev_timer_init(&t->w, timer_cb, seconds > 0 ? seconds : 0, 0);
	t->w.data = t;
	ev_timer_start(ch->loop, &t->w);
	t->next = ch->timers;
	ch->timers = t;
	return t->id;
}

static void api_timer_cancel(struct rehabd_host *h, uint64_t id)
{
	struct host_channel *ch = H(h);
	for (struct host_timer *t = ch->timers; t; t = t->next)
		if (t->id == id) {
			timer_unlink_free(ch, t);
			return;
		}
}

static void io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct host_io *io = w->data;
	(void)loop;
	(void)revents;
	io->fn(io->arg, w->fd);
}

static uint64_t api_io_watch(struct rehabd_host *h, int fd, rehabd_io_fn fn,
			     void *arg)
{
	struct host_channel *ch = H(h);
	struct host_io *io = calloc(1, sizeof *io);
	if (!io || !fn || fd < 0) {
		free(io);
		return 0;
	}
	io->id = ++ch->next_id;
	io->fn = fn;
	io->arg = arg;
	io->ch = ch;
	ev_io_init(&io->w, io_cb, fd, EV_READ);
	io->w.data = io;
	ev_io_start(ch->loop, &io->w);
	io->next = ch->ios;
	ch->ios = io;
	return io->id;
}

static void api_io_cancel(struct rehabd_host *h, uint64_t id)
{
	struct host_channel *ch = H(h);
	for (struct host_io **p = &ch->ios; *p; p = &(*p)->next) {
		if ((*p)->id == id) {
			struct host_io *io = *p;
			*p = io->next;
			ev_io_stop(ch->loop, &io->w);
			free(io);
			return;
		}
	}
}

static void http_unlink(struct host_channel *ch, struct host_http *hh)
{
	for (struct host_http **p = &ch->https; *p; p = &(*p)->next)
		if (*p == hh) {
			*p = hh->next;
			return;
		}
}

static void http_done(void *arg, const struct rehabd_http_response *resp)
{
	struct host_http *hh = arg;
	rehabd_http_done_fn fn = hh->fn;
	void *farg = hh->arg;
	http_unlink(hh->ch, hh);
	free(hh);
	fn(farg, resp);
}

static uint64_t api_http_submit(struct rehabd_host *h,
				const struct rehabd_http_request *req,
				rehabd_http_done_fn fn, void *arg)
{
	struct host_channel *ch = H(h);
	char err[256];
	struct host_http *hh;

	if (!ch->http || !fn || !req)
		return 0;
	hh = calloc(1, sizeof *hh);
	if (!hh)
		return 0;
	hh->fn = fn;
	hh->arg = arg;
	hh->ch = ch;
	hh->handle = http_submit(ch->http, req, http_done, hh, err, sizeof err);
	if (!hh->handle) {
		log_msg(REHABD_LOG_WARN, "%s: request %s refused: %s",
			ch->log_prefix, req->log_url ? req->log_url : "(url hidden)", err);
		free(hh);
		return 0;
	}
	hh->next = ch->https;
	ch->https = hh;
	return hh->handle;
}

static void api_http_cancel(struct rehabd_host *h, uint64_t handle)
{
	struct host_channel *ch = H(h);
	for (struct host_http *hh = ch->https; hh; hh = hh->next)
		if (hh->handle == handle) {
			http_cancel(ch->http, handle);
			http_unlink(ch, hh);
			free(hh);
			return;
		}
}

static int api_inbound(struct rehabd_host *h, const struct rehabd_inbound *msgs,
		       size_t n, const char *cursor,
		       struct rehabd_inbound_result *results)
{
	struct host_channel *ch = H(h);
	if (n && !msgs)
		return -1;
	return ch->cb.inbound(ch->cb.ctx, ch, msgs, n, cursor, results);
}

static const char *api_cursor_load(struct rehabd_host *h)
{
	struct host_channel *ch = H(h);
	free(ch->cursor);
	ch->cursor = ch->cb.cursor_load(ch->cb.ctx, ch);
	return ch->cursor;
}

static void api_send_done(struct rehabd_host *h, uint64_t token,
			  const struct rehabd_send_result *result)
{
	struct host_channel *ch = H(h);
	if (result)
		ch->cb.send_done(ch->cb.ctx, ch, token, result);
}

static void api_channel_failed(struct rehabd_host *h, const char *reason)
{
	struct host_channel *ch = H(h);
	ch->failed = 1;
	log_msg(REHABD_LOG_ERROR, "%s: channel stopped: %s", ch->log_prefix,
		reason ? reason : "(no reason given)");
}

/* ---- since ABI 1.2 ----------------------------------------------------- */

#define STATE_KEY_MAX 128
#define STATE_VALUE_MAX (64 * 1024)

static const char *api_state_get(struct rehabd_host *h, const char *key)
{
	struct host_channel *ch = H(h);
	free(ch->state_value);
	ch->state_value = NULL;
	if (!key || !*key || strlen(key) > STATE_KEY_MAX || !ch->cb.state_get ||
	    !ch->cb.ctx)
		return NULL;
	ch->state_value = ch->cb.state_get(ch->cb.ctx, ch, key);
	return ch->state_value;
}

static int api_state_set(struct rehabd_host *h, const char *key,
			 const char *value)
{
	struct host_channel *ch = H(h);
	if (!key || !*key || strlen(key) > STATE_KEY_MAX ||
	    (value && strlen(value) > STATE_VALUE_MAX) || !ch->cb.state_set ||
	    !ch->cb.ctx)
		return -1;
	return ch->cb.state_set(ch->cb.ctx, ch, key, value);
}

static void api_runner_reachable(struct rehabd_host *h, const char *address,
				 int reachable, const char *reason)
{
	struct host_channel *ch = H(h);
	char canon[256], why[256];
	if (!address || !ch->cb.runner_reachable || !ch->cb.ctx)
		return;
	if (host_channel_canonical(ch, address, canon, sizeof canon, why,
				   sizeof why) != 0)
		return;
	ch->cb.runner_reachable(ch->cb.ctx, ch, canon, reachable, reason);
}

static int api_url_check(struct rehabd_host *h, const char *url, char *why,
			 size_t whylen)
{
	(void)h;
	return http_url_check(url, NULL, why, whylen);
}

static int api_secret_file(struct rehabd_host *h, const char *key, char *out,
			   size_t outlen, char *path, size_t pathlen, char *err,
			   size_t errlen)
{
	struct host_channel *ch = H(h);
	const struct cfg_setting *s = find_setting(ch->cc, key);
	char where[600];

	snprintf(where, sizeof where, "%s:%d", ch->cfg->path,
		 s ? s->line : ch->cc->line);
	if (secret_file_read(ch->cfg->path, where, key, s ? s->value : NULL,
			     out, outlen, path, pathlen, err, errlen) != 0)
		return -1;
	log_secret_add(out);
	return 0;
}

/* ---- loading ----------------------------------------------------------- */

int host_plugin_load(const char *dir, const char *plugin, void **dl_out,
		     const struct rehabd_channel **desc_out, char *err,
		     size_t errlen)
{
	char path[4096];
	struct stat sb;
	void *dl;
	rehabd_channel_entry_fn entry;
	const struct rehabd_channel *desc;

	snprintf(path, sizeof path, "%s/%s.so", dir, plugin);
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: plugin file not found — install the plugin or set daemon.plugin_dir",
			 path);
		return -1;
	}
	/* Code rehabd runs with the runners' data: nobody but its owner
	 * may change the file or swap it in its directory. */
	if (sb.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errlen, "%s: the plugin file can be changed by group or others (mode %03o) — run chmod go-w %s",
			 path, (unsigned)(sb.st_mode & 0777), path);
		return -1;
	}
	if (stat(dir, &sb) == 0 && (sb.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(err, errlen, "%s: the plugin directory %s can be changed by group or others (mode %03o) — run chmod go-w %s",
			 path, dir, (unsigned)(sb.st_mode & 0777), dir);
		return -1;
	}
	if (plugin_elf_exec_stack(path) == 1) {
		snprintf(err, errlen, "%s: the plugin asks for an executable stack — rebuild it linked with -Wl,-z,noexecstack (rehabd_plugin() in CMake does)",
			 path);
		return -1;
	}
	dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		snprintf(err, errlen, "%s: cannot load: %s — rebuild the plugin for this system",
			 path, dlerror());
		return -1;
	}
	*(void **)(&entry) = dlsym(dl, REHABD_CHANNEL_ENTRY_SYMBOL);
	if (!entry) {
		snprintf(err, errlen, "%s: no %s() — this is not a rehabd channel plugin",
			 path, REHABD_CHANNEL_ENTRY_SYMBOL);
		goto fail;
	}
	desc = entry();
	if (!desc) {
		snprintf(err, errlen, "%s: %s() returned no descriptor — fix the plugin",
			 path, REHABD_CHANNEL_ENTRY_SYMBOL);
		goto fail;
	}
	if (REHABD_ABI_MAJOR_OF(desc->abi_version) != REHABD_CHANNEL_ABI_MAJOR) {
		snprintf(err, errlen,
			 "%s: plugin ABI version %u.%u does not match rehabd's ABI version %u.%u — rebuild the plugin against this rehabd's include/rehabd/channel.h",
			 path, REHABD_ABI_MAJOR_OF(desc->abi_version),
			 REHABD_ABI_MINOR_OF(desc->abi_version),
			 (unsigned)REHABD_CHANNEL_ABI_MAJOR,
			 (unsigned)REHABD_CHANNEL_ABI_MINOR);
		goto fail;
	}
	if (!desc->name || !desc->open || !desc->send || !desc->close) {
		snprintf(err, errlen, "%s: the plugin descriptor lacks %s — fix the plugin",
			 path, !desc->name ? "a name" : !desc->open ? "open()"
			       : !desc->send ? "send()" : "close()");
		goto fail;
	}
	*dl_out = dl;
	*desc_out = desc;
	return 0;
fail:
	dlclose(dl);
	return -1;
}

struct host_channel *host_channel_new(struct ev_loop *loop, struct http *http,
				      const struct cfg *cfg,
				      const struct cfg_channel *cc,
				      const struct host_callbacks *cb,
				      char *err, size_t errlen)
{
	struct host_channel *ch = calloc(1, sizeof *ch);
	if (!ch) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ch->loop = loop;
	ch->http = http;
	ch->cfg = cfg;
	ch->cc = cc;
	ch->cb = *cb;
	snprintf(ch->log_prefix, sizeof ch->log_prefix, "channel %s", cc->name);
	if (host_plugin_load(cfg->plugin_dir, cc->plugin, &ch->dl, &ch->desc,
			     err, errlen) != 0) {
		char inner[CFG_ERR_MAX];
		snprintf(inner, sizeof inner, "%s", err);
		snprintf(err, errlen, "%s:%d: channel \"%s\": %s", cfg->path,
			 cc->line, cc->name, inner);
		free(ch);
		return NULL;
	}

	/* Unknown keys, now that the plugin says which it takes. */
	for (size_t i = 0; i < cc->n_settings; i++) {
		if (!name_list_has(ch->desc->settings, cc->settings[i].key)) {
			char list[256];
			name_list_join(ch->desc->settings, list, sizeof list);
			snprintf(err, errlen,
				 "%s:%d: channel \"%s\": unknown setting \"%s\" for plugin %s — check the spelling (known: %s)",
				 cfg->path, cc->settings[i].line, cc->name,
				 cc->settings[i].key, cc->plugin,
				 *list ? list : "none");
			host_channel_free(ch);
			return NULL;
		}
	}

	ch->api.size = sizeof ch->api;
	ch->api.version = REHABD_CHANNEL_ABI_VERSION;
	ch->api.loop = loop;
	ch->api.log = api_log;
	ch->api.channel_name = api_channel_name;
	ch->api.setting = api_setting;
	ch->api.setting_where = api_setting_where;
	ch->api.secret = api_secret;
	ch->api.runner_count = api_runner_count;
	ch->api.runner_address = api_runner_address;
	ch->api.now = api_now;
	ch->api.timer_start = api_timer_start;
	ch->api.timer_cancel = api_timer_cancel;
	ch->api.io_watch = api_io_watch;
	ch->api.io_cancel = api_io_cancel;
	ch->api.http_submit = api_http_submit;
	ch->api.http_cancel = api_http_cancel;
	ch->api.inbound = api_inbound;
	ch->api.cursor_load = api_cursor_load;
	ch->api.send_done = api_send_done;
	ch->api.channel_failed = api_channel_failed;
	ch->api.state_get = api_state_get;
	ch->api.state_set = api_state_set;
	ch->api.runner_reachable = api_runner_reachable;
	ch->api.url_check = api_url_check;
	ch->api.secret_file = api_secret_file;
	return ch;
}

int host_channel_set_runners(struct host_channel *ch,
			     const char *const *addresses, size_t n)
{
	char **copy = calloc(n ? n : 1, sizeof *copy);
	if (!copy)
		return -1;
	for (size_t i = 0; i < n; i++) {
		copy[i] = strdup(addresses[i]);
		if (!copy[i]) {
			for (size_t j = 0; j < i; j++)
				free(copy[j]);
			free(copy);
			return -1;
		}
	}
	for (size_t i = 0; i < ch->n_addresses; i++)
		free(ch->addresses[i]);
	free(ch->addresses);
	ch->addresses = copy;
	ch->n_addresses = n;
	return 0;
}

int host_channel_canonical(const struct host_channel *ch, const char *address,
			   char *out, size_t outlen, char *why, size_t whylen)
{
	if (!outlen)
		return -1;
	*why = 0;
	/* The field exists only in descriptors of ABI 1.1 and later. */
	if (REHABD_ABI_MINOR_OF(ch->desc->abi_version) < 1 ||
	    !ch->desc->canonical_address) {
		if (strlen(address) >= outlen) {
			snprintf(why, whylen, "too long");
			return -1;
		}
		snprintf(out, outlen, "%s", address);
		return 0;
	}
	out[0] = 0;
	if (ch->desc->canonical_address(address, out, outlen, why, whylen) != 0) {
		if (!*why)
			snprintf(why, whylen, "not a valid address on this channel");
		return -1;
	}
	if (!memchr(out, 0, outlen) || !*out) {
		snprintf(why, whylen, "the plugin wrote no canonical form — fix the plugin");
		return -1;
	}
	return 0;
}

static struct rehabd_host *as_host(struct host_channel *ch)
{
	return (struct rehabd_host *)(void *)ch;
}

int host_channel_check(struct host_channel *ch, char *err, size_t errlen)
{
	if (!ch->desc->check)
		return 0;
	err[0] = '\0';
	if (ch->desc->check(&ch->api, as_host(ch), err, errlen) != 0) {
		if (!err[0])
			snprintf(err, errlen, "%s:%d: channel \"%s\": settings refused by plugin %s",
				 ch->cfg->path, ch->cc->line, ch->cc->name, ch->cc->plugin);
		return -1;
	}
	return refuse_exposed_secret(ch, err, errlen);
}

/* Stops whatever a plugin left running: timers, io watchers, requests. */
static void release_plugin_resources(struct host_channel *ch)
{
	while (ch->timers)
		timer_unlink_free(ch, ch->timers);
	while (ch->ios) {
		struct host_io *io = ch->ios;
		ch->ios = io->next;
		ev_io_stop(ch->loop, &io->w);
		free(io);
	}
	while (ch->https) {
		struct host_http *hh = ch->https;
		ch->https = hh->next;
		http_cancel(ch->http, hh->handle);
		free(hh);
	}
}

int host_channel_open(struct host_channel *ch, char *err, size_t errlen)
{
	err[0] = '\0';
	if (ch->desc->open(&ch->api, as_host(ch), &ch->state, err, errlen) != 0) {
		if (!err[0])
			snprintf(err, errlen, "the plugin could not start");
		release_plugin_resources(ch);
		ch->state = NULL;
		return -1;
	}
	ch->open = 1;
	if (refuse_exposed_secret(ch, err, errlen) != 0) {
		ch->desc->close(ch->state);
		release_plugin_resources(ch);
		ch->state = NULL;
		ch->open = 0;
		return -1;
	}
	return 0;
}

int host_channel_usable(const struct host_channel *ch)
{
	return ch->open && !ch->failed;
}

int host_channel_send(struct host_channel *ch, const struct rehabd_message *msg,
		      uint64_t token)
{
	if (!host_channel_usable(ch))
		return -1;
	return ch->desc->send(ch->state, msg, token);
}

const char *host_channel_name(const struct host_channel *ch)
{
	return ch->cc->name;
}

const char *host_channel_plugin(const struct host_channel *ch)
{
	return ch->cc->plugin;
}

void host_channel_free(struct host_channel *ch)
{
	if (!ch)
		return;
	if (ch->open)
		ch->desc->close(ch->state);
	release_plugin_resources(ch);
	if (ch->dl)
		dlclose(ch->dl);
	for (size_t i = 0; i < ch->n_addresses; i++)
		free(ch->addresses[i]);
	free(ch->addresses);
	free(ch->cursor);
	free(ch->state_value);
	free(ch);
}
