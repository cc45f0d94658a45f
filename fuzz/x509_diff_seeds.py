#!/usr/bin/env python3
"""Seeds for fuzz_x509_diff (the input format is in fuzz/fuzz_x509_diff.c).

  fuzz/x509_diff_seeds.py OUTDIR
  fuzz/x509_diff_seeds.py --dump INPUT OUTDIR

--dump writes one input's chain as PEM files for the libraries' own tools (triage of a report):
leaf.pem, untrusted.pem (the certificates between leaf and anchor), anchor.pem and chain.pem
(leaf then untrusted), signing re-sign mode's TBSCertificates with openssl pkeyutl as the target
does, and prints the commands that replay it with openssl verify and certtool --verify.

Raw mode: every chain of vectors/x509/chains.yaml (leaf, untrusted, trust; its name, time and
purpose) as it is. Re-sign mode: TBSCertificates built here, byte for byte the same on every run,
whose CA keys are vectors/keys/ed25519 (the key the target signs with), one per path check:
path length, cA, keyUsage, extKeyUsage, names, wildcards, IP addresses, name constraints,
unknown critical extensions, validity, version 1.
"""
import base64
import calendar
import os
import sys
import time

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
TIME_BASE = 946684800  # 2000-01-01T00:00:00Z
SPKI = open(os.path.join(ROOT, "vectors/keys/ed25519.spki.der"), "rb").read()


def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        head = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + head + body


def seq(*items):
    return tlv(0x30, b"".join(items))


def oid(dotted):
    parts = [int(x) for x in dotted.split(".")]
    out = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        enc = [p & 0x7F]
        p >>= 7
        while p:
            enc.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(enc))
    return tlv(0x06, out)


def integer(v):
    raw = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True)
    return tlv(0x02, raw)


def name(cn):
    return seq(tlv(0x31, seq(oid("2.5.4.10"), tlv(0x0C, b"tlsgauntlet diff"))),
               tlv(0x31, seq(oid("2.5.4.3"), tlv(0x0C, cn.encode()))))


def utc(s):  # "YYMMDDhhmmssZ"
    return tlv(0x17, s.encode())


def ext(o, value, critical=False):
    return seq(oid(o), tlv(0x01, b"\xff") if critical else b"", tlv(0x04, value))


def basic_constraints(ca, pathlen=None):
    body = (tlv(0x01, b"\xff") if ca else b"") + (integer(pathlen) if pathlen is not None else b"")
    return ext("2.5.29.19", seq(body), critical=True)


