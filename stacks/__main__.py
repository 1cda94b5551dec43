"""Entry point of the Pulumi program (Pulumi.yaml: ``main: stacks/``)."""

from supportops.stacks.program import main

main()
