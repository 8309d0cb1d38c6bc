from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Readable names in the access log for the privacy officer; the test of the
# access-log labels fails on an object type without one.
OBJECT_TYPE_LABELS = {
    "learning": _("Online leren (e-learning) van de inwoner"),
    "learning_run": _("Voortgang en antwoorden in een e-learningmodule"),
    "learning_assignment": _("E-learningmodule klaargezet voor de inwoner"),
    "library_item": _("Artikel in de bibliotheek voor één inwoner"),
    "training": _("Training (cursus in een groep)"),
    "training_participant": _("Deelname aan een training"),
}


class LearningConfig(AppConfig):
    """Library, self-paced e-learning modules and blended trainings (issue 12)."""

    name = "learning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.labels import register_object_type_label
        from learning import records, timeline_kinds

        timeline_kinds.register()
        records.register()
        for code, label in OBJECT_TYPE_LABELS.items():
            register_object_type_label(code, label)
