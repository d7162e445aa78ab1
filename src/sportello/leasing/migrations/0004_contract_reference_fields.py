"""Products, reference rates and subsidies become company reference data (step 3 of 3).

The text columns go; the foreign keys take their names. The first instalment
is a causale's code.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("leasing", "0003_contract_names_to_reference_data")]

    operations = [
        migrations.RemoveField(model_name="contract", name="product"),
        migrations.RemoveField(model_name="contract", name="reference_rate"),
        migrations.RemoveField(model_name="contract", name="subsidy"),
        migrations.RenameField(model_name="contract", old_name="product_ref", new_name="product"),
        migrations.RenameField(
            model_name="contract", old_name="reference_rate_ref", new_name="reference_rate"
        ),
        migrations.RenameField(model_name="contract", old_name="subsidy_ref", new_name="subsidy"),
        migrations.AlterField(
            model_name="contract",
            name="product",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="contracts",
                to="leasing.product",
                verbose_name="prodotto",
            ),
        ),
        migrations.AlterField(
            model_name="contract",
            name="reference_rate",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="contracts",
                to="leasing.referencerate",
                verbose_name="tasso di riferimento",
            ),
        ),
        migrations.AlterField(
            model_name="contract",
            name="subsidy",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="contracts",
                to="leasing.subsidy",
                verbose_name="agevolazione",
            ),
        ),
        migrations.AlterField(
            model_name="contract",
            name="first_instalment",
            field=models.CharField(
                choices=[
                    ("advance", "Anticipo"),
                    ("instalment", "Canone"),
                    ("indexation", "Indicizzazione"),
                    ("residual", "Valore residuo"),
                    ("collection_fees", "Spese di incasso"),
                ],
                default="advance",
                max_length=40,
                verbose_name="prima rata",
            ),
        ),
    ]
