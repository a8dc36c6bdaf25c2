"""Fraud rings: a synthetic ring hidden among many honest applicants is caught, honest
families, colleagues and re-applicants are not; velocity; keyed hashes only."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any

import pytest

from integrations.scoring.fraud import (
    RING,
    VELOCITY,
    MemoryLinkStore,
    analyse,
    check,
    links_for,
    normalize,
)
from integrations.scoring.policy import load_policy

NOW = dt.datetime(2026, 11, 28, 12, 0)


def hasher(purpose: str, value: str) -> str:  # a keyed hash stand-in (HMAC key = "test")
    return hashlib.sha256(f"test\x00{purpose}\x00{value}".encode()).hexdigest()


def phone(rng: random.Random) -> str:
    return "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))


def honest(rng: random.Random, i: int) -> dict[str, Any]:
    return {
        "id_number": f"ID{i:08d}",
        "phone": phone(rng),
        "device_fingerprint": f"dev-{rng.getrandbits(64):x}",
        "address": f"{rng.randint(1, 999)}号 {rng.choice(['朝阳路', '人民路', '中山路'])} {rng.randint(1, 40)}栋{i}室",
        "employer_phone": f"010-{rng.randint(10000000, 99999999)}",
        "contact_phone": phone(rng),
    }


def population(seed: int = 7, n_honest: int = 600) -> tuple[list[tuple[int, dict[str, Any], dt.datetime]], set[int]]:
    """(application id, application, time) for honest applicants with realistic overlaps, plus a
    ring of 8 fraudsters; returns the ring's application ids."""
    rng = random.Random(seed)
    apps: list[tuple[int, dict[str, Any], dt.datetime]] = []
    next_id = iter(range(1, 10_000))

    def at() -> dt.datetime:
        return NOW - dt.timedelta(hours=rng.uniform(0, 24 * 60))

    people = [honest(rng, i) for i in range(n_honest)]
    # couples: same address, each other as contact, sometimes the same employer
    for a, b in zip(people[0:60:2], people[1:60:2], strict=True):
        b["address"] = a["address"]
        a["contact_phone"], b["contact_phone"] = b["phone"], a["phone"]
        if rng.random() < 0.5:
            b["employer_phone"] = a["employer_phone"]
    # colleagues: 40 people at one company, 5 of them applying on the same day
    for p in people[100:140]:
        p["employer_phone"] = "400-810-8888"
    # parents listed as contact by two siblings
    for p in people[200:202]:
        p["contact_phone"] = "13912345678"
    for i, p in enumerate(people):
        when = NOW - dt.timedelta(hours=rng.uniform(0, 20)) if 100 <= i < 105 else at()
        apps.append((next(next_id), p, when))
    # the same person applying twice (withdrawn, then again): same ID, same phone and device
    apps.append((next(next_id), dict(people[300]), NOW - dt.timedelta(days=3)))

    # the ring: 8 synthetic identities, 2 shared devices, 3 phones rotated as own / contact
    # phones, one "employer" number, spread over two weeks (no 24 h burst)
    ring_ids: set[int] = set()
    devices = ["dev-ring-a", "dev-ring-b"]
    phones = ["13700000001", "13700000002", "13700000003"]
    for j in range(8):
        app = honest(rng, 10_000 + j)
        app["device_fingerprint"] = devices[j % 2]
        app["contact_phone"] = phones[j % 3]
        app["employer_phone"] = "021-55550000"
        if j < 3:
            app["phone"] = phones[(j + 1) % 3]
        aid = next(next_id)
        ring_ids.add(aid)
        apps.append((aid, app, NOW - dt.timedelta(days=2 * j, hours=rng.uniform(0, 5))))
    rng.shuffle(apps)
    return apps, ring_ids


