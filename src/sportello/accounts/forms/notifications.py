"""The notification preferences: one channel per category (F3)."""

from __future__ import annotations

from typing import Any

from django import forms

from sportello.notices.models import Category, Channel


class NotificationPreferencesForm(forms.Form):
    """A radio group per category, named by the category's code."""

    def __init__(self, channels: dict[str, str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in Category:
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                choices=Channel.choices,
                initial=channels[category.value],
                widget=forms.RadioSelect,
            )

    def channels(self) -> dict[str, str]:
        return {category.value: self.cleaned_data[category.value] for category in Category}
