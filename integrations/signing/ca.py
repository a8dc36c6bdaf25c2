"""kaika's own certificate authority and signing certificate, generated on first use.

Layout under ``<var_dir>/pki/`` (never committed; private keys mode 0600):

    root-ca.crt / root-ca.key   self-signed root (ECDSA P-256, 10 years): the trust anchor
    signer.crt  / signer.key    the bank's agreement-signing certificate (ECDSA P-256, 825 days),
                                key usage digitalSignature + nonRepudiation, EKU documentSigning
    tsa-test.crt / tsa-test.key an RSA time-stamping certificate for the in-process test TSA only

This CA makes signing work out of the box and is trusted by nobody but kaika's verifier. A bank
uses its real certificate instead (``KAIKA_SIGNING_SIGNER=pkcs12`` or ``pkcs11``, see config.py)
and lists its real roots in ``KAIKA_SIGNING_TRUST_ROOTS``.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from bot.settings import get_settings
from integrations.signing import const
from integrations.signing.config import get_signing_settings

RENEW_BEFORE = dt.timedelta(days=30)
TSA_CERT = "tsa-test.crt"
TSA_KEY = "tsa-test.key"


@dataclass(frozen=True)
class LocalPki:
    """Paths of the local CA's files."""

    directory: Path
    root_cert: Path
    root_key: Path
    signer_cert: Path
    signer_key: Path


def pki_dir() -> Path:
    return get_settings().var_dir / const.PKI_DIR


def _paths(directory: Path) -> LocalPki:
    return LocalPki(
        directory,
        directory / const.ROOT_CERT,
        directory / const.ROOT_KEY,
        directory / const.SIGNER_CERT,
        directory / const.SIGNER_KEY,
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, get_signing_settings().org_name),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _write_key(path: Path, key: CertificateIssuerPrivateKeyTypes) -> None:
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)


def _write_cert(path: Path, cert: x509.Certificate) -> None:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _root(key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    now = _now()
    name = _name("kaika Local Root CA (development only)")
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=const.ROOT_VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def _leaf(
    issuer_key: CertificateIssuerPrivateKeyTypes,
    issuer: x509.Certificate,
    public: ec.EllipticCurvePublicKey | rsa.RSAPublicKey,
    common_name: str,
    days: int,
    eku: list[ObjectIdentifier],
    *,
    non_repudiation: bool,
) -> x509.Certificate:
    now = _now()
    ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(min(now + dt.timedelta(days=days), issuer.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, non_repudiation, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(x509.ExtendedKeyUsage(eku), critical=not non_repudiation)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(issuer_key, hashes.SHA256())
    )


def _issue_signer(pki: LocalPki, root_key: ec.EllipticCurvePrivateKey, root: x509.Certificate, into: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _leaf(
        root_key,
        root,
        key.public_key(),
        "kaika Agreement Signing",
        const.SIGNER_VALID_DAYS,
        [ObjectIdentifier(const.OID_DOCUMENT_SIGNING)],
        non_repudiation=True,
    )
    _write_key(into / const.SIGNER_KEY, key)
    _write_cert(into / const.SIGNER_CERT, cert)


def _create(directory: Path) -> None:
    """Create the whole PKI in a scratch directory, then move it into place in one rename, so
    processes starting at once never see half a CA; the loser of the race discards its own."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".pki-", dir=directory.parent))
    try:
        os.chmod(scratch, 0o700)
        root_key = ec.generate_private_key(ec.SECP256R1())
        root = _root(root_key)
        _write_key(scratch / const.ROOT_KEY, root_key)
        _write_cert(scratch / const.ROOT_CERT, root)
        _issue_signer(_paths(scratch), root_key, root, scratch)
        try:
            os.rename(scratch, directory)
        except OSError:
            if not (directory / const.SIGNER_CERT).is_file():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """An exclusive lock between processes changing files inside the PKI directory."""
    fd = os.open(directory / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def load_cert(path: Path) -> x509.Certificate:
    data = path.read_bytes()
    return x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data else x509.load_der_x509_certificate(data)


def _load_key(path: Path) -> CertificateIssuerPrivateKeyTypes:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, (ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey))
    return key


def ensure_local_ca() -> LocalPki:
    """The local CA, created on first use; the signing certificate is renewed (same root) when
    it is within 30 days of expiry. Documents signed earlier stay verifiable: the root is kept."""
    directory = pki_dir()
    if not (directory / const.SIGNER_CERT).is_file():
        _create(directory)
    pki = _paths(directory)
    if load_cert(pki.signer_cert).not_valid_after_utc - _now() < RENEW_BEFORE:
        with _locked(directory):
            if load_cert(pki.signer_cert).not_valid_after_utc - _now() < RENEW_BEFORE:  # not renewed meanwhile
                _renew(pki)
    return pki


def _renew(pki: LocalPki) -> None:
    directory = pki.directory
    root_key = _load_key(pki.root_key)
    assert isinstance(root_key, ec.EllipticCurvePrivateKey)
    scratch = Path(tempfile.mkdtemp(prefix=".renew-", dir=directory))
    try:
        _issue_signer(pki, root_key, load_cert(pki.root_cert), scratch)
        os.replace(scratch / const.SIGNER_KEY, pki.signer_key)  # key first: a new cert never meets an old key
        os.replace(scratch / const.SIGNER_CERT, pki.signer_cert)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def tsa_test_material() -> tuple[Path, Path]:
    """An RSA time-stamping certificate from the local root, for pyHanko's in-process test
    timestamper (which signs with RSA only). Never a substitute for a real TSA."""
    pki = ensure_local_ca()
    cert_path, key_path = pki.directory / TSA_CERT, pki.directory / TSA_KEY
    with _locked(pki.directory):
        if not cert_path.is_file():
            _issue_tsa(pki, cert_path, key_path)
    return cert_path, key_path


def _issue_tsa(pki: LocalPki, cert_path: Path, key_path: Path) -> None:
    root_key = _load_key(pki.root_key)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _leaf(
        root_key,
        load_cert(pki.root_cert),
        key.public_key(),
        "kaika Test Time-Stamping Authority",
        825,
        [ExtendedKeyUsageOID.TIME_STAMPING],
        non_repudiation=False,
    )
    tmp = pki.directory / f".tsa-{os.getpid()}.key"
    _write_key(tmp, key)
    os.replace(tmp, key_path)
    tmp_cert = pki.directory / f".tsa-{os.getpid()}.crt"
    _write_cert(tmp_cert, cert)
    os.replace(tmp_cert, cert_path)


def trust_root_paths() -> list[Path]:
    """The roots a verifier trusts: ``KAIKA_SIGNING_TRUST_ROOTS``, else the local CA's root."""
    settings = get_signing_settings()
    configured = settings.paths(settings.trust_roots)
    if configured:
        return configured
    return [ensure_local_ca().root_cert]
