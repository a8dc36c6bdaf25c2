"""Fraud-ring check: applications linked by shared attributes, as a networkx graph.

Attributes: the applicant's phone, the channel's device fingerprint, the address, the employer's
phone and the emergency contact's phone. Each is normalised and replaced by a keyed hash
(``get_cipher().blind_index``), so the link table holds no phone number or address. Phone-like
values share one hash space: an applicant's contact may be another applicant's own phone.

People, not applications, are the graph's nodes: applications with the same ID number (its
blind index) are one person, so re-applying is not a ring. Two flags (thresholds in the fraud
section of ``data/scoring/policy.yml``):

* ``fraud_ring`` — a connected group of strongly linked people (sharing a phone or device, or
  values of two different kinds) at least ``ring_min_persons`` large;
* ``fraud_velocity`` — more people than allowed using one value as the same kind of attribute
  within 24 hours (two people giving the same mobile as their own, many on one device).

Either flag refers the application to a person (policy rule ``fraud_flag``); the applicant sees
a neutral reason. Storage is behind :class:`LinkStore`; :class:`MemoryLinkStore` is the local
adapter for tests and batch runs, ``records.SqlLinkStore`` the database one.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import networkx as nx

from bot import const as bc
from integrations.scoring import const as k
from integrations.scoring.policy import FraudPolicy

PHONE, DEVICE, ADDRESS, EMPLOYER_PHONE, CONTACT = "phone", "device", "address", "employer_phone", "contact"
KINDS = (PHONE, DEVICE, ADDRESS, EMPLOYER_PHONE, CONTACT)
SOURCES: Mapping[str, str] = {
    PHONE: bc.PHONE,
    DEVICE: k.DEVICE_FINGERPRINT,
    ADDRESS: k.ADDRESS,
    EMPLOYER_PHONE: k.EMPLOYER_PHONE,
    CONTACT: k.CONTACT_PHONE,
}
HASH_SPACE: Mapping[str, str] = {
    PHONE: "phone",
    EMPLOYER_PHONE: "phone",
    CONTACT: "phone",
    DEVICE: "device",
    ADDRESS: "address",
}
RING = "fraud_ring"
VELOCITY = "fraud_velocity"
_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def normalize(kind: str, value: Any) -> str | None:
    """The comparable form of an attribute, or None when there is nothing to compare."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if not text:
        return None
    if HASH_SPACE[kind] == "phone":
        digits = re.sub(r"\D", "", text)
        for prefix in ("0086", "86"):
            if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
                digits = digits[len(prefix) :]
        return digits if len(digits) >= 6 else None
    if kind == ADDRESS:
        squeezed = _NOT_ALNUM.sub("", text)
        return squeezed if len(squeezed) >= 4 else None
    return text


@dataclass(frozen=True)
class Link:
    kind: str
    value_hash: str


@dataclass(frozen=True)
class LinkRecord:
    application_id: int
    person: str | None  # blind index of the ID number; None when unknown
    kind: str
    value_hash: str
    at: dt.datetime

    @property
    def person_key(self) -> str:
        return self.person or f"application:{self.application_id}"


Hasher = Callable[[str, str], str]


def _default_hasher(purpose: str, value: str) -> str:
    from bot.crypto import get_cipher

    return get_cipher().blind_index(purpose, value)


def links_for(application: Mapping[str, Any], hasher: Hasher = _default_hasher) -> tuple[Link, ...]:
    """Keyed hashes of the application's linkable attributes (absent ones are skipped)."""
    out = []
    for kind in KINDS:
        norm = normalize(kind, application.get(SOURCES[kind]))
        if norm is not None:
            out.append(Link(kind, hasher(f"fraud.{HASH_SPACE[kind]}", norm)))
    return tuple(dict.fromkeys(out))


def person_for(application: Mapping[str, Any], hasher: Hasher = _default_hasher) -> str | None:
    """Same purpose as the applications table's id_number_index, so both name the same person."""
    raw = application.get(bc.ID_NUMBER)
    return hasher("id_number", str(raw).strip().upper()) if raw else None


class LinkStore(Protocol):
    def add(self, records: Sequence[LinkRecord]) -> None: ...

    def by_values(self, hashes: Collection[str], since: dt.datetime) -> list[LinkRecord]: ...

    def by_applications(self, ids: Collection[int], since: dt.datetime) -> list[LinkRecord]: ...


class MemoryLinkStore:
    """In-process link store (tests, batch analysis of an export)."""

    def __init__(self) -> None:
        self._records: list[LinkRecord] = []
        self._by_value: dict[str, list[LinkRecord]] = defaultdict(list)
        self._by_app: dict[int, list[LinkRecord]] = defaultdict(list)

    def add(self, records: Sequence[LinkRecord]) -> None:
        for r in records:
            self._records.append(r)
            self._by_value[r.value_hash].append(r)
            self._by_app[r.application_id].append(r)

    def by_values(self, hashes: Collection[str], since: dt.datetime) -> list[LinkRecord]:
        return [r for h in set(hashes) for r in self._by_value.get(h, ()) if r.at >= since]

    def by_applications(self, ids: Collection[int], since: dt.datetime) -> list[LinkRecord]:
        return [r for i in set(ids) for r in self._by_app.get(i, ()) if r.at >= since]

    def all(self) -> list[LinkRecord]:
        return list(self._records)


