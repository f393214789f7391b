#!/usr/bin/env python
"""Django's command-line utility for the registry web app (same as ``python -m brobygger.web``)."""

from __future__ import annotations

import sys

from brobygger.web.__main__ import main

if __name__ == "__main__":
    main(sys.argv)
