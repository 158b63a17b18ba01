"""`python -m lambdacost`: the command line, wherever pip put the scripts."""

from .cli import main

main()
