"""A new partnership runs maca without a developer, in a real browser.

The administrator adds two agencies at /manage/organisations/ and invites a coordinator, a
panel member and the agencies' people from /manage/people/invite/; each follows the link in
the e-mail they get, sets a password and an authenticator app. The coordinator sets up an
audit with a panel; moving it to returns open shows what is outstanding and needs a reason.
The health agency's auditor fills in the return part by part and submits it; its lead sends
it back once; it comes back and is signed off, and the e-mails of each step arrive. The panel
agrees grades and the brief is published. Every page the browser opens is checked by axe-core
while it is open, and the test fails if one was not. All people and data fictional.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from maca.accounts.models import Role
from maca.audits.models import (
    AgencyReturn,
    Audit,
    GradingScale,
    Question,
    ReturnStatus,
    ToolVersion,
)
from maca.returns.tests.conftest import build_tool
from tests.browser.helpers import assert_no_axe_violations, enter_totp_code, sign_in
from tests.factories import PASSWORD, person_with_role

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_PASSWORD = "fictional-partnership-passphrase-2026"
DOMAIN = "journey.maca.test"
LINK = re.compile(r"https?://\S+/invitation/\S+/")


# Every address the browser loads, and every address checked with axe while it was open: at
# the end each page the journey opened must have been checked.
OPENED: set[str] = set()
CHECKED: set[str] = set()


def _address(url: str) -> str:
    return urlsplit(url).path


def check(page: Page, page_errors: list[str]) -> None:
    expect(page.locator("h1")).to_have_count(1)
    assert_no_axe_violations(page)
    assert page_errors == [], page_errors
    page_errors.clear()
    CHECKED.add(_address(page.url))


def note_every_page_opened(page: Page) -> None:
    OPENED.clear()
    CHECKED.clear()
    page.on("load", lambda loaded: OPENED.add(_address(loaded.url)))


def assert_every_page_opened_was_checked() -> None:
    unchecked = sorted(OPENED - CHECKED)
    assert unchecked == [], f"pages opened but not checked with axe: {unchecked}"


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def mails_to(email: str) -> list[Any]:
    return [message for message in mail.outbox if email in message.to]


def add_agency(
    page: Page, page_errors: list[str], base: str, name: str, short_name: str, sector: str
) -> None:
    page.goto(f"{base}/manage/organisations/new/")
    check(page, page_errors)
    page.get_by_label("Name of the agency").fill(name)
    page.get_by_label("Short name").fill(short_name)
    page.get_by_role("group", name="Sector").get_by_label(sector, exact=True).check()
    page.get_by_role("button", name="Add the agency").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{name} added")
    check(page, page_errors)  # the organisations, the new one among them


def invite(
    page: Page, page_errors: list[str], base: str, person: tuple[str, str, str, str | None]
) -> None:
    email, name, role, agency = person
    page.goto(f"{base}/manage/people/invite/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Full name").fill(name)
    page.get_by_label(role, exact=True).check()
    if agency:
        page.get_by_label("Agency (for an agency auditor or lead)").select_option(label=agency)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    check(page, page_errors)  # the new person's page


def accept_invitation(page: Page, page_errors: list[str], live_server: Any, email: str) -> None:
    """Follow the e-mailed link, set a password, sign in and set up the authenticator app with
    the setup key the page shows, as someone without a phone camera would."""
    from tests.factories import totp_code_now

    (invitation,) = mails_to(email)
    page.goto(LINK.search(invitation.body).group(0))  # type: ignore[union-attr]
    expect(page.locator("h1")).to_have_text("Set your password")
    check(page, page_errors)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password is set")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator("h1")).to_have_text("Set up two-factor authentication")
    check(page, page_errors)
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code from your authenticator app").fill(totp_code_now(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.locator("h1")).to_have_text("Your recovery codes")
    check(page, page_errors)
    page.get_by_role("link", name="I have saved my codes, continue").click()
    expect(page.locator("h1")).to_be_visible()
    sign_out(page)


def sign_in_checking_the_code_page(
    page: Page, page_errors: list[str], live_server: Any, email: str
) -> None:
    """Sign in as `sign_in` does, checking the page that asks for the authenticator's code."""
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator("#id_code")).to_be_visible()
    check(page, page_errors)
    enter_totp_code(page, email)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def fill_return(page: Page, page_errors: list[str], version: ToolVersion) -> None:
    """Fill in the return part by part from its task list, "Save and continue" on each part's
    own page, as an auditor would; each page checked with axe."""

    def q(code: str) -> int:
        return Question.objects.get(section__version=version, code=code).pk

    def save_and_continue() -> None:
        check(page, page_errors)
        page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="About this return").click()
    expect(page.locator("h1")).to_have_text("About this return")
    page.get_by_label("Your role").fill("Named nurse (fictional)")
    page.get_by_label("Period reviewed").fill("1 December 2025 to 30 November 2026")
    page.get_by_label("Records examined").fill("The health record.")
    page.locator("input[name='auditor_was_involved'][value='no']").check()
    save_and_continue()
    expect(page.locator("h1")).to_have_text(re.compile(r"^1\. "))
    page.locator(f"#q{q('Q1.1')}").fill("Fictional involvement.")
    page.locator(f"#q{q('Q1.2')}-day").fill("3")
    page.locator(f"#q{q('Q1.2')}-month").fill("2")
    page.locator(f"#q{q('Q1.2')}-year").fill("2026")
    page.locator(f"#q{q('Q1.3')}").check()
    save_and_continue()
    expect(page.locator("h1")).to_have_text(re.compile(r"^2\. "))
    page.locator(f"input[name='q{q('Q2.1')}'][value='yes']").check()
    page.locator(f"#q{q('Q2.1')}_evidence").fill("Transfer document on file.")
    page.locator(f"input[name='q{q('Q2.2')}'][value='Nurse']").check()
    page.locator(f"#q{q('Q2.3')}").fill("4")
    page.locator(f"input[name='q{q('Q2.4')}'][value='6']").check()
    page.locator(f"#q{q('Q2.4')}_reason").fill("Safe enough, with work to do.")
    section = version.sections.get(order=2).pk
    page.locator(f"input[name='s{section}_grade'][value='good']").check()
    page.locator(f"#s{section}_grade_reason").fill("Standards met, with evidence.")
    save_and_continue()
    page.locator("input[name='overall_grade'][value='good']").check()
    page.get_by_label("Reason for the overall grade").fill("Standards met.")
    save_and_continue()
    # The last part leads back to the task list, every part completed.
    expect(page.locator(".govuk-task-list")).to_be_visible()
    expect(page.locator(".govuk-task-list__status strong")).to_have_count(0)
    check(page, page_errors)


