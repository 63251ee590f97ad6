from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A running task worker (``secondcareer db_worker``), seen at ``seen_at``.

    The worker writes it every few seconds, from a thread of its own so that a long
    task does not silence it. A worker not seen for ``TASKS_WORKER_TIMEOUT`` seconds is
    taken for dead: the tasks it left RUNNING are queued again (docs/adr/0013)."""

    worker_id = models.CharField(_("ワーカーID"), max_length=64, primary_key=True)
    hostname = models.CharField(_("ホスト名"), max_length=255)
    pid = models.PositiveIntegerField(_("プロセスID"))
    started_at = models.DateTimeField(_("起動日時"))
    seen_at = models.DateTimeField(_("最終応答日時"), db_index=True)

    class Meta:
        verbose_name = _("タスクワーカー")
        verbose_name_plural = _("タスクワーカー")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
