"""Entry point Pulumi runs for ``--policy-pack policies/crossguard``. Constructing PolicyPack starts
the analyzer's gRPC server and never returns: nothing else belongs here (tests use pack.py)."""

from pulumi_policy import PolicyPack

from supportops.policies.crossguard.pack import PACK_NAME, build_policies

PolicyPack(name=PACK_NAME, policies=build_policies())
