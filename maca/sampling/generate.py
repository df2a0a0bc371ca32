"""Synthetic, fictional SSDA903 extracts of any size, the same for the same seed.

Every value is invented: CHILD ids are random numbers, UPNs random letters and digits, and
postcodes use districts that do not exist (the home authority's are Z1 to Z9; others use
letters no real postcode area uses alone, such as Y12 or X3). Children, episodes, reviews,
missing episodes, UASC, OC2, OC3, AD1, placed for adoption, previous permanence and social
worker episodes are generated with plausible proportions, some reviews late and some
children moved often, so cohorts and flags have something to find.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl

from maca.sampling import codes

HOME_DISTRICTS = [f"Z{n}" for n in range(1, 10)]
HOME_LA = "900"  # fictional LA code
FILE_NAMES = {
    "Header": "header.csv",
    "Episodes": "episodes.csv",
    "Reviews": "reviews.csv",
    "UASC": "uasc.csv",
    "OC2": "oc2.csv",
    "OC3": "oc3.csv",
    "AD1": "ad1.csv",
    "PlacedAdoption": "placed_for_adoption.csv",
    "PrevPerm": "previous_permanence.csv",
    "Missing": "missing.csv",
    "SWEpisodes": "sw_episodes.csv",
}
_PLACES = ["U4"] * 20 + ["U6"] * 14 + ["U1"] * 6 + ["U3"] * 5 + ["K2"] * 8 + ["P1"] * 4
_PLACES += ["R1", "S1", "A4", "A6", "U5", "U2", "T2", "K1", "R5", "P3"]
_LEGAL = ["C2"] * 10 + ["C1"] * 4 + ["V2"] * 6 + ["E1"] * 2 + ["J1", "L2", "D1"]
_RNE_AFTER = ["P"] * 10 + ["T"] * 2 + ["L"] * 5 + ["B"] * 2 + ["U"]
_REASONS = sorted(codes.REASON_PLACE_CHANGE)
_ETHNIC = sorted(codes.ETHNIC)
_LEAVE = ["E4A", "E4B", "E13", "E41", "E45", "E48", "E11", "E5", "E17", "E3"]


@dataclass(frozen=True)
class _Placement:
    place: str
    post: str
    urn: str
    provider: str
    out_of_area: bool
    distance: float


def _birthday(dob: dt.date, years: int) -> dt.date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # 29 February
        return dob.replace(year=dob.year + years, day=28)


def _fmt(day: dt.date | None) -> str | None:
    return None if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


@dataclass
class Generated:
    directory: Path
    paths: list[Path]
    home_districts: list[str]
    year: int


class _Builder:
    def __init__(self, seed: int, year: int, with_location: bool, episodes_per_child: float):
        self.rng = random.Random(seed)
        self.year = year
        self.with_location = with_location
        self.mean_episodes = max(1.0, episodes_per_child)
        self.year_start, self.year_end = codes.year_bounds(year)
        self.rows: dict[str, list[tuple[str | None, ...]]] = {name: [] for name in FILE_NAMES}
        self.places = sorted(codes.placement_codes(year))

    def postcode(self, home: bool) -> str:
        rng = self.rng
        if home:
            district = rng.choice(HOME_DISTRICTS)
        else:
            district = f"{rng.choice('XYWQJ')}{rng.randint(1, 30)}"
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        return f"{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"

    def place(self) -> str:
        place = self.rng.choice(_PLACES)
        return place if place in self.places else "U4"

    def child(self, child_id: str) -> None:
        rng, end = self.rng, self.year_end
        age_days = rng.randint(30, 18 * 365 - 10)
        dob = end - dt.timedelta(days=age_days)
        sex = rng.choice(("M", "F")) if self.year >= 2025 else rng.choice(("1", "2"))
        upn = (
            f"{rng.choice('ABCDEFGHJKLMNPQRTUVWXYZ')}{rng.randrange(10**12):012d}"
            if age_days > 4 * 365 and rng.random() < 0.9
            else rng.choice(("UN1", "UN2", "UN4"))
        )
        self.rows["Header"].append((child_id, sex, _fmt(dob), rng.choice(_ETHNIC), upn, None, None))
        uasc = age_days > 14 * 365 and rng.random() < 0.08
        if uasc:
            duc = dob + dt.timedelta(days=18 * 365) if rng.random() < 0.3 else None
            self.rows["UASC"].append((child_id, sex, _fmt(dob), _fmt(duc)))
        if rng.random() < 0.02:
            self.short_break(child_id, dob, uasc)
            return
        start = max(dob + dt.timedelta(days=1), end - dt.timedelta(days=rng.randint(20, 2200)))
        span = (end - start).days
        count = max(1, min(span // 3, int(rng.expovariate(1 / self.mean_episodes)) + 1))
        cuts = sorted(rng.sample(range(1, span), count - 1)) if count > 1 and span > count else []
        dates = [start] + [start + dt.timedelta(days=c) for c in cuts]
        closed = rng.random() < 0.18
        care_ended = self.episodes(child_id, dates, closed, uasc)
        self.reviews(child_id, dob, start, None if not closed else end)
        self.missing(child_id, dob, age_days, (start, dates[-1], care_ended))
        self.outcomes(child_id, dob, age_days, start, closed)

    def placement(self, *, temporary_allowed: bool) -> _Placement:
        """A new placement: type, postcode, URN, provider, whether out of area, distance.
        A temporary placement (T0 to T4) only where the field's rules allow one."""
        rng = self.rng
        place = self.place()
        while place.startswith("T") and not temporary_allowed:
            place = self.place()
        out_of_area = rng.random() < 0.45
        provider = (
            "PR1"
            if not out_of_area and place.startswith("U")
            else ("PR0" if place == "P1" else rng.choice(("PR2", "PR4", "PR5")))
        )
        return _Placement(
            place=place,
            post=self.postcode(home=not out_of_area),
            urn=f"SC{rng.randrange(10**6):06d}" if place.startswith("K") else "XXXXXXX",
            provider=provider,
            out_of_area=out_of_area,
            distance=round(rng.uniform(21, 240) if out_of_area else rng.uniform(0.3, 19), 1),
        )

    def episodes(
        self, child_id: str, dates: list[dt.date], closed: bool, uasc: bool
    ) -> dt.date | None:
        """A period of care whose episodes follow the field's rules: each reason for a new
        episode matches what changed (legal status, placement or both), and a temporary
        placement is followed by a return to the placement before it. Returns the day care
        ended, if it has."""
        rng, end = self.rng, self.year_end
        home_post = self.postcode(home=True)
        legal = rng.choice(_LEGAL)
        placement = self.placement(temporary_allowed=False)
        before_temporary: _Placement | None = None
        rne = "S"
        for index, decom in enumerate(dates):
            last = index == len(dates) - 1
            dec = (
                None
                if last and not closed
                else (dates[index + 1] if not last else end - dt.timedelta(days=rng.randint(1, 60)))
            )
            if dec is not None and dec <= decom:
                dec = decom + dt.timedelta(days=1)
            if last:
                next_rne = None
            elif before_temporary is not None:
                next_rne = "P"  # back to the placement before the temporary one
            else:
                next_rne = rng.choice(_RNE_AFTER)
            reason = rng.choice(_REASONS) if next_rne in codes.PLACEMENT_CHANGE_RNE else None
            rec = None if dec is None else ("X1" if not last else rng.choice(_LEAVE))
            self.episode_row(
                child_id, decom, rne, legal, placement, dec, rec, reason, home_post, uasc
            )
            if next_rne in codes.PLACEMENT_CHANGE_RNE:
                if before_temporary is not None:
                    placement, before_temporary = before_temporary, None
                else:
                    # Not on the last episode, which would end care in it, and only as a change
                    # of placement and carer.
                    allowed = next_rne in ("P", "B") and index + 1 < len(dates) - 1
                    moved = self.placement(temporary_allowed=allowed)
                    if moved.place.startswith("T"):
                        before_temporary = placement
                    placement = moved
            if next_rne in ("L", "B", "U"):
                legal = rng.choice([code for code in sorted(set(_LEGAL)) if code != legal])
            rne = next_rne or "P"
        return dec

    def episode_row(
        self,
        child_id: str,
        decom: dt.date,
        rne: str,
        legal: str,
        placement: _Placement,
        dec: dt.date | None,
        rec: str | None,
        reason: str | None,
        home_post: str,
        uasc: bool,
    ) -> None:
        row: tuple[str | None, ...] = (
            child_id, _fmt(decom), rne, legal, self.rng.choice(sorted(codes.CATEGORY_OF_NEED)),
            placement.place, placement.provider, _fmt(dec), rec, reason, home_post,
            placement.post, placement.urn,
        )  # fmt: skip
        if self.with_location:
            row += (
                f"{self.rng.randint(901, 950)}" if placement.out_of_area else HOME_LA,
                "OUT" if placement.out_of_area else "IN",
                None if uasc else f"{placement.distance:.1f}",
            )
        self.rows["Episodes"].append(row)

    def short_break(self, child_id: str, dob: dt.date, uasc: bool) -> None:
        """One short break (legal status V3) of at most 17 days, ended within the year."""
        rng = self.rng
        start = max(
            dob + dt.timedelta(days=1), self.year_end - dt.timedelta(days=rng.randint(20, 300))
        )
        ended = start + dt.timedelta(days=rng.randint(1, 17))
        placement = _Placement("R1", self.postcode(home=True), "XXXXXXX", "PR1", False, 2.0)
        self.episode_row(
            child_id,
            start,
            "S",
            "V3",
            placement,
            ended,
            "E4A",
            None,
            self.postcode(home=True),
            uasc,
        )

    def reviews(self, child_id: str, dob: dt.date, start: dt.date, ended: dt.date | None) -> None:
        rng = self.rng
        limit = ended or self.year_end
        review = start + dt.timedelta(days=rng.choice((14, 21, 25, 26, 28, 30, 35)))
        gaps = (rng.choice((70, 85, 91, 100)),) + (175,) * 40
        for gap in gaps:
            if review > limit:
                break
            code = (
                "PN0" if review < _birthday(dob, 4) else rng.choice(sorted(codes.REVIEW_CODE)[1:])
            )
            self.rows["Reviews"].append((child_id, _fmt(dob), _fmt(review), code))
            late = rng.random() < 0.12
            review += dt.timedelta(days=gap + (rng.randint(5, 40) if late else rng.randint(0, 6)))

    def missing(
        self,
        child_id: str,
        dob: dt.date,
        age_days: int,
        care: tuple[dt.date, dt.date, dt.date | None],
    ) -> None:
        """Missing periods while in care (`care`: when it began, when its last episode began,
        when it ended if it has), one after another so they never overlap. The last may still
        be open if it began in the episode that is still open."""
        care_start, last_episode_start, care_end = care
        rng = self.rng
        if age_days < 10 * 365 or rng.random() > 0.18:
            return
        limit = care_end or self.year_end
        span = (limit - care_start).days
        if span < 7:
            return
        offsets = sorted(
            rng.sample(range(0, span, 7), min(rng.randint(1, 6), len(range(0, span, 7))))
        )
        for number, offset in enumerate(offsets):
            start = care_start + dt.timedelta(days=offset)
            still_open = (
                number == len(offsets) - 1
                and care_end is None
                and start >= last_episode_start
                and rng.random() < 0.05
            )
            end = None if still_open else min(start + dt.timedelta(days=rng.randint(0, 5)), limit)
            kind = "M" if rng.random() < 0.7 else "A"
            self.rows["Missing"].append((child_id, _fmt(dob), kind, _fmt(start), _fmt(end)))

    def outcomes(
        self, child_id: str, dob: dt.date, age_days: int, start: dt.date, closed: bool
    ) -> None:
        rng, end = self.rng, self.year_end
        # Looked after continuously for the 12 months to 31 March: an OC2 row, and no care
        # leaver (OC3) or adoption (AD1) row, which such a child cannot have (187).
        looked_after_a_year = (end - start).days >= 365 and not closed
        if looked_after_a_year:
            # Whole years of age at 31 March, as the OC2 rules count them.
            age = sum(1 for years in range(1, 19) if _birthday(dob, years) <= end)
            sdq = str(rng.randint(0, 40)) if 4 <= age <= 16 and rng.random() < 0.8 else None
            reason = None if sdq or not (4 <= age <= 16) else rng.choice(("SDQ2", "SDQ4", "SDQ5"))
            flag = lambda p: "1" if rng.random() < p else "0"  # noqa: E731
            self.rows["OC2"].append(
                (child_id, _fmt(dob), sdq, reason, flag(0.05) if age >= 10 else None,
                 flag(0.85) if age < 5 else None, flag(0.85), flag(0.8), flag(0.88),
                 flag(0.04), flag(0.02), flag(0.03))
            )  # fmt: skip
        if age_days > 16 * 365 and rng.random() < 0.2:
            # The codes are drawn whether or not the row is kept, so every other table is
            # the same as before 187 was followed.
            care_leaver = (
                child_id,
                _fmt(dob),
                rng.choice(("YES", "NO", "REFU")),
                rng.choice(("F2", "G5", "P5")),
                rng.choice(("D1", "E1", "U1", "B2")),
            )
            if not looked_after_a_year:
                self.rows["OC3"].append(care_leaver)
        if age_days < 5 * 365 and rng.random() < 0.03:
            if not looked_after_a_year:
                self.rows["AD1"].append(
                    (
                        child_id,
                        _fmt(dob),
                        _fmt(start + dt.timedelta(days=200)),
                        _fmt(start + dt.timedelta(days=300)),
                        "1",
                        "2",
                        "MF",
                        "L0",
                    )
                )
            self.rows["PlacedAdoption"].append(
                (child_id, _fmt(dob), _fmt(start + dt.timedelta(days=320)), None, None)
            )
        if rng.random() < 0.03:
            self.rows["PrevPerm"].append(
                (
                    child_id,
                    _fmt(dob),
                    rng.choice(("P1", "P2", "Z1")),
                    "999",
                    f"ZZ/{rng.randint(1, 12):02d}/2015",
                )
            )
        sw_start = max(start, self.year_start)
        for _ in range(rng.randint(1, 3)):
            sw_end = sw_start + dt.timedelta(days=rng.randint(30, 200))
            self.rows["SWEpisodes"].append(
                (child_id, _fmt(dob), f"SW{rng.randrange(10**6):06d}", _fmt(sw_start),
                 _fmt(sw_end) if sw_end < end else None, rng.choice(sorted(codes.SW_REASON)))
            )  # fmt: skip
            sw_start = sw_end
            if sw_start >= end:
                break


