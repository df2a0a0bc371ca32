"""The disclosure check's scanner: pure functions over text that find what could identify a
child.

Two sorts of rule. Some look for the audited children themselves (their names, dates of birth
and identifiers, read from the identifier store); the rest look for anything shaped like an
identifier (NHS numbers with a valid check digit, UPNs, full postcodes, UK phone numbers,
e-mail addresses), dates that could be a child's date of birth, and small counts of children
(a warning: a reader may work out who "two children" were).

Nothing here touches the database: `maca.reports.disclosure_check` gathers the texts and the
children, and decides what has been accepted.

The texts of a check are read together (`matches_in_each`): joined into one with
`detectors.BOUNDARY` between them, each rule runs once over the whole, and its matches are
then shared out to the texts they are in. An export holds tens of thousands of texts; one
pass of each rule over all of them costs a fraction of one pass of every rule over each.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import enum
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from maca.reports import disclosure_detectors as detectors

CONTEXT_CHARS = 40


class Kind(enum.StrEnum):
    """What a hit is. The value is stored with an acceptance; the label is what people read."""

    CHILD_NAME = "child_name"
    CHILD_DOB = "child_dob"
    CHILD_IDENTIFIER = "child_identifier"
    NHS_NUMBER = "nhs_number"
    UPN = "upn"
    POSTCODE = "postcode"
    PHONE = "phone"
    EMAIL = "email"
    POLICE_REFERENCE = "police_reference"
    CASE_REFERENCE = "case_reference"
    ADDRESS = "address"
    NAMED_SETTING = "named_setting"
    PERSON_NAME = "person_name"
    DATE_LIKE_DOB = "date_like_dob"
    SMALL_NUMBER = "small_number"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def why(self) -> str:
        """Why a match of this kind could identify a child, for the person resolving it."""
        return _WHY[self]

    @property
    def is_warning(self) -> bool:
        """Warnings are shown for a second look but do not stop publishing or export."""
        return self is Kind.SMALL_NUMBER


_LABELS = {
    Kind.CHILD_NAME: "Name of a child in this audit",
    Kind.CHILD_DOB: "Date of birth of a child in this audit",
    Kind.CHILD_IDENTIFIER: (
        "Identifier of a child in this audit (LA child ID, UPN, NHS number or an agency's "
        "own reference)"
    ),
    Kind.NHS_NUMBER: "NHS number",
    Kind.UPN: "Unique pupil number (UPN)",
    Kind.POSTCODE: "Postcode",
    Kind.PHONE: "Phone number",
    Kind.EMAIL: "E-mail address",
    Kind.POLICE_REFERENCE: "Police crime or incident reference",
    Kind.CASE_REFERENCE: "Case or referral number",
    Kind.ADDRESS: "Street address",
    Kind.NAMED_SETTING: "Named school, nursery, college or children's home",
    Kind.PERSON_NAME: "Name of a person",
    Kind.DATE_LIKE_DOB: "Date that could be a child's date of birth",
    Kind.SMALL_NUMBER: "Small number of children",
}

_WHY = {
    Kind.CHILD_NAME: "It is the name, or part of the name, of a child in this audit.",
    Kind.CHILD_DOB: "It is the date of birth of a child in this audit.",
    Kind.CHILD_IDENTIFIER: "It is one of the identifiers held for a child in this audit.",
    Kind.NHS_NUMBER: "It is a ten-digit number with a valid NHS number check digit.",
    Kind.UPN: "It has the shape of a unique pupil number.",
    Kind.POSTCODE: "It is a full postcode, which can narrow a family down to a few houses.",
    Kind.PHONE: "It is a UK phone number.",
    Kind.EMAIL: "It is an e-mail address.",
    Kind.POLICE_REFERENCE: (
        "It has the shape of a police crime, incident or log reference, which leads straight "
        "to the family's records."
    ),
    Kind.CASE_REFERENCE: (
        "It looks like a case, referral or record number from an agency's system."
    ),
    Kind.ADDRESS: (
        "It looks like a house or flat number with a street or building name: where a "
        "family lives identifies the child."
    ),
    Kind.NAMED_SETTING: (
        "It names a school, nursery, college or children's home: with the rest of the "
        "brief it can point to one child."
    ),
    Kind.PERSON_NAME: (
        "It looks like a person's name (a name from the open name lists, or a word after "
        "Mr, Mrs, mum, brother, the social worker …). A sibling's, parent's, carer's or "
        "professional's name identifies the child as surely as the child's own. Accept it "
        "with a reason if it is not a person."
    ),
    Kind.DATE_LIKE_DOB: "It is an exact date within a young person's lifetime.",
    Kind.SMALL_NUMBER: "A reader may work out who a small number of children were.",
}

# When two rules match overlapping text, the more specific one names the hit: a child's own
# NHS number is reported as that, not as "an NHS number".
_PRIORITY = {kind: order for order, kind in enumerate(Kind)}


@dataclass(frozen=True)
class Child:
    """What identifies one audited child. Values are plain text, as decrypted."""

    full_name: str = ""
    date_of_birth: dt.date | None = None
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rules:
    """Everything the scanner needs besides the text."""

    children: tuple[Child, ...] = ()
    # The date ages are worked out at (the audit date); None leaves out dates like births.
    reference_date: dt.date | None = None
    # The partnership's own names (agencies, the partnership, linked reviews): never taken
    # for a person, an address or a setting.
    allowed_names: tuple[str, ...] = ()
    # The audit's own dates (audit, publication, due and review dates): never taken for
    # births.
    own_dates: frozenset[dt.date] = frozenset()


@dataclass(frozen=True)
class Match:
    kind: Kind
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Hit:
    """A match in one place, with enough around it for a person to judge it."""

    kind: Kind
    matched: str
    start: int
    end: int
    before: str
    after: str
    location: str
    location_key: str
    edit_url: str = ""
    # The place without any words quoted from the text, for the acceptance log.
    log_label: str = ""
    fingerprint: str = field(default="", compare=False)

    @property
    def is_warning(self) -> bool:
        return self.kind.is_warning


# --- NHS numbers ----------------------------------------------------------------------------


def nhs_check_digit_valid(digits: str) -> bool:
    """Modulus 11: weights 10 down to 2 on the first nine digits; 11 - remainder is the check
    digit, 11 becomes 0 and 10 means the number cannot be valid."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


