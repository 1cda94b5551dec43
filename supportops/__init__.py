"""supportops: provision, prove compliant and operate a customer-support platform on AWS.

The import namespace is ``supportops``; the code lives in the repository's top-level folders:

- ``supportops.stacks``    (stacks/)    Pulumi program: config model, components, phases
- ``supportops.inventory`` (inventory/) one resource model for plans, state files, previews, live
- ``supportops.policies``  (policies/)  rules, frameworks, waivers, CrossGuard pack, checkov bridge
- ``supportops.reports``   (reports/)   findings model, report formats, evidence bundles
- ``supportops.runbooks``  (runbooks/)  access reviews and DR drills (YAML + executors)
- ``supportops.cli``       (cli/)       the ``supportops`` command
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("supportops")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"