@dataclass(frozen=True)
class FraudResult:
    flagged: bool
    codes: tuple[str, ...]  # fraud_ring, fraud_velocity
    group_size: int  # people in the strongly linked group (1: linked to nobody)
    velocity_kinds: tuple[str, ...]  # kinds whose 24 h limit was exceeded

    def to_dict(self) -> dict[str, Any]:
        return {
            "flagged": self.flagged,
            "codes": list(self.codes),
            "group_size": self.group_size,
            "velocity_kinds": list(self.velocity_kinds),
        }


CLEAN = FraudResult(False, (), 1, ())


def person_graph(records: Iterable[LinkRecord], policy: FraudPolicy) -> nx.Graph:
    """People as nodes; an edge where two people share values, with the kinds they share.
    ``strong`` marks edges that count for rings (a strong kind, or enough different kinds)."""
    by_value: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    graph = nx.Graph()
    for r in records:
        graph.add_node(r.person_key)
        by_value[r.value_hash][r.person_key].add(r.kind)
    for people in by_value.values():
        if len(people) < 2 or len(people) > policy.max_group:
            continue
        for a, b in itertools.combinations(sorted(people), 2):
            kinds = people[a] | people[b]
            if graph.has_edge(a, b):
                graph[a][b]["kinds"] |= kinds
            else:
                graph.add_edge(a, b, kinds=set(kinds))
    for _, _, data in graph.edges(data=True):
        data["strong"] = bool(data["kinds"] & policy.strong_kinds) or len(data["kinds"]) >= policy.ring_min_kinds
    return graph


def rings(graph: nx.Graph, policy: FraudPolicy) -> list[set[str]]:
    """Connected groups of strongly linked people at least ``ring_min_persons`` large."""
    strong = nx.Graph()
    strong.add_nodes_from(graph.nodes)
    strong.add_edges_from((a, b) for a, b, d in graph.edges(data=True) if d["strong"])
    return [set(c) for c in nx.connected_components(strong) if len(c) >= policy.ring_min_persons]


def velocity(records: Iterable[LinkRecord], policy: FraudPolicy, now: dt.datetime) -> dict[str, set[str]]:
    """People → kinds for which a value they use was used by too many people in the window."""
    since = now - dt.timedelta(hours=policy.velocity_window_hours)
    users: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in records:
        if since <= r.at <= now:
            users[(r.value_hash, r.kind)].add(r.person_key)
    flagged: dict[str, set[str]] = defaultdict(set)
    for (_, kind), people in users.items():
        if len(people) > policy.velocity_max_persons.get(kind, len(people)):
            for p in people:
                flagged[p].add(kind)
    return flagged


def analyse(records: Sequence[LinkRecord], policy: FraudPolicy, now: dt.datetime) -> dict[int, FraudResult]:
    """Every application in ``records`` with its result (batch view of a whole store)."""
    graph = person_graph(records, policy)
    ring_of: dict[str, int] = {}
    for group in rings(graph, policy):
        for p in group:
            ring_of[p] = len(group)
    fast = velocity(records, policy, now)
    out: dict[int, FraudResult] = {}
    for r in records:
        p = r.person_key
        codes = ((RING,) if p in ring_of else ()) + ((VELOCITY,) if p in fast else ())
        out[r.application_id] = FraudResult(bool(codes), codes, ring_of.get(p, 1), tuple(sorted(fast.get(p, ()))))
    return out


def neighbourhood(
    store: LinkStore, seed: Sequence[Link], since: dt.datetime, max_records: int = 2000
) -> list[LinkRecord]:
    """Records reachable from ``seed`` values through shared values (breadth first, bounded)."""
    seen_values: set[str] = set()
    seen_apps: set[int] = set()
    found: dict[tuple[int, str, str], LinkRecord] = {}
    frontier = {link.value_hash for link in seed}
    while frontier and len(found) < max_records:
        seen_values |= frontier
        hits = store.by_values(frontier, since)
        new_apps = {r.application_id for r in hits} - seen_apps
        seen_apps |= new_apps
        for r in hits + store.by_applications(new_apps, since):
            found[(r.application_id, r.kind, r.value_hash)] = r
        frontier = {r.value_hash for r in found.values()} - seen_values
    return list(found.values())


def check(
    application_id: int,
    application: Mapping[str, Any],
    store: LinkStore,
    policy: FraudPolicy,
    now: dt.datetime | None = None,
    record: bool = True,
    hasher: Hasher = _default_hasher,
) -> FraudResult:
    """Record this application's links (unless ``record`` is False) and check it against the
    applications linked to it within the policy's look-back window."""
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    links = links_for(application, hasher)
    person = person_for(application, hasher)
    mine = [LinkRecord(application_id, person, link.kind, link.value_hash, now) for link in links]
    if record and mine:
        store.add(mine)
    if not mine:
        return CLEAN
    since = now - dt.timedelta(days=policy.lookback_days)
    records = neighbourhood(store, links, since)
    if not record:
        records += mine
    return analyse(records, policy, now).get(application_id, CLEAN)