def test_ring_is_caught_among_honest_applicants() -> None:
    policy = load_policy().fraud
    apps, ring_ids = population()
    store = MemoryLinkStore()
    # applications arrive over time; each is checked on arrival against what came before
    flagged_on_arrival: set[int] = set()
    for aid, app, when in sorted(apps, key=lambda x: x[2]):
        if check(aid, app, store, policy, now=when, hasher=hasher).flagged:
            flagged_on_arrival.add(aid)
    # batch view at the end (what a reviewer's nightly run sees)
    results = analyse(store.all(), policy, NOW)
    flagged = {aid for aid, r in results.items() if r.flagged}
    assert ring_ids <= flagged, sorted(ring_ids - flagged)
    assert flagged == ring_ids, f"honest applicants flagged: {sorted(flagged - ring_ids)}"
    assert all(RING in results[a].codes and results[a].group_size == 8 for a in ring_ids)
    # on arrival: once the ring is big enough, every later member is referred; no honest one is
    assert flagged_on_arrival <= ring_ids
    assert len(flagged_on_arrival) >= 8 - policy.ring_min_persons + 1


def test_velocity_flags_a_burst_on_one_device() -> None:
    policy = load_policy().fraud
    rng = random.Random(1)
    store = MemoryLinkStore()
    results = []
    for i in range(4):
        app = honest(rng, 500 + i)
        app["device_fingerprint"] = "one-shared-device"
        results.append(check(i + 1, app, store, policy, now=NOW + dt.timedelta(hours=i), hasher=hasher))
    assert [r.flagged for r in results] == [False, False, True, True]
    assert VELOCITY in results[2].codes and results[2].velocity_kinds == ("device",)


def test_same_device_spread_over_weeks_is_not_velocity() -> None:
    policy = load_policy().fraud
    rng = random.Random(2)
    store = MemoryLinkStore()
    for i in range(3):
        app = honest(rng, 700 + i)
        app["device_fingerprint"] = "library-computer"
        r = check(i + 1, app, store, policy, now=NOW + dt.timedelta(days=10 * i), hasher=hasher)
        assert VELOCITY not in r.codes


def test_two_people_claiming_one_mobile_is_velocity() -> None:
    policy = load_policy().fraud
    rng = random.Random(3)
    store = MemoryLinkStore()
    a, b = honest(rng, 1), honest(rng, 2)
    b["phone"] = "+86 " + a["phone"]  # the same number, written differently
    assert not check(1, a, store, policy, now=NOW, hasher=hasher).flagged
    r = check(2, b, store, policy, now=NOW + dt.timedelta(hours=1), hasher=hasher)
    assert r.flagged and r.velocity_kinds == ("phone",)


@pytest.mark.parametrize(
    ("kind", "a", "b"),
    [
        ("phone", "+86 138-0013-8000", "13800138000"),
        ("phone", "0086 13800138000", "138 0013 8000"),
        ("contact", "(021) 5555-0000", "02155550000"),
        ("address", "北京市 朝阳区 建国路 88 号", "北京市朝阳区建国路88号"),
        ("address", "１２ Main St.", "12 main st"),
        ("device", " ABC123 ", "abc123"),
    ],
)
def test_normalisation(kind: str, a: str, b: str) -> None:
    assert normalize(kind, a) == normalize(kind, b) is not None


@pytest.mark.parametrize("value", [None, "", "12", "   ", "--"])
def test_nothing_to_link(value: Any) -> None:
    assert normalize("phone", value) is None


def test_links_hold_keyed_hashes_not_values() -> None:
    app = {"phone": "13800138000", "address": "北京市朝阳区建国路88号", "device_fingerprint": "abc"}
    links = links_for(app, hasher)
    assert len(links) == 3
    for link in links:
        assert len(link.value_hash) == 64 and "138" not in link.value_hash[:3] + link.kind
    # a contact phone equal to another applicant's phone hashes to the same value
    assert links_for({"contact_phone": "13800138000"}, hasher)[0].value_hash == links[0].value_hash
