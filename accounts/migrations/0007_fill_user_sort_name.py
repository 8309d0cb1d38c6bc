"""Fill ``sort_name`` for the accounts that existed before the field."""

from django.db import migrations

from samenspraak.names import surname_sort_key


def fill_sort_name(apps, schema_editor):  # type: ignore[no-untyped-def]
    User = apps.get_model("accounts", "User")
    for user in User.objects.only("pk", "last_name").iterator(chunk_size=2000):
        key = surname_sort_key(user.last_name)
        if key:
            User.objects.filter(pk=user.pk).update(sort_name=key)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_user_sort_name"),
    ]

    operations = [
        # Going back drops the field in 0006; nothing to undo here.
        migrations.RunPython(fill_sort_name, migrations.RunPython.noop),
    ]
