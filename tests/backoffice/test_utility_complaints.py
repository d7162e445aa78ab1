"""E6 in the back office: an energy seller's complaints and tickets.

A TIQV complaint runs 30 calendar days in the queue (the SQL states equal the
engine's), shows its terms and the customer's points on its page, is closed
only with the referral to ARERA's Servizio Conciliazione in the customer's
language, and is registered with its clock; leasing complaints keep theirs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from tests.backoffice.helpers import at_noon, open_request
from tests.factories import Tenant, make_operator, operator_client
from tests.servicedesk.utility import UtilityCustomer, utility_customer

from sportello.accounts.models import PortalUser
from sportello.backoffice.queue import QueueFilter, companies_at_a_glance, queue
from sportello.core.audit import Origin
from sportello.core.models import Company
from sportello.notices.models import Notification
from sportello.servicedesk import services
from sportello.servicedesk.deadlines import ComplaintClock
from sportello.servicedesk.models import (
    ComplaintOutcome,
    RequestKind,
    RequestMessage,
    RequestStatus,
    ServiceRequest,
)
from sportello.servicedesk.services import ServiceLevel, service_level

#: The queue is looked at on Monday 18 May 2026.
TODAY = dt.date(2026, 5, 18)


def on(day: dt.date) -> Any:
    return time_machine.travel(at_noon(day), tick=False)


@pytest.fixture
def utility(energia: Tenant) -> UtilityCustomer:
    return utility_customer(energia)


@pytest.fixture
def seller_operator(energia: Tenant) -> PortalUser:
    return make_operator(energia.company, permissions=[], username="mneri")


@pytest.fixture
def seller_desk(seller_operator: PortalUser) -> Client:
    return operator_client(seller_operator)


def complaint(utility: UtilityCustomer, day: dt.date, title: str = "Bolletta") -> ServiceRequest:
    with on(day):
        return open_request(
            utility.tenant, RequestKind.COMPLAINT, title=title, supply_point=utility.gas
        )


def url(name: str, request: ServiceRequest) -> str:
    return reverse(f"backoffice:{name}", args=[request.company.slug, request.code])


def close_data(referral: str) -> dict[str, str]:
    return {
        "close-answer": "Abbiamo ricalcolato la bolletta: troverà il rimborso nella prossima.",
        "close-outcome": ComplaintOutcome.ACCEPTED,
        "close-referral": referral,
    }


# -- the clock in the queue ---------------------------------------------------------------


@pytest.fixture
def seller_requests(
    utility: UtilityCustomer, seller_operator: PortalUser
) -> dict[str, ServiceRequest]:
    """An energy seller's requests in every state, as seen on 18/05/2026."""
    desk = Origin(utility.tenant.company, seller_operator)
    made = {
        # 30 calendar days: due 16/05/2026, two days ago.
        "late": complaint(utility, dt.date(2026, 4, 16), "Conguaglio"),
        # Due 20/05/2026: in two days.
        "soon": complaint(utility, dt.date(2026, 4, 20), "Lettura stimata"),
        # Due 14/06/2026.
        "fresh": complaint(utility, dt.date(2026, 5, 15), "Voltura"),
        # Answered on 12/05 but open: due 03/06/2026.
        "answered": complaint(utility, dt.date(2026, 5, 4), "Potenza"),
        # Closed on 12/05, in time (due 31/05/2026).
        "closed": complaint(utility, dt.date(2026, 5, 1), "Allaccio"),
        # Closed on 12/05, late (due 30/04/2026).
        "closed_late": complaint(utility, dt.date(2026, 3, 31), "Rimborso"),
    }
    with on(dt.date(2026, 5, 15)):
        made["ticket"] = open_request(
            utility.tenant, RequestKind.UTILITY_TICKET, title="Lettura", supply_point=utility.gas
        )
    with on(dt.date(2026, 5, 12)):
        services.desk_reply(desk, made["answered"], "Stiamo verificando con il distributore.")
        for name in ("closed", "closed_late"):
            services.close_request(
                desk,
                made[name],
                answer="Risolto.",
                outcome=ComplaintOutcome.ACCEPTED,
                referral=services.referral_for(made[name]),
            )
    for request in made.values():
        request.refresh_from_db()
    return made


def test_it_gives_an_energy_sellers_complaint_thirty_calendar_days(
    seller_requests: dict[str, ServiceRequest],
) -> None:
    assert {name: r.due_on for name, r in seller_requests.items()} == {
        "late": dt.date(2026, 5, 16),
        "soon": dt.date(2026, 5, 20),
        "fresh": dt.date(2026, 6, 14),
        "answered": dt.date(2026, 6, 3),
        "closed": dt.date(2026, 5, 31),
        "closed_late": dt.date(2026, 4, 30),
        "ticket": None,
    }


