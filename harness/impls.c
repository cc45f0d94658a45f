/* The registry of implementations (impls.h). */
#include "impls.h"

#include "cli.h"

#include <stdio.h>
#include <string.h>

static const tg_impl registry[] = {
    {"builtin", "tlsgauntlet", "", true, true},
    {"gnutls", "GnuTLS", "libgnutls28-dev", true, true},
    {"openssl", "OpenSSL", "libssl-dev", true, true},
    {"boringssl", "BoringSSL", "android-libboringssl-dev", true, true},
    {"wolfssl", "wolfSSL", "libwolfssl-dev", true, true},
    {"nss", "NSS", "libnss3-dev", true, true},
    /* Debian 12 has Mbed TLS 2.28, whose TLS 1.3 is an experimental prototype its build leaves
     * off (MBEDTLS_SSL_PROTO_TLS1_3_EXPERIMENTAL in mbedtls/config.h). */
    {"mbedtls", "Mbed TLS", "libmbedtls-dev", false, true},
};
_Static_assert(sizeof registry / sizeof registry[0] <= TG_MAX_IMPLS,
               "a run must be able to play every registered implementation");

const tg_impl *tg_impls(size_t *n) {
  *n = sizeof registry / sizeof registry[0];
  return registry;
}

const tg_impl *tg_impl_find(const char *name) {
  for (size_t i = 0; name != NULL && i < sizeof registry / sizeof registry[0]; i++)
    if (strcmp(registry[i].name, name) == 0)
      return &registry[i];
  return NULL;
}

void tg_impl_missing_why(const tg_impl *impl, char *buf, size_t len) {
  /* The adapters of the reference libraries are built when configure finds their package (the
   * top-level CMakeLists.txt); the builtin one always is, so its absence is a broken tree. */
  if (impl->package[0] != '\0')
    snprintf(buf, len, "tg-peer-%s not found: configure did not find %s", impl->name,
             impl->package);
  else
    snprintf(buf, len, "tg-peer-%s not found in the adapters' directory or $TG_PEER_DIR",
             impl->name);
}

size_t tg_impls_built(const char **names, size_t max, const char *cmd) {
  size_t n, k = 0;
  const tg_impl *reg = tg_impls(&n);
  char path[4096], why[512];
  for (size_t i = 0; i < n; i++) {
    if (harness_adapter_path(reg[i].name, path, sizeof path)) {
      if (k < max)
        names[k++] = reg[i].name;
      continue;
    }
    tg_impl_missing_why(&reg[i], why, sizeof why);
    if (cmd != NULL)
      fprintf(stderr, "tlsgauntlet %s: note: %s (--peer all plays the others)\n", cmd, why);
  }
  return k;
}

bool tg_impl_list_add(const char **list, size_t *n, const char *name, const char *cmd,
                      bool *noted) {
  if (strcmp(name, "all") == 0) {
    const char *built[TG_MAX_IMPLS];
    size_t k = tg_impls_built(built, TG_MAX_IMPLS, *noted ? NULL : cmd);
    *noted = true;
    for (size_t i = 0; i < k; i++)
      if (!tg_impl_list_add(list, n, built[i], cmd, noted))
        return false;
    return true;
  }
  for (size_t i = 0; i < *n; i++)
    if (strcmp(list[i], name) == 0)
      return true;
  if (*n == TG_MAX_IMPLS)
    return false;
  list[(*n)++] = name;
  return true;
}
