"""`python -m api ...` is `slrs ...`: how `slrs run` starts its children with the same Python."""

from api.cli import main

main()
