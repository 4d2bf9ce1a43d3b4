"""Chinese full-text search, portable across SQLite (FTS5) and PostgreSQL (tsvector).

Text is folded (NFKC, case-folded) and cut into runs of letters and digits; every run is
indexed as overlapping two-character tokens, as Lucene's CJK analyser does, plus the set
of single characters of the document. A query term of two or more characters becomes a
phrase of consecutive bigrams, which matches exactly where the term occurs as a substring;
a one-character term looks up the single-character tokens. Terms holding punctuation are
narrowed by the index and then checked against the text, so results always equal a
substring scan.
"""
