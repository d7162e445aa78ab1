"""The queue: a company's requests, filtered and sorted in SQL, each with its service level."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries
from tests.backoffice.helpers import at_noon, open_request
from tests.factories import Tenant, make_operator, operator_client

from sportello.accounts.models import PortalUser
from sportello.backoffice.queue import QueueFilter, queue
from sportello.core.audit import Origin
from sportello.servicedesk import services
from sportello.servicedesk.models import RequestKind, RequestStatus, ServiceRequest
from sportello.servicedesk.services import ServiceLevel, service_level

#: The queue is looked at on Monday 18 May 2026.
TODAY = dt.date(2026, 5, 18)


def opened_on(tenant: Tenant, day: dt.date, **kwargs: Any) -> ServiceRequest:
    with time_machine.travel(at_noon(day), tick=False):
        return open_request(tenant, **kwargs)


@pytest.fixture
def requests(release: Tenant, operator: PortalUser) -> dict[str, ServiceRequest]:
    """One request in every state the queue tells apart, on 18/05/2026."""
    desk = Origin(release.company, operator, "192.0.2.9")
    made = {
        # First answer due 06/05, never given.
        "late": opened_on(release, dt.date(2026, 5, 4), title="Duplicato fattura"),
        # First answer due Tuesday 19/05: tomorrow.
        "soon": opened_on(release, dt.date(2026, 5, 15), title="Nuovo IBAN"),
        "waiting": opened_on(release, dt.date(2026, 5, 11), title="Documenti"),
        "answered": opened_on(release, dt.date(2026, 5, 12), title="Piano di ammortamento"),
        # Answered and closed on 12/05, in time (due 13/05).
        "closed": opened_on(release, dt.date(2026, 5, 11), title="Vecchia richiesta"),
        # 60 calendar days: due 03/07/2026.
        "complaint": opened_on(
            release, dt.date(2026, 5, 4), kind=RequestKind.COMPLAINT, title="Reclamo canone"
        ),
        # 15 business days from Friday 24/04/2026: due today, 18/05/2026.
        "payment_complaint": opened_on(
            release,
            dt.date(2026, 4, 24),
            kind=RequestKind.COMPLAINT,
            title="Addebito SDD",
            is_payment_service=True,
        ),
    }
    with time_machine.travel(at_noon(dt.date(2026, 5, 12)), tick=False):
        services.set_status(desk, made["waiting"], RequestStatus.WAITING_CUSTOMER)
        services.desk_reply(desk, made["answered"], "Ecco il piano.")
        services.close_request(desk, made["closed"], answer="Fatto.")
        services.assign(desk, made["soon"], operator)
    for request in made.values():
        request.refresh_from_db()
    return made


def codes(response: Any) -> list[str]:
    return [row.code for row, _level in response.context["rows"]]


def get_queue(client: Client, **filters: str) -> Any:
    with time_machine.travel(at_noon(TODAY), tick=False):
        response = client.get(reverse("backoffice:queue", args=["release"]), filters)
    assert response.status_code == 200
    return response


def test_it_puts_open_complaints_first_by_due_date_then_the_rest_by_last_activity(
    desk: Client, requests: dict[str, ServiceRequest]
) -> None:
    response = get_queue(desk)

    # Closed requests are not in the default view; the answered one moved last on 12/05.
    assert codes(response) == [
        requests[name].code
        for name in ("payment_complaint", "complaint", "soon", "answered", "waiting", "late")
    ]


def test_it_shows_the_service_level_in_words_next_to_the_deadline(
    desk: Client, requests: dict[str, ServiceRequest]
) -> None:
    response = get_queue(desk, status="all")

    levels = {row.code: (row.deadline, level) for row, level in response.context["rows"]}
    assert levels[requests["late"].code] == (dt.date(2026, 5, 6), ServiceLevel.OVERDUE)
    assert levels[requests["soon"].code] == (dt.date(2026, 5, 19), ServiceLevel.DUE_SOON)
    assert levels[requests["waiting"].code][1] == ServiceLevel.PAUSED
    assert levels[requests["answered"].code][1] == ServiceLevel.MET
    assert levels[requests["complaint"].code] == (
        dt.date(2026, 7, 3),
        ServiceLevel.FIRST_ANSWER_DUE,
    )
    assert levels[requests["payment_complaint"].code] == (
        dt.date(2026, 5, 18),
        ServiceLevel.DUE_SOON,
    )
    page = response.content.decode()
    for text in ("Scaduta", "In scadenza", "In pausa", "Rispettata", "Prima risposta da dare"):
        assert text in page
    assert "18/05/2026" in page and "06/05/2026" in page


@pytest.fixture
def answered_complaints(release: Tenant, operator: PortalUser) -> dict[str, ServiceRequest]:
    """Two open complaints the desk already answered on 12/05/2026."""
    desk = Origin(release.company, operator, "192.0.2.9")
    made = {
        # 60 calendar days from 05/05/2026: due 04/07/2026; an answer, not closed.
        "answered_complaint": opened_on(
            release, dt.date(2026, 5, 5), kind=RequestKind.COMPLAINT, title="Canone doppio"
        ),
        # 15 business days from 11/05/2026 (due 01/06), 35 with the interim reply.
        "interim_complaint": opened_on(
            release,
            dt.date(2026, 5, 11),
            kind=RequestKind.COMPLAINT,
            title="Addebito SDD non autorizzato",
            is_payment_service=True,
        ),
    }
    with time_machine.travel(at_noon(dt.date(2026, 5, 12)), tick=False):
        services.desk_reply(desk, made["answered_complaint"], "Stiamo verificando.")
        services.interim_reply(desk, made["interim_complaint"], "Serve più tempo.")
    for request in made.values():
        request.refresh_from_db()
    return made


def test_it_says_an_answered_complaint_in_time_is_within_the_deadline(
    desk: Client, answered_complaints: dict[str, ServiceRequest]
) -> None:
    response = get_queue(desk)

    levels = {row.code: level for row, level in response.context["rows"]}
    for complaint in answered_complaints.values():
        assert levels[complaint.code] == ServiceLevel.IN_TIME
    table = response.content.decode().split('id="queue"')[1]
    assert "Nei termini" in table
    assert "Prima risposta da dare" not in table


def test_it_filters_the_answered_complaints_in_time_apart_from_those_still_to_answer(
    desk: Client,
    requests: dict[str, ServiceRequest],
    answered_complaints: dict[str, ServiceRequest],
) -> None:
    in_time = codes(get_queue(desk, deadline="in_time"))
    to_answer = codes(get_queue(desk, deadline="first_answer_due"))

    assert sorted(in_time) == sorted(c.code for c in answered_complaints.values())
    assert to_answer == [requests["complaint"].code]
    assert ("in_time", "Nei termini") in get_queue(desk).context["form"].fields["deadline"].choices


def test_it_computes_in_sql_the_same_service_level_as_the_engine(
    release: Tenant,
    operator: PortalUser,
    requests: dict[str, ServiceRequest],
    answered_complaints: dict[str, ServiceRequest],
) -> None:
    days = (dt.date(2026, 5, 1), dt.date(2026, 5, 13), TODAY, dt.date(2026, 6, 30))
    for today in (*days, dt.date(2026, 7, 10)):
        rows = queue(release.company, QueueFilter(status="all"), today, operator)

        assert {r.code: r.service_state for r in rows} == {
            r.code: service_level(r, today).value for r in rows
        }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": "closed"}, ["closed"]),
        ({"status": "waiting_customer"}, ["waiting"]),
        ({"kind": "complaint"}, ["payment_complaint", "complaint"]),
        ({"assignee": "me"}, ["soon"]),
        ({"deadline": "overdue"}, ["late"]),
        ({"deadline": "due_soon"}, ["payment_complaint", "soon"]),
        ({"deadline": "paused"}, ["waiting"]),
        ({"deadline": "met", "status": "all"}, ["closed", "answered"]),
        ({"kind": "complaint", "deadline": "first_answer_due"}, ["complaint"]),
    ],
)
def test_it_filters_the_queue(
    desk: Client,
    requests: dict[str, ServiceRequest],
    filters: dict[str, str],
    expected: list[str],
) -> None:
    assert codes(get_queue(desk, **filters)) == [requests[name].code for name in expected]


def test_it_filters_by_an_operator_and_by_nobody(
    release: Tenant, operator: PortalUser, desk: Client, requests: dict[str, ServiceRequest]
) -> None:
    colleague = make_operator(release.company, permissions=[], username="lbianchi")
    services.assign(Origin(release.company, operator), requests["late"], colleague)

    mine = codes(get_queue(desk, assignee=str(colleague.pk)))
    nobody = codes(get_queue(desk, assignee="none"))

    assert mine == [requests["late"].code]
    assert requests["late"].code not in nobody and requests["soon"].code not in nobody
    assert requests["waiting"].code in nobody


def test_it_refuses_an_assignee_filter_of_another_company(
    desk: Client, rival: PortalUser, requests: dict[str, ServiceRequest]
) -> None:
    response = get_queue(desk, assignee=str(rival.pk))

    assert response.context["page"] is None
    assert "rows" not in response.context
    assert "Il filtro non è stato applicato" in response.content.decode()
    assert rival.username not in response.content.decode()


def test_it_never_lists_another_companys_requests(
    desk: Client, energia: Tenant, requests: dict[str, ServiceRequest]
) -> None:
    theirs = open_request(energia, title="Bolletta")

    response = get_queue(desk, status="all")

    listed = [row.pk for row, _level in response.context["rows"]]
    assert theirs.pk not in listed
    assert len(listed) == len(requests)


def test_it_shows_each_row_with_customer_title_status_and_assignee(
    release: Tenant, desk: Client, requests: dict[str, ServiceRequest]
) -> None:
    page = get_queue(desk).content.decode()

    soon = requests["soon"]
    assert reverse("backoffice:request", args=["release", soon.code]) in page
    assert release.customer.name in page and release.customer.code in page
    assert "Nuovo IBAN" in page and "Giulia Verdi" in page and "In attesa del cliente" in page


@pytest.mark.parametrize("count", [3, 30])
def test_it_reads_the_queue_in_the_same_number_of_queries_whatever_its_length(
    release: Tenant,
    operator: PortalUser,
    desk: Client,
    count: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    desk_origin = Origin(release.company, operator)
    for n in range(count):
        request = opened_on(release, dt.date(2026, 5, 4), kind=RequestKind.COMPLAINT)
        if n % 2:
            services.assign(desk_origin, request, operator)

    get_queue(desk)  # the host's company and the session's login time are now known

    # Session, user, OTP device, company, operators (filter), count, page (an
    # unchanged session is written at most once a minute: not here).
    with django_assert_num_queries(7):
        response = get_queue(desk)

    assert len(response.context["rows"]) == min(count, 25)


def test_it_offers_only_the_kinds_of_request_the_company_receives(
    desk: Client, rival: PortalUser, requests: dict[str, ServiceRequest]
) -> None:
    leasing = dict(get_queue(desk).context["form"].fields["kind"].choices)
    with time_machine.travel(at_noon(TODAY), tick=False):
        energia = operator_client(rival).get(reverse("backoffice:queue", args=["energia"]))
    utility = dict(energia.context["form"].fields["kind"].choices)

    assert list(leasing)[1:] == [
        "iban_change",
        "address_change",
        "early_termination",
        "pec_change",
        "complaint",
        "free",
    ]
    assert list(utility)[1:] == ["data_discrepancy", "utility_ticket", "complaint", "free"]
    page = get_queue(desk).content.decode()
    assert "Segnalazione difformità dati anagrafici" not in page and ">Ticket<" not in page


def test_it_does_not_apply_a_kind_the_company_does_not_receive(
    desk: Client, requests: dict[str, ServiceRequest]
) -> None:
    response = get_queue(desk, kind="utility_ticket")

    assert response.context["page"] is None
    assert "Il filtro non è stato applicato" in response.content.decode()


def test_it_shows_a_complaints_subject_next_to_its_kind(
    desk: Client, requests: dict[str, ServiceRequest]
) -> None:
    table = get_queue(desk).content.decode().split('id="queue"')[1]

    assert "<td>Reclamo: Addebito SDD</td>" in table
    assert "<td>Altre richieste: Nuovo IBAN</td>" in table
