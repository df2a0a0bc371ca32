from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from maca.accounts.models import User
from maca.api.services import api_token_create
from maca.demo.services import DemoSummary, demo_load


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """The demo loaded once per module, in a transaction rolled back after the module; each
    test runs inside it in its own savepoint (the `db` fixture), so tests stay independent."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_load()
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_loaded: DemoSummary, db: None) -> DemoSummary:
    return _demo_loaded


@pytest.fixture
def token_for() -> Callable[..., str]:
    def make(user: User | str, days: int = 30) -> str:
        if isinstance(user, str):
            user = User.objects.get(email=user)
        return api_token_create(user=user, name="test", expires_in_days=days).secret

    return make


class Api:
    """A test client that sends a bearer token with every call."""

    def __init__(self, client: Client, token: str) -> None:
        self.client = client
        self.headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, **self.headers)

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(path, body, content_type="application/json", **self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(path, body, content_type="application/json", **self.headers)


@pytest.fixture
def api_as(client: Client, token_for: Callable[..., str]) -> Callable[..., Api]:
    def make(user: User | str) -> Api:
        return Api(client, token_for(user))

    return make
