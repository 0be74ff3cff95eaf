"""The exit status of every command (README, "Exit status").

=====  ==========================================================================
0      done: everything asked for was done (checks may still report failures unless
       ``--fail-on`` says they count)
1      failure: nothing useful was done, a check failed under ``--fail-on``, the
       endpoint failed as a whole, or any other error (one red line on stderr)
2      usage: a flag, a flag's value or a combination of flags the command does not take
3      partial success: outputs were written, but some inputs were skipped or some
       chunks failed (the last line says how many; ``--allow-partial`` makes this 0)
130    interrupted (Ctrl-C or SIGINT): what finished is kept, the same command resumes
=====  ==========================================================================
"""

from __future__ import annotations

OK = 0
FAILURE = 1
USAGE = 2
PARTIAL = 3
INTERRUPTED = 130
