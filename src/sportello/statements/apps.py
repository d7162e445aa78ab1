from django.apps import AppConfig


class StatementsConfig(AppConfig):
    """Annual transparency statements (H4): the contract's plan (leasing) and what was
    billed and paid on it (billing), so this app stands above both."""

    name = "sportello.statements"
    verbose_name = "Rendiconti di trasparenza"
