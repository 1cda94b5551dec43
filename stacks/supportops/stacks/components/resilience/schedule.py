"""Backup schedules sized from recovery targets: a pure function, so the sizing is tested directly.

AWS Backup runs scheduled (snapshot) backups at most once an hour. An RPO below an hour therefore
needs continuous backup (point-in-time recovery): AWS Backup offers it for S3 and RDS/Aurora, and
DynamoDB tables get it from their own point-in-time recovery, which their owners must enable.
"""

from __future__ import annotations

from dataclasses import dataclass

from supportops.stacks.config import ResilienceTargets

MIN_SCHEDULE_INTERVAL_MINUTES = 60  # AWS Backup's most frequent schedule is hourly
MIN_START_WINDOW_MINUTES = 60
# AWS Backup requires the completion window to end at least an hour after the start window.
MIN_COMPLETION_AFTER_START_MINUTES = 60
CONTINUOUS_MAX_RETENTION_DAYS = 35  # the longest point-in-time window AWS Backup keeps
DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class BackupSchedule:
    """What a backup plan rule needs, and the recovery point objective it actually achieves."""

    continuous: bool  # continuous backup (PITR) for the resource types that support it
    interval_minutes: int  # time between scheduled snapshots
    cron: str  # AWS Backup schedule expression (UTC)
    start_window_minutes: int
    completion_window_minutes: int
    retention_days: int
    # Data stores that only support snapshots (DynamoDB through AWS Backup, EFS, EBS) must
    # provide point-in-time recovery themselves when this is True.
    requires_native_pitr: bool

    @property
    def snapshot_rpo_minutes(self) -> int:
        """The worst-case data loss from snapshots alone."""
        return self.interval_minutes


def _snapshot_interval_minutes(rpo_minutes: int) -> int:
    """The longest interval that keeps every gap within the RPO: whole hours that divide a day
    (so gaps across midnight are equal too), at least hourly, at most daily."""
    if rpo_minutes >= DAY_MINUTES:
        return DAY_MINUTES
    hours = max(1, rpo_minutes // 60)
    while 24 % hours:
        hours -= 1
    return hours * 60


def _cron(interval_minutes: int) -> str:
    if interval_minutes >= DAY_MINUTES:
        return "cron(0 0 * * ? *)"
    hours = interval_minutes // 60
    return "cron(0 * * * ? *)" if hours == 1 else f"cron(0 0/{hours} * * ? *)"


def backup_schedule(
    targets: ResilienceTargets, retention_days: int = CONTINUOUS_MAX_RETENTION_DAYS
) -> BackupSchedule:
    """Size a backup rule from the recovery targets.

    - Snapshots run as often as the RPO needs, never more often than hourly (AWS Backup's limit).
    - RPO below an hour: continuous backup on top, and data stores must enable native PITR.
    - A snapshot job must finish before the next is due (else the RPO is silently missed): the
      completion window is the interval, but never below AWS Backup's minimum.
    - Continuous backups are kept at most 35 days, AWS Backup's point-in-time window.
    - The RTO is met by restore speed, not by the schedule: recovery points stay in warm storage
      (no cold-storage tier, whose restores take hours), and the DR drills measure restores.
    """
    if retention_days < 1:
        raise ValueError("retention_days must be positive")
    continuous = targets.rpo_minutes < MIN_SCHEDULE_INTERVAL_MINUTES
    if continuous and retention_days > CONTINUOUS_MAX_RETENTION_DAYS:
        raise ValueError(
            f"continuous backups are kept at most {CONTINUOUS_MAX_RETENTION_DAYS} days, not {retention_days}"
        )
    interval = _snapshot_interval_minutes(targets.rpo_minutes)
    completion = max(MIN_START_WINDOW_MINUTES + MIN_COMPLETION_AFTER_START_MINUTES, interval)
    return BackupSchedule(
        continuous=continuous,
        interval_minutes=interval,
        cron=_cron(interval),
        start_window_minutes=MIN_START_WINDOW_MINUTES,
        completion_window_minutes=completion,
        retention_days=retention_days,
        requires_native_pitr=continuous,
    )
