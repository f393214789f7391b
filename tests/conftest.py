"""The whole suite runs with the command line in its default language, Danish, whatever
BROBYGGER_LANG the machine has set (the command line reads it when it is imported)."""

from __future__ import annotations

import os

os.environ.pop("BROBYGGER_LANG", None)
