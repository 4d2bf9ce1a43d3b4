"""PDF exports of model cases: work briefs, case collections and one-case sheets (ReportLab).

A brief is a Chinese official document: its fixed words (section headings, 第 N 期, 编者按, 目录,
报/送/发 …) read the same whatever language the window is in, so they are plain strings here, not
marked for translation. Messages to the user (fonts.py, fontconv.py) are.
"""
