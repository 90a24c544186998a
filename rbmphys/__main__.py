"""``python -m rbmphys ...``: the ``rbmphys`` command without the installed entry point."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