# Each pattern below that starts with a lookahead for its first character does so for speed:
# the engine then gives up at once at every other place. Quicker still is a pattern that starts
# with the character itself and looks back after it, two characters wide (what stands before,
# and the character): the engine then looks for that character and tries nowhere else.
_NHS = re.compile(r"(\d(?<![\w-]\d)\d\d)([ -]?)(\d{3})\2(\d{4})(?![\w-])")


def _nhs_numbers(text: str) -> Iterator[Match]:
    for match in _NHS.finditer(text):
        if nhs_check_digit_valid(match[1] + match[3] + match[4]):
            yield Match(Kind.NHS_NUMBER, match.start(), match.end(), match[0])


# --- UPNs, postcodes, phones, e-mails -------------------------------------------------------

# A check letter (never I, O or S) and 12 digits; a temporary UPN ends in a letter instead.
_UPN = re.compile(r"[A-HJ-NP-RT-Z](?<!\w[A-HJ-NP-RT-Z])\d{11}[\dA-Z]\b")

# The full UK postcode (outward and inward parts). An outward code alone ("BS1") names an
# area, which briefs do, so it is not a hit.
_POSTCODE = re.compile(
    r"\b(?:GIR\s?0AA|[A-PR-UWYZ](?:\d[\dA-HJKPSTUW]?|[A-HK-Y]\d[\dABEHMNPRV-Y]?)\s?"
    r"\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)

# 01, 02, 03 and 07 numbers, written with spaces, hyphens or brackets, or from +44.
_PHONE = re.compile(
    r"(?=[+(0])(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)[1237](?:[\s)-]{0,2}\d){8,9}(?![\w-])"
)

_EMAIL = re.compile(r"\b[\w.+'-]+@[\w-]+(?:\.[\w-]+)+\b")


def _phones(text: str) -> Iterator[Match]:
    for match in _PHONE.finditer(text):
        # "+44 (0)20 …": the bracketed 0 is dropped when dialling from abroad.
        digits = re.sub(r"\D", "", match[0].replace("(0)", ""))
        if digits.startswith("44"):
            digits = "0" + digits[2:]
        if len(digits) in {10, 11}:
            yield Match(Kind.PHONE, match.start(), match.end(), match[0])


def _postcodes(text: str) -> Iterator[Match]:
    for match in detectors.matches_ignoring_case(text, _POSTCODE):
        yield Match(Kind.POSTCODE, match.start(), match.end(), text[match.start() : match.end()])


def _pattern(kind: Kind, pattern: re.Pattern[str]) -> Callable[[str], Iterator[Match]]:
    def find(text: str) -> Iterator[Match]:
        for match in pattern.finditer(text):
            yield Match(kind, match.start(), match.end(), match[0])

    return find


# --- Dates ----------------------------------------------------------------------------------

_MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH = rf"(?P<month_name>{detectors.by_first_letter(_MONTH_NAMES)})\.?"
# The same at the start of a word, as `\b{_MONTH}`.
_MONTH_STARTING_A_WORD = (
    rf"(?P<month_name>{detectors.starting_a_word(_MONTH_NAMES, not_after=r'\w')})\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"

_DATE_PATTERNS = [
    # 2011-03-14, 2011/03/14
    re.compile(
        r"(?P<year>\d(?<![\w/.-]\d)\d{3})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?![\w/-])"
    ),
    # 14/03/2011, 14.3.11, 14-03-2011 (day first, as in England)
    re.compile(
        r"(?P<day>\d(?<![\w/.-]\d)\d?)(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)"
        r"(?P<year>\d{4}|\d{2})(?![\w/-]|\.\d)"
    ),
    # 14 March 2011, 14th of Mar. 2011, 14 March, 2011
    re.compile(
        rf"(?P<day>\d(?<!\w\d)\d?){_ORDINAL}\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})\b",
        re.IGNORECASE,
    ),
    # March 14, 2011 and March 14th 2011
    re.compile(
        rf"{_MONTH_STARTING_A_WORD}\s+(?P<day>\d{{1,2}}){_ORDINAL},?\s+(?P<year>\d{{4}})\b",
        re.IGNORECASE,
    ),
]


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    text: str
    date: dt.date


def _year(text: str, reference: dt.date | None) -> int:
    year = int(text)
    if len(text) == 2:
        # Two-digit years belong to the century that keeps them on or before the audit.
        pivot = (reference or dt.date.today()).year % 100
        year += 2000 if year <= pivot else 1900
    return year


def _date_matches(text: str) -> Iterator[re.Match[str]]:
    """Each date pattern's matches in turn (the first pattern to match at a place wins): read
    what they matched from `text` (see `detectors.matches_ignoring_case`)."""
    year_first, day_first, *with_month_names = _DATE_PATTERNS
    yield from year_first.finditer(text)
    yield from day_first.finditer(text)
    for pattern in with_month_names:
        yield from detectors.matches_ignoring_case(text, pattern)


def find_dates(text: str, reference: dt.date | None = None) -> list[DateMatch]:
    """Every full day-month-year date written in a common way; impossible dates are skipped."""
    found: dict[int, DateMatch] = {}
    for match in _date_matches(text):
        if match.start() in found:
            continue
        groups = match.groupdict()
        month_name = groups.get("month_name")
        month = _MONTHS[month_name.casefold()] if month_name else int(groups["month"])
        try:
            date = dt.date(_year(groups["year"], reference), month, int(groups["day"]))
        except ValueError:
            continue
        written = text[match.start() : match.end()]
        found[match.start()] = DateMatch(match.start(), match.end(), written, date)
    return sorted(found.values(), key=lambda item: item.start)


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# Oldest age at which a date could still be the birth of a child or care leaver in an audit.
OLDEST_AGE = 25


# Words just before a date that make it the audit's own (when it was held, published, due or
# reviewed), not a birth: "The audit of 14 March 2022", "due by 30 June 2024".
_OWN_DATE_BEFORE = re.compile(
    r"\b(?:audit(?:ed|s)?|re-?audit|review(?:ed|s)?|publi(?:shed|cation)|due|deadline|panel|"
    r"board|executive|meeting|met|conference|census|inspection|report(?:ed)?|held|completed|"
    r"agreed|signed\s+off|target|until|brief(?:ing)?|issued|updated|closed|convened|"
    r"launched|approved|presented|period|up\s+to)\b"
    # then at most six words of the same clause before the date
    r"(?:[^.;:!?\n\w]+[\w'’-]+){0,6}[^.;:!?\n\w]+$",
    re.IGNORECASE,
)
_BIRTH_BEFORE = re.compile(r"\b(?:born|birth|dob|d\.o\.b|birthday)\b", re.IGNORECASE)


def _is_own_date(text: str, item: DateMatch, rules: Rules) -> bool:
    if item.date in rules.own_dates:
        return True
    before = text[max(0, item.start - 60) : item.start].rpartition(detectors.BOUNDARY)[2]
    if _BIRTH_BEFORE.search(before):
        return False
    return bool(_OWN_DATE_BEFORE.search(before))


def _dates(text: str, rules: Rules, free_text: bool) -> Iterator[Match]:
    births = {child.date_of_birth for child in rules.children if child.date_of_birth}
    for item in find_dates(text, rules.reference_date):
        if item.date in births:
            yield Match(Kind.CHILD_DOB, item.start, item.end, item.text)
        elif (
            free_text
            and rules.reference_date is not None
            and 0 <= age_on(item.date, rules.reference_date) <= OLDEST_AGE
            and not _is_own_date(text, item, rules)
        ):
            yield Match(Kind.DATE_LIKE_DOB, item.start, item.end, item.text)


# --- Small numbers --------------------------------------------------------------------------

# As `\b(?:[1-4]|one|two|three|four)`, searched from its first character.
_SMALL = rf"(?P<count>{detectors.starting_a_word('1|2|3|4|one|two|three|four', not_after=r'\w')})"
_GROUP = (
    r"(?:children|child|young\s+people|young\s+person|babies|baby|siblings|girls|boys|"
    r"pupils|care\s+leavers|teenagers)"
)
_SMALL_NUMBER = re.compile(
    rf"{_SMALL}\s+(?:of\s+(?:the\s+)?(?:\d+|[a-z]+)\s+)?(?:[a-z-]+\s+)?{_GROUP}\b",
    re.IGNORECASE,
)


def _small_numbers(text: str) -> Iterator[Match]:
    for match in detectors.matches_ignoring_case(text, _SMALL_NUMBER):
        yield Match(
            Kind.SMALL_NUMBER, match.start(), match.end(), text[match.start() : match.end()]
        )


# --- The audited children -------------------------------------------------------------------

# Words that are also first names or surnames. Alone they say nothing about a child ("will",
# "white British"), so only the child's full name is looked for when a part is one of them.
COMMON_WORDS = frozenset(
    """
    april august autumn baby bell best black bill brown case child dawn day demo faith fair far
    field fox friend grace green grey guy hall hill holly hope ivy jack jade joy june king lane
    little long love mark may mason miles new north page park pat penny rich rose ruby sage
    scott sky son star summer sun the unknown ward west white will wood young
    """.split()  # noqa: SIM905 (a list of 70 quoted words is harder to read and keep)
)
SHORTEST_NAME_PART = 3
# Stand-ins where a name is not known or not real ("Baby Smith", "Demo Child"): never a first
# name of their own.
PLACEHOLDER_WORDS = frozenset({"baby", "child", "demo", "the", "unknown"})


_BEFORE_WORD = r"(?<![\w'’-])"
_AFTER_WORD = r"(?![\w'’-])"


def _words(value: str) -> str:
    """A regex for a phrase: any run of spaces between its words, word boundaries around."""
    return _BEFORE_WORD + r"\s+".join(map(re.escape, value.split())) + _AFTER_WORD


def _distinctive(part: str) -> bool:
    return len(part) >= SHORTEST_NAME_PART and part.casefold() not in COMMON_WORDS


def name_patterns(children: Iterable[Child]) -> list[re.Pattern[str]]:
    """A child's full name, and each distinctive part, in any case. A first name that is also
    a common word ("Grace", "Will") or very short ("Jo") is still a hit wherever it is
    written with a capital: the coordinator sees the context and can accept "Will the
    partnership…" with a reason."""
    phrases: set[str] = set()
    capitalised: set[str] = set()
    for child in children:
        parts = child.full_name.split()
        if not parts:
            continue
        phrases.add(" ".join(parts))
        if len(parts) > 1:
            phrases.update(part for part in (parts[0], parts[-1]) if _distinctive(part))
            if not _distinctive(parts[0]) and parts[0].casefold() not in PLACEHOLDER_WORDS:
                capitalised.add(parts[0][:1].upper() + parts[0][1:])
    # Longest first, so "Amira Khan" is one hit rather than two.
    patterns = [(phrase, re.compile(_words(phrase), re.IGNORECASE)) for phrase in phrases] + [
        (word, re.compile(_words(word))) for word in capitalised - phrases
    ]
    return [pattern for _, pattern in sorted(patterns, key=lambda p: (-len(p[0]), p[0]))]


def identifier_pattern(value: str) -> re.Pattern[str] | None:
    """An identifier as people write it: any spaces or hyphens between its characters."""
    compact = re.sub(r"[\s-]", "", value)
    if len(compact) < 4:
        # Two or three characters would match ordinary numbers everywhere.
        return None
    body = r"[\s-]?".join(map(re.escape, compact))
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


_TOKEN = re.compile(r"[\w'’-]+")
_SEPARATORS = re.compile(r"[\s-]")


@dataclass(frozen=True)
class _ChildLookup:
    """The children's names and identifiers, prepared once for every text of a check: a name
    is found by looking each word of the text up, an identifier by searching the text with
    its spaces and hyphens taken out, so a check over thousands of texts does not run
    hundreds of patterns over each."""

    # First word, case-folded -> each phrase starting with it (its words, and whether the
    # case must match), longest first.
    names: dict[str, list[tuple[tuple[str, ...], bool]]]
    identifiers: tuple[str, ...]  # lower case, without spaces or hyphens
    # Any of them in a text with its spaces and hyphens taken out: one search, not one each.
    any_identifier: re.Pattern[str] | None = None
    # The same searches in the text in lower case, where that is the text case-folded
    # (`detectors.lowers_as_it_folds`): neither a list of its words nor a copy of it without
    # its spaces is then made. A name's first word (possessive or not) as a whole word; any
    # identifier, and each, with any spaces or hyphens between its characters.
    first_word_lowered: re.Pattern[str] | None = None
    any_identifier_lowered: re.Pattern[str] | None = None
    each_identifier_lowered: tuple[re.Pattern[str], ...] = ()


@functools.lru_cache(maxsize=16)
def _child_lookup(children: tuple[Child, ...]) -> _ChildLookup:
    names: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
    for pattern in name_patterns(children):
        case_matters = not pattern.flags & re.IGNORECASE
        words = tuple(_unescaped_words(pattern))
        key = words[0].casefold()
        folded = words if case_matters else tuple(word.casefold() for word in words)
        names.setdefault(key, []).append((folded, case_matters))
    for phrases in names.values():
        phrases.sort(key=lambda phrase: -len(" ".join(phrase[0])))
    identifiers = {
        _SEPARATORS.sub("", value).lower()
        for child in children
        for value in child.identifiers
        if identifier_pattern(value) is not None
    }
    longest_first = tuple(sorted(identifiers, key=lambda v: (-len(v), v)))
    any_identifier = re.compile("|".join(map(re.escape, longest_first))) if identifiers else None
    spaced = [r"[\s-]*".join(map(re.escape, value)) for value in longest_first]
    return _ChildLookup(
        names,
        longest_first,
        any_identifier,
        first_word_lowered=_whole_words(names) if names else None,
        any_identifier_lowered=re.compile("|".join(spaced)) if spaced else None,
        each_identifier_lowered=tuple(map(re.compile, spaced)),
    )


def _whole_words(words: Iterable[str]) -> re.Pattern[str]:
    """Any of `words` as a whole word, possessive or not, their shared beginnings written once
    (`_Trie`): the engine reads "child" once, not once for each of "child1", "child2" …, at
    each "child" in the text."""
    trie = _Trie()
    for word in words:
        trie.add(word)
    return re.compile(rf"(?<![\w'’-])(?:{trie.pattern()})(?:['’]s)?(?![\w'’-])")


@dataclass
class _Trie:
    """Words as a tree of their letters: a pattern for any of them, each shared beginning
    written once ("chil(?:d(?:1|2)|e)"). (In whatever order they are tried, only whole words
    are matched, so any one that is there is found.)"""

    following: dict[str, _Trie] = field(default_factory=dict)
    ends_a_word: bool = False

    def add(self, word: str) -> None:
        node = self
        for char in word:
            node = node.following.setdefault(char, _Trie())
        node.ends_a_word = True

    def pattern(self) -> str:
        branches = [re.escape(char) + after.pattern() for char, after in self.following.items()]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if self.ends_a_word else body


_last_lookup: tuple[tuple[Child, ...], _ChildLookup] | None = None


def _lookup_for(children: tuple[Child, ...]) -> _ChildLookup:
    """The lookup for the children of the check under way: found by identity, since hashing
    60 children again for each of thousands of texts costs more than reading the text."""
    global _last_lookup
    if _last_lookup is None or _last_lookup[0] is not children:
        _last_lookup = (children, _child_lookup(children))
    return _last_lookup[1]


def _name_matches(text: str, lookup: _ChildLookup) -> Iterator[Match]:
    first_words = _first_words_written(text, lookup)
    if first_words is None:
        return
    for token in first_words.finditer(text):
        folded = token[0].casefold()
        key = folded if folded in lookup.names else _without_possessive(folded)
        for words, case_matters in lookup.names[key]:
            end = _phrase_end(text, token, words, case_matters)
            if end is not None:
                yield Match(Kind.CHILD_NAME, token.start(), end, text[token.start() : end])
                break


def _first_words_written(text: str, lookup: _ChildLookup) -> re.Pattern[str] | None:
    """A pattern for each word of the text that a name starts with, as it is written there
    (in the texts of a check, most often none is)."""
    if not lookup.names:
        return None
    lowered = detectors.lowered(text)
    if lookup.first_word_lowered is not None and lowered and detectors.lowers_as_it_folds(text):
        found = lookup.first_word_lowered.finditer(lowered)
        written = {text[match.start() : match.end()] for match in found}
    else:
        written = {
            word
            for word in set(_TOKEN.findall(text))
            if word.casefold() in lookup.names
            or _without_possessive(word.casefold()) in lookup.names
        }
    if not written:
        return None
    alternatives = "|".join(map(re.escape, sorted(written, key=lambda w: (-len(w), w))))
    return re.compile(rf"(?<![\w'’-])(?:{alternatives})(?![\w'’-])")


# The next word, and what stands before it.
_NEXT_TOKEN = re.compile(r"([^\w'’-]*)([\w'’-]+)")


def _without_possessive(word: str) -> str:
    return word[:-2] if len(word) > 2 and word[-2:] in {"'s", "’s"} else word


def _phrase_end(
    text: str, first: re.Match[str], words: tuple[str, ...], case_matters: bool
) -> int | None:
    """Where `words` end if they stand from the word `first` on, with only spaces between;
    the last may be possessive ("Amira Khan's"), which is not part of the name."""
    written, end = first[0], first.end()
    for index, word in enumerate(words):
        if index:
            following = _NEXT_TOKEN.match(text, end)
            if following is None or following[1].strip():
                return None
            written, end = following[2], following.end()
        if not case_matters:
            written = written.casefold()
        if written != word:
            last = index == len(words) - 1
            return end - 2 if last and _without_possessive(written) == word else None
    return end


def _identifier_matches(text: str, lookup: _ChildLookup) -> Iterator[Match]:
    if not lookup.identifiers:
        return
    for value in _identifiers_written(text, lookup):
        # Rare: a hit is likely, so the exact pattern finds where it stands in the text.
        if (found := identifier_pattern(value)) is not None:
            for match in found.finditer(text):
                yield Match(Kind.CHILD_IDENTIFIER, match.start(), match.end(), match[0])


def _identifiers_written(text: str, lookup: _ChildLookup) -> list[str]:
    """The identifiers written in the text, whatever spaces or hyphens are between their
    characters and in any case."""
    lowered = detectors.lowered(text)
    if lookup.any_identifier_lowered is not None and lowered and detectors.lowers_as_it_folds(text):
        if not lookup.any_identifier_lowered.search(lowered):
            return []
        pairs = zip(lookup.identifiers, lookup.each_identifier_lowered, strict=True)
        return [value for value, spaced in pairs if spaced.search(lowered)]
    compact = _SEPARATORS.sub("", text).lower()
    if lookup.any_identifier is None or not lookup.any_identifier.search(compact):
        return []
    return [value for value in lookup.identifiers if value in compact]


def _unescaped_words(pattern: re.Pattern[str]) -> list[str]:
    """The words of a pattern made by `_words`."""
    body = pattern.pattern.removeprefix(_BEFORE_WORD).removesuffix(_AFTER_WORD)
    return [re.sub(r"\\(.)", r"\1", word) for word in body.split(r"\s+")]


def _children(text: str, rules: Rules) -> Iterator[Match]:
    lookup = _lookup_for(rules.children)
    yield from _name_matches(text, lookup)
    yield from _identifier_matches(text, lookup)


# --- Putting it together --------------------------------------------------------------------

_GENERAL: list[Callable[[str], Iterator[Match]]] = [
    _nhs_numbers,
    _pattern(Kind.UPN, _UPN),
    _postcodes,
    _phones,
]


def _spans(kind: Kind, text: str, spans: Iterable[tuple[int, int]]) -> Iterator[Match]:
    for start, end in spans:
        yield Match(kind, start, end, text[start:end])


def _undisclosed(text: str, rules: Rules) -> Iterator[Match]:
    """What the audit was never told: other people's names, addresses and named settings
    (see `maca.reports.disclosure_detectors`; police and case references, which have digits,
    are in `_with_digits`)."""
    allowed = rules.allowed_names
    yield from _spans(Kind.ADDRESS, text, detectors.address_spans(text, allowed))
    yield from _spans(Kind.NAMED_SETTING, text, detectors.setting_spans(text, allowed))
    yield from _spans(Kind.PERSON_NAME, text, detectors.person_name_spans(text, allowed))


_ANY_DIGIT = re.compile(r"\d")


def find_matches(text: str, rules: Rules, *, free_text: bool = True) -> list[Match]:
    """Every match in `text`, the most specific kind kept where matches overlap.

    `free_text` is False for sentences the system writes from dates and counts (due dates,
    "three children"): those are checked for the children and identifiers, but their dates
    and counts are not a person's choice of words, so they are not flagged as such.
    """
    return matches_in_each([text], rules, free_text=free_text)[0]


def matches_in_each(
    texts: Sequence[str], rules: Rules, *, free_text: bool = True
) -> list[list[Match]]:
    """`find_matches` for each of `texts`, read together: every rule over all of them, then
    the rules for what has digits (dates, NHS numbers, references …) over those with digits."""
    found: list[list[Match]] = [[] for _ in texts]
    everything = range(len(texts))
    with_digits = [index for index in everything if _ANY_DIGIT.search(texts[index])]
    try:
        for indices, rules_for in ((everything, _without_digits), (with_digits, _with_digits)):
            for batch in _batches(texts, indices):
                starts = list(
                    itertools.accumulate((len(texts[i]) + 1 for i in batch[:-1]), initial=0)
                )
                joined = detectors.BOUNDARY.join(texts[index] for index in batch)
                for match in rules_for(joined, rules, free_text):
                    position = bisect.bisect_right(starts, match.start) - 1
                    offset = starts[position]
                    # (Made anew: `dataclasses.replace` costs more, for thousands of matches.)
                    found[batch[position]].append(
                        Match(match.kind, match.start - offset, match.end - offset, match.text)
                    )
    finally:
        detectors.forget_texts()
    return [_most_specific(candidates) if candidates else [] for candidates in found]


def _batches(texts: Sequence[str], indices: Iterable[int]) -> list[list[int]]:
    """The texts read together, and on its own any that holds the boundary itself (it
    cannot come from a form)."""
    together = [index for index in indices if detectors.BOUNDARY not in texts[index]]
    alone = [[index] for index in indices if detectors.BOUNDARY in texts[index]]
    return [together, *alone] if together else alone


def _most_specific(candidates: list[Match]) -> list[Match]:
    kept: list[Match] = []
    for match in sorted(candidates, key=lambda m: (_PRIORITY[m.kind], m.start, -m.end)):
        if not any(match.start < other.end and other.start < match.end for other in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: (m.start, m.end))


def _without_digits(text: str, rules: Rules, free_text: bool) -> list[Match]:
    """The rules that can match text without digits."""
    candidates: list[Match] = [*_children(text, rules)]
    if "@" in text:
        candidates.extend(_pattern(Kind.EMAIL, _EMAIL)(text))
    candidates.extend(_undisclosed(text, rules))
    if free_text:
        candidates.extend(_small_numbers(text))
    return candidates


def _with_digits(text: str, rules: Rules, free_text: bool) -> list[Match]:
    """The rules whose every match has a digit: dates, NHS numbers, UPNs, postcodes, phone
    numbers, police and case references."""
    candidates: list[Match] = [*_dates(text, rules, free_text)]
    for find in _GENERAL:
        candidates.extend(find(text))
    candidates.extend(_spans(Kind.POLICE_REFERENCE, text, detectors.police_reference_spans(text)))
    candidates.extend(_spans(Kind.CASE_REFERENCE, text, detectors.case_reference_spans(text)))
    return candidates


def context_of(text: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> tuple[str, str]:
    """About `chars` characters either side of a match, cut at a space, with an ellipsis where
    the text goes on."""
    before = text[max(0, start - chars) : start]
    after = text[end : end + chars]
    if start - chars > 0:
        before = "…" + before[before.find(" ") + 1 :] if " " in before else "…" + before
    if end + chars < len(text):
        after = after[: after.rfind(" ")] + "…" if " " in after else after + "…"
    return before, after


def normalised(kind: Kind, text: str) -> str:
    """The same match written differently (spacing, case) counts as the same match."""
    if kind in {Kind.NHS_NUMBER, Kind.PHONE}:
        return re.sub(r"\D", "", text)
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Source:
    """One piece of text a reader will see, and where it comes from."""

    key: str  # stable: "finding:12:text", "$.findings[3].text"
    label: str  # for people: "Finding 3 'Health assessments late': What we found"
    text: str
    free_text: bool = True
    edit_url: str = ""
    log_label: str = ""  # when `label` quotes the text: the same place without the quote


def matches_by_text(
    texts: Iterable[tuple[str, bool]], rules: Rules
) -> dict[tuple[str, bool], list[Match]]:
    """The matches in each (text, free text or not): an export repeats many strings (labels,
    grades, agency names), so each is read once, and all of them together."""
    seen: dict[tuple[str, bool], list[Match]] = {}
    distinct = list(dict.fromkeys(key for key in texts if key[0]))
    for free_text in (True, False):
        batch = [text for text, free in distinct if free == free_text]
        if batch:
            matches = matches_in_each(batch, rules, free_text=free_text)
            seen.update(
                ((text, free_text), found) for text, found in zip(batch, matches, strict=True)
            )
    return seen


def scan(sources: Sequence[Source], rules: Rules) -> list[Hit]:
    return hits_in(sources, matches_by_text(((s.text, s.free_text) for s in sources), rules))


def hits_in(sources: Iterable[Source], seen: dict[tuple[str, bool], list[Match]]) -> list[Hit]:
    """Each source's matches (from `matches_by_text`) as hits, where they stand."""
    hits = []
    for source in sources:
        for match in seen.get((source.text, source.free_text), ()):
            before, after = context_of(source.text, match.start, match.end)
            hits.append(
                Hit(
                    kind=match.kind,
                    matched=match.text,
                    start=match.start,
                    end=match.end,
                    before=before,
                    after=after,
                    location=source.label,
                    location_key=source.key,
                    edit_url=source.edit_url,
                    log_label=source.log_label,
                )
            )
    return hits
