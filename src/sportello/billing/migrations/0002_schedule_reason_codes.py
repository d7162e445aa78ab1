"""The schedule's causali become stable codes with translated labels.

The core system sent Italian text ("Canone", "Anticipo", ...); the known ones
become the codes of leasing.models.PaymentReason. Any other text is kept as
sent and shown as it is.
"""

from typing import Any

from django.db import migrations, models

#: The causali's codes by their Italian text (matched regardless of case).
REASON_CODES = {
    "anticipo": "advance",
    "canone": "instalment",
    "indicizzazione": "indexation",
    "valore residuo": "residual",
    "spese di incasso": "collection_fees",
}


def to_codes(apps: Any, schema_editor: Any) -> None:
    ScheduleEntry = apps.get_model("billing", "ScheduleEntry")
    for text, code in REASON_CODES.items():
        ScheduleEntry.objects.filter(reason__iexact=text).update(reason=code)


def to_text(apps: Any, schema_editor: Any) -> None:
    ScheduleEntry = apps.get_model("billing", "ScheduleEntry")
    for text, code in REASON_CODES.items():
        ScheduleEntry.objects.filter(reason=code).update(reason=text.capitalize())


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [
        migrations.RunPython(to_codes, to_text),
        migrations.AlterField(
            model_name="scheduleentry",
            name="reason",
            field=models.CharField(
                choices=[
                    ("advance", "Anticipo"),
                    ("instalment", "Canone"),
                    ("indexation", "Indicizzazione"),
                    ("residual", "Valore residuo"),
                    ("collection_fees", "Spese di incasso"),
                ],
                max_length=60,
                verbose_name="causale",
            ),
        ),
    ]
