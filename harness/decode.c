/* tlsgauntlet decode: prints the structure of TLS records or handshake messages, or, for
 * malformed input, one line naming the alert, the failed check and where it is. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decode.h"
#include "dump_render.h"
#include "input.h"
#include "tg/handshake.h"

static const char decode_usage[] =
    "usage: tlsgauntlet decode [--hex HEX | --file F] [--as record|handshake|certificate]\n"
    "                          [--json] [--version 1.2|1.3] [--kx ecdhe|rsa] [--hash-len N]\n"
    "                          [--full]\n"
    "\n"
    "Decodes TLS records, handshake messages or X.509 certificates and prints their fields\n"
    "with their names.\n"
    "Malformed input prints one line naming the TLS alert it implies and the failed check,\n"
    "and exits 2.\n"
    "\n"
    "  --hex HEX        the bytes as hex (spaces and colons are ignored)\n"
    "  --file F         read F ('-' for standard input): hex text, or raw bytes\n"
    "  --as KIND        record: a stream of TLSPlaintext records (handshake messages inside\n"
    "                   are reassembled and decoded); handshake: a stream of Handshake\n"
    "                   messages; certificate: one DER certificate, or the CERTIFICATE\n"
    "                   blocks of a PEM file. Default: guessed from the first bytes.\n"
    "  --json           print JSON instead of text\n"
    "  --version V      read version-dependent messages (Certificate, CertificateRequest,\n"
    "                   NewSessionTicket) as TLS 1.2 or 1.3 (default 1.3, or what a decoded\n"
    "                   ServerHello selects)\n"
    "  --kx K           TLS 1.2 ClientKeyExchange form: ecdhe (default) or rsa\n"
    "  --hash-len N     Finished/message_hash length of the cipher suite (default: 32 or 48)\n"
    "  --full           print long byte strings in full (text output)\n";

/* A ClientHello or ServerHello that selects a version changes how what follows is read. */
static void follow_version(decode_state *s, const tg_handshake *m) {
  if (m->msg_type == TG_HS_server_hello && !s->version_fixed) {
    uint16_t v = tg_server_hello_selected_version(&m->u.server_hello);
    if (v == TG_VERSION_TLS12 || v == TG_VERSION_TLS13)
      s->ctx.version = v;
  }
}

int decode_handshakes(decode_state *s, tg_bytes in) {
  tg_reader r;
  tg_reader_init(&r, in.p, in.len, &s->err);
  while (tg_left(&r) > 0) {
    tg_handshake m;
    tg_reader before = r;
    if (tg_handshake_decode(&r, &s->ctx, &m) != TG_OK) {
      if (before.p >= s->input.p && before.p <= s->input.p + s->input.len)
        s->failed_at = (size_t)(before.p - s->input.p);
      return -1;
    }
    tg_handshake_describe(s->dump, &s->ctx, &m);
    follow_version(s, &m);
  }
  return 0;
}

static void print_error(const decode_state *s, int json) {
  char line[512];
  if (json) {
    json_t *e = json_pack("{s:s, s:s, s:s, s:s?, s:i, s:I}", "alert",
                          tg_alert_name(s->err.alert) ? tg_alert_name(s->err.alert) : "unknown",
                          "code", tg_code_name(s->err.code), "what", s->err.what, "file",
                          s->err.file, "line", s->err.line, "offset", (json_int_t)s->failed_at);
    json_object_set_new(s->json.root, "error", e);
  } else {
    printf("%s\n", tg_err_format(&s->err, line, sizeof line));
  }
}

