"""Run newsmeta as ``python -m newsmeta``."""

from newsmeta.cli import main

if __name__ == "__main__":
    main()
