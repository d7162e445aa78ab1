"""The notification preferences: one channel per category (F3)."""

from __future__ import annotations

from typing import Any

from django import forms

from sportello.notices.models import Category, Channel

#: Categories that concern only one kind of company: self-reading windows are the
#: utilities', payment reminders the leasing companies'.
ONLY_FOR_KIND = {Category.SELF_READING: "utility", Category.PAYMENT_REMINDERS: "leasing"}


class NotificationPreferencesForm(forms.Form):
    """A radio group per category the user's company has, named by the category's code.

    A category the company does not have keeps the channel it had.
    """

    def __init__(
        self, channels: dict[str, str], *args: Any, company_kind: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kept = dict(channels)
        for category in Category:
            if ONLY_FOR_KIND.get(category, company_kind) != company_kind:
                continue
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                choices=Channel.choices,
                initial=channels[category.value],
                widget=forms.RadioSelect,
            )

    def channels(self) -> dict[str, str]:
        return {**self.kept, **{name: self.cleaned_data[name] for name in self.fields}}
