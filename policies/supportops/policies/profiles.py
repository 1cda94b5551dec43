"""Which rule profiles apply to a stack (docs/rules.md, "Profiles").

The premise of the *platform* profile is that the stack is one of this platform's: its config carries
``supportops:*`` keys (or the user named a platform stack file with ``--config``). Any other program
gets the *baseline* only, and every platform rule answers NOT_APPLICABLE with the reason below.
"""

from __future__ import annotations

from supportops.policies.rule import Premise
from supportops.policies.stack_config import ConfigChoice, ConfigOrigin
from supportops.stacks.config import CONFIG_NAMESPACE

NO_PLATFORM_CONFIG = (
    f"the stack's config has no {CONFIG_NAMESPACE}:* keys, so the platform's own policy (customer-"
    "managed keys per data class, tags, retention bounds, region allow-list, Connect controls) "
    "does not apply"
)


def premise_of(choice: ConfigChoice) -> Premise:
    if choice.origin is ConfigOrigin.DEFAULTS:
        return Premise(platform=False, reason=NO_PLATFORM_CONFIG)
    if choice.origin is ConfigOrigin.FILE:
        return Premise(platform=True, reason=f"platform config given: {choice.location}")
    return Premise(platform=True, reason=f"the stack's config has {CONFIG_NAMESPACE}:* keys")


def active_profiles(premise: Premise) -> list[str]:
    return ["baseline", "platform"] if premise.platform else ["baseline"]
