"""Rules for identifying details the audit was never told about: other people's names, street
addresses, named schools and other settings, police references and case or referral numbers.

The audit knows its own children (their names, dates of birth and identifiers); a sibling's
name, the family's street or the child's school identifies a child as surely. These rules find
them from their shape and from open word lists (see `disclosure_data/PROVENANCE.md`), never
from the audit's records. Each returns spans; `maca.reports.disclosure` turns them into hits.

Names the partnership uses for itself are not hits: its agencies, the partnership, the earlier
reviews the audit links to ("Georgia" is the review, not a child), and the tool's own words.

A whole-audit export holds thousands of texts, so the scanner joins them with `BOUNDARY` and
reads them as one: no rule matches across it, and a rule that looks around a match stops at
it. Patterns that ignore case are slow in Python's engine, so where one would run over the
whole text, a case-sensitive search of the lower-cased text finds where a match can start
(`starts_in_lowered`) and the exact pattern is tried only there.
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
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
# Its runs of small letters are possessive (`*+`, `++`): wherever a name is used, what follows
# it is never a small letter, so giving some back could never make a match, and the engine no
# longer tries to, letter by letter, at each of the thousands of capitals that start no match.
_NAME = (
    rf"[{_UPPER}][{_LOWER}]*+(?:['’][{_UPPER}]?[{_LOWER}]++|[{_UPPER}][{_LOWER}]++)*"
    rf"(?:-[{_UPPER}][{_LOWER}]++)*"
)
_CAPITALISED = re.compile(rf"(?<![\w'’-]){_NAME}(?![\w'’-])")
_POSSESSIVE = re.compile(r"['’]s$")


# Between the texts of a batch read at once: no pattern matches it (it is neither a word
# character, a space nor punctuation a pattern looks for), so no match runs from one text
# into the next.
BOUNDARY = "\x00"


@functools.lru_cache(maxsize=4096)
def _bare(word: str) -> str:
    return _POSSESSIVE.sub("", word).casefold()


def _is_sentence_start(text: str, start: int) -> bool:
    """Nothing but opening quotes and brackets between the start of the sentence (or of the
    text) and `start`."""
    index = start
    while index > 0 and text[index - 1] in " \t\"'“‘(":
        index -= 1
    return index == 0 or text[index - 1] in ".!?:;\n•*-–—" + BOUNDARY


@functools.lru_cache(maxsize=4)
def _lowered(text: str) -> str | None:
    """The text in lower case, for the searches that would otherwise ignore case; None when
    lower-casing changes its length (a few letters outside English), as positions would no
    longer line up. Kept for the few texts of the check under way."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else None


def lowered(text: str) -> str | None:
    """The text in lower case, as the searches that ignore case read it; None when positions
    in it would not line up with the text's."""
    return _lowered(text)


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def lowers_as_it_folds(text: str) -> bool:
    """Whether each character of the text, in lower case, is what case-folding makes of it,
    and is a word character (`\\w`) just where the character is: then words compared
    case-folded can be looked for in the text in lower case. Only a few letters fail ("ß"
    folds to "ss", the Greek capital sigma lowers by what follows it); every character in
    ASCII passes."""
    return all(map(_lowers_as_it_folds, set(_NOT_ASCII.findall(text))))


@functools.lru_cache(maxsize=1024)
def _lowers_as_it_folds(char: str) -> bool:
    lower = char.lower()
    # (A capital sigma lowers to "σ" or "ς" by what follows it, so not always as here.)
    return lower == char.casefold() and lower.isalnum() == char.isalnum() and char != "Σ"


def forget_texts() -> None:
    """Let go of the texts kept while a check reads them (a whole export's are megabytes)."""
    _lowered.cache_clear()
    _allowed_spans.cache_clear()