def key_usage(bits):  # bits: a string of '0'/'1', bit 0 first (digitalSignature)
    padded = bits + "0" * (-len(bits) % 8)
    val = int(padded, 2).to_bytes(len(padded) // 8, "big")
    return ext("2.5.29.15", tlv(0x03, bytes([len(padded) - len(bits)]) + val), critical=True)


def eku(*purposes):
    return ext("2.5.29.37", seq(*[oid("1.3.6.1.5.5.7.3." + str(p)) for p in purposes]))


def san(dns=(), ips=()):
    names = [tlv(0x82, d.encode()) for d in dns] + [tlv(0x87, bytes(ip)) for ip in ips]
    return ext("2.5.29.17", seq(*names))


def name_constraints(permitted=(), excluded=()):
    def subtrees(tag, dns):
        return tlv(tag, b"".join(seq(tlv(0x82, d.encode("latin-1"))) for d in dns)) if dns else b""
    return ext("2.5.29.30", seq(subtrees(0xA0, permitted), subtrees(0xA1, excluded)),
               critical=True)


def tbs(serial, issuer, subject, exts, nb="250101000000Z", na="350101000000Z", v1=False):
    parts = [] if v1 else [tlv(0xA0, integer(2))]
    parts += [integer(serial), seq(oid("1.3.101.112")), name(issuer),
              seq(utc(nb), utc(na)), name(subject), SPKI]
    if exts and not v1:
        parts.append(tlv(0xA3, seq(*exts)))
    return seq(*parts)


CA_KU = key_usage("0000011")  # keyCertSign, cRLSign
LEAF_KU = key_usage("1")      # digitalSignature


def root(**kw):
    exts = kw.pop("exts", [basic_constraints(True), CA_KU])
    return tbs(1, "Diff Root", "Diff Root", exts, **kw)


def inter(exts=None, **kw):
    exts = exts if exts is not None else [basic_constraints(True), CA_KU]
    return tbs(2, "Diff Root", "Diff CA", exts, **kw)


def leaf(issuer="Diff CA", dns=("www.example.com",), ips=(), purposes=(1, 2), extra=(), **kw):
    exts = [basic_constraints(False), LEAF_KU]
    if purposes:
        exts.append(eku(*purposes))
    if dns or ips:
        exts.append(san(dns, ips))
    return tbs(kw.pop("serial", 3), issuer, kw.pop("cn", "leaf"), exts + list(extra), **kw)


def encode(flags, when, ref_name, certs):
    out = bytes([flags]) + (when - TIME_BASE).to_bytes(4, "big")
    out += bytes([len(ref_name)]) + ref_name.encode()
    for c in certs:
        out += len(c).to_bytes(2, "big") + c
    return out


def resign_seeds():
    t = calendar.timegm((2026, 6, 1, 0, 0, 0))
    www = "www.example.com"
    return {
        "valid_3level": (www, [leaf(), inter(), root()]),
        "valid_2level": (www, [leaf(issuer="Diff Root"), root()]),
        "pathlen0_root": (www, [leaf(), inter(), root(exts=[basic_constraints(True, 0), CA_KU])]),
        "int_not_ca": (www, [leaf(), inter([basic_constraints(False), CA_KU]), root()]),
        "int_no_bc": (www, [leaf(), inter([CA_KU]), root()]),
        "int_no_certsign": (www, [leaf(), inter([basic_constraints(True), LEAF_KU]), root()]),
        "int_v1": (www, [leaf(), inter(v1=True), root()]),
        "leaf_client_only": (www, [leaf(purposes=(2,)), inter(), root()]),
        "leaf_no_eku": (www, [leaf(purposes=()), inter(), root()]),
        "leaf_wildcard": ("a.example.com", [leaf(dns=("*.example.com",)), inter(), root()]),
        "leaf_wildcard_deep": ("a.b.example.com", [leaf(dns=("*.example.com",)), inter(), root()]),
        "leaf_ip": ("192.0.2.1", [leaf(dns=(), ips=((192, 0, 2, 1),)), inter(), root()]),
        "leaf_cn_only": (www, [leaf(dns=(), cn=www), inter(), root()]),
        "name_mismatch": ("example.org", [leaf(), inter(), root()]),
        "nc_permitted": (www, [leaf(), inter([basic_constraints(True), CA_KU,
                                              name_constraints(permitted=("example.com",))]),
                               root()]),
        "nc_excluded": (www, [leaf(), inter([basic_constraints(True), CA_KU,
                                             name_constraints(excluded=("example.com",))]),
                              root()]),
        "leaf_unknown_critical": (www, [leaf(extra=[ext("1.3.6.1.4.1.55555.1", b"\x05\x00", True)]),
                                        inter(), root()]),
        "leaf_expired": (www, [leaf(na="260101000000Z"), inter(), root()]),
        "leaf_future": (www, [leaf(nb="270101000000Z"), inter(), root()]),
        "no_name": ("", [leaf(), inter(), root()]),
        # Two known differences on one chain (issue 15): a CN-only leaf (GnuTLS matches the CN)
        # under an anchor that is not self-issued (BoringSSL needs PARTIAL_CHAIN).
        "cn_only_under_intermediate_anchor": (www, [leaf(dns=(), cn=www), inter()]),
        # The anchor's own basicConstraints: absent, or cA false (RFC 5280 6.1.1 (d) takes
        # its name and key only).
        "root_no_bc": (www, [leaf(), inter(), root(exts=[CA_KU])]),
        "root_not_ca": (www, [leaf(), inter(), root(exts=[basic_constraints(False), CA_KU])]),
        # RFC 5280 4.1.2.2: users "SHOULD be prepared to gracefully handle" such serials.
        "leaf_serial_negative": (www, [leaf(serial=-3), inter(), root()]),
        "leaf_serial_zero": (www, [leaf(serial=0), inter(), root()]),
        "leaf_serial_long": (www, [leaf(serial=1 << 190), inter(), root()]),
        # A dNSName subtree (IA5String) with a non-ASCII octet.
        "nc_non_ascii": (www, [leaf(), inter([basic_constraints(True), CA_KU,
                                              name_constraints(permitted=("ex\xe4mple.com",))]),
                               root()]),
        "nc_excluded_non_ascii": (www, [leaf(), inter([basic_constraints(True), CA_KU,
                                                       name_constraints(excluded=("\xe4.org",))]),
                                        root()]),
    }, t


def raw_seeds():
    chains = os.path.join(ROOT, "vectors/x509/chains")
    out = {}
    for e in yaml.safe_load(open(os.path.join(ROOT, "vectors/x509/chains.yaml"))):
        files = [e["leaf"]] + e["untrusted"].split() + e["trust"].split()[:1]
        ders = []
        for f in files:
            text = open(os.path.join(chains, f)).read()
            for block in text.split("-----BEGIN CERTIFICATE-----")[1:]:
                b64 = block.split("-----END CERTIFICATE-----")[0]
                ders.append(base64.b64decode("".join(b64.split())))
        when = e["time"]
        if not isinstance(when, (int, float)):
            when = calendar.timegm(time.strptime(str(when)[:19].replace(" ", "T"),
                                                 "%Y-%m-%dT%H:%M:%S"))
        flags = 2 if e.get("purpose") == "client" else 0
        out["raw_" + e["id"]] = (flags, int(when), e.get("name") or "", ders)
    return out


def pem(der):
    b64 = base64.b64encode(der).decode()
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def sign(tbs_der):
    """Certificate = SEQUENCE { tbs, id-Ed25519, BIT STRING Ed25519(tbs) } (as the target)."""
    import subprocess
    import tempfile
    with tempfile.NamedTemporaryFile() as f:
        f.write(tbs_der)
        f.flush()
        sig = subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", "-in", f.name, "-inkey",
                              os.path.join(ROOT, "vectors/keys/ed25519.pkcs8.pem")],
                             check=True, capture_output=True).stdout
    return seq(tbs_der, seq(oid("1.3.101.112")), tlv(0x03, b"\x00" + sig))


