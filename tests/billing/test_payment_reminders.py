"""Payment reminders (F3): before a due date and once it is overdue, each once."""

from __future__ import annotations

import datetime as dt

from tests.billing.helpers import entry
from tests.factories import Tenant, make_contract, make_sub_user

from sportello.billing.services import send_payment_reminders
from sportello.notices.models import Category, Notification

TODAY = dt.date(2026, 3, 10)


def test_it_reminds_the_customer_of_what_falls_due_within_the_companys_days(
    release: Tenant,
) -> None:
    contract = make_contract(release.customer)
    entry(contract, TODAY + dt.timedelta(days=3), "1000.00", number=1)
    entry(contract, TODAY + dt.timedelta(days=5), "500.50", number=2)
    entry(contract, TODAY + dt.timedelta(days=6), "700.00", number=3)  # later than 5 days
    entry(contract, TODAY + dt.timedelta(days=2), "300.00", "300.00", number=4)  # paid
    make_sub_user(release.user)

    assert send_payment_reminders(TODAY) == 1

    notice = Notification.objects.get()
    assert notice.recipient == release.user  # the main user, not the sub-user
    assert notice.category == Category.PAYMENT_REMINDERS
    assert notice.title == "2 pagamenti in scadenza entro il 15/03/2026"
    assert notice.body.startswith("Totale da pagare: 1.500,50\u00a0€.")
    assert notice.title_en == "2 payments due by 15/03/2026"
    assert notice.link.endswith("/fatture-e-pagamenti/")


def test_it_tells_once_what_became_overdue(release: Tenant) -> None:
    contract = make_contract(release.customer)
    entry(contract, TODAY - dt.timedelta(days=1), "1000.00", "400.00", number=1)
    entry(contract, TODAY - dt.timedelta(days=30), "900.00", number=2)  # long overdue: history

    assert send_payment_reminders(TODAY) == 1
    assert send_payment_reminders(TODAY) == 0
    assert send_payment_reminders(TODAY + dt.timedelta(days=1)) == 0

    notice = Notification.objects.get()
    assert notice.title == "Un pagamento è scaduto"
    assert "600,00" in notice.body


def test_it_reminds_nobody_where_the_company_turned_reminders_off(release: Tenant) -> None:
    release.company.payment_reminder_days = 0
    release.company.save()
    entry(make_contract(release.customer), TODAY + dt.timedelta(days=1), "1000.00")

    assert send_payment_reminders(TODAY) == 0
    assert not Notification.objects.exists()


def test_it_reminds_only_leasing_customers(energia: Tenant) -> None:
    entry(make_contract(energia.customer), TODAY + dt.timedelta(days=1), "1000.00")

    assert send_payment_reminders(TODAY) == 0
