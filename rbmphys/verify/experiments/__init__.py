"""Experiments shared by a chapter's ledger claims and its figures (``chNN`` modules).

Each function runs one seeded experiment and returns plain arrays; expensive ones are cached,
so a chapter that checks a claim and then draws its figure does the work once.  They live next
to the claims (not in the library's ``analysis``): they are the book's experiments, built on
the library.  Chapters call them by their public names.
"""