def dump(path, outdir):
    data = open(path, "rb").read()
    flags, when, n = data[0], int.from_bytes(data[1:5], "big") + TIME_BASE, data[5]
    ref = data[6:6 + n].split(b"\0")[0].decode("latin-1")
    p, certs = 6 + n, []
    while len(certs) < 6 and len(data) - p >= 2:
        ln = int.from_bytes(data[p:p + 2], "big")
        der = data[p + 2:p + 2 + ln]
        certs.append(sign(der) if flags & 1 else der)
        p += 2 + ln
    os.makedirs(outdir, exist_ok=True)
    files = {"leaf.pem": certs[:1], "untrusted.pem": certs[1:-1], "anchor.pem": certs[-1:],
             "chain.pem": certs[:-1]}
    for f, ders in files.items():
        open(os.path.join(outdir, f), "w").write("".join(pem(d) for d in ders))
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(when))
    purpose = "sslclient" if flags & 2 else "sslserver"
    host = ("-verify_ip " if any(c in ref for c in ":") or ref.replace(".", "").isdigit()
            else "-verify_hostname ") + ref if ref else ""
    print(f"# {len(certs)} certificates, time {when} ({stamp}Z), name {ref or '(none)'}, "
          f"purpose {purpose}")
    print(f"cd {outdir}")
    print(f"openssl verify -attime {when} -purpose {purpose} {host} -CAfile anchor.pem "
          f"-untrusted untrusted.pem leaf.pem   # add -partial_chain for an intermediate anchor")
    print(f"faketime '{stamp}' certtool --verify --load-ca-certificate anchor.pem"
          f" --infile chain.pem" + (f" --verify-hostname {ref}" if ref else "") +
          f" --verify-purpose {'1.3.6.1.5.5.7.3.2' if flags & 2 else '1.3.6.1.5.5.7.3.1'}")


def main():
    if sys.argv[1] == "--dump":
        dump(sys.argv[2], sys.argv[3])
        return
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    seeds, when = resign_seeds()
    for sid, (ref, certs) in seeds.items():
        open(os.path.join(outdir, "resign_" + sid), "wb").write(encode(1, when, ref, certs))
    for sid, (flags, when, ref, certs) in raw_seeds().items():
        if len(certs) >= 2:
            open(os.path.join(outdir, sid), "wb").write(encode(flags, when, ref, certs))


if __name__ == "__main__":
    main()
