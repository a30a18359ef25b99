"""Final actions ask first: what the question says, and the page that asks when JavaScript is off."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# The field a confirmed post carries: the dialog's confirm button sends it, and so does the page below.
CONFIRM_FIELD = "bekraeftet"
CONFIRM_VALUE = "ja"


@dataclass(frozen=True)
class Confirmation:
    """One final action: the button that asks, the question, what will happen, and the answer that does
    it. Pages show it as a <dialog> (static/js/confirm.js); without JavaScript the post comes back
    unconfirmed and `confirmation_page` asks the same question."""

    key: str  # the dialog's id, unique on the page
    action_url: str
    back_url: str
    button_label: str
    question: str
    consequence: str
    confirm_label: str
    secondary: bool = False  # the asking button's style

    @property
    def field_name(self) -> str:
        return CONFIRM_FIELD

    @property
    def field_value(self) -> str:
        return CONFIRM_VALUE


def confirmed(request: HttpRequest) -> bool:
    return request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def confirmation_page(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    """The question as a page of its own: nothing has happened yet."""
    return render(request, "confirm.html", {"c": confirmation})
