"""The simulated people of the load benchmark (bench_load.py), for locust.

Each person is one of the demo people, already signed in (with password and second factor) by
bench_load.py, whose session it borrows. It browses the pages that person can open, in turn,
pausing 1-3 s between pages, as the issue's baseline was measured. Reads its plan from the JSON
file named by MACA_LOAD_PLAN; only ever talks to the loopback server locust is pointed at.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, between, task

with open(os.environ["MACA_LOAD_PLAN"], encoding="utf-8") as _plan_file:
    PLAN: list[dict] = json.load(_plan_file)
_next_person = itertools.count()


class Person(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        me = PLAN[next(_next_person) % len(PLAN)]
        self.pages: list[tuple[str, str]] = [tuple(page) for page in me["pages"]]
        random.shuffle(self.pages)
        self.cookie = me["cookie"]
        self.turn = itertools.cycle(self.pages)

    @task
    def browse(self) -> None:
        label, url = next(self.turn)
        # The session cookie is Secure (as in production); over loopback HTTP it is sent by hand.
        with self.client.get(
            url,
            name=label,
            headers={"Cookie": self.cookie},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url}")