def _columns(name: str, with_location: bool) -> list[str]:
    from maca.sampling.tables import BY_NAME

    columns = list(BY_NAME[name].columns)
    if name == "Episodes" and with_location:
        columns += ["PL_LA", "PL_LOCATION", "PL_DISTANCE"]
    return columns


def generate(
    directory: Path,
    *,
    children: int,
    seed: int,
    year: int = 2024,
    xml: bool = False,
    with_location: bool = False,
    episodes_per_child: float = 3.0,
) -> Generated:
    builder = _Builder(seed, year, with_location, episodes_per_child)
    ids = builder.rng.sample(range(1_000_000, 9_999_999), children)
    for child_id in ids:
        builder.child(str(child_id))
    directory.mkdir(parents=True, exist_ok=True)
    if xml:
        path = directory / f"ssda903_{year}.xml"
        _write_xml(builder, path, with_location)
        return Generated(directory, [path], HOME_DISTRICTS, year)
    paths = []
    for name, file_name in FILE_NAMES.items():
        columns = _columns(name, with_location)
        rows = builder.rows[name]
        frame = pl.DataFrame(rows, schema={c: pl.String for c in columns}, orient="row")
        path = directory / file_name
        frame.write_csv(path)
        paths.append(path)
    return Generated(directory, paths, HOME_DISTRICTS, year)


