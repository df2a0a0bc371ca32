"""Plain-English labels for the SSDA903 codes a case carries (docs/domain.md §4.4), worded as
there. The one table of them: the 903 import (`maca.sampling.codes`) reads it from here, with
its own lists of which codes each collection year allows."""

LEGAL_STATUS = {
    "C1": "Interim care order",
    "C2": "Full care order",
    "D1": "Freeing order",
    "E1": "Placement order",
    "V2": "Single period of accommodation under section 20",
    "V3": "Short breaks, episodes recorded",
    "V4": "Short breaks, agreements recorded",
    "L1": "Police protection",
    "L2": "Emergency protection order",
    "L3": "Child assessment order",
    "J1": "Remanded",
    "J2": "PACE accommodation",
    "J3": "Youth rehabilitation order with residence or fostering requirement",
}

PLACEMENT_TYPE = {
    "A3": "Placed for adoption with consent, with current foster carer",
    "A4": "Placed for adoption with consent, not with current foster carer",
    "A5": "Placed for adoption with placement order, with current foster carer",
    "A6": "Placed for adoption with placement order, not with current foster carer",
    "H5": "Semi-independent accommodation not subject to children's homes regulations",
    "K1": "Secure children's home",
    "K2": "Children's home",
    "K3": "Registered supported accommodation",
    "P1": "With parents or person with parental responsibility",
    "P2": "Independent living",
    "P3": "Residential employment",
    "R1": "Residential care home",
    "R2": "NHS or health establishment",
    "R3": "Family centre or mother and baby unit",
    "R5": "Young offender institution",
    "S1": "Residential school",
    "T0": "Temporary move (all)",
    "T1": "Temporary move: hospital",
    "T2": "Temporary move: child's holiday",
    "T3": "Temporary move: carer's holiday",
    "T4": "Temporary move: 7 days or less, other",
    "U1": "Foster placement with relative or friend, long term",
    "U2": "Foster placement with relative or friend, fostering for adoption or concurrent",
    "U3": "Foster placement with relative or friend, other",
    "U4": "Foster placement with other carer, long term",
    "U5": "Foster placement with other carer, fostering for adoption or concurrent",
    "U6": "Foster placement with other carer, other",
    "Z1": "Other placement",
    "Z11": "Other placement (Z11)",
    "Z12": "Other placement (Z12)",
    "Z13": "Other placement (Z13)",
    "Z14": "Other placement (Z14)",
}

PLACEMENT_PROVIDER = {
    "PR0": "Parent or person with parental responsibility",
    "PR1": "Own local authority provision",
    "PR2": "Other local authority provision",
    "PR3": "Other public provision",
    "PR4": "Private provision",
    "PR5": "Voluntary or third sector provision",
}


def label(codes: dict[str, str], code: str) -> str:
    """'C2 – Full care order', or the code alone when it is not in the list."""
    if not code:
        return ""
    name = codes.get(code)
    return f"{code} – {name}" if name else code
