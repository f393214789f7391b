"""Append-only rows: inserted once, never updated or deleted through the ORM.

Pathway events and audit entries are facts about the past. A wrong event is corrected by a new
event that points at it (``corrects``), never by editing; so the history a settlement was
computed from can always be replayed.
"""

from __future__ import annotations

from django.db import models


class AppendOnlyError(Exception):
    """Someone tried to change or remove an append-only row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: add a new row")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: add a new row")

    # bulk_update bypasses save(): refuse it too
    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: add a new row")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only: add a new row")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only: add a new row")
