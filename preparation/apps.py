from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Readable names in the access log for the privacy officer; the test of the
# access-log labels fails on an object type without one.
OBJECT_TYPE_LABELS = {
    "preparation": _("Voorbereiding (handleiding van een inwoner)"),
    "preparations": _("Voorbereidingen van een inwoner"),
    "preparation_item": _("Onderdeel van een voorbereiding (vinkje en notitie)"),
    "preparation_document": _("Document bij een voorbereiding"),
}


class PreparationConfig(AppConfig):
    """Preparation guides: a checklist with notes and documents per item (issue 12)."""

    name = "preparation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.labels import register_object_type_label
        from organisations.caseload import caseload_counts_register
        from preparation import records, timeline_kinds
        from preparation.selectors import CASELOAD_COUNTS

        # "Nieuw van inwoner" on the caseload: a preparation said to be ready.
        caseload_counts_register(CASELOAD_COUNTS)
        timeline_kinds.register()
        # In the resident's data export, and a record class of the retention engine.
        records.register()
        for code, label in OBJECT_TYPE_LABELS.items():
            register_object_type_label(code, label)
