"""The fictional demo audit as plain data.

EVERYTHING HERE IS INVENTED. The audit follows the shape and the findings of a real learning
brief (Multi Agency Quality Assurance Audit: Children Looked After Out of Area, March 2022),
and the findings, good practice and themes for learning keep that brief's own words. But the
nine children, their families, their placements, every practitioner, every name, date of
birth and identifier, and the learning points of "SCR Georgia" are made up for the demo.
Identifiers are obviously fake: names "Demo Child Alpha"…, LA ids "DEMO0001"…, UPNs beginning
"Z0000", NHS numbers in the 999 test range whose check digit cannot be valid. Host authorities
are invented names. Links point at example.org.

`maca.demo.services.demo_load` writes this data; `maca.demo.returns` derives each agency's
answers from the case facts below plus the overrides that carry the findings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from maca.accounts.models import Role, Sector
from maca.core.partial_dates import PartialDate

DEMO_PASSWORD = "demo-maca-2022-fictional"
# The authenticator-app secret every demo login shares (base32). Public, like the password: in
# demo mode the code page shows the current code, so nobody needs a phone to try the demo.
DEMO_TOTP_SECRET = "MRSW23ZNNVQWGYJNMZUWG5DJN5XGC3BB"
EMAIL_DOMAIN = "demo.maca.test"
AUDIT_SLUG = "cla-out-of-area-2022"
AUDIT_DAY = dt.date(2022, 3, 8)


def at(day: str, time: str = "10:00") -> dt.datetime:
    """A fixed, timezone-aware moment, so a second load compares equal to the first."""
    return dt.datetime.fromisoformat(f"{day}T{time}:00+00:00")


# --- Agencies -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencySpec:
    short_name: str
    name: str
    sector: str
    description: str
    email_slug: str


# In the order the brief names them: "GPs, Social Care, Camhs, Sirona, NBT, Police, Education,
# YOT, EDT and Preventative Services".
AUDIT_AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec("GPs", "GP practices", Sector.HEALTH, "General practice (primary care).", "gps"),
    AgencySpec(
        "Social Care",
        "Children's Social Care",
        Sector.SOCIAL_CARE,
        "The local authority's children's social care, including corporate parenting.",
        "social-care",
    ),
    AgencySpec(
        "Camhs",
        "Child and Adolescent Mental Health Services",
        Sector.HEALTH,
        "Children's mental health services.",
        "camhs",
    ),
    AgencySpec(
        "Sirona",
        "Sirona care & health",
        Sector.HEALTH,
        "Community health services, including the looked after children's health team.",
        "sirona",
    ),
    AgencySpec(
        "NBT",
        "North Bristol NHS Trust",
        Sector.HEALTH,
        "Acute hospital trust: maternity, emergency department and paediatrics.",
        "nbt",
    ),
    AgencySpec("Police", "Police", Sector.POLICE, "The police force for the area.", "police"),
    AgencySpec(
        "Education",
        "Education (schools and the Virtual School)",
        Sector.EDUCATION,
        "Schools, the Virtual School and the Elective Home Education Team.",
        "education",
    ),
    AgencySpec(
        "YOT",
        "Youth Offending Team",
        Sector.YOUTH_JUSTICE,
        "The youth offending (youth justice) service.",
        "yot",
    ),
    AgencySpec(
        "EDT",
        "Emergency Duty Team",
        Sector.SOCIAL_CARE,
        "Out-of-hours children's social care.",
        "edt",
    ),
    AgencySpec(
        "Preventative Services",
        "Preventative Services",
        Sector.EARLY_HELP,
        "Early help and preventative services for children and families.",
        "preventative-services",
    ),
)

# Takes a theme for learning forward but did not audit, so it is not an audit agency.
BNSSG = AgencySpec(
    "BNSSG",
    "Bristol, North Somerset and South Gloucestershire Integrated Care Board",
    Sector.HEALTH,
    "The integrated care board (ICB): commissions health services; a safeguarding partner.",
    "bnssg",
)

# --- People (all invented) ------------------------------------------------------------------


@dataclass(frozen=True)
class UserSpec:
    email: str
    full_name: str
    job_title: str
    role: str
    agency: str | None = None


def _email(local: str) -> str:
    return f"{local}@{EMAIL_DOMAIN}"


# (agency short name, auditor's name and job, lead's name and job)
_AGENCY_PEOPLE: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "GPs",
        "Dr Quinn Farrowby",
        "Named GP for safeguarding",
        "Dr Ellis Marchbank",
        "Named GP lead",
    ),
    (
        "Social Care",
        "Harper Lowden",
        "Practice quality lead",
        "Jamie Rowntree",
        "Service manager, children in care",
    ),
    (
        "Camhs",
        "Reese Calloway",
        "Clinical lead, looked after children",
        "Dr Toby Wrenfield",
        "Named doctor for safeguarding",
    ),
    (
        "Sirona",
        "Nico Ashgrove",
        "Specialist nurse, children looked after",
        "Morgan Hale",
        "Named nurse for children looked after",
    ),
    (
        "NBT",
        "Dana Pemberley",
        "Named midwife for safeguarding",
        "Blair Ostley",
        "Named nurse for safeguarding children",
    ),
    (
        "Police",
        "Charlie Brennock",
        "Detective sergeant, safeguarding review",
        "Robin Ashdown",
        "Detective inspector, public protection",
    ),
    (
        "Education",
        "Sydney Marlowe-Kent",
        "Virtual School adviser",
        "Emerson Tallis",
        "Head of the Virtual School",
    ),
    (
        "YOT",
        "Ari Fenwick",
        "Youth justice practice lead",
        "Lee Harcastle",
        "YOT operational manager",
    ),
    ("EDT", "Jesse Corrin", "Senior practitioner, out of hours", "Kai Dunmore", "EDT team manager"),
    (
        "Preventative Services",
        "Remy Oakhurst",
        "Early help quality lead",
        "Frankie Dale",
        "Head of preventative services",
    ),
)


def _slug(short_name: str) -> str:
    return next(spec.email_slug for spec in AUDIT_AGENCIES if spec.short_name == short_name)


USERS: tuple[UserSpec, ...] = (
    UserSpec(
        _email("coordinator"),
        "Avery Lindqvist",
        "Quality assurance lead, partnership business unit",
        Role.COORDINATOR,
    ),
    UserSpec(
        _email("panel"),
        "Rowan Castell",
        "Independent chair of the audit panel",
        Role.PANEL_MEMBER,
    ),
    UserSpec(
        _email("reader"),
        "Tegan Hollis",
        "Partnership board member (scrutiny)",
        Role.READER,
    ),
    UserSpec(
        _email("admin"),
        "Sasha Penrose",
        "Systems administrator",
        Role.ADMINISTRATOR,
    ),
    *(
        UserSpec(
            _email(f"auditor.{_slug(agency)}"),
            name,
            job,
            Role.AGENCY_AUDITOR,
            agency,
        )
        for agency, name, job, _, _ in _AGENCY_PEOPLE
    ),
    *(
        UserSpec(
            _email(f"lead.{_slug(agency)}"),
            name,
            job,
            Role.AGENCY_LEAD,
            agency,
        )
        for agency, _, _, name, job in _AGENCY_PEOPLE
    ),
)

COORDINATOR = _email("coordinator")
PANEL_CHAIR = _email("panel")

# One login per role, for the table `maca demo` prints: (role label, email).
LOGINS: tuple[tuple[str, str], ...] = (
    ("Coordinator", COORDINATOR),
    ("Agency auditor (Police)", _email("auditor.police")),
    ("Agency lead (Police)", _email("lead.police")),
    ("Panel member (chair)", PANEL_CHAIR),
    ("Reader", _email("reader")),
    ("Administrator", _email("admin")),
)


def auditor_email(agency: str) -> str:
    return _email(f"auditor.{_slug(agency)}")


def lead_email(agency: str) -> str:
    return _email(f"lead.{_slug(agency)}")


# --- The earlier review (its learning points are invented for the demo) -----------------------


@dataclass(frozen=True)
class LearningPointSpec:
    order: int
    text: str
    question: str  # how the audit tool asks whether it is embedded


@dataclass(frozen=True)
class ReviewSpec:
    title: str
    short_name: str
    published: PartialDate
    summary: str
    url: str
    learning_points: tuple[LearningPointSpec, ...]


SCR_GEORGIA = ReviewSpec(
    title="Serious Case Review: Georgia",
    short_name="SCR Georgia",
    published=PartialDate(2020),
    summary=(
        "The earlier review whose learning this audit checked. The learning points here are a "
        "fictional summary written for the demo, not the review's own words."
    ),
    url="https://example.org/demo/scr-georgia-learning-brief",
    learning_points=(
        LearningPointSpec(
            1,
            "Screen for exploitation whenever a child goes missing or moves placement, and keep "
            "the screening tool (EIT) up to date.",
            "Is exploitation screening done, and updated after missing episodes and moves?",
        ),
        LearningPointSpec(
            2,
            "When a child moves placement or area, the records move with them: a transfer "
            "document to the new carers, GP, school and health services.",
            "Do records and a transfer document follow the child on every move?",
        ),
        LearningPointSpec(
            3,
            "Hear the child directly, in their own language, and record how their views shaped "
            "the plan.",
            "Is the child heard directly, and do their views shape the plan?",
        ),
        LearningPointSpec(
            4,
            "Share safety plans with everyone who needs them to keep the child safe, including "
            "the school.",
            "Is the safety plan shared with everyone who needs it, including the school?",
        ),
    ),
)

# --- The audit plan -------------------------------------------------------------------------

AUDIT = {
    "kind": "case_audit",
    "title": "Multi Agency Quality Assurance Audit: Children Looked After Out of Area",
    "theme": "Children looked after placed out of area",
    "status": "published",
    "rationale": (
        "This audit was to check learning has been embedded from the SCR Georgia. Children "
        "placed out of area live away from the services that know them, so notifications, "
        "records, health assessments and safety plans have to follow them across boundaries."
    ),
    "aim": (
        "To ascertain whether there were good multi-agency standards for managing cases and "
        "whether organisations have implemented a robust and consistent response in line with "
        "statutory and good practice guidance, and the Children's Partnership policies and "
        "procedures."
    ),
    "terms_of_reference": (
        "Review the records of nine children who are looked after by the local authority and "
        "placed out of area. Each agency that knew a child audits its own records for the 12 "
        "months before the audit with the audit tool, returns it by 25 February 2022 and "
        "attends the multi-agency panel on 8 March 2022. A child found to be at current risk, "
        "or a statutory task found missed, is escalated at once and not held for the panel. "
        "The audit checks that learning from SCR Georgia has been embedded."
    ),
    "cohort_definition": ("Children looked after by the local authority and placed out of area"),
    "lookback_months": 12,
    "lawful_basis": (
        "Children Act 2004 s16H: information requested by the safeguarding partners for their "
        "functions, under the Children's Partnership information-sharing agreement."
    ),
    "audit_date": PartialDate(2022, 3, 8),
    "returns_due": dt.date(2022, 2, 25),
    "panel_date": dt.date(2022, 3, 8),
    "reaudit_due": PartialDate(2023, 3),
    "published_on": dt.date(2022, 3, 31),
    "sample_method": "purposive",
    "sample_frame_size": 146,
    "sample_seed": "",
    "sample_notes": (
        "Nine children chosen from those looked after and placed out of area on the census "
        "date, to cover ages from a few weeks to 16 years, different placement types and "
        "needs including exploitation risk and seeking asylum. (Demo data: the frame size is "
        "invented.)"
    ),
    "census_date": dt.date(2022, 1, 31),
}

LINES_OF_ENQUIRY: tuple[str, ...] = (
    "Are risks to children placed out of area (exploitation, going missing, domestic abuse) "
    "recognised, assessed and reviewed, including when they move placement?",
    "Do the agencies in the host area know about the child and get what they need: "
    "notifications, transfer documents, health assessments, safety plans?",
    "Are the child's health and education needs met without delay?",
    "Is the child's voice heard, and does it shape the plan?",
    "Has the learning from SCR Georgia been embedded?",
)

# --- The nine children (all invented) -------------------------------------------------------


@dataclass(frozen=True)
class InvolvementSpec:
    since: dt.date
    note: str


@dataclass(frozen=True)
class CaseSpec:
    pseudonym: str
    code_name: str  # "Alpha": drives the fictional identifiers
    age_weeks: int
    gender: str
    needs: tuple[str, ...]
    legal_status: str
    placement_type: str
    placement_provider: str
    distance_miles: str | None  # blank for UASC, as in the 903 (rule 406)
    placement_area: str
    moves_12m: int
    missing_12m: int
    facts: dict[str, object]
    involved: dict[str, InvolvementSpec]
    scale: int  # Signs of Safety 0-10, the agencies' usual answer
    scale_by_agency: dict[str, int] = field(default_factory=dict)
    is_uasc: bool = False

    @property
    def order(self) -> int:
        return ord(self.pseudonym[-1]) - ord("A") + 1


def _inv(day: str, note: str) -> InvolvementSpec:
    return InvolvementSpec(dt.date.fromisoformat(day), note)


CASES: tuple[CaseSpec, ...] = (
    CaseSpec(
        "Child A",
        "Alpha",
        age_weeks=6,
        gender="Female",
        needs=("parental-learning-disability", "parental-mental-health", "domestic-abuse"),
        legal_status="C1",
        placement_type="U5",
        placement_provider="PR4",
        distance_miles="18.4",
        placement_area="Severnvale Council",
        moves_12m=1,
        missing_12m=0,
        facts={
            "cin": "N1",
            "looked_after_weeks": 5,
            "upn_placeholder": "UN1",
            "reason_place_change": "CARPL",
            "note": "A baby placed with foster carers from hospital.",
        },
        involved={
            "Social Care": _inv("2021-11-15", "Pre-birth assessment and care proceedings."),
            "NBT": _inv("2021-10-04", "Maternity care and the birth; newborn checks."),
            "Sirona": _inv("2022-02-03", "Looked after children's health team."),
            "GPs": _inv("2022-02-07", "Registered with the foster carers' practice."),
            "EDT": _inv("2022-01-26", "Out-of-hours response on the day of birth."),
            "Police": _inv("2021-09-12", "Domestic abuse incidents at the parents' address."),
        },
        scale=7,
    ),
    CaseSpec(
        "Child B",
        "Bravo",
        age_weeks=3 * 52 + 12,
        gender="Male",
        needs=("neglect", "domestic-abuse", "substance-misuse"),
        legal_status="C2",
        placement_type="U6",
        placement_provider="PR4",
        distance_miles="24.7",
        placement_area="Mendip Vale Council",
        moves_12m=1,
        missing_12m=0,
        facts={"cin": "N1", "looked_after_months": 8, "upn_placeholder": "UN1"},
        involved={
            "Social Care": _inv("2020-06-01", "Child in need, then child protection, then care."),
            "Sirona": _inv("2021-07-19", "Health visiting, then the looked after health team."),
            "GPs": _inv("2018-12-03", "Registered since birth; new practice after the move."),
            "Police": _inv("2020-05-22", "Domestic abuse incidents at the family home."),
            "Preventative Services": _inv("2020-01-13", "Family support before care."),
        },
        scale=6,
    ),
    CaseSpec(
        "Child C",
        "Charlie",
        age_weeks=7 * 52 + 25,
        gender="Female",
        needs=("neglect", "sexual-abuse", "emotional-abuse"),
        legal_status="C2",
        placement_type="U4",
        placement_provider="PR4",
        distance_miles="31.2",
        placement_area="Cotswold Edge County Council",
        moves_12m=0,
        missing_12m=0,
        facts={
            "cin": "N1",
            "looked_after_months": 26,
            "siblings_placed_together": True,
            "siblings_in_placement": 2,
        },
        involved={
            "Social Care": _inv("2019-09-02", "Looked after with two younger siblings."),
            "Education": _inv("2019-09-02", "Primary school and the Virtual School."),
            "Camhs": _inv("2021-03-15", "Therapeutic work after sexual abuse."),
            "Sirona": _inv("2019-12-10", "Review health assessments."),
            "GPs": _inv("2019-10-01", "Registered with the foster carers' practice."),
        },
        scale=8,
    ),
    CaseSpec(
        "Child D",
        "Delta",
        age_weeks=15 * 52 + 14,
        gender="Male",
        needs=("missing-episodes", "exploitation-risk", "criminal-behaviour", "substance-misuse"),
        legal_status="C2",
        placement_type="K2",
        placement_provider="PR4",
        distance_miles="58.3",
        placement_area="Kennet Valley Council",
        moves_12m=4,
        missing_12m=3,
        facts={
            "cin": "N5",
            "looked_after_months": 40,
            "reason_place_change": "CREQB",
            "safety_plan": True,
        },
        involved={
            "Social Care": _inv("2018-11-05", "Looked after; four placements in the year."),
            "Education": _inv("2018-11-05", "Three schools in the year; Virtual School."),
            "Police": _inv("2021-04-18", "Missing reports and call-outs to the home."),
            "YOT": _inv("2021-08-09", "Referral order."),
            "Camhs": _inv("2021-06-21", "Assessment; did not engage."),
            "GPs": _inv("2018-12-01", "Registered three times in the year."),
            "EDT": _inv("2021-10-30", "Out-of-hours placement search after a breakdown."),
            "Sirona": _inv("2019-01-14", "Review health assessments."),
        },
        scale=3,
    ),
    CaseSpec(
        "Child E",
        "Echo",
        age_weeks=13 * 52 + 30,
        gender="Female",
        needs=("sexual-abuse", "self-harm", "mental-health", "exploitation-risk"),
        legal_status="C2",
        placement_type="U6",
        placement_provider="PR5",
        distance_miles="12.6",
        placement_area="Severnvale Council",
        moves_12m=1,
        missing_12m=0,
        facts={"cin": "N1", "looked_after_months": 14, "safety_plan": True},
        involved={
            "Social Care": _inv("2020-12-14", "Looked after; safety planning for self-harm."),
            "Education": _inv("2021-01-11", "Secondary school; mentoring."),
            "Camhs": _inv("2021-02-22", "Weekly therapy; safety plan."),
            "Sirona": _inv("2021-01-25", "Review health assessments."),
            "GPs": _inv("2021-01-18", "Registered with the foster carers' practice."),
            "NBT": _inv("2021-11-27", "Emergency department attendance after self-harm."),
        },
        scale=4,
    ),
    CaseSpec(
        "Child F",
        "Foxtrot",
        age_weeks=15 * 52 + 40,
        gender="Male",
        needs=(
            "exploitation-risk",
            "missing-episodes",
            "criminal-behaviour",
            "substance-misuse",
            "physical-abuse",
        ),
        legal_status="C2",
        placement_type="K2",
        placement_provider="PR4",
        distance_miles="86.9",
        placement_area="Forest Marches Council",
        moves_12m=3,
        missing_12m=7,
        facts={
            "cin": "N1",
            "looked_after_months": 22,
            "reason_place_change": "LAREQ",
            "safety_plan": True,
            "placed_at_a_distance": True,
        },
        involved={
            "Social Care": _inv("2020-05-04", "Looked after; three placements in the year."),
            "Police": _inv("2020-09-16", "Seven missing episodes; exploitation intelligence."),
            "YOT": _inv("2021-05-10", "Youth conditional caution, then referral order."),
            "Education": _inv("2020-05-04", "Alternative provision; Virtual School."),
            "Camhs": _inv("2021-07-05", "Assessment for substance misuse and trauma."),
            "GPs": _inv("2020-06-01", "Registered twice in the year."),
            "EDT": _inv("2021-06-12", "Out-of-hours responses to missing episodes."),
            "Preventative Services": _inv("2021-09-20", "Mentoring and diversionary activity."),
        },
        scale=2,
        scale_by_agency={"Social Care": 3},
    ),
    CaseSpec(
        "Child G",
        "Golf",
        age_weeks=12 * 52 + 3,
        gender="Male",
        needs=("neglect", "parental-mental-health", "emotional-abuse", "not-in-education"),
        legal_status="V2",
        placement_type="U6",
        placement_provider="PR4",
        distance_miles="15.8",
        placement_area="Mendip Vale Council",
        moves_12m=2,
        missing_12m=0,
        facts={"cin": "N3", "looked_after_months": 5, "previously_home_educated": True},
        involved={
            "Social Care": _inv("2021-06-07", "Accommodated under section 20."),
            "Education": _inv("2020-02-10", "Elective Home Education Team, then a school place."),
            "GPs": _inv("2021-10-18", "Registered with the foster carers' practice."),
            "Sirona": _inv("2021-10-11", "Initial health assessment."),
            "Preventative Services": _inv("2021-03-01", "Family support before care."),
        },
        scale=6,
    ),
    CaseSpec(
        "Child H",
        "Hotel",
        age_weeks=16 * 52 + 2,
        gender="Male",
        needs=("seeking-asylum", "mental-health", "trafficking"),
        legal_status="V2",
        placement_type="U6",
        placement_provider="PR4",
        distance_miles=None,
        placement_area="Northgate City Council",
        moves_12m=2,
        missing_12m=0,
        facts={
            "cin": "N8",
            "looked_after_months": 4,
            "upn_placeholder": "UN2",
            "age_disputed": True,
            "needs_interpreter": True,
        },
        involved={
            "Social Care": _inv(
                "2021-10-25", "Looked after once the age assessment found a child."
            ),
            "Sirona": _inv("2021-11-08", "Initial health assessment with an interpreter."),
            "GPs": _inv("2021-11-15", "Registered with a practice in the host area."),
            "Education": _inv("2022-01-04", "College place arranged by the Virtual School."),
            "Police": _inv("2021-10-02", "Encountered on arrival in the country."),
        },
        scale=5,
        is_uasc=True,
    ),
    CaseSpec(
        "Child I",
        "India",
        age_weeks=16 * 52 + 38,
        gender="Female (she/her)",
        needs=("domestic-abuse", "parental-mental-health", "self-harm"),
        legal_status="C2",
        placement_type="U4",
        placement_provider="PR4",
        distance_miles="22.1",
        placement_area="Cotswold Edge County Council",
        moves_12m=0,
        missing_12m=0,
        facts={"cin": "N1", "looked_after_months": 60},
        involved={
            "Social Care": _inv("2017-03-06", "Long-term foster placement."),
            "Education": _inv("2017-03-06", "Secondary school, year 11; Virtual School."),
            "Camhs": _inv("2020-09-14", "Support for emotional wellbeing and identity."),
            "Sirona": _inv("2017-04-03", "Review health assessments."),
            "GPs": _inv("2017-03-20", "Registered with the foster carers' practice."),
            "Police": _inv("2016-11-02", "Domestic abuse at the birth mother's address."),
        },
        scale=7,
    ),
)


def identity_for(case: CaseSpec) -> dict[str, str]:
    """Obviously fictional identifiers, consistent with the child's age."""
    # The days are added so birthdays do not all fall on a Tuesday; always under a week, so
    # the age in whole weeks stays exactly `age_weeks`.
    born = AUDIT_DAY - dt.timedelta(weeks=case.age_weeks, days=case.order % 7)
    has_upn = "upn_placeholder" not in case.facts
    return {
        "full_name": f"Demo Child {case.code_name}",
        "date_of_birth": born.isoformat(),
        "la_child_id": f"DEMO{case.order:04d}",
        "upn": f"Z{case.order:012d}A" if has_upn else "",
        # 999 000 000x: the NHS test range, and no 999000000 prefix has a valid check digit.
        "nhs_number": f"999000000{case.order}",
    }


def agency_reference_for(case: CaseSpec, agency: str) -> str:
    return f"DEMO-{_slug(agency).upper()}-{case.order:04d}"
