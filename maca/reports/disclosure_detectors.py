"""Rules for identifying details the audit was never told about: other people's names, street
addresses, named schools and other settings, police references and case or referral numbers.

The audit knows its own children (their names, dates of birth and identifiers); a sibling's
name, the family's street or the child's school identifies a child as surely. These rules find
them from their shape and from open word lists (see `disclosure_data/PROVENANCE.md`), never
from the audit's records. Each returns spans; `maca.reports.disclosure` turns them into hits.

Names the partnership uses for itself are not hits: its agencies, the partnership, the earlier
reviews the audit links to ("Georgia" is the review, not a child), and the tool's own words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

DATA = Path(__file__).parent / "disclosure_data"

Span = tuple[int, int]


# --- Word lists -----------------------------------------------------------------------------


def _read_list(name: str) -> frozenset[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@functools.cache
def given_names() -> frozenset[str]:
    return _read_list("given_names.txt")


@functools.cache
def surnames() -> frozenset[str]:
    return _read_list("surnames.txt")


@functools.cache
def name_words() -> frozenset[str]:
    """Names that are also ordinary words ("Grace", "Hall"): a name only where the sentence
    shows it is one."""
    return _read_list("name_words.txt") | MONTHS_AND_DAYS


@functools.cache
def not_names() -> frozenset[str]:
    """Capitalised words that are never taken for a person on their own: places, the tool's
    and the partnership's vocabulary, months and days."""
    return _read_list("not_names.txt") | MONTHS_AND_DAYS


MONTHS_AND_DAYS = frozenset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    """.split()  # noqa: SIM905 (one word a month or day reads better than 19 quoted strings)
)


# --- Tokens ---------------------------------------------------------------------------------

# A capitalised word: "Jamie", "O'Brien", "McDonald", "Smith-Jones", "Zoë".
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĪĮİŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŲŹŻŽ"
_LOWER = "a-zß-öø-ÿāăąćčďđēėęěğīįıłńňōőœřśşšţťūůűųźżž"
_NAME = (
    rf"[{_UPPER}][{_LOWER}]*(?:['’][{_UPPER}]?[{_LOWER}]+|[{_UPPER}][{_LOWER}]+)*"
    rf"(?:-[{_UPPER}][{_LOWER}]+)*"
)
_CAPITALISED = re.compile(rf"(?<![\w'’-]){_NAME}(?![\w'’-])")
_POSSESSIVE = re.compile(r"['’]s$")


def _bare(word: str) -> str:
    return _POSSESSIVE.sub("", word).casefold()


def _is_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:;\n•*-–—"


# --- Allowed names --------------------------------------------------------------------------


def allowed_spans(text: str, allowed: Iterable[str]) -> list[Span]:
    """Where the partnership's own names (agencies, reviews, the partnership) stand."""
    pattern = _allowed_pattern(tuple(allowed))
    return [match.span() for match in pattern.finditer(text)] if pattern else []


