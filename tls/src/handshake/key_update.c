/* KeyUpdate (RFC 8446 §4.6.3). */
#include <string.h>

#include "engine/permissive.h"
#include "tg/handshake.h"

/* RFC 8446 §4.6.3:
 *   enum {
 *       update_not_requested(0), update_requested(1), (255)
 *   } KeyUpdateRequest;
 *   struct {
 *       KeyUpdateRequest request_update;
 *   } KeyUpdate;
 */
tg_status tg_key_update_decode(tg_reader *body, const tg_hs_ctx *ctx, tg_key_update *out) {
  (void)ctx;
  memset(out, 0, sizeof *out);
  TG_TRY(tg_read_u8(body, &out->request_update, "KeyUpdate.request_update"));
  TG_TRY(tg_read_done(body, "KeyUpdate"));
  /* RFC 8446 §4.6.3: "If an implementation receives any other value [than 0 or 1], it MUST
   * terminate the connection with an "illegal_parameter" alert." */
  /* Permissive (engine/permissive.h): another value is read as update_not_requested. */
  TG_PEER_CHECK_IN(body->tolerate, body->err, out->request_update <= TG_KEY_UPDATE_update_requested,
                   illegal_parameter, TG_E_BAD_VALUE,
                   "KeyUpdate.request_update has value %u, not 0 or 1", out->request_update);
  return TG_OK;
}

void tg_key_update_encode(tg_writer *w, const tg_hs_ctx *ctx, const tg_key_update *m) {
  (void)ctx;
  tg_w_u8(w, m->request_update);
}

static const char *request_name(unsigned v) {
  switch (v) {
  case TG_KEY_UPDATE_update_not_requested: return "update_not_requested";
  case TG_KEY_UPDATE_update_requested: return "update_requested";
  }
  return NULL;
}

void tg_key_update_describe(tg_dump *d, const tg_hs_ctx *ctx, const tg_key_update *m) {
  (void)ctx;
  tg_dump_uint(d, "request_update", m->request_update, request_name(m->request_update));
}
