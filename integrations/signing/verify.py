"""Verify a signed agreement against the trust roots: is it intact, valid and trusted?

* intact: every byte of the file is what was signed. pyHanko checks the document digest and the
  signature's coverage. The byte range necessarily leaves out the signature container itself,
  and parts of a CMS SignedData are unsigned by design (its framing, the digest-algorithm set,
  versions, the certificate bag, unsigned attributes, the zero padding of ``/Contents``);
  pyHanko reads past harmless changes there. This module refuses them too, and bytes after the
  signed revision (other than long-term-validation updates), so that one changed byte anywhere
  in the file is reported: tested by flipping every byte of the container.
* valid: the signature value verifies with the signing certificate's key.
* trusted: the certificate chains to a trust root (``KAIKA_SIGNING_TRUST_ROOTS``, default the
  local CA), with no network fetching; with a timestamp, the timestamp must verify too.

The consent evidence is read back and checked against the signed bytes (reported separately).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from integrations.signing import const
from integrations.signing.ca import load_cert, trust_root_paths
from integrations.signing.evidence import ConsentEvidence, read_evidence


@dataclass(frozen=True)
class VerificationReport:
    intact: bool
    valid: bool
    trusted: bool
    signed: bool = False
    level: str | None = None  # pades-b-b | pades-b-t
    signer: str | None = None
    signing_time: str | None = None  # as claimed by the signer
    timestamp_time: str | None = None  # from the RFC 3161 timestamp, if any
    evidence: ConsentEvidence | None = None
    evidence_ok: bool = False
    reasons: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted

    def to_dict(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "ok": self.ok,
            "level": self.level,
            "signer": self.signer,
            "signing_time": self.signing_time,
            "timestamp_time": self.timestamp_time,
            "evidence_ok": self.evidence_ok,
            "evidence": None if self.evidence is None else self.evidence.__dict__,
            "reasons": list(self.reasons),
        }


def _failed(*reasons: str) -> VerificationReport:
    return VerificationReport(False, False, False, reasons=reasons)


def _tlv(raw: bytes, pos: int) -> tuple[int, int, int] | None:
    """(tag, header length, value length) of the DER element at ``pos``; None if malformed."""
    if pos + 2 > len(raw) or raw[pos] & 0x1F == 0x1F:  # kaika's CMS uses single-byte tags only
        return None
    first = raw[pos + 1]
    if first < 0x80:
        return raw[pos], 2, first
    count = first & 0x7F
    if count == 0 or count > 4 or pos + 2 + count > len(raw):
        return None
    return raw[pos], 2 + count, int.from_bytes(raw[pos + 2 : pos + 2 + count], "big")


def _children(raw: bytes) -> list[tuple[int, bytes]] | None:
    """The (tag, value) elements that make up ``raw`` exactly, or None if they do not."""
    out, pos = [], 0
    while pos < len(raw):
        tlv = _tlv(raw, pos)
        if tlv is None or pos + tlv[1] + tlv[2] > len(raw):
            return None
        out.append((tlv[0], raw[pos + tlv[1] : pos + tlv[1] + tlv[2]]))
        pos += tlv[1] + tlv[2]
    return out


def _signed_data_tags_ok(contents: bytes) -> bool:
    """SignedData ::= SEQUENCE { version INTEGER, digestAlgorithms SET, encapContentInfo SEQUENCE,
    certificates [0] OPTIONAL, crls [1] OPTIONAL, signerInfos SET } (RFC 5652 §5.1). asn1crypto
    accepts a SEQUENCE tag for a SET; a changed tag byte must still be refused."""
    kids = _children(contents)
    if kids is None or len(kids) < 4:
        return False
    tags = [tag for tag, _value in kids]
    middle = tags[3:-1]
    return tags[:3] == [0x02, 0x31, 0x30] and tags[-1] == 0x31 and middle in ([], [0xA0], [0xA1], [0xA0, 0xA1])


def _container_clean(contents: bytes) -> bool:
    """/Contents must hold exactly one ContentInfo { OID, [0] { SignedData } } whose lengths add
    up at every level down to SignedData's fields, followed only by the zero padding written at
    signing (neither the container's framing nor the padding is covered by the byte range)."""
    top = _tlv(contents, 0)
    if top is None or top[0] != 0x30:
        return False
    used = top[1] + top[2]
    if used > len(contents) or any(contents[used:]):
        return False
    info = _children(contents[top[1] : used])
    if info is None or [tag for tag, _v in info] != [0x06, 0xA0]:
        return False
    wrapped = _children(info[1][1])
    if wrapped is None or len(wrapped) != 1 or wrapped[0][0] != 0x30:
        return False
    return _signed_data_tags_ok(wrapped[0][1])


def _signer_info_ok(info: cms.SignerInfo) -> bool:
    """SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, signedAttrs [0], signatureAlgorithm,
    signature OCTET STRING, unsignedAttrs [1] OPTIONAL }, and the only unsigned attribute a kaika
    signature may carry is one RFC 3161 signature timestamp (which is then validated). A changed
    attribute type would otherwise make a timestamp silently disappear."""
    kids = _children(info.contents)
    if kids is None:
        return False
    tags = [tag for tag, _value in kids]
    if tags[:1] != [0x02] or tags[1] not in (0x30, 0x80) or tags[2:6] != [0x30, 0xA0, 0x30, 0x04]:
        return False
    if tags[6:] not in ([], [0xA1]):
        return False
    unsigned = info["unsigned_attrs"]
    if unsigned.native is None:
        return True
    return (
        len(unsigned) == 1
        and unsigned[0]["type"].native == "signature_time_stamp_token"
        and len(unsigned[0]["values"]) == 1
    )


def _cms_shape_ok(signed_data: cms.SignedData, path: Any, signing_cert: Any = None) -> bool:
    """Fields of a CMS SignedData that no signature covers must hold what a signer writes.

    RFC 5652 leaves parts of SignedData unsigned: the digest-algorithm set, the SignerInfo
    version, the certificate bag. pyHanko reads past harmless changes there; this check refuses
    them, so any changed byte of the signature container is reported, not only the meaningful
    ones. Expected shape: one SignerInfo whose version matches its identifier type (RFC 5652
    §5.3), the digest-algorithm set holding exactly that SignerInfo's algorithm (same DER), and
    no certificate that is neither the signer's nor on its validated path.
    """
    try:
        return _cms_shape(signed_data, path, signing_cert)
    except Exception:  # asn1crypto parses lazily: a malformed field raises only when read
        return False


def _cms_shape(signed_data: cms.SignedData, path: Any, signing_cert: Any) -> bool:
    infos = signed_data["signer_infos"]
    if len(infos) != 1:
        return False
    info = infos[0]
    if not _signer_info_ok(info):
        return False
    expected_version = "v1" if info["sid"].name == "issuer_and_serial_number" else "v3"
    if info["version"].native != expected_version:
        return False
    # RFC 5652 §5.1: v3 when a SignerInfo is v3 or the content is not id-data, else v1 (kaika's
    # signers never write attribute certificates or other certificate formats: v4/v5 never apply)
    plain = expected_version == "v1" and signed_data["encap_content_info"]["content_type"].native == "data"
    if signed_data["version"].native != ("v1" if plain else "v3"):
        return False
    algos = signed_data["digest_algorithms"]
    if len(algos) != 1 or algos[0].dump() != info["digest_algorithm"].dump():
        return False
    params = info["digest_algorithm"]["parameters"]
    if params.native is not None:  # absent or NULL only
        return False
    if path is None:  # untrusted: that is reported as such; the certificate bag cannot be judged
        return True
    allowed = {c.dump() for c in path.iter_certs(include_root=True)}
    if signing_cert is not None:
        allowed.add(signing_cert.dump())
    certs = signed_data["certificates"]
    for choice in certs if certs.native is not None else []:
        if choice.name != "certificate" or choice.chosen.dump() not in allowed:
            return False
    return True


def _timestamp_shape_ok(status: Any, sig: Any) -> bool:
    ts = status.timestamp_validity
    if ts is None:
        return True
    try:
        token = sig.signer_info["unsigned_attrs"][0]["values"][0]
        content = token["content"]
        return _signed_data_tags_ok(content.contents) and _cms_shape_ok(content, ts.validation_path, ts.signing_cert)
    except (KeyError, IndexError, TypeError, ValueError):
        return False


def _covers_to_end(sig: Any, size: int) -> bool:
    """pyHanko accepts bytes after the last %%EOF as "entire file"; kaika does not."""
    try:
        ranges = [int(x) for x in sig.sig_object["/ByteRange"]]
        return len(ranges) == 4 and ranges[2] + ranges[3] == size
    except (KeyError, TypeError, ValueError):
        return False


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _roots(paths: list[Path] | None) -> list[asn1_x509.Certificate]:
    return [asn1_x509.Certificate.load(load_cert(p).public_bytes(Encoding.DER)) for p in (paths or trust_root_paths())]


def verify_pdf(data: bytes, trust_roots: list[Path] | None = None) -> VerificationReport:
    """Verify every signature in ``data``; the report is ok only when all of them are."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = list(reader.embedded_regular_signatures)
    except Exception:  # any parse failure: the file is not a readable signed PDF
        return _failed(const.UNREADABLE_PDF)
    if not signatures:
        return _failed(const.NO_SIGNATURE)
    try:
        roots = _roots(trust_roots)
    except (OSError, ValueError):  # a configured root that is missing or not a certificate
        return _failed(const.NO_TRUST_ROOT)
    intact = valid = trusted = True
    reasons: list[str] = []
    level = signer = signing_time = ts_time = None
    for sig in signatures:
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        try:
            status = validate_pdf_signature(sig, context)
        except Exception:  # malformed CMS, unsupported algorithm …
            return _failed(const.INVALID_SIGNATURE)
        sig_intact = (
            bool(status.intact)
            and _container_clean(bytes(sig.pkcs7_content))
            and _cms_shape_ok(sig.signed_data, status.validation_path, status.signing_cert)
            and _timestamp_shape_ok(status, sig)
        )
        unmodified = (status.coverage == SignatureCoverageLevel.ENTIRE_FILE and _covers_to_end(sig, len(data))) or (
            status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and status.modification_level is not None
            and status.modification_level <= ModificationLevel.LTA_UPDATES
            and data.rstrip(b"\r\n").endswith(b"%%EOF")  # nothing after the last revision
        )
        ts = status.timestamp_validity
        ts_ok = ts is None or (ts.intact and ts.valid and ts.trusted)
        if not sig_intact:
            reasons.append(const.NOT_INTACT)
        if not unmodified:
            reasons.append(const.MODIFIED_AFTER_SIGNING)
        if not status.valid:
            reasons.append(const.INVALID_SIGNATURE)
        if not status.trusted:
            reasons.append(const.UNTRUSTED_SIGNER)
        if not ts_ok:
            reasons.append(const.TIMESTAMP_INVALID)
        intact = intact and sig_intact and unmodified
        valid = valid and bool(status.valid)
        trusted = trusted and bool(status.trusted) and ts_ok
        level = const.LEVEL_B_T if ts is not None else const.LEVEL_B_B
        signer = str(status.signing_cert.subject.human_friendly)
        signing_time = _iso(status.signer_reported_dt)
        ts_time = _iso(ts.timestamp) if ts is not None else None
    evidence = read_evidence(reader)
    evidence_ok = evidence is not None and evidence.matches(data)
    if evidence is None:
        reasons.append(const.NO_EVIDENCE)
    elif not evidence_ok:
        reasons.append(const.EVIDENCE_MISMATCH)
    return VerificationReport(
        intact=intact,
        valid=valid,
        trusted=trusted and intact and valid,
        signed=True,
        level=level,
        signer=signer,
        signing_time=signing_time,
        timestamp_time=ts_time,
        evidence=evidence,
        evidence_ok=evidence_ok,
        reasons=tuple(dict.fromkeys(reasons)),
    )


def verify_file(path: Path, trust_roots: list[Path] | None = None) -> VerificationReport:
    try:
        data = path.read_bytes()
    except OSError:
        return _failed(const.NOT_FOUND)
    return verify_pdf(data, trust_roots)
