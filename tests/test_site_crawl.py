"""Every page a demo person can reach by following links: it opens, and it names no child.

A crawl from each role's start page follows same-site links, so a page added later is
covered without being listed here. Child identifiers (names, dates of birth, LA ids, UPNs,
NHS numbers) live only in the encrypted store and must never appear on a page, an export or
a download anyone can reach through the site.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from maca.accounts.models import User
from maca.demo.services import demo_load
from maca.identifiers.models import ChildIdentity

pytestmark = pytest.mark.django_db

ROLES = [
    "coordinator@demo.maca.test",
    "panel@demo.maca.test",
    "auditor.police@demo.maca.test",
    "lead.police@demo.maca.test",
    "reader@demo.maca.test",
    "admin@demo.maca.test",
]
HREF = re.compile(r'href="([^"#]+)')
# Binary downloads are read back by the tests of their own formats.
BINARY = (".pdf", ".docx", ".xlsx", ".png", ".svg", ".ico", ".css", ".js")
MAX_PAGES = 400


def _identifier_texts() -> list[str]:
    texts: list[str] = []
    for identity in ChildIdentity.objects.all():
        texts += [
            v
            for v in (identity.full_name, identity.la_child_id, identity.upn, identity.nhs_number)
            if v
        ]
        if identity.date_of_birth:
            born = dt.date.fromisoformat(identity.date_of_birth)
            texts += [born.isoformat(), born.strftime("%d/%m/%Y"), f"{born.day} {born:%B %Y}"]
    return texts


def _crawl(client: Client, start: str) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = deque([start])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code in {200, 302, 404}, f"{url} answered {response.status_code}"
        if response.status_code == 302:
            seen[url] = ""
            continue
        body = response.content.decode("utf-8", errors="replace")
        seen[url] = body
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(body):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/") or parts.path.endswith(BINARY):
                continue
            if parts.path.startswith(("/static/", "/sign-out")):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


@pytest.mark.parametrize("email", ROLES)
def test_no_page_reachable_by_a_demo_person_names_a_child(email):
    demo_load()
    identifiers = _identifier_texts()
    assert len(identifiers) > 20  # the demo holds identifiers for every child
    client = Client()
    client.force_login(User.objects.get(email=email))
    pages = _crawl(client, "/audits/")
    assert len(pages) > 1 or email.startswith("admin")
    for url, body in pages.items():
        for text in identifiers:
            assert text not in body, f"{url} shows a child identifier"