def _element(name: str, value: str | None) -> str:
    return f"<{name}>{escape(value)}</{name}>" if value else f"<{name} />"


def _write_xml(builder: _Builder, path: Path, with_location: bool) -> None:
    by_child: dict[str, dict[str, list[tuple[str | None, ...]]]] = {}
    for name, rows in builder.rows.items():
        for row in rows:
            by_child.setdefault(str(row[0]), {}).setdefault(name, []).append(row)
    episode_columns = _columns("Episodes", with_location)
    with path.open("w", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='utf-8'?>\n<EXPSSDA903>\n")
        for header in builder.rows["Header"]:
            tables = by_child[str(header[0])]
            child_id, sex, dob, ethnic, upn = header[:5]
            parts = [
                "<CHILD>\n<HEADER>",
                _element("CHILDID", child_id),
                _element("UPN", upn),
                _element("SEX", sex),
                _element("DOB", dob),
                _element("ETHNIC", ethnic),
            ]
            uasc = tables.get("UASC")
            parts.append(_element("UASC", "1" if uasc else "0"))
            if uasc and uasc[0][3]:
                parts.append(_element("DUC", uasc[0][3]))
            for review in tables.get("Reviews", []):
                parts.append(
                    "<AREVIEW>" + _element("REVIEW", review[2])
                    + _element("REVIEW_CODE", review[3]) + "</AREVIEW>"
                )  # fmt: skip
            for missing in tables.get("Missing", []):
                parts.append(
                    "<AMISSING>" + _element("MISSING", missing[2])
                    + _element("MIS_START", missing[3]) + _element("MIS_END", missing[4])
                    + "</AMISSING>"
                )  # fmt: skip
            parts += [_element("MOTHER", None), _element("MC_DOB", None)]
            for oc2 in tables.get("OC2", []):
                columns = _columns("OC2", False)[2:]
                fields = "".join(_element(c, v) for c, v in zip(columns, oc2[2:], strict=True))
                parts.append(f"<OC2>{fields}</OC2>")
            parts.append("</HEADER>")
            for episode in tables.get("Episodes", []):
                pairs = zip(episode_columns[1:], episode[1:], strict=True)
                parts.append(
                    "<EPISODE>"
                    + "".join(_element("PL" if c == "PLACE" else c, v) for c, v in pairs)
                    + "</EPISODE>"
                )
            parts.append("</CHILD>\n")
            out.write("\n".join(parts))
        out.write("</EXPSSDA903>\n")
