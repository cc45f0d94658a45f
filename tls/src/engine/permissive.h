/* The permissive mode (tg_config.permissive): the engine as a target that rejects nothing it can
 * go on from, for `tlsgauntlet selftest` (DESIGN.md). Every scenario that expects a rejection is
 * played against it; one that still passes cannot fail.
 *
 * TG_PEER_CHECK(c, err, cond, alert, code, fmt...) is TG_ENSURE for a check on the peer's input
 * after which the connection can safely go on (the field is ignored, the extension, message or
 * record dropped, the default kept). It is honoured only when the library itself was compiled
 * with TG_PERMISSIVE_BUILD (the tg_permissive library of CMakeLists.txt, which only
 * tg-peer-permissive links) *and* the connection's tg_config.permissive is set: a failing check
 * is then counted in tg_conn_info.tolerated and the code goes on. In any other build it is
 * TG_ENSURE itself and TG_PERMISSIVE(c) the constant false, as TG_FUZZER_MODE (fuzzmode.h): the
 * normal library and tg-peer-builtin cannot be switched to it at run time and pay nothing.
 *
 *   TG_PEER_CHECK_OR(c, err, cond, recover, alert, code, fmt...)
 *                                  the same, running the statement recover (say, return TG_OK
 *                                  to drop a message) when the check is let through
 *   TG_PEER_CHECK_IN(t, err, ...)  the same in a module that does not know the connection (the
 *                                  handshake and extension decoders): t is the tg_tolerated *
 *                                  of tg_hs_ctx.tolerate / tg_ext_where.tolerate, NULL to enforce
 *   TG_TOLERATE(c, expr)           a callee's failure on the peer's input (a signature, a chain,
 *                                  a record that does not open) counted and turned into TG_OK
 *   TG_PERMISSIVE(c)               the condition alone, where going on means something else
 *   TG_TOLERATING(t)               the same for a tg_tolerated * (a reader's tolerate)
 *   TG_TOLERATED(c)                where c's notes go: &c->info.tolerated, or NULL
 *
 * Checks whose failure leaves nothing usable (a truncated or undecodable message, every cursor
 * and bounds check of the codec) stay TG_ENSURE. A permissive connection that fails on one ends
 * without an alert (tg_conn_fail): an alert would count as a rejection.
 */
#ifndef TG_ENGINE_PERMISSIVE_H
#define TG_ENGINE_PERMISSIVE_H

#include <stdbool.h>

#include "tg/error.h"

#ifdef TG_PERMISSIVE_BUILD

#define TG_PERMISSIVE(c) ((c)->cfg->permissive)
#define TG_TOLERATING(t) ((t) != NULL)
#define TG_TOLERATED(c) (TG_PERMISSIVE(c) ? &(c)->info.tolerated : (tg_tolerated *)NULL)

#define TG_PEER_CHECK_IN_OR(t, err, cond, recover, alert, code, ...)                               \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      tg_tolerated *tg_tol_ = (t);                                                                 \
      if (tg_tol_ == NULL)                                                                         \
        return TG_FAIL((err), alert, (code), __VA_ARGS__);                                         \
      tg_tolerate_record(tg_tol_, TG_ALERT_##alert, (code), TG_HERE, __VA_ARGS__);                 \
      recover;                                                                                     \
    }                                                                                              \
  } while (0)

/* The status st of a callee: a failure on the peer's input (not a local one: internal_error)
 * is moved from c->err into the notes and becomes TG_OK when c is permissive. */
static inline tg_status tg_tolerate_status(tg_err *err, tg_tolerated *t, tg_status st) {
  if (st == TG_OK || t == NULL || err->alert == TG_ALERT_internal_error || st == TG_E_NEED_MORE ||
      st >= TG_E_NOMEM)
    return st;
  tg_tolerate_record(t, err->alert, err->code, err->file, err->line, "%s", err->what);
  tg_err_clear(err);
  return TG_OK;
}
#define TG_TOLERATE(c, expr) tg_tolerate_status(&(c)->err, TG_TOLERATED(c), (expr))

#else

#define TG_PERMISSIVE(c) false
#define TG_TOLERATING(t) false
#define TG_TOLERATED(c) ((tg_tolerated *)NULL)
#define TG_PEER_CHECK_IN_OR(t, err, cond, recover, alert, code, ...)                               \
  TG_ENSURE(err, cond, alert, code, __VA_ARGS__)
#define TG_TOLERATE(c, expr) (expr)

#endif

#define TG_PEER_CHECK_IN(t, err, cond, alert, code, ...)                                           \
  TG_PEER_CHECK_IN_OR(t, err, cond, (void)0, alert, code, __VA_ARGS__)
#define TG_PEER_CHECK_OR(c, err, cond, recover, alert, code, ...)                                  \
  TG_PEER_CHECK_IN_OR(TG_TOLERATED(c), err, cond, recover, alert, code, __VA_ARGS__)
#define TG_PEER_CHECK(c, err, cond, alert, code, ...)                                              \
  TG_PEER_CHECK_IN_OR(TG_TOLERATED(c), err, cond, (void)0, alert, code, __VA_ARGS__)

#endif
