from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html


class SignupForm(forms.Form):
    """Input for the sign-up page; the rules live in services.register_user."""

    username = forms.CharField(max_length=150)
    email = forms.EmailField(required=False, label="Email (optional)")
    password = forms.CharField(
        max_length=128,
        strip=False,
        widget=forms.PasswordInput,
        help_text=password_validators_help_text_html(),
    )
