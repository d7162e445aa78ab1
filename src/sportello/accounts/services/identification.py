"""Which customer the data printed on a contract or an invoice identify.

Registration (A1, A2) and the self-service unlock (A7) ask for the same data
and must match them the same way, so both use this one query.
"""

from __future__ import annotations

from django.db.models import Q

from sportello.core.models import Company
from sportello.customers.models import Customer


def identified_customer(
    company: Company,
    *,
    tax_id: str,
    contract_number: str = "",
    module_number: str = "",
    customer_code: str = "",
) -> Customer | None:
    """The customer of ``company`` these data identify, or None.

    Leasing: a contract with this number and module number (the letters of a
    module number in either case, as people copy it) of a customer with this
    codice fiscale or partita IVA. Utility: the customer with this code and
    this partita IVA or codice fiscale.
    """
    tax_id = tax_id.strip()
    if not tax_id:
        return None
    owners = Customer.objects.filter(company=company).filter(
        Q(codice_fiscale=tax_id) | Q(partita_iva=tax_id)
    )
    if company.is_leasing:
        if not contract_number.strip() or not module_number.strip():
            return None
        # Through the customer's reverse relation, so accounts needs no import
        # of the leasing app (which stands above it).
        return owners.filter(
            contracts__company=company,
            contracts__number=contract_number.strip(),
            contracts__module_number__iexact=module_number.strip(),
        ).first()
    if not customer_code.strip():
        return None
    return owners.filter(code=customer_code.strip()).first()