def _invite_everyone(page: Page, page_errors: list[str], live_server: Any) -> dict[str, str]:
    admin = person_with_role(Role.ADMINISTRATOR, email=f"admin@{DOMAIN}")
    page.goto(f"{live_server.url}/sign-in/")
    check(page, page_errors)
    sign_in(page, live_server, admin.email, PASSWORD)
    add_agency(page, page_errors, live_server.url, "Fictional Police", "Police", "Police")
    add_agency(page, page_errors, live_server.url, "Fictional Community Health", "Health", "Health")
    page.goto(f"{live_server.url}/manage/people/invite/")
    check(page, page_errors)
    people = {
        "coordinator": (f"coordinator@{DOMAIN}", "Fictional Coordinator", "Coordinator", None),
        "panel": (f"panel@{DOMAIN}", "Fictional Panel Chair", "Panel member", None),
        "health_auditor": (
            f"health.auditor@{DOMAIN}",
            "Fictional Health Auditor",
            "Agency auditor",
            "Health",
        ),
        "health_lead": (
            f"health.lead@{DOMAIN}",
            "Fictional Health Lead",
            "Agency lead",
            "Health",
        ),
        "police_lead": (
            f"police.lead@{DOMAIN}",
            "Fictional Police Lead",
            "Agency lead",
            "Police",
        ),
    }
    for person in people.values():
        invite(page, page_errors, live_server.url, person)
    sign_out(page)
    for email, *_ in people.values():
        accept_invitation(page, page_errors, live_server, email)
    return {key: person[0] for key, person in people.items()}


