#!/usr/bin/env python3
"""Seeds for fuzz_x509_diff (the input format is in fuzz/fuzz_x509_diff.c).

  fuzz/x509_diff_seeds.py OUTDIR

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
    raw = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big")
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
        return tlv(tag, b"".join(seq(tlv(0x82, d.encode())) for d in dns)) if dns else b""
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
    return tbs(3, issuer, kw.pop("cn", "leaf"), exts + list(extra), **kw)


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


def main():
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
