"""The fictional demo: a ready audit tool and a published audit to explore maca with.

Every person, child and identifier in this package is invented. The structure and the
findings follow a real learning brief (children looked after placed out of area, March 2022),
but no child, family or practitioner in it is real.
"""
