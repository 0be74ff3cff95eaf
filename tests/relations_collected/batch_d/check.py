#!/usr/bin/env python3
"""Checks this batch with the checker of the real development set
(../../relations_real/check.py, the same format): every relation recomputed with exact
decimal arithmetic against its stored flags, every number string verbatim in its
passage, and the planted copy where there is one.

Usage:  python3 check.py   (exit 0 = everything consistent)
"""

import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.argv = [sys.argv[0], HERE]
runpy.run_path(os.path.join(HERE, "..", "..", "relations_real", "check.py"), run_name="__main__")
