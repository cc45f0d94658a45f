/* fuzz_der: the input as a private key (PEM or DER, every format), as a SubjectPublicKeyInfo,
 * and as a PEM text whose blocks are all decoded. Oracles: never crash or leak; every failure
 * carries a valid err and no key; a loaded key's public half can be derived. */
#include "fuzz_common.h"
#include "tg/pem.h"
#include "tg/sig.h"

static void private_key(const uint8_t *data, size_t size, tg_key_format format, bool pem) {
  tg_private_key *key = NULL;
  tg_err err = {0};
  tg_bytes in = tg_bytes_of(data, size);
  tg_status st = pem ? tg_private_key_from_pem(in, &key, &err)
                     : tg_private_key_from_der(in, format, &key, &err);
  tg_fuzz_check_err(st, &err);
  TG_FUZZ_ASSERT((st == TG_OK) == (key != NULL), "status %d with key %p", st, (void *)key);
  if (key != NULL) {
    tg_public_key *pub = NULL;
    TG_FUZZ_ASSERT(tg_private_key_public(key, &pub, &err) == TG_OK, "no public half");
    TG_FUZZ_ASSERT(tg_public_key_type(pub) == tg_private_key_type(key), "type differs");
    tg_public_key_free(pub);
  }
  tg_private_key_free(key);
}

static void pem_blocks(const uint8_t *data, size_t size) {
  tg_reader r;
  size_t line = 0;
  tg_reader_init(&r, data, size, NULL);
  for (;;) {
    tg_pem_block b;
    bool found;
    tg_err err = {0};
    tg_status st = tg_pem_next(&r, &line, &b, &found, &err);
    tg_fuzz_check_err(st, &err);
    if (st != TG_OK || !found)
      return;
    tg_writer w;
    tg_writer_init_dynamic(&w, &err);
    st = tg_pem_decode(&b, &w, &err);
    tg_fuzz_check_err(st, &err);
    TG_FUZZ_ASSERT(st != TG_OK || w.len <= b.body.len, "decoded more than the text");
    tg_writer_free(&w);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  tg_public_key *pub = NULL;
  tg_err err = {0};
  tg_status st = tg_public_key_from_spki(tg_bytes_of(data, size), &pub, &err);
  tg_fuzz_check_err(st, &err);
  TG_FUZZ_ASSERT((st == TG_OK) == (pub != NULL), "status %d with key %p", st, (void *)pub);
  if (pub != NULL)
    TG_FUZZ_ASSERT(tg_public_key_bits(pub) >= 256, "a key of %zu bits", tg_public_key_bits(pub));
  tg_public_key_free(pub);
  private_key(data, size, TG_KEY_FORMAT_AUTO, false);
  private_key(data, size, TG_KEY_FORMAT_PKCS8, false);
  private_key(data, size, TG_KEY_FORMAT_SEC1, false);
  private_key(data, size, TG_KEY_FORMAT_PKCS1, false);
  private_key(data, size, TG_KEY_FORMAT_AUTO, true);
  pem_blocks(data, size);
  return 0;
}
