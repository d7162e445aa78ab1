"""Products, reference rates and subsidies become company reference data (step 1 of 3).

The new models, and nullable foreign keys beside the old text columns; the
next migration fills them, the one after drops the text.
"""

import django.db.models.deletion
from django.db import migrations, models

class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('leasing', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Product',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='Il codice del sistema gestionale.', max_length=40, verbose_name='codice')),
                ('name_it', models.CharField(max_length=120, verbose_name='nome (italiano)')),
                ('name_en', models.CharField(max_length=120, verbose_name='nome (inglese)')),
                ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.company', verbose_name='società')),
            ],
            options={
                'verbose_name': 'prodotto',
                'verbose_name_plural': 'prodotti',
                'ordering': ['company', 'name_it'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='ReferenceRate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='Il codice del sistema gestionale.', max_length=40, verbose_name='codice')),
                ('name_it', models.CharField(max_length=120, verbose_name='nome (italiano)')),
                ('name_en', models.CharField(max_length=120, verbose_name='nome (inglese)')),
                ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.company', verbose_name='società')),
            ],
            options={
                'verbose_name': 'tasso di riferimento',
                'verbose_name_plural': 'tassi di riferimento',
                'ordering': ['company', 'name_it'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Subsidy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='Il codice del sistema gestionale.', max_length=40, verbose_name='codice')),
                ('name_it', models.CharField(max_length=120, verbose_name='nome (italiano)')),
                ('name_en', models.CharField(max_length=120, verbose_name='nome (inglese)')),
                ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.company', verbose_name='società')),
            ],
            options={
                'verbose_name': 'agevolazione',
                'verbose_name_plural': 'agevolazioni',
                'ordering': ['company', 'name_it'],
                'abstract': False,
            },
        ),
        migrations.AddConstraint(
            model_name='product',
            constraint=models.UniqueConstraint(fields=('company', 'code'), name='leasing_product_unique_code'),
        ),
        migrations.AddConstraint(
            model_name='referencerate',
            constraint=models.UniqueConstraint(fields=('company', 'code'), name='leasing_referencerate_unique_code'),
        ),
        migrations.AddConstraint(
            model_name='subsidy',
            constraint=models.UniqueConstraint(fields=('company', 'code'), name='leasing_subsidy_unique_code'),
        ),
    migrations.AddField(
            model_name='contract',
            name='product_ref',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='leasing.product'),
        ),
        migrations.AddField(
            model_name='contract',
            name='reference_rate_ref',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='leasing.referencerate'),
        ),
        migrations.AddField(
            model_name='contract',
            name='subsidy_ref',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='leasing.subsidy'),
        ),
    ]
