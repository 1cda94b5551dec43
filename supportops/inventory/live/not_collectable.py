"""Types the demo phases plan and rules read, which no collector produces, and why. A live report
lists them (``LiveCollection.uncollected_types``) rather than skipping them silently."""

from __future__ import annotations

from typing import Final

_NOT_AWS: Final = "a Pulumi provider is configuration of the deployment tool, not an AWS resource"

NOT_COLLECTABLE: Final[dict[str, str]] = {
    "pulumi:providers:aws": f"{_NOT_AWS}; live resources carry their region and tags themselves",
    "pulumi:providers:aws-native": _NOT_AWS,
    "aws:secretsmanager/secretVersion:SecretVersion": (
        "reading a secret's value needs secretsmanager:GetSecretValue, which a read-only audit role must "
        "not hold; the rule it feeds (no plaintext secrets in the program) is about code, not the account"
    ),
}
