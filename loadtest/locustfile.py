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
from http.cookiejar import Cookie
from urllib.parse import urlencode

from locust import FastHttpUser, between, tag, task

SESSIONS = json.load(open(os.environ.get("LOADTEST_SESSIONS", "artifacts/loadtest-sessions.json")))  # noqa: SIM115
_partner_sessions = itertools.cycle(SESSIONS["partner_sessions"])
_pam_sessions = itertools.cycle(SESSIONS["pam_sessions"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REGISTERED = re.compile(r"(https?://[^/]+)?/deals/\d+/")
WORDS = ["cloud", "contact", "flex", "signal", "atlas", "summit", "pixel", ""]
THINK = between(*(float(s) for s in os.environ.get("LOADTEST_THINK", "1 3").split()))
# LOADTEST_LANGUAGE (e.g. "ja"): every user reads the portal in that language, as a browser set to it would
# (Accept-Language; the seeded users' profiles leave the language to the browser). Empty: English.
LANGUAGE = os.environ.get("LOADTEST_LANGUAGE", "")


def _session_cookie(value):
    return Cookie(0, "sessionid", value, None, False, "127.0.0.1", False, False, "/", True, False, None, False,
                  None, None, {})


class PortalUser(FastHttpUser):
    """FastHttpUser (geventhttpclient), not HttpUser (requests): the load generator shares the 2 cores with the
    server it measures, and requests' client cost about a quarter of a core at 55 requests/s."""

    abstract = True
    wait_time = THINK
    default_headers = {"Accept-Language": LANGUAGE} if LANGUAGE else None

    def sign_in(self, session_key):
        self.client.cookiejar.set_cookie(_session_cookie(session_key))

    def page(self, path, name, params=None):
        """A page as its user sees it: anything but 200 (a redirect to the login page, say) is a failure."""
        url = f"{path}?{urlencode(params)}" if params else path
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")
            return response


class PartnerUser(PortalUser):
    weight = 6

    def on_start(self):
        self.sign_in(next(_partner_sessions))

    @task(4)
    def tier_page(self):
        self.page("/tier/", "partner tier page")

    @task(2)
    def partner_home(self):
        self.page("/partner/", "partner home")

    @task(4)
    def registration_list(self):
        self.page("/deals/", "deal registration list")

    @task(1)
    def submit_registration(self):
        form = self.page("/deals/new/", "deal registration form")
        token = CSRF.search(form.text)
        if not token:
            return
        self.wait()  # filling in the form
        domain = f"load-{uuid.uuid4().hex[:12]}.example"
        with self.client.post(
            "/deals/new/",
            data=urlencode(doseq=True, query={
                "csrfmiddlewaretoken": token.group(1), "customer_company": "Load Customer", "website": domain,
                "country": "US", "contact_name": "Casey", "contact_email": f"casey@{domain}", "products": ["flex"],
                "use_case": "Contact centre migration", "estimated_arr_usd": "50000",
                "expected_close_date": (date.today() + timedelta(days=60)).isoformat(),  # noqa: DTZ011
            }),
            headers={"Referer": self.host + "/deals/new/", "Content-Type": "application/x-www-form-urlencoded"},
            name="deal registration submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # Registered: the portal redirects to the new registration (a 200 is the form again, with errors).
            if response.status_code != 302 or not REGISTERED.match(response.headers.get("Location", "")):
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")


class Pam(PortalUser):
    weight = 2

    def on_start(self):
        self.sign_in(next(_pam_sessions))

    @task(2)
    def queue(self):
        self.page("/staff/deals/", "PAM review queue")

    @tag("staff_home")  # EXCLUDE=staff_home leaves it out
    @task(1)
    def staff_home(self):
        self.page("/staff/", "staff home")


class Visitor(PortalUser):
    weight = 2

    @task
    def directory_search(self):
        params = {"q": random.choice(WORDS)}  # noqa: S311
        if random.random() < 0.5:  # noqa: S311
            params["country"] = random.choice(["US", "GB", "DE", "JP"])  # noqa: S311
        self.page("/directory/", "public directory search", params)

    @task
    def login_page(self):
        # The floor of the same server under the same load: a page with no data behind it.
        self.page("/accounts/login/", "login page")
