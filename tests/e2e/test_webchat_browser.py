"""The demo chat page in a real browser (headless Chromium): a person starts an application."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import Stack

pytestmark = [pytest.mark.slow, pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: run scripts/bootstrap.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.mark.parametrize(
    ("locale", "start", "consent", "name_prompt"),
    [
        ("zh-CN", "开始申请", "同意", "请问您的姓名"),
        ("en-US", "Start my application", "I agree", "What is your full name"),
    ],
)
def test_a_person_starts_an_application(
    stack: Stack,
    browser,
    locale: str,
    start: str,
    consent: str,  # type: ignore[no-untyped-def]
    name_prompt: str,
) -> None:
    page = browser.new_page(locale=locale)
    page.goto(stack.gateway + "/")
    page.get_by_role("button", name=start).click(timeout=20_000)
    page.get_by_role("button", name=consent, exact=True).click(timeout=20_000)
    page.get_by_role("button", name="手动输入" if locale == "zh-CN" else "Type it in").click(timeout=20_000)
    page.get_by_text(name_prompt).first.wait_for(timeout=20_000)
    page.fill("#text", "张伟" if locale == "zh-CN" else "Emily Chen")
    page.press("#text", "Enter")
    page.get_by_text("18").last.wait_for(timeout=20_000)  # asks for the 18-character ID number
    page.wait_for_function("document.querySelectorAll('.typing').length === 0")
    texts = page.locator(".msg").all_inner_texts()
    assert texts.index(next(t for t in texts if name_prompt in t)) < len(texts) - 2  # replies stay in order
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"webchat-{locale}.png"), full_page=True)
    bubbles = page.locator(".msg.bot").all_inner_texts()
    assert not any("<" in b for b in bubbles)  # nothing rendered as markup
    page.close()
