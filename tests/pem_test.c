/* PEM blocks and strict base64: openssl's PEM and DER of one key agree, chains of blocks, and a
 * malformed table (one defect per row, its code and the line it names). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg/pem.h"

static size_t read_file(const char *path, uint8_t *out, size_t cap) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  size_t n = fread(out, 1, cap, f);
  cr_assert_lt(n, cap, "%s is larger than the test buffer", path);
  fclose(f);
  return n;
}

/* Decodes the single block of text; returns the status of the first failing step. */
static tg_status decode_one(const char *text, tg_pem_block *b, tg_writer *w, tg_err *err) {
  tg_reader r;
  size_t line = 0;
  bool found;
  size_t len = strlen(text);
  uint8_t *copy = malloc(len ? len : 1); /* exact size: ASan sees over-reads */
  memcpy(copy, text, len);
  tg_reader_init(&r, copy, len, err);
  tg_status st = tg_pem_next(&r, &line, b, &found, err);
  if (st == TG_OK && !found)
    st = TG_E_USAGE;
  if (st == TG_OK)
    st = tg_pem_decode(b, w, err);
  free(copy);
  return st;
}

Test(pem, decodes_to_openssl_der) {
  static const char *const names[] = {"p256.pkcs8", "rsa2048.pkcs8", "ed25519.pkcs8"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    static uint8_t pem[4096], der[4096];
    char path[512];
    snprintf(path, sizeof path, TG_SOURCE_DIR "/vectors/keys/%s.pem", names[i]);
    size_t pem_len = read_file(path, pem, sizeof pem);
    snprintf(path, sizeof path, TG_SOURCE_DIR "/vectors/keys/%s.der", names[i]);
    size_t der_len = read_file(path, der, sizeof der);
    tg_reader r;
    tg_pem_block b;
    size_t line = 0;
    bool found;
    tg_err err = {0};
    tg_writer w;
    tg_reader_init(&r, pem, pem_len, &err);
    cr_assert_eq(tg_pem_next(&r, &line, &b, &found, &err), TG_OK, "%s", err.what);
    cr_assert(found);
    cr_assert(tg_pem_label_is(&b, "PRIVATE KEY"));
    cr_assert_eq(b.begin_line, 1);
    tg_writer_init_dynamic(&w, &err);
    cr_assert_eq(tg_pem_decode(&b, &w, &err), TG_OK, "%s: %s", names[i], err.what);
    cr_assert(tg_bytes_eq(tg_writer_bytes(&w), tg_bytes_of(der, der_len)), "%s differs", names[i]);
    tg_writer_free(&w);
    cr_assert_eq(tg_pem_next(&r, &line, &b, &found, &err), TG_OK);
    cr_assert(!found, "one block only");
  }
}

Test(pem, chain_of_blocks_with_text_between) {
  const char *text = "Subject: something\n"
                     "-----BEGIN CERTIFICATE-----\r\n"
                     "aGVsbG8=\r\n"
                     "-----END CERTIFICATE-----\r\n"
                     "explanatory text\n"
                     "\n"
                     "-----BEGIN OTHER THING-----\n"
                     "YWJj\n"
                     "ZA==  \n"
                     "-----END OTHER THING-----";
  tg_reader r;
  tg_pem_block b;
  size_t line = 0;
  bool found;
  tg_err err = {0};
  uint8_t out[16];
  tg_writer w;
  tg_reader_init(&r, (const uint8_t *)text, strlen(text), &err);
  cr_assert_eq(tg_pem_next(&r, &line, &b, &found, &err), TG_OK, "%s", err.what);
  cr_assert(found && tg_pem_label_is(&b, "CERTIFICATE") && b.begin_line == 2);
  tg_writer_init(&w, out, sizeof out, &err);
  cr_assert_eq(tg_pem_decode(&b, &w, &err), TG_OK, "%s", err.what);
  cr_assert(w.len == 5 && memcmp(out, "hello", 5) == 0);
  cr_assert_eq(tg_pem_next(&r, &line, &b, &found, &err), TG_OK, "%s", err.what);
  cr_assert(found && tg_pem_label_is(&b, "OTHER THING") && b.begin_line == 7);
  tg_writer_init(&w, out, sizeof out, &err);
  cr_assert_eq(tg_pem_decode(&b, &w, &err), TG_OK, "%s", err.what);
  cr_assert(w.len == 4 && memcmp(out, "abcd", 4) == 0);
  cr_assert_eq(tg_pem_next(&r, &line, &b, &found, &err), TG_OK);
  cr_assert(!found);
}

