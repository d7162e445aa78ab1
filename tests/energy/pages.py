"""Reading the utility pages as a person would: tables, figures, the chart's JSON."""

from __future__ import annotations

import json
from typing import Any

import lxml.html
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def tree(response: Any) -> Any:
    return lxml.html.fromstring(response.content.decode())


def text(element: Any) -> str:
    return " ".join(element.text_content().split())


def table(response: Any, table_id: str) -> list[list[str]]:
    """The body rows of ``#table_id``: the row header, then each cell's figure
    («stimato» after it when estimated; empty where the page shows a dash)."""
    found = tree(response).get_element_by_id(table_id)
    rows = []
    for row in found.findall("./tbody/tr"):
        cells = [text(row.find("th"))]
        for cell in row.findall("td"):
            figure = cell.find_class("sp-figure")
            value = text(figure[0]) if figure else ""
            if cell.find_class("sp-estimated"):
                value += " stimato"
            cells.append(value)
        rows.append(cells)
    return rows


def headers(response: Any, table_id: str) -> list[str]:
    found = tree(response).get_element_by_id(table_id)
    return [text(th) for th in found.findall("./thead/tr/th")]


def chart_data(response: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(tree(response).get_element_by_id("consumption-data").text)
    return data


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)
