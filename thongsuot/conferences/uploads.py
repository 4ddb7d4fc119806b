"""The documents attached to a meeting (agenda, reports): PDF, DOCX, XLSX, ODT."""

from thongsuot.core import attachments
from thongsuot.core.attachments import MB, AttachmentPolicy, Rule

DOCUMENTS = AttachmentPolicy(
    name="conferences.documents",
    max_files=10,
    rules=(Rule("pdf", 20 * MB), Rule("docx", 10 * MB), Rule("xlsx", 10 * MB), Rule("odt", 10 * MB)),
)


def register_owner():
    from thongsuot.conferences import selectors
    from thongsuot.conferences.models import MeetingDocument, MeetingRecording

    attachments.register(
        "conferences",
        queryset=lambda: MeetingDocument.objects.select_related("meeting"),
        can_view=lambda user, item: selectors.can_view_meeting(user, item.meeting),
    )
    # Recordings: only those who see the meeting (the invited units, the organiser, the chair, city-wide).
    attachments.register(
        "conferences-recordings",
        queryset=lambda: MeetingRecording.objects.select_related("meeting"),
        can_view=lambda user, item: selectors.can_view_meeting(user, item.meeting),
    )