def _set_up_audit(page: Page, page_errors: list[str], base: str, version: ToolVersion) -> Audit:
    page.goto(f"{base}/audits/")
    check(page, page_errors)
    page.get_by_role("link", name="Start a new audit").click()
    check(page, page_errors)
    page.get_by_label("Title").fill("Fictional audit of children placed out of area")
    page.get_by_label("Theme").fill("Children looked after placed out of area")
    page.get_by_role("button", name="Start the audit").click()
    expect(page.locator("h1")).to_have_text("Set-up")
    check(page, page_errors)
    audit = Audit.objects.get()
    setup = f"{base}/audits/{audit.slug}/plan/"

    page.goto(f"{setup}agencies/")
    page.get_by_label("Fictional Community Health").check()
    page.get_by_label("Fictional Police").check()
    page.get_by_role("button", name="Save agencies").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
    check(page, page_errors)

    page.goto(f"{setup}tool/")
    check(page, page_errors)
    page.get_by_label("Audit tool version").select_option(value=str(version.pk))
    scale = GradingScale.objects.get(slug="ofsted-4")
    page.get_by_label("Scale for each return's overall grade").select_option(value=str(scale.pk))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    check(page, page_errors)

    page.goto(f"{setup}people/")
    check(page, page_errors)
    page.get_by_role("group", name="Panel members").get_by_label("Fictional Panel Chair").check()
    page.get_by_role("group", name="Chair of the panel").get_by_label(
        "Fictional Panel Chair"
    ).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    check(page, page_errors)
    assert audit.panel_memberships.filter(is_chair=True).count() == 1

    for child in ("Child A", "Child B"):
        page.goto(f"{setup}children/new/")
        check(page, page_errors)
        page.get_by_label("Pseudonym").fill(child)
        page.get_by_label("Years", exact=True).fill("14")
        page.get_by_label("Months", exact=True).fill("2")
        page.get_by_role("group", name="Placed out of area?").get_by_label("Yes").check()
        page.get_by_role("button", name="Add the child").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{child} added")
        check(page, page_errors)

    page.goto(f"{setup}involvement/")
    for child in ("Child A", "Child B"):
        page.get_by_role("radiogroup", name=f"Did Police know {child}?").get_by_label(
            "Not involved (nil return)"
        ).check()
        page.get_by_role("radiogroup", name=f"Did Health know {child}?").get_by_label(
            "Involved", exact=True
        ).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 returns opened")
    check(page, page_errors)
    return audit


def _move_forward(page: Page, page_errors: list[str], base: str, audit: Audit) -> str:
    """Move one stage on; if items are outstanding, give a reason. What was outstanding."""
    page.goto(f"{base}/audits/{audit.slug}/plan/stage/")
    check(page, page_errors)
    page.locator("a.govuk-button", has_text="Move forward to").click()
    expect(page.locator("h1")).to_contain_text("Move the audit forward to")
    check(page, page_errors)
    outstanding = page.locator("#outstanding")
    shown = outstanding.inner_text() if outstanding.count() else ""
    if shown:
        page.get_by_role("button", name=re.compile("Yes, move it")).click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check(page, page_errors)
        page.get_by_label("Why move on now?").fill("Fictional: the partnership agreed to go on.")
    page.get_by_role("button", name=re.compile("Yes, move it")).click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    check(page, page_errors)
    return shown