def lowered_pattern(source: str) -> re.Pattern[str]:
    """A pattern written to ignore case, for lower-cased text: its letters in lower case. An
    upper-case escape (\\S, \\W …) would change its meaning, and a negated set of letters
    would refuse what it allowed, so neither may be in it."""
    if re.search(r"\\[SWDBAZ]|\[\^[^\]]*[A-Za-z]", source):
        raise ValueError(f"cannot lower-case this pattern: {source}")
    lowered = source.lower().replace("(?p<", "(?P<").replace("(?p=", "(?P=")
    return re.compile(lowered)


@functools.lru_cache(maxsize=64)
def _lowered_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    if "(?-i:" in pattern.pattern:
        raise ValueError(f"the pattern does not ignore case throughout: {pattern.pattern}")
    return lowered_pattern(pattern.pattern)


def matches_ignoring_case(text: str, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern that ignores case throughout, as a search of
    the text in lower case, which Python's engine does several times faster. The matches and
    their groups stand where they would in `text`, but hold the lower-cased text: read what
    they matched from `text`."""
    lowered = _lowered(text)
    if lowered is None:
        yield from pattern.finditer(text)
    else:
        yield from _lowered_twin(pattern).finditer(lowered)


@functools.lru_cache(maxsize=64)
def _lowered_starts(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """Every place where `pattern` could start in the text, found in the text lower-cased:
    the whole pattern in lower case as a lookahead, so that places that overlap are all
    found. Where the pattern matches, this does; it may match where the pattern does not
    (where the pattern needs a capital), so each place is then tried with the pattern.
    Each match of the pattern starts a word, so that is asked first, outside the lookahead:
    inside a word, most places, the search then gives up without entering it."""
    if not pattern.pattern.startswith(_WORD_START):
        raise ValueError(f"the pattern does not start a word: {pattern.pattern}")
    return lowered_pattern(f"{_WORD_START}(?=(?:{pattern.pattern}))")


_WORD_START = r"(?<![\w-])"


def starts_in_lowered(text: str, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern that ignores case and whose every match starts
    a word (it starts with `_WORD_START` and has no choice outside a group), by a search of
    the text in lower case for the places it could start (`_lowered_starts`), each tried in
    turn as finditer would."""
    lowered = _lowered(text)
    if lowered is None:
        yield from pattern.finditer(text)
        return
    resume = 0
    for start in _lowered_starts(pattern).finditer(lowered):
        if start.start() < resume:
            continue
        match = pattern.match(text, start.start())
        if match is not None:
            resume = match.end()
            yield match


# --- Allowed names --------------------------------------------------------------------------


class AllowedSpans:
    """Where the partnership's own names (agencies, reviews, the partnership) stand in a text,
    found one piece of it (between two `BOUNDARY`s) at a time, when a rule first asks about a
    place in that piece. The rules ask about a few thousand places in a batch of megabytes:
    searching the whole batch for the names cost more than searching the pieces asked about.
    As no name matches across a boundary, each piece holds just what a search of the whole
    would find there (a name holding the boundary itself is searched for in the whole)."""

    def __init__(self, text: str, allowed: tuple[str, ...]) -> None:
        lowered = _lowered(text)
        self._text = text
        self._searched = text if lowered is None else lowered
        self._pattern = _allowed_pattern(allowed, lowered is not None)
        self._in_pieces = not any(BOUNDARY in phrase for phrase in allowed)
        self._by_piece: dict[int, list[Span]] = {}

    def inside(self, span: Span) -> bool:
        """Within one of the names."""
        return _inside(span, self._spans_around(span[0]))

    def overlaps(self, span: Span) -> bool:
        """Overlapping one of the names."""
        return _overlaps(span, self._spans_around(span[0]))

    def _spans_around(self, position: int) -> list[Span]:
        """The names in the piece of the text that holds `position`, in order and not
        overlapping (as `_inside` and `_overlaps` need)."""
        start, end = 0, len(self._text)
        if self._in_pieces:
            start = self._text.rfind(BOUNDARY, 0, position) + 1
        spans = self._by_piece.get(start)
        if spans is None:
            if self._in_pieces and (found := self._text.find(BOUNDARY, position)) >= 0:
                end = found
            search = self._pattern.finditer(self._searched, start, end) if self._pattern else ()
            spans = self._by_piece[start] = [match.span() for match in search]
        return spans


def allowed_spans(text: str, allowed: Iterable[str]) -> AllowedSpans:
    """Where the partnership's own names (agencies, reviews, the partnership) stand."""
    return _allowed_spans(text, tuple(allowed))


@functools.lru_cache(maxsize=4)
def _allowed_spans(text: str, allowed: tuple[str, ...]) -> AllowedSpans:
    # Kept for the text under way: three rules ask for the same names in the same text.
    return AllowedSpans(text, allowed)


@functools.lru_cache(maxsize=16)
def _allowed_pattern(allowed: tuple[str, ...], for_lowered: bool) -> re.Pattern[str] | None:
    """One pattern for all the names, longest first, compiled once for every text: in any
    case, or in lower case for lower-cased text."""
    phrases = sorted({" ".join(phrase.split()) for phrase in allowed if phrase.split()}, key=len)
    if not phrases:
        return None
    if not for_lowered:
        bodies = [_phrase_body(phrase) for phrase in reversed(phrases)]
        source = rf"(?<![\w-])(?:{'|'.join(bodies)})(?:['’]s)?(?![\w-])"
        return re.compile(source, re.IGNORECASE)
    # In lower case no two first characters match the same one, so the names can be grouped
    # by theirs (still longest first within each): the engine then tries one group where a
    # name could start, not every name.
    groups: dict[str, list[str]] = {}
    for phrase in reversed([phrase.lower() for phrase in phrases]):
        first = re.escape(phrase[0])
        groups.setdefault(first, []).append(_phrase_body(phrase).removeprefix(first))
    choices = "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items())
    return re.compile(rf"(?<![\w-])(?:{choices})(?:['’]s)?(?![\w-])")


def _phrase_body(phrase: str) -> str:
    return r"\s+".join(map(re.escape, phrase.split()))


def _inside(span: Span, spans: list[Span]) -> bool:
    """Within one of `spans` (in order, not overlapping)."""
    # (Spans are compared as they are, no key to call: one starting at span[0] comes before
    # (span[0], sys.maxsize), as no span ends there.)
    index = bisect.bisect_right(spans, (span[0], sys.maxsize)) - 1
    return index >= 0 and spans[index][1] >= span[1]


def _overlaps(span: Span, spans: list[Span]) -> bool:
    """Overlapping one of `spans` (in order, not overlapping, so their ends are in order too)."""
    # (Only spans starting before span[1] come before (span[1], -1).)
    index = bisect.bisect_left(spans, (span[1], -1)) - 1
    return index >= 0 and spans[index][1] > span[0]


# --- People's names -------------------------------------------------------------------------

_HONORIFIC_WORDS = (
    r"Mrs|Mr|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Revd|Rev|Cllr|Councillor|PC|DC|DS|DI|Sgt|"
    r"Sergeant|Constable|Detective\s+Constable|Detective\s+Sergeant|Nurse|Sister"
)
_RELATION_WORDS = (
    r"mum|mummy|mom|mother|dad|daddy|father|step-?mum|step-?mother|step-?dad|step-?father|"
    r"brother|sister|half-brother|half-sister|step-brother|step-sister|stepbrother|stepsister|"
    r"sibling|twin|grandmother|grandfather|grandma|grandad|granddad|grandpa|gran|nan|nana|nanna|"
    r"nanny|grandparent|aunt|auntie|aunty|uncle|cousin|niece|nephew|carer|foster\s+carer|"
    r"kinship\s+carer|special\s+guardian|guardian|partner|ex-partner|boyfriend|girlfriend|"
    r"husband|wife|fianc[ée]e?|son|daughter|baby|friend|neighbour|lodger|"
    r"social\s+worker|teacher|headteacher|head\s+teacher|health\s+visitor|midwife|GP|"
    r"school\s+nurse|key\s*worker|youth\s+worker|support\s+worker|family\s+support\s+worker|"
    r"personal\s+adviser|mentor|advocate|childminder|officer|practitioner|manager|"
    r"paediatrician|psychiatrist|psychologist|therapist|counsellor|consultant|SENCo|DSL|"
    r"named|called|known\s+as|aka|alias"
)


def _first_letter_groups(alternatives: str) -> dict[str, list[str]]:
    """Each first letter, and the rest of each alternative that starts with it, in order."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives.split("|"):
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return groups


def by_first_letter(alternatives: str) -> str:
    """Alternatives that each start with a letter, grouped by it ("m(?:um|ummy|om…)|d(?:ad…)"),
    in their order: the engine then tries one group at a place rather than every word. (Where
    a letter starts words in both cases, "GP" and "gran", no two words begin alike.)"""
    groups = _first_letter_groups(alternatives)
    return "(?:" + "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items()) + ")"


def starting_a_word(alternatives: str, not_after: str = r"[\w-]") -> str:
    r"""`(?<!{not_after})` and then the alternatives (each starting with a letter or digit)
    grouped as `by_first_letter` does, written so that the pattern starts with a choice of
    letters: each group looks back after its first letter, two characters wide (the one before
    the word, and the letter). Python's engine tries a pattern that starts with a look-around
    at every place in a text, and one that starts with letters only where one of them
    stands."""
    groups = _first_letter_groups(alternatives)
    choices = (
        f"{first}(?<!{not_after}{first})(?:{'|'.join(rest)})" for first, rest in groups.items()
    )
    return "(?:" + "|".join(choices) + ")"


_RELATION = by_first_letter(_RELATION_WORDS)
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
    rf"{starting_a_word(_HONORIFIC_WORDS)}\.?\s+(?P<name>(?:[A-Z]\.\s*)*{_GIVEN_THEN_SURNAME})"
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


@functools.lru_cache(maxsize=4096)
def _is_listed(word: str) -> bool:
    """In the given-name or surname list, or a double name made of listed names ("Ellie-Mae",
    "Smith-Jones")."""
    bare = _bare(word)
    parts = bare.split("-")
    return any(part in given_names() or part in surnames() for part in {bare, *parts})


@functools.lru_cache(maxsize=4096)
def _is_plain_word(word: str) -> bool:
    """A word the sentence could just as well mean as an ordinary word or a place."""
    bare = _bare(word)
    return bare in name_words() or bare in not_names()


def _context_matches(text: str) -> Iterator[tuple[re.Match[str], bool]]:
    """Names after an honorific, and before or after a relationship word (where the name
    must be written with a capital, though the relationship word need not be)."""
    for match in _AFTER_HONORIFIC.finditer(text):
        yield match, False
    for match in starts_in_lowered(text, _AFTER_RELATION):
        yield match, True
    for match in _BEFORE_RELATION.finditer(text):
        yield match, True


def _context_name_spans(text: str, allowed: AllowedSpans) -> Iterator[Span]:
    for match, case_matters in _context_matches(text):
        start, end = match.span("name")
        first = text[start:end].split()[0]
        if case_matters and not first[:1].isupper():
            continue
        span = _clean_name_span(text, start, end)
        if allowed.overlaps(span):
            continue
        words = text[span[0] : span[1]].split()
        # After "mum" or "the social worker" a name is a name even when it is also a word,
        # but not a word that is only a word ("the social worker Team").
        if case_matters and all(_bare(word) in not_names() for word in words):
            continue
        yield span


# Capitalised words one space apart: "Jamie Smith", "Health Visitor Service".
# (The lookahead for the first letter is for speed: other places are passed over at once.)
_CAPITALISED_RUN = re.compile(rf"(?=[{_UPPER}]){_CAPITALISED.pattern}(?: {_CAPITALISED.pattern})*")
LONGEST_RUN = 3


def _listed_name_spans(text: str, allowed: AllowedSpans) -> Iterator[Span]:
    """Capitalised words the name lists hold, joined with a neighbouring name ("Jamie Smith"):
    the first three words of each run of capitalised words are judged together."""
    for run in _CAPITALISED_RUN.finditer(text):
        if not _holds_a_listed_name(run[0]):
            continue  # the common case, decided without looking further
        words = run[0].split(" ", LONGEST_RUN)[:LONGEST_RUN]
        tokens = []
        start = run.start()
        for word in words:
            tokens.append((start, start + len(word), word))
            start += len(word) + 1
        span = _judge_run(text, tokens, allowed)
        if span is not None:
            yield span


@functools.lru_cache(maxsize=8192)
def _holds_a_listed_name(run: str) -> bool:
    """Whether a listed name is among the first three words of a run of capitalised words.
    (The same runs come again and again: "The", "Social Care".)"""
    return any(map(_is_listed, run.split(" ", LONGEST_RUN)[:LONGEST_RUN]))


def _judge_run(text: str, run: list[tuple[int, int, str]], allowed: AllowedSpans) -> Span | None:
    """Up to three capitalised words (each where it starts and ends, and the word): a name if
    it holds a listed name that is not also an ordinary word, or a listed word-name next to
    another name or followed by what a person does."""
    words = [word for _, _, word in run]
    listed = [_is_listed(word) for word in words]
    plain = [_is_plain_word(word) for word in words]
    sure = [is_listed and not is_plain for is_listed, is_plain in zip(listed, plain, strict=True)]
    chosen: list[int] = []
    for position, (start, end, word) in enumerate(run):
        if allowed.inside((start, end)) or _bare(word) in not_names():
            continue
        if sure[position]:
            chosen.append(position)
        elif listed[position]:
            neighbours = [p for p in (position - 1, position + 1) if 0 <= p < len(run)]
            after = text[end : end + 30].partition(BOUNDARY)[0]
            followed = _PERSON_VERB.match(after)
            month_or_day = _bare(word) in MONTHS_AND_DAYS
            if any(sure[p] for p in neighbours) or (followed and not month_or_day):
                chosen.append(position)
    if not chosen:
        return None
    return _clean_name_span(text, run[min(chosen)][0], run[max(chosen)][1])


def person_name_spans(text: str, allowed_names: Iterable[str] = ()) -> list[Span]:
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
# "St", "Saint", "Old", "New", "Upper", "North" … are all capitalised words: listing them as
# well only made the engine try each word again every way it could be read.
_STREET_NAME = r"(?:(?:St\.|[A-Z][a-z'’-]+)\s+){1,3}"
_PREPOSITIONS = ("on", "in", "at", "to", "from", "off", "near", "of")
# One look back for the words of each length (a look back has one width), after a quick one
# for the space they all end in: tried at every capital, eight look backs cost more.
_AFTER_PREPOSITION = (
    r"(?<=\s)(?:"
    + "|".join(
        rf"(?<=\b(?:{'|'.join(word for word in _PREPOSITIONS if len(word) == length)})\s)"
        for length in sorted({len(word) for word in _PREPOSITIONS})
    )
    + ")"
)
_ADDRESS = re.compile(
    # Every address starts with a capital or a digit: other places are passed over at once.
    rf"(?=[A-Z\d])(?:(?<![\w-])(?:Flat|Apartment|Apt|Unit|Room|Maisonette)\.?\s+\d{{1,4}}[A-Za-z]?,?\s+"
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
    return [span for span in spans if not allowed.inside(span)]


# --- Named schools, nurseries, colleges and children's homes --------------------------------

_SETTING_WORD = (
    r"(?:(?:Primary|Secondary|Infant|Infants|Junior|High|Grammar|Special|Free|Community|"
    r"Middle|Prep|Preparatory|Independent|Church\s+of\s+England|C\s+of\s+E|CE|CofE|RC|"
    r"Catholic|Methodist|Academy)\s+)*"
    r"(?:School|Academy|Nursery|Pre-?school|Playgroup|College|Sixth\s+Form|Children['’]s\s+Home|"
    r"Childrens\s+Home|Children['’]s\s+Centre|Family\s+Centre|Pupil\s+Referral\s+Unit|PRU|"
    r"Day\s+Nursery|Kindergarten|Montessori|Primary|Infants|Juniors|High)"
)
# "St", "Saint", "The", "of", "the", "and" are all words the last choice reads (the pattern
# ignores case): listing them as well only made the engine try each word again every way.
_SETTING_NAME_WORD = r"(?:St\.|Our\s+Lady|[A-Z][\w'’-]*|&)"
_NAMED_SETTING = re.compile(
    rf"(?<![\w-])(?P<name>(?:{_SETTING_NAME_WORD}\s+){{0,4}}[A-Z][\w'’-]*)\s+"
    rf"(?P<setting>{_SETTING_WORD})(?![\w-])",
    re.IGNORECASE,
)
# Where the last part of a setting's kind (as `_SETTING_WORD` has it) starts, after a space:
# "School" in "St Mary's Catholic Primary School" (the words before it that can describe a
# setting are walked back over, see `_window_start`).
# (Found by its first letter, which is all a match takes: the engine then tries only where one
# of those letters stands, and looks back for the space and ahead for the rest there.)
_SETTING_KINDS = (
    r"school|academy|nursery|pre-?school|playgroup|college|sixth\s+form|children['’]s\s+home|"
    r"children['’]s\s+centre|childrens\s+home|family\s+centre|pupil\s+referral\s+unit|pru|"
    r"day\s+nursery|kindergarten|montessori|primary|infants|juniors|high"
)
_SETTING_KIND_START = lowered_pattern(
    "(?:"
    + "|".join(
        rf"{first}(?<=\s{first})(?=(?:{'|'.join(rest)})(?![\w-]))"
        for first, rest in _first_letter_groups(_SETTING_KINDS).items()
    )
    + ")"
)
# The words of what can come before it in the kind of setting ("Church of England Primary").
_SETTING_DESCRIPTION_WORDS = frozenset(
    """
    primary secondary infant infants junior high grammar special free community middle prep
    preparatory independent church of england c e ce cofe rc catholic methodist academy
    """.split()  # noqa: SIM905 (a word list reads better as words)
)
# A setting's name is at most nine words ("Our Lady" is one of its four words, the last word
# comes on top): a match starts no further back than that before its kind of setting.
_SETTING_NAME_CHUNKS = 9
_CHUNK = re.compile(r"\S+")


def _named_settings(text: str) -> Iterator[re.Match[str]]:
    """`_NAMED_SETTING.finditer(text)`, searched only from a little before each kind of
    setting (the pattern tried at every place in a long text costs seconds), in the text
    lower-cased (as `matches_ignoring_case`: read what a match holds from `text`)."""
    lowered = _lowered(text)
    if lowered is None:
        yield from _NAMED_SETTING.finditer(text)
        return
    pattern = _lowered_twin(_NAMED_SETTING)
    resume = 0
    for kind in _SETTING_KIND_START.finditer(lowered):
        if kind.start() < resume:
            continue
        # No match crosses a boundary, so the search ends at the next one.
        end = text.find(BOUNDARY, kind.start())
        end = len(text) if end < 0 else end
        match = pattern.search(lowered, _window_start(lowered, kind.start(), resume), end)
        if match is None:
            resume = end
            continue
        resume = match.end()
        yield match


def _window_start(lowered: str, at: int, floor: int) -> int:
    """Where the ninth word before the description of the setting whose last part starts at
    `at` starts, not before `floor`. The first match at or after `floor` starts there or
    later: its own last part starts at `at` or after it."""
    reach_from = max(floor, at - 400)
    words = [word.span() for word in _CHUNK.finditer(lowered, reach_from, at)]
    position = len(words)
    while position and lowered[slice(*words[position - 1])] in _SETTING_DESCRIPTION_WORDS:
        position -= 1
    position -= _SETTING_NAME_CHUNKS
    if position <= 0:
        return floor  # as far back as the window reaches (not past what is already read)
    return words[position][0]


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
    return [span for span in spans if not allowed.inside(span)]


def _setting_candidates(text: str) -> Iterator[Span]:
    for match in _named_settings(text):
        start = _name_start(text, match.start("name"), match.end("name"))
        name = text[start : match.end("name")]
        # The name must start with a capital, as names do ("went to school" is no name).
        if start >= match.end("name") or not _names_a_setting(name) or _owner_only(name):
            continue
        # "Track school moves": a sentence's first word before a lower-case setting word.
        if (
            not text[match.start("setting")].isupper()
            and len(name.split()) == 1
            and _is_sentence_start(text, start)
        ):
            continue
        yield (start, match.end())


# --- Police and case references -------------------------------------------------------------

# Capitals, digits and separators only, with at least three digits in a row.
_REFERENCE_BODY = r"(?P<ref>(?-i:(?=[A-Z0-9/*-]*\d{3})[A-Z0-9][A-Z0-9/*-]*\d[A-Z0-9/*-]*))(?![\w-])"
_POLICE_KEY = by_first_letter(
    r"crime|incident|occurrence|CAD|log|STORM|Niche|Athena|police|PNC|CRN|URN|custody|"
    r"arrest|PPN|VPA|MERLIN|Merlin|domestic\s+abuse\s+notification"
)
_CASE_KEY = by_first_letter(
    r"case|referral|file|record|Mosaic|LCS|EHM|Liquidlogic|Eclipse|Azeus|ContrOCC|"
    r"Capita|SystmOne|EMIS|RiO|Rio|CP|CIN|LAC|CLA|MASH|contact|assessment|plan|client|"
    r"person|child|account|court"
)
_KEY_TAIL = r"s?(?:\s+(?:ref(?:erence)?s?|nos?|numbers?|num|IDs?|#)\.?)?(?:\s*(?:is|was|:|=|-))?\s*"
_POLICE_KEYED = re.compile(rf"(?<![\w-]){_POLICE_KEY}{_KEY_TAIL}{_REFERENCE_BODY}", re.IGNORECASE)
_CASE_KEYED = re.compile(
    rf"(?<![\w-])(?:{_CASE_KEY}{_KEY_TAIL}|(?:ref(?:erence)?s?|nos?|numbers?|IDs?)\.?(?:\s*:)?\s+)"
    rf"{_REFERENCE_BODY}",
    re.IGNORECASE,
)
# Shapes police forces use without a label: 44/123456/22, CR/0123456/22, 22*123456.
# (Each shape starts with its first character and then looks back past it, as `_NHS` in
# `maca.reports.disclosure` does: the engine then tries only where such a character is.)
_POLICE_SHAPE = re.compile(
    r"(?:\d(?<![\w/-]\d)(?:\d[A-Z]{0,3}/\d{4,8}[A-Z]?/\d{2,4}|\d\*\d{5,8}|\d[A-Z]{2}\d{6,10})"
    r"|[A-Z](?<![\w/-][A-Z])[A-Z]{1,3}/\d{5,8}/\d{2,4})(?![\w/-])"
)
# Shapes of case or referral numbers: MASH-2022-0412, CP/2021/0117, REF-123456.
_CASE_SHAPE = re.compile(
    r"[A-Z](?<![\w/-][A-Z])(?:[A-Z]{1,5}[-/]\d{2,4}[-/]\d{3,7}(?![\w/-])|[A-Z]{1,5}-\d{5,9}(?![\w/-]))"
)
_YEAR_OR_SMALL = re.compile(r"^(?:19[5-9]\d|20[0-4]\d)(?:s|/\d\d)?$|^\d{1,3}$")


def _reference_spans(pattern: re.Pattern[str], text: str) -> Iterator[Span]:
    for match in starts_in_lowered(text, pattern):
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
