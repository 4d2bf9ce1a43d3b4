"""PDF exports of model cases: work briefs, case collections and one-case sheets (ReportLab)."""
