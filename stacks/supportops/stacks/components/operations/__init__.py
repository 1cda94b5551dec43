"""Phase 4 components: the unattended operations jobs (schedules, fan-out state machine, runner,
evidence bucket, notifications). Modules here are imported one by one: the schedule parser and the
definitions built as data do not import Pulumi."""
