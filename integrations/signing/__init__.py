"""Electronic signing of the card agreement ("数字证书+短信验证码双重认证签署电子协议").

Render the agreement (agreement.py, text in templates/agreement.yml), attach the applicant's
consent evidence (evidence.py), sign it with the bank's certificate (sign.py: PAdES via pyHanko;
sm2.py: SM2/SM3 via gmssl, same port), verify it (verify.py), and the end-to-end service the
dialogue and gateway call (service.py). The local CA (ca.py) makes it work out of the box.
"""

from integrations.signing.agreement import (
    AgreementData,
    AgreementError,
    RenderedAgreement,
    key_terms,
    key_terms_summary,
    render_agreement,
)
from integrations.signing.evidence import ConsentEvidence, EvidenceError
from integrations.signing.port import SignedDocument, Signer, SigningError
from integrations.signing.service import (
    SignedAgreement,
    erase_agreement,
    erase_for_application,
    load_detached_signature,
    load_signed_agreement,
    prepare_agreement,
    sign_agreement,
)
from integrations.signing.verify import VerificationReport, verify_file, verify_pdf

__all__ = [
    "AgreementData",
    "AgreementError",
    "ConsentEvidence",
    "EvidenceError",
    "RenderedAgreement",
    "SignedAgreement",
    "SignedDocument",
    "Signer",
    "SigningError",
    "VerificationReport",
    "erase_agreement",
    "erase_for_application",
    "key_terms",
    "key_terms_summary",
    "load_detached_signature",
    "load_signed_agreement",
    "prepare_agreement",
    "render_agreement",
    "sign_agreement",
    "verify_file",
    "verify_pdf",
]
