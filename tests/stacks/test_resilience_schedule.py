"""Backup and replication sizing from RPO/RTO: the pure functions the stacks size resources with."""

from __future__ import annotations

import re

import pytest

from supportops.stacks.components.replication.sizing import ReplicationArgs, replication_time_minutes
from supportops.stacks.components.resilience.backup_protection import BackupProtectionArgs
from supportops.stacks.components.resilience.schedule import backup_schedule
from supportops.stacks.config import DataClassName, ResilienceTargets


def _targets(rpo: int, rto: int = 240) -> ResilienceTargets:
    return ResilienceTargets(rpo_minutes=rpo, rto_minutes=max(rto, rpo))


def _cron_hours(cron: str) -> int:
    """Hours between runs of an AWS Backup cron expression (minute 0)."""
    hour_field = re.fullmatch(r"cron\(0 (\S+) \* \* \? \*\)", cron)
    assert hour_field, cron
    hours = hour_field.group(1)
    if hours == "*":
        return 1
    if "/" in hours:
        return int(hours.split("/")[1])
    return 24


def test_default_rpo_of_15_minutes_needs_continuous_backup_and_native_pitr() -> None:
    schedule = backup_schedule(ResilienceTargets())
    assert schedule.continuous is True
    assert schedule.requires_native_pitr is True
    # Snapshots cannot run more often than hourly: hourly is the best they can do.
    assert schedule.interval_minutes == 60
    assert schedule.cron == "cron(0 * * * ? *)"
    assert schedule.retention_days <= 35


def test_rpo_of_an_hour_or_more_is_met_by_snapshots_alone() -> None:
    schedule = backup_schedule(_targets(60))
    assert (schedule.continuous, schedule.interval_minutes) == (False, 60)


def test_interval_is_the_longest_even_split_of_the_day_within_the_rpo() -> None:
    assert backup_schedule(_targets(300, 600)).interval_minutes == 4 * 60  # 5 h RPO: every 4 h
    assert backup_schedule(_targets(300, 600)).cron == "cron(0 0/4 * * ? *)"
    assert backup_schedule(_targets(7 * 60, 600)).interval_minutes == 6 * 60
    assert backup_schedule(_targets(2 * 24 * 60, 3 * 24 * 60)).cron == "cron(0 0 * * ? *)"


@pytest.mark.parametrize("rpo", [1, 14, 15, 59, 60, 61, 119, 120, 299, 500, 720, 1439, 1440, 4000])
def test_every_rpo_is_met_by_snapshots_or_continuous_backup(rpo: int) -> None:
    schedule = backup_schedule(_targets(rpo, 4000))
    assert schedule.continuous == (rpo < 60)
    assert _cron_hours(schedule.cron) * 60 == schedule.interval_minutes
    assert 24 * 60 % schedule.interval_minutes == 0
    if not schedule.continuous:
        assert schedule.snapshot_rpo_minutes <= rpo


def test_a_backup_job_must_finish_before_the_next_is_due_but_not_below_aws_minimum() -> None:
    assert backup_schedule(_targets(15, 240)).completion_window_minutes == 120  # AWS minimum
    assert backup_schedule(_targets(720, 1440)).completion_window_minutes == 720  # the next run
    assert backup_schedule(_targets(720, 1440)).start_window_minutes == 60


def test_continuous_backups_cannot_be_kept_beyond_35_days() -> None:
    with pytest.raises(ValueError, match="35 days"):
        backup_schedule(_targets(15), retention_days=36)
    assert backup_schedule(_targets(60), retention_days=90).retention_days == 90


def test_s3_replication_time_control_meets_rpos_of_15_minutes_or_more() -> None:
    assert replication_time_minutes(15) == 15
    assert replication_time_minutes(240) == 15
    with pytest.raises(ValueError, match="RPO of 10 minutes"):
        replication_time_minutes(10)
    with pytest.raises(ValueError):
        ReplicationArgs(region="us-west-2", account_root_arn="arn", rpo_minutes=5, access_log_bucket="logs")


def _protection(lock_grace_days: int | None) -> BackupProtectionArgs:
    return BackupProtectionArgs(
        kms_key_arn="arn:key",
        data_class=DataClassName.TICKETS,
        targets=ResilienceTargets(),
        environment="demo",
        phase="foundation",
        region="us-east-1",
        account_root_arn="arn:aws:iam::111122223333:root",
        max_retention_days=365,
        lock_grace_days=lock_grace_days,
    )


def test_a_vault_lock_grace_shorter_than_aws_allows_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        _protection(2)
    assert _protection(3).lock_grace_days == 3
    assert _protection(None).lock_grace_days is None  # governance lock
