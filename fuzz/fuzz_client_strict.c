/* fuzz_client_strict: fuzz_client without the fuzzer mode (fuzz_engine.h): the real AEAD, and the
 * Finished, CertificateVerify and PSK binder checked, as a peer on the wire meets them. Fixed RNG
 * and clock still, so every input replays exactly. */
#define TG_FUZZ_STRICT 1
#include "fuzz_client.c"
