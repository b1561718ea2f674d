"""Load for `make loadtest`: partner users, PAMs and anonymous visitors on the pages the issue names.

Sessions come from `manage.py seed_loadtest` (LOADTEST_SESSIONS), so logging in is not what is measured.
Each user waits LOADTEST_THINK seconds between requests ("MIN MAX", drawn uniformly; scripts/loadtest.sh sets it):
a person reading a page before the next click, or next to nothing for a saturation run.
"""

import itertools
import json
import os
import random
import re
import uuid
from datetime import date, timedelta

from locust import HttpUser, between, tag, task

SESSIONS = json.load(open(os.environ.get("LOADTEST_SESSIONS", "artifacts/loadtest-sessions.json")))  # noqa: SIM115
_partner_sessions = itertools.cycle(SESSIONS["partner_sessions"])
_pam_sessions = itertools.cycle(SESSIONS["pam_sessions"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WORDS = ["cloud", "contact", "flex", "signal", "atlas", "summit", "pixel", ""]
THINK = between(*(float(s) for s in os.environ.get("LOADTEST_THINK", "1 3").split()))
# LOADTEST_LANGUAGE (e.g. "ja"): every user reads the portal in that language, as a browser set to it would
# (Accept-Language; the seeded users' profiles leave the language to the browser). Empty: English.
LANGUAGE = os.environ.get("LOADTEST_LANGUAGE", "")


class PortalUser(HttpUser):
    abstract = True
    wait_time = THINK

    def on_start(self):
        if LANGUAGE:
            self.client.headers["Accept-Language"] = LANGUAGE


class PartnerUser(PortalUser):
    weight = 6

    def on_start(self):
        super().on_start()
        self.client.cookies.set("sessionid", next(_partner_sessions))

    @task(4)
    def tier_page(self):
        self.client.get("/tier/", name="partner tier page")

    @task(2)
    def partner_home(self):
        self.client.get("/partner/", name="partner home")

    @task(4)
    def registration_list(self):
        self.client.get("/deals/", name="deal registration list")

    @task(1)
    def submit_registration(self):
        form = self.client.get("/deals/new/", name="deal registration form")
        token = CSRF.search(form.text)
        if not token:
            return
        self.wait()  # filling in the form
        domain = f"load-{uuid.uuid4().hex[:12]}.example"
        self.client.post(
            "/deals/new/",
            data={
                "csrfmiddlewaretoken": token.group(1), "customer_company": "Load Customer", "website": domain,
                "country": "US", "contact_name": "Casey", "contact_email": f"casey@{domain}", "products": ["flex"],
                "use_case": "Contact centre migration", "estimated_arr_usd": "50000",
                "expected_close_date": (date.today() + timedelta(days=60)).isoformat(),  # noqa: DTZ011
            },
            headers={"Referer": self.host + "/deals/new/"},
            name="deal registration submit",
            allow_redirects=False,
        )


class Pam(PortalUser):
    weight = 2

    def on_start(self):
        super().on_start()
        self.client.cookies.set("sessionid", next(_pam_sessions))

    @task(2)
    def queue(self):
        self.client.get("/staff/deals/", name="PAM review queue")

    @tag("staff_home")  # EXCLUDE=staff_home leaves it out
    @task(1)
    def staff_home(self):
        self.client.get("/staff/", name="staff home")


class Visitor(PortalUser):
    weight = 2

    @task
    def directory_search(self):
        params = {"q": random.choice(WORDS)}  # noqa: S311
        if random.random() < 0.5:  # noqa: S311
            params["country"] = random.choice(["US", "GB", "DE", "JP"])  # noqa: S311
        self.client.get("/directory/", params=params, name="public directory search")

    @task
    def login_page(self):
        # The floor of the same server under the same load: a page with no data behind it.
        self.client.get("/accounts/login/", name="login page")