static int parse_args(int argc, char **argv, decode_state *s, input_buf *in, int *json, int *full) {
  static const struct option opts[] = {
      {"hex", required_argument, NULL, 'x'},      {"file", required_argument, NULL, 'f'},
      {"as", required_argument, NULL, 'a'},       {"json", no_argument, NULL, 'j'},
      {"version", required_argument, NULL, 'v'},  {"kx", required_argument, NULL, 'k'},
      {"hash-len", required_argument, NULL, 'l'}, {"full", no_argument, NULL, 'F'},
      {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
  };
  char msg[256];
  int have_input = 0, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
    case 'x':
    case 'f':
      if (have_input++) {
        fprintf(stderr, "decode: give one of --hex and --file\n");
        return 2;
      }
      if ((c == 'x' ? input_from_hex(optarg, in, msg, sizeof msg)
                    : input_from_file(optarg, in, msg, sizeof msg)) != 0) {
        fprintf(stderr, "decode: %s\n", msg);
        return 2;
      }
      break;
    case 'a':
      if (strcmp(optarg, "record") == 0)
        s->kind = DECODE_RECORD;
      else if (strcmp(optarg, "handshake") == 0)
        s->kind = DECODE_HANDSHAKE;
      else if (strcmp(optarg, "certificate") == 0)
        s->kind = DECODE_CERTIFICATE;
      else {
        fprintf(stderr, "decode: --as takes record, handshake or certificate, not '%s'\n", optarg);
        return 2;
      }
      break;
    case 'j': *json = 1; break;
    case 'F': *full = 1; break;
    case 'v':
      if (strcmp(optarg, "1.2") == 0 || strcmp(optarg, "tls12") == 0)
        s->ctx.version = TG_VERSION_TLS12;
      else if (strcmp(optarg, "1.3") == 0 || strcmp(optarg, "tls13") == 0)
        s->ctx.version = TG_VERSION_TLS13;
      else {
        fprintf(stderr, "decode: --version takes 1.2 or 1.3, not '%s'\n", optarg);
        return 2;
      }
      s->version_fixed = 1;
      break;
    case 'k':
      if (strcmp(optarg, "ecdhe") == 0 || strcmp(optarg, "rsa") == 0)
        s->ctx.kx = optarg[0] == 'r' ? TG_KX_RSA : TG_KX_ECDHE;
      else {
        fprintf(stderr, "decode: --kx takes ecdhe or rsa, not '%s'\n", optarg);
        return 2;
      }
      break;
    case 'l': {
      char *end;
      long n = strtol(optarg, &end, 10);
      if (*end != '\0' || (n != 32 && n != 48)) {
        fprintf(stderr, "decode: --hash-len takes 32 or 48\n");
        return 2;
      }
      s->ctx.hash_len = (uint8_t)n;
      break;
    }
    case 'h': fputs(decode_usage, stdout); return -1;
    default: fputs(decode_usage, stderr); return 2;
    }
  }
  if (optind < argc) {
    fprintf(stderr, "decode: unexpected argument '%s'\n%s", argv[optind], decode_usage);
    return 2;
  }
  if (!have_input && input_from_file("-", in, msg, sizeof msg) != 0) {
    fprintf(stderr, "decode: %s\n", msg);
    return 2;
  }
  return 0;
}

/* A record starts with a known content type and a major version of 3; a certificate with a
 * DER SEQUENCE (0x30) or PEM text. */
static enum decode_kind guess_kind(tg_bytes in) {
  if ((in.len >= 2 && in.p[0] == 0x30) || (in.len >= 5 && memcmp(in.p, "-----", 5) == 0))
    return DECODE_CERTIFICATE;
  if (in.len >= 3 && in.p[0] >= TG_CT_change_cipher_spec && in.p[0] <= TG_CT_application_data &&
      in.p[1] == 3)
    return DECODE_RECORD;
  return DECODE_HANDSHAKE;
}

int cmd_decode(int argc, char **argv) {
  decode_state s;
  input_buf in = {0};
  int json = 0, full = 0;
  memset(&s, 0, sizeof s);
  s.ctx.version = TG_VERSION_TLS13;
  s.ctx.kx = TG_KX_ECDHE;
  int rc = parse_args(argc, argv, &s, &in, &json, &full);
  if (rc != 0) { /* a --hex or --file before the bad option was already read */
    input_free(&in);
    return rc < 0 ? EXIT_OK : EXIT_BAD_INPUT;
  }
  s.input = tg_bytes_of(in.p, in.len);
  if (s.kind == DECODE_GUESS)
    s.kind = guess_kind(s.input);

  text_dump text;
  if (json) {
    json_dump_init(&s.json);
    s.dump = &s.json.base;
    tg_dump_begin(s.dump, NULL);
  } else {
    text_dump_init(&text, stdout, 0, full ? 0 : 64);
    s.dump = &text.base;
  }
  int failed;
  switch (s.kind) {
  case DECODE_RECORD:
    tg_dump_list(s.dump, "records");
    failed = decode_records(&s, s.input) != 0;
    break;
  case DECODE_CERTIFICATE:
    tg_dump_list(s.dump, "certificates");
    failed = decode_certificates(&s, s.input) != 0;
    break;
  default:
    tg_dump_list(s.dump, "messages");
    failed = decode_handshakes(&s, s.input) != 0;
    break;
  }
  tg_dump_end(s.dump);
  if (failed)
    print_error(&s, json);
  if (json) {
    tg_dump_end(s.dump);
    json_dumpf(s.json.root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(s.json.root);
  }
  input_free(&in);
  return failed ? EXIT_BAD_INPUT : EXIT_OK;
}
