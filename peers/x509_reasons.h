/* The library-error-to-reason maps: what a reference library's X.509 path validation says when it
 * rejects a chain, in the built-in validator's reason names (tg_x509_reason_name: "expired",
 * "unknown_issuer", ...), or "other" when no name has the same meaning. The verify adapters put
 * the name in their --verify JSON line (peers/README.md) and fuzz_x509_diff in the class of a
 * disagreement (fuzz/x509_diff_allowlist.yaml), so both must say the same; each map lives once.
 *
 * One file per library, peers/x509_reason_NAME.c, defining x509_reason_of_<its error>(), which
 * takes the library's error as a plain integer so that this header needs no library header. A map
 * file includes only its library's headers and this one, and is compiled into every program that
 * reports that library's verdicts (CMakeLists.txt: the adapter, fuzz_x509_diff, and
 * tests/x509_reason_test.c, which checks each name against tg_x509_reason_name). A library that
 * reports several faults at once (GnuTLS's status bits) is mapped in a fixed order, the checks a
 * validator meets first on the path first, so one chain with two faults names the reason the
 * built-in validator would. Never "ok": the maps are asked only about rejections. */
#ifndef TG_PEERS_X509_REASONS_H
#define TG_PEERS_X509_REASONS_H

/* x509_reason_sslapi.c: an X509_V_ERR_* code of OpenSSL or BoringSSL, from
 * X509_STORE_CTX_get_error. One source for both, compiled against each library's headers: the
 * numbers differ between the two beyond the common ones. */
const char *x509_reason_of_x509_v_err(int err);

/* x509_reason_gnutls.c: the gnutls_certificate_status_t bits of
 * gnutls_x509_trust_list_verify_crt2 (or gnutls_certificate_verify_peers3). */
const char *x509_reason_of_gnutls_status(unsigned status);

#endif