def test_it_shows_each_state_of_an_energy_sellers_requests_in_the_queue(
    seller_desk: Client, seller_requests: dict[str, ServiceRequest]
) -> None:
    with on(TODAY):
        response = seller_desk.get(reverse("backoffice:queue", args=["energia"]), {"status": "all"})

    levels = {row.code: (row.deadline, level) for row, level in response.context["rows"]}
    expected = {
        "late": (dt.date(2026, 5, 16), ServiceLevel.OVERDUE),
        "soon": (dt.date(2026, 5, 20), ServiceLevel.DUE_SOON),
        "fresh": (dt.date(2026, 6, 14), ServiceLevel.FIRST_ANSWER_DUE),
        "answered": (dt.date(2026, 6, 3), ServiceLevel.IN_TIME),
        "closed": (dt.date(2026, 5, 31), ServiceLevel.MET),
        "closed_late": (dt.date(2026, 4, 30), ServiceLevel.OVERDUE),
    }
    for name, state in expected.items():
        assert levels[seller_requests[name].code] == state, name
    # Open complaints first, by their statutory date.
    assert [row.code for row, _level in response.context["rows"]][:4] == [
        seller_requests[name].code for name in ("late", "soon", "answered", "fresh")
    ]


def test_it_computes_in_sql_the_same_state_as_the_engine_for_an_energy_seller(
    energia: Tenant, seller_operator: PortalUser, seller_requests: dict[str, ServiceRequest]
) -> None:
    days = [dt.date(2026, 4, 1) + dt.timedelta(days=n) for n in range(0, 90, 3)]
    for today in days:
        rows = queue(energia.company, QueueFilter(status="all"), today, seller_operator)

        assert {r.code: r.service_state for r in rows} == {
            r.code: service_level(r, today).value for r in rows
        }, today


def test_it_counts_an_energy_sellers_overdue_complaints_at_a_glance(
    energia: Tenant, seller_requests: dict[str, ServiceRequest]
) -> None:
    found = companies_at_a_glance(Company.objects.filter(pk=energia.company.pk), TODAY).get()

    # Open: late, soon, fresh, answered and the ticket; overdue: late only.
    assert (found.open_requests, found.overdue_complaints) == (5, 1)


# -- the request page and closing -------------------------------------------------------


def test_it_shows_the_terms_and_the_customers_points(
    utility: UtilityCustomer, seller_desk: Client
) -> None:
    opened = complaint(utility, dt.date(2026, 5, 4))

    with on(dt.date(2026, 5, 5)):
        page = seller_desk.get(url("request", opened)).content.decode()

    clock = page.split('id="complaint-clock"', 1)[1].split("</section>", 1)[0]
    assert "30 giorni di calendario (TIQV ARERA, art. 14)" in clock
    assert "03/06/2026" in clock  # due
    assert "13/06/2026" in clock  # ARERA's conciliation without an answer
    assert "60 giorni" not in clock and "servizio di pagamento" not in clock.lower()
    points = page.split('id="supply-points"', 1)[1].split("</ul>", 1)[0]
    assert "PR002873" in points and "PR002874" in points
    assert "oggetto della richiesta" in points.split("PR002874", 1)[1]
    assert "Nessun contratto" not in page
    data = page.split('id="typed-fields"', 1)[1].split("</dl>", 1)[0]
    assert "Punto di fornitura" in data and "03340009749021" in data


@pytest.mark.parametrize("language", ["it", "en"])
def test_it_prefills_the_arera_referral_in_the_customers_language(
    utility: UtilityCustomer, seller_desk: Client, language: str
) -> None:
    utility.tenant.user.language = language
    utility.tenant.user.save()
    opened = complaint(utility, dt.date(2026, 5, 4))

    page = seller_desk.get(url("request", opened)).content.decode()

    referral = services.referral_text(language, ComplaintClock.UTILITY)
    assert f">\n{escape(referral)}</textarea>" in page
    assert "Indicazione del Servizio Conciliazione ARERA" in page
    assert "Arbitro Bancario" not in page


def test_it_writes_the_arera_referral_with_its_names_in_both_languages() -> None:
    for language in ("it", "en"):
        referral = services.referral_text(language, ComplaintClock.UTILITY)
        assert all(name in referral for name in services.UTILITY_REFERRAL_NAMES), language
        assert "40" in referral
    leasing = services.referral_text("it")
    assert leasing == services.referral_text("it", ComplaintClock.LEASING)
    assert "Servizio Conciliazione" not in leasing


