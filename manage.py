#!/usr/bin/env python
"""Django's command-line utility; identical to the `secondcareer` console script."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from secondcareer.__main__ import main

if __name__ == "__main__":
    main()