def test_a_new_partnership_invites_its_people_and_runs_an_audit(
    page: Page, page_errors: list[str], live_server: Any, settings: Any
) -> None:
    base = live_server.url
    settings.SITE_URL = base  # the links in the e-mails lead to this test's server
    version = build_tool()
    note_every_page_opened(page)
    emails = _invite_everyone(page, page_errors, live_server)

    # --- The coordinator sets up the audit, with its panel ---------------------------------
    sign_in_checking_the_code_page(page, page_errors, live_server, emails["coordinator"])
    audit = _set_up_audit(page, page_errors, base, version)
    _move_forward(page, page_errors, base, audit)  # to sampling
    outstanding = _move_forward(page, page_errors, base, audit)  # to returns open
    audit.refresh_from_db()
    assert audit.status == "returns_open", outstanding
    opened = mails_to(emails["health_auditor"])[-1]
    assert "Returns are open" in opened.subject
    sign_out(page)

    # --- The health auditor fills in the return and submits it -----------------------------
    sign_in(page, live_server, emails["health_auditor"], NEW_PASSWORD)
    page.get_by_role("link", name="Your work").click()
    expect(page.locator("h1")).to_have_text("Your work")
    check(page, page_errors)
    page.get_by_role("link", name=re.compile("Child A")).first.click()
    expect(page.locator("h1")).to_contain_text("return for Child A")
    check(page, page_errors)
    fill_return(page, page_errors, version)
    page.get_by_role("button", name="Submit the return").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Return submitted")
    check(page, page_errors)
    assert "ready to sign off" in mails_to(emails["health_lead"])[-1].subject
    sign_out(page)

    # --- Its lead sends it back once -------------------------------------------------------
    sign_in(page, live_server, emails["health_lead"], NEW_PASSWORD)
    page.get_by_role("link", name="Your work").click()
    page.get_by_role("link", name=re.compile("Child A")).first.click()
    page.get_by_role("link", name="Send it back with a comment").click()
    check(page, page_errors)
    page.get_by_label("What needs to change").fill("Fictional: say which records you read.")
    page.get_by_role("button", name="Send the return back").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    check(page, page_errors)
    assert "sent back" in mails_to(emails["health_auditor"])[-1].subject
    sign_out(page)

    # --- The auditor submits it again; the lead signs it off -------------------------------
    sign_in(page, live_server, emails["health_auditor"], NEW_PASSWORD)
    page.get_by_role("link", name="Your work").click()
    page.get_by_role("link", name=re.compile("Child A")).first.click()
    expect(page.locator("h1")).to_contain_text("return for Child A")
    check(page, page_errors)  # sent back: the lead's comment above the task list
    page.get_by_role("link", name="About this return").click()
    page.get_by_label("Records examined").fill("The health record and the GP summary.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved as a draft")
    page.get_by_role("link", name="Back to the parts of the return").click()
    page.get_by_role("button", name="Submit the return").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Return submitted")
    sign_out(page)
    sign_in(page, live_server, emails["health_lead"], NEW_PASSWORD)
    page.get_by_role("link", name="Your work").click()
    page.get_by_role("link", name=re.compile("Child A")).first.click()
    page.get_by_role("button", name=re.compile("Sign (it )?off", re.IGNORECASE)).click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    check(page, page_errors)
    agency_return = AgencyReturn.objects.get(case__audit=audit, case__pseudonym="Child A")
    assert agency_return.status == ReturnStatus.SIGNED_OFF
    assert "signed off" in mails_to(emails["health_auditor"])[-1].subject
    sign_out(page)

    # --- The stage check shows what is outstanding; moving on needs a reason ---------------
    sign_in(page, live_server, emails["coordinator"], NEW_PASSWORD)
    outstanding = _move_forward(page, page_errors, base, audit)  # to moderation
    assert "1 return is not submitted yet" in outstanding, outstanding
    sign_out(page)

    # --- The panel chair agrees Child A's grades -------------------------------------------
    sign_in(page, live_server, emails["panel"], NEW_PASSWORD)
    page.goto(f"{base}/audits/{audit.slug}/moderation/")
    check(page, page_errors)
    page.get_by_role("link", name="Child A", exact=True).click()
    expect(page.locator("h1")).to_have_text("Moderation: Child A")
    check(page, page_errors)
    grades = page.locator("form[action$='/grades/']")
    for part in ("2. Practice", "Overall"):
        grades.get_by_label(f"Agreed grade: {part}", exact=True).select_option(label="Good")
        grades.get_by_label(f"Reason for the agreed grade: {part}").fill(
            "Fictional: standards met, with evidence."
        )
    grades.get_by_role("button", name="Record agreed grades").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Agreed grades recorded")
    check(page, page_errors)
    sign_out(page)

    # --- The coordinator publishes the brief; everyone who took part hears of it -----------
    sign_in(page, live_server, emails["coordinator"], NEW_PASSWORD)
    outstanding = _move_forward(page, page_errors, base, audit)  # to findings
    assert "1 child has no agreed overall grade yet" in outstanding, outstanding
    _move_forward(page, page_errors, base, audit)  # to published
    audit.refresh_from_db()
    assert audit.status == "published"
    for email in (emails["health_auditor"], emails["police_lead"], emails["panel"]):
        assert "Learning brief published" in mails_to(email)[-1].subject, email
    for email in emails.values():  # each e-mail once, however often the worker ran
        subjects = [message.subject for message in mails_to(email)]
        assert len([s for s in subjects if "Learning brief published" in s]) <= 1, subjects
        assert len([s for s in subjects if "Returns are open" in s]) <= 1, subjects
    page.goto(f"{base}/audits/{audit.slug}/brief/")
    check(page, page_errors)
    sign_out(page)
    assert_every_page_opened_was_checked()