@pytest.mark.parametrize(
    "referral",
    ["", "Può rivolgersi al giudice.", services.referral_text("it", ComplaintClock.LEASING)],
)
def test_it_will_not_close_a_complaint_without_the_arera_referral(
    utility: UtilityCustomer, seller_desk: Client, referral: str
) -> None:
    opened = complaint(utility, dt.date(2026, 5, 4))

    response = seller_desk.post(url("close", opened), close_data(referral))

    assert response.status_code == 200
    assert "Servizio Conciliazione dell&#x27;ARERA (conciliazione.arera.it)" in (
        response.content.decode()
    )
    opened.refresh_from_db()
    assert (opened.status, opened.closed_at, opened.outcome) == (RequestStatus.OPEN, None, "")
    assert not RequestMessage.objects.filter(request=opened, from_service_desk=True).exists()
    assert not Notification.objects.exists()


def test_it_refuses_to_close_without_the_referral_in_the_engine_too(
    utility: UtilityCustomer, seller_operator: PortalUser
) -> None:
    opened = complaint(utility, dt.date(2026, 5, 4))

    with pytest.raises(ValidationError) as refused:
        services.close_request(
            Origin(utility.tenant.company, seller_operator),
            opened,
            answer="Risolto.",
            outcome=ComplaintOutcome.ACCEPTED,
            referral=services.referral_text("it"),
        )

    assert list(refused.value.message_dict) == ["referral"]


def test_it_closes_a_complaint_with_the_arera_referral_and_tells_the_customer(
    utility: UtilityCustomer, seller_desk: Client
) -> None:
    opened = complaint(utility, dt.date(2026, 5, 4))
    referral = services.referral_text("it", ComplaintClock.UTILITY)

    with on(dt.date(2026, 5, 20)):
        response = seller_desk.post(url("close", opened), close_data(referral))

    assert response.status_code == 302
    opened.refresh_from_db()
    assert (opened.status, opened.outcome) == (RequestStatus.CLOSED, ComplaintOutcome.ACCEPTED)
    final = RequestMessage.objects.filter(request=opened).last()
    assert final is not None and final.body.endswith(referral)
    notice = Notification.objects.get(request=opened)
    assert notice.is_mandatory and notice.recipient == utility.tenant.user
    customer_page = utility.client().get(f"/richieste/{opened.code}/").content.decode()
    assert "conciliazione.arera.it" in customer_page
    assert 'id="conciliation-note"' not in customer_page  # closed: the answer says it


def test_it_keeps_the_leasing_referral_for_a_leasing_complaint(
    release: Tenant, desk: Client
) -> None:
    leasing = open_request(release, RequestKind.COMPLAINT, title="Canone")

    page = desk.get(url("request", leasing)).content.decode()

    assert f">\n{escape(services.referral_text('it'))}</textarea>" in page
    assert "Indicazione ABF e Conciliatore BancarioFinanziario" in page
    assert "Servizio Conciliazione" not in page and "TIQV" not in page
    assert leasing.due_on == leasing.received_on + dt.timedelta(days=60)  # type: ignore[operator]


def test_it_shows_a_ticket_with_its_point_and_closes_it_without_a_referral(
    utility: UtilityCustomer, seller_desk: Client
) -> None:
    with on(dt.date(2026, 5, 4)):
        ticket = open_request(
            utility.tenant,
            RequestKind.UTILITY_TICKET,
            title="Voltura a nome della società",
            request_type=utility.types[0],
            supply_point=utility.electricity,
        )

    page = seller_desk.get(url("request", ticket)).content.decode()
    response = seller_desk.post(url("close", ticket), {"close-answer": "Fatto."})

    assert "Voltura: Voltura a nome della società" in page
    assert "close-referral" not in page and 'id="complaint-clock"' not in page
    assert response.status_code == 302


# -- the register -----------------------------------------------------------------------


def test_it_registers_an_energy_sellers_complaints_with_their_clock(
    energia: Tenant, seller_desk: Client, seller_requests: dict[str, ServiceRequest]
) -> None:
    with on(TODAY):
        response = seller_desk.get(
            reverse("backoffice:complaints_register", args=["energia"]), {"format": "csv"}
        )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text), delimiter=";")}

    closed = rows[seller_requests["closed"].code]
    assert closed[3:5] == ["01/05/2026", "TIQV (ARERA), 30 giorni"]
    assert closed[6] == "31/05/2026" and closed[8] == "12/05/2026"
    assert closed[10:] == ["11", "Chiusa", "sì"]
    assert rows[seller_requests["closed_late"].code][-1] == "no"
    assert rows[seller_requests["late"].code][-1] == "no"  # open past its date
    assert rows[seller_requests["fresh"].code][-1] == ""
    assert seller_requests["ticket"].code not in rows
