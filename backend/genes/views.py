from django.shortcuts import render

from .selectors import gene_table_status


def home(request):
    return render(request, "home.html", {"status": gene_table_status()})
