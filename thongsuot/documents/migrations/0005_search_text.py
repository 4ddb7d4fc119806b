"""The folded search text of a document (summary, notation, issuing body, the text of its PDF), filled for
the documents already there, and on PostgreSQL a trigram GIN index over it (LIKE '%…%' through the index)."""

from django.db import migrations, models

from thongsuot.core.migration_operations import postgresql_only
from thongsuot.core.text import fold


def fill(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    for document in Document.objects.only("pk", "notation", "issuing_body", "summary").iterator():
        text = fold(" ".join([document.notation, document.issuing_body, document.summary]))
        Document.objects.filter(pk=document.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_confidential_named_people"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="extracted_text",
            field=models.TextField(blank=True, editable=False, verbose_name="text of the file"),
        ),
        migrations.AddField(
            model_name="document",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        postgresql_only(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm; "
            "CREATE INDEX documents_search_trgm ON documents_document USING gin (search_text gin_trgm_ops);",
            "DROP INDEX IF EXISTS documents_search_trgm;",
        ),
    ]
