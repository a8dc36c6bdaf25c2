"""``kaika agreement demo`` and ``kaika verify``.

kaika agreement demo --out FILE.pdf [--lang zh|en] [--timestamp] [--signer local|sm2]
    render and sign a sample agreement for a fictitious applicant
kaika verify FILE.pdf [--json] [--trust-root CERT …] [--sm2-signature FILE.sig]
    print intact / valid / trusted; exit 0 only when all three hold
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from integrations.cli import run

EXIT_OK = 0
EXIT_FAILED = 1
DEMO = Path(__file__).resolve().parent / "templates" / "demo.yml"


def _demo(args: argparse.Namespace) -> int:
    from integrations.signing.agreement import AgreementData, render_agreement
    from integrations.signing.evidence import ConsentEvidence
    from integrations.signing.port import SigningError
    from integrations.signing.sign import configured_timestamper, make_signer, test_timestamper

    sample: dict[str, Any] = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    data = AgreementData(
        reference=sample["reference"],
        applicant_name=sample["applicant"][args.lang],
        id_number=sample["id_number"],
        product_code=sample["product_code"],
        credit_limit=int(sample["credit_limit"]),
        language=args.lang,
    )
    rendered = render_agreement(data)
    now = dt.datetime.now(dt.timezone.utc)
    evidence = ConsentEvidence.for_document(
        rendered.pdf,
        application_reference=data.reference,
        agreement_version=rendered.version,
        language=data.language,
        otp_verified_at=now,
        consented_at=now,
        conversation_id=sample["conversation_id"],
    )
    try:
        if args.signer == "sm2":
            from integrations.signing.sm2 import Sm2Signer

            signer: Any = Sm2Signer.local()
        else:
            stamper = (configured_timestamper() or test_timestamper()) if args.timestamp else None
            signer = make_signer(timestamper=stamper)
        signed = signer.sign(rendered.pdf, evidence)
    except SigningError as exc:
        print(f"not signed: {exc.code}", file=sys.stderr)
        return EXIT_FAILED
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(signed.pdf)
    print(f"wrote {out} ({len(signed.pdf):,} bytes, {rendered.pages} pages, {signed.level})")
    print(f"signer:          {signed.signer}")
    print(f"document sha256: {rendered.sha256}")
    if signed.detached_signature is not None:
        sig_path = out.with_name(out.name + ".sm2.sig")
        sig_path.write_bytes(signed.detached_signature)
        print(f"SM2 signature:   {sig_path} (verify with: kaika verify {out} --sm2-signature {sig_path})")
    return EXIT_OK


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def _verify(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if args.sm2_signature:
        return _verify_sm2(path, Path(args.sm2_signature), args)
    from integrations.signing.verify import verify_file

    report = verify_file(path, [Path(p) for p in args.trust_root] if args.trust_root else None)
    if args.json:
        print(json.dumps({"file": str(path), **report.to_dict()}, ensure_ascii=False, indent=2))
        return EXIT_OK if report.ok else EXIT_FAILED
    print(f"file:     {path}")
    print(f"intact:   {_yes(report.intact)}")
    print(f"valid:    {_yes(report.valid)}")
    print(f"trusted:  {_yes(report.trusted)}")
    if report.signed:
        print(f"level:    {report.level}")
        print(f"signer:   {report.signer}")
        print(f"signed:   {report.signing_time} (signer's clock)")
        if report.timestamp_time:
            print(f"timestamp: {report.timestamp_time} (RFC 3161)")
    if report.evidence is not None:
        ev = report.evidence
        state = "matches the signed document" if report.evidence_ok else "DOES NOT match the document"
        print(f"evidence: {state}; one-time code verified {ev.otp_verified_at}; document sha256 {ev.document_sha256}")
    if report.reasons:
        print(f"reasons:  {', '.join(report.reasons)}")
    return EXIT_OK if report.ok else EXIT_FAILED


def _verify_sm2(path: Path, sig_path: Path, args: argparse.Namespace) -> int:
    from integrations.signing.sm2 import verify_detached

    try:
        result = verify_detached(path.read_bytes(), sig_path.read_bytes(), args.sm2_public or None)
    except OSError:
        print("cannot read the file or the signature", file=sys.stderr)
        return EXIT_FAILED
    intact = valid = trusted = result.valid  # the signature covers every byte; the key is pinned
    intact = intact and result.evidence_ok
    if args.json:
        print(
            json.dumps(
                {
                    "file": str(path),
                    "intact": intact,
                    "valid": valid,
                    "trusted": trusted,
                    "level": "sm2-with-sm3",
                    "evidence_ok": result.evidence_ok,
                },
                indent=2,
            )
        )
    else:
        print(f"file:     {path}")
        print(f"intact:   {_yes(intact)}")
        print(f"valid:    {_yes(valid)}")
        print(f"trusted:  {_yes(trusted)} (pinned SM2 public key, no certificate)")
        print("level:    sm2-with-sm3 (detached)")
    return EXIT_OK if intact and valid and trusted else EXIT_FAILED


def register(subparsers: argparse._SubParsersAction) -> None:
    agreement = subparsers.add_parser("agreement", help="card agreements")
    sub = agreement.add_subparsers(dest="agreement_command", required=True)
    demo = sub.add_parser("demo", help="render and sign a sample agreement for a fictitious applicant")
    demo.add_argument("--out", required=True, metavar="FILE.pdf")
    demo.add_argument("--lang", choices=["zh", "en"], default="zh")
    demo.add_argument(
        "--timestamp", action="store_true", help="PAdES B-T: the configured TSA, else the in-process test TSA"
    )
    demo.add_argument(
        "--signer",
        choices=["configured", "sm2"],
        default="configured",
        help="the configured signer (KAIKA_SIGNING_SIGNER) or SM2/SM3 with a detached signature",
    )
    demo.set_defaults(func=_demo)
    verify = subparsers.add_parser("verify", help="verify a signed agreement: intact / valid / trusted")
    verify.add_argument("file", metavar="FILE.pdf")
    verify.add_argument("--json", action="store_true")
    verify.add_argument(
        "--trust-root",
        action="append",
        metavar="CERT",
        help="trust this root (PEM/DER) instead of KAIKA_SIGNING_TRUST_ROOTS / the local CA",
    )
    verify.add_argument("--sm2-signature", metavar="FILE.sig", help="verify an SM2 detached signature instead")
    verify.add_argument("--sm2-public", metavar="HEX", help="SM2 public key (x||y hex); default: the local key")
    verify.set_defaults(func=_verify)


def main(argv: list[str] | None = None) -> int:
    return run(register, argv)


if __name__ == "__main__":
    sys.exit(main())
