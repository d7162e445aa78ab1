"""Products, reference rates and subsidies become company reference data (step 2 of 3).

Each company gets one row per name its contracts carried; the English name
starts as the known translation of the core system's usual names, else the
Italian one, for the operators to complete in the back office. The first
instalment's free text becomes the causale's code.
"""

from typing import Any

from django.db import migrations
from django.utils.text import slugify

#: English names of the names the core systems commonly use.
KNOWN_EN = {
    "leasing targato": "Vehicle leasing",
    "leasing strumentale": "Equipment leasing",
    "leasing immobiliare": "Real-estate leasing",
    "leasing nautico": "Boat leasing",
    "tasso fisso": "Fixed rate",
    "euribor 3 m.l. (div.360)": "3-month Euribor (act/360)",
    "nessuna agevolazione": "No subsidy",
}
#: The causali's codes (leasing.models.PaymentReason) by their Italian text.
REASON_CODES = {
    "anticipo": "advance",
    "canone": "instalment",
    "indicizzazione": "indexation",
    "valore residuo": "residual",
    "spese di incasso": "collection_fees",
}
FIELDS = [("product", "Product"), ("reference_rate", "ReferenceRate"), ("subsidy", "Subsidy")]


def to_reference_data(apps: Any, schema_editor: Any) -> None:
    Contract = apps.get_model("leasing", "Contract")
    for field, model_name in FIELDS:
        model = apps.get_model("leasing", model_name)
        names = (
            Contract.objects.exclude(**{field: ""})
            .values_list("company_id", field)
            .distinct()
            .order_by()
        )
        for company_id, name in names:
            code = (slugify(name).upper() or "X")[:40]
            reference, _ = model.objects.get_or_create(
                company_id=company_id,
                code=code,
                defaults={"name_it": name, "name_en": KNOWN_EN.get(name.lower(), name)},
            )
            Contract.objects.filter(company_id=company_id, **{field: name}).update(
                **{f"{field}_ref": reference}
            )
    for text, code in REASON_CODES.items():
        Contract.objects.filter(first_instalment__iexact=text).update(first_instalment=code)


def to_names(apps: Any, schema_editor: Any) -> None:
    Contract = apps.get_model("leasing", "Contract")
    for contract in Contract.objects.select_related("product_ref", "reference_rate_ref", "subsidy_ref"):
        for field, _ in FIELDS:
            reference = getattr(contract, f"{field}_ref")
            setattr(contract, field, reference.name_it if reference else "")
        contract.save(update_fields=[field for field, _ in FIELDS])
    for text, code in REASON_CODES.items():
        Contract.objects.filter(first_instalment=code).update(first_instalment=text.capitalize())


class Migration(migrations.Migration):
    dependencies = [("leasing", "0002_company_reference_data")]

    operations = [migrations.RunPython(to_reference_data, to_names)]
