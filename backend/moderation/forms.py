from __future__ import annotations

from django import forms


class ArtistOptOutForm(forms.Form):
    name = forms.CharField(max_length=200, label="Artist name")
    contact = forms.CharField(max_length=254, label="How to reach you (email or website)")
    message = forms.CharField(max_length=5000, required=False, widget=forms.Textarea)
    # Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(max_length=500, required=False)
