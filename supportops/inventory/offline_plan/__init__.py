"""The offline plan: run a Pulumi Python program in-process under Pulumi's mock runtime and record
every registration as an :class:`~supportops.inventory.model.Inventory`. No Pulumi CLI, no cloud."""

from supportops.inventory.offline_plan.runner import PlanRequest, plan_program

__all__ = ["PlanRequest", "plan_program"]
