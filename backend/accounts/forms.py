from __future__ import annotations

from django import forms


class SignupForm(forms.Form):
    """Input for the sign-up page; the rules live in services.register_user."""

    username = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    password = forms.CharField(max_length=128, strip=False, widget=forms.PasswordInput)
