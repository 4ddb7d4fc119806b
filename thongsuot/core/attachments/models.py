"""The fields every system's attachment model shares (abstract: each system keeps its own table)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttachmentBase(models.Model):
    """A stored file checked by an AttachmentPolicy. A system's model adds what the file is attached to
    (and overrides `file`/`thumbnail` for its own upload_to), and registers an owner (owners.register) that
    says who may download it."""

    file = models.FileField(max_length=200)
    thumbnail = models.FileField(max_length=200, blank=True)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name
