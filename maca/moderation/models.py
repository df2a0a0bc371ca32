"""Moderation has no tables of its own: the panel writes `PanelGrade` and `Discrepancy`
(in `maca.audits`) and `Finding` (in `maca.learning`), and every change to them is kept by
the audit trail in `maca.core.history`."""