@functools.lru_cache(maxsize=16)
def _allowed_pattern(allowed: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for all the names, longest first, compiled once for every text."""
    phrases = sorted({" ".join(phrase.split()) for phrase in allowed if phrase.split()}, key=len)
    if not phrases:
        return None
    bodies = [r"\s+".join(map(re.escape, phrase.split())) for phrase in reversed(phrases)]
    return re.compile(rf"(?<![\w-])(?:{'|'.join(bodies)})(?:['’]s)?(?![\w-])", re.IGNORECASE)


def _inside(span: Span, spans: Iterable[Span]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def _overlaps(span: Span, spans: Iterable[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


# --- People's names -------------------------------------------------------------------------

_HONORIFIC = (
    r"(?:Mrs|Mr|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Revd|Rev|Cllr|Councillor|PC|DC|DS|DI|Sgt|"
    r"Sergeant|Constable|Detective\s+Constable|Detective\s+Sergeant|Nurse|Sister)\.?"
)
_RELATION = (
    r"(?:mum|mummy|mom|mother|dad|daddy|father|step-?mum|step-?mother|step-?dad|step-?father|"
    r"brother|sister|half-brother|half-sister|step-brother|step-sister|stepbrother|stepsister|"
    r"sibling|twin|grandmother|grandfather|grandma|grandad|granddad|grandpa|gran|nan|nana|nanna|"
    r"nanny|grandparent|aunt|auntie|aunty|uncle|cousin|niece|nephew|carer|foster\s+carer|"
    r"kinship\s+carer|special\s+guardian|guardian|partner|ex-partner|boyfriend|girlfriend|"
    r"husband|wife|fianc[ée]e?|son|daughter|baby|friend|neighbour|lodger|"
    r"social\s+worker|teacher|headteacher|head\s+teacher|health\s+visitor|midwife|GP|"
    r"school\s+nurse|key\s*worker|youth\s+worker|support\s+worker|family\s+support\s+worker|"
    r"personal\s+adviser|mentor|advocate|childminder|officer|practitioner|manager|"
    r"paediatrician|psychiatrist|psychologist|therapist|counsellor|consultant|SENCo|DSL|"
    r"named|called|known\s+as|aka|alias)"
)
_OWNER = (
    r"(?:(?:his|her|their|the|a|an|its|child's|child’s|young\s+person's|mother's|father's)\s+)?"
)
_ADJECTIVE = (
    r"(?:(?:older|elder|younger|little|big|baby|twin|new|former|then|allocated|maternal|"
    r"paternal|eldest|youngest|own|current|previous|birth|adult|teenage|half|step|school)"
    r"\s+){0,2}"
)
_GIVEN_THEN_SURNAME = rf"{_NAME}(?:\s+{_NAME})?(?!\w)"

_AFTER_HONORIFIC = re.compile(
    rf"(?<![\w-]){_HONORIFIC}\s+(?P<name>(?:[A-Z]\.\s*)*{_GIVEN_THEN_SURNAME})"
)
_AFTER_RELATION = re.compile(
    rf"(?<![\w-]){_RELATION}(?:['’]s)?(?:,|\s+\(|\s+-|\s+–)?\s+"
    rf"(?P<name>(?-i:{_GIVEN_THEN_SURNAME}))",
    re.IGNORECASE,
)
# "Sharon (mum)", "Jamie, her older brother,", "Amelia's father"
_BEFORE_RELATION = re.compile(
    rf"(?P<name>{_GIVEN_THEN_SURNAME})(?:(?:['’]s)?\s*(?:,|\(|-|–)\s*{_OWNER}|['’]s\s+)"
    rf"{_ADJECTIVE}{_RELATION}\b"
)
# Words that say a person did something: "Jamie said", "Kacper was not seen".
_PERSON_VERB = re.compile(
    r"^(?:['’]s\b|\s+(?:said|says|told|tells|was|is|has|had|did|does|disclosed|reported|"
    r"explained|described|stated|shared|felt|feels|wanted|wants|went|goes|lives|lived|moved|"
    r"attended|attends|stayed|stays|ran|left|returned|refused|declined|agreed|missed|became|"
    r"started|stopped|continued|remained|would|could|should|will|and\s+(?:her|his|their)|"
    r"\(\s*(?:aged?\s+)?\d))"
)


def _clean_name_span(text: str, start: int, end: int) -> Span:
    """Drop a trailing possessive so that "Sharon's" is the name "Sharon"."""
    word = text[start:end]
    match = _POSSESSIVE.search(word)
    return (start, end - (len(match[0]) if match else 0))


def _is_listed(word: str) -> bool:
    """In the given-name or surname list, or a double name made of listed names ("Ellie-Mae",
    "Smith-Jones")."""
    bare = _bare(word)
    parts = bare.split("-")
    return any(part in given_names() or part in surnames() for part in {bare, *parts})


def _is_plain_word(word: str) -> bool:
    """A word the sentence could just as well mean as an ordinary word or a place."""
    bare = _bare(word)
    return bare in name_words() or bare in not_names()


# The words of the honorifics and of the relationship words: a text with none of them is not
# searched with the longer patterns.
_HONORIFIC_WORDS = frozenset(re.findall(r"[A-Za-z]{2,}", _HONORIFIC))
_RELATION_WORDS = frozenset(re.findall(r"[a-z]{2,}", _RELATION.casefold()))
_LETTERS = re.compile(r"[A-Za-z]{2,}")


def _context_patterns(text: str) -> Iterator[tuple[re.Pattern[str], bool]]:
    words = set(_LETTERS.findall(text))
    if words & _HONORIFIC_WORDS:
        yield _AFTER_HONORIFIC, False
    if {word.casefold() for word in words} & _RELATION_WORDS:
        yield _AFTER_RELATION, True
        yield _BEFORE_RELATION, True


def _context_name_spans(text: str, allowed: list[Span]) -> Iterator[Span]:
    for pattern, case_matters in _context_patterns(text):
        for match in pattern.finditer(text):
            start, end = match.span("name")
            first = text[start:end].split()[0]
            if case_matters and not first[:1].isupper():
                continue
            span = _clean_name_span(text, start, end)
            if _overlaps(span, allowed):
                continue
            words = text[span[0] : span[1]].split()
            # After "mum" or "the social worker" a name is a name even when it is also a
            # word, but not a word that is only a word ("the social worker Team").
            if case_matters and all(_bare(word) in not_names() for word in words):
                continue
            yield span


def _listed_name_spans(text: str, allowed: list[Span]) -> Iterator[Span]:
    """Capitalised words the name lists hold, joined with a neighbouring name ("Jamie Smith")."""
    tokens = [match for match in _CAPITALISED.finditer(text)]
    index = 0
    while index < len(tokens):
        run = [tokens[index]]
        while (
            index + len(run) < len(tokens)
            and text[run[-1].end() : tokens[index + len(run)].start()] == " "
            and len(run) < 3
        ):
            run.append(tokens[index + len(run)])
        index += 1
        first = run[0]
        if index > 1 and text[tokens[index - 2].end() : first.start()] == " ":
            continue  # the middle of a run of capitalised words was judged with its start
        span = _judge_run(text, run, allowed)
        if span is not None:
            index += len(run) - 1
            yield span


def _judge_run(text: str, run: list[re.Match[str]], allowed: list[Span]) -> Span | None:
    """A run of up to three capitalised words: a name if it holds a listed name that is not
    also an ordinary word, or a listed word-name next to another name or followed by what a
    person does."""
    words = [token[0] for token in run]
    listed = [_is_listed(word) for word in words]
    plain = [_is_plain_word(word) for word in words]
    sure = [is_listed and not is_plain for is_listed, is_plain in zip(listed, plain, strict=True)]
    chosen: list[int] = []
    for position, token in enumerate(run):
        if _inside(token.span(), allowed) or _bare(words[position]) in not_names():
            continue
        if sure[position]:
            chosen.append(position)
        elif listed[position]:
            neighbours = [p for p in (position - 1, position + 1) if 0 <= p < len(run)]
            followed = _PERSON_VERB.match(text[token.end() : token.end() + 30])
            month_or_day = _bare(words[position]) in MONTHS_AND_DAYS
            if any(sure[p] for p in neighbours) or (followed and not month_or_day):
                chosen.append(position)
    if not chosen:
        return None
    start = run[min(chosen)].start()
    return _clean_name_span(text, start, run[max(chosen)].end())


def person_name_spans(text: str, allowed_names: Iterable[str] = ()) -> list[Span]:
    if not _CAPITALISED.search(text):
        return []
    allowed = allowed_spans(text, (*allowed_names, *TOOL_PHRASES))
    spans = [*_context_name_spans(text, allowed), *_listed_name_spans(text, allowed)]
    return _merged(spans)


def _merged(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# The tool's and the safeguarding system's own proper names, which are not people.
TOOL_PHRASES = (
    "Working Together",
    "Signs of Safety",
    "Graded Care Profile",
    "Was Not Brought",
    "Early Help",
    "Child in Need",
    "Children in Need",
    "Child Protection",
    "Looked After",
    "Team Around the Family",
    "Team Around the Child",
    "Operation Encompass",
    "Think Family",
    "Family Hub",
    "Virtual School",
    "Section 47",
    "Section 17",
    "Section 20",
)


# --- Street addresses -----------------------------------------------------------------------

_STREET_WORD = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Cl|Drive|Dr|Way|Court|Ct|Crescent|Cres|"
    r"Place|Pl|Gardens|Gdns|Grove|Terrace|Walk|Hill|Row|Square|Sq|Mews|Park|View|Rise|Green|"
    r"Parade|Vale|Gate|Croft|Fold|Wharf|Quay|Broadway|Boulevard|Embankment|Chase|Meadow|"
    r"Meadows|Crossing|Approach|Circus|Yard)"
)
_BUILDING_WORD = (
    r"(?:House|Tower|Towers|Court|Flats|Mansions|Lodge|Cottages|Villas|Buildings|Heights|"
    r"Point|Block|Estate|Hall)"
)
_STREET_NAME = (
    r"(?:(?:St\.?|Saint|Old|New|Upper|Lower|Great|Little|North|South|East|West|"
    r"[A-Z][a-z'’-]+)\s+){1,3}"
)
_AFTER_PREPOSITION = "|".join(
    rf"(?<=\b{word}\s)" for word in ("on", "in", "at", "to", "from", "off", "near", "of")
)
_ADDRESS = re.compile(
    rf"(?:(?<![\w-])(?:Flat|Apartment|Apt|Unit|Room|Maisonette)\.?\s+\d{{1,4}}[A-Za-z]?,?\s+"
    rf"(?:{_STREET_NAME}(?:{_STREET_WORD}|{_BUILDING_WORD})|[A-Z][a-z]+)"
    rf"|(?<![\w/.-])\d{{1,4}}[A-Za-z]?(?:\s*[-–]\s*\d{{1,4}})?,?\s+{_STREET_NAME}"
    rf"(?:{_STREET_WORD}|{_BUILDING_WORD})"
    # "4 The Paddocks", "12 The Green"
    r"|(?<![\w/.-])\d{1,4}[A-Za-z]?,?\s+The\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?"
    rf"|(?:{_AFTER_PREPOSITION}){_STREET_NAME}"
    r"(?:Road|Street|Avenue|Lane|Close|Crescent|Drive|Terrace|Grove|Gardens|Mews)"
    r")(?![\w-])"
)


# Cheap signs that an address may be there, looked for before the full pattern.
_ADDRESS_HINT = re.compile(
    r"\d|Road|Street|Avenue|Lane|Close|Crescent|Drive|Terrace|Grove|Gardens|Mews"
)


def address_spans(text: str, allowed_names: Iterable[str] = ()) -> list[Span]:
    if not _ADDRESS_HINT.search(text):
        return []
    spans = [match.span() for match in _ADDRESS.finditer(text)]
    if not spans:
        return []
    allowed = allowed_spans(text, allowed_names)
    return [span for span in spans if not _inside(span, allowed)]


# --- Named schools, nurseries, colleges and children's homes --------------------------------

_SETTING_WORD = (
    r"(?:(?:Primary|Secondary|Infant|Infants|Junior|High|Grammar|Special|Free|Community|"
    r"Middle|Prep|Preparatory|Independent|Church\s+of\s+England|C\s+of\s+E|CE|CofE|RC|"
    r"Catholic|Methodist|Academy)\s+)*"
    r"(?:School|Academy|Nursery|Pre-?school|Playgroup|College|Sixth\s+Form|Children['’]s\s+Home|"
    r"Childrens\s+Home|Children['’]s\s+Centre|Family\s+Centre|Pupil\s+Referral\s+Unit|PRU|"
    r"Day\s+Nursery|Kindergarten|Montessori|Primary|Infants|Juniors|High)"
)
_SETTING_NAME_WORD = r"(?:St\.?|Saint|Our\s+Lady|The|[A-Z][\w'’-]*|of|the|and|&)"
_NAMED_SETTING = re.compile(
    rf"(?<![\w-])(?P<name>(?:{_SETTING_NAME_WORD}\s+){{0,4}}[A-Z][\w'’-]*)\s+"
    rf"(?P<setting>{_SETTING_WORD})(?![\w-])",
    re.IGNORECASE,
)
# Capitalised words that only describe a setting and name none.
GENERIC_SETTING_WORDS = frozenset(
    """
    a an the his her their its our this that each every any all both either new same previous
    current former local private mainstream independent special residential virtual secondary
    primary infant infants junior juniors high further higher early years year sixth form
    designated safeguarding lead head teacher teachers deputy send sen alternative provision
    ofsted dfe la local authority catholic church england rc ce c of e community free grammar
    middle prep day one two three four five six seven eight nine ten several some many most
    other another whole nursery school schools college academy children's childrens home
    """.split()  # noqa: SIM905 (a word list reads better as words)
)


def _names_a_setting(name: str) -> bool:
    words = [word for word in re.split(r"\s+", name) if word]
    return any(
        word[:1].isupper()
        and _bare(word).strip(".") not in GENERIC_SETTING_WORDS
        and not (word.isupper() and len(word) > 1)
        for word in words
    )


_CONNECTORS = frozenset({"of", "the", "and", "&"})


def _name_start(text: str, start: int, end: int) -> int:
    """Where the run of capitalised words (joined by "of", "the", "and") that ends at `end`
    begins: "designated lead at St Mary's" gives "St Mary's"."""
    words = list(re.finditer(r"\S+", text[start:end]))
    first = len(words)
    for index in range(len(words) - 1, -1, -1):
        word = words[index][0]
        if word[:1].isupper() or (word.casefold() in _CONNECTORS and index < first):
            first = index
            continue
        break
    while first < len(words) and words[first][0].casefold() in _CONNECTORS:
        first += 1
    return start + words[first].start() if first < len(words) else end


def _owner_only(name: str) -> bool:
    """ "Harvey's school" is whose school, not its name ("St Mary's" is a name)."""
    return len(name.split()) == 1 and bool(_POSSESSIVE.search(name))


_SETTING_HINT = re.compile(
    r"school|academy|nurser|playgroup|college|sixth\s+form|home|centre|PRU|referral\s+unit|"
    r"kindergarten|montessori|primary|infants|juniors|high",
    re.IGNORECASE,
)


def setting_spans(text: str, allowed_names: Iterable[str] = ()) -> list[Span]:
    if not _SETTING_HINT.search(text):
        return []
    spans = [span for span in _setting_candidates(text)]
    if not spans:
        return []
    allowed = allowed_spans(text, allowed_names)
    return [span for span in spans if not _inside(span, allowed)]


def _setting_candidates(text: str) -> Iterator[Span]:
    for match in _NAMED_SETTING.finditer(text):
        start = _name_start(text, match.start("name"), match.end("name"))
        name = text[start : match.end("name")]
        # The name must start with a capital, as names do ("went to school" is no name).
        if start >= match.end("name") or not _names_a_setting(name) or _owner_only(name):
            continue
        # "Track school moves": a sentence's first word before a lower-case setting word.
        if (
            not match["setting"][:1].isupper()
            and len(name.split()) == 1
            and _is_sentence_start(text, start)
        ):
            continue
        yield (start, match.end())


# --- Police and case references -------------------------------------------------------------

# Capitals, digits and separators only, with at least three digits in a row.
_REFERENCE_BODY = r"(?P<ref>(?-i:(?=[A-Z0-9/*-]*\d{3})[A-Z0-9][A-Z0-9/*-]*\d[A-Z0-9/*-]*))(?![\w-])"
_POLICE_KEY = (
    r"(?:crime|incident|occurrence|CAD|log|STORM|Niche|Athena|police|PNC|CRN|URN|custody|"
    r"arrest|PPN|VPA|MERLIN|Merlin|domestic\s+abuse\s+notification)"
)
_CASE_KEY = (
    r"(?:case|referral|file|record|Mosaic|LCS|EHM|Liquidlogic|Eclipse|Azeus|ContrOCC|"
    r"Capita|SystmOne|EMIS|RiO|Rio|CP|CIN|LAC|CLA|MASH|contact|assessment|plan|client|"
    r"person|child|account|court)"
)
_KEY_TAIL = r"s?(?:\s+(?:ref(?:erence)?s?|nos?|numbers?|num|IDs?|#)\.?)?(?:\s*(?:is|was|:|=|-))?\s*"
_POLICE_KEYED = re.compile(rf"(?<![\w-]){_POLICE_KEY}{_KEY_TAIL}{_REFERENCE_BODY}", re.IGNORECASE)
_CASE_KEYED = re.compile(
    rf"(?<![\w-])(?:{_CASE_KEY}{_KEY_TAIL}|(?:ref(?:erence)?s?|nos?|numbers?|IDs?)\.?(?:\s*:)?\s+)"
    rf"{_REFERENCE_BODY}",
    re.IGNORECASE,
)
# Shapes police forces use without a label: 44/123456/22, CR/0123456/22, 22*123456.
_POLICE_SHAPE = re.compile(
    r"(?<![\w/-])(?:\d{2}[A-Z]{0,3}/\d{4,8}[A-Z]?/\d{2,4}|[A-Z]{2,4}/\d{5,8}/\d{2,4}"
    r"|\d{2}\*\d{5,8}|\d{2}[A-Z]{2}\d{6,10})(?![\w/-])"
)
# Shapes of case or referral numbers: MASH-2022-0412, CP/2021/0117, REF-123456.
_CASE_SHAPE = re.compile(
    r"(?<![\w/-])[A-Z]{2,6}[-/]\d{2,4}[-/]\d{3,7}(?![\w/-])|(?<![\w/-])[A-Z]{2,6}-\d{5,9}(?![\w/-])"
)
_YEAR_OR_SMALL = re.compile(r"^(?:19[5-9]\d|20[0-4]\d)(?:s|/\d\d)?$|^\d{1,3}$")


def _reference_spans(pattern: re.Pattern[str], text: str) -> Iterator[Span]:
    for match in pattern.finditer(text):
        value = match["ref"].rstrip("/-*")
        if _YEAR_OR_SMALL.match(value) or sum(ch.isdigit() for ch in value) < 4:
            continue
        yield (match.start("ref"), match.start("ref") + len(value))


_DIGIT = re.compile(r"\d")


def police_reference_spans(text: str) -> list[Span]:
    if not _DIGIT.search(text):
        return []
    spans = [*_reference_spans(_POLICE_KEYED, text)]
    spans.extend(match.span() for match in _POLICE_SHAPE.finditer(text))
    return _merged(spans)


def case_reference_spans(text: str) -> list[Span]:
    if not _DIGIT.search(text):
        return []
    spans = [*_reference_spans(_CASE_KEYED, text)]
    spans.extend(match.span() for match in _CASE_SHAPE.finditer(text))
    return _merged(spans)
