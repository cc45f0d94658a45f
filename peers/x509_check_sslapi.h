/* x509_check_sslapi.c: OpenSSL's or BoringSSL's X509_verify_cert (x509_check.h). */
#ifndef TG_PEERS_X509_CHECK_SSLAPI_H
#define TG_PEERS_X509_CHECK_SSLAPI_H

#include <openssl/x509.h>

#include "x509_check.h"

/* X509_verify_cert of leaf with untrusted offered and anchors in the store (none is owned). */
void x509_check_sslapi(X509 *leaf, STACK_OF(X509) * untrusted, STACK_OF(X509) * anchors,
                       const x509_check_in *in, x509_check_out *out);

#endif
