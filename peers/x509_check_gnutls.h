/* x509_check_gnutls.c: GnuTLS's gnutls_x509_trust_list_verify_crt2 (x509_check.h). */
#ifndef TG_PEERS_X509_CHECK_GNUTLS_H
#define TG_PEERS_X509_CHECK_GNUTLS_H

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "x509_check.h"

/* chain[0..n) (leaf first, the rest offered) against the anchors of tl. Sets the library's time
 * function: GnuTLS has no other hook for the verification time. */
void x509_check_gnutls(gnutls_x509_crt_t *chain, unsigned n, gnutls_x509_trust_list_t tl,
                       const x509_check_in *in, x509_check_out *out);

#endif