Test(pem, no_block_is_not_an_error) {
  tg_reader r;
  tg_pem_block b;
  size_t line = 0;
  bool found = true;
  tg_err err = {0};
  tg_reader_init(&r, (const uint8_t *)"just text\n", 10, &err);
  cr_assert_eq(tg_pem_next(&r, &line, &b, &found, &err), TG_OK);
  cr_assert(!found);
  cr_assert_eq(err.code, TG_OK);
}

static const struct malformed {
  const char *name;
  const char *text;
  tg_code code;
  const char *what; /* a substring of the message, usually naming the line */
} malformed[] = {
    {"bad character", "-----BEGIN X-----\nQUJD\nQU*D\n-----END X-----\n", TG_E_BAD_VALUE,
     "line 3: character 0x2a"},
    {"padding too early", "-----BEGIN X-----\nQ===\n-----END X-----\n", TG_E_BAD_VALUE,
     "line 2: '=' padding at position 2"},
    {"missing padding", "-----BEGIN X-----\nQUJDQQ\n-----END X-----\n", TG_E_TRUNCATED,
     "2 of 4 characters"},
    {"data after padding", "-----BEGIN X-----\nQQ==\nQUJD\n-----END X-----\n", TG_E_TRAILING,
     "line 3: base64 continues"},
    {"padding then data in a quantum", "-----BEGIN X-----\nQU=D\n-----END X-----\n", TG_E_BAD_VALUE,
     "data after '='"},
    {"non-zero pad bits", "-----BEGIN X-----\nQR==\n-----END X-----\n", TG_E_BAD_VALUE,
     "padding bits"},
    {"missing END", "-----BEGIN X-----\nQUJD\n", TG_E_TRUNCATED, "no END line for the \"X\" block"},
    {"END label differs", "-----BEGIN X-----\nQUJD\n-----END Y-----\n", TG_E_BAD_VALUE,
     "line 3: END label \"Y\" does not match BEGIN label \"X\""},
    {"trailing garbage after END", "-----BEGIN X-----\nQUJD\n-----END X-----junk\n", TG_E_BAD_VALUE,
     "line 3: malformed END line"},
    {"BEGIN inside a block", "-----BEGIN X-----\nQUJD\n-----BEGIN X-----\n-----END X-----\n",
     TG_E_TRUNCATED, "line 3: BEGIN before the END"},
    {"encrypted legacy header",
     "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nQUJD\n"
     "-----END RSA PRIVATE KEY-----\n",
     TG_E_BAD_VALUE, "line 2: header lines"},
    {"malformed BEGIN", "-----BEGIN X----\nQUJD\n-----END X-----\n", TG_E_BAD_VALUE,
     "line 1: malformed BEGIN"},
};

Test(pem, malformed_table) {
  for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
    const struct malformed *m = &malformed[i];
    tg_pem_block b;
    tg_writer w;
    tg_err err = {0};
    tg_writer_init_dynamic(&w, &err);
    tg_status st = decode_one(m->text, &b, &w, &err);
    cr_expect_eq(st, m->code, "%s: status %d, expected %d (%s)", m->name, st, m->code, err.what);
    cr_expect_eq(err.alert, TG_ALERT_decode_error, "%s", m->name);
    cr_expect(strstr(err.what, m->what) != NULL, "%s: message \"%s\" lacks \"%s\"", m->name,
              err.what, m->what);
    tg_writer_free(&w);
  }
}
