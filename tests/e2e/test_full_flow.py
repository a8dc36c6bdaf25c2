"""End to end, as a browser does it through the gateway: an ID photo read by OCR, the SMS code
from the development outbox, a selfie with a typed code, the questionnaire, an approval, the
agreement signed with a second SMS code, the virtual card issued and revealed once, a freeze by
chat; then the signed PDF verified and the evidence ledger checked."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import ROOT, Stack, http

pytestmark = pytest.mark.slow
GRACE_HOPPER = Path(sys.prefix) / "lib" / "python3.10" / "site-packages" / "matplotlib" / "mpl-data" / "sample_data"


def id_card() -> tuple[bytes, dict[str, Any]]:
    """A generated ID card photo of an adult, whose number the reader gets right."""
    from bench.idcard_gen import make_sample
    from integrations.kyc.documents import read_document

    for seed in range(40):
        sample = make_sample("cn_id_front", "clean", seed)
        born = int(str(sample.truth["birth_date"])[:4])
        if not 1965 <= born <= 1995:
            continue
        reading = read_document(sample.data)
        if (
            reading.fields.get("id_number") == sample.truth["id_number"]
            and reading.fields.get("name") == sample.truth["name"]
        ):
            return sample.data, sample.truth
    pytest.fail("no generated card read correctly in 40 seeds")


def multipart(fields: dict[str, str], file: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + file
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Browser:
    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.session = http("POST", f"{stack.gateway}/api/chat/sessions")[1]["session"]
        self.sender = f"web:{self.session}"

    def say(self, text: str) -> str:
        status, body = http("POST", f"{self.stack.gateway}/api/chat", {"session": self.session, "text": text})
        assert status == 200, body
        return "\n".join(m["text"] for m in body["messages"])

    def upload(self, data: bytes) -> str:
        body, ctype = multipart({"session": self.session}, data)
        req = urllib.request.Request(
            f"{self.stack.gateway}/api/chat/upload", data=body, method="POST", headers={"Content-Type": ctype}
        )
        with urllib.request.urlopen(req, timeout=120) as r:
            return "\n".join(m["text"] for m in json.loads(r.read())["messages"])

    def asked(self) -> str | None:
        return self.stack.slots(self.sender).get("requested_slot")

    def sms_code(self, template: str) -> str:
        lines = (self.stack.var_dir / "outbox" / "sms.jsonl").read_text().splitlines()
        found = [json.loads(x) for x in lines if template in x]
        assert found, lines[-3:]
        return str(found[-1]["params"]["code"])


def test_from_an_id_photo_to_a_usable_virtual_card(stack: Stack) -> None:
    card_photo, truth = id_card()
    b = Browser(stack)
    b.say("你好")
    b.say("我想办信用卡")
    b.say("我同意")
    assert b.asked() == "id_document"
    read = b.upload(card_photo)
    assert b.asked() == "document_confirmed", read
    assert truth["id_number"][-4:] in read and truth["id_number"] not in read  # shown masked
    b.say("正确")
    assert b.asked() == "phone"
    sent = b.say("13912345678")
    assert b.asked() == "phone_otp" and "139****5678" in sent
    ok = b.say(b.sms_code("otp_phone_verify"))
    assert b.asked() == "liveness_check", ok
    slots = b.stack.slots(b.sender)
    assert slots["phone_verified"] is True
    prompt = b.stack.tracker(b.sender)["events"]
    code = re.findall(
        r"(\d) (\d) (\d) (\d)", "\n".join(e.get("text") or "" for e in prompt if e.get("event") == "bot")
    )[-1]
    b.upload((GRACE_HOPPER / "grace_hopper.jpg").read_bytes())
    done = b.say("".join(code))
    assert b.asked() == "employment_type", done
    slots = b.stack.slots(b.sender)
    assert slots["liveness_passed"] is True and slots["kyc_status"] == "passed"
    for text, nxt in [
        ("上班族", "employer"),
        ("腾讯", "job_years"),
        ("十年", "monthly_income"),
        ("月薪五万", "housing"),
        ("自己的房子", "monthly_debt_payment"),
        ("无", "past_arrears"),
        ("没有", "spending_categories"),
        ("日常消费", "chosen_card"),
        ("第一张", "application_confirmed"),
    ]:
        reply = b.say(text)
        assert b.asked() == nxt, (text, reply)
    decided = b.say("确认提交")
    slots = b.stack.slots(b.sender)
    assert slots["decision"] == "approve" and slots["credit_limit"] > 0, decided
    assert b.asked() == "terms_accepted"
    ref, status_token = re.search(r"/applications/([A-Z0-9-]+)#t=([\w-]+)", decided).groups()  # type: ignore[union-attr]
    assert "完整协议" in decided and "/applications/" in decided  # key terms and the private PDF link
    b.say("我同意")
    assert b.asked() == "sign_otp"
    issued = b.say(b.sms_code("otp_sign"))
    slots = b.stack.slots(b.sender)
    assert slots["agreement_signed"] is True and slots["card_status"] == "inactive", issued
    assert slots["application_status"] == "issued" and slots["card_last4"] in issued
    card_id, reveal_token = re.search(r"/cards/([\w-]+)#t=([\w-]+)", issued).groups()  # type: ignore[union-attr]
    status, secret = http("POST", f"{stack.gateway}/api/cards/{card_id}/reveal", {"token": reveal_token})
    assert status == 200 and secret["pan"].endswith(slots["card_last4"]) and len(secret["cvv"]) == 3
    digits = [int(d) for d in secret["pan"]][::-1]
    assert sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits)) % 10 == 0
    assert http("POST", f"{stack.gateway}/api/cards/{card_id}/reveal", {"token": reveal_token})[0] == 410
    assert secret["pan"] not in json.dumps(b.stack.tracker(b.sender))  # the chat never saw it
    frozen = b.say("帮我冻结这张卡")
    assert b.stack.slots(b.sender)["card_status"] == "frozen", frozen
    # the signed agreement: the owner downloads it, the gateway and the CLI verify it
    req = urllib.request.Request(
        f"{stack.gateway}/api/applications/{ref}/agreement.pdf", headers={"Authorization": f"Bearer {status_token}"}
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        pdf = r.read()
    assert pdf.startswith(b"%PDF")
    verify = urllib.request.Request(f"{stack.gateway}/api/agreements/verify", data=pdf, method="POST")
    with urllib.request.urlopen(verify, timeout=60) as r:
        report = json.loads(r.read())
    assert report["intact"] and report["valid"] and report["trusted"], report
    env = {**stack.env}
    ledger = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ledger", "verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ledger.returncode == 0, ledger.stdout + ledger.stderr
