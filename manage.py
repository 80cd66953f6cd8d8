#!/usr/bin/env python
"""Django's command-line utility; `gridgov` (the console script) is the same with hyphens."""

from gridgov.__main__ import main

if __name__ == "__main__":
    main()
